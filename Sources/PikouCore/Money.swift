/// An exact amount of renminbi, counted in fen (分, 1/100 yuan) as a 64-bit integer.
///
/// Money never passes through floating point. Text is parsed from and printed as yuan with two
/// decimals (`"1234.56"`); every arithmetic operation that could overflow is checked and throws.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in fen.
    public let fen: Int64

    /// Creates an amount of `fen` fen.
    public init(fen: Int64) { self.fen = fen }

    /// Zero yuan.
    public static let zero = Money(fen: 0)

    /// Why a text could not be read as an amount.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case invalidCharacter(String)
        case tooManyDecimals(String)
        case overflow(String)

        public var description: String { message.en }

        /// What is wrong, in the reader's language.
        public var message: Message {
            switch self {
            case .empty: Message(zh: "金额为空", en: "empty amount")
            case .invalidCharacter(let text): Message(zh: "'\(text)' 不是以元计的金额（如 1234.56）", en: "'\(text)' is not a yuan amount like 1234.56")
            case .tooManyDecimals(let text):
                Message(zh: "'\(text)' 的小数超过两位（最小单位是分）", en: "'\(text)' has more than two decimals (fen is the smallest unit)")
            case .overflow(let text): Message(zh: "'\(text)' 太大，超出了可计的金额范围", en: "'\(text)' is too large to count in 64-bit fen")
            }
        }
    }

    /// An arithmetic result that does not fit in 64-bit fen.
    public struct OverflowError: Error, Sendable, Hashable, CustomStringConvertible {
        public let operation: String
        public init(operation: String) { self.operation = operation }
        public var description: String { message.en }

        /// What is wrong, in the reader's language.
        public var message: Message { Message(zh: "金额计算溢出：\(operation)", en: "money overflow in \(operation)") }
    }

    /// Parses yuan text: an optional `-`, digits, and at most two decimals (`"12"`, `"12.3"`, `"12.30"`).
    ///
    /// - Throws: ``ParseError`` naming what is wrong with the text.
    public init(yuan text: String) throws(ParseError) {
        try self.init(yuanBytes: text.utf8)
    }

    /// Parses yuan text given as its ASCII bytes (a field of a bank file), with no `String` made
    /// unless it is wrong; the same rules as ``init(yuan:)``.
    @inlinable
    public init<Bytes: Collection>(yuanBytes utf8: Bytes) throws(ParseError) where Bytes.Element == UInt8 {
        func text() -> String { String(decoding: utf8, as: UTF8.self) }
        guard !utf8.isEmpty else { throw .empty }
        var index = utf8.startIndex
        var negative = false
        if utf8[index] == UInt8(ascii: "-") {
            negative = true
            index = utf8.index(after: index)
        }
        // The magnitude is counted unsigned, so that the most negative amount, one fen more than the
        // most positive, parses back from the text `yuanText` prints for it.
        var whole: UInt64 = 0
        var fraction: UInt64 = 0
        var decimals = -1  // -1: no point seen yet
        var digitsSeen = 0
        while index != utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if byte == UInt8(ascii: ".") {
                guard decimals < 0 else { throw .invalidCharacter(text()) }
                decimals = 0
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { throw .invalidCharacter(text()) }
            digitsSeen += 1
            if decimals >= 0 {
                decimals += 1
                guard decimals <= 2 else { throw .tooManyDecimals(text()) }
                fraction = fraction * 10 + UInt64(digit)
            } else {
                let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(UInt64(digit))
                guard !o1, !o2 else { throw .overflow(text()) }
                whole = next
            }
        }
        guard digitsSeen > 0 else { throw .invalidCharacter(text()) }
        if decimals == 1 { fraction *= 10 }
        let (wholeFen, o1) = whole.multipliedReportingOverflow(by: 100)
        let (magnitude, o2) = wholeFen.addingReportingOverflow(fraction)
        guard !o1, !o2, magnitude <= (negative ? Int64.min.magnitude : UInt64(Int64.max)) else { throw .overflow(text()) }
        fen = negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// The amount as yuan with exactly two decimals, e.g. `"1234.56"` or `"-0.05"`.
    public var yuanText: String {
        let magnitude = fen.magnitude
        let whole = magnitude / 100
        let cents = magnitude % 100
        return (fen < 0 ? "-" : "") + String(whole) + (cents < 10 ? ".0" : ".") + String(cents)
    }

    /// The amount as yuan with thousands separators, for people: `"1,234,567.89"`.
    public var groupedYuanText: String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return (fen < 0 ? "-" : "") + (magnitude / 100).groupedText + (cents < 10 ? ".0" : ".") + String(cents)
    }

    public var description: String { yuanText }

    /// The sum of two amounts.
    ///
    /// - Throws: ``OverflowError`` if the sum does not fit in 64-bit fen.
    @inlinable
    public func adding(_ other: Money) throws(OverflowError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        guard !overflow else { throw OverflowError(operation: "\(self) + \(other)") }
        return Money(fen: sum)
    }

    /// The difference of two amounts.
    ///
    /// - Throws: ``OverflowError`` if the difference does not fit in 64-bit fen.
    public func subtracting(_ other: Money) throws(OverflowError) -> Money {
        let (difference, overflow) = fen.subtractingReportingOverflow(other.fen)
        guard !overflow else { throw OverflowError(operation: "\(self) - \(other)") }
        return Money(fen: difference)
    }

    /// The amount times a whole count (e.g. months).
    ///
    /// - Throws: ``OverflowError`` if the product does not fit in 64-bit fen.
    public func multiplied(by count: Int64) throws(OverflowError) -> Money {
        let (product, overflow) = fen.multipliedReportingOverflow(by: count)
        guard !overflow else { throw OverflowError(operation: "\(self) × \(count)") }
        return Money(fen: product)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

extension Sequence where Element == Money {
    /// The checked sum of the amounts.
    ///
    /// - Throws: ``Money/OverflowError`` as soon as a partial sum overflows.
    ///
    /// Inlinable, so that a sum over millions of lines is specialized where it is taken.
    @inlinable
    public func checkedSum() throws(Money.OverflowError) -> Money {
        var total = Money.zero
        for amount in self { total = try total.adding(amount) }
        return total
    }
}

extension BinaryInteger {
    /// The number with thousands separators, for people: `"1,234,567"`.
    public var groupedText: String {
        let digits = String(self.magnitude)
        var grouped = self < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }
}
