import ArgumentParser
import Foundation
import PikouCore
import PikouCycle
import ReconStore

/// `pikou status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per bank and file: submitted, succeeded, failed, pending (counts and yuan), exceptions.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The period, YYYY-MM (default: all).")
    var period: Period?

    func run() throws {
        let workspace = try options.load()
        let store = try options.openStore(workspace)
        let rows = try reporting { try store.status(period: period) }
        print("BANK    FILE                                     SUBMITTED           YUAN  SUCCEEDED           YUAN   FAILED           YUAN  PENDING           YUAN  EXCEPT")
        var total = FileStatus(bank: "TOTAL", fileName: "", period: "", fileStatus: "", submitted: 0, submittedFen: 0, succeeded: 0,
                               succeededFen: 0, failed: 0, failedFen: 0, pending: 0, pendingFen: 0, exceptions: 0)
        for row in rows {
            print(line(row))
            total.submitted += row.submitted; total.submittedFen += row.submittedFen
            total.succeeded += row.succeeded; total.succeededFen += row.succeededFen
            total.failed += row.failed; total.failedFen += row.failedFen
            total.pending += row.pending; total.pendingFen += row.pendingFen
            total.exceptions += row.exceptions
        }
        print(line(total))
        if total.submitted > 0 {
            print(String(format: "success rate: %.2f%% of lines, %.2f%% of yuan", 100 * Double(total.succeeded) / Double(total.submitted),
                         100 * Double(total.succeededFen) / Double(max(1, total.submittedFen))))
        }
    }

    private func line(_ row: FileStatus) -> String {
        let name = row.fileName + (row.fileStatus == "planned" ? " (NOT WRITTEN)" : "")
        return row.bank.padding(7) + " " + name.padding(40) + column(row.submitted, 10) + yuan(row.submittedFen, width: 15)
            + column(row.succeeded, 11) + yuan(row.succeededFen, width: 15) + column(row.failed, 9) + yuan(row.failedFen, width: 15)
            + column(row.pending, 9) + yuan(row.pendingFen, width: 15) + column(row.exceptions, 8)
    }
}

/// `pikou check`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every invariant of the design against the store and the files; exit 1 naming each violation.")

    @OptionGroup var options: StoreOptions

    func run() throws {
        let workspace = try options.load()
        let (specs, _) = try options.specs(workspace)
        let store = try options.openStore(workspace)
        let violations = try reporting { try InvariantCheck(workspace: workspace, store: store, specs: specs).violations() }
        if violations.isEmpty {
            print("check: OK — money balances per file and overall, no due paid twice, no payer twice in a file, every return line posted or raised, journal intact")
            return
        }
        for violation in violations { print("VIOLATION: \(violation)") }
        print("check: \(violations.count) violation(s)")
        throw ExitCode(1)
    }
}
