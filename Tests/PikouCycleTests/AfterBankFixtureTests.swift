import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import Testing
import TestSupport

/// The after-the-bank fixtures (Fixtures/afterbank, written by hand as a bank and a treasury send
/// them): each statement and reconciliation read with the shipped spec and matched by the pure rules,
/// line by line as its `expected.tsv` says — every entry state and every treasury state among them.
@Suite struct AfterBankFixtureTests {
    static let folder = Fixture.root + "/Fixtures/afterbank"

    static func rows(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    static func files() throws -> [SettlementFile] {
        try rows(folder + "/files.tsv").map { r in
            SettlementFile(id: Int64(r[0])!, bank: r[1], name: r[2], collector: r[3], batchNo: Int(r[4])!, fileDate: CivilDate(iso: r[5])!,
                           collectionDate: CivilDate(iso: r[6])!, period: try Period("2026-12"), succeeded: Money(fen: Int64(r[7])!), credited: .zero)
        }
    }

    /// Each bank's statements in date order, through one matcher: a later one settles what an earlier left.
    @Test(arguments: [("BOC", "BOC", ["BOC_ST_20261216.txt", "BOC_ST_20261220.txt"]), ("CCB", "CCB", ["CCB_ST_20261217.txt"]),
                      ("ISO20022", "ISO20022", ["camt053_20261216.xml", "camt054_20261217.xml"])])
    func statementsMatchAsExpected(_ bank: String, _ format: String, _ names: [String]) throws {
        let spec = try Fixture.repository.spec(format)
        var matcher: StatementMatcher?
        for name in names {
            let path = "\(Self.folder)/statements/\(bank)/\(name)"
            let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
            let layout = try #require(spec.statementLayout(for: bytes))
            let parsed = FileReader(spec: spec, kind: .statement, layout: layout).read(bytes, fileName: name)
            #expect(parsed.diagnostics.filter { $0.severity == .error }.isEmpty, "\(parsed.diagnostics)")
            #expect(parsed.summary.collectorAccount == "4201000000000000001")
            if matcher == nil { matcher = StatementMatcher(files: try Self.files().filter { $0.bank == bank }, layout: layout, bank: bank) }
            let entries = matcher!.match(parsed.lines, fileDate: try #require(parsed.summary.fileDate))
            let expected = try Self.rows(path.replacingOccurrences(of: ".txt", with: ".expected.tsv").replacingOccurrences(of: ".xml", with: ".expected.tsv"))
            #expect(entries.count == expected.count, "\(name)")
            for (entry, row) in zip(entries, expected) {
                #expect([String(entry.lineNo), entry.entry, String(entry.amount.fen), entry.valueDate.description, entry.reference, entry.state.rawValue] == row, "\(name)")
            }
        }
    }

    @Test(arguments: [("TIPSX", "TIPSX_BOC_DZ_20261215.xml"), ("TIPSF", "TIPSF_BOC_DZ_20261215.txt")])
    func reconciliationsMatchAsExpected(_ authority: String, _ name: String) throws {
        let spec = try Fixture.repository.authority(authority)
        let path = "\(Self.folder)/treasury/\(authority)/\(name)"
        let parsed = FileReader(spec: spec, kind: .reconciliation).read([UInt8](try #require(FileManager.default.contents(atPath: path))), fileName: name)
        #expect(parsed.diagnostics.filter { $0.severity == .error }.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.summary.bankCode == "BOC" && parsed.summary.fileDate == CivilDate(iso: "2026-12-15"))
        let candidates = try Self.rows(Self.folder + "/candidates.tsv").map { r in
            TreasuryCandidate(debitID: Int64(r[0])!, idNumber: r[1], period: r[2], amount: Money(fen: Int64(r[3])!), bankSerial: r[4], succeeded: r[5] == "1")
        }
        let refunds = try Self.rows(Self.folder + "/refunds.tsv").map { r in
            TreasuryRefund(refundID: Int64(r[0])!, idNumber: r[1], period: r[2], amount: Money(fen: Int64(r[3])!), bankSerial: r[4])
        }
        let lines = TreasuryMatcher.match(parsed.lines, candidates: candidates, refunds: refunds)
        let expected = try Self.rows(path.replacingOccurrences(of: ".txt", with: ".expected.tsv").replacingOccurrences(of: ".xml", with: ".expected.tsv"))
        #expect(lines.count == expected.count)
        for (line, row) in zip(lines, expected) {
            #expect([line.lineNo.map(String.init) ?? "", line.theirs, String(line.amount.fen), "2026-12-15", line.idNumber, line.state.rawValue] == row, "\(name)")
        }
        // Every state of the taxonomy is in the fixture.
        #expect(Set(lines.map(\.state)) == Set(TreasuryState.allCases))
    }
}
