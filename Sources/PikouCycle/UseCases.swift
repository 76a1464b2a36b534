public import BankFormats
import Foundation
public import PikouCore
public import ReconStore

/// An open workspace and every use case that works on it: what the CLI and the console call,
/// and the only way they reach the store.
///
/// Each method is one use case: it reads the workspace's config and specs as it needs them, calls
/// the pure rules (`ReturnMatcher`, `AgreementRules`, `RetryPolicy`) and asks the store to persist.
public struct UseCases: Sendable {
    public let workspace: Workspace
    let store: any ReconStore

    /// Opens the workspace's store (creating and migrating it if needed).
    public static func open(_ workspace: Workspace) async throws -> UseCases {
        UseCases(workspace: workspace, store: try await workspace.openStore())
    }

    public init(workspace: Workspace, store: any ReconStore) {
        self.workspace = workspace
        self.store = store
    }

    // MARK: - Roster and payments

    /// What a roster import did, with the rows it refused.
    public struct RosterImportReport: Sendable {
        public var counts = RosterImportCounts()
        public var imported = 0
        public var rejected: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        public var warnings: [Diagnostic] = []
        public var columns: [String] = []
    }

    /// Imports a roster CSV a chunk of whole rows at a time (memory bounded by a chunk, whatever the
    /// roster's size). Each chunk is one transaction; importing the same rows again changes nothing,
    /// so a re-run after a crash converges.
    ///
    /// - Throws: ``DiagnosticError`` when the file cannot be read as a roster at all.
    public func importRoster(
        file: String, encoding: CSVInput.Encoding, specs: [String: BankSpec], actor: String, chunkBytes: Int = 4 << 20,
        progress: (WorkProgress) -> Void = { _ in }
    ) async throws -> RosterImportReport {
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let policy = try (try? Policy.load(formatsDirectory: workspace.formatsDirectory, year: year))
            ?? Policy.load(formatsDirectory: workspace.formatsDirectory, year: 2026)
        var residents: ResidentsPolicy?, residentsProblem: String?
        if latestResidentsYear() != nil {
            do { residents = try residentsPolicy(year: nil) } catch { residentsProblem = "\(error)" }
        }
        var checker = RosterImport.Checker(fileName: file, banks: Set(specs.keys), policy: policy, specs: specs, residents: residents, residentsProblem: residentsProblem)
        var report = RosterImportReport()
        let source = (file as NSString).lastPathComponent
        // The next chunk is read and checked while the store writes this one (its own transaction,
        // on the store's writer); chunks are written one at a time, in file order.
        var writing: (task: Task<RosterImportCounts, any Error>, rows: Int, shareRead: Double)?
        func finishWriting() async throws {
            guard let (task, rows, shareRead) = writing else { return }
            writing = nil
            report.counts.add(try await task.value)
            report.imported += rows
            progress(WorkProgress(.rosterImport, done: report.imported + report.rejected.count, fraction: shareRead))
        }
        do {
            var expected = false
            try await CSVChunks(path: file, encoding: encoding, chunkBytes: chunkBytes).forEach { text, firstLine, shareRead in
                var checked = try checker.check(text: text, firstLine: firstLine).get()
                if !expected, shareRead > 0, shareRead < 1 {
                    // Room for the whole file's payers at once, estimated from the first chunk (with a margin).
                    let payers = Set(checked.records.map(\.idNumber.value)).count
                    checker.expect(payers: Int(Double(payers) / shareRead * 1.1))
                }
                expected = true
                if !checked.deferred.isEmpty {
                    // Payers first named two chunks back or more: their first rows are written.
                    let stored = try await store.payerDetails(idNumbers: Array(Set(checked.deferred.map { checked.records[$0.record].idNumber.value })))
                    RosterImport.compare(&checked, with: stored, fileName: file, hasHouseholds: checked.columns.contains("household"))
                }
                report.warnings += checked.warnings
                report.rejected += checked.rejects
                report.columns = checked.columns
                try await finishWriting()
                let (store, records) = (store, checked.records)
                writing = (Task { try await store.importRoster(records, actor: actor, source: source) }, records.count, shareRead)
            }
        } catch {
            _ = try? await writing?.task.value  // a chunk handed to the store is written before the error ends the run
            throw error
        }
        try await finishWriting()
        return report
    }

    /// Records payments made through other channels; a payment seen before is skipped.
    public func importPayments(_ records: [PaymentRecord], source: String, actor: String) async throws -> PaymentImportCounts {
        try await store.importPayments(records, actor: actor, source: source)
    }

    /// What importing a payments file did.
    public struct PaymentsImportReport: Sendable {
        public var counts = PaymentImportCounts()
        public var rejected: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        public var columns: [String] = []
    }

    /// Records a payments CSV's payments a chunk of whole rows at a time (memory bounded by a chunk,
    /// whatever the file's size), each chunk one transaction; a payment seen before (its channel and
    /// reference) is skipped, so a re-run after a crash converges.
    ///
    /// - Throws: ``DiagnosticError`` when the file cannot be read as a payments file at all.
    public func importPayments(file: String, encoding: CSVInput.Encoding, actor: String, chunkBytes: Int = 4 << 20) async throws -> PaymentsImportReport {
        var report = PaymentsImportReport()
        let source = (file as NSString).lastPathComponent
        try await CSVChunks(path: file, encoding: encoding, chunkBytes: chunkBytes).forEach { text, firstLine, _ in
            let checked = try PaymentsImport.check(text: text, fileName: file, firstLine: firstLine).get()
            report.rejected += checked.rejects
            report.columns = checked.columns
            let counts = try await store.importPayments(checked.records, actor: actor, source: source)
            report.counts.inserted += counts.inserted
            report.counts.alreadyKnown += counts.alreadyKnown
            report.counts.unknownPayers += counts.unknownPayers
            report.counts.aboveDue += counts.aboveDue
        }
        return report
    }

    // MARK: - The month

    /// The monthly cycle over this workspace's store.
    public func cycle(specs: [String: BankSpec], calendar: BankCalendar) -> Cycle {
        Cycle(workspace: workspace, store: store, specs: specs, calendar: calendar)
    }

    /// Return ingest over this workspace's store.
    public var exchange: BankExchange { BankExchange(workspace: workspace, store: store) }

    public func returnIngest(specs: [String: BankSpec]) -> ReturnIngest {
        ReturnIngest(workspace: workspace, store: store, specs: specs)
    }

    /// Resubmission of failures under `policy`.
    public func resubmission(specs: [String: BankSpec], calendar: BankCalendar, policy: RetryPolicy) -> Resubmission {
        Resubmission(workspace: workspace, store: store, specs: specs, calendar: calendar, policy: policy)
    }

    // MARK: - Operators and finance

    /// Per-file totals, for one period or all.
    public func status(period: Period?) async throws -> [FileStatus] { try await store.status(period: period) }

    /// Every broken invariant, in the store and in the files on disk.
    public func check(specs: [String: BankSpec], anchors: [(source: String, head: JournalHead)] = []) async throws -> [InvariantViolation] {
        try await InvariantCheck(workspace: workspace, store: store, specs: specs).violations(anchors: anchors)
    }

    /// What the journal's anchors cannot vouch for (``InvariantCheck/anchorWarnings(anchors:)``).
    public func anchorWarnings(anchors: [(source: String, head: JournalHead)] = []) async throws
        -> (missingCopies: [String], after: (newest: JournalHead, source: String, head: JournalHead)?) {
        try await InvariantCheck(workspace: workspace, store: store, specs: [:]).anchorWarnings(anchors: anchors)
    }

    /// Records an action taken outside the ledger's own use cases (a console user added, say), with who did it.
    public func journal(actor: String, action: String, subject: String, detail: String) async throws {
        try await store.appendJournal(actor: actor, action: action, subject: subject, detail: detail)
    }

    /// The ledger's version: moves whenever the ledger changes (see ``ReconStore/ledgerVersion()``).
    public func ledgerVersion() async throws -> Int64 { try await store.ledgerVersion() }

    /// The journal's last entry, to keep outside the store (nil: nothing journaled yet).
    public func journalHead() async throws -> JournalHead? { try await store.journalHead() }

    /// Appends the journal's head to the workspace's anchors file (after a command that wrote).
    @discardableResult
    public func anchorJournal() async throws -> JournalHead? {
        guard let head = try await store.journalHead() else { return nil }
        try JournalAnchors(workspace: workspace).append(head)
        return head
    }

    /// Folders and files of the workspace that others than its owner may read (personal data):
    /// `check` warns about each.
    public func widePermissions() -> [(path: String, mode: UInt16)] { FileIO.widePermissions(under: workspace.directory) }

    /// Symbolic links inside the workspace (``FileIO/symbolicLinks(under:limit:)``).
    public func symbolicLinks() -> [(path: String, target: String)] { FileIO.symbolicLinks(under: workspace.directory) }

    /// Debit files reserved but never written (a crash, a bank's key or folder): their debits
    /// cover dues without having reached a bank. Reads the files table only.
    public func unwrittenFiles() async throws -> [StoredFile] {
        try await store.allDebitFiles().filter { $0.state == .reserved }
    }

    /// Gives up the reserved, never-written debit file `bank/name` (a name its bank cannot carry, a
    /// key or a schema that cannot be fixed today): its dues are planned again by the next `cycle run`
    /// or `resubmit`, with the roster as it stands then. Journaled with `reason`.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` when no such file waits to be written (naming those that do);
    ///   ``StoreError/conflict(_:)`` for a written file.
    public func releaseUnwrittenFile(bank: String, name: String, reason: String, actor: String) async throws -> StoredFile {
        guard let file = try await store.debitFile(bank: bank, name: name) else {
            let waiting = try await unwrittenFiles().map { "\($0.bank)/\($0.name)" }
            throw StoreError.notFound(Message(
                zh: "扣款文件 \(bank)/\(name)" + (waiting.isEmpty ? "（没有等待写出的文件）" : "（等待写出的有：\(waiting.joined(separator: "、"))）"),
                en: "debit file \(bank)/\(name)" + (waiting.isEmpty ? " (no file waits to be written)" : " (waiting to be written: \(waiting.joined(separator: ", ")))")))
        }
        return try await store.releaseReservedFile(id: file.id, actor: actor, reason: reason)
    }

    /// Every debit file the store knows, by id.
    public func debitFiles() async throws -> [StoredFile] { try await store.allDebitFiles() }

    /// Every posted return file, by id.
    public func returnFiles() async throws -> [StoredReturnFile] { try await store.allReturnFiles() }

    /// Failed debits whose dues no later debit covers.
    public func failures(_ filter: FailureFilter, today: CivilDate) async throws -> [FailureStep] {
        let policy = workspace.retry
        return try await store.failures(filter).map { FailureStep(record: $0, next: Eligibility.failure($0, policy: policy, today: today)) }
    }

    /// The ids of the failures `filter` selects, in ``failures(_:)``'s order: a page of them goes back
    /// as `filter.debitIDs` to read just that page's failures.
    public func failureIDs(_ filter: FailureFilter) async throws -> [Int64] { try await store.failureIDs(filter) }

    /// A page of the journal, newest first.
    public func journal(_ filter: JournalFilter) async throws -> JournalPage { try await store.journalEntries(filter) }

    /// Page `number` (from 1) of the journal entries `filter` selects, `perPage` to a page; a number
    /// past the last page gives the last. Returns the page, its number and the number of pages.
    public func journal(_ filter: JournalFilter, page number: Int, perPage: Int) async throws -> (page: JournalPage, number: Int, pages: Int) {
        var filter = filter
        filter.limit = perPage
        // Clamped before it is multiplied: a page number near Int.max must not overflow.
        let requested = min(max(1, number), Int.max / perPage)
        filter.offset = (requested - 1) * perPage
        var page = try await store.journalEntries(filter)
        let pages = max(1, (page.total + perPage - 1) / perPage)
        if requested > pages {
            filter.offset = (pages - 1) * perPage
            page = try await store.journalEntries(filter)
        }
        return (page, min(requested, pages), pages)
    }

    /// The first journal entry whose hash does not chain from the one before (nil: the chain holds).
    public func journalBreak() async throws -> Int64? { try await store.journalBreak() }

    /// Everything about one payer, for an enquiry (nil: not in the roster).
    public func payer(_ idNumber: IDNumber) async throws -> PayerHistory? { try await store.payerHistory(idNumber: idNumber) }

    /// Corrects, revokes or moves a payer's agreement, as ``AgreementRules`` decides; journaled.
    ///
    /// - Throws: ``AgreementRules/Refusal`` when the change cannot be made as asked.
    public func changeAgreement(_ change: AgreementChange, actor: String) async throws -> AgreementSnapshot {
        // A concurrent change moves a version; decide again on what then stands.
        var attempt = 1
        while true {
            guard let payer = try await store.agreements(idNumber: change.idNumber) else {
                throw PikouError("agreement.refused", "no payer \(change.idNumber.masked) in the roster")
            }
            let write = try AgreementRules.decide(change, payer: payer, enabledBanks: Set(workspace.enabledBanks))
            do {
                return try await store.apply(write, actor: actor)
            } catch StoreError.conflict where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// The reconciliation report of `period`.
    public func report(period: Period, by grouping: ReportGrouping) async throws -> ReconciliationReport {
        try await ReconciliationReport.build(store: store, period: period, by: grouping)
    }

    /// The exceptions of `period` (or all) that pass `filter`, oldest first.
    public func exceptions(period: Period?, filter: ExceptionFilter = ExceptionFilter()) async throws -> [ExceptionRecord] {
        try await store.exceptions(period: period).filter(filter.admits)
    }

    /// Marks exception `id` resolved (or open again) with the operator's note; journaled.
    ///
    /// - Throws: ``ExceptionFilter/EmptyNote`` without a note; ``StoreError`` for an unknown id or
    ///   an exception already in that state.
    public func setException(id: Int64, resolved: Bool, note: String, actor: String) async throws -> ExceptionRecord {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw PikouError("exceptions.note", Catalogue.noteRequired) }
        return try await store.setException(id: id, resolved: resolved, note: note, actor: actor)
    }

    /// Resolves exception `id` with the result an operator confirmed with the bank (`succeeded`, or why
    /// the debit failed) and why they know it (who at the bank said so): the debit is closed by it,
    /// journaled as the operator's decision and shown apart in the report.
    ///
    /// - Throws: ``PikouError`` (`exceptions.confirm`) for an outcome that is not one or an empty reason;
    ///   the store's conflict when the exception is resolved, matched no debit, or its debit has a result.
    public func confirmException(id: Int64, outcome: Outcome, reason: String, actor: String) async throws -> ExceptionRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(reason.count), !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PikouError("exceptions.confirm", Catalogue.confirmNeedsReason)
        }
        guard outcome != .cancelled && outcome != .unknown else { throw PikouError("exceptions.confirm", Catalogue.confirmNeedsOutcome) }
        return try await store.confirmException(id: id, outcome: outcome, reason: reason, actor: actor)
    }

    /// The finance workbook of `report`'s period: the report, the grid with its subtotals, the failures
    /// with their next step on `today` under the workspace's retry policy, and the outcomes.
    public func workbook(_ report: ReconciliationReport, today: CivilDate) async throws -> ReportWorkbook {
        let period = report.period
        let grid = GridRow.nest(districts: try await store.report(period: period, by: .district),
                                streets: try await store.report(period: period, by: .street),
                                communities: try await store.report(period: period, by: .community), total: report.total)
        let failures = try await failures(FailureFilter(period: period), today: today)
        var workbook = ReportWorkbook(report: report, grid: grid, outcomes: try await store.report(period: period, by: .outcome), failures: failures)
        workbook.bankNames = workspace.bankNames()
        return workbook
    }

    /// Who paid for `period` (公示清册), of one community or all.
    public func paidList(period: Period, community: String?) async throws -> [PayerLine] {
        try await store.paidList(period: period, community: community)
    }

    /// Payers whose cycle debits failed `months` periods in a row through `period`.
    public func interrupted(months: Int, through period: Period) async throws -> [PayerLine] {
        try await store.interrupted(months: months, through: period)
    }

    /// Dues of `period` collected by debit and also paid elsewhere.
    public func refunds(period: Period) async throws -> [PayerLine] { try await store.refunds(period: period) }
}

/// Which exceptions an operator wants to see.
public struct ExceptionFilter: Sendable {
    public enum State: String, Sendable, CaseIterable { case open, resolved, all }
    public var state: State = .open
    public var bank: String?
    public var kind: ExceptionKind?

    public init(state: State = .open, bank: String? = nil, kind: ExceptionKind? = nil) {
        self.state = state
        self.bank = bank
        self.kind = kind
    }

    func admits(_ record: ExceptionRecord) -> Bool {
        switch state {
        case .open where record.resolved, .resolved where !record.resolved: return false
        default: break
        }
        return (bank == nil || record.bank == bank) && (kind == nil || record.kind == kind)
    }

}

extension RosterImportCounts {
    /// Adds another chunk's counts.
    public mutating func add(_ other: RosterImportCounts) {
        payersInserted += other.payersInserted
        payersUpdated += other.payersUpdated
        agreementsInserted += other.agreementsInserted
        agreementsUpdated += other.agreementsUpdated
        enrollmentsInserted += other.enrollmentsInserted
        enrollmentsUpdated += other.enrollmentsUpdated
        householdsInserted += other.householdsInserted
        householdsUpdated += other.householdsUpdated
        oversizedHouseholds = max(oversizedHouseholds, other.oversizedHouseholds)
        unchanged += other.unchanged
    }
}
