import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// `pikou notify` through the binary: every example its help gives, as written, on a month with failures.
@Suite struct NotifyCLITests {
    @Test func theHelpsExamplesRun() async throws {
        let ws = try await TestWorkspace.month(backend: .sqlite, payers: 30)
        let dir = ws.workspace.directory
        let someone = try #require(try await ws.useCases.failures(FailureFilter(), today: TestWorkspace.fileDate).first).record.idNumber.value
        let help = try runPikou(["notify", "--help"], environment: ["PIKOU_LANG": "zh"])
        #expect(help.status == 0)
        let examples = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("pikou notify ") }
        #expect(examples.count == 6, "\(help.stdout)")
        for example in examples {
            let arguments = example.split(separator: " ").dropFirst().map { word in
                word == "WS" ? dir : word == "身份证号" ? someone : String(word)
            }
            let run = try runPikou(arguments, in: dir, environment: ["PIKOU_LANG": "zh"])
            #expect(run.status == 0, "\(example): \(run.stderr)")
            #expect(!run.stdout.contains(someone), "\(example) printed a whole ID")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/2026-12-notices.xlsx"))
        // notify retry's own example, as written.
        let retryHelp = try runPikou(["notify", "retry", "--help"], environment: ["PIKOU_LANG": "zh"])
        let retries = retryHelp.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("pikou notify retry ") }
        #expect(retries.count == 1, "\(retryHelp.stdout)")
        for example in retries {
            let run = try runPikou(example.split(separator: " ").dropFirst().map { $0 == "WS" ? dir : String($0) }, environment: ["PIKOU_LANG": "zh"])
            #expect(run.status == 0 && run.stdout.contains("没有符合条件的发送失败的通知"), "\(example): \(run.stdout) \(run.stderr)")
        }
        let listed = try runPikou(["notify", "list", "--workspace", dir, "--format", "csv"], environment: ["PIKOU_LANG": "zh"])
        #expect(listed.status == 0 && listed.stdout.contains("已导出"), "\(listed.stdout)")
        // A kind that is not one is named, with the fix.
        let wrong = try runPikou(["notify", "plan", "--kind", "sms", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--kind 'sms' 不是通知类型") && wrong.stderr.contains("debit_failed"), "\(wrong.stderr)")
    }
}

extension NotifyCLITests {
    /// `pikou notify send` against a stand-in gateway on 127.0.0.1 (scripts/sms_stub.py): killed
    /// between the gateway's answer and its record, then run again, it sends no notice twice — the
    /// retried request carries the same client reference, which the gateway takes as one message.
    @Test func aSendKilledMidwaySendsNoneTwice() async throws {
        let (ws, count, stub, stubDir) = try await monthWithStub(payers: 30, secret: "stub-token-42", tokenFile: "sms-token") { port in
            "{url: \"http://127.0.0.1:\(port)/sms\", token_file: sms-token, timeout_seconds: 5}"
        }
        defer { kill(stub.processIdentifier, SIGKILL) }
        let dir = ws.workspace.directory
        #expect(count >= 2)

        let killed = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_CRASH_AT": "notice.answered", "PIKOU_LANG": "zh"])
        #expect(killed.status == 86, "\(killed.stderr)")
        let again = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(again.status == 0 && again.stdout.contains("已发送 \(count) 条，发送失败 0 条"), "\(again.stdout) \(again.stderr)")
        let log = try String(contentsOfFile: stubDir + "/log", encoding: .utf8).split(separator: "\n")
        #expect(log.filter { $0.contains("\"new\": true") }.count == count, "one message per notice")
        #expect(log.count == count + 1, "the notice whose answer was lost was asked again, under its reference")
        let sent = try await ws.store.notices(NoticeFilter())
        #expect(sent.allSatisfy { $0.state == .sent && !$0.gatewayID.isEmpty } && sent.count == count)
        // The send help's examples, as written: nothing left, exit 0.
        let help = try runPikou(["notify", "send", "--help"], environment: ["PIKOU_LANG": "zh"])
        let examples = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("pikou notify send") }
        #expect(examples.count == 2, "\(help.stdout)")
        for example in examples {
            let run = try runPikou(example.split(separator: " ").dropFirst().map { $0 == "WS" ? dir : String($0) }, environment: ["PIKOU_LANG": "zh"])
            #expect(run.status == 0 && run.stdout.contains("已发送 0 条"), "\(example): \(run.stdout) \(run.stderr)")
        }
        // Nothing left to send; a wrong token stops the run (exit 1) and counts no attempt.
        _ = try await ws.useCases.planNotices(kind: .lapsed, period: try Period("2026-12"), months: 1, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        try "wrong\n".write(toFile: dir + "/sms-token", atomically: true, encoding: .utf8)
        _ = chmod(dir + "/sms-token", 0o600)
        let refused = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(refused.status == 1 && refused.stdout.contains("短信网关拒绝了本机的设置"), "\(refused.stdout) \(refused.stderr)")
        #expect(!refused.stdout.contains("wrong") && !refused.stderr.contains("wrong"), "the token is never printed")
        // A token others can read is refused before anything is asked.
        _ = chmod(dir + "/sms-token", 0o644)
        let readable = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(readable.status == 1 && readable.stdout.contains("chmod 600"), "\(readable.stdout)")
    }
}

extension NotifyCLITests {
    /// Starts scripts/sms_stub.py with `arguments` on 127.0.0.1: the process, its port and its folder (the log is `log`).
    func startStub(_ arguments: [String]) async throws -> (Process, String, String) {
        let stubDir = try temporaryDirectory()
        let stub = Process()
        stub.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        stub.arguments = [Fixture.root + "/scripts/sms_stub.py", "--port-file", stubDir + "/port", "--log", stubDir + "/log"] + arguments
        stub.standardOutput = FileHandle.nullDevice
        stub.standardError = FileHandle.nullDevice
        try stub.run()
        var port = ""
        for _ in 0..<100 where port.isEmpty {
            port = (try? String(contentsOfFile: stubDir + "/port", encoding: .utf8)) ?? ""
            if port.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!port.isEmpty, "the stub gateway did not start")
        return (stub, port, stubDir)
    }

    /// A month with its failure notices planned, talking to a stand-in gateway: the secret in
    /// `tokenFile` (0600), the stub started with it (and `stub`'s arguments), pikou.yaml's
    /// `notify.gateway` as `gateway` writes it for the stub's port, and the workspace's templates
    /// without quiet hours (the test runs at any hour; `templates` may change them further).
    /// The caller ends the stub. Returns the workspace, the notices planned, the stub and its folder.
    func monthWithStub(payers: Int, secret: String, tokenFile: String, stub arguments: [String] = [], templates edit: (String) -> String = { $0 },
                       gateway: (String) -> String) async throws -> (TestWorkspace, Int, Process, String) {
        let ws = try await TestWorkspace.month(backend: .sqlite, payers: payers)
        let dir = ws.workspace.directory
        let planned = try await ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil,
                                                        today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let count = try #require(planned.stored?.planned)
        try (secret + "\n").write(toFile: dir + "/" + tokenFile, atomically: true, encoding: .utf8)
        _ = chmod(dir + "/" + tokenFile, 0o600)
        let (stub, port, stubDir) = try await startStub(["--token", secret] + arguments)
        let config = try String(contentsOfFile: dir + "/pikou.yaml", encoding: .utf8)
        try (config + "\nnotify:\n  gateway: \(gateway(port))\n").write(toFile: dir + "/pikou.yaml", atomically: true, encoding: .utf8)
        try edit(try String(contentsOfFile: Fixture.formatsDirectory + "/notices.yaml", encoding: .utf8)
            .replacingOccurrences(of: "quiet_hours: {from: \"21:00\", to: \"08:00\"}\n", with: ""))
            .write(toFile: dir + "/notices.yaml", atomically: true, encoding: .utf8)
        return (ws, count, stub, stubDir)
    }

    /// 阿里云短信 (notify.gateway.type: aliyun) against the stand-in (scripts/sms_stub.py --aliyun), which
    /// checks every request's signature and, like the platform, sends a second request under the same
    /// OutId as a second message: killed between the answer and its record, the rerun asks
    /// (QuerySendDetails) and sends none twice.
    @Test func aliyunSignedRequestsAndAKilledSendSendNoneTwice() async throws {
        let (ws, count, stub, stubDir) = try await monthWithStub(payers: 30, secret: "stub-secret-7", tokenFile: "aliyun-secret", stub: ["--aliyun", "LTAIstubkey"]) { port in
            "{type: aliyun, access_key_id: LTAIstubkey, url: \"http://127.0.0.1:\(port)/\", token_file: aliyun-secret, timeout_seconds: 5, settle_seconds: 0}"
        }
        defer { kill(stub.processIdentifier, SIGKILL) }
        let dir = ws.workspace.directory
        #expect(count >= 2)
        let shipped = try String(contentsOfFile: dir + "/notices.yaml", encoding: .utf8)
        // Without the kind's template code the platform can send nothing: stopped, with the fix.
        let noCode = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(noCode.status == 1 && noCode.stdout.contains("没有 template_code"), "\(noCode.stdout) \(noCode.stderr)")
        let doctor = try runPikou(["doctor", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(doctor.stdout.contains("以下通知没有平台的模板代码（template_code），发不出去：debit_failed（扣款失败）、lapsed（断缴提醒）、round_reminder"),
                "the doctor says so before a send: \(doctor.stdout)")
        try shipped.replacingOccurrences(of: "  debit_failed:\n    enabled: true\n", with: """
              debit_failed:
                enabled: true
                template_code: SMS_900000001
                params: {name: 姓名, period: 期间, amount: 金额, reason: 原因, next: 下一步}

            """).replacingOccurrences(of: "  lapsed:\n    enabled: true\n", with: """
              lapsed:
                enabled: true
                template_code: SMS_900000002
                params: {name: 姓名, months: 月数, amount: 金额}

            """).write(toFile: dir + "/notices.yaml", atomically: true, encoding: .utf8)
        let killed = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_CRASH_AT": "notice.answered", "PIKOU_LANG": "zh"])
        #expect(killed.status == 86, "\(killed.stdout) \(killed.stderr)")
        let again = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(again.status == 0 && again.stdout.contains("已发送 \(count) 条，发送失败 0 条") && again.stdout.contains("其中 1 条上次已送达网关"),
                "\(again.stdout) \(again.stderr)")
        let log = try String(contentsOfFile: stubDir + "/log", encoding: .utf8).split(separator: "\n")
        #expect(log.filter { $0.contains("\"new\": true") }.count == count, "one message per notice")
        #expect(!log.contains { $0.contains("SignatureDoesNotMatch") || $0.contains("\"status\": 400") }, "every request signed as the platform checks")
        let sent = try await ws.store.notices(NoticeFilter())
        #expect(sent.allSatisfy { $0.state == .sent && !$0.gatewayID.isEmpty } && sent.count == count)
        // A wrong secret: the platform says the signature does not match; the run stops (exit 1), nothing counted, the secret never printed.
        _ = try await ws.useCases.planNotices(kind: .lapsed, period: try Period("2026-12"), months: 1, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        try "wrong-secret\n".write(toFile: dir + "/aliyun-secret", atomically: true, encoding: .utf8)
        _ = chmod(dir + "/aliyun-secret", 0o600)
        let refused = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(refused.status == 1 && refused.stdout.contains("SignatureDoesNotMatch"), "\(refused.stdout) \(refused.stderr)")
        #expect(!refused.stdout.contains("wrong-secret") && !refused.stderr.contains("wrong-secret"))
        #expect(try await ws.store.notices(NoticeFilter(kind: .lapsed)).allSatisfy { $0.attempts == 0 })
    }
}

extension NotifyCLITests {
    /// kill -9 from outside while `notify send` is sending (two a second, so the kill lands between
    /// notices or inside one), then a rerun: every notice arrives once (the stub counts).
    @Test func killNineMidSendThenARerunSendsNoneTwice() async throws {
        let (ws, count, stub, stubDir) = try await monthWithStub(payers: 60, secret: "stub-token-9", tokenFile: "sms-token",
                                                                 templates: { $0.replacingOccurrences(of: "max_per_second: 20", with: "max_per_second: 2") }) { port in
            "{url: \"http://127.0.0.1:\(port)/sms\", token_file: sms-token, timeout_seconds: 5}"
        }
        defer { kill(stub.processIdentifier, SIGKILL) }
        let dir = ws.workspace.directory
        #expect(count >= 8)
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: Fixture.pikouBinary)
        sender.arguments = ["notify", "send", "--workspace", dir]
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        // Killed once a few have gone.
        for _ in 0..<200 {
            let lines = ((try? String(contentsOfFile: stubDir + "/log", encoding: .utf8)) ?? "").split(separator: "\n").count
            if lines >= 2 { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        kill(sender.processIdentifier, SIGKILL)
        sender.waitUntilExit()
        #expect(sender.terminationReason == .uncaughtSignal)
        let before = try String(contentsOfFile: stubDir + "/log", encoding: .utf8).split(separator: "\n").count
        #expect(before >= 2 && before < count, "killed midway: \(before) of \(count)")
        let again = try runPikou(["notify", "send", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        let log = try String(contentsOfFile: stubDir + "/log", encoding: .utf8).split(separator: "\n")
        #expect(log.filter { $0.contains("\"new\": true") }.count == count, "one message per notice")
        #expect(try await ws.store.notices(NoticeFilter()).allSatisfy { $0.state == .sent })
    }
}
