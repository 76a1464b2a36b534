// Notices to payers (短信通知): planned into the store from posted results and the lists Pikou makes,
// then sent through a gateway or exported for an office's own platform.

/// What a notice tells.
public enum NoticeKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A debit failed: the reason in plain words and the next step.
    case debitFailed = "debit_failed"
    /// Payments stopped (断缴提醒).
    case lapsed
    /// A residents' round is coming and the resident has not paid (before the window closes).
    case roundReminder = "round_reminder"
    /// A debit succeeded (您的…保险费已由银行成功代扣): off in the shipped templates, an office turns it on.
    case debitSucceeded = "debit_succeeded"

    public var description: String { rawValue }
}

/// Where a notice stands.
public enum NoticeState: String, Sendable, Hashable, CaseIterable {
    /// In the outbox, not sent yet.
    case planned
    /// Handed to the gateway, which answered with its message id.
    case sent
    /// The gateway refused it, or could not be reached after the retries: kept with its reason.
    case failed
    /// Exported for the office's own platform (never sent by Pikou).
    case exported
}

/// A notice as planning decided it, for the store. One payer gets at most one notice of a kind per
/// `subject` (a period `2026-12`, a residents' round `2027-R2`): planning again adds nothing.
public struct PlannedNotice: Sendable, Hashable {
    public var idNumber: IDNumber
    public var kind: NoticeKind
    public var subject: String
    public var phone: String
    public var text: String
    /// The template's variables as filled in (without 签名): what a gateway that sends its own
    /// approved templates (a commercial SMS API's template code) is given instead of the text.
    public var values: [String: String]

    public init(idNumber: IDNumber, kind: NoticeKind, subject: String, phone: String, text: String, values: [String: String] = [:]) {
        (self.idNumber, self.kind, self.subject, self.phone, self.text, self.values) = (idNumber, kind, subject, phone, text, values)
    }
}

/// A notice as the store holds it.
public struct NoticeRecord: Sendable, Hashable {
    public var id: Int64
    public var payerID: Int64
    public var idNumber: IDNumber
    public var name: String
    public var kind: NoticeKind
    public var subject: String
    public var phone: String
    public var text: String
    public var state: NoticeState
    public var plannedAt: String
    /// When it was sent or exported ("" before).
    public var sentAt: String
    /// The gateway's message id once sent ("" before).
    public var gatewayID: String
    public var attempts: Int
    /// Why the last attempt failed ("" when none did).
    public var lastError: String
    /// The template's variables as planned (``PlannedNotice/values``).
    public var values: [String: String]
    /// When the last attempt began (ISO 8601, UTC; "" before any): where a gateway that does not
    /// dedup by client reference is asked whether that attempt reached it.
    public var attemptedAt: String
    /// The notice's client reference, given at planning and the same on every attempt.
    public var clientRef: String

    public init(id: Int64, payerID: Int64, idNumber: IDNumber, name: String, kind: NoticeKind, subject: String, phone: String, text: String, state: NoticeState,
                plannedAt: String, sentAt: String = "", gatewayID: String = "", attempts: Int = 0, lastError: String = "", values: [String: String] = [:], attemptedAt: String = "",
                clientRef: String = "") {
        (self.id, self.payerID, self.idNumber, self.name, self.kind, self.subject, self.phone, self.text) = (id, payerID, idNumber, name, kind, subject, phone, text)
        (self.state, self.plannedAt, self.sentAt, self.gatewayID, self.attempts, self.lastError) = (state, plannedAt, sentAt, gatewayID, attempts, lastError)
        (self.values, self.attemptedAt, self.clientRef) = (values, attemptedAt, clientRef)
    }
}

/// Which notices to list.
public struct NoticeFilter: Sendable, Hashable {
    public var kind: NoticeKind?
    public var subject: String?
    public var state: NoticeState?
    public var idNumber: IDNumber?

    public init(kind: NoticeKind? = nil, subject: String? = nil, state: NoticeState? = nil, idNumber: IDNumber? = nil) {
        (self.kind, self.subject, self.state, self.idNumber) = (kind, subject, state, idNumber)
    }
}

/// What planning notices did.
public struct NoticePlanning: Sendable, Hashable {
    /// New notices in the outbox.
    public var planned = 0
    /// Notices of the same payer, kind and subject already there (planning again adds nothing).
    public var already = 0
    /// Left out: the payer opted out of the kind.
    public var optedOut = 0
    /// Left out: the store has no such payer.
    public var unknown = 0

    public init(planned: Int = 0, already: Int = 0, optedOut: Int = 0, unknown: Int = 0) {
        (self.planned, self.already, self.optedOut, self.unknown) = (planned, already, optedOut, unknown)
    }
}

/// A payer's debit that succeeded in a month's files (a cycle's or a resubmission's), for the
/// 扣款成功 notice: the latest success's bank and account tail, the month's debited total.
public struct DebitSuccess: Sendable, Hashable {
    public var idNumber: IDNumber
    public var name: String
    public var phone: String
    public var bank: String
    /// The account's last four digits: all a notice may show of it.
    public var accountTail: String
    public var amount: Money

    public init(idNumber: IDNumber, name: String, phone: String, bank: String, accountTail: String, amount: Money) {
        (self.idNumber, self.name, self.phone, self.bank, self.accountTail, self.amount) = (idNumber, name, phone, bank, accountTail, amount)
    }
}

/// How many notices of a kind and subject stand in a state: a line of the console's 通知 page.
public struct NoticeCount: Sendable, Hashable {
    public var kind: NoticeKind
    public var subject: String
    public var state: NoticeState
    public var count: Int

    public init(kind: NoticeKind, subject: String, state: NoticeState, count: Int) {
        (self.kind, self.subject, self.state, self.count) = (kind, subject, state, count)
    }
}
