import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The county's exports (issue 34): the door-to-door lists per village and the residents' workbook,
/// read back cell by cell.
@Suite struct DoorToDoorTests {
    @Test(arguments: TestBackend.all) func theListsHoldWhoStillOwesAndTheWorkbookWhatFinanceNeeds(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let (_, poor, _) = try await ResidentsRoundTests.county(ws)
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        _ = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: CivilDate(year: 2026, month: 10, day: 15)!, actor: "t")
        // Before the bank answers nobody is on a list (a debit at the bank is not a door to knock on).
        #expect(try await ws.useCases.doorToDoor(year: 2027).villages.isEmpty)
        try await ResidentsRoundTests.answer(ws, fileDate: "2026-10-15", seed: 4, failRate: 0.5)
        let lists = try await ws.useCases.doorToDoor(year: 2027)
        let rows = lists.villages.flatMap(\.rows)
        #expect(!rows.isEmpty)
        // Everyone listed owes a personal part; 低保 (the government pays it all) is never listed.
        #expect(rows.allSatisfy { $0.personal.fen > 0 } && !rows.contains { $0.idNumber == poor })
        #expect(lists.villages.map(\.community) == lists.villages.map(\.community).sorted() || lists.villages.count == Set(lists.villages.map(\.unit)).count)
        let village = lists.villages[0]
        let folder = try temporaryDirectory()
        let path = folder + "/" + DoorToDoorList.fileName(village, year: 2027)
        #expect(path.hasSuffix("2027-未缴费名单-示范县-\(village.street)-\(village.community).xlsx"))
        try lists.writeXLSX(village, to: path, bankName: { $0 == "BOC" ? "中国银行" : $0 }, language: .zh)
        let sheet = try XLSXInput.table(path)
        #expect(sheet.columns.first == "示范县 \(village.street) \(village.community) 2027年度城乡居民两险未缴费名单")
        #expect(sheet.rows[0].values.first == "集中缴费期：2026年10月1日 至 2026年12月20日")
        #expect(sheet.rows[1].values.first?.hasPrefix("公示期：") == true)
        #expect(sheet.rows[2].values == ["序号", "姓名", "身份证号（脱敏）", "联系电话", "险种", "档次(元)", "应缴(元)", "缴费方式", "本人签字/备注"])
        let first = sheet.rows[3].values
        #expect(first[0] == "1" && first[2] == village.rows[0].idNumber.masked && first[3].contains("****"))
        #expect(Money(fen: Int64((Double(first[6]) ?? -1) * 100 + 0.5)) == village.rows[0].personal)
        #expect(first[7].contains("网点柜台"))
        let total = try #require(sheet.rows.first { $0.values.first == "合计" })
        #expect(total.values[1] == "\(village.persons) 人，\(village.rows.count) 笔")
        #expect(sheet.rows.last?.values.first?.hasPrefix("网格员（签字）") == true)

        // The workbook: by bank, file and grid, public funds (what 财政 transfers), participation.
        let book = folder + "/residents.xlsx"
        let report = try await ResidentsWorkbook.write(ws.useCases, year: 2027, level: .community, targets: nil, to: book, language: .zh)
        let finance = try XLSXInput.table(book)  // the first sheet: by bank
        #expect(finance.columns.first == "城乡居民两险 2027年度 — 按银行")
        #expect(finance.rows[0].values.prefix(4) == ["分组", "险种", "应缴笔数", "筹资标准"])
        #expect(finance.rows.contains { $0.values.first == "合计" })
        #expect(finance.rows.contains { $0.values.first?.hasPrefix("钱表相符") == true })
        #expect(!report.publicFunds.isEmpty)
    }
}
