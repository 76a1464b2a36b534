public import PikouCore

/// The reconciliation store: payers, agreements, enrollments, dues, files, debits, results,
/// exceptions and the journal, behind one protocol.
///
/// The use cases (PikouCycle) speak only this protocol. Each method is one unit of work (one
/// transaction where it writes), shaped so that a PostgreSQL implementation can bulk-load and
/// merge set-wise behind the same calls. Idempotency lives in the schema's unique keys.
public protocol ReconStore: Sendable {
    /// Upserts roster rows; a row equal to what is stored changes nothing; changes are journaled.
    func importRoster(_ records: [RosterRecord], actor: String, source: String) throws -> RosterImportCounts

    /// Records payments made through other channels; a payment seen before is skipped.
    func importPayments(_ records: [PaymentRecord], actor: String, source: String) throws -> PaymentImportCounts

    /// Plans the dues of `period` for every enrollment covering it that is not suspended, pricing each
    /// by `amounts` (insurance → tier → monthly amount), in one set-based statement. Returns how many
    /// dues were new and, per bank, how many enrollments were suspended.
    func planDues(period: Period, amounts: [String: [String: Money]]) throws -> (inserted: Int, suspendedByBank: [String: Int])

    /// Every due of periods `earliest...latest` (for `bank`, or all banks), with its state, the
    /// enrollment's suspension, the payer's agreement at the enrollment's bank and that agreement's
    /// last failure.
    func dueCandidates(from earliest: Period, through latest: Period, bank: String?) throws -> [DueCandidate]

    /// The same candidates, ordered by payer, handed to `body` one at a time as they are read (memory
    /// stays bounded by what `body` keeps).
    func forEachDueCandidate(from earliest: Period, through latest: Period, bank: String?, _ body: (DueCandidate) throws -> Void) throws

    /// The highest batch number used for `bank` on `fileDate` (0 if none).
    func lastBatchNumber(bank: String, fileDate: CivilDate) throws -> Int

    /// Reserves files and their debits in one transaction, before any byte is written; throws
    /// ``StoreError/conflict(_:)`` if a due is already covered by a pending or successful debit, or
    /// a debit's agreement is no longer active at the version it was composed against.
    func reserve(_ plan: BatchPlan) throws -> [Int64]

    /// Files reserved but not yet written (after a crash, or in the run that reserved them);
    /// only `fileIDs` when given. Each file comes with all its lines: load one at a time with
    /// ``plannedFileIDs(bank:fileIDs:)`` when there are many.
    func filesToWrite(bank: String?, fileIDs: [Int64]?) throws -> [FileToWrite]

    /// The ids of the files ``filesToWrite(bank:fileIDs:)`` would return, in order, without their lines.
    func plannedFileIDs(bank: String?, fileIDs: [Int64]?) throws -> [Int64]

    /// Records that a reserved file was written: its SM3 digest and size.
    func markWritten(fileID: Int64, digest: String, byteCount: Int) throws

    /// The debit file whose return file will be called `returnName`.
    func debitFile(bank: String, returnName: String) throws -> StoredFile?

    /// The debit file called `name`.
    func debitFile(bank: String, name: String) throws -> StoredFile?

    /// Posts a verified return file in one transaction: results, exceptions, debit states.
    /// The same file (bank and digest) a second time changes nothing.
    func post(_ input: ReturnFileInput) throws -> IngestResult

    /// Per-file totals, for one period or all.
    func status(period: Period?) throws -> [FileStatus]

    /// Every debit file, for checks against the files on disk.
    func allDebitFiles() throws -> [StoredFile]

    /// Every violation of DESIGN.md's invariants the store can see, each named.
    func invariantViolations() throws -> [String]

    /// Failed debits whose dues no later debit covers.
    func failures(_ filter: FailureFilter) throws -> [FailureRecord]

    /// Corrects or revokes an agreement (a new version), journaled; returns the agreement as it now stands.
    func changeAgreement(_ change: AgreementChange, actor: String) throws -> AgreementSnapshot

    /// The reconciliation report's groups for `period`.
    func report(period: Period, by grouping: ReportGrouping) throws -> [ReportRow]

    /// The period's return files: trailer totals against the stored lines.
    func returnTotals(period: Period) throws -> [ReturnTotals]

    /// The period's exceptions.
    func exceptions(period: Period?) throws -> [ExceptionRecord]

    /// Payers of `community` (or all) and what they paid for `period`, by debit or elsewhere.
    func paidList(period: Period, community: String?) throws -> [PayerLine]

    /// Payers whose monthly-cycle debits failed in each of the last `months` periods through `period`.
    func interrupted(months: Int, through period: Period) throws -> [PayerLine]

    /// Dues of `period` collected by debit and also paid elsewhere.
    func refunds(period: Period) throws -> [PayerLine]

    /// Appends to the journal (hash-chained).
    func appendJournal(actor: String, action: String, subject: String, detail: String) throws
}

/// A failure of the store.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// A write would break an invariant (a due already covered, a payer twice in a file, ...).
    case conflict(String)
    /// The store cannot be opened or migrated.
    case unavailable(String)

    public var description: String {
        switch self {
        case .conflict(let text): "store conflict: \(text)"
        case .unavailable(let text): "store unavailable: \(text)"
        }
    }
}
