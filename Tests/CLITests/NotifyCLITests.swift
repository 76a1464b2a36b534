import Foundation
import PikouCore
import PikouCycle
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
        let listed = try runPikou(["notify", "list", "--workspace", dir, "--format", "csv"], environment: ["PIKOU_LANG": "zh"])
        #expect(listed.status == 0 && listed.stdout.contains("已导出"), "\(listed.stdout)")
        // A kind that is not one is named, with the fix.
        let wrong = try runPikou(["notify", "plan", "--kind", "sms", "--workspace", dir], environment: ["PIKOU_LANG": "zh"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--kind 'sms' 不是通知类型") && wrong.stderr.contains("debit_failed"), "\(wrong.stderr)")
    }
}
