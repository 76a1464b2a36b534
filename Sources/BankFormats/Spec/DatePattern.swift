public import PikouCore

/// A date pattern of bank files: `yyyy`, `MM` and `dd` stand for the date's parts, every other
/// character (`-`, `/`, `.`) stands for itself; letters other than those tokens are refused.
public enum DatePattern {
    enum Token: Equatable {
        case year, month, day
        case literal(UInt8)
    }

    /// The two patterns nearly every file uses, tokenized once: a date field is read on every line.
    private static let compact: [Token] = [.year, .month, .day]
    private static let dashed: [Token] = [.year, .literal(UInt8(ascii: "-")), .month, .literal(UInt8(ascii: "-")), .day]

    static func tokens(_ pattern: String) -> [Token]? {
        if pattern == "yyyyMMdd" { return compact }
        if pattern == "yyyy-MM-dd" { return dashed }
        let bytes = Array(pattern.utf8)
        var tokens: [Token] = []
        var index = 0
        func starts(_ letter: UInt8, _ count: Int) -> Bool {
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != letter { return false }
            return true
        }
        while index < bytes.count {
            if starts(UInt8(ascii: "y"), 4) {
                tokens.append(.year); index += 4
            } else if starts(UInt8(ascii: "M"), 2) {
                tokens.append(.month); index += 2
            } else if starts(UInt8(ascii: "d"), 2) {
                tokens.append(.day); index += 2
            } else {
                let byte = bytes[index]
                let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                if isLetter || byte >= 0x80 { return nil }
                tokens.append(.literal(byte)); index += 1
            }
        }
        return tokens
    }

    /// Why `pattern` is not usable, or `nil` if it is.
    public static func problem(_ pattern: String) -> String? {
        guard let tokens = tokens(pattern) else {
            return "date pattern '\(pattern)' may use only yyyy, MM, dd and punctuation"
        }
        for part in [Token.year, .month, .day] where tokens.filter({ $0 == part }).count != 1 {
            return "date pattern '\(pattern)' must contain yyyy, MM and dd exactly once each"
        }
        return nil
    }

    /// Writes `date` with `pattern` (which ``problem(_:)`` accepted).
    public static func format(_ date: CivilDate, _ pattern: String) -> String {
        var out = ""
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        for token in tokens(pattern) ?? [] {
            switch token {
            case .year: out += pad(date.year, 4)
            case .month: out += pad(date.month, 2)
            case .day: out += pad(date.day, 2)
            case .literal(let byte): out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    /// Reads a date written with `pattern`, or `nil` if the bytes do not match it or name no real day.
    public static func parse<C: Collection>(_ bytes: C, _ pattern: String) -> CivilDate? where C.Element == UInt8 {
        guard let tokens = tokens(pattern) else { return nil }
        let bytes = Array(bytes)
        var index = 0
        var year = 0, month = 0, day = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            index += width
            return value
        }
        for token in tokens {
            switch token {
            case .year: guard let v = number(4) else { return nil }; year = v
            case .month: guard let v = number(2) else { return nil }; month = v
            case .day: guard let v = number(2) else { return nil }; day = v
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            }
        }
        guard index == bytes.count else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}
