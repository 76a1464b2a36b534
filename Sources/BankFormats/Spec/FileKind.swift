public import PikouCore

/// Which of a bank's files, or the treasury's.
public enum FileKind: String, Sendable, Hashable, CaseIterable {
    /// A debit request Pikou sends (批扣文件).
    case debit
    /// The bank's result file (回盘文件).
    case `return`
    /// A cancel message Pikou sends to stop a debit file before the bank runs it (止付/撤销).
    case cancel
    /// The bank's statement of the collection account (对账单: camt.053, or the bank's own), or its
    /// credit notification (camt.054).
    case statement
    /// The treasury's daily reconciliation (税库银对账文件): every line it counts as collected.
    case reconciliation
    /// A refund instruction Pikou sends (退费文件): money paid back to the accounts it was debited from.
    case refund
    /// The bank's result file for a refund instruction (退费回盘).
    case refundReturn

    /// Whether Pikou writes and signs it (a debit file, a cancel message, a refund instruction), not the bank.
    public var isOurs: Bool { self == .debit || self == .cancel || self == .refund }

    /// Whether it is the bank's answer to a file of ours, line by line with a result code (a return
    /// file, a refund's result file).
    public var isAnswer: Bool { self == .return || self == .refundReturn }

    /// Whether its lines are account entries or treasury lines, each mapped by the layout's
    /// `entry_codes` (not a debit's result).
    public var hasEntries: Bool { self == .statement || self == .reconciliation }

    /// The spec's section for it.
    public var section: String {
        switch self {
        case .return: "return"
        case .refundReturn: "refund_return"
        default: rawValue
        }
    }
}

/// What one line of a statement or of a treasury reconciliation says, as a layout's `entry_codes`
/// maps the file's own codes.
public enum EntryKind: String, Sendable, Hashable, CaseIterable {
    /// Money in on the collection account (a statement).
    case credit
    /// Money out of the collection account (a statement): not a collection, kept and not matched.
    case debit
    /// A credit taken back (冲正) (a statement).
    case reversal
    /// A line that is not a booking (pending, information only) (a statement): read, not matched.
    case ignore
    /// Booked into the treasury (入库成功) (a reconciliation).
    case booked
    /// Not booked (入库失败) (a reconciliation).
    case failed
    /// Paid back out of the treasury (退库) (a reconciliation).
    case refunded

    /// The kinds a layout of `kind` may map codes to.
    public static func allowed(in kind: FileKind) -> [EntryKind] {
        kind == .statement ? [.credit, .debit, .reversal, .ignore] : [.booked, .failed, .refunded]
    }
}
