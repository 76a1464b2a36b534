public import BankFormats
public import PikouCore
import Foundation
import PikouCrypto
public import ReconStore

/// `pikou resubmit`: signed resubmission files for the failures the retry policy allows now.
public struct Resubmission {
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]
    public let calendar: BankCalendar
    public let policy: RetryPolicy

    /// The memo written on a resubmitted line, where the bank's format has one.
    public static let memo = "重扣RETRY"

    public struct Report: Sendable {
        /// Failures looked at, by what happens next (in the catalogue's words).
        public var steps: [Message: Int] = [:]
        public var lines = 0
        public var total = Money.zero
        /// Lines and yuan by period and bank, as they go (or would go) into files.
        public var byBank: [BankLines] = []
        /// A digest of exactly which dues of which payers would be debited for how much: two plans
        /// with the same digest send the same debits (a preview confirmed later is checked by it).
        public var planDigest = ""
        public var written: [String] = []
        public var warnings: [Diagnostic] = []
        /// Failures another resubmission running at the same time took first.
        public var takenConcurrently = 0
    }

    /// One bank's part of a resubmission in one period.
    public struct BankLines: Sendable, Hashable {
        public var period: Period
        public var bank: String
        public var lines: Int
        public var total: Money
        public var files: Int
    }

    public init(workspace: Workspace, store: any ReconStore, specs: [String: BankSpec], calendar: BankCalendar, policy: RetryPolicy) {
        self.workspace = workspace
        self.store = store
        self.specs = specs
        self.calendar = calendar
        self.policy = policy
    }

    /// Splits, names, reserves and writes the resubmission files, as the cycle does its own.
    var batcher: FileBatcher { FileBatcher(workspace: workspace, store: store, specs: specs) }

    /// Resubmits what `filter` selects and the policy allows on `today`.
    ///
    /// Naming an outcome in the filter is an operator's decision: `exceedsLimit` and `unknown` are then
    /// retried too (within attempts and days). Two runs at once never put a due in two files: the
    /// store refuses the second reservation, and this run then plans again from what is left.
    public func run(filter: FailureFilter, actor: String, dryRun: Bool, today: CivilDate) async throws -> Report {
        var report = Report()
        var taken = 0
        // Files an earlier run reserved and could not write (a crash, a wrong key passphrase): write
        // them first, so their debits reach the bank before anything new is planned.
        if !dryRun { report.written += try await batcher.writeReserved(bank: nil, warnings: &report.warnings) }
        for attempt in 0..<2 {
            let plans = try await plan(filter: filter, actor: actor, today: today, report: &report)
            report.takenConcurrently = taken
            guard !dryRun, !plans.isEmpty else { return report }
            if attempt == 0 { CrashHook.pause("before-reserve") }
            do {
                var fileIDs: [Int64] = []
                for plan in plans { fileIDs += try await batcher.reserve(plan).map(\.id) }
                report.written += try await batcher.writeReserved(bank: nil, fileIDs: fileIDs, warnings: &report.warnings)
                return report
            } catch StoreError.conflict where attempt == 0 {
                // Another resubmission reserved some of these dues first: plan again from what is left.
                taken = report.lines
                let finished = report.written
                report = Report()
                report.written = finished
                continue
            }
        }
        return report
    }

    func plan(filter: FailureFilter, actor: String, today: CivilDate, report: inout Report) async throws -> [BatchPlan] {
        var byPeriodAndBank: [Period: [String: [PlannedDebit]]] = [:]
        var planned: [String] = []
        // The monthly scheme's failures only: a residents' failure waits for the window's next round.
        var monthly = filter
        monthly.scheme = .flexibleMonthly
        for failure in try await store.failures(monthly) {
            let step = Eligibility.failure(failure, policy: policy, today: today, operatorNamed: filter.outcome == failure.outcome)
            report.steps[Catalogue.nextStep(step), default: 0] += 1
            guard step == .retryableNow, let spec = specs[failure.agreement.bank] else { continue }
            let dues = failure.dues.filter { !$0.paidElsewhere }
            guard let amount = try? dues.map(\.amount).checkedSum(), amount.fen > 0 else { continue }
            let agreement = failure.agreement
            guard Eligibility.carries(name: failure.name, agreement: agreement, spec: spec) else {
                report.steps[Catalogue.preflightFailed, default: 0] += 1
                continue
            }
            planned.append("\(failure.period)|\(agreement.bank)|\(failure.payerID)|\(agreement.id)|\(agreement.version)|\(amount.fen)|"
                           + dues.map { String($0.dueID) }.sorted().joined(separator: ","))
            byPeriodAndBank[failure.period, default: [:]][agreement.bank, default: []].append(PlannedDebit(
                payerID: failure.payerID, agreementID: agreement.id, agreementVersion: agreement.version, amount: amount,
                period: failure.period, dueIDs: DueIDs(dues.map(\.dueID)), memo: Self.memo))
        }
        let collectionDate = calendar.bankingDay(onOrAfter: today.next)
        var plans: [BatchPlan] = []
        for period in byPeriodAndBank.keys.sorted() {
            var files: [PlannedFile] = []
            for (bank, debits) in byPeriodAndBank[period]!.sorted(by: { $0.key < $1.key }) {
                guard let spec = specs[bank] else { continue }
                var summary = CycleBankSummary(bank: bank)
                let chunks = batcher.split(debits, spec: spec, summary: &summary)
                for chunk in chunks {
                    files.append(batcher.plannedFile(spec: spec, fileDate: today, collectionDate: collectionDate, debits: chunk))
                }
                if summary.lines > 0 {
                    report.byBank.append(BankLines(period: period, bank: bank, lines: summary.lines, total: summary.total, files: chunks.count))
                }
                report.lines += summary.lines
                report.total = (try? report.total.adding(summary.total)) ?? report.total
            }
            if !files.isEmpty { plans.append(BatchPlan(period: period, kind: .resubmit, actor: actor, files: files)) }
        }
        report.planDigest = Digest.hex(try Digest.hash(Array(planned.sorted().joined(separator: "\n").utf8), .sm3))
        return plans
    }
}
