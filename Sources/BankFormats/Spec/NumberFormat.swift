public import PikouCore

/// How an amount field writes its number, when the spec declares it (`number:`): a grouping
/// separator every three digits (`1,234.56`), the decimal mark, and how a sign is shown.
///
/// Written exactly so, and read strictly: a value in any other form (a group of two digits, a
/// missing or extra decimal, a sign in another style) is an error naming the declared form, never a
/// guess. Without `number:` a field keeps the plain form (`1234.56`, a leading `-` where `signed`).
public struct NumberFormat: Sendable, Hashable {
    /// How a value shows its sign.
    public enum SignStyle: String, Sendable, Hashable, CaseIterable {
        /// `-1234.56` (the default).
        case leading
        /// `1234.56-`, as mainframe statements write it.
        case trailing
        /// `(1234.56)`, as accounting sheets write it.
        case parentheses
        /// Every amount carries a mark after it: `1234.56CR` (credit, not negative), `1234.56DR` (debit, negative).
        case crDr = "cr-dr"
        /// The payer's view: `1234.56DR` for a debit (not negative), `1234.56CR` for a negative amount.
        case drCr = "dr-cr"

        /// The marks after a value of this style, non-negative then negative (`CR`/`DR`), or nil.
        var suffixes: (plus: [UInt8], minus: [UInt8])? {
            switch self {
            case .crDr: (Array("CR".utf8), Array("DR".utf8))
            case .drCr: (Array("DR".utf8), Array("CR".utf8))
            case .leading, .trailing, .parentheses: nil
            }
        }
    }

    /// The byte between groups of three digits (`,`, `'`, ` `, `.`), or 0 for none.
    public var grouping: UInt8
    /// The decimal mark of a yuan amount (`.` or `,`).
    public var decimal: UInt8
    public var sign: SignStyle

    public init(grouping: UInt8 = 0, decimal: UInt8 = UInt8(ascii: "."), sign: SignStyle = .leading) {
        self.grouping = grouping
        self.decimal = decimal
        self.sign = sign
    }

    /// The plain form: no grouping, `.` for decimals, a leading `-`.
    public static let plain = NumberFormat()

    /// The form in words with an example, as an error names it: `1,234.56 (grouping ',', decimal '.', sign leading: -1,234.56)`.
    public func describe(inFen: Bool, signed: Bool) -> String {
        var example = [UInt8]()
        append(Money(fen: 123_456), inFen: inFen, to: &example)
        var text = String(decoding: example, as: UTF8.self)
        var parts: [String] = []
        parts.append(grouping == 0 ? "no grouping" : "grouping '\(Character(Unicode.Scalar(grouping)))'")
        if !inFen { parts.append("decimal '\(Character(Unicode.Scalar(decimal)))'") }
        if signed || sign.suffixes != nil {
            var negative = [UInt8]()
            append(Money(fen: -123_456), inFen: inFen, to: &negative)
            parts.append("sign \(sign.rawValue): \(String(decoding: negative, as: UTF8.self))")
        }
        text += " (" + parts.joined(separator: ", ") + ")"
        return text
    }

    /// Appends `money` in this form: fen as an integer, yuan with exactly two decimals.
    public func append(_ money: Money, inFen: Bool, to bytes: inout [UInt8]) {
        let negative = money.fen < 0
        let magnitude = money.fen.magnitude
        if negative {
            switch sign {
            case .leading: bytes.append(UInt8(ascii: "-"))
            case .parentheses: bytes.append(UInt8(ascii: "("))
            case .trailing, .crDr, .drCr: break
            }
        }
        appendGrouped(inFen ? magnitude : magnitude / 100, to: &bytes)
        if !inFen {
            bytes.append(decimal)
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 100 / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
        if let suffixes = sign.suffixes {
            bytes.append(contentsOf: negative ? suffixes.minus : suffixes.plus)
        } else if negative {
            switch sign {
            case .trailing: bytes.append(UInt8(ascii: "-"))
            case .parentheses: bytes.append(UInt8(ascii: ")"))
            case .leading, .crDr, .drCr: break
            }
        }
    }

    private func appendGrouped(_ value: UInt64, to bytes: inout [UInt8]) {
        let digits = Array(String(value).utf8)
        for (index, digit) in digits.enumerated() {
            if grouping != 0, index > 0, (digits.count - index) % 3 == 0 { bytes.append(grouping) }
            bytes.append(digit)
        }
    }

    /// Why `value` is not an amount in this form, or its money.
    ///
    /// - Parameters:
    ///   - signed: Whether the field allows a negative amount at all.
    public func parse(_ value: some Collection<UInt8>, inFen: Bool, signed: Bool) -> Result<Money, NumberFormatProblem> {
        var bytes = ArraySlice(value)
        var negative = false
        if let suffixes = sign.suffixes {
            if bytes.count > 2, bytes.suffix(2).elementsEqual(suffixes.plus) {
                bytes = bytes.dropLast(2)
            } else if bytes.count > 2, bytes.suffix(2).elementsEqual(suffixes.minus) {
                bytes = bytes.dropLast(2)
                negative = true
            } else {
                return .failure(.form)
            }
        } else {
            switch sign {
            case .leading:
                if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
            case .trailing:
                if bytes.last == UInt8(ascii: "-") { negative = true; bytes = bytes.dropLast() }
            case .parentheses:
                if bytes.first == UInt8(ascii: "(") {
                    guard bytes.last == UInt8(ascii: ")") else { return .failure(.form) }
                    negative = true
                    bytes = bytes.dropFirst().dropLast()
                }
            case .crDr, .drCr: break
            }
        }
        if negative && !signed { return .failure(.sign) }
        // The integer part, grouped as declared, then exactly two decimals for yuan.
        var integer = bytes
        if !inFen {
            guard bytes.count >= 4, bytes[bytes.endIndex - 3] == decimal else { return .failure(.form) }
            integer = bytes.dropLast(3)
        }
        guard !integer.isEmpty else { return .failure(.form) }
        var units: UInt64 = 0
        var digitsInGroup = 0
        var sawGroup = false
        var digitCount = 0
        for byte in integer {
            if grouping != 0 && byte == grouping {
                // A separator after one to three digits first, then after exactly three.
                guard digitsInGroup > 0, digitsInGroup <= 3, !sawGroup || digitsInGroup == 3 else { return .failure(.form) }
                sawGroup = true
                digitsInGroup = 0
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(.form) }
            digitsInGroup += 1
            digitCount += 1
            let (scaled, over1) = units.multipliedReportingOverflow(by: 10)
            let (next, over2) = scaled.addingReportingOverflow(UInt64(digit))
            guard !over1, !over2, next <= UInt64(Int64.max) else { return .failure(.range) }
            units = next
        }
        if sawGroup && digitsInGroup != 3 { return .failure(.form) }
        // Grouping is not optional where declared: 1234.56 is not 1,234.56.
        if grouping != 0 && !sawGroup && digitCount > 3 { return .failure(.form) }
        if digitCount > 1 && integer.first == UInt8(ascii: "0") { return .failure(.form) }
        var fen = units
        if !inFen {
            let d1 = bytes[bytes.endIndex - 2] &- UInt8(ascii: "0"), d2 = bytes[bytes.endIndex - 1] &- UInt8(ascii: "0")
            guard d1 < 10, d2 < 10 else { return .failure(.form) }
            let (scaled, overflow) = units.multipliedReportingOverflow(by: 100)
            let (withDecimals, overflow2) = scaled.addingReportingOverflow(UInt64(d1) * 10 + UInt64(d2))
            guard !overflow, !overflow2 else { return .failure(.range) }
            fen = withDecimals
        }
        guard fen <= UInt64(Int64.max) else { return .failure(.range) }
        return .success(Money(fen: negative ? -Int64(fen) : Int64(fen)))
    }
}

/// Why a value is not an amount in its declared form.
public enum NumberFormatProblem: Error, Sendable, Hashable {
    /// Not the declared form (grouping, decimals, sign style).
    case form
    /// A negative amount where the field is unsigned.
    case sign
    /// More digits than 64-bit fen can count.
    case range
}
