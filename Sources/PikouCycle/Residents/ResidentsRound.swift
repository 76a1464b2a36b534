public import PikouCore
import Foundation
import ReconStore

/// What a round of the residents' collection window did (or, dry, would do).
public struct RoundReport: Sendable {
    public var year: Int
    public var round: Int
    /// The files' table, as the monthly cycle's (its period is January of the cover year).
    public var cycle: CycleReport
    public var planning = ResidentPlanning()
    /// Enrollments that could not be priced, with why.
    public var refusals: [ResidentsPlanning.Refusal] = []
}

extension Cycle {
    /// Runs round `round` (default: the next) of the residents' collection for `policy`'s cover year:
    /// prices every residents' enrollment (new dues, re-priced undebited ones, a due for the difference
    /// after a tier change once paid), then debits every due whose personal part is still unpaid —
    /// one line per payer per bank under the same small-batch rules as the monthly cycle (nobody paid
    /// elsewhere, pending, suspended, revoked, or after a terminal failure), files per bank, signed.
    ///
    /// - Throws: ``PikouError`` (`cycle.refused`) outside the policy's window (saying when it opens or that it
    ///   closed), or for a round already run.
    public func runRound(policy: ResidentsPolicy, round requested: Int?, bank: String?, dryRun: Bool, fileDate: CivilDate, actor: String,
                         progress: (WorkProgress) -> Void = { _ in }) async throws -> RoundReport {
        if dryRun && !isRehearsal {
            return try await rehearsing {
                try await $0.runRound(policy: policy, round: requested, bank: bank, dryRun: true, fileDate: fileDate, actor: actor, progress: progress)
            }
        }
        if let bank, specs[bank] == nil {
            throw PikouError("cycle.refused", Message(
                zh: "\(workspace.configPath) 中未启用 \(bank) 银行（已启用：\(specs.keys.sorted().joined(separator: "、"))）",
                en: "bank \(bank) is not enabled in \(workspace.configPath) (enabled: \(specs.keys.sorted().joined(separator: ", ")))"))
        }
        if fileDate < policy.windowFrom || fileDate > policy.windowTo {
            throw PikouError("cycle.refused", Catalogue.outsideWindow(policy, date: fileDate))
        }
        let year = policy.year
        let january = try Period(year: year, month: 1)
        let rounds = try await store.residentsRounds(year: year)
        let last = rounds.last
        let round = requested ?? (last?.round ?? 0) + 1
        if let last, round <= last.round {
            throw PikouError("cycle.refused", Catalogue.roundAlreadyRun(year: year, requested: round, last: last))
        }
        var report = RoundReport(year: year, round: round, cycle: CycleReport(period: january))
        report.cycle.dryRun = dryRun
        // A round that crashed after reserving files: write them first.
        if !dryRun { report.cycle.written += try await batcher.writeReserved(bank: bank, warnings: &report.cycle.warnings, progress: progress) }

        progress(WorkProgress(.planning))
        let enrollments = try await store.residentEnrollments(year: year)
        let (writes, refusals) = ResidentsPlanning.plan(enrollments, policy: policy)
        report.refusals = refusals
        // Pricing is idempotent and journaled (a dry run's only inside its rehearsal, then forgotten).
        report.planning = try await store.planResidentDues(year: year, writes, actor: actor)

        try await composeReserveWrite(
            store.dueCandidates(from: january, through: try Period(year: year, month: 12), bank: bank, scheme: .residentsAnnual),
            period: january, memo: "城乡居民\(year)", fileDate: fileDate, collectionDate: calendar.bankingDay(onOrAfter: fileDate),
            batch: (.round, round), bank: bank, dryRun: dryRun, actor: actor, report: &report.cycle, progress: progress)
        return report
    }
}
