import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import Testing
import TestSupport

/// The money after the bank (issue 35, first part): each statement state and each treasury state
/// by hand, over the pure matchers; and the shipped statement and reconciliation specs read what
/// they write.
@Suite struct AfterBankMatchingTests {
    static let day = CivilDate(year: 2026, month: 12, day: 15)!

    static func file(_ id: Int64, batch: Int, succeeded: Int64, credited: Int64 = 0, collected: CivilDate = day) -> SettlementFile {
        SettlementFile(id: id, bank: "BOC", name: "BOC_DK_420100000001_20261201_00\(batch).txt", collector: "420100000001", batchNo: batch,
                       fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: collected, period: try! Period(year: 2026, month: 12),
                       succeeded: Money(fen: succeeded), credited: Money(fen: credited))
    }

    static func entry(_ line: Int, _ kind: EntryKind, _ fen: Int64, reference: String = "", date: CivilDate = day) -> ParsedLine {
        var debit = DebitLine(sequence: line, payerIDNumber: "", payerName: "", account: "", agreementNo: "", amount: Money(fen: fen), period: "")
        debit.reference = reference
        debit.valueDate = date
        return ParsedLine(lineNumber: line, line: debit, outcome: nil, entry: kind)
    }

    static let layout: Layout = {
        var layout = Layout(kind: .fixed, detail: RecordSpec(role: "detail", fields: []))
        layout.fileReference = "{bank}_DK_{collector}_{date:yyyyMMdd}_{batch:3}"
        return layout
    }()

    @Test func aCreditByReferenceSettlesItsFileAndAShortOneWaitsForTheRest() {
        var matcher = StatementMatcher(files: [Self.file(1, batch: 1, succeeded: 10_000), Self.file(2, batch: 2, succeeded: 5_000)], layout: Self.layout, bank: "BOC")
        let entries = matcher.match([
            Self.entry(2, .credit, 10_000, reference: "BOC_DK_420100000001_20261201_001"),
            Self.entry(3, .credit, 4_000, reference: "BOC_DK_420100000001_20261201_002"),
            Self.entry(4, .credit, 1_000, reference: "BOC_DK_420100000001_20261201_002"),
            Self.entry(5, .debit, 1_500),
        ], fileDate: Self.day)
        #expect(entries.map(\.state) == [.settled, .short, .settled, .other])
        #expect(entries.map(\.fileID) == [1, 2, 2, nil])
        #expect(matcher.files.map(\.credited) == [Money(fen: 10_000), Money(fen: 5_000)])
    }

    @Test func overLateUnmatchedAndReversedCreditsAreExceptions() {
        var matcher = StatementMatcher(files: [Self.file(1, batch: 1, succeeded: 10_000), Self.file(2, batch: 2, succeeded: 5_000)], layout: Self.layout, bank: "BOC")
        let late = Self.day.adding(days: 4)
        let entries = matcher.match([
            Self.entry(2, .credit, 10_001, reference: "BOC_DK_420100000001_20261201_001"),
            Self.entry(3, .credit, 5_000, reference: "BOC_DK_420100000001_20261201_002", date: late),
            Self.entry(4, .reversal, 5_000, reference: "BOC_DK_420100000001_20261201_002"),
            Self.entry(5, .credit, 88, reference: "SOMEONE_ELSE"),
        ], fileDate: Self.day)
        #expect(entries.map(\.state) == [.over, .late, .reversed, .unmatched])
        #expect(entries.allSatisfy { $0.state.isException })
        #expect(matcher.files[1].credited == .zero)
    }

    @Test func withoutAReferenceACreditMatchesByDateAndAmountOnlyWhenOneFileFits() {
        let noReference = Layout(kind: .fixed, detail: RecordSpec(role: "detail", fields: []))
        var one = StatementMatcher(files: [Self.file(1, batch: 1, succeeded: 7_000), Self.file(2, batch: 2, succeeded: 9_000)], layout: noReference, bank: "BOC")
        #expect(one.match([Self.entry(2, .credit, 9_000)], fileDate: Self.day).map(\.fileID) == [2])
        var two = StatementMatcher(files: [Self.file(1, batch: 1, succeeded: 9_000), Self.file(2, batch: 2, succeeded: 9_000)], layout: noReference, bank: "BOC")
        let ambiguous = two.match([Self.entry(2, .credit, 9_000)], fileDate: Self.day)
        #expect(ambiguous.map(\.state) == [.ambiguous] && ambiguous[0].fileID == nil)
        // Not before the file was collected.
        var early = StatementMatcher(files: [Self.file(1, batch: 1, succeeded: 9_000, collected: Self.day.adding(days: 1))], layout: noReference, bank: "BOC")
        #expect(early.match([Self.entry(2, .credit, 9_000)], fileDate: Self.day).map(\.state) == [.unmatched])
    }

    static func line(_ number: Int, _ kind: EntryKind, id: String, period: String = "202612", fen: Int64, serial: String = "") -> ParsedLine {
        let debit = DebitLine(sequence: number, payerIDNumber: id, payerName: "", account: "", agreementNo: "", amount: Money(fen: fen), period: period, bankSerial: serial)
        return ParsedLine(lineNumber: number, line: debit, outcome: nil, entry: kind)
    }

    static func ours(_ id: Int64, _ idNumber: String, fen: Int64, serial: String = "", succeeded: Bool = true) -> TreasuryCandidate {
        TreasuryCandidate(debitID: id, idNumber: idNumber, period: "202612", amount: Money(fen: fen), bankSerial: serial, succeeded: succeeded)
    }

    @Test func eachTreasuryStateFromItsCase() {
        let candidates = [
            Self.ours(1, "A", fen: 1_000, serial: "S1"), Self.ours(2, "B", fen: 2_000), Self.ours(3, "C", fen: 3_000, succeeded: false),
            Self.ours(4, "D", fen: 4_000), Self.ours(5, "E", fen: 5_000), Self.ours(6, "F", fen: 6_000), Self.ours(7, "G", fen: 7_000),
        ]
        let lines = TreasuryMatcher.match([
            Self.line(2, .booked, id: "A", fen: 1_000, serial: "S1"),
            Self.line(3, .booked, id: "B", fen: 2_100),
            Self.line(4, .failed, id: "C", fen: 3_000),
            Self.line(5, .booked, id: "Z", fen: 9_000),
            Self.line(6, .failed, id: "E", fen: 5_000),
            Self.line(7, .refunded, id: "F", fen: 6_000),
            Self.line(8, .booked, id: "G", fen: 7_000),
            Self.line(9, .refunded, id: "H", fen: 500),
            Self.line(10, .refunded, id: "J", fen: 900, serial: "RJ"),
        ], candidates: candidates, refunds: [
            TreasuryRefund(refundID: 71, idNumber: "F", period: "202612", amount: Money(fen: 6_000), bankSerial: ""),
            TreasuryRefund(refundID: 72, idNumber: "J", period: "202612", amount: Money(fen: 800), bankSerial: "RJ"),
            TreasuryRefund(refundID: 73, idNumber: "K", period: "202612", amount: Money(fen: 700), bankSerial: ""),
        ])
        // A 退库 line never takes a debit: F's success is ours only (its line is a refund's), and each
        // refund state comes from its own case.
        #expect(lines.map(\.state) == [.same, .different, .bothFailed, .theirsOnly, .oursOnly, .refunded, .same, .refundTheirsOnly, .refundDifferent,
                                        .oursOnly, .oursOnly, .refundOursOnly])
        #expect(lines[5].refundID == 71 && lines[5].debitID == nil && lines[8].refundID == 72 && lines[8].ourAmount == Money(fen: 800))
        #expect(lines.last?.lineNo == nil && lines.last?.refundID == 73)
        #expect(lines[9].lineNo == nil && lines[9].debitID == 4)
        #expect(lines[1].ourAmount == Money(fen: 2_000) && lines[1].amount == Money(fen: 2_100))
    }

    @Test func aSerialTwoDebitsShareIsNotAMatchAndNoDebitIsMatchedTwice() {
        // A bank numbering each file's lines from 1: serial "000001" in two files of one day.
        let candidates = [Self.ours(1, "A", fen: 1_000, serial: "000001"), Self.ours(2, "B", fen: 2_000, serial: "000001")]
        let lines = TreasuryMatcher.match([
            Self.line(2, .booked, id: "B", fen: 2_000, serial: "000001"),
            Self.line(3, .booked, id: "B", fen: 2_000, serial: "000001"),
        ], candidates: candidates)
        #expect(lines.map(\.state) == [.same, .theirsOnly, .oursOnly])
        #expect(lines[0].debitID == 2)
    }

    /// Found by the bench: ICBC's files settle up to ICBC's limits, more than ISO20022's file total,
    /// so a camt.053 of ICBC's is bounded by ICBC's limits, not by the spec it borrows its layout from.
    @Test func aBorrowedLayoutKeepsTheBanksOwnLimitsAndSignature() throws {
        let formats = FormatRepository(directory: Fixture.formatsDirectory, schemaLocations: [:])
        let (icbc, iso) = (try formats.spec("ICBC"), try formats.spec("ISO20022"))
        let spec = AfterBankIngest.statementSpec(bank: icbc, format: iso)
        #expect(spec.largestFileTotal == icbc.largestFileTotal && spec.maxAmountPerLine == icbc.maxAmountPerLine)
        #expect(spec.statements == iso.statements && spec.signature.scheme == icbc.signature.scheme && spec.signature.placement == .detached)
        #expect(AfterBankIngest.statementSpec(bank: iso, format: nil) == iso)
    }

    @Test func theShippedSpecsReadTheStatementsAndReconciliationsTheyWrite() throws {
        let formats = FormatRepository(directory: Fixture.formatsDirectory, schemaLocations: [:])
        for (spec, kind) in [(try formats.spec("BOC"), FileKind.statement), (try formats.spec("CCB"), .statement), (try formats.spec("ISO20022"), .statement),
                             (try formats.authority("TIPSX"), .reconciliation), (try formats.authority("TIPSF"), .reconciliation)] {
            let layouts = kind == .statement ? spec.statements : [spec.reconciliation!]
            for layout in layouts {
                var lines: [DebitLine] = []
                for entry in EntryKind.allowed(in: kind) where entry != .ignore {
                    guard let code = AfterBankSimulator.code(for: entry, layout: layout) else { continue }
                    var line = DebitLine(sequence: lines.count + 1, payerIDNumber: kind == .reconciliation ? "420102199001011234" : "", payerName: "",
                                         account: "", agreementNo: "", amount: Money(fen: 123_45), period: kind == .reconciliation ? "202612" : "",
                                         resultCode: code, bankSerial: "SER\(lines.count)")
                    line.reference = "REF\(lines.count)"
                    line.valueDate = Self.day
                    lines.append(line)
                }
                var context = FileContext(collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "BOC", batchNo: 1,
                                          fileDate: Self.day, collectionDate: Self.day)
                context.balance = Money(fen: 100_000_00)
                let written = try FileWriter(spec: spec, kind: kind, layout: layout).write(lines, context: context)
                let parsed = FileReader(spec: spec, kind: kind, layout: layout).read(written.bytes, fileName: "\(spec.code).\(kind.rawValue)")
                #expect(parsed.diagnostics.filter { $0.severity == .error }.isEmpty, "\(spec.code): \(parsed.diagnostics)")
                #expect(parsed.lines.map(\.entry) == lines.map { line in layout.entryCodes[line.resultCode.split(separator: "/").filter { !$0.isEmpty }.joined(separator: "/")] })
                #expect(parsed.lines.map(\.line.reference) == lines.map(\.reference))
                #expect(parsed.lines.map(\.line.valueDate) == lines.map(\.valueDate))
                #expect(parsed.summary.fileDate == Self.day)
            }
        }
    }
}
