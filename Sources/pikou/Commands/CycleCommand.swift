import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou cycle run`.
struct CycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cycle", abstract: Catalogue.Help.cycle.text, subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.cycleRun.text,
            discussion: Catalogue.Help.Discussion.cycleRun.text
        )

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.contributionPeriod.text), transform: periodArgument)
        var period: Period

        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text))
        var bank: String?

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.cycleDryRun.text))
        var dryRun = false

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileDate.text))
        var date: String?

        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("cycle run") { meter, summary in
                summary.period = period.description
                let workspace = try options.load()
                let fileDate = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
                let (specs, calendar) = try options.specs(workspace, years: [period.year, fileDate.year])
                let lock = try await dryRun ? nil : locking.lock(workspace, command: "cycle run", actor: options.actorName)
                defer { lock?.release() }
                let cycle = try await options.open(workspace).cycle(specs: specs, calendar: calendar)
                let started = Date()
                let report: CycleReport
                do {
                    report = try await reporting {
                        try await cycle.run(period: period, bank: bank?.uppercased(), dryRun: dryRun, fileDate: fileDate, actor: options.actorName,
                                            progress: meter.update)
                    }
                } catch {
                    meter.finish()
                    throw error
                }
                meter.finish()
                printDiagnostics(report.warnings)
                print(Catalogue.cycleHeadline(period, dryRun: dryRun, planned: report.duesPlanned).text)
                let reasons = Exclusion.allCases.filter { reason in report.banks.values.contains { $0.excluded[reason] != nil } }
                var table = TextTable([.init(Catalogue.bank.text), .init(Catalogue.payers.text, .right), .init(Catalogue.lines.text, .right),
                                       .init(Catalogue.amountYuan.text, .right), .init(Catalogue.files.text, .right)]
                                      + reasons.map { .init(Catalogue.exclusion($0).text, .right) })
                var totals = CycleBankSummary(bank: "TOTAL")
                for code in report.banks.keys.sorted() {
                    guard let line = report.banks[code] else { continue }
                    table.add([code, String(line.payers), String(line.lines), line.total.groupedYuanText, String(line.files)]
                              + reasons.map { String(line.excluded[$0] ?? 0) })
                    totals.payers += line.payers
                    totals.lines += line.lines
                    totals.total = try reporting { try totals.total.adding(line.total) }
                    totals.files += line.files
                    for (reason, count) in line.excluded { totals.excluded[reason, default: 0] += count }
                }
                table.addFooter([Catalogue.total.text, String(totals.payers), String(totals.lines), totals.total.groupedYuanText, String(totals.files)]
                                + reasons.map { String(totals.excluded[$0] ?? 0) })
                for line in table.lines() { print(line) }
                if !reasons.isEmpty { print(Catalogue.excludedCountDues.text) }
                for path in report.written { print(Catalogue.wrote(path).text) }
                if report.written.isEmpty && !dryRun { print(Catalogue.nothingNew(period).text) }
                summary.counts = ["dues_planned": report.duesPlanned, "payers": totals.payers, "lines": totals.lines, "files": totals.files,
                                  "files_written": report.written.count]
                for (reason, count) in totals.excluded { summary.counts["excluded_" + reason.rawValue.replacingOccurrences(of: " ", with: "_")] = count }
                summary.amountsFen = ["lines": totals.total.fen]
                summary.files = report.written
                RunLog.info("cycle run \(period): \(totals.lines) lines, \(totals.total.yuanText) yuan, \(report.written.count) files written")
                if !run.quiet { printError(String(format: "cycle: done in %.2f s", Date().timeIntervalSince(started))) }
            }
        }
    }
}
