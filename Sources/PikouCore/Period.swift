/// A contribution month, written `YYYYMM` (also read as `YYYY-MM`).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The calendar year, 1900...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// Why a text is not a period.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed(String)
        case monthOutOfRange(String)
        case yearOutOfRange(String)

        public var description: String { message.en }

        /// What is wrong, in the reader's language.
        public var message: Message {
            switch self {
            case .malformed(let text):
                Message(zh: "'\(text)' 不是期间：应写作六位年月（如 202601）或带短横的年-月（如 2026-01）",
                        en: "'\(text)' is not a period: expected YYYYMM or YYYY-MM")
            case .monthOutOfRange(let text): Message(zh: "'\(text)'：月份应为 01 至 12", en: "'\(text)': month must be 01 to 12")
            case .yearOutOfRange(let text): Message(zh: "'\(text)'：年份应为 1900 至 9999", en: "'\(text)': year must be 1900 to 9999")
            }
        }
    }

    /// Creates the period of `month` in `year`.
    ///
    /// - Throws: ``ParseError`` if the month or year is out of range.
    public init(year: Int, month: Int) throws(ParseError) {
        guard (1...12).contains(month) else { throw .monthOutOfRange("\(year)-\(month)") }
        guard (1900...9999).contains(year) else { throw .yearOutOfRange("\(year)-\(month)") }
        self.year = year
        self.month = month
    }

    /// Parses `YYYYMM` or `YYYY-MM`.
    ///
    /// - Throws: ``ParseError`` naming the problem.
    public init(_ text: String) throws(ParseError) {
        let bytes = Array(text.utf8)
        let digits: [UInt8]
        if bytes.count == 7, bytes[4] == UInt8(ascii: "-") {
            digits = Array(bytes[0..<4] + bytes[5..<7])
        } else if bytes.count == 6 {
            digits = bytes
        } else {
            throw .malformed(text)
        }
        var value = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { throw .malformed(text) }
            value = value * 10 + Int(digit)
        }
        do {
            try self.init(year: value / 100, month: value % 100)
        } catch {
            switch error {
            case .monthOutOfRange: throw .monthOutOfRange(text)
            case .yearOutOfRange: throw .yearOutOfRange(text)
            case .malformed: throw .malformed(text)
            }
        }
    }

    private init(unchecked index: Int) {
        year = index / 12
        month = index % 12 + 1
    }

    /// Months since year 0, for arithmetic.
    private var index: Int { year * 12 + month - 1 }

    /// The period `months` later (earlier when negative).
    public func advanced(by months: Int) -> Period { Period(unchecked: index + months) }

    /// The number of months from `self` to `other` (negative when `other` is earlier).
    public func months(to other: Period) -> Int { other.index - index }

    /// `YYYYMM`, the form bank files and the store use.
    public var compact: String { String(year) + (month < 10 ? "0" : "") + String(month) }

    /// `YYYY-MM`, the form people type.
    public var description: String { String(year) + (month < 10 ? "-0" : "-") + String(month) }

    public static func < (lhs: Period, rhs: Period) -> Bool { lhs.index < rhs.index }
}
