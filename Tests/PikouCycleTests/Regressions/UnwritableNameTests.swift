import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 17, item 2: one payer's name must not block a bank's month. Text a debit file carries is
/// checked at import against the payer's bank, and pre-flight holds back a line whose text the
/// bank's file cannot carry (a store filled some other way) instead of reserving it.
@Suite struct UnwritableNameTests {
    @Test("a name the bank's file cannot carry is refused at import", arguments: [
        ("CCB", "张|伟", "the separator of CCB"), ("BOC", "张\u{0}伟", "control character (U+0)"),
        ("BOC", "张\u{202E}伟", "control character (U+202E)"), ("BOC", "Zoë😀", "cannot carry"),
    ])
    func refusedAtImport(_ bank: String, _ name: String, _ says: String) throws {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        let specs = try Dictionary(uniqueKeysWithValues: ["BOC", "CCB"].map { ($0, try Fixture.repository.spec($0)) })
        var checker = RosterImport.Checker(fileName: "roster.csv", banks: ["BOC", "CCB"], policy: policy, specs: specs)
        let row = RosterImportTests.good.replacingOccurrences(of: ",测试甲,", with: ",\(name),").replacingOccurrences(of: ",BOC,", with: ",\(bank),")
        let checked = try checker.check(text: RosterImportTests.header + "\n" + row + "\n", firstLine: 1).get()
        #expect(checked.records.isEmpty)
        let messages = checked.rejects.flatMap(\.diagnostics).map(\.text.en)
        #expect(messages.contains { $0.contains(says) }, "\(messages)")
        #expect(!messages.joined().contains(name), "names are masked in messages")
    }

    @Test func pureChineseAndLatinNamesTakeTheFastPath() throws {
        let spec = try Fixture.repository.spec("CCB")
        #expect(spec.cannotCarry("欧阳娜娜") == nil && spec.cannotCarry("WH12345") == nil && spec.cannotCarry("Li Wei") == nil)
        #expect(spec.cannotCarry("张·伟") == nil, "the middle dot of minority names is in GBK")
    }

    @Test func preflightHoldsBackWhatTheFileCannotCarry() async throws {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: 6)
        options.suspendedRate = 0
        options.revokedRate = 0
        var records = SyntheticRoster.make(options, seed: 4, banks: ["CCB"])
        let victim = records[0].idNumber
        for index in records.indices where records[index].idNumber == victim { records[index].accountName = "王|测" }
        _ = try await ws.store.importRoster(records, actor: "t", source: "r.csv")  // past the import's check
        let report = try await ws.runCycle()
        let ccb = try #require(report.banks["CCB"])
        #expect((ccb.excluded[.preflight] ?? 0) > 0, "the line is held back")
        #expect(ccb.lines == Set(records.map(\.idNumber)).count - 1)
        let unwritten = try await ws.useCases.unwrittenFiles()
        #expect(!report.written.isEmpty && unwritten.isEmpty, "the bank's file is written")
    }
}
