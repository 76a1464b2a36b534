import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// What the console's pages used to work out themselves, now use cases the CLI could call too:
/// the overview's per-bank sums, the grid's subtotals, failures selected by next step, and a
/// resubmission confirmed only as previewed.
@Suite struct ConsoleUseCaseTests {
    static let today = CivilDate(year: 2026, month: 12, day: 20)!

    @Test func theOverviewAddsEachBanksFilesAndTheGridsSubtotalsAddUp() async throws {
        let ws = try await TestWorkspace.month()
        let overview = try await ws.useCases.overview(period: TestWorkspace.december)
        var all = FileStatus.Totals()
        for (_, totals) in overview.banks { try all.add(totals) }
        #expect(all.submittedFen == overview.files.reduce(0) { $0 + $1.totals.submittedFen } && all.submittedFen > 0)
        #expect(overview.banks.map(\.bank) == overview.banks.map(\.bank).sorted())

        let districts = try await ws.useCases.grid(period: TestWorkspace.december, level: .district, district: nil, street: nil)
        #expect(!districts.isSubtotal && !districts.rows.isEmpty)
        for (name, row) in districts.rows {
            let streets = try await ws.useCases.grid(period: TestWorkspace.december, level: .street, district: name, street: nil)
            #expect(streets.isSubtotal && streets.parent == name)
            #expect(streets.total.owingFen == row.owingFen && streets.total.paidFen == row.paidFen && streets.total.failed == row.failed,
                    "\(name): the streets add up to their district")
            #expect(streets.rows.allSatisfy { !$0.name.hasPrefix(name + " ") }, "named under their district")
        }
    }

    @Test func failuresAreSelectedByTheirNextStepAndAttempts() async throws {
        let ws = try await TestWorkspace.month()
        let filter = FailureFilter(period: TestWorkspace.december)
        let all = try await ws.useCases.failures(filter, today: Self.today)
        for kind in Set(all.map(\.next.kind)) {
            let ids = try await ws.useCases.failureIDs(FailureQuery(filter: filter, step: kind), today: Self.today)
            #expect(Set(ids) == Set(all.filter { $0.next.kind == kind }.map(\.record.debitID)), "\(kind)")
        }
        #expect(try await ws.useCases.failureIDs(FailureQuery(filter: filter, minimumAttempts: 2), today: Self.today).isEmpty, "first attempts only")
    }

    @Test func aResubmissionIsWrittenOnlyAsPreviewed() async throws {
        let ws = try await TestWorkspace.month()
        let filter = FailureFilter(period: TestWorkspace.december)
        let preview = try await ws.useCases.previewResubmission(filter, actor: "t", today: Self.today)
        #expect(preview.confirmable && preview.report.lines > 0)
        guard case .changed(let again) = try await ws.useCases.resubmitAsPreviewed(filter, plan: "another plan", actor: "t", today: Self.today) else {
            Issue.record("a plan that is not the preview's wrote files")
            return
        }
        let unwritten = try await ws.useCases.unwrittenFiles()
        #expect(again.report.planDigest == preview.report.planDigest && unwritten.isEmpty, "nothing reserved by the refused confirmation")
        guard case .written(let report) = try await ws.useCases.resubmitAsPreviewed(filter, plan: preview.report.planDigest, actor: "t", today: Self.today) else {
            Issue.record("the previewed plan was not written")
            return
        }
        #expect(report.lines == preview.report.lines && report.total == preview.report.total && !report.written.isEmpty)
        // Confirmed twice (a second operator, a double click): the plan has changed, nothing more is written.
        guard case .changed(let after) = try await ws.useCases.resubmitAsPreviewed(filter, plan: preview.report.planDigest, actor: "t", today: Self.today) else {
            Issue.record("the same plan was written twice")
            return
        }
        #expect(after.report.lines == 0)
    }
}
