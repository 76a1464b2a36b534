import ArgumentParser
import Foundation
import PikouConsole
import PikouCore
import PikouCycle

/// `pikou console`: the web console on this workspace's store.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: Catalogue.Help.console.text, discussion: Catalogue.Help.consoleDiscussion.text)

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.consoleListen.text, valueName: "HOST:PORT")) var listen = "127.0.0.1:8080"
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.consoleSecureCookies.text)) var secureCookies = false
    @Option(help: ArgumentHelp(Catalogue.Help.Option.consoleDate.text, valueName: "YYYY-MM-DD")) var date: String?

    func run() async throws {
        // HOST:PORT, the host possibly an IPv6 address in brackets ([::1]:8080).
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port) else {
            throw usageError(Message(zh: "--listen \(listen)：地址格式不对", en: "--listen \(listen)"),
                             fix: Message(zh: "写作 主机:端口，如 127.0.0.1:8080", en: "write it as HOST:PORT, e.g. 127.0.0.1:8080"))
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw usageError(Message(zh: "--listen \(listen)：缺少主机，如 127.0.0.1:8080", en: "--listen \(listen): no host; e.g. 127.0.0.1:8080"))
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) && !secureCookies {
            printError(Message(
                zh: "警告：\(host) 可被其他机器访问，而密码和会话会以明文 HTTP 传输；请放在 TLS 反向代理之后并加 --secure-cookies",
                en: "warning: \(host) is reachable from other machines, and passwords and sessions would cross the network as plain HTTP; serve it behind a TLS reverse proxy with --secure-cookies").text)
        }
        let workspace = try options.load()
        let useCases = try await options.open(workspace)
        let users = UserBook(workspaceDirectory: workspace.directory)
        if try await reporting({ try await users.all() }).isEmpty {
            printError(Message(zh: "提示：还没有用户，先运行 `pikou users add NAME --role admin --workspace \(workspace.directory)`",
                               en: "note: no users yet; first run `pikou users add NAME --role admin --workspace \(workspace.directory)`").text)
        }
        let fixed = try date.map { try parseDate($0, option: "--date") }
        let console = Console(useCases: useCases, users: users, language: Language.current, secureCookies: secureCookies,
                              today: { fixed ?? FileIO.todayInChina() })
        let address = host.contains(":") ? "[\(host)]" : host
        try await reporting {
            try await console.run(host: host, port: port) {
                printError(Message(zh: "批扣工作台：http://\(address):\(port)/ （Ctrl-C 停止）", en: "Pikou console: http://\(address):\(port)/ (Ctrl-C stops it)").text)
            }
        }
    }
}
