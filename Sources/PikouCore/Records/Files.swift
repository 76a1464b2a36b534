// Debit files: composed, reserved, written.

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

/// One file to reserve: its debits get sequence numbers 1, 2, 3, ... in order; its batch number
/// and names are given by the store when it reserves it (see ``FileNaming``).
public struct PlannedFile: Sendable {
    public var bank: String
    public var fileDate: CivilDate
    public var collectionDate: CivilDate
    public var collector: String
    public var collectorAccount: String
    public var naming: FileNaming
    public var debits: [PlannedDebit]

    public init(
        bank: String, fileDate: CivilDate, collectionDate: CivilDate, collector: String, collectorAccount: String,
        naming: FileNaming, debits: [PlannedDebit]
    ) {
        self.bank = bank
        self.fileDate = fileDate
        self.collectionDate = collectionDate
        self.collector = collector
        self.collectorAccount = collectorAccount
        self.naming = naming
        self.debits = debits
    }

    /// The checked total.
    public var total: Money { (try? debits.map(\.amount).checkedSum()) ?? Money(fen: .max) }
}

/// How a file is named from the batch number the store allocates for it when reserving: the debit
/// file's name and the name its return file will have, from the bank's file-name patterns.
public struct FileNaming: Sendable {
    /// The largest batch number the pattern can write (`{batch:2}`: 99), nil when unbounded.
    public let maxBatchNo: Int?
    private let names: @Sendable (Int) -> (file: String, returnFile: String)

    public init(maxBatchNo: Int?, names: @escaping @Sendable (Int) -> (file: String, returnFile: String)) {
        self.maxBatchNo = maxBatchNo
        self.names = names
    }

    /// Fixed names, whatever the batch number (tests, and banks whose names carry no number).
    public static func fixed(_ file: String, returnFile: String) -> FileNaming {
        FileNaming(maxBatchNo: nil) { _ in (file, returnFile) }
    }

    /// The names of batch `batchNo`.
    public func callAsFunction(_ batchNo: Int) -> (file: String, returnFile: String) { names(batchNo) }
}

/// A file as the store reserved it.
public struct ReservedFile: Sendable, Hashable {
    public var id: Int64
    /// The batch it joined (a run reserving in parts names it in its next ``BatchPlan``).
    public var batchID: Int64
    public var bank: String
    public var batchNo: Int
    public var name: String
    public var returnName: String

    public init(id: Int64, batchID: Int64, bank: String, batchNo: Int, name: String, returnName: String) {
        self.id = id
        self.batchID = batchID
        self.bank = bank
        self.batchNo = batchNo
        self.name = name
        self.returnName = returnName
    }
}

/// What produced a batch of files.
public enum BatchKind: String, Sendable, Hashable, CaseIterable {
    /// The monthly cycle.
    case cycle
    /// An operator's resubmission of failures.
    case resubmit
    /// A round of the residents' collection window.
    case round
}

/// Where a debit file stands.
public enum FileState: String, Sendable, Hashable, CaseIterable {
    /// Reserved in the store, its bytes not (yet) written: after a crash, or a write that failed.
    case reserved
    /// Written, signed and recorded with its digest.
    case written
}

/// A batch of files produced by one run (a cycle or a resubmission).
public struct BatchPlan: Sendable {
    public var period: Period
    public var kind: BatchKind
    public var actor: String
    public var files: [PlannedFile]
    /// The round's number (kind `round`).
    public var round: Int?
    /// The batch these files join, reserved earlier by the same run (nil: a new batch). A month's
    /// debits are reserved in parts, each its own transaction, so that a province's cycle never
    /// holds them all; each part keeps every invariant on its own (a due belongs to one debit).
    public var batchID: Int64?
    public init(period: Period, kind: BatchKind, actor: String, files: [PlannedFile], round: Int? = nil, batchID: Int64? = nil) {
        self.round = round
        self.batchID = batchID
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

    public init(
        fileID: Int64, bank: String, name: String, batchNo: Int, fileDate: CivilDate, collectionDate: CivilDate, collector: String,
        collectorAccount: String, lines: [FileLine]
    ) {
        self.fileID = fileID
        self.bank = bank
        self.name = name
        self.batchNo = batchNo
        self.fileDate = fileDate
        self.collectionDate = collectionDate
        self.collector = collector
        self.collectorAccount = collectorAccount
        self.lines = lines
    }
}

/// One line of a reserved file.
public struct FileLine: Sendable, Hashable {
    public var sequence: Int
    public var idNumber: IDNumber
    public var name: String
    public var account: BankAccount
    public var agreementNo: String
    public var amount: Money
    public var period: Period
    public var memo: String

    public init(sequence: Int, idNumber: IDNumber, name: String, account: BankAccount, agreementNo: String, amount: Money, period: Period, memo: String) {
        self.sequence = sequence
        self.idNumber = idNumber
        self.name = name
        self.account = account
        self.agreementNo = agreementNo
        self.amount = amount
        self.period = period
        self.memo = memo
    }
}

/// A stored debit file, as return ingest finds it.
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var name: String
    public var returnName: String
    public var state: FileState
    public var count: Int
    public var total: Money
    /// SM3 of the written file, hex (nil until written).
    public var digest: String?

    public init(id: Int64, bank: String, name: String, returnName: String, state: FileState, count: Int, total: Money, digest: String?) {
        self.id = id
        self.bank = bank
        self.name = name
        self.returnName = returnName
        self.state = state
        self.count = count
        self.total = total
        self.digest = digest
    }
}

/// A posted return file, as `check` re-verifies its archived copy.
public struct StoredReturnFile: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var name: String
    /// SM3 of the file's bytes, hex; the archive keeps it as `<digest>-<name>`.
    public var digest: String
    public var debitFileID: Int64
    /// The record of a cancellation (`pikou file cancel`), not a file the bank sent: nothing of it is
    /// in the archive, and it cannot be undone.
    public var isCancellation: Bool

    public init(id: Int64, bank: String, name: String, digest: String, debitFileID: Int64, isCancellation: Bool = false) {
        self.id = id
        self.bank = bank
        self.name = name
        self.digest = digest
        self.debitFileID = debitFileID
        self.isCancellation = isCancellation
    }
}

/// How a written debit file is cancelled (止付/撤销) before its bank runs it.
public struct FileCancellation: Sendable, Hashable {
    public var actor: String
    /// Why; it goes into the journal and every cancelled line's text.
    public var reason: String
    /// The name the cancellation is recorded under: the bank's cancel message, when its spec has one.
    public var recordName: String
    /// SM3 of the cancel message, hex; without one, of the cancelled file's digest and the reason.
    public var digest: String

    public init(actor: String, reason: String, recordName: String, digest: String) {
        self.actor = actor
        self.reason = reason
        self.recordName = recordName
        self.digest = digest
    }
}

/// A cancelled debit file: its debits closed `cancelled`, their dues open for the next batch.
public struct CancelledFile: Sendable, Hashable {
    public var file: StoredFile
    /// The cancellation's record among the file's return files.
    public var recordID: Int64
    public init(file: StoredFile, recordID: Int64) {
        self.file = file
        self.recordID = recordID
    }
}

/// What undoing one ingest removed.
public struct UndoneReturn: Sendable, Hashable {
    public var bank: String
    public var name: String
    public var debitFileName: String
    public var lines: Int
    /// Lines that had closed a debit: those debits are pending again.
    public var posted: Int
    public var exceptions: Int
    public init(bank: String, name: String, debitFileName: String, lines: Int, posted: Int, exceptions: Int) {
        self.bank = bank
        self.name = name
        self.debitFileName = debitFileName
        self.lines = lines
        self.posted = posted
        self.exceptions = exceptions
    }
}

/// A file sent to a bank or fetched from it (SFTP), as the store remembers it.
public struct Transfer: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case sent, fetched
    }
    public var bank: String
    public var name: String
    public var direction: Direction
    /// SM3 of the file's bytes, hex.
    public var digest: String
    public var byteCount: Int
    /// Where it went or came from: `user@host:port/folder/name`.
    public var remote: String
    public var actor: String
    /// When, as the ledger writes instants (UTC, ISO 8601); empty until recorded.
    public var at: String

    public init(bank: String, name: String, direction: Direction, digest: String, byteCount: Int, remote: String, actor: String, at: String = "") {
        self.bank = bank
        self.name = name
        self.direction = direction
        self.digest = digest
        self.byteCount = byteCount
        self.remote = remote
        self.actor = actor
        self.at = at
    }
}
