public import BankFormats
public import PikouCore
import Foundation
import PikouCrypto
public import ReconStore

/// Why a due was left out of this cycle's files.
public enum Exclusion: String, Sendable, Hashable, CaseIterable, Comparable {
    case paidElsewhere = "paid elsewhere"
    case alreadyPending = "already pending"
    case triedThisCycle = "tried this cycle"
    case suspended = "suspended"
    case agreementRevoked = "agreement revoked"
    case noAgreement = "no agreement"
    case terminalFailure = "terminal failure"
    case awaitingOperator = "awaiting operator"
    case preflight = "pre-flight failed"
    case bankNotEnabled = "bank not enabled"
    case overFileLimit = "over file limit"

    public static func < (lhs: Exclusion, rhs: Exclusion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One bank's line of a cycle's table.
public struct CycleBankSummary: Sendable, Hashable {
    public var bank: String
    public var payers = 0
    public var lines = 0
    public var total = Money.zero
    public var files = 0
    /// Dues left out, by reason.
    public var excluded: [Exclusion: Int] = [:]

    public init(bank: String) { self.bank = bank }
}

/// What a cycle run did (or, dry, would do).
public struct CycleReport: Sendable {
    public var period: Period
    public var duesPlanned = 0
    public var banks: [String: CycleBankSummary] = [:]
    /// Files written by this run (including files a crashed run had reserved).
    public var written: [String] = []
    /// Warnings from writing (names cut to fit, ...), masked.
    public var warnings: [Diagnostic] = []
    public var dryRun = false
}

/// The monthly cycle: plan dues, compose one debit per payer per bank, split, reserve, write, sign.
public struct Cycle {
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]
    public let calendar: BankCalendar
    /// This cycle runs inside ``ReconStore/rehearse(_:)``: a dry run's planning goes nowhere.
    var isRehearsal = false

    public init(workspace: Workspace, store: any ReconStore, specs: [String: BankSpec], calendar: BankCalendar) {
        self.workspace = workspace
        self.store = store
        self.specs = specs
        self.calendar = calendar
    }

    /// Runs `body` with this cycle over a rehearsal of its store (nothing it writes is kept): a dry
    /// run plans as the real run would — dues priced, candidates read with them — and leaves the
    /// store as it found it, in both schemes and on both backends.
    func rehearsing<T: Sendable>(_ body: (Cycle) async throws -> T) async throws -> T {
        try await store.rehearse { rehearsal in
            var cycle = Cycle(workspace: workspace, store: rehearsal, specs: specs, calendar: calendar)
            cycle.isRehearsal = true
            cycle.partDebits = partDebits
            return try await body(cycle)
        }
    }

    /// Splits, names, reserves and writes this cycle's files.
    var batcher: FileBatcher { FileBatcher(workspace: workspace, store: store, specs: specs) }

    /// Runs the cycle for `period`.
    ///
    /// - Parameters:
    ///   - bank: Only this bank (default: every enabled bank).
    ///   - dryRun: Plan the period's dues and report, but keep nothing: the store is left byte for
    ///     byte as it was (a rehearsal), no file is reserved or written.
    ///   - fileDate: The date written into the files (default today in China).
    public func run(period: Period, bank: String?, dryRun: Bool, fileDate: CivilDate, actor: String,
                    progress: (WorkProgress) -> Void = { _ in }) async throws -> CycleReport {
        if dryRun && !isRehearsal {
            return try await rehearsing { try await $0.run(period: period, bank: bank, dryRun: true, fileDate: fileDate, actor: actor, progress: progress) }
        }
        var report = CycleReport(period: period)
        report.dryRun = dryRun
        if let bank, specs[bank] == nil {
            throw PikouError("cycle.refused", Message(
                zh: "\(workspace.configPath) 中未启用 \(bank) 银行（已启用：\(specs.keys.sorted().joined(separator: "、"))）",
                en: "bank \(bank) is not enabled in \(workspace.configPath) (enabled: \(specs.keys.sorted().joined(separator: ", ")))"))
        }
        // A run that crashed after reserving files: write them first.
        if !dryRun { report.written += try await batcher.writeReserved(bank: bank, warnings: &report.warnings, progress: progress) }

        let policy = try Policy.load(formatsDirectory: workspace.formatsDirectory, year: period.year)
        progress(WorkProgress(.planning))
        // One set-based statement: every enrollment covering the period that is not suspended, priced by the policy.
        // (Journaled by the store with their seal; a dry run's only inside its rehearsal.)
        let planned = try await store.planDues(period: period, amounts: policy.insurances.mapValues(\.tiers), actor: actor)
        report.duesPlanned = planned.inserted
        for (code, count) in planned.suspendedByBank where bank == nil || bank == code {
            report.banks[code, default: CycleBankSummary(bank: code)].excluded[.suspended, default: 0] += count
        }

        let earliest = max(period.advanced(by: -policy.arrearsMonths), try Period(year: period.year, month: 1))
        let target = try CivilDate(year: period.year, month: period.month, day: workspace.collectionDay).orThrow()
        try await composeReserveWrite(
            store.dueCandidates(from: earliest, through: period, bank: bank), period: period, fileDate: fileDate,
            collectionDate: calendar.bankingDay(onOrAfter: max(target, fileDate)), batch: (.cycle, nil), bank: bank, dryRun: dryRun, actor: actor,
            report: &report, progress: progress)
        return report
    }

    /// Debits composed into full files before they are reserved (a part, its own transaction):
    /// about 20 MB of them in memory, whatever the month's size.
    public var partDebits = 200_000

    /// Composes `candidates` (streamed: one payer's dues at a time, never the whole window in memory)
    /// into one debit per payer per bank, each going straight into its bank's files (held compactly:
    /// see PlannedDebit), split at the banks' limits; then, unless `dryRun`, reserves them as one
    /// batch of `batch.kind` (and round) for `period` and writes and signs them. The monthly cycle
    /// and the residents' rounds alike.
    ///
    /// Files are reserved in parts as they fill: once ``partDebits`` debits wait in full files, those
    /// files are reserved in their own transaction, joining the run's batch. Memory is then a part
    /// and each bank's file still filling, not the month. A crash between parts leaves whole files
    /// reserved; the next run writes them, and their dues are pending, so it composes only the rest.
    func composeReserveWrite(_ candidates: DueCandidates, period: Period, memo: String? = nil, fileDate: CivilDate, collectionDate: CivilDate,
                             batch: (kind: BatchKind, round: Int?), bank: String?, dryRun: Bool, actor: String,
                             report: inout CycleReport, progress: (WorkProgress) -> Void) async throws {
        // Parts are reserved as files fill: every key a part may need is loaded first, so that a bank's
        // wrong passphrase reserves nothing, not the parts before the bank's first file.
        if !dryRun { try batcher.checkKeys(banks: bank.map { [$0] } ?? Array(specs.keys)) }
        progress(WorkProgress(.composing))
        var composed: [String: FileSplitter] = [:]
        var payer: [DueCandidate] = []
        var payers = 0
        var batchID: Int64?
        var reservedFiles = 0
        let checkEvery = min(1024, max(1, partDebits / 64))  // payers between looks at the full files

        /// Reserves `files` (each bank's, in order) as the next part of the run's batch.
        func reservePart(_ files: [(code: String, debits: [PlannedDebit])]) async throws {
            var planned: [PlannedFile] = []
            for (code, debits) in files {
                guard let spec = specs[code] else { continue }
                report.banks[code]?.files += 1
                if !dryRun { planned.append(batcher.plannedFile(spec: spec, fileDate: fileDate, collectionDate: collectionDate, debits: debits)) }
            }
            guard !planned.isEmpty else { return }
            progress(WorkProgress(.reserving, done: reservedFiles + planned.count))
            CrashHook.pause("before-reserve")
            let reserved: [ReservedFile]
            do {
                reserved = try await batcher.reserve(BatchPlan(period: period, kind: batch.kind, actor: actor, files: planned,
                                                               round: batch.round, batchID: batchID))
            } catch where reservedFiles > 0 {
                // Earlier parts stand (each was its own transaction): their files are written now, and
                // the message says so, not the store's "nothing was reserved" alone.
                let written = (try? await batcher.writeReserved(bank: bank, warnings: &report.warnings, progress: progress)) ?? []
                let reason = FileBatcher.words(error)
                throw PikouError("cycle.refused", Message(
                    zh: "\(reason.zh)\n此前各部分已预留的 \(reservedFiles) 个文件保留有效（本次写出 \(written.count) 个）；原因排除后，"
                        + "下一次 `pikou cycle run` 会写出其余已预留的文件并组合剩下的欠费",
                    en: "\(reason.en)\nthe \(reservedFiles) file(s) reserved by earlier parts stand (\(written.count) written now); once the cause "
                        + "is fixed, the next `pikou cycle run` writes any still reserved and composes the dues left"))
            }
            reservedFiles += reserved.count
            batchID = batchID ?? reserved.first?.batchID
            CrashHook.point("after-reserve")
        }

        for try await candidate in candidates {
            if let last = payer.last, last.payerID != candidate.payerID {
                compose(payer, period: period, memo: memo, into: &composed, report: &report)
                payer.removeAll(keepingCapacity: true)
                payers += 1
                if payers & 0x3FFF == 0 { progress(WorkProgress(.composing, done: payers)) }
                if payers % checkEvery == 0, composed.values.reduce(0, { $0 + $1.closedDebits }) >= partDebits {
                    var full: [(code: String, debits: [PlannedDebit])] = []
                    for code in composed.keys.sorted() { full += composed[code]!.takeClosed().map { (code, $0) } }
                    try await reservePart(full)
                }
            }
            payer.append(candidate)
        }
        compose(payer, period: period, memo: memo, into: &composed, report: &report)

        var rest: [(code: String, debits: [PlannedDebit])] = []
        for code in composed.keys.sorted() {
            rest += (composed.removeValue(forKey: code)?.finish() ?? []).map { (code, $0) }
        }
        try await reservePart(rest)
        rest.removeAll()  // reserved: the store has them, and writing reads them back one file at a time
        guard !dryRun, reservedFiles > 0 else { return }
        report.written += try await batcher.writeReserved(bank: bank, warnings: &report.warnings, progress: progress)
    }

    /// Groups the dues ``Eligibility/due(_:period:enabled:)`` lets in into one debit per payer per
    /// bank, counting every due left out by reason.
    ///
    /// - Parameter memo: The lines' memo (default: the months of arrears merged, "含补缴YYYYMM").
    func compose(_ candidates: [DueCandidate], period: Period, memo fixedMemo: String? = nil, into composed: inout [String: FileSplitter], report: inout CycleReport) {
        var index = 0
        while index < candidates.count {
            // Candidates come ordered by payer: take one payer's dues at a time.
            var end = index
            while end < candidates.count && candidates[end].payerID == candidates[index].payerID { end += 1 }
            var byBank: [String: [DueCandidate]] = [:]
            for candidate in candidates[index..<end] {
                switch Eligibility.due(candidate, period: period, enabled: { specs[$0] != nil }) {
                case .paid: continue
                case .leaveOut(let reason):
                    let bank = candidate.agreement?.bank ?? "?"
                    report.banks[bank, default: CycleBankSummary(bank: bank)].excluded[reason, default: 0] += 1
                case .debit(let agreement): byBank[agreement.bank, default: []].append(candidate)
                }
            }
            for (bank, dues) in byBank {
                guard let first = dues.first, let agreement = first.agreement, let spec = specs[bank] else { continue }
                if !Eligibility.carries(name: first.name, agreement: agreement, spec: spec) {
                    report.banks[bank, default: CycleBankSummary(bank: bank)].excluded[.preflight, default: 0] += dues.count
                    continue
                }
                guard let amount = try? dues.map(\.amount).checkedSum() else { continue }
                let periods = dues.map(\.period)
                let latest = periods.max() ?? first.period
                let earliest = periods.min() ?? first.period
                let debit = PlannedDebit(
                    payerID: first.payerID, agreementID: agreement.id, agreementVersion: agreement.version, amount: amount,
                    period: latest, dueIDs: DueIDs(dues.map(\.dueID)), memo: fixedMemo ?? (earliest < latest ? "含补缴\(earliest.compact)" : ""))
                composed[bank, default: FileSplitter(spec: spec)].add(debit, summary: &report.banks[bank, default: CycleBankSummary(bank: bank)])
            }
            index = end
        }
    }
}
