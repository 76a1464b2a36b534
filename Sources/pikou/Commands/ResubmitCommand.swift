import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou resubmit`.
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: Catalogue.Help.resubmit.text,
        discussion: Catalogue.Help.Discussion.resubmit.text
    )

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitOutcome.text)) var outcome: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitPayer.text)) var payer: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitOperator.text)) var `operator`: String?
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.resubmitDryRun.text)) var dryRun = false
    @Option(help: ArgumentHelp(Catalogue.Help.Option.fileDate.text)) var date: String?
    @OptionGroup var locking: LockOptions

    func run() async throws {
        let workspace = try options.load()
        let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
        let (specs, calendar) = try options.specs(workspace, years: [today.year])
        let wouldStop = try await preflight(workspace, scope: .writing, period: nil, bank: bank, command: "resubmit", dryRun: dryRun)
        let lock = try await dryRun ? nil : locking.lock(workspace, command: "resubmit", actor: `operator` ?? options.actorName)
        defer { lock?.release() }
        let pikou = try await options.open(workspace)
        let policy = workspace.retry
        let outcomeValue = try outcome.map(outcomeArgument)
        let filter = FailureFilter(period: period, bank: try bankArgument(bank, in: workspace), outcome: outcomeValue, idNumber: try payer.map { try idNumberArgument($0) })
        let report = try await reporting {
            try await pikou.resubmission(specs: specs, calendar: calendar, policy: policy)
                .run(filter: filter, actor: `operator` ?? options.actorName, dryRun: dryRun, today: today)
        }
        printDiagnostics(report.warnings)
        print(Catalogue.resubmitHeadline(dryRun: dryRun, lines: report.lines, yuan: report.total.groupedYuanText).text)
        for (step, count) in report.steps.sorted(by: { $0.key.en < $1.key.en }) { print("  \(step.text.padded(to: 28)) \(count)") }
        if report.takenConcurrently > 0 { print("  " + Catalogue.takenConcurrently.text) }
        for path in report.written { print(Catalogue.wrote(path).text) }
        if wouldStop { throw ExitCode(1) }
    }
}
