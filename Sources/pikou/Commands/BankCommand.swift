import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle

/// `pikou bank simulate`.
struct BankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bank", abstract: Catalogue.Help.bank.text, subcommands: [Simulate.self, BankStatementCommand.self, BankTreasuryCommand.self])

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.bankSimulate.text,
            discussion: Catalogue.Help.Discussion.bankSimulate.text
        )

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCode.text))
        var bank: String

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.debitFiles.text))
        var debitFiles: [String]

        @Option(help: ArgumentHelp(Catalogue.Help.Option.simulateOut.text, valueName: "DIR"))
        var out: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.seed.text))
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp(Catalogue.Help.Option.failRate.text))
        var failRate: Double = 0.05

        @Option(help: ArgumentHelp(Catalogue.Help.Option.simulateBankKey.text, valueName: "FILE"))
        var bankKey: String?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.simulateBankPassphraseFile.text, valueName: "FILE"))
        var bankPassphraseFile: String?

        @OptionGroup var run: RunOptions

        func validate() throws {
            if bankPassphraseFile != nil && bankKey == nil { throw ValidationError(Catalogue.Help.Option.simulateBankPassphraseWithoutKey.text) }
        }

        func run() async throws {
            guard (0...1).contains(failRate) else {
                throw usageError(Message(zh: "--fail-rate 须在 0 到 1 之间", en: "--fail-rate must be between 0 and 1"))
            }
            try await run.record("bank simulate") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                guard let spec = specs[bank.uppercased()] else {
                    printError(PikouError("bank.notEnabled", Catalogue.bankNotEnabled(bank, config: workspace.configPath)).rendered)
                    throw ExitCode(1)
                }
                let returnKey = try bankKey.map { path in
                    try reporting { try PrivateKey(path: path, passphrase: try bankPassphraseFile.map(PassphraseFile.read)) }
                }
                let simulator = BankSimulator(spec: spec, signing: workspace.signing, returnKey: returnKey)
                let paths = debitFiles.filter { file in !SignatureSpec.detachedSuffixes.contains { file.hasSuffix($0) } }
                var outcomes: [Outcome: Int] = [:]
                var (lines, total) = (0, Money(fen: 0))
                for (index, path) in paths.enumerated() {
                    meter.update(WorkProgress(.simulating, done: index, total: paths.count))
                    let result = try reporting {
                        try simulator.simulate(debitFile: path, outputDirectory: out, seed: seed, failRate: failRate)
                    }
                    meter.finish()
                    print(Catalogue.simulatedReturn(result.path, lines: result.lines, yuan: result.total.yuanText).text)
                    for outcome in Outcome.allCases where result.outcomes[outcome] != nil {
                        // (A refund's answer: paid, or failed and why.)
                        let label = result.kind == .refund
                            ? (outcome == .succeeded ? RefundCatalogue.state(RefundState.paid.rawValue).text
                                : RefundCatalogue.state(RefundState.failed.rawValue).text + "（" + Catalogue.outcome(outcome).text + "）")
                            : Catalogue.outcome(outcome).text
                        print("  \(label.padded(to: 18)) \(result.outcomes[outcome]!)")
                        outcomes[outcome, default: 0] += result.outcomes[outcome]!
                    }
                    lines += result.lines
                    total = try reporting { try total.adding(result.total) }
                    summary.files.append(result.path)
                }
                meter.update(WorkProgress(.simulating, done: paths.count, total: paths.count))
                summary.counts = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key.rawValue, $0.value) })
                summary.counts["lines"] = lines
                summary.amountsFen = ["lines": total.fen]
            }
        }
    }
}
