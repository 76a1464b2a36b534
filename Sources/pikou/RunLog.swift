import ArgumentParser
import Foundation
import Logging
import PikouCore
import PikouCycle

/// Pikou's log, through swift-log: each line masked (long numbers: IDs, accounts, phones), written
/// to stderr from `PIKOU_LOG_LEVEL` up (default `warning`, so a run's own output stays clean) and,
/// when the command works on a workspace, appended to `<workspace>/logs/pikou-YYYYMMDD.log` (the
/// day in China; folder 0700, file 0600) from `info` up: one line when a run starts (actor,
/// command, arguments) and one when it ends (result, exit code, seconds), with what it did between.
enum RunLog {
    nonisolated(unsafe) private static var logger = Logger(label: "pikou")
    nonisolated(unsafe) private static var started = Date()
    nonisolated(unsafe) private static var command = ""
    nonisolated(unsafe) private static var open = false
    nonisolated(unsafe) private static var parsedCommand: any ParsableCommand = Pikou()

    /// Starts the log of one run of `parsed` (a command parsed from `arguments`).
    static func start(_ parsed: any ParsableCommand, arguments: [String]) {
        let environment = ProcessInfo.processInfo.environment
        let stderrLevel = environment["PIKOU_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let store = storeOptions(of: parsed)
        // Never through a symbolic link: a writing command refuses to start then (``WorkspaceLock``).
        let folder = store.map(\.directory).flatMap { FileManager.default.fileExists(atPath: $0 + "/pikou.yaml") ? $0 + "/logs" : nil }
            .flatMap { FileIO.linkTarget($0) == nil ? $0 : nil }
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = [MaskingLogHandler(label: label, stderrLevel: stderrLevel, folder: nil)]
            if let folder { handlers.append(MaskingLogHandler(label: label, stderrLevel: nil, folder: folder)) }
            var handler = MultiplexLogHandler(handlers)
            handler.logLevel = min(.info, stderrLevel)
            return handler
        }
        logger = Logger(label: "pikou")
        command = commandPath(arguments)
        parsedCommand = parsed
        started = Date()
        open = true
        let actor = store?.actorName ?? environment["USER"] ?? "pikou"
        logger.info("run start: \(command)", metadata: ["actor": "\(actor)", "pid": "\(getpid())", "arguments": "\(redacted(arguments).joined(separator: " "))"])
    }

    /// Ends the run's log with its result.
    static func finish(exitCode: Int32, error: (any Error)? = nil) {
        guard open else { return }
        open = false
        notify(exitCode: exitCode, error: error)
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        var metadata: Logger.Metadata = ["exit": "\(exitCode)", "seconds": "\(seconds)"]
        if let error, !(error is ExitCode) { metadata["error"] = "\(String(describing: error))" }
        logger.info("run end: \(command) \(exitCode == 0 ? "ok" : "failed")", metadata: metadata)
    }

    /// The commands that must not anchor the journal: `check` and `doctor` judge the store, and an
    /// anchor they wrote would vouch for entries appended behind Pikou's back since the last one.
    private static let judges = ["check", "doctor"]

    /// After a command on a workspace (whether it finished or failed half-way), appends the
    /// journal's head to the workspace's anchors file and its copies (``JournalAnchors``) if it moved,
    /// and logs it. Every command does (not only those known to write): a command that wrote and
    /// did not anchor would leave entries that `check` cannot tell from entries appended outside Pikou.
    static func anchorJournal() async {
        guard open, !judges.contains(where: { command == $0 || command.hasPrefix($0 + " ") }),
              let options = storeOptions(of: parsedCommand), FileManager.default.fileExists(atPath: options.directory + "/pikou.yaml"),
              let workspace = try? options.load() else { return }
        do {
            let pikou = try await options.open(workspace)
            if let head = try await pikou.anchorJournal() { logger.info("journal head: \(head.text)") }
        } catch {
            logger.warning("journal anchor not written: \(String(describing: error))")
        }
    }

    /// A line about what the run did (a file written, a return posted).
    static func info(_ message: String) { logger.info("\(message)") }

    /// A warning about the run (a notifier that failed): the run's own outcome stays as it is.
    static func warning(_ message: String) { logger.warning("\(message)") }

    /// A scheduled job (``Notifier/jobs``) that failed runs the workspace's `notify.command`; `report`
    /// passes its verdicts through ``verdict(_:key:exitCode:)`` instead (its exit status is the verdict).
    private static func notify(exitCode: Int32, error: (any Error)?) {
        guard exitCode != 0, exitCode != ExitCode.validationFailure.rawValue, command != "report",
              Notifier.jobs.contains(command), let options = storeOptions(of: parsedCommand), let workspace = try? options.load() else { return }
        let message = error.map { $0 is ExitCode ? "exit \(exitCode)" : Masking.numbers(in: PikouError($0).message.text) } ?? "exit \(exitCode)"
        if let problem = Notifier(workspace: workspace).jobFailed(command: command, exitCode: exitCode, message: message) {
            logger.warning("\(problem)")
        }
    }

    /// Records a report's verdict; a changed one runs the workspace's `notify.command`.
    static func verdict(_ verdict: String, key: String, exitCode: Int32) {
        guard let options = storeOptions(of: parsedCommand), let workspace = try? options.load() else { return }
        if let problem = Notifier(workspace: workspace).verdict(verdict, key: key, command: command, exitCode: exitCode) {
            logger.warning("\(problem)")
        }
    }

    /// The command's store options, if it works on a workspace.
    private static func storeOptions(of command: any ParsableCommand) -> StoreOptions? {
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<StoreOptions> { return group.wrappedValue }
        }
        return nil
    }

    /// `cycle run`, `report`: the subcommand names at the front of the arguments.
    private static func commandPath(_ arguments: [String]) -> String {
        var path: [String] = []
        var commands = Pikou.configuration.subcommands
        for argument in arguments {
            guard let next = commands.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            commands = next.configuration.subcommands
        }
        return path.joined(separator: " ")
    }

    /// The arguments with values of options that could hold a secret replaced.
    private static func redacted(_ arguments: [String]) -> [String] {
        var output: [String] = []
        var hideNext = false
        for argument in arguments {
            let secret = argument.hasPrefix("--") && ["pass", "secret", "password", "token"].contains { argument.lowercased().contains($0) }
            if hideNext {
                output.append("***")
                hideNext = false
            } else if secret, let equals = argument.firstIndex(of: "=") {
                output.append(String(argument[..<equals]) + "=***")
            } else {
                output.append(argument)
                hideNext = secret
            }
        }
        return output
    }
}

/// Writes masked log lines to stderr (`stderrLevel`) or appends them to the day's file in `folder`.
struct MaskingLogHandler: LogHandler {
    let label: String
    let stderrLevel: Logger.Level?
    let folder: String?
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String, stderrLevel: Logger.Level?, folder: String?) {
        self.label = label
        self.stderrLevel = stderrLevel
        self.folder = folder
        logLevel = stderrLevel ?? .info
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
        let line = Masking.numbers(in: "\(FileIO.chinaTimestamp()) \(event.level.rawValue.uppercased()) \(event.message)\(fields.isEmpty ? "" : " " + fields)") + "\n"
        if let stderrLevel {
            guard event.level >= stderrLevel else { return }
            FileHandle.standardError.write(Data(line.utf8))
        } else if let folder {
            Self.append(line, folder: folder)
        }
    }

    /// Appends to `folder/pikou-YYYYMMDD.log` (created 0600 in a 0700 folder); one write per line
    /// with O_APPEND, so lines of runs at once do not mix.
    private static func append(_ line: String, folder: String) {
        guard (try? FileIO.makePrivateDirectory(folder)) != nil else { return }
        let today = todayInChina()
        let path = folder + "/pikou-" + String(format: "%04d%02d%02d", today.year, today.month, today.day) + ".log"
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
