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
