public import Foundation
public import PikouCore

/// The reconciliation store: payers, agreements, enrollments, dues, files, debits, results,
/// exceptions and the journal, behind one protocol any backend can serve.
///
/// The store persists; PikouCycle decides. Matching return lines, agreement changes and retry
/// eligibility are pure functions above it (`ReturnMatcher`, `AgreementRules`, `RetryPolicy`); a
/// backend stores what it is given, enforces the unique keys, and derives states in SQL.
///
/// Every method is `async` and one unit of work (one transaction where it writes). Anything that
/// needs a serial view — batch numbers, the journal's hash chain, "is this due still uncovered" —
/// is decided inside the writing call, in its transaction, so two processes (or two operators on
/// a server database) never interleave between a read and the write that depends on it.
public protocol ReconStore: Sendable {
    // MARK: After the bank (statements, the treasury's reconciliation)

    /// `bank`'s written debit files, each with what its return file says succeeded and what
    /// recorded statements credited to it (less reversals).
    func settlementFiles(bank: String) async throws -> [SettlementFile]
    /// Records a statement and its matched entries, journaled; the same file (bank, digest) twice changes nothing.
    func recordStatement(_ statement: StatementRecord, actor: String) async throws -> AfterBankPosting
    /// `bank`'s answered debits of the files collected on `date`: what a treasury file of that day lists.
    func treasuryCandidates(bank: String, date: CivilDate) async throws -> [TreasuryCandidate]
    /// Records a treasury reconciliation and its matched lines, journaled; the same file twice changes nothing.
    func recordTreasury(_ treasury: TreasuryRecord, actor: String) async throws -> AfterBankPosting
    /// Each bank's four legs for `period`'s debit files.
    func afterBankLegs(period: Period) async throws -> [AfterBankLegs]
    /// Statement entries and treasury lines in an exception state for `period`'s debit files (and
    /// the unmatched ones of their days), reviewed or not.
    func afterBankExceptions(period: Period) async throws -> [AfterBankException]
    /// The payer with `idNumber`, or with the store's number `id` (a certificate's code carries it).
    func certificatePayer(idNumber: IDNumber?, id: Int64?) async throws -> CertificatePayer?
    /// The payer's succeeded debits of `from...through`, each with the treasury's booking number once matched.
    func certificateEntries(payer: Int64, from: Period, through: Period) async throws -> [CertificateEntry]
    /// Records finance's review of an exception line, journaled; false when it was reviewed before.
    func reviewAfterBank(_ subject: AfterBankException.Subject, id: Int64, note: String, actor: String) async throws -> Bool

    // MARK: Refunds (退费)

    /// `period`'s dues the banks debited that were also paid elsewhere (of `bank`, or every bank's),
    /// each with what its debits collected and what refunds paid back or hold of it.
    func refundCandidates(period: Period, bank: String?) async throws -> [RefundCandidate]
    /// The next free batch number of `bank`'s refund files on `date`.
    func nextRefundBatch(bank: String, date: CivilDate) async throws -> Int
    /// Records a written refund file and its refunds, journaled; refused (nothing recorded) when a
    /// due would be refunded more than its debits collected, or the name or batch is taken.
    func recordRefundFile(_ file: RefundFileRecord, actor: String) async throws -> Int64
    /// `bank`'s refund file of `fileDate` and `batchNo`, with each line's refund and which are answered.
    func refundFile(bank: String, fileDate: CivilDate, batchNo: Int) async throws -> RefundFile?
    /// Records the bank's results for a refund file, journaled; the same file twice changes nothing.
    func recordRefundResults(_ record: RefundResultRecord, actor: String) async throws -> AfterBankPosting
    /// `period`'s refunds, each with its state and whether the treasury confirmed it (退库).
    func refundLines(period: Period) async throws -> [RefundLine]
    /// The refunds `bank` paid in its refund files of `date`: what the treasury's file of that day lists as 退库.
    func treasuryRefunds(bank: String, date: CivilDate) async throws -> [TreasuryRefund]

    /// Runs `body` against a store that behaves as this one but keeps nothing: whatever `body`
    /// writes (planned dues, journal entries) is gone when it returns or throws. A dry run's stage.
    /// SQLite rehearses on a private copy of the file (the backup API, beside it, removed after);
    /// PostgreSQL in one transaction pinned to one connection, rolled back.
    func rehearse<T: Sendable>(_ body: (any ReconStore) async throws -> T) async throws -> T

    /// Upserts roster rows; a row equal to what is stored changes nothing; changes are journaled.
    func importRoster(_ records: [RosterRecord], actor: String, source: String) async throws -> RosterImportCounts

    /// The stored name, phone, address and household of the payers with these ID numbers (those the
    /// store has), by ID number.
    func payerDetails(idNumbers: [String]) async throws -> [String: StoredPayerDetails]

    /// Records payments made through other channels; a payment seen before is skipped.
    func importPayments(_ records: [PaymentRecord], actor: String, source: String) async throws -> PaymentImportCounts

    /// Plans the dues of `period` for every enrollment covering it that is not suspended, pricing each
    /// by `amounts` (insurance → tier → monthly amount), in one set-based statement.
    func planDues(period: Period, amounts: [Insurance: [String: Money]], actor: String) async throws -> DuePlanning

    /// Every due of `scheme` and periods `earliest...latest` (for `bank`, or all banks), with its state, the
    /// enrollment's suspension, the payer's agreement at the enrollment's bank and that agreement's
    /// last failure — ordered by payer, read a page of payers at a time (memory stays bounded by a
    /// page, whatever the roster's size).
    func dueCandidates(from earliest: Period, through latest: Period, bank: String?, scheme: Scheme) -> DueCandidates

    /// Reserves files and their debits in one transaction, before any byte is written, allocating
    /// each file's batch number (per bank and file date) and naming it in that transaction.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` if a due is already covered by a pending or successful
    ///   debit, or a debit's agreement is no longer active at the version it was composed against;
    ///   ``StoreError/batchNumbersExhausted(bank:fileDate:needed:limit:)`` if a bank's file-name
    ///   pattern cannot number another file that day. Nothing is reserved then.
    func reserve(_ plan: BatchPlan) async throws -> [ReservedFile]

    /// The ids of files reserved but not yet written (after a crash, or in the run that reserved
    /// them), in order; only those of `bank` and among `fileIDs` when given.
    func reservedFileIDs(bank: String?, fileIDs: [Int64]?) async throws -> [Int64]

    /// A reserved file with all its lines, to write (nil if it is not reserved, or already written).
    func fileToWrite(id: Int64) async throws -> FileToWrite?

    /// A debit file with all its lines, reserved or written (nil for an unknown id): what a cancel
    /// message lists.
    func fileContents(id: Int64) async throws -> FileToWrite?

    /// Records that a reserved file was written: its SM3 digest and size.
    func markWritten(fileID: Int64, digest: String, byteCount: Int) async throws

    /// The debit file whose return file will be called `returnName`.
    func debitFile(bank: String, returnName: String) async throws -> StoredFile?

    /// The debit file called `name`.
    func debitFile(bank: String, name: String) async throws -> StoredFile?

    /// The debits of a file as return matching needs them: sequence, account, amount, and the
    /// result already posted, if any.
    func debitsToMatch(fileID: Int64) async throws -> [DebitToMatch]

    /// Whether a return file with these bytes was posted already against this debit file, and when.
    func postedReturnFile(debitFileID: Int64, digest: String) async throws -> (id: Int64, at: Date)?

    /// Posts a verified, matched return file in one transaction: every line as read, the exceptions
    /// and the results the matcher decided, sealed into the journal (``Seal``). The same file
    /// (debit file and digest) a second time changes nothing and answers
    /// ``IngestResult/alreadyIngested(returnFileID:at:)``.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` if a debit the matcher saw pending has a result by now
    ///   (another ingest was first): nothing is posted; match again and retry.
    func post(_ posting: ReturnFilePosting) async throws -> IngestResult

    /// Per-file totals, for one period or all.
    func status(period: Period?) async throws -> [FileStatus]

    /// Every debit file, for checks against the files on disk.
    func allDebitFiles() async throws -> [StoredFile]

    /// Gives up a debit file that was reserved and never written (it never reached its bank): its
    /// debits are removed, so their dues are planned again by the next cycle or resubmission. Journaled
    /// with the file's name, lines, total and `reason`.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown file; ``StoreError/conflict(_:)`` if the
    ///   file was written (a bank may have it: it stays, and its return answers it).
    func releaseReservedFile(id: Int64, actor: String, reason: String) async throws -> StoredFile

    /// Cancels the written debit file `id` before its bank runs it (止付/撤销): records the
    /// cancellation as a return file of kind `cancel` whose lines close every debit `cancelled`, so
    /// their dues are open for the next batch or resubmission and a return the bank sends anyway
    /// raises `afterCancel` exceptions. Sealed and journaled (`file.cancelled`).
    ///
    /// - Throws: ``StoreError/notFound(_:)``; ``StoreError/conflict(_:)`` if the file was never
    ///   written, is cancelled already, or the bank has answered it.
    func cancelWrittenFile(id: Int64, _ cancellation: FileCancellation) async throws -> CancelledFile

    /// Records a file sent to a bank or fetched from it (journaled `file.sent`, `file.fetched`);
    /// false when the same name and digest were recorded before in that direction.
    func recordTransfer(_ transfer: Transfer) async throws -> Bool

    /// The transfers recorded, by id (of one bank, when given).
    func transfers(bank: String?) async throws -> [Transfer]

    /// Stores a department's group list (residents' scheme); a membership already there (the same
    /// person, group and dates) is left as it is. Journaled (`groups.import`).
    func importMemberships(_ records: [GroupMembershipRecord], actor: String, source: String) async throws -> GroupImportCounts

    /// Every group membership the store holds for a person, oldest first.
    func memberships(idNumber: IDNumber) async throws -> [GroupMembershipRecord]

    /// How a person stands in their household as the roster linked it (nil relation, no relatives:
    /// in none), with the other members and their group memberships.
    func household(idNumber: IDNumber) async throws -> (relation: Household.Relation?, relatives: [Household.Member])

    /// Puts notices into the outbox (state planned), but none for a payer who opted out of the kind
    /// and none a payer already has of that kind and subject. Journaled (`notices.plan`) when any is new.
    func planNotices(_ notices: [PlannedNotice], actor: String, source: String) async throws -> NoticePlanning

    /// The notices `filter` selects, oldest first.
    func notices(_ filter: NoticeFilter) async throws -> [NoticeRecord]

    /// Records that a payer refuses notices of `kind` (nil: of every kind), or takes a refusal back.
    /// Returns whether anything changed. Journaled (`notice.optout`, `notice.optin`).
    func setNoticeOptOut(idNumber: IDNumber, kind: NoticeKind?, optedOut: Bool, actor: String) async throws -> Bool

    /// The kinds a payer refuses (`all` for every kind).
    func noticeOptOuts(idNumber: IDNumber) async throws -> [String]

    /// The outbox counted by kind, subject and state (newest subject first), and the opt-outs by kind
    /// (`all` for every kind).
    func noticeCounts() async throws -> (counts: [NoticeCount], optOuts: [String: Int])

    /// Planned notices to send, oldest first: those tried fewer than `maxAttempts` times.
    func noticesToSend(limit: Int, maxAttempts: Int) async throws -> [NoticeRecord]

    /// Counts an attempt at sending a notice and returns its client reference (the same on every attempt).
    func beginNoticeAttempt(id: Int64) async throws -> String

    /// Records what the gateway answered: sent with its message id, or the error (failed when `final`,
    /// else left planned for the next send; `uncounted`: the attempt is not counted, as when the
    /// gateway refused Pikou's own setting, not the notice).
    func finishNotice(id: Int64, gatewayID: String?, error: String?, final: Bool, uncounted: Bool) async throws

    /// The notices an office may send itself: planned, never tried by the gateway, and of payers who
    /// did not opt out since (one tried may have reached the phone already).
    func noticesToExport(_ filter: NoticeFilter) async throws -> [NoticeRecord]

    /// Marks planned (or failed) notices as exported for the office's own platform: Pikou never sends
    /// them after. Returns how many changed. Journaled (`notices.export`).
    func markNoticesExported(_ ids: [Int64], actor: String, file: String) async throws -> Int

    /// Puts the failed notices `filter` selects back in the outbox (planned, no attempt counted, the
    /// last reason kept), for a payer who gave a new number or a cause since fixed. Returns how many.
    /// Journaled (`notices.retry`).
    func requeueFailedNotices(_ filter: NoticeFilter, actor: String) async throws -> Int

    /// The residents' enrollments covering any part of cover year `year`, each with the person's group
    /// memberships and the year's dues already stored, by payer.
    func residentEnrollments(year: Int) async throws -> [ResidentEnrollment]

    /// Applies the year's residents' dues as ``ResidentDueWrite``s decided them, in one transaction:
    /// new dues (with a debitable due for a personal part above zero) and new parts for dues not yet
    /// collected. A write whose due was collected or is pending by now, or whose month already holds
    /// the person's monthly due of the same insurance, is refused and said why. Journaled (`dues.plan`).
    func planResidentDues(year: Int, _ writes: [ResidentDueWrite], actor: String) async throws -> ResidentPlanning

    /// A person's residents' dues of every year, with their states.
    func residentDues(idNumber: IDNumber) async throws -> [ResidentDueRecord]

    /// The rounds run for cover year `year`, in order.
    func residentsRounds(year: Int) async throws -> [ResidentsRound]

    /// The files of `year`'s rounds with their totals.
    func residentsFiles(year: Int) async throws -> [FileStatus]

    /// The residents' finance view of `year`: per group and insurance, the dues' parts and how the
    /// personal parts were collected.
    func residentsReport(year: Int, by grouping: ResidentsGrouping) async throws -> [ResidentsReportRow]

    /// What public funds pay for `year`, per department and rule.
    func publicFunds(year: Int) async throws -> [PublicFundsRow]

    /// Residents enrolled and paid for `year`, per community and insurance.
    func participation(year: Int) async throws -> [ParticipationCount]

    /// The residents' dues of `year` not yet paid — owed, not collected, not paid elsewhere, not at a
    /// bank right now —, by district, street, community and name: the door-to-door lists.
    func unpaidResidents(year: Int) async throws -> [UnpaidResident]

    /// The posted return files (and cancellations) named `name` of `bank`, by id.
    func returnFiles(bank: String, name: String) async throws -> [StoredReturnFile]

    /// Undoes the ingest of return file `id` when nothing depends on it yet: its lines, exceptions
    /// and row are removed (the debits it closed are pending again, the same file may be ingested
    /// again), remembered in `return_undos`, and the journal (`return.undone`) keeps the seal of what
    /// was removed.
    ///
    /// - Throws: ``StoreError/notFound(_:)``; ``StoreError/conflict(_:)`` naming what depends on it: a
    ///   later return file for the same debit file, an exception someone resolved or reopened, a
    ///   later debit over the dues it failed; or for a cancellation.
    func undoReturnFile(id: Int64, actor: String, reason: String) async throws -> UndoneReturn

    /// Every violation of DESIGN.md's invariants the store can see: totals, the journal's chain,
    /// every seal recomputed from the rows as they stand, the append-only guards.
    func invariantViolations() async throws -> [InvariantViolation]

    /// The journal's last entry (nil: an empty journal).
    func journalHead() async throws -> JournalHead?

    /// The ledger's version: the id of the journal's last entry about the ledger (0: none yet). Every
    /// change to the ledger is journaled, so it moves whenever the ledger does; the console's own
    /// entries (`console.*`: users added, files downloaded) are left out, since they change nothing
    /// a figure is computed from.
    func ledgerVersion() async throws -> Int64

    /// The hash of journal entry `entryID` (nil: no such entry).
    func journalHash(entryID: Int64) async throws -> String?

    /// Every posted return file, to re-verify the archived copies.
    func allReturnFiles() async throws -> [StoredReturnFile]

    /// Failed debits whose dues no later debit covers.
    func failures(_ filter: FailureFilter) async throws -> [FailureRecord]

    /// The ids of the debits ``failures(_:)`` answers for `filter`, in its order, and nothing else:
    /// what a page of failures is cut from without reading every failure's details.
    func failureIDs(_ filter: FailureFilter) async throws -> [Int64]

    /// A page of the journal, newest first, and how many entries pass the filter.
    func journalEntries(_ filter: JournalFilter) async throws -> JournalPage

    /// The first entry whose hash does not chain from the one before it (nil: the chain holds).
    func journalBreak() async throws -> Int64?

    /// A payer's agreements with every bank, as they stand (nil: no such payer).
    func agreements(idNumber: IDNumber) async throws -> PayerAgreements?

    /// Everything about one payer: agreements, enrollments, dues with their states, debits with their
    /// files and results, payments elsewhere, journal lines (nil: no such payer).
    func payerHistory(idNumber: IDNumber) async throws -> PayerHistory?

    /// Applies an agreement change decided by `AgreementRules`, journaled. Every agreement it names is
    /// checked at the version the decision was made on.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` if one changed in between; nothing is written then.
    func apply(_ change: AgreementWrite, actor: String) async throws -> AgreementSnapshot

    /// The reconciliation report's groups for `period`.
    func report(period: Period, by grouping: ReportGrouping) async throws -> [ReportRow]

    /// The monthly debits (the cycle's and resubmissions', not the residents' rounds) of periods
    /// `first...last`, counted by period, bank, whether a resubmission, and result (趋势).
    func debitCounts(from first: Period, through last: Period) async throws -> [DebitCount]

    /// The period's return files: trailer totals against the stored lines.
    func returnTotals(period: Period) async throws -> [ReturnTotals]

    /// The period's exceptions (all periods' when nil), each with its latest resolve or reopen.
    func exceptions(period: Period?) async throws -> [ExceptionRecord]

    /// Resolves (or reopens) exception `id` with `note`: an action appended and journaled.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown id; ``StoreError/conflict(_:)`` when it
    ///   is already in that state (saying by whom, when and why).
    func setException(id: Int64, resolved: Bool, note: String, actor: String) async throws -> ExceptionRecord

    /// Resolves open exception `id` with the result an operator confirmed with the bank: its debit,
    /// which no bank line closed, is closed by it (`outcome`: `succeeded`, or why it failed), kept in
    /// `confirmations` and sealed in the journal.
    ///
    /// - Throws: ``StoreError/notFound(_:)``; ``StoreError/conflict(_:)`` when the exception is resolved,
    ///   names no debit, or its debit already has a result.
    func confirmException(id: Int64, outcome: Outcome, reason: String, actor: String) async throws -> ExceptionRecord

    /// The period's debits closed by an operator's confirmation, added up by debit file and result.
    func confirmedTotals(period: Period) async throws -> [ConfirmedTotals]

    /// Payers of `community` (or all) and what they paid for `period`, by debit or elsewhere.
    func paidList(period: Period, community: String?) async throws -> [PayerLine]

    /// Payers whose monthly-cycle debits failed in each of the last `months` periods through `period`.
    func interrupted(months: Int, through period: Period) async throws -> [PayerLine]

    /// Dues of `period` collected by debit and also paid elsewhere.
    func refunds(period: Period) async throws -> [PayerLine]

    /// Payers whose debits in `period`'s monthly files (cycle and resubmissions) succeeded: one each,
    /// the total debited with the latest success's bank and account tail, in payer order.
    func debitSuccesses(period: Period) async throws -> [DebitSuccess]

    /// Appends to the journal (hash-chained), atomically with respect to every other writer.
    func appendJournal(actor: String, action: String, subject: String, detail: String) async throws
}

extension ReconStore {
    /// The monthly scheme's due candidates.
    public func dueCandidates(from earliest: Period, through latest: Period, bank: String?) -> DueCandidates {
        dueCandidates(from: earliest, through: latest, bank: bank, scheme: .flexibleMonthly)
    }
}

/// A failure of the store. Each case's text is in both languages (``message``); a path, a name or
/// the database's own words inside it read the same in both.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A write would break an invariant (a due already covered, a payer twice in a file, an
    /// agreement changed since it was read, ...); nothing was written.
    case conflict(Message)
    /// The store cannot be opened or migrated.
    case unavailable(Message)
    /// What was asked for does not exist: what it is, as a noun (`扣款文件 12` / `debit file 12`).
    case notFound(Message)
    /// A bank's file-name pattern numbers at most `limit` files a day and `needed` would be next.
    case batchNumbersExhausted(bank: String, fileDate: CivilDate, needed: Int, limit: Int)
    /// Another writing command holds the store's command lock (`holder`: who, when it can say).
    case busy(holder: String?)

    /// What a person reads, in both languages.
    public var message: Message {
        switch self {
        case .conflict(let text): Message(zh: "对账库冲突：\(text.zh)", en: "store conflict: \(text.en)")
        case .unavailable(let text): Message(zh: "对账库不可用：\(text.zh)", en: "store unavailable: \(text.en)")
        case .notFound(let text): Message(zh: "\(text.zh) 不存在", en: "\(text.en) does not exist")
        case .batchNumbersExhausted(let bank, let date, let needed, let limit):
            Message(zh: "\(bank) 在 \(date.year)年\(date.month)月\(date.day)日需要第 \(needed) 个批次号，但其文件名规则每天只允许 \(limit) 个；未预留任何文件",
                    en: "\(bank) would need batch number \(needed) on \(date), but its file name pattern allows \(limit) a day; nothing was reserved")
        case .busy(let holder):
            Message(zh: "另一个写入命令正在使用对账库：\(holder ?? "不明")", en: "another writing command holds the store: \(holder ?? "unknown")")
        }
    }

    /// The English of ``message``, as logs and tests read it.
    public var description: String { message.en }
}

extension Message {
    /// Words that read the same in every language: a path, a name, the database's or the system's own message.
    init(verbatim text: String) {
        self.init(zh: text, en: text)
    }
}

/// A store-wide lock held for one writing command (see ``StoreLocation/commandLock(holder:wait:waiting:)``).
public protocol StoreLease: Sendable {
    /// Ends the lock now (it also ends when the process does).
    func release()
    /// Ends the lock and returns once the store has let it go: the next command finds it free.
    func close() async
}

extension StoreLease {
    public func close() async { release() }
}

extension StoreLocation {
    /// Takes the store's command lock for a writing command, where the store is shared beyond one
    /// machine (PostgreSQL): one writing command at a time across every process and machine. nil for
    /// SQLite, where the workspace folder's file lock serves (the file is on one machine).
    ///
    /// - Throws: ``StoreError/busy(holder:)`` when another command holds it and `wait` is false;
    ///   with `wait`, calls `waiting` with the holder and waits.
    public func commandLock(holder: String, wait: Bool, waiting: @escaping @Sendable (String?) -> Void) async throws -> (any StoreLease)? {
        switch self {
        case .sqlite: return nil
        case .postgres(let url): return try await PostgresCommandLock.acquire(PostgresServer(url: url), holder: holder, wait: wait, waiting: waiting)
        }
    }
}
