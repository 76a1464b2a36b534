/// A debtor's bank account number: digits only.
///
/// UnionPay card numbers (prefix `62`, 16 to 19 digits) carry a Luhn check digit and are refused when
/// it is wrong. Other accounts (passbooks, 存折) are not Luhn-protected: a failed Luhn check on them
/// is only a warning, available from ``luhnWarning``.
public struct BankAccount: Sendable, Hashable, CustomStringConvertible {
    /// The digits.
    public let number: String
    /// What kind of account the number looks like.
    public let kind: Kind

    /// The shape of an account number.
    public enum Kind: String, Sendable, Hashable {
        /// A UnionPay card: `62` prefix, 16–19 digits, Luhn-checked.
        case unionPayCard
        /// Any other account, e.g. a passbook; Luhn does not apply.
        case passbook
    }

    /// Each way an account number can be wrong; descriptions are masked.
    public enum ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case nonDigit(position: Int)
        case wrongLength(Int)
        case luhnMismatch(masked: String)

        public var description: String { message.en }

        /// What is wrong, in the reader's language (masked).
        public var message: Message {
            switch self {
            case .empty: Message(zh: "账号为空", en: "account number is empty")
            case .nonDigit(let position): Message(zh: "账号第 \(position) 位不是数字", en: "account number position \(position) is not a digit")
            case .wrongLength(let count): Message(zh: "账号应为 8 至 32 位数字，实为 \(count) 位", en: "account number must have 8 to 32 digits, found \(count)")
            case .luhnMismatch(let masked): Message(zh: "卡号 \(masked) 的末位校验码不对（卡号有误），请核对", en: "card number \(masked) fails its Luhn check digit")
            }
        }
    }

    /// Validates `text` as an account number.
    ///
    /// - Throws: ``ValidationError`` if it is empty, holds a non-digit, has a wrong length, or is a
    ///   UnionPay card number whose Luhn check fails.
    public init(_ text: String) throws(ValidationError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        for (offset, byte) in bytes.enumerated() where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            throw .nonDigit(position: offset + 1)
        }
        guard (8...32).contains(bytes.count) else { throw .wrongLength(bytes.count) }
        let isCard = bytes.count >= 16 && bytes.count <= 19 && bytes[0] == UInt8(ascii: "6")
            && bytes[1] == UInt8(ascii: "2")
        if isCard, !Self.passesLuhn(text) { throw .luhnMismatch(masked: Masking.account(text)) }
        number = text
        kind = isCard ? .unionPayCard : .passbook
    }

    /// An account number the store holds: it was validated when it entered (roster import or an
    /// agreement change), so it is not checked again on its way to a file or a report.
    public init(stored number: String) {
        let bytes = number.utf8
        self.number = number
        kind = (16...19).contains(bytes.count) && bytes.starts(with: [UInt8(ascii: "6"), UInt8(ascii: "2")]) ? .unionPayCard : .passbook
    }

    /// Whether a digit string passes the Luhn (mod 10) check.
    public static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (offset, byte) in digits.utf8.reversed().enumerated() {
            var digit = Int(byte &- UInt8(ascii: "0"))
            guard digit < 10 else { return false }
            if offset % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// A warning for a passbook account whose digits fail Luhn, which may just be its bank's numbering.
    public var luhnWarning: String? { luhnWarningMessage?.en }

    /// ``luhnWarning`` in both languages.
    public var luhnWarningMessage: Message? {
        kind == .passbook && !Self.passesLuhn(number)
            ? Message(zh: "账号 \(masked) 未通过校验位检查；已按存折账号接受",
                      en: "account \(masked) does not pass a Luhn check; accepted as a passbook account")
            : nil
    }

    /// The masked form `6222****1234`.
    public var masked: String { Masking.account(number) }

    /// The masked form.
    public var description: String { masked }
}
