import Foundation

/// `notify.command` of pikou.yaml: the office hears of a failed job or a changed 钱表相符 verdict
/// without looking. The program runs without a shell, its arguments as configured, with what
/// happened in its environment (`PIKOU_EVENT` `job-failed` or `verdict-changed`, `PIKOU_COMMAND`,
/// `PIKOU_EXIT_CODE`, `PIKOU_WORKSPACE`, `PIKOU_MESSAGE` — already masked — and for a verdict
/// `PIKOU_PERIOD`, `PIKOU_VERDICT`, `PIKOU_PREVIOUS_VERDICT`); its output goes to
/// `logs/notify.log`. A notifier that fails is logged and never changes the job's own exit status.
public struct Notifier {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// The commands a scheduler runs, whose failure someone must hear of.
    public static let jobs = ["cycle run", "cycle run residents", "send", "fetch", "returns ingest", "resubmit", "check", "report"]

    /// Tells of a job that ended with `exitCode` (not 0). Returns why the notifier failed, if it did.
    @discardableResult
    public func jobFailed(command: String, exitCode: Int32, message: String) -> String? {
        send(["PIKOU_EVENT": "job-failed", "PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": String(exitCode), "PIKOU_MESSAGE": message])
    }

    /// Records `verdict` for `key` (a scheme and period) in `run/verdicts/`, and tells when it differs
    /// from the one recorded before (the first verdict of a period is recorded, not told).
    @discardableResult
    public func verdict(_ verdict: String, key: String, command: String, exitCode: Int32) -> String? {
        let folder = workspace.directory + "/run/verdicts"
        let safe = String(key.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" ? Character($0) : "_" })
        let path = folder + "/" + safe
        let previous = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard previous != verdict else { return nil }
        do {
            try FileIO.makePrivateDirectory(workspace.directory + "/run")
            try FileIO.makePrivateDirectory(folder)
            try FileIO.writeAtomically(Array((verdict + "\n").utf8), to: path)
        } catch {
            return "\(path): \(error)"
        }
        guard let previous else { return nil }
        return send(["PIKOU_EVENT": "verdict-changed", "PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": String(exitCode), "PIKOU_PERIOD": key,
                     "PIKOU_VERDICT": verdict, "PIKOU_PREVIOUS_VERDICT": previous, "PIKOU_MESSAGE": "\(key): \(previous) → \(verdict)"])
    }

    private func send(_ event: [String: String]) -> String? {
        guard let command = workspace.notifyCommand, let program = command.first else { return nil }
        var environment = event
        environment["PIKOU_WORKSPACE"] = workspace.directory
        for name in ["PATH", "HOME", "LANG", "TZ", "USER"] { if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value } }
        let log = workspace.directory + "/logs/notify.log"
        do {
            try FileIO.makePrivateDirectory(workspace.directory + "/logs")
            let ended = try Spawn.run(program, Array(command.dropFirst()), environment: environment, stdout: log, stderr: log + ".err")
            return ended.succeeded ? nil : "notify.command \(program) ended with \(ended.signalled ? "signal" : "status") \(ended.status) (\(log))"
        } catch {
            return "notify.command: \(error)"
        }
    }
}
