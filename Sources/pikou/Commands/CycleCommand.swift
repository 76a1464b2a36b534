import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou cycle run`.
struct CycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cycle", abstract: "The monthly debit cycle.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan the period's dues and write each bank's signed debit files.",
            discussion: """
                plan dues (roster × policy) → one debit per payer per bank, merging open dues of the
                period and up to the policy's arrears months before it (same year) → leave out what is
                paid elsewhere, suspended, already pending, revoked, blocked by a terminal failure until
                the agreement changes, or fails pre-flight → split at each bank's limits → collection
                date = the configured day or the next banking day (Formats/calendar) → reserve files
                and debits in the store (one transaction) → write, sign, fsync and rename each file
                into outbox/<BANK>/ and record it as written.
                Running it again writes nothing new. After a crash, running it again writes the files
                that were reserved, with no line twice and no due lost.
                --dry-run plans the dues (idempotent) and prints the table without reserving or writing.
                """
        )

        @OptionGroup var options: StoreOptions

        @Option(help: "The contribution period, YYYY-MM.", transform: periodArgument)
        var period: Period

        @Option(help: "Only this bank.")
        var bank: String?

        @Flag(help: "Show what would be sent; reserve and write nothing.")
        var dryRun = false

        @Option(help: "The file date, YYYY-MM-DD (default: today in China).")
        var date: String?

        func run() async throws {
            let workspace = try options.load()
            let fileDate = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let (specs, calendar) = try options.specs(workspace, years: [period.year, fileDate.year])
            let cycle = try await options.open(workspace).cycle(specs: specs, calendar: calendar)
            let started = Date()
            let report = try await reporting {
                try await cycle.run(period: period, bank: bank?.uppercased(), dryRun: dryRun, fileDate: fileDate, actor: options.actorName) {
                    printError("cycle: \($0)")
                }
            }
            printDiagnostics(report.warnings)
            print("cycle \(period)\(dryRun ? " (dry run: nothing reserved or written)" : ""): \(report.duesPlanned) new dues planned")
            let reasons = Exclusion.allCases.filter { reason in report.banks.values.contains { $0.excluded[reason] != nil } }
            var header = "BANK      PAYERS    LINES          YUAN  FILES"
            for reason in reasons { header += "  " + reason.rawValue }
            print(header)
            var totals = CycleBankSummary(bank: "TOTAL")
            for code in report.banks.keys.sorted() {
                guard let line = report.banks[code] else { continue }
                var row = code.padding(8) + column(line.payers) + " " + column(line.lines) + yuan(line.total.fen) + column(line.files, 7)
                for reason in reasons { row += column(line.excluded[reason] ?? 0, reason.rawValue.count + 2) }
                print(row)
                totals.payers += line.payers
                totals.lines += line.lines
                totals.total = (try? totals.total.adding(line.total)) ?? totals.total
                totals.files += line.files
                for (reason, count) in line.excluded { totals.excluded[reason, default: 0] += count }
            }
            var row = "TOTAL   " + column(totals.payers) + " " + column(totals.lines) + yuan(totals.total.fen) + column(totals.files, 7)
            for reason in reasons { row += column(totals.excluded[reason] ?? 0, reason.rawValue.count + 2) }
            print(row)
            print("(excluded columns count dues)")
            for path in report.written { print("wrote \(path)") }
            if report.written.isEmpty && !dryRun { print("no new file: every collectable due of \(period) is already in a file") }
            printError(String(format: "cycle: done in %.2f s", Date().timeIntervalSince(started)))
        }
    }
}
