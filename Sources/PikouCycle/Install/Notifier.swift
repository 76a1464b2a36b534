public import Foundation
public import PikouCore

/// Staff alerts: the office hears of a failed job, a return file posted or refused, a changed 钱表相符
/// verdict or a certificate near its end without looking. Each alert is one line in Chinese (and
/// English) with where to look closer (a command; for a failed job, its run log), kept in `run/alerts.jsonl` (0600; the console's 总览
/// shows the latest) and handed to `notify.command` of pikou.yaml.
///
/// The program runs without a shell, its arguments as configured, with what happened in its
/// environment (`PIKOU_EVENT` `job-failed`, `verdict-changed`, `return-posted`, `return-refused` or
/// `certificate-expiring`; `PIKOU_ALERT`, the line in the workspace's language; `PIKOU_LOOK`, the
/// command to look closer; `PIKOU_COMMAND`, `PIKOU_EXIT_CODE`, `PIKOU_WORKSPACE`, `PIKOU_MESSAGE` —
/// already masked — and for a verdict `PIKOU_PERIOD`, `PIKOU_VERDICT`, `PIKOU_PREVIOUS_VERDICT`); its
/// output goes to `logs/notify.log`. A notifier that fails is logged and never changes the job's own
/// exit status.
public struct Notifier {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// The commands a scheduler runs, whose failure someone must hear of.
    public static let jobs = ["cycle run", "cycle run residents", "send", "fetch", "returns ingest", "resubmit", "check", "report"]

    /// Tells of a job that ended with `exitCode` (not 0). Returns why the notifier failed, if it did.
    @discardableResult
    public func jobFailed(command: String, exitCode: Int32, message: String) -> String? {
        // Where to look closer: the day's run log (its lines of this run end with the run's end line).
        let log = workspace.directory + "/logs/pikou-" + FileIO.todayInChina().description.replacingOccurrences(of: "-", with: "") + ".log"
        let said = message == "exit \(exitCode)" ? nil : message
        return alert(.jobFailed, Catalogue.Alerts.jobFailed(command: command, exitCode: exitCode, message: said), look: log,
                     ["PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": String(exitCode), "PIKOU_MESSAGE": message])
    }

    /// Tells of a return file posted: its bank, debit file and counts.
    @discardableResult
    public func returnPosted(bank: String, debitFile: String, succeeded: Int, failed: Int, command: String) -> String? {
        let name = workspace.bankNames()[bank] ?? bank
        return alert(.returnPosted, Catalogue.Alerts.returnPosted(bank: name, debitFile: debitFile, succeeded: succeeded, failed: failed),
                     look: "pikou failures --bank \(bank) --workspace \(workspace.directory)",
                     ["PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": "0", "PIKOU_MESSAGE": "\(bank)/\(debitFile): \(succeeded) succeeded, \(failed) failed"])
    }

    /// Tells of a return file refused: its name and the first reason (masked), with its line.
    @discardableResult
    public func returnRefused(path: String, diagnostic: Diagnostic?, command: String) -> String? {
        let file = (path as NSString).lastPathComponent
        var reason = Message(zh: "", en: "")
        if let diagnostic {
            let at = diagnostic.line.map { Message(zh: "第 \($0) 行\(diagnostic.field.map { " \($0)" } ?? "")：", en: "line \($0)\(diagnostic.field.map { " \($0)" } ?? ""): ") }
            reason = Message(zh: Masking.numbers(in: (at?.zh ?? "") + diagnostic.text.zh), en: Masking.numbers(in: (at?.en ?? "") + diagnostic.text.en))
        }
        return alert(.returnRefused, Catalogue.Alerts.returnRefused(file: file, reason: reason),
                     look: "pikou returns ingest \(path) --workspace \(workspace.directory)",
                     ["PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": "1", "PIKOU_MESSAGE": "\(file): \(reason.en)"])
    }

    /// Tells of the certificates near their end (``Doctor/expiringCertificates(now:)``): each once a
    /// day at most (`run/alerts-told/`), so a daily `check` says it daily until someone renews it.
    @discardableResult
    public func certificatesExpiring(_ findings: [Doctor.Finding], command: String, today: CivilDate = FileIO.todayInChina()) -> [String] {
        var problems: [String] = []
        for finding in findings {
            let label = "\(finding.bank ?? "workspace")-\(finding.item)"
            let key = Self.fileName("certificate-" + label)
            guard firstToday(key, today: today) else { continue }
            if let problem = alert(.certificateExpiring, Catalogue.Alerts.certificateExpiring(finding.detail), look: "pikou doctor --workspace \(workspace.directory)",
                                   ["PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": "0", "PIKOU_MESSAGE": finding.detail.en]) {
                problems.append(problem)
            }
        }
        return problems
    }

    /// `key` as a file's name under `run/`: letters, digits and `-` kept, anything else `_`.
    private static func fileName(_ key: String) -> String {
        String(key.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" ? Character($0) : "_" })
    }

    /// Whether `key` is told for the first time `today` (and records that it was).
    private func firstToday(_ key: String, today: CivilDate) -> Bool {
        let folder = workspace.directory + "/run/alerts-told"
        let path = folder + "/" + key
        if (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == today.description { return false }
        try? FileIO.makePrivateDirectory(workspace.directory + "/run")
        try? FileIO.makePrivateDirectory(folder)
        try? FileIO.writeAtomically(Array((today.description + "\n").utf8), to: path)
        return true
    }

    /// Records `verdict` for `key` (a scheme and period) in `run/verdicts/`, and tells when it differs
    /// from the one recorded before (the first verdict of a period is recorded, not told).
    @discardableResult
    public func verdict(_ verdict: String, key: String, command: String, exitCode: Int32) -> String? {
        let folder = workspace.directory + "/run/verdicts"
        let safe = Self.fileName(key)
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
        // The key is `flexible-monthly-2026-12` or `residents-annual-2027`: said as a person says it.
        let residents = key.hasPrefix("residents-annual-")
        let when = String(key.dropFirst(residents ? "residents-annual-".count : key.hasPrefix("flexible-monthly-") ? "flexible-monthly-".count : 0))
        let look = residents ? "pikou report --scheme residents-annual --year \(when)" : "pikou report --period \(when)"
        return alert(.verdictChanged, Catalogue.Alerts.verdictChanged(when: when, residents: residents, from: previous, to: verdict),
                     look: look + " --workspace \(workspace.directory)",
                     ["PIKOU_COMMAND": command, "PIKOU_EXIT_CODE": String(exitCode), "PIKOU_PERIOD": key,
                      "PIKOU_VERDICT": verdict, "PIKOU_PREVIOUS_VERDICT": previous, "PIKOU_MESSAGE": "\(key): \(previous) → \(verdict)"])
    }

    /// Keeps the alert in `run/alerts.jsonl` and hands it to `notify.command`. Returns why either failed.
    private func alert(_ event: StaffAlert.Event, _ line: Message, look: String, _ environment: [String: String]) -> String? {
        let alert = StaffAlert(at: FileIO.chinaTimestamp(), event: event, zh: line.zh, en: line.en, look: look)
        let kept = StaffAlert.append(alert, workspace: workspace)
        var environment = environment
        environment["PIKOU_EVENT"] = event.rawValue
        environment["PIKOU_ALERT"] = line.text
        environment["PIKOU_LOOK"] = look
        let sent = send(environment)
        return [kept, sent].compactMap { $0 }.first
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

/// One staff alert as `run/alerts.jsonl` keeps it: when, what, the line in both languages (masked)
/// and the command to look closer. The file is cut back to its latest alerts as it grows.
public struct StaffAlert: Codable, Sendable, Hashable {
    public enum Event: String, Codable, Sendable, CaseIterable {
        case jobFailed = "job-failed"
        case returnPosted = "return-posted"
        case returnRefused = "return-refused"
        case verdictChanged = "verdict-changed"
        case certificateExpiring = "certificate-expiring"
    }

    /// China time, ISO 8601.
    public var at: String
    public var event: Event
    public var zh: String
    public var en: String
    public var look: String

    public var message: Message { Message(zh: zh, en: en) }

    /// The file, in the workspace's `run` folder.
    static func path(_ workspace: Workspace) -> String { workspace.directory + "/run/alerts.jsonl" }

    /// The file is cut back to its latest alerts, about half of ``cutAt`` bytes, once it passes
    /// ``cutAt``; a line is at most ``longest`` characters a language.
    static let cutAt = 256 * 1024
    static let longest = 500

    /// Appends `alert` (one line, one write, under an exclusive lock that the cut takes too: runs at
    /// once never mix or lose a line). Returns why it could not.
    static func append(_ alert: StaffAlert, workspace: Workspace) -> String? {
        let path = path(workspace)
        var alert = alert
        if alert.zh.count > longest { alert.zh = String(alert.zh.prefix(longest)) + "…" }
        if alert.en.count > longest { alert.en = String(alert.en.prefix(longest)) + "…" }
        do {
            try FileIO.makePrivateDirectory(workspace.directory + "/run")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var line = try encoder.encode(alert)
            line.append(0x0A)
            let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return "\(path): \(String(cString: strerror(errno)))" }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
            defer { flock(descriptor, LOCK_UN) }
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count else { return "\(path): \(String(cString: strerror(errno)))" }
            var info = stat()
            if fstat(descriptor, &info) == 0, Int(info.st_size) > cutAt {
                // Cut in place (the same file, still locked): keep the newest lines within half the limit.
                var kept: [String] = []
                var size = 0
                for alert in read(workspace: workspace).reversed() {
                    let text = String(decoding: try encoder.encode(alert), as: UTF8.self) + "\n"
                    if size + text.utf8.count > cutAt / 2 { break }
                    kept.append(text)
                    size += text.utf8.count
                }
                let bytes = Array(kept.reversed().joined().utf8)
                guard ftruncate(descriptor, 0) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
                let rewritten = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard rewritten == bytes.count else { return "\(path): \(String(cString: strerror(errno)))" }
            }
            return nil
        } catch {
            return "\(path): \(error)"
        }
    }

    /// Every alert kept, oldest first (a line that does not read is skipped).
    static func read(workspace: Workspace) -> [StaffAlert] {
        guard let data = FileManager.default.contents(atPath: path(workspace)) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(StaffAlert.self, from: Data($0)) }
    }

    /// The latest alerts of the last `days` days, newest first, at most `limit`.
    public static func recent(workspace: Workspace, limit: Int = 10, days: Int = 30, now: Date = Date()) -> [StaffAlert] {
        let since = FileIO.chinaTimestamp(now.addingTimeInterval(-Double(days) * 86_400))
        return Array(read(workspace: workspace).filter { $0.at >= since }.reversed().prefix(limit))
    }
}

extension UseCases {
    /// The latest staff alerts of the workspace, newest first (``StaffAlert/recent(workspace:limit:days:now:)``).
    public func staffAlerts(limit: Int = 10) -> [StaffAlert] { StaffAlert.recent(workspace: workspace, limit: limit) }
}
