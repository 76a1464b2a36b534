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
        // The workspace has no roster: the valid ID goes back to the department (名册中无此人), never added silently.
        #expect(imported.status == 2 && imported.stdout.contains("新增 0 人") && imported.stderr.contains("低保.csv:3: 错误：字段 'id_number'"), "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stderr.contains("低保.csv:2: 错误：字段 'id_number'：名册中无此人"), "\(imported.stderr)")
        #expect(imported.stdout.contains("已写出部门反馈 \(dir)/低保.feedback.xlsx（退回 2 行，证件号已脱敏）"), "\(imported.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir + "/低保.feedback.xlsx"))
        let unknown = try runPikou(["groups", "import", "--group", "贫困", dir + "/低保.csv", "--workspace", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("its groups"))
    }
}

/// The residents' annual collection through the real binary (issue 18): the roster's scheme column,
/// a round, its refusals, the report's exit status.
@Suite struct ResidentsCLITests {
    let chinese = ["PIKOU_LANG": ""]

    @Test func aRoundThroughTheCommands() throws {
        let dir = try temporaryDirectory() + "/ws"
        #expect(try runPikou(["init", dir, "--test-keys", "--formats", Fixture.formatsDirectory]).status == 0)
        var csv = "id_number,name,phone,district,street,community,insurance,tier,start_period,end_period,status,bank,account,account_name,agreement_no,agreement_status,scheme,joined\n"
        for r in SyntheticResidents.roster(count: 8) {
            csv += "\(r.idNumber.value),\(r.name),\(r.phone),\(r.district),\(r.street),\(r.community),\(r.insurance),\(r.insurance == .medical ? "" : r.tier),202701,,active,BOC,\(r.account.number),\(r.accountName),\(r.agreementNo),active,residents-annual,\n"
        }
        let bad = SyntheticResidents.id(born: CivilDate(year: 1990, month: 1, day: 1)!, woman: true, serial: 77).value
        csv += "\(bad),坏甲,13800000000,示范县,城关镇,东村,pension,700,202701,,active,BOC,6216610000000000018,坏甲,JM1,active,residents-annual,\n"
        csv += "\(bad),坏甲,13800000000,示范县,城关镇,东村,medical,,202701,,active,BOC,6216610000000000018,坏甲,JM1,active,annual,2027-13-01\n"
        try csv.write(toFile: dir + "/residents.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["roster", "import", dir + "/residents.csv", "--workspace", dir])
        #expect(imported.status == 2, "rows refused: exit 2")
        #expect(imported.stderr.contains("residents.csv:18: error: field 'tier'") && imported.stderr.contains("700"), "\(imported.stderr)")
        #expect(imported.stderr.contains("residents.csv:19: error: field 'scheme'") && imported.stderr.contains("field 'joined'"), "\(imported.stderr)")
        // Which scheme: a monthly run needs --period; a residents' run refuses one.
        let noPeriod = try runPikou(["cycle", "run", "--workspace", dir])
        #expect(noPeriod.status != 0 && noPeriod.stderr.contains("--period"))
        let both = try runPikou(["cycle", "run", "--scheme", "residents-annual", "--period", "2026-12", "--workspace", dir])
        #expect(both.status != 0 && both.stderr.contains("--year"))
        // Round 1 inside the window, in Chinese.
        let round = try runPikou(["cycle", "run", "--scheme", "residents-annual", "--year", "2027", "--date", "2026-10-15", "--workspace", dir], environment: chinese)
        #expect(round.status == 0 && round.stdout.contains("第 1 轮") && round.stdout.contains("新增 16"), "\(round.stdout)\(round.stderr)")
        let again = try runPikou(["cycle", "run", "--scheme", "residents-annual", "--year", "2027", "--round", "1", "--date", "2026-10-16", "--workspace", dir])
        #expect(again.status == 1 && again.stderr.contains("the next is round 2"), "\(again.stderr)")
        let late = try runPikou(["cycle", "run", "--scheme", "residents-annual", "--date", "2026-12-21", "--workspace", dir], environment: chinese)
        #expect(late.status == 1 && late.stderr.contains("集中征缴期已于 2026-12-20 结束"), "\(late.stderr)")
        // Before the bank answers, nothing is collected yet and the money matches; after, too.
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/BOC").first { $0.hasSuffix(".txt") })
        #expect(try runPikou(["bank", "simulate", "--bank", "BOC", dir + "/outbox/BOC/" + file, "--out", dir + "/inbox/BOC", "--workspace", dir]).status == 0)
        let answer = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/BOC").first { !$0.hasSuffix(".sig") })
        #expect(try runPikou(["returns", "ingest", dir + "/inbox/BOC/" + answer, "--workspace", dir]).status == 0)
        let report = try runPikou(["report", "--scheme", "residents-annual", "--by", "street", "--workspace", dir], environment: chinese)
        #expect(report.status == 0 && report.stdout.contains("钱表相符") && report.stdout.contains("示范县 城关镇") && report.stdout.contains("财政应拨付"),
                "\(report.stdout)\(report.stderr)")
        let wrongBy = try runPikou(["report", "--scheme", "residents-annual", "--by", "outcome", "--workspace", dir])
        #expect(wrongBy.status != 0 && wrongBy.stderr.contains("--by must be one of bank, file, district, street, community"))
        let payer = try runPikou(["payer", "show", SyntheticResidents.roster(count: 1)[0].idNumber.value, "--workspace", dir], environment: chinese)
        #expect(payer.status == 0 && payer.stdout.contains("城乡居民年度应缴") && payer.stdout.contains("330.00"), "\(payer.stdout)")
        #expect(try runPikou(["check", "--workspace", dir]).status == 0)
    }
}

/// Valid synthetic ID numbers for the residents' tests.
enum ResidentsIDs {
    static func id(_ birth: CivilDate) -> String {
        let body = String(format: "420104%04d%02d%02d%03d", birth.year, birth.month, birth.day, 123)
        return body + String(IDNumber.checkCharacter(body.map { $0.wholeNumberValue! }))
    }
}
