import Foundation
import Testing
import TestSupport

/// The journal's head, anchored outside the store: written after each writing command, printed by
/// `journal head` and at the end of a report, and verified by `check --anchor`.
@Suite struct JournalAnchorCLITests {
    @Test func writingCommandsAnchorTheJournalAndCheckVerifiesCopies() throws {
        let dir = try CycleCLITests().workspace(payers: 12)
        let anchors = dir + "/journal-anchors.log"
        let afterImport = try String(contentsOfFile: anchors, encoding: .utf8)
        #expect(afterImport.split(separator: "\n").count == 1, "roster import anchored the journal")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: anchors)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let run = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let head = try runPikou(["journal", "head", "--workspace", dir])
        #expect(head.status == 0)
        let line = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.range(of: #"^entry \d+ sha256 [0-9a-f]{64}$"#, options: .regularExpression) != nil, "\(line)")
        #expect(try String(contentsOfFile: anchors, encoding: .utf8).hasSuffix(line + "\n"), "the last anchor is the head")
        // A report ends with the head; its line is a valid outside anchor as printed.
        let report = try runPikou(["report", "--period", "2026-12", "--workspace", dir], environment: ["PIKOU_LANG": ""])
        let printed = try #require(report.stdout.split(separator: "\n").last.map(String.init))
        // In Chinese the head reads `第 N 条 sha256 …`; it names the same entry and reads back as an anchor.
        let shown = line.replacingOccurrences(of: "entry ", with: "第 ").replacingOccurrences(of: " sha256", with: " 条 sha256")
        #expect(printed.hasPrefix("日志链头") && printed.hasSuffix(shown), "\(printed)")
        let copy = try temporaryDirectory() + "/anchor.txt"
        try (printed + "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(try runPikou(["check", "--workspace", dir, "--anchor", copy]).status == 0, "the printed line anchors the journal")
        let hash = line.suffix(64)
        let forged = line.dropLast(64) + (hash.first == "0" ? "1" : "0") + hash.dropFirst()
        let broken = try runPikou(["check", "--workspace", dir, "--anchor", String(forged)])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("does not hold"))
        let unreadable = try runPikou(["check", "--workspace", dir, "--anchor", "not an anchor"])
        #expect(unreadable.status == 64)
    }
}
