/// A citizen identity number under GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character.
///
/// Positions (1-based, as the standard prints them): 1–6 address code, 7–14 birth date `YYYYMMDD`,
/// 15–17 sequence (odd for men), 18 check character `0`–`9` or `X`. A lower-case `x` is accepted
/// and stored upper-case.
public struct IDNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 18 characters, check character upper-case.
    public let value: String

    /// Each way an ID number can be wrong; descriptions are masked, never the full number.
    public enum ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        case wrongLength(Int)
        case invalidCharacter(position: Int)
        case unknownRegion(String)
        case invalidBirthDate(String)
        case checksumMismatch(expected: Character, found: Character)

        public var description: String { message.en }

        /// What is wrong, in the reader's language (masked).
        public var message: Message {
            switch self {
            case .wrongLength(let count): Message(zh: "身份证号应为 18 位，实为 \(count) 位", en: "ID number must have 18 characters, found \(count)")
            case .invalidCharacter(let position):
                position == 18
                    ? Message(zh: "身份证号第 18 位校验码应为 0-9 或 X", en: "ID number check character (position 18) must be 0-9 or X")
                    : Message(zh: "身份证号第 \(position) 位应为数字", en: "ID number position \(position) must be a digit")
            case .unknownRegion(let code): Message(zh: "身份证号地区码 \(code) 不是 GB/T 2260 的省份", en: "ID number region code \(code) is not a province of GB/T 2260")
            case .invalidBirthDate(let date): Message(zh: "身份证号出生日期 \(date) 不存在", en: "ID number birth date \(date) is not a real date")
            case .checksumMismatch(let expected, let found):
                Message(zh: "身份证号校验码为 \(found)，按前 17 位应为 \(expected)", en: "ID number check character is \(found), but the first 17 digits give \(expected)")
            }
        }
    }

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
    /// Province-level codes (first two digits) of GB/T 2260, plus 83 (Taiwan residence permits) and 91.
    private static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
    ]

    /// Validates `text` as an 18-character ID number.
    ///
    /// - Throws: ``ValidationError``: the first problem found, in the order length, characters,
    ///   region, birth date, checksum.
    public init(_ text: String) throws(ValidationError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 18 else { throw .wrongLength(text.count) }
        var digits = [Int]()
        digits.reserveCapacity(17)
        for (offset, byte) in bytes.prefix(17).enumerated() {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { throw .invalidCharacter(position: offset + 1) }
            digits.append(Int(digit))
        }
        let last = bytes[17]
        let found: Character
        switch last {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): found = Character(Unicode.Scalar(last))
        case UInt8(ascii: "x"), UInt8(ascii: "X"): found = "X"
        default: throw .invalidCharacter(position: 18)
        }
        let region = digits[0] * 10 + digits[1]
        guard Self.provinces.contains(region) else { throw .unknownRegion(String(region)) }
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard year >= 1900, CivilDate(year: year, month: month, day: day) != nil else {
            throw .invalidBirthDate(String(decoding: bytes[6..<14], as: UTF8.self))
        }
        let expected = Self.checkCharacter(digits)
        guard expected == found else { throw .checksumMismatch(expected: expected, found: found) }
        value = String(decoding: bytes.prefix(17), as: UTF8.self) + String(found)
    }

    /// An ID number the store holds: it was validated when it entered (roster import), so it is not
    /// parsed again on its way to a file or a report.
    public init(stored value: String) {
        self.value = value
    }

    /// The MOD 11-2 check character for 17 digits.
    public static func checkCharacter(_ digits: [Int]) -> Character {
        precondition(digits.count == 17, "GB 11643 check character needs 17 digits")
        var sum = 0
        for (digit, weight) in zip(digits, weights) { sum += digit * weight }
        return checkCharacters[sum % 11]
    }

    /// The birth date the number encodes.
    public var birthDate: CivilDate {
        let d = value.utf8.map { Int($0 &- UInt8(ascii: "0")) }
        // Validated in init.
        return CivilDate(
            year: d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9], month: d[10] * 10 + d[11], day: d[12] * 10 + d[13])!
    }

    /// The masked form `420106********1234`.
    public var masked: String { Masking.idNumber(value) }

    public static func < (a: IDNumber, b: IDNumber) -> Bool { a.value < b.value }

    /// The masked form: an ID number is never printed whole by accident.
    public var description: String { masked }
}
