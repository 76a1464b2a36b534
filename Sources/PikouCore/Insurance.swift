/// The insurances a flexible worker pays monthly through a debit agreement.
public enum Insurance: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 基本养老保险.
    case pension
    /// 基本医疗保险.
    case medical

    /// Parses the roster's and the policy's spelling (`pension`, `medical`).
    public init?(_ text: some StringProtocol) {
        switch text {
        case "pension": self = .pension
        case "medical": self = .medical
        default: return nil
        }
    }

    /// The names as the roster spells them, for messages: `pension, medical`.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public var description: String { rawValue }
}
