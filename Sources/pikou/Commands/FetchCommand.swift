import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetch", abstract: Catalogue.Help.fetch.text, discussion: Catalogue.exchangeDiscussion.text)

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text))
    var bank: String?
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.fetchIngest.text))
    var ingest = false
    @OptionGroup var locking: LockOptions

    func run() async throws {
        let workspace = try options.load()
        let code = try bankArgument(bank, in: workspace)
        let lock = try await locking.lock(workspace, command: "fetch", actor: options.actorName)
        defer { lock.release() }
        let pikou = try await options.open(workspace)
        var failed = false
        var fetched: [String] = []
        for config in try reporting({ try pikou.exchange.servers(bank: code) }) {
            let report = try await reporting { try await pikou.exchange.fetch(config, actor: options.actorName) { print(Catalogue.fileFetched($0).text) } }
            failed = printExchange(report, sending: false) || failed
            fetched += report.moved.filter { file in !SignatureSpec.detachedSuffixes.contains { file.hasSuffix($0) } }
        }
        if ingest && !fetched.isEmpty {
            let (specs, _) = try options.specs(workspace)
            let returns = pikou.returnIngest(specs: specs)
            try await returns.ingest(paths: fetched, bank: nil, debitFileName: nil, actor: options.actorName) { path, result in
                if case .rejected = printIngest(path, try reporting({ try result.get() }), workspace: workspace, command: "fetch") { failed = true }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
