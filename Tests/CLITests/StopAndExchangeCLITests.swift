import Foundation
import PikouCore
import Testing
import TestSupport

/// The commands of issue 16's operations and issue 18's group lists, through the real binary: exit
/// statuses, Chinese output, and what a user following the README sees.
@Suite struct StopAndExchangeCLITests {
    /// The default language (Chinese), as operators run it.
    let chinese = ["PIKOU_LANG": ""]

    @Test func cancelUndoAndTheirRefusals() throws {
        let dir = try CycleCLITests().workspace(payers: 20)
        #expect(try CycleCLITests().cycle(dir).status == 0)
        let boc = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/BOC").filter { $0.hasSuffix(".txt") }.sorted().first)
        let ccb = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/CCB").filter { !$0.hasSuffix(".sig") }.sorted().first)
        // Without a reason: a usage error, nothing done.
        let bare = try runPikou(["file", "cancel", "BOC/" + boc, "--reason", " ", "--workspace", dir])
        #expect(bare.status != 0 && bare.stderr.contains("--reason"))
        // Cancel BOC's file by its outbox path: the signed cancel message is named in Chinese.
        let cancelled = try runPikou(["file", "cancel", "outbox/BOC/" + boc, "--reason", "协议批量变更", "--workspace", dir], environment: chinese)
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdout.contains("已撤销 BOC/\(boc)") && cancelled.stdout.contains("_CX_"))
        let again = try runPikou(["file", "cancel", "BOC/" + boc, "--reason", "x", "--workspace", dir])
        #expect(again.status == 1 && again.stderr.contains("cancelled already"))
        // CCB answers; its ingest is undone, then refused a second time (nothing left to undo).
        let returned = try runPikou(["bank", "simulate", "--bank", "CCB", dir + "/outbox/CCB/" + ccb, "--out", dir + "/inbox/CCB", "--workspace", dir])
        #expect(returned.status == 0, "\(returned.stderr)")
        let answer = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/CCB").first { !$0.hasSuffix(".sig") })
        #expect(try runPikou(["returns", "ingest", dir + "/inbox/CCB/" + answer, "--workspace", dir]).status == 0)
        let tooLate = try runPikou(["file", "cancel", "CCB/" + ccb, "--reason", "x", "--workspace", dir])
        #expect(tooLate.status == 1 && tooLate.stderr.contains("too late"))
        let undone = try runPikou(["returns", "undo", "inbox/CCB/" + answer, "--reason", "导入错误", "--workspace", dir], environment: chinese)
        #expect(undone.status == 0 && undone.stdout.contains("已撤回"), "\(undone.stderr)")
        #expect(try runPikou(["returns", "undo", "inbox/CCB/" + answer, "--reason", "x", "--workspace", dir]).status == 1)
        // The same file ingests again; check holds throughout.
        #expect(try runPikou(["returns", "ingest", dir + "/inbox/CCB/" + answer, "--workspace", dir]).status == 0)
        let checked = try runPikou(["check", "--workspace", dir])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        // No SFTP server configured: send says where to configure one.
        let send = try runPikou(["send", "--workspace", dir])
        #expect(send.status == 1 && send.stderr.contains("banks.<CODE>.sftp"))
    }

    @Test func aGroupListWithBadRows() throws {
        let dir = try temporaryDirectory() + "/ws"
        #expect(try runPikou(["init", dir, "--test-keys", "--formats", Fixture.formatsDirectory]).status == 0)
        let good = ResidentsIDs.id(CivilDate(year: 1960, month: 5, day: 1)!)
        try "id_number,name,valid_from,valid_to\n\(good),张某,2026-01-01,\n340524198001010012,坏甲,2026-01-01,\n".write(toFile: dir + "/低保.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["groups", "import", "--group", "低保", dir + "/低保.csv", "--workspace", dir], environment: chinese)
        #expect(imported.status == 2 && imported.stdout.contains("新增 1 人") && imported.stderr.contains("低保.csv:3: error: field 'id_number'"), "\(imported.stdout)\(imported.stderr)")
        let unknown = try runPikou(["groups", "import", "--group", "贫困", dir + "/低保.csv", "--workspace", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("its groups"))
    }
}

/// Valid synthetic ID numbers for the residents' tests.
enum ResidentsIDs {
    static func id(_ birth: CivilDate) -> String {
        let body = String(format: "420104%04d%02d%02d%03d", birth.year, birth.month, birth.day, 123)
        return body + String(IDNumber.checkCharacter(body.map { $0.wholeNumberValue! }))
    }
}
