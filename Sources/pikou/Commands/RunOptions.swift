import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `--quiet` and `--summary-json` of the long-running commands (roster import, cycle run, bank
/// simulate, returns ingest, resubmit).
struct RunOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.quiet.text))
    var quiet = false

    @Option(name: .customLong("summary-json"), help: ArgumentHelp(Catalogue.Help.Option.summaryJSON.text, valueName: "FILE"))
    var summaryJSON: String?

    /// Runs `body` with a progress meter and a summary to fill in; writes the summary (with the exit
    /// code, also when `body` fails) to `--summary-json`, then rethrows what `body` threw.
    func record(_ command: String, _ body: (ProgressMeter, inout RunSummary) async throws -> Void) async throws {
        let meter = ProgressMeter(label: command, quiet: quiet)
        var summary = RunSummary(command: command)
        var failure: (any Error)?
        do { try await body(meter, &summary) } catch { failure = error }
        meter.finish()
        summary.finish(error: failure)
        if let summaryJSON {
            do { try FileIO.writeAtomically(try summary.json(), to: summaryJSON) } catch {
                printError(placedFailure(error, at: summaryJSON, Message(zh: "无法写出运行摘要", en: "cannot write the run summary")).rendered)
                if failure == nil { failure = ExitCode(1) }
            }
        }
        if let failure { throw failure }
    }
}

/// What a run did, for `--summary-json` (schema `pikou-run/1`): amounts in integer fen.
struct RunSummary {
    var command: String
    var started = Date()
    var finished = Date()
    var exitCode: Int32 = 0
    var error: String?
    var period: String?
    var counts: [String: Int] = [:]
    var amountsFen: [String: Int64] = [:]
    var files: [String] = []

    init(command: String) { self.command = command }

    mutating func finish(error failure: (any Error)?) {
        finished = Date()
        switch failure {
        case nil: exitCode = 0
        case let code as ExitCode: exitCode = code.rawValue
        case is ValidationError: exitCode = ExitCode.validationFailure.rawValue
        case let failure?:
            exitCode = 1
            error = Masking.numbers(in: String(describing: failure))
        }
    }

    /// The result word: `ok`, or what the exit code means for this command.
    var result: String { exitCode == 0 ? "ok" : error == nil ? "exit \(exitCode)" : "error" }

    func json() throws -> [UInt8] {
        struct Document: Encodable {
            let schema = "pikou-run/1"
            let command: String, started_at: String, finished_at: String, seconds: Double
            let exit_code: Int32, result: String, error: String?, period: String?
            let counts: [String: Int], amounts_fen: [String: Int64], files: [String]
        }
        let document = Document(
            command: command, started_at: FileIO.chinaTimestamp(started), finished_at: FileIO.chinaTimestamp(finished),
            seconds: (finished.timeIntervalSince(started) * 1000).rounded() / 1000, exit_code: exitCode, result: result, error: error,
            period: period, counts: counts, amounts_fen: amountsFen, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document)) + [10]
    }
}

/// Shows a long run's progress on stderr: on a terminal, one bar redrawn in place (share done,
/// count, rate and time left); otherwise (cron, a pipe) a plain line when a stage starts and every
/// few seconds (`PIKOU_PROGRESS_SECONDS`, default 5). Nothing with `--quiet`.
final class ProgressMeter {
    private let label: String
    private let quiet: Bool
    private let terminal: Bool
    private let interval: TimeInterval
    private var stage: WorkProgress.Stage?
    private var stageStarted = Date()
    private var lastShown = Date.distantPast
    private var barShown = false

    init(label: String, quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        self.quiet = quiet
        terminal = isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
        interval = environment["PIKOU_PROGRESS_SECONDS"].flatMap(TimeInterval.init).map { max(0, $0) } ?? 5
    }

    func update(_ progress: WorkProgress) {
        guard !quiet else { return }
        let now = Date()
        if progress.stage != stage {
            stage = progress.stage
            stageStarted = now
            if !terminal {
                lastShown = now
                printError(Catalogue.progressOf(label, Catalogue.progressLine(progress, elapsed: 0)).text)
                return
            }
        }
        let elapsed = now.timeIntervalSince(stageStarted)
        if terminal {
            let complete = progress.total.map { progress.done >= $0 } ?? false
            guard complete || now.timeIntervalSince(lastShown) >= 0.1 else { return }
            lastShown = now
            let line = Catalogue.progressBar(progress, elapsed: elapsed).text
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            barShown = true
        } else if now.timeIntervalSince(lastShown) >= interval || progress.total.map({ progress.done >= $0 }) == true {
            lastShown = now
            printError(Catalogue.progressOf(label, Catalogue.progressLine(progress, elapsed: elapsed)).text)
        }
    }

    /// A line between updates (a warning, a file written): the bar is cleared first.
    func note(_ text: String) {
        clearBar()
        printError(text)
    }

    /// Clears the bar, if one is shown.
    func finish() { clearBar() }

    private func clearBar() {
        guard barShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        barShown = false
    }
}

/// `--wait` of the commands that write the workspace: one at a time (``WorkspaceLock``).
struct LockOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.wait.text))
    var wait = false

    /// Takes the workspace's writing lock for `command` (and a shared store's), or fails naming who holds it.
    func lock(_ workspace: Workspace, command: String, actor: String) async throws -> WorkspaceLock {
        do {
            let lock = try WorkspaceLock.acquire(workspace, command: command, actor: actor, wait: wait) { holder in
                printError(Catalogue.waitingForWorkspace(holder?.text).text)
            }
            try await lock.holdStore(workspace, wait: wait) { holder in printError(Catalogue.waitingForWorkspace(holder?.text).text) }
            return lock
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }
}
