// Dues, and the agreements they are debited under.

/// What planning a period's dues did.
public struct DuePlanning: Sendable, Hashable {
    /// Dues new in the store (planning again adds none).
    public var inserted: Int
    /// Per bank, enrollments covering the period that are suspended (停保).
    public var suspendedByBank: [String: Int]

    public init(inserted: Int, suspendedByBank: [String: Int]) {
        self.inserted = inserted
        self.suspendedByBank = suspendedByBank
    }
}

/// Where a due stands.
public enum DueState: String, Sendable, Hashable {
    /// Owed and not covered by any open debit.
    case open
    /// Paid through another channel.
    case paidElsewhere
    /// Covered by a debit awaiting the bank's result.
    case pending
    /// Collected by a debit.
    case paid
}

/// A due with its payer's current agreement: what composing debits works from.
public struct DueCandidate: Sendable, Hashable {
    public var dueID: Int64
    public var payerID: Int64
    public var idNumber: IDNumber
    public var name: String
    public var insurance: Insurance
    public var period: Period
    public var amount: Money
    public var state: DueState
    /// The enrollment is suspended (停保).
    public var suspended: Bool
    /// The payer's current agreement (nil when the payer has none).
    public var agreement: AgreementSnapshot?
    /// The most recent failure of a debit under this agreement, if it came after the last success.
    public var lastFailure: Outcome?
    /// The agreement version that failure happened under.
    public var lastFailureAgreementVersion: Int64?
    /// The latest period whose monthly cycle already put this due in a file (retries are resubmissions).
    public var lastCyclePeriod: Period?

    public init(dueID: Int64, payerID: Int64, idNumber: IDNumber, name: String, insurance: Insurance, period: Period, amount: Money, state: DueState, suspended: Bool, agreement: AgreementSnapshot?, lastFailure: Outcome?, lastFailureAgreementVersion: Int64?, lastCyclePeriod: Period?) {
        self.dueID = dueID
        self.payerID = payerID
        self.idNumber = idNumber
        self.name = name
        self.insurance = insurance
        self.period = period
        self.amount = amount
        self.state = state
        self.suspended = suspended
        self.agreement = agreement
        self.lastFailure = lastFailure
        self.lastFailureAgreementVersion = lastFailureAgreementVersion
        self.lastCyclePeriod = lastCyclePeriod
    }
}

/// A payer's agreement with one bank, as it stands.
public struct AgreementSnapshot: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var account: BankAccount
    public var accountName: String
    public var agreementNo: String
    public var active: Bool
    /// Increases whenever the account, name, bank or status changes.
    public var version: Int64

    public init(id: Int64, bank: String, account: BankAccount, accountName: String, agreementNo: String, active: Bool, version: Int64) {
        self.id = id
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.agreementNo = agreementNo
        self.active = active
        self.version = version
    }
}

/// A payer's agreements with every bank, as they stand.
public struct PayerAgreements: Sendable, Hashable {
    public var payerID: Int64
    public var idNumber: IDNumber
    /// Active ones first.
    public var agreements: [AgreementSnapshot]

    public init(payerID: Int64, idNumber: IDNumber, agreements: [AgreementSnapshot]) {
        self.payerID = payerID
        self.idNumber = idNumber
        self.agreements = agreements
    }
}

/// A correction of a payer's agreement.
public struct AgreementChange: Sendable, Hashable {
    public var idNumber: IDNumber
    /// The bank whose agreement changes (default: the payer's only active agreement).
    public var bank: String?
    public var account: BankAccount?
    public var accountName: String?
    /// Move the payer's enrollments and agreement to this bank.
    public var newBank: String?
    public var revoke: Bool
    /// Why (a revocation's reason, journaled with it).
    public var reason: String?
    public init(idNumber: IDNumber, bank: String? = nil, account: BankAccount? = nil, accountName: String? = nil, newBank: String? = nil, revoke: Bool = false,
                reason: String? = nil) {
        self.reason = reason
        self.idNumber = idNumber
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.newBank = newBank
        self.revoke = revoke
    }
}

/// An agreement change as `AgreementRules` decided it, for the store to apply. Every agreement it
/// names carries the version the decision was made on; the store refuses if it moved since.
public struct AgreementWrite: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// New account and name on the same agreement (reactivated if it was revoked).
        case update(agreementID: Int64, version: Int64, account: BankAccount, accountName: String)
        /// No more debits under this agreement.
        case revoke(agreementID: Int64, version: Int64)
        /// Revoke `from`, make the agreement at `toBank` active (updating `existing`, or creating one),
        /// and move the payer's enrollments at `from`'s bank to `toBank`.
        case move(fromAgreementID: Int64, fromVersion: Int64, fromBank: String, toBank: String,
                  existing: AgreementSnapshot?, account: BankAccount, accountName: String, agreementNo: String)
    }

    public var payerID: Int64
    public var action: Action
    /// The journal entry that records it (already masked).
    public var journalAction: String
    public var journalSubject: String
    public var journalDetail: String

    public init(payerID: Int64, action: Action, journalAction: String, journalSubject: String, journalDetail: String) {
        self.payerID = payerID
        self.action = action
        self.journalAction = journalAction
        self.journalSubject = journalSubject
        self.journalDetail = journalDetail
    }
}
