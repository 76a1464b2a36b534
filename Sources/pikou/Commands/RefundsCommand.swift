import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou refunds write|ingest|show`: the 退费 list paid back through the banks.
struct RefundsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refunds", abstract: Catalogue.Help.refunds.text, discussion: Catalogue.Help.refundsDiscussion.text,
        subcommands: [Write.self, Ingest.self, Show.self])

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.refundsWrite.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period
        @Option(help: ArgumentHelp(Catalogue.Help.refundsBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.refundsDate.text)) var date: String?
        @Option(help: ArgumentHelp(Catalogue.Help.refundsOut.text, valueName: "DIR")) var out: String
        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("refunds write") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let bankCode = try bank.map { try specCode($0, option: "--bank") }
                if let bankCode, specs[bankCode] == nil {
                    printError(PikouError("bank.notEnabled", Catalogue.bankNotEnabled(bankCode, config: workspace.configPath)).rendered)
                    throw ExitCode(1)
                }
                let day = try date.map { try parseDate($0, option: "--date") } ?? FileIO.todayInChina()
                let lock = try await locking.lock(workspace, command: "refunds write", actor: options.actorName)
                defer { lock.release() }
                let refunds = try await options.open(workspace).refunds
                var files: [String] = []
                defer { summary.files += files }
                let outcome = try await reporting {
                    try await refunds.write(period: period, specs: specs, bank: bankCode, date: day, outputDirectory: out, actor: options.actorName) { written in
                        print(RefundCatalogue.written(written.path, lines: written.lines, total: written.total).text)
                        files.append(written.path)
                    }
                }
                for (bank, count) in outcome.withoutLayout.sorted(by: { $0.key < $1.key }) {
                    printError(RefundCatalogue.withoutLayout(bank, count: count).text)
                }
                if outcome.written.isEmpty && outcome.withoutLayout.isEmpty { print(RefundCatalogue.nothingToWrite.text) }
                summary.counts = ["refund_files": outcome.written.count, "refunds": outcome.written.reduce(0) { $0 + $1.lines }]
            }
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.refundsIngest.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.refundsIngestBank.text)) var bank: String
        @Argument(help: ArgumentHelp(Catalogue.Help.refundsFiles.text)) var files: [String]
        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("refunds ingest") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let bankCode = try specCode(bank, option: "--bank")
                guard let spec = specs[bankCode] else {
                    printError(PikouError("bank.notEnabled", Catalogue.bankNotEnabled(bankCode, config: workspace.configPath)).rendered)
                    throw ExitCode(1)
                }
                let lock = try await locking.lock(workspace, command: "refunds ingest", actor: options.actorName)
                defer { lock.release() }
                let refunds = try await options.open(workspace).refunds
                try await ingestEach(files, meter: meter, summary: &summary, kind: RefundCatalogue.kind, label: RefundCatalogue.state, stage: .ingesting) { path in
                    try await refunds.ingest(path: path, spec: spec, actor: options.actorName)
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.refundsShow.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.refunds.lines(period: period) }
            guard !lines.isEmpty else {
                print(RefundCatalogue.noRefunds.text)
                return
            }
            var table = TextTable(RefundCatalogue.columns.enumerated().map { index, title in TextTable.Column(title.text, index == 4 ? .right : .left) })
            for line in lines {
                table.add([
                    String(line.id), line.bank, Masking.idNumber(line.idNumber), Insurance(line.insurance).map { Catalogue.insurance($0).text } ?? line.insurance,
                    line.amount.groupedYuanText,
                    RefundCatalogue.state(line.state.rawValue).text + (line.state == .failed ? "（" + (Outcome(rawValue: line.outcome).map { Catalogue.outcome($0).text } ?? line.outcome) + "）" : ""),
                    line.state == .paid ? (line.treasuryConfirmed ? RefundCatalogue.confirmed : RefundCatalogue.notConfirmed).text : "—", line.fileName,
                ])
            }
            for text in table.lines() { print(text) }
        }
    }
}
