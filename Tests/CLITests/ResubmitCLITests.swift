import BankFormats
import Foundation
import Testing
import TestSupport

/// Operators' commands through the binary, including two resubmissions at once.
@Suite struct ResubmitCLITests {
    func failedWorkspace(store: String = "pikou.sqlite") throws -> String {
        let dir = try CycleCLITests().workspace(payers: 60, store: store)
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir]).status == 0)
        for bank in Fixture.bankCodes {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/" + bank) where !name.hasSuffix(".sig") {
                let simulated = try runPikou(["bank", "simulate", "--bank", bank, dir + "/outbox/" + bank + "/" + name, "--out", dir + "/inbox/" + bank,
                                              "--fail-rate", "0.7", "--seed", "5", "--workspace", dir])
                #expect(simulated.status == 0, "\(simulated.stderr)")
            }
        }
        let returns = try Fixture.bankCodes.flatMap { bank in
            try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/" + bank).filter { !$0.hasSuffix(".sig") }.map { dir + "/inbox/" + bank + "/" + $0 }
        }
        #expect(try runPikou(["returns", "ingest", "--workspace", dir] + returns).status == 0)
        return dir
    }

    @Test func twoResubmissionsAtOnceNeverPutADueInTwoFiles() throws {
        let dir = try failedWorkspace()
        let dry = try runPikou(["resubmit", "--dry-run", "--date", "2026-12-21", "--workspace", dir])
        let eligible = Int(dry.stdout.split(separator: "\n").first { $0.hasPrefix("resubmit") }?.split(separator: " ")[3] ?? "") ?? -1
        #expect(eligible > 0, "\(dry.stdout)")
        // Start both, then wait for both.
        func start(_ name: String) throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Fixture.pikouBinary)
            // The workspace lock queues the second (--wait) behind the first, which pauses holding it
            // (long enough that a loaded machine still starts the second before the first is done).
            process.arguments = ["resubmit", "--date", "2026-12-21", "--operator", name, "--wait", "--workspace", dir]
            process.environment = ProcessInfo.processInfo.environment.merging(["PIKOU_PAUSE_AT": "before-reserve:2500", "PIKOU_LANG": "en"]) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            return (process, pipe)
        }
        let first = try start("甲"), second = try start("乙")
        let outputs = [first, second].map { String(decoding: $0.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        first.0.waitUntilExit()
        second.0.waitUntilExit()
        #expect(first.0.terminationStatus == 0 && second.0.terminationStatus == 0, "\(outputs)")
        // Every resubmitted line, across both runs' files: each payer and bank once, all eligible ones there.
        var lines: [String] = []
        for bank in Fixture.bankCodes {
            let spec = try Fixture.spec(bank)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/" + bank) where name.contains("20261221") || name.contains("2026-12-21") {
                guard !name.hasSuffix(".sig") else { continue }
                let path = dir + "/outbox/" + bank + "/" + name
                let payload = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: path)!), spec: spec)
                lines += FileReader(spec: spec, kind: .debit).read(payload, fileName: path).lines.map { bank + ":" + $0.line.payerIDNumber }
            }
        }
        #expect(Set(lines).count == lines.count, "a due in two files: \(outputs)")
        #expect(lines.count == eligible, "\(outputs)")
        #expect(outputs.contains { $0.contains("waiting for resubmit (pid ") }, "the two runs did overlap: \(outputs)")
        let check = try runPikou(["check", "--workspace", dir])
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test func walkthroughEndsWithMatch() throws {
        let dir = try failedWorkspace()
        let listed = try runPikou(["failures", "list", "--outcome", "accountClosed", "--show-ids", "--workspace", dir])
        #expect(listed.status == 0)
        // Every line decided, but the simulated unknown codes are open exceptions: 不符, exit 1.
        let open = try runPikou(["exceptions", "list", "--period", "2026-12", "--format", "csv", "--workspace", dir])
        let ids = open.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        let before = try runPikou(["report", "--period", "2026-12", "--workspace", dir])
        if ids.isEmpty {
            #expect(before.status == 0, "\(before.stdout)")
        } else {
            #expect(before.status == 1, "\(before.stdout)\(before.stderr)")
            #expect(before.stdout.contains("钱表相符: 不符 MISMATCH"))
            #expect(before.stdout.contains("\(ids.count) exceptions still open"))
        }
        // An operator resolves each with a note (a note is required; resolving twice says by whom).
        for id in ids {
            #expect(try runPikou(["exceptions", "resolve", id, "--note", " ", "--workspace", dir]).status == 1)
            let resolved = try runPikou(["exceptions", "resolve", id, "--note", "银行确认", "--actor", "张经办", "--workspace", dir])
            #expect(resolved.status == 0, "\(resolved.stderr)")
        }
        if let id = ids.first {
            let again = try runPikou(["exceptions", "resolve", id, "--note", "再次", "--workspace", dir])
            #expect(again.status == 1 && again.stderr.contains("already resolved by 张经办"), "\(again.stderr)")
            #expect(try runPikou(["exceptions", "list", "--state", "resolved", "--workspace", dir]).stdout.contains("银行确认"))
        }
        let report = try runPikou(["report", "--period", "2026-12", "--workspace", dir])
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout.contains("钱表相符: 相符 MATCH"))
        let json = try runPikou(["report", "--period", "2026-12", "--format", "json", "--by", "outcome", "--workspace", dir])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(document?["schema"] as? String == "pikou-report/1")
        #expect(document?["money_matches"] as? Bool == true)
        #expect(document?["money_state"] as? String == "match")
        let xlsx = try runPikou(["report", "--period", "2026-12", "--format", "xlsx", "--workspace", dir])
        #expect(xlsx.status == 64, "xlsx needs --out")
    }
}
