import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou send` and `pikou fetch`: files to and from the banks' SFTP servers.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: Catalogue.Help.send.text, discussion: Catalogue.exchangeDiscussion.text)

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text))
    var bank: String?
    @OptionGroup var locking: LockOptions

    func run() async throws {
        let workspace = try options.load()
        let code = try bankArgument(bank, in: workspace)
        _ = try await preflight(workspace, scope: .sending, period: nil, bank: code, command: "send")
        let lock = try await locking.lock(workspace, command: "send", actor: options.actorName)
        defer { lock.release() }
        let exchange = try await options.open(workspace).exchange
        var failed = false
        for config in try reporting({ try exchange.servers(bank: code) }) {
            let report = try await reporting { try await exchange.send(config, actor: options.actorName) { print(Catalogue.fileSent($0).text) } }
            failed = printExchange(report, sending: true) || failed
        }
        if failed { throw ExitCode(1) }
    }
}

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
            fetched += report.moved.filter { !$0.hasSuffix(".sig") }
        }
        if ingest && !fetched.isEmpty {
            let (specs, _) = try options.specs(workspace)
            let returns = pikou.returnIngest(specs: specs)
            try await returns.ingest(paths: fetched, bank: nil, debitFileName: nil, actor: options.actorName) { path, result in
                if case .rejected = printIngest(path, try reporting({ try result.get() })) { failed = true }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Prints a bank's exchange: what moved, what was there already, what was left and why; true when
/// a file failed.
func printExchange(_ report: BankExchange.Report, sending: Bool) -> Bool {
    print(Catalogue.exchangeSummary(bank: report.bank, server: report.server, sending: sending, moved: report.moved.count,
                                    already: report.already, skipped: report.skipped.count, failed: report.failed.count).text)
    for (name, why) in report.skipped { print("  \(Catalogue.exchangeSkipped.text) \(name): \(why)") }
    for (name, why) in report.failed { printError("  \(Catalogue.exchangeFailed.text) \(name): \(why)") }
    return !report.failed.isEmpty
}
