public import PikouCore

/// One row of the roster: a payer, their agreement with a bank, and one enrollment.
public struct RosterRecord: Sendable, Hashable {
    /// The CSV line, for messages.
    public var line: Int
    public var idNumber: String
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    /// `pension` or `medical`.
    public var insurance: String
    public var tier: String
    public var startPeriod: Period
    public var endPeriod: Period?
    public var suspended: Bool
    public var bank: String
    public var account: String
    public var accountName: String
    public var agreementNo: String
    public var agreementActive: Bool

    public init(
        line: Int, idNumber: String, name: String, phone: String, district: String, street: String, community: String,
        insurance: String, tier: String, startPeriod: Period, endPeriod: Period?, suspended: Bool, bank: String,
        account: String, accountName: String, agreementNo: String, agreementActive: Bool
    ) {
        self.line = line
        self.idNumber = idNumber
        self.name = name
        self.phone = phone
        self.district = district
        self.street = street
        self.community = community
        self.insurance = insurance
        self.tier = tier
        self.startPeriod = startPeriod
        self.endPeriod = endPeriod
        self.suspended = suspended
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.agreementNo = agreementNo
        self.agreementActive = agreementActive
    }
}

/// What a roster import changed.
public struct RosterImportCounts: Sendable, Hashable {
    public var payersInserted = 0
    public var payersUpdated = 0
    public var agreementsInserted = 0
    public var agreementsUpdated = 0
    public var enrollmentsInserted = 0
    public var enrollmentsUpdated = 0
    public var unchanged = 0
    public init() {}

    /// Whether anything changed.
    public var changedAnything: Bool {
        payersInserted + payersUpdated + agreementsInserted + agreementsUpdated + enrollmentsInserted + enrollmentsUpdated > 0
    }
}

/// A contribution already paid through another channel (app, counter, e-tax).
public struct PaymentRecord: Sendable, Hashable {
    public var line: Int
    public var idNumber: String
    public var insurance: String
    public var period: Period
    public var amount: Money
    public var channel: String
    public var reference: String

    public init(line: Int, idNumber: String, insurance: String, period: Period, amount: Money, channel: String, reference: String) {
        self.line = line
        self.idNumber = idNumber
        self.insurance = insurance
        self.period = period
        self.amount = amount
        self.channel = channel
        self.reference = reference
    }
}

/// What a payments import did.
public struct PaymentImportCounts: Sendable, Hashable {
    public var inserted = 0
    public var alreadyKnown = 0
    /// Lines whose payer is not in the roster (line numbers).
    public var unknownPayers: [Int] = []
    public init() {}
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
    public var idNumber: String
    public var name: String
    public var insurance: String
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
}

/// A payer's agreement with one bank, as it stands.
public struct AgreementSnapshot: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var account: String
    public var accountName: String
    public var agreementNo: String
    public var active: Bool
    /// Increases whenever the account, name, bank or status changes.
    public var version: Int64

    public init(id: Int64, bank: String, account: String, accountName: String, agreementNo: String, active: Bool, version: Int64) {
        self.id = id
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.agreementNo = agreementNo
        self.active = active
        self.version = version
    }
}

/// One debit to reserve in a file.
///
/// It names the agreement and the version it was composed (and pre-flight checked) against; the
/// store copies the payer's ID number and the agreement's account, account name and agreement
/// number into the debit when it reserves it, and refuses if the agreement changed in between. A
/// city's cycle holds millions of these at once: no strings but the (usually empty) memo.
public struct PlannedDebit: Sendable, Hashable {
    public var payerID: Int64
    public var agreementID: Int64
    public var agreementVersion: Int64
    public var amount: Money
    /// The latest period covered, `YYYYMM`.
    public var period: Period
    public var dueIDs: DueIDs
    public var memo: String

    public init(payerID: Int64, agreementID: Int64, agreementVersion: Int64, amount: Money, period: Period, dueIDs: DueIDs, memo: String = "") {
        self.payerID = payerID
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.amount = amount
        self.period = period
        self.dueIDs = dueIDs
        self.memo = memo
    }
}

/// One file to reserve: its debits get sequence numbers 1, 2, 3, ... in order.
/// A debit's due ids: up to two inline (a payer's pension and medical of one month, the usual
/// debit), more in an array. Millions of debits wait in memory between composing and reserving;
/// an array each would cost a heap block apiece.
public struct DueIDs: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private enum Storage: Sendable, Hashable {
        case inline(Int64, Int64, count: UInt8)
        case array([Int64])
    }
    private let storage: Storage

    public init(_ ids: some Collection<Int64>) {
        switch ids.count {
        case 0: storage = .inline(0, 0, count: 0)
        case 1: storage = .inline(ids[ids.startIndex], 0, count: 1)
        case 2: storage = .inline(ids[ids.startIndex], ids[ids.index(after: ids.startIndex)], count: 2)
        default: storage = .array(Array(ids))
        }
    }

    public init(arrayLiteral ids: Int64...) { self.init(ids) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .inline(_, _, let count): Int(count)
        case .array(let ids): ids.count
        }
    }

    public subscript(position: Int) -> Int64 {
        switch storage {
        case .inline(let first, let second, let count):
            precondition(position >= 0 && position < Int(count), "due id index out of range")
            return position == 0 ? first : second
        case .array(let ids):
            return ids[position]
        }
    }
}

public struct PlannedFile: Sendable, Hashable {
    public var bank: String
    public var batchNo: Int
    public var fileDate: CivilDate
    public var collectionDate: CivilDate
    public var collector: String
    public var collectorAccount: String
    public var name: String
    /// The name the bank's return file for this file will have.
    public var returnName: String
    public var debits: [PlannedDebit]

    public init(
        bank: String, batchNo: Int, fileDate: CivilDate, collectionDate: CivilDate, collector: String, collectorAccount: String,
        name: String, returnName: String, debits: [PlannedDebit]
    ) {
        self.bank = bank
        self.batchNo = batchNo
        self.fileDate = fileDate
        self.collectionDate = collectionDate
        self.collector = collector
        self.collectorAccount = collectorAccount
        self.name = name
        self.returnName = returnName
        self.debits = debits
    }

    /// The checked total.
    public var total: Money { (try? debits.map(\.amount).checkedSum()) ?? Money(fen: .max) }
}

/// A batch of files produced by one run (a cycle or a resubmission).
public struct BatchPlan: Sendable, Hashable {
    public var period: Period
    /// `cycle` or `resubmit`.
    public var kind: String
    public var actor: String
    public var files: [PlannedFile]
    public init(period: Period, kind: String, actor: String, files: [PlannedFile]) {
        self.period = period
        self.kind = kind
        self.actor = actor
        self.files = files
    }
}

/// A reserved file whose bytes still have to be written (or re-written after a crash).
public struct FileToWrite: Sendable, Hashable {
    public var fileID: Int64
    public var bank: String
    public var name: String
    public var batchNo: Int
    public var fileDate: CivilDate
    public var collectionDate: CivilDate
    public var collector: String
    public var collectorAccount: String
    public var lines: [FileLine]
}

/// One line of a reserved file.
public struct FileLine: Sendable, Hashable {
    public var sequence: Int
    public var idNumber: String
    public var name: String
    public var account: String
    public var agreementNo: String
    public var amount: Money
    public var period: Period
    public var memo: String
}

/// A stored debit file, as return ingest finds it.
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var name: String
    public var returnName: String
    public var status: String
    public var count: Int
    public var total: Money
    /// SM3 of the written file, hex (nil until written).
    public var digest: String?
}

/// One parsed line of a return file, as ingest posts it.
public struct ReturnLineInput: Sendable, Hashable {
    public var lineNumber: Int
    public var sequence: Int
    /// Empty when the bank's return layout has no account.
    public var account: String
    public var amount: Money
    public var outcome: Outcome
    public var bankCode: String
    public var bankText: String
    public var bankSerial: String

    public init(lineNumber: Int, sequence: Int, account: String, amount: Money, outcome: Outcome, bankCode: String, bankText: String, bankSerial: String) {
        self.lineNumber = lineNumber
        self.sequence = sequence
        self.account = account
        self.amount = amount
        self.outcome = outcome
        self.bankCode = bankCode
        self.bankText = bankText
        self.bankSerial = bankSerial
    }
}

/// A verified, parsed return file ready to post.
public struct ReturnFileInput: Sendable, Hashable {
    public var bank: String
    public var name: String
    /// SM3 of the file's bytes, hex.
    public var digest: String
    public var debitFileID: Int64
    public var declaredCount: Int?
    public var declaredTotal: Money?
    public var lines: [ReturnLineInput]
    public var actor: String

    public init(bank: String, name: String, digest: String, debitFileID: Int64, declaredCount: Int?, declaredTotal: Money?, lines: [ReturnLineInput], actor: String) {
        self.bank = bank
        self.name = name
        self.digest = digest
        self.debitFileID = debitFileID
        self.declaredCount = declaredCount
        self.declaredTotal = declaredTotal
        self.lines = lines
        self.actor = actor
    }
}

/// Why a return line was not simply posted.
public enum ExceptionKind: String, Sendable, Hashable, CaseIterable {
    /// No debit in the file has the line's sequence.
    case unmatched
    /// The amount differs from the debit's.
    case amountMismatch
    /// The account differs from the debit's.
    case accountMismatch
    /// The same debit appears twice in the return file.
    case duplicateLine
    /// The debit already has a different result.
    case conflictingResult
    /// The bank's code is not in its spec's table.
    case unknownCode
}

/// What posting one return file did.
public struct PostingSummary: Sendable, Hashable {
    public var returnFileID: Int64
    public var posted = 0
    public var succeeded = 0
    public var succeededFen: Int64 = 0
    public var failed = 0
    public var failedFen: Int64 = 0
    public var alreadyPosted = 0
    public var exceptions: [ExceptionKind: Int] = [:]
    public init(returnFileID: Int64) { self.returnFileID = returnFileID }
}

/// The result of ingesting a return file.
public enum IngestResult: Sendable, Hashable {
    /// The same bytes were ingested before; nothing changed.
    case alreadyIngested(returnFileID: Int64, at: String)
    case posted(PostingSummary)
}

/// Totals of one debit file for status and reports.
public struct FileStatus: Sendable, Hashable {
    public var bank: String
    public var fileName: String
    public var period: String
    public var fileStatus: String
    public var submitted: Int
    public var submittedFen: Int64
    public var succeeded: Int
    public var succeededFen: Int64
    public var failed: Int
    public var failedFen: Int64
    public var pending: Int
    public var pendingFen: Int64
    public var exceptions: Int

    public init(
        bank: String, fileName: String, period: String, fileStatus: String, submitted: Int, submittedFen: Int64, succeeded: Int,
        succeededFen: Int64, failed: Int, failedFen: Int64, pending: Int, pendingFen: Int64, exceptions: Int
    ) {
        self.bank = bank
        self.fileName = fileName
        self.period = period
        self.fileStatus = fileStatus
        self.submitted = submitted
        self.submittedFen = submittedFen
        self.succeeded = succeeded
        self.succeededFen = succeededFen
        self.failed = failed
        self.failedFen = failedFen
        self.pending = pending
        self.pendingFen = pendingFen
        self.exceptions = exceptions
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
    public var idNumber: String
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    public var account: String
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

    public init(debitID: Int64, period: Period, bank: String, fileName: String, attemptDate: CivilDate, payerID: Int64, idNumber: String, name: String, phone: String, district: String, street: String, community: String, account: String, amount: Money, outcome: Outcome, bankCode: String, bankText: String, attempts: Int, agreementVersionAtDebit: Int64, agreement: AgreementSnapshot, suspended: Bool, dues: [FailedDue]) {
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
    public var idNumber: String?
    public init(period: Period? = nil, bank: String? = nil, outcome: Outcome? = nil, district: String? = nil, idNumber: String? = nil) {
        self.period = period
        self.bank = bank
        self.outcome = outcome
        self.district = district
        self.idNumber = idNumber
    }
}

/// A correction of a payer's agreement.
public struct AgreementChange: Sendable, Hashable {
    public var idNumber: String
    /// The bank whose agreement changes (default: the payer's only active agreement).
    public var bank: String?
    public var account: String?
    public var accountName: String?
    /// Move the payer's enrollments and agreement to this bank.
    public var newBank: String?
    public var revoke: Bool
    public init(idNumber: String, bank: String? = nil, account: String? = nil, accountName: String? = nil, newBank: String? = nil, revoke: Bool = false) {
        self.idNumber = idNumber
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.newBank = newBank
        self.revoke = revoke
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
}

/// An exception for review.
public struct ExceptionRecord: Sendable, Hashable {
    public var bank: String
    public var returnFile: String
    public var line: Int
    public var kind: String
    public var detail: String
    public var resolved: Bool
}

/// A payer on the public notice list, or a refund, or a reminder.
public struct PayerLine: Sendable, Hashable {
    public var idNumber: String
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    public var amount: Money
    public var detail: String
}
