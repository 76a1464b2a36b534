import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The departments' group lists (issue 18, item 2): rows refused like the roster's, memberships
/// stored once, and the pricing choosing the most favourable of a person's groups.
@Suite struct GroupsImportTests {
    static func id(_ birth: CivilDate, woman: Bool = false) -> IDNumber { ResidentsPricingTests.id(born: birth, woman: woman) }

    @Test(arguments: TestBackend.all) func aListIsCheckedStoredOnceAndPriced(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let a = Self.id(CivilDate(year: 1958, month: 3, day: 2)!), b = Self.id(CivilDate(year: 1990, month: 7, day: 9)!, woman: true)
        let c = Self.id(CivilDate(year: 2001, month: 1, day: 1)!)
        // The roster has the three (a list's person it lacks goes back to the department: below).
        _ = try await ws.store.importRoster([a, b, c].enumerated().map { ResidentsRoundTests.row($1, $0, .medical, tier: "") }, actor: "t", source: "r.csv")
        let csv = """
            id_number,name,valid_from,valid_to
            \(a.value),张某,2026-01-01,
            \(b.value),李某,2026-01-01,2027-12-31
            \(c.value),王某,2026-01-01,2026-06-30
            420104199001011234,赵某,2026-01-01,
            \(a.value),张某,2026-02-01,
            \(b.value),李某,2026-05-01,2026-04-01
            \(Self.id(CivilDate(year: 1985, month: 5, day: 5)!).value),孙某,2026-01-01,

            """
        let path = try temporaryDirectory() + "/低保.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "张经办")
        #expect(report.counts.added == 3 && report.department == "民政局")
        #expect(report.rejected.map(\.row.line) == [5, 6, 7, 8])
        #expect(report.rejected.map { $0.diagnostics.first?.field } == ["id_number", "id_number", "valid_to", "id_number"])
        #expect(report.rejected[1].diagnostics.first?.text.en.contains("line 2") == true)
        #expect(report.rejected[3].diagnostics.first?.code == .groupsNotInRoster, "a valid ID of no resident: returned, not added")
        #expect(report.notInRoster == 1)
        // Again: nothing new.
        let again = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "张经办")
        #expect(again.counts.added == 0 && again.counts.unchanged == 3)
        // 低保 aged 68: the group pays all of the medical personal part (more than the age rule's half), and the pension's 100.
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        let memberships = try await ws.useCases.memberships(a).map(GroupMembership.init)
        #expect(memberships.map(\.group) == ["低保"])
        let person = ResidentsPricing.Person(idNumber: a, memberships: memberships)
        let medical = ResidentsPricing.medical(person, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy)
        #expect(medical.personal == .zero && medical.department == "民政局")
        #expect(try ResidentsPricing.pension(person, tier: Money(fen: 10_000), policy: policy).personal == .zero)
        // A membership that ended before the reference date counts for nothing.
        let ended = ResidentsPricing.Person(idNumber: c, memberships: try await ws.useCases.memberships(c).map(GroupMembership.init))
        #expect(ResidentsPricing.medical(ended, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy).personal == Money(fen: 32_000))
        // A later list that ends a membership ends it: the latest list of a group is the one that counts.
        let ending = try temporaryDirectory() + "/低保-2.csv"
        try "id_number,valid_from,valid_to\n\(b.value),2026-01-01,2026-10-31\n".write(toFile: ending, atomically: true, encoding: .utf8)
        _ = try await ws.useCases.importGroupList(file: ending, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "t")
        let ended2 = ResidentsPricing.Person(idNumber: b, memberships: try await ws.useCases.memberships(b).map(GroupMembership.init))
        #expect(ended2.memberships.count == 2)
        #expect(ResidentsPricing.medical(ended2, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy).personal == Money(fen: 32_000))
        let journal = try await ws.useCases.journal(JournalFilter(action: "groups.import"))
        #expect(journal.entries.count == 3 && journal.entries.last?.actor == "张经办")
        #expect(try await ws.check.violations() == [])
    }

    @Test func aGroupThePolicyLacksIsRefusedWhole() async throws {
        let ws = try await TestWorkspace()
        let path = try temporaryDirectory() + "/list.csv"
        try "id_number,valid_from,valid_to\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "贫困", department: nil, year: 2027, actor: "t")
            Issue.record("an unknown group must be refused")
        } catch let error as DiagnosticError {
            #expect(error.description.contains("低保"))
        }
    }

    /// The county's list as a department sends it: Chinese titles, GBK, no dates, a person the roster
    /// lacks, a bad check digit, someone in another group; and the same list as an XLSX.
    @Test func aDepartmentsListInChineseGBKAndXLSXWithFeedback() async throws {
        let ws = try await TestWorkspace()
        let a = Self.id(CivilDate(year: 1958, month: 3, day: 2)!), b = Self.id(CivilDate(year: 1990, month: 7, day: 9)!, woman: true)
        _ = try await ws.store.importRoster([a, b].enumerated().map { ResidentsRoundTests.row($1, $0, .medical, tier: "") }, actor: "t", source: "r.csv")
        let folder = try temporaryDirectory()
        // b is on 低保 already: on the 计生 list too, imported and noted.
        try "id_number\n\(b.value)\n".write(toFile: folder + "/低保.csv", atomically: true, encoding: .utf8)
        _ = try await ws.useCases.importGroupList(file: folder + "/低保.csv", encoding: .auto, group: "低保", department: nil, year: 2027, actor: "t")
        let stranger = Self.id(CivilDate(year: 1985, month: 5, day: 5)!)  // a valid ID the roster lacks
        let text = "姓名,身份证号\r\n张某,\(a.value)\r\n李某,\(b.value)\r\n赵某,\(stranger.value)\r\n钱某,420104199001011235\r\n"
        let gbk = folder + "/计生.csv"
        try Data(FileEncoding.gbk.encode(text)!).write(to: URL(fileURLWithPath: gbk))
        let report = try await ws.useCases.importGroupList(file: gbk, encoding: .auto, group: "计生", department: nil, year: 2027, actor: "t")
        #expect(report.counts.added == 2 && report.notInRoster == 1 && report.inOtherGroups == 1)
        #expect(report.rejected.map(\.row.line) == [4, 5])
        // A list without dates covers the policy's year.
        #expect(try await ws.useCases.memberships(a).map { "\($0.validFrom)…\($0.validTo.map(String.init(describing:)) ?? "")" } == ["2027-01-01…2027-12-31"])
        // The feedback, row by row, in Chinese, IDs masked.
        #expect(report.feedback.map(\.line) == [2, 3, 4, 5])
        #expect(report.feedback.map(\.imported) == [true, true, false, false])
        #expect(report.feedback[1].reason.zh.hasPrefix("已在其他群体（低保，民政局）"))
        #expect(report.feedback[2].reason.zh.hasPrefix("名册中无此人："))
        #expect(report.feedback[3].reason.zh.hasPrefix("证件号校验错误："))
        #expect(report.feedback.allSatisfy { !$0.maskedID.contains("19900101") && $0.maskedID.contains("*") })
        // The workbook, read back with the reader departments' XLSX lists go through: cell by cell.
        let path = folder + "/计生.feedback.xlsx"
        try GroupFeedback.write(report.feedback, to: path, group: "计生", department: report.department, list: "计生.csv",
                                today: CivilDate(year: 2026, month: 10, day: 8)!, language: .zh)
        var sheet = try XLSXInput.table(path)
        #expect(sheet.columns.first?.hasPrefix("计生名单导入反馈（卫健委，计生.csv，2026年10月8日）") == true)
        sheet = CSVTable(header: sheet.rows[0].values, rows: Array(sheet.rows.dropFirst()))
        #expect(sheet.columns == ["行号", "姓名", "身份证号（脱敏）", "结果", "原因或说明"])
        #expect(sheet.rows[0].values.prefix(4) == ["2", "张*", a.masked, "已导入"])
        #expect(sheet.rows[2].values[3] == "退回" && sheet.rows[2].values[4].hasPrefix("名册中无此人"))
        #expect(sheet.rows[3].values[2] == "420104********1235")
        #expect(sheet.rows.last?.values.first == "共 4 行：已导入 2 行，退回 2 行（请核实退回的行，更正后重新报送）")

        // The same list as the department's XLSX (written here with the XLSX writer): read alike.
        let xlsx = folder + "/计生-2.xlsx"
        let book = try XLSXWorkbook(path: xlsx)
        let list = try book.sheet("Sheet1")
        for (row, values) in [["姓名", "身份证号", "起始日期"], ["张某", a.value, "2027/3/1"], ["赵某", stranger.value, "2027年3月1日"]].enumerated() {
            for (column, value) in values.enumerated() { list.literal(row: row, column: column, value) }
        }
        try book.close()
        let fromXLSX = try await ws.useCases.importGroupList(file: xlsx, encoding: .auto, group: "计生", department: nil, year: 2027, actor: "t")
        #expect(fromXLSX.counts.added == 1 && fromXLSX.notInRoster == 1)
        #expect(try await ws.useCases.memberships(a).contains { $0.validFrom == CivilDate(year: 2027, month: 3, day: 1)! })
        // A damaged XLSX is refused naming the file, in Chinese too.
        var damaged = [UInt8](try Data(contentsOf: URL(fileURLWithPath: xlsx)))
        damaged.removeLast(200)
        try Data(damaged).write(to: URL(fileURLWithPath: xlsx))
        await #expect { try await ws.useCases.importGroupList(file: xlsx, encoding: .auto, group: "计生", department: nil, year: 2027, actor: "t") } throws: { error in
            (error as? DiagnosticError)?.diagnostic.code == .xlsxUnreadable && (error as? DiagnosticError)?.diagnostic.text.zh.contains("不是可读取的 XLSX 文件") == true
        }
    }

    @Test("department dates: ISO, slashes, digits, 年月日, Excel serials", arguments: [
        ("2027-03-01", "2027-03-01"), ("2027/3/1", "2027-03-01"), ("2027.03.01", "2027-03-01"), ("20270301", "2027-03-01"),
        ("2027年3月1日", "2027-03-01"), ("46447", "2027-03-01"), ("2027年3月1", ""), ("3/1/2027", ""), ("2027-02-30", ""), ("12345", ""),
    ])
    func departmentDates(_ text: String, _ expected: String) {
        #expect(GroupsImport.date(text).map(String.init(describing:)) ?? "" == expected)
    }
}
