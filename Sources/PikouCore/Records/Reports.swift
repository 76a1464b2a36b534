// What operators and finance staff read: file status, failures, reports, lists.

/// Totals of one debit file for status and reports.
public struct FileStatus: Sendable, Hashable {
    public var bank: String
    public var fileName: String
    public var period: Period
    public var state: FileState
    /// Its lines submitted, succeeded, failed and pending (counts and fen), and its exceptions.
    public var totals: Totals

    public init(bank: String, fileName: String, period: Period, state: FileState, totals: Totals) {
        self.bank = bank
        self.fileName = fileName
        self.period = period
        self.state = state
        self.totals = totals
    }

    /// The counts and amounts of one file, or of several added up.
    public struct Totals: Sendable, Hashable {
        public var submitted = 0
        public var submittedFen: Int64 = 0
        public var succeeded = 0
        public var succeededFen: Int64 = 0
        public var failed = 0
        public var failedFen: Int64 = 0
        public var pending = 0
        public var pendingFen: Int64 = 0
        public var exceptions = 0
        public init() {}

        /// Adds another file's totals, every amount checked.
        ///
        /// - Throws: ``Money/OverflowError`` if an amount's sum leaves 64-bit fen; nothing is added then.
        public mutating func add(_ other: Totals) throws(Money.OverflowError) {
            let sums = (
                try Money(fen: submittedFen).adding(Money(fen: other.submittedFen)), try Money(fen: succeededFen).adding(Money(fen: other.succeededFen)),
                try Money(fen: failedFen).adding(Money(fen: other.failedFen)), try Money(fen: pendingFen).adding(Money(fen: other.pendingFen)))
            submitted += other.submitted
            succeeded += other.succeeded
            failed += other.failed
            pending += other.pending
            exceptions += other.exceptions
            (submittedFen, succeededFen, failedFen, pendingFen) = (sums.0.fen, sums.1.fen, sums.2.fen, sums.3.fen)
        }
    }
}

/// A failed debit whose dues no later debit covers: what operators chase.
public struct FailureRecord: Sendable, Hashable {
    public var debitID: Int64
    public var period: Period
    public var bank: String
    public var fileName: String
    /// The day the bank was asked to debit.
    public var attemptDate: CivilDate
    public var payerID: Int64
    public var idNumber: IDNumber
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    /// The account the debit went to.
    public var account: BankAccount
    public var amount: Money
    public var outcome: Outcome
    public var bankCode: String
    public var bankText: String
    /// Debits so far for the most-tried of its dues.
    public var attempts: Int
    /// The agreement version the debit was made under.
    public var agreementVersionAtDebit: Int64
    /// The payer's agreement at that bank, as it stands now.
    public var agreement: AgreementSnapshot
    public var suspended: Bool
    /// The debit's dues, with whether each has since been paid elsewhere.
    public var dues: [FailedDue]
    /// The scheme of the file it was in: a residents' failure is debited again by the next round, never resubmitted.
    public var scheme: Scheme = .flexibleMonthly

    public init(debitID: Int64, period: Period, bank: String, fileName: String, attemptDate: CivilDate, payerID: Int64, idNumber: IDNumber, name: String, phone: String, district: String, street: String, community: String, account: BankAccount, amount: Money, outcome: Outcome, bankCode: String, bankText: String, attempts: Int, agreementVersionAtDebit: Int64, agreement: AgreementSnapshot, suspended: Bool, dues: [FailedDue]) {
        self.debitID = debitID
        self.period = period
        self.bank = bank
        self.fileName = fileName
        self.attemptDate = attemptDate
        self.payerID = payerID
        self.idNumber = idNumber
        self.name = name
        self.phone = phone
        self.district = district
        self.street = street
        self.community = community
        self.account = account
        self.amount = amount
        self.outcome = outcome
        self.bankCode = bankCode
        self.bankText = bankText
        self.attempts = attempts
        self.agreementVersionAtDebit = agreementVersionAtDebit
        self.agreement = agreement
        self.suspended = suspended
        self.dues = dues
    }
}

/// One due of a failed debit.
public struct FailedDue: Sendable, Hashable {
    public var dueID: Int64
    public var period: Period
    public var amount: Money
    public var paidElsewhere: Bool

    public init(dueID: Int64, period: Period, amount: Money, paidElsewhere: Bool) {
        self.dueID = dueID
        self.period = period
        self.amount = amount
        self.paidElsewhere = paidElsewhere
    }
}

/// What to look for in failures.
public struct FailureFilter: Sendable, Hashable {
    public var period: Period?
    public var bank: String?
    public var outcome: Outcome?
    public var district: String?
    /// A street (of `district`, when given) and a community (of `street`), as the roster names them.
    public var street: String?
    public var community: String?
    public var idNumber: IDNumber?
    /// Only these debits (a page of ``ReconStore/failureIDs(_:)``'s answer); nil: every debit.
    public var debitIDs: [Int64]?
    /// Only debits of this scheme's files (the residents' rounds, or the monthly cycle and its
    /// resubmissions); nil: both.
    public var scheme: Scheme?
    public init(period: Period? = nil, bank: String? = nil, outcome: Outcome? = nil, district: String? = nil, street: String? = nil,
                community: String? = nil, idNumber: IDNumber? = nil, debitIDs: [Int64]? = nil, scheme: Scheme? = nil) {
        self.scheme = scheme
        self.period = period
        self.bank = bank
        self.outcome = outcome
        self.district = district
        self.street = street
        self.community = community
        self.idNumber = idNumber
        self.debitIDs = debitIDs
    }
}

/// How a report groups.
public enum ReportGrouping: String, Sendable, Hashable, CaseIterable {
    case bank, file, district, street, community, outcome
}

/// One group of a reconciliation report.
public struct ReportRow: Sendable, Hashable {
    public var group: String
    /// Payers with dues in the period, and those dues' total.
    public var payersOwing = 0
    public var owingFen: Int64 = 0
    /// Payers whose every due of the period is paid (by debit or elsewhere), and what was collected.
    public var payersPaid = 0
    public var paidFen: Int64 = 0
    public var lines = 0
    public var linesFen: Int64 = 0
    public var succeeded = 0
    public var succeededFen: Int64 = 0
    public var failed = 0
    public var failedFen: Int64 = 0
    public var pending = 0
    public var pendingFen: Int64 = 0
    public init(group: String) { self.group = group }

    /// Adds another group's counts and amounts, every amount checked.
    ///
    /// - Throws: ``Money/OverflowError`` if an amount's sum leaves 64-bit fen; nothing is added then.
    public mutating func add(_ other: ReportRow) throws(Money.OverflowError) {
        func sum(_ a: Int64, _ b: Int64) throws(Money.OverflowError) -> Int64 { try Money(fen: a).adding(Money(fen: b)).fen }
        let fen = (try sum(owingFen, other.owingFen), try sum(paidFen, other.paidFen), try sum(linesFen, other.linesFen),
                   try sum(succeededFen, other.succeededFen), try sum(failedFen, other.failedFen), try sum(pendingFen, other.pendingFen))
        (owingFen, paidFen, linesFen, succeededFen, failedFen, pendingFen) = fen
        payersOwing += other.payersOwing
        payersPaid += other.payersPaid
        lines += other.lines
        succeeded += other.succeeded
        failed += other.failed
        pending += other.pending
    }
}

/// A return file's totals: what its trailer declares and what the store holds of its lines.
public struct ReturnTotals: Sendable, Hashable {
    public var bank: String
    public var name: String
    public var debitFile: String
    public var declaredCount: Int?
    public var declaredFen: Int64?
    public var storedCount: Int
    public var storedFen: Int64
    /// Of the stored lines, those posted as succeeded and as failed.
    public var succeededFen: Int64
    public var failedFen: Int64

    public init(bank: String, name: String, debitFile: String, declaredCount: Int?, declaredFen: Int64?, storedCount: Int, storedFen: Int64, succeededFen: Int64, failedFen: Int64) {
        self.bank = bank
        self.name = name
        self.debitFile = debitFile
        self.declaredCount = declaredCount
        self.declaredFen = declaredFen
        self.storedCount = storedCount
        self.storedFen = storedFen
        self.succeededFen = succeededFen
        self.failedFen = failedFen
    }
}

/// An exception for review: a work item an operator resolves (or reopens) with a note.
public struct ExceptionRecord: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var returnFile: String
    public var line: Int
    public var kind: ExceptionKind
    /// What was found, in both languages.
    public var detail: Message
    public var resolved: Bool
    /// The latest resolve or reopen: its note, who and when (nil while nobody has acted on it).
    public var lastAction: ExceptionAction?
    /// Whose debit the line answers (nil: the line matched no debit).
    public var debit: ExceptionDebit?

    public init(id: Int64 = 0, bank: String, returnFile: String, line: Int, kind: ExceptionKind, detail: String, resolved: Bool, lastAction: ExceptionAction? = nil,
                debit: ExceptionDebit? = nil) {
        self.debit = debit
        self.id = id
        self.bank = bank
        self.returnFile = returnFile
        self.line = line
        self.kind = kind
        self.detail = Message(stored: detail)
        self.resolved = resolved
        self.lastAction = lastAction
    }
}

/// The debit an exception's line answers: whose, how much, in which file, and whether any result
/// closed it yet (an operator may confirm one with the bank only while none has).
public struct ExceptionDebit: Sendable, Hashable {
    public var idNumber: IDNumber
    public var name: String
    public var amount: Money
    public var debitFile: String
    public var pending: Bool
    /// The result an operator confirmed with the bank, when one closed the debit.
    public var confirmed: (outcome: Outcome, reason: String)? {
        get { confirmedOutcome.map { ($0, confirmedReason) } }
        set { (confirmedOutcome, confirmedReason) = (newValue?.outcome, newValue?.reason ?? "") }
    }
    var confirmedOutcome: Outcome?
    var confirmedReason = ""

    public init(idNumber: IDNumber, name: String, amount: Money, debitFile: String, pending: Bool = false, confirmed: (outcome: Outcome, reason: String)? = nil) {
        (self.idNumber, self.name, self.amount, self.debitFile, self.pending) = (idNumber, name, amount, debitFile, pending)
        self.confirmed = confirmed
    }
}

/// A debit file's debits closed by operators' confirmations (``ReconStore/confirmException(id:outcome:reason:actor:)``),
/// by result: shown apart from what the banks answered.
public struct ConfirmedTotals: Sendable, Hashable {
    public var bank: String
    public var debitFile: String
    public var succeeded = 0
    public var succeededFen: Int64 = 0
    public var failed = 0
    public var failedFen: Int64 = 0

    public init(bank: String, debitFile: String, succeeded: Int = 0, succeededFen: Int64 = 0, failed: Int = 0, failedFen: Int64 = 0) {
        (self.bank, self.debitFile, self.succeeded, self.succeededFen, self.failed, self.failedFen) = (bank, debitFile, succeeded, succeededFen, failed, failedFen)
    }
}

/// An operator's resolve or reopen of an exception, as journaled.
public struct ExceptionAction: Sendable, Hashable {
    public var resolves: Bool
    public var note: String
    public var actor: String
    /// ISO 8601, UTC.
    public var at: String

    public init(resolves: Bool, note: String, actor: String, at: String) {
        self.resolves = resolves
        self.note = note
        self.actor = actor
        self.at = at
    }
}

/// A payer on the public notice list, or a refund, or a reminder.
public struct PayerLine: Sendable, Hashable {
    public var idNumber: IDNumber
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    public var amount: Money
    public var detail: String

    public init(idNumber: IDNumber, name: String, phone: String, district: String, street: String, community: String, amount: Money, detail: String) {
        self.idNumber = idNumber
        self.name = name
        self.phone = phone
        self.district = district
        self.street = street
        self.community = community
        self.amount = amount
        self.detail = detail
    }
}

/// Everything about one payer, for the phone enquiry "was I debited this month?" (`pikou payer show`).
public struct PayerHistory: Sendable, Hashable {
    public struct Enrollment: Sendable, Hashable {
        public var insurance: Insurance
        public var tier: String
        public var bank: String
        public var start: Period
        public var end: Period?
        public var suspended: Bool
        public init(insurance: Insurance, tier: String, bank: String, start: Period, end: Period?, suspended: Bool) {
            (self.insurance, self.tier, self.bank, self.start, self.end, self.suspended) = (insurance, tier, bank, start, end, suspended)
        }
    }

    public struct Due: Sendable, Hashable {
        public var period: Period
        public var insurance: Insurance
        public var amount: Money
        public var state: DueState
        /// A residents' yearly due: `period` is the cover year and the due's number (2027-01: the
        /// year's due; 2027-02: a difference after a tier change), shown as the year (``Catalogue/duePeriod(_:annual:)``).
        public var annual = false
        public init(period: Period, insurance: Insurance, amount: Money, state: DueState, annual: Bool = false) {
            (self.period, self.insurance, self.amount, self.state, self.annual) = (period, insurance, amount, state, annual)
        }
    }

    /// One debit of the payer's, with its file and the bank's answer (nil outcome: still pending).
    public struct Debit: Sendable, Hashable {
        public var bank: String
        public var fileName: String
        public var written: Bool
        public var collectionDate: CivilDate
        public var period: Period
        public var amount: Money
        public var memo: String
        public var outcome: Outcome?
        public var bankCode: String
        public var bankText: String
        public var returnFile: String
        /// A debit of a residents' round: `period` is the cover year and due number, as for ``Due/annual``.
        public var annual = false
        public init(bank: String, fileName: String, written: Bool, collectionDate: CivilDate, period: Period, amount: Money, memo: String,
                    outcome: Outcome?, bankCode: String, bankText: String, returnFile: String, annual: Bool = false) {
            self.annual = annual
            (self.bank, self.fileName, self.written, self.collectionDate, self.period, self.amount, self.memo) =
                (bank, fileName, written, collectionDate, period, amount, memo)
            (self.outcome, self.bankCode, self.bankText, self.returnFile) = (outcome, bankCode, bankText, returnFile)
        }
    }

    public struct Payment: Sendable, Hashable {
        public var period: Period
        public var insurance: Insurance
        public var amount: Money
        public var channel: String
        public var reference: String
        public init(period: Period, insurance: Insurance, amount: Money, channel: String, reference: String) {
            (self.period, self.insurance, self.amount, self.channel, self.reference) = (period, insurance, amount, channel, reference)
        }
    }

    public struct JournalLine: Sendable, Hashable {
        public var at: String
        public var actor: String
        public var action: String
        public var detail: String
        public init(at: String, actor: String, action: String, detail: String) {
            (self.at, self.actor, self.action, self.detail) = (at, actor, action, detail)
        }
    }

    public var idNumber: IDNumber
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    public var agreements: [AgreementSnapshot]
    public var enrollments: [Enrollment]
    /// By period, then insurance.
    public var dues: [Due]
    /// In the order they were made.
    public var debits: [Debit]
    public var payments: [Payment]
    /// Journal entries whose subject is this payer's masked ID (the journal never holds a whole ID,
    /// so another payer with the same masked form would show here too).
    public var journal: [JournalLine]

    public init(idNumber: IDNumber, name: String, phone: String, district: String, street: String, community: String,
                agreements: [AgreementSnapshot], enrollments: [Enrollment], dues: [Due], debits: [Debit], payments: [Payment],
                journal: [JournalLine]) {
        (self.idNumber, self.name, self.phone, self.district, self.street, self.community) = (idNumber, name, phone, district, street, community)
        (self.agreements, self.enrollments, self.dues, self.debits, self.payments, self.journal) =
            (agreements, enrollments, dues, debits, payments, journal)
    }
}

/// Debits of one period and bank counted by result (趋势): whether they were resubmissions, their
/// state (`succeeded`, `failed`, `pending`, `cancelled`) and a failure's outcome.
public struct DebitCount: Sendable, Hashable {
    public var period: Period
    public var bank: String
    public var resubmission: Bool
    public var status: String
    public var outcome: Outcome?
    public var count: Int

    public init(period: Period, bank: String, resubmission: Bool, status: String, outcome: Outcome?, count: Int) {
        (self.period, self.bank, self.resubmission, self.status, self.outcome, self.count) = (period, bank, resubmission, status, outcome, count)
    }
}
