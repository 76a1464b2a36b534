public import PikouCore

/// Which of a bank's two files.
public enum FileKind: String, Sendable, Hashable, CaseIterable {
    /// A debit request Pikou sends (批扣文件).
    case debit
    /// The bank's result file (回盘文件).
    case `return`
    /// A cancel message Pikou sends to stop a debit file before the bank runs it (止付/撤销).
    case cancel

    /// Whether Pikou writes and signs it (a debit file or a cancel message), not the bank.
    public var isOurs: Bool { self != .return }

    /// The spec's section for it.
    public var section: String { self == .return ? "return" : rawValue }
}
