/// The canonical result of one debit attempt; every bank's result code maps to exactly one.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case succeeded
    /// 余额不足.
    case insufficientFunds
    /// 冻结 / 止付.
    case accountFrozen
    /// 系统错误 / 超时.
    case bankSystemError
    /// 超限额.
    case exceedsLimit
    /// 销户.
    case accountClosed
    /// 无此账户.
    case accountNotFound
    /// 户名不符.
    case nameMismatch
    /// 证件不符.
    case idMismatch
    /// 无协议 / 协议已撤销: the bank knows no agreement for this account.
    case agreementMissing
    /// 协议已解约: the payer ended the agreement at the bank. Never debited again at it, not even at an
    /// operator's word, until the agreement changes (a new one signed and imported with the roster).
    case agreementRevoked
    /// The bank's code is not in its spec's table: an operator reviews it and an exception is raised.
    case unknown
    /// 已撤销: the bureau stopped the file before the bank ran it (`pikou file cancel`). Pikou's own
    /// outcome, never a bank's: the debit collected nothing and its dues go to the next batch.
    case cancelled

    /// When a failed attempt may be tried again.
    public enum Retry: String, Sendable, Hashable {
        /// Nothing to retry: the money was collected.
        case notApplicable
        /// At the next resubmission, within the attempt limit.
        case nextResubmission
        /// In the next monthly cycle.
        case nextCycle
        /// As soon as possible (a transient bank fault).
        case soon
        /// An operator decides.
        case operatorDecides
        /// Only after the agreement (account, name, ...) is corrected.
        case afterAgreementChange
        /// Only after the payer signs a new agreement.
        case afterNewAgreement
        /// An operator must review the unknown code first.
        case operatorReview
    }

    /// The retry rule of DESIGN.md for this outcome.
    public var retry: Retry {
        switch self {
        case .succeeded: .notApplicable
        case .insufficientFunds: .nextResubmission
        case .accountFrozen: .nextCycle
        case .bankSystemError: .soon
        case .exceedsLimit: .operatorDecides
        case .accountClosed, .accountNotFound, .nameMismatch, .idMismatch, .agreementMissing: .afterAgreementChange
        case .agreementRevoked: .afterNewAgreement
        case .unknown: .operatorReview
        case .cancelled: .soon
        }
    }

    /// Whether the same debit may be submitted again without anything about the payer changing.
    public var isRetryable: Bool {
        switch retry {
        case .nextResubmission, .nextCycle, .soon: true
        case .notApplicable, .operatorDecides, .afterAgreementChange, .afterNewAgreement, .operatorReview: false
        }
    }

    /// Whether the outcome ends this payer's debits until the agreement changes (or, for
    /// ``agreementRevoked``, until a new one is signed: importing it changes the agreement too).
    public var isTerminal: Bool { retry == .afterAgreementChange || retry == .afterNewAgreement }

    /// The short Chinese label operators know.
    public var label: String {
        switch self {
        case .succeeded: "扣款成功"
        case .insufficientFunds: "余额不足"
        case .accountFrozen: "账户冻结/止付"
        case .bankSystemError: "系统错误/超时"
        case .exceedsLimit: "超限额"
        case .accountClosed: "账户已销户"
        case .accountNotFound: "无此账户"
        case .nameMismatch: "户名不符"
        case .idMismatch: "证件不符"
        case .agreementMissing: "无协议/协议已撤销"
        case .agreementRevoked: "协议已解约"
        case .unknown: "未知返回码"
        case .cancelled: "已撤销"
        }
    }

    /// Reads an outcome as an operator types it: its code (`insufficientFunds`) or its Chinese label
    /// (`余额不足`), or one part of a label with a slash (`止付` for 账户冻结/止付).
    public init?(codeOrLabel text: String) {
        if let outcome = Outcome(rawValue: text) { self = outcome; return }
        guard !text.isEmpty, let outcome = Outcome.allCases.first(where: { $0.label == text || $0.label.split(separator: "/").contains { $0 == text } })
        else { return nil }
        self = outcome
    }

    public var description: String { rawValue }
}
