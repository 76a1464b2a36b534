import BankFormats
import Foundation
import Testing
import TestSupport

/// Issue 13: several operators at their own desks (a workspace folder each) share one PostgreSQL
/// store. Resubmissions started at once from four desks never put a due in two files, every eligible
/// due is sent once, and the store with every desk's files passes `check`.
@Suite(.enabled(if: TestBackend.postgresServer != nil, "no PostgreSQL server: make test starts one"))
struct PostgresCLITests {
    @Test func fourDesksResubmittingAtOnceNeverPutADueInTwoFiles() throws {
        let store = TestBackend.postgres.newStore()
        let main = try ResubmitCLITests().failedWorkspace(store: store)
        let dry = try runPikou(["resubmit", "--dry-run", "--date", "2026-12-21", "--workspace", main])
        let eligible = Int(dry.stdout.split(separator: "\n").first { $0.hasPrefix("resubmit") }?.split(separator: " ")[3] ?? "") ?? -1
        #expect(eligible > 0, "\(dry.stdout)")
        // Three more desks on the same store.
        var desks = [main]
        for n in 2...4 {
            let desk = try temporaryDirectory() + "/desk\(n)"
            let made = try runPikou(["init", desk, "--test-keys", "--formats", Fixture.formatsDirectory, "--store", store])
            #expect(made.status == 0, "\(made.stderr)")
            desks.append(desk)
        }
        // All four at once; each pauses holding the locks, so the others queue (--wait) behind it.
        let runs = try desks.enumerated().map { index, desk -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Fixture.pikouBinary)
            process.arguments = ["resubmit", "--date", "2026-12-21", "--operator", "经办\(index + 1)", "--wait", "--workspace", desk]
            process.environment = ProcessInfo.processInfo.environment.merging(["PIKOU_PAUSE_AT": "before-reserve:1500", "PIKOU_LANG": "en"]) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            return (process, pipe)
        }
        let outputs = runs.map { String(decoding: $0.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        for run in runs { run.0.waitUntilExit() }
        #expect(runs.allSatisfy { $0.0.terminationStatus == 0 }, "\(outputs)")
        #expect(outputs.contains { $0.contains("waiting for resubmit (pid ") }, "the desks did overlap: \(outputs)")
        // Every resubmitted line, across every desk's files: each payer and bank once, all eligible ones there.
        var lines: [String] = []
        for desk in desks {
            for bank in Fixture.bankCodes {
                let spec = try Fixture.spec(bank)
                let folder = desk + "/outbox/" + bank
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                where (name.contains("20261221") || name.contains("2026-12-21")) && !name.hasSuffix(".sig") {
                    let payload = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: folder + "/" + name)!), spec: spec)
                    lines += FileReader(spec: spec, kind: .debit).read(payload, fileName: name).lines.map { bank + ":" + $0.line.payerIDNumber }
                }
                // Gather every desk's files in the main desk's outbox, as a shared folder would hold them.
                if desk != main {
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                        try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: main + "/outbox/" + bank + "/" + name)
                    }
                }
            }
        }
        #expect(Set(lines).count == lines.count, "a due in two files: \(outputs)")
        #expect(lines.count == eligible, "\(outputs)")
        let check = try runPikou(["check", "--workspace", main])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aSecondDeskWithoutWaitSaysWhoHoldsTheStore() throws {
        let store = TestBackend.postgres.newStore()
        let first = try CycleCLITests().workspace(payers: 5, store: store)
        let second = try temporaryDirectory() + "/desk2"
        #expect(try runPikou(["init", second, "--test-keys", "--formats", Fixture.formatsDirectory, "--store", store]).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixture.pikouBinary)
        process.arguments = ["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--actor", "甲", "--workspace", first]
        process.environment = ProcessInfo.processInfo.environment.merging(["PIKOU_PAUSE_AT": "before-reserve:3000", "PIKOU_LANG": "en"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        let busy = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", second])
        process.waitUntilExit()
        #expect(busy.status != 0)
        #expect(busy.stderr.contains("cycle run (pid \(process.processIdentifier), 甲"), "\(busy.stderr)")
        #expect(process.terminationStatus == 0)
    }
}
