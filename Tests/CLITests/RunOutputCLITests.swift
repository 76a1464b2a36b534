import Foundation
import PikouCore
import PikouCycle
import Testing
import TestSupport

/// Issue 15, items 10 and 11: progress on long work (a bar on a terminal, plain lines otherwise,
/// nothing with --quiet), --summary-json for batch jobs, and the workspace's masked run log.
@Suite struct RunOutputCLITests {
    func json(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func longRunsShowProgressLinesUnlessQuietAndWriteTheirSummary() throws {
        let dir = try CycleCLITests().workspace(payers: 40)
        let every = ["PIKOU_PROGRESS_SECONDS": "0"]
        // Not a terminal (a pipe, as under cron): a plain line per stage and per update.
        let cycle = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir,
                                  "--summary-json", dir + "/cycle.json"], environment: every)
        #expect(cycle.status == 0, "\(cycle.stderr)")
        #expect(cycle.stderr.contains("cycle run: writing and signing debit files: "), "\(cycle.stderr)")
        #expect(cycle.stderr.contains("cycle run: composing debits..."), "\(cycle.stderr)")
        #expect(!cycle.stderr.contains("\u{1B}["), "no terminal escapes in a pipe")
        let summary = try json(dir + "/cycle.json")
        #expect(summary["schema"] as? String == "pikou-run/1")
        #expect(summary["command"] as? String == "cycle run" && summary["period"] as? String == "2026-12")
        #expect(summary["exit_code"] as? Int == 0 && summary["result"] as? String == "ok")
        let counts = try #require(summary["counts"] as? [String: Int])
        let files = try #require(summary["files"] as? [String])
        #expect(counts["files_written"] == files.count && !files.isEmpty)
        #expect((counts["lines"] ?? 0) > 0)
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/cycle.json")[.posixPermissions] as? Int == 0o600)

        // Chinese by default; the final count of the writing stage is whole.
        let simulated = try runPikou(["bank", "simulate", "--bank", "BOC", "--out", dir + "/inbox/BOC", "--workspace", dir,
                                      "--summary-json", dir + "/simulate.json"]
                                     + files.filter { $0.contains("/BOC/") }, environment: every.merging(["PIKOU_LANG": ""]) { $1 })
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let bocFiles = files.filter { $0.contains("/BOC/") }.count
        #expect(simulated.stderr.contains("模拟银行回盘：\(bocFiles)/\(bocFiles) 个文件 (100%)"), "\(simulated.stderr)")
        #expect((try json(dir + "/simulate.json")["files"] as? [String])?.count == bocFiles)

        // --quiet: the results on stdout, nothing about progress on stderr.
        let inbox = try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/BOC").map { dir + "/inbox/BOC/" + $0 }
        let ingest = try runPikou(["returns", "ingest", "--quiet", "--workspace", dir, "--summary-json", dir + "/ingest.json"] + inbox, environment: every)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(!ingest.stderr.contains("posting return files"), "\(ingest.stderr)")
        let ingested = try json(dir + "/ingest.json")
        #expect((ingested["counts"] as? [String: Int])?["files_posted"] == bocFiles)
        #expect((ingested["amounts_fen"] as? [String: Int]).map { $0["succeeded"] ?? 0 } ?? 0 > 0)

        // A failing run still writes its summary, with its exit code.
        let failed = try runPikou(["cycle", "run", "--period", "2026-12", "--bank", "NOPE", "--workspace", dir, "--summary-json", dir + "/failed.json"])
        #expect(failed.status == 1)
        let failure = try json(dir + "/failed.json")
        #expect(failure["exit_code"] as? Int == 1 && failure["result"] as? String != "ok", "\(failure)")
    }

    @Test func everyRunIsLoggedInTheWorkspaceMasked() throws {
        let dir = try CycleCLITests().workspace(payers: 10)
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir, "--actor", "zhang"]).status == 0)
        // A payer asked for by whole ID: the log keeps the question, masked.
        _ = try runPikou(["payer", "show", "11010519491231002X", "--workspace", dir])
        let folder = dir + "/logs"
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(logs.count == 1 && logs[0].hasPrefix("pikou-") && logs[0].hasSuffix(".log"), "\(logs)")
        let path = folder + "/" + logs[0]
        #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let log = try String(contentsOfFile: path, encoding: .utf8)
        #expect(log.contains("INFO run start: roster import"), "\(log)")
        #expect(log.contains("INFO run end: roster import failed") && log.contains("exit=2"), "rejected rows: exit 2\n\(log)")
        #expect(log.contains("INFO run start: cycle run") && log.contains("actor=zhang"), "\(log)")
        #expect(log.contains("INFO run end: cycle run ok") && log.contains("exit=0"), "\(log)")
        #expect(log.contains("files written"), "\(log)")
        #expect(log.contains("run start: payer show") && log.contains("110105********002X"), "\(log)")
        #expect(!log.contains("11010519491231002X"), "no whole ID in the log")
        // The runs' own stderr stays free of log lines at the default level.
        let status = try runPikou(["status", "--period", "2026-12", "--workspace", dir])
        #expect(!status.stderr.contains("INFO"), "\(status.stderr)")
        let loud = try runPikou(["status", "--period", "2026-12", "--workspace", dir], environment: ["PIKOU_LOG_LEVEL": "info"])
        #expect(loud.stderr.contains("INFO run start: status"), "\(loud.stderr)")
    }

    @Test func longNumbersInFreeTextAreMasked() {
        #expect(Masking.numbers(in: "payer 11010519491231002X at 6225768888888888, phone 13800000000, line 42")
                == "payer 110105********002X at 6225****8888, phone 1380****0000, line 42")
        #expect(Masking.numbers(in: "张三 420106198001010014。") == "张三 420106********0014。")
        #expect(Masking.numbers(in: "batch 2026120100001") == "batch 2026****0001")
        #expect(Masking.numbers(in: "短 1234567890 号") == "短 1234567890 号")
        // A file name's collector code and date belong to the name.
        #expect(Masking.numbers(in: "wrote BOC_DK_420100000001_20261201_001.txt") == "wrote BOC_DK_420100000001_20261201_001.txt")
    }
}

/// A folder given where a CSV belongs is an error naming it, not a crash (found trying progress).
@Suite struct FolderAsInputCLITests {
    @Test func aFolderGivenAsTheRosterIsAnError() throws {
        let dir = try CycleCLITests().workspace(payers: 3)
        try FileManager.default.createDirectory(atPath: dir + "/folder.csv", withIntermediateDirectories: true)
        let result = try runPikou(["roster", "import", dir + "/folder.csv", "--workspace", dir])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("folder.csv: error: cannot read the file (Is a directory)"), "\(result.stderr)")
    }
}

/// Issue 17, item 5: one writing command at a time per workspace, saying who holds it; --wait queues.
@Suite struct WorkspaceLockCLITests {
    @Test func aSecondWriterIsToldWhoHoldsTheWorkspaceOrWaits() throws {
        let dir = try CycleCLITests().workspace(payers: 8)
        let workspace = try Workspace(directory: dir, defaultFormats: Fixture.formatsDirectory)
        var lock: WorkspaceLock? = try WorkspaceLock.acquire(workspace, command: "cycle run", actor: "li", wait: false)
        let busy = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("another command holds the workspace: cycle run (pid \(getpid()), li, "), "\(busy.stderr)")
        #expect(busy.stderr.contains("--wait"))
        func written() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/BOC")) ?? []).filter { !$0.hasPrefix(".") } }
        #expect(written().isEmpty, "nothing written while locked")
        // Reading commands and a dry run are never held up.
        #expect(try runPikou(["status", "--period", "2026-12", "--workspace", dir]).status != 1)
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--dry-run", "--workspace", dir]).status == 0)
        for arguments in [["returns", "ingest", dir + "/none.txt"], ["resubmit"], ["payments", "import", dir + "/none.csv"], ["roster", "import", dir + "/roster.csv"]] {
            let result = try runPikou(arguments + ["--workspace", dir])
            #expect(result.status == 1 && result.stderr.contains("another command holds the workspace"), "\(arguments): \(result.stderr)")
        }
        // --wait: queued until the holder ends, then it runs.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixture.pikouBinary)
        process.arguments = ["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--wait", "--workspace", dir]
        process.environment = ProcessInfo.processInfo.environment.merging(["PIKOU_LANG": "en"]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var stderr = ""
        let deadline = Date().addingTimeInterval(30)
        while !stderr.contains("waiting for"), Date() < deadline, process.isRunning {
            stderr += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(stderr.contains("waiting for cycle run (pid \(getpid()), li, "), "\(stderr)")
        #expect(process.isRunning && written().isEmpty, "it waits")
        lock?.release()
        lock = nil
        stderr += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(!written().isEmpty)
        // The lock ends with its holder: the next run just runs (nothing to write now).
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir]).status == 0)
    }
}

/// Issue 17, item 10: a value that reaches a file name is validated; nothing is written outside the workspace.
@Suite struct PathValuesCLITests {
    @Test func aCollectorCodeCannotLeadOutOfTheWorkspace() throws {
        let root = try temporaryDirectory()
        let refused = try runPikou(["init", root + "/ws", "--collector", "../../../X", "--formats", Fixture.formatsDirectory])
        #expect(refused.status == 64 && refused.stderr.contains("--collector must be"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/ws/pikou.yaml"))
        // A config edited by hand is refused at load, naming the key and its line.
        let dir = try CycleCLITests().workspace(payers: 3)
        let config = try String(contentsOfFile: dir + "/pikou.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "collector: \"420100000001\"", with: "collector: \"../../../X\"")
            .write(toFile: dir + "/pikou.yaml", atomically: true, encoding: .utf8)
        let run = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir])
        #expect(run.status == 1 && run.stderr.contains("pikou.yaml:") && run.stderr.contains("collector must be"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0 != "ws" }.isEmpty, "nothing written beside the workspace")
        #expect(FileIO.isPlainName("BOC_DK_420100000001_20261201_001.txt"))
        for bad in ["", "..", "../x", "a/b", ".hidden", "a\u{0}b", "a\nb", "a\\b"] { #expect(!FileIO.isPlainName(bad), "\(bad)") }
    }
}
