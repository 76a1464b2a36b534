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
        var period: Period?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.scheme.text))
        var scheme: Scheme = .flexibleMonthly

        @Option(help: ArgumentHelp(Catalogue.Help.Option.coverYear.text))
        var year: Int?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.round.text))
        var round: Int?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text))
        var bank: String?

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.cycleDryRun.text))
        var dryRun = false

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileDate.text))
        var date: String?

        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func validate() throws {
            try checkSchemeOptions(scheme, period: period, residentsOnly: [("--year", year != nil), ("--round", round != nil)],
                                   taking: Message(zh: "城乡居民两险按轮次扣款，用 --round 和", en: "residents' rounds take --round and"))
            if let round, round < 1 { throw usageError(Message(zh: "--round 从 1 开始计数", en: "--round counts from 1")) }
        }

        func run() async throws {
            guard let period else { return try await runRound() }
            try await run.record("cycle run") { meter, summary in
                summary.period = period.description
                let workspace = try options.load()
                let fileDate = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
                let (specs, calendar) = try options.specs(workspace, years: [period.year, fileDate.year])
                let wouldStop = try await preflight(workspace, scope: .writing, period: period, bank: bank, command: "cycle run", dryRun: dryRun)
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
                let totals = try printCycleTable(report)
                for path in report.written { print(Catalogue.wrote(path).text) }
                if report.written.isEmpty && !dryRun { print(Catalogue.nothingNew(period).text) }
                summary.counts = ["dues_planned": report.duesPlanned, "payers": totals.payers, "lines": totals.lines, "files": totals.files,
                                  "files_written": report.written.count]
                for (reason, count) in totals.excluded { summary.counts["excluded_" + reason.rawValue.replacingOccurrences(of: " ", with: "_")] = count }
                summary.amountsFen = ["lines": totals.total.fen]
                summary.files = report.written
                RunLog.info("cycle run \(period): \(totals.lines) lines, \(totals.total.yuanText) yuan, \(report.written.count) files written")
                if !run.quiet { printError(Catalogue.cycleDone(seconds: Date().timeIntervalSince(started)).text) }
                if wouldStop { throw ExitCode(1) }
            }
        }

        /// `--scheme residents-annual`: a round of the residents' collection window.
        func runRound() async throws {
            try await run.record("cycle run residents") { meter, summary in
                let workspace = try options.load()
                let fileDate = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
                let pikou = try await options.open(workspace)
                let policy = try reporting { try pikou.residentsPolicy(year: year) }
                summary.period = String(policy.year)
                let (specs, calendar) = try options.specs(workspace, years: Array(Set([policy.year, fileDate.year])).sorted())
                let wouldStop = try await preflight(workspace, scope: .writing, period: nil, residentsYear: policy.year, bank: bank,
                                                    command: "cycle run", dryRun: dryRun)
                let lock = try await dryRun ? nil : locking.lock(workspace, command: "cycle run", actor: options.actorName)
                defer { lock?.release() }
                let report: RoundReport
                do {
                    report = try await reporting {
                        try await pikou.runRound(year: policy.year, round: round, bank: bank?.uppercased(), dryRun: dryRun, fileDate: fileDate,
                                                 specs: specs, calendar: calendar, actor: options.actorName, progress: meter.update)
                    }
                } catch {
                    meter.finish()
                    throw error
                }
                meter.finish()
                printDiagnostics(report.cycle.warnings)
                print(Catalogue.roundHeadline(year: report.year, round: report.round, dryRun: dryRun).text)
                print(Catalogue.residentsPlanned(report.planning).text)
                for refused in report.planning.refused.prefix(20) { printError("  " + refused) }
                for refusal in report.refusals.prefix(20) {
                    let colon = Language.current == .zh ? "：" : ": "
                    printError("  \(refusal.idNumber.masked) \(Catalogue.insurance(refusal.insurance).text)\(colon)\(refusal.message.text)")
                }
                if !report.refusals.isEmpty { printError(Catalogue.pricingRefused(report.refusals.count).text) }
                let totals = try printCycleTable(report.cycle)
                for path in report.cycle.written { print(Catalogue.wrote(path).text) }
                summary.counts = ["dues_planned": report.planning.inserted, "dues_repriced": report.planning.repriced,
                                  "dues_refused": report.planning.refused.count + report.refusals.count, "round": report.round,
                                  "lines": totals.lines, "files_written": report.cycle.written.count]
                summary.amountsFen = ["lines": totals.total.fen]
                summary.files = report.cycle.written
                RunLog.info("cycle run residents \(report.year) round \(report.round): \(totals.lines) lines, \(totals.total.yuanText) yuan, \(report.cycle.written.count) files written")
                if wouldStop { throw ExitCode(1) }
            }
        }
    }
}

/// Prints a cycle's table (per bank: payers, lines, amount, files, and the dues left out by reason); returns the totals.
@discardableResult
func printCycleTable(_ report: CycleReport) throws -> CycleBankSummary {
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
    return totals
}


