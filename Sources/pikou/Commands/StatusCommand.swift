import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per bank and file: submitted, succeeded, failed, pending (counts and yuan), exceptions.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The period, YYYY-MM (default: all).", transform: periodArgument)
    var period: Period?

    func run() async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let rows = try await reporting { try await pikou.status(period: period) }
        print("BANK    FILE                                     SUBMITTED           YUAN  SUCCEEDED           YUAN   FAILED           YUAN  PENDING           YUAN  EXCEPT")
        var total = FileStatus.Totals()
        for row in rows {
            print(line(row.bank, row.fileName + (row.state == .reserved ? " (NOT WRITTEN)" : ""), row.totals))
            try reporting { try total.add(row.totals) }
        }
        print(line("TOTAL", "", total))
        if total.submitted > 0 {
            print(String(format: "success rate: %.2f%% of lines, %.2f%% of yuan", 100 * Double(total.succeeded) / Double(total.submitted),
                         100 * Double(total.succeededFen) / Double(max(1, total.submittedFen))))
        }
    }

    private func line(_ bank: String, _ name: String, _ row: FileStatus.Totals) -> String {
        bank.padding(7) + " " + name.padding(40) + column(row.submitted, 10) + yuan(row.submittedFen, width: 15)
            + column(row.succeeded, 11) + yuan(row.succeededFen, width: 15) + column(row.failed, 9) + yuan(row.failedFen, width: 15)
            + column(row.pending, 9) + yuan(row.pendingFen, width: 15) + column(row.exceptions, 8)
    }
}

/// `pikou check`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every invariant of the design against the store and the files; exit 1 naming each violation.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let workspace = try options.load()
        let (specs, _) = try options.specs(workspace)
        let pikou = try await options.open(workspace)
        let violations = try await reporting { try await pikou.check(specs: specs) }
        if violations.isEmpty {
            print("check: OK — money balances per file and overall, no due paid twice, no payer twice in a file, every return line posted or raised, journal intact")
            return
        }
        for violation in violations { print("VIOLATION: \(violation)") }
        print("check: \(violations.count) violation(s)")
        throw ExitCode(1)
    }
}
