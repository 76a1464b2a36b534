import Foundation
import BankFormats
import PikouCore
import PropertyBased
import Testing
import TestSupport

/// Synthetic lines made from generated amounts and a seed: valid IDs, Luhn cards, Chinese names.
enum SyntheticLines {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳司马")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华")

    static func make(amounts: [Int64], seed: UInt64) -> [DebitLine] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return amounts.enumerated().map { offset, fen in
            let body = "420106" + String(1960 + next(40)) + "0" + String(1 + next(9)) + "1" + String(next(10))
                + String(100 + next(900))
            let id = body + String(IDNumber.checkCharacter(body.map { Int(String($0))! }))
            var card = "621700" + (0..<12).map { _ in String(next(10)) }.joined()
            card += String((0...9).first { BankAccount.passesLuhn(card + String($0)) }!)
            let nameLength = 1 + next(6)
            let name = String(surnames[next(surnames.count)]) + String((0..<nameLength).map { _ in given[next(given.count)] })
            return DebitLine(
                sequence: offset + 1, payerIDNumber: id, payerName: name, account: card,
                agreementNo: "XY" + String(100_000 + next(900_000)), amount: Money(fen: fen), period: "202612")
        }
    }
}

@Suite struct RoundTripTests {
    static let context = FileContext(
        collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "TEST", batchNo: 7, fileDate: CivilDate(year: 2026, month: 12, day: 1)!,
        collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)

    @Test("for random debit lists the declared total is the sum of the lines and reading returns the lines",
          arguments: Fixture.bankCodes)
    func writeThenRead(_ bank: String) async throws {
        let spec = try Fixture.spec(bank)
        await propertyCheck(count: 60, input: Gen.int64(in: 1...9_999_999).array(of: 1...40), Gen.uint64()) { amounts, seed in
            let lines = SyntheticLines.make(amounts: amounts, seed: seed)
            let written: WrittenFile
            do {
                written = try FileWriter(spec: spec, kind: .debit).write(lines, context: Self.context)
            } catch {
                Issue.record("writing failed: \(error)")
                return
            }
            let sum = amounts.reduce(0, +)
            #expect(written.total.fen == sum)
            let parsed = FileReader(spec: spec, kind: .debit).read(written.bytes, fileName: "roundtrip")
            #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
            #expect(parsed.summary.declaredTotal == nil || parsed.summary.declaredTotal?.fen == sum)
            #expect(parsed.summary.declaredCount == nil || parsed.summary.declaredCount == lines.count)
            #expect(parsed.total?.fen == sum)
            #expect(parsed.lines.map(\.line.amount) == lines.map(\.amount))
            #expect(parsed.lines.map(\.line.payerName) == lines.map(\.payerName))
            #expect(parsed.lines.map(\.line.payerIDNumber) == lines.map(\.payerIDNumber))
            #expect(parsed.lines.map(\.line.account) == lines.map(\.account))
        }
    }

    @Test func tooManyRecordsIsRefused() throws {
        var spec = try Fixture.spec("BOC")
        spec.maxRecordsPerFile = 2
        let lines = SyntheticLines.make(amounts: [100, 200, 300], seed: 1)
        #expect(throws: FormatWriteError.self) { try FileWriter(spec: spec, kind: .debit).write(lines, context: Self.context) }
    }

    @Test func sequenceMustFollowFileOrder() throws {
        let spec = try Fixture.spec("CCB")
        var lines = SyntheticLines.make(amounts: [100, 200], seed: 1)
        lines[1].sequence = 5
        do {
            _ = try FileWriter(spec: spec, kind: .debit).write(lines, context: Self.context)
            Issue.record("expected a sequence error")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.sequenceMismatch])
        }
    }
}

/// Text wider than its field is cut on a character boundary and reported.
@Suite struct TruncationTests {
    static func spec(encoding: FileEncoding, nameWidth: Int) -> BankSpec {
        let detail = RecordSpec(role: "detail", fields: [
            FieldSpec(name: "seq", type: .sequence, width: 4),
            FieldSpec(name: "name", type: .text, source: .payerName, width: nameWidth),
            FieldSpec(name: "amount", type: .fen, source: .amount, width: 10),
        ])
        let returnDetail = RecordSpec(role: "detail", fields: detail.fields + [FieldSpec(name: "code", type: .text, source: .resultCode, width: 2)])
        return BankSpec(
            code: "TST", name: "test", encoding: encoding, lineEnding: .lf, maxRecordsPerFile: 10, fileNamePattern: "t.txt",
            debit: Layout(kind: .fixed, detail: detail),
            returns: Layout(kind: .fixed, detail: returnDetail, outcomes: OutcomeTable(codes: ["00": .succeeded])))
    }

    static func write(_ name: String, encoding: FileEncoding, width: Int) throws -> WrittenFile {
        let line = DebitLine(sequence: 1, payerIDNumber: "", payerName: name, account: "", agreementNo: "", amount: Money(fen: 100), period: "")
        return try FileWriter(spec: spec(encoding: encoding, nameWidth: width), kind: .debit).write([line], context: RoundTripTests.context)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let encoding: FileEncoding
        let width: Int
        let kept: String
        var testDescription: String { "\(name) in \(width) \(encoding.rawValue) bytes" }
    }

    static let cases: [Case] = [
        // GBK: two bytes per Chinese character; an odd width leaves one pad byte, never half a character.
        Case(name: "欧阳娜娜娜", encoding: .gbk, width: 9, kept: "欧阳娜娜"),
        Case(name: "欧阳娜娜娜", encoding: .gbk, width: 8, kept: "欧阳娜娜"),
        Case(name: "A欧阳", encoding: .gbk, width: 4, kept: "A欧"),
        Case(name: "买买提·艾力", encoding: .gbk, width: 7, kept: "买买提"),
        // GB18030: 𠀀 (U+20000) is four bytes.
        Case(name: "张𠀀三", encoding: .gb18030, width: 5, kept: "张"),
        Case(name: "张𠀀三", encoding: .gb18030, width: 6, kept: "张𠀀"),
        // UTF-8: three bytes per Chinese character.
        Case(name: "王小明", encoding: .utf8, width: 8, kept: "王小"),
    ]

    @Test("a wide name is cut on a character boundary", arguments: cases)
    func cut(_ c: Case) throws {
        let written = try Self.write(c.name, encoding: c.encoding, width: c.width)
        #expect(written.warnings.map(\.code) == [.textTruncated])
        #expect(written.warnings.first?.field == "name")
        #expect(written.warnings.first?.severity == .warning)
        let nameBytes = Array(written.bytes[4..<(4 + c.width)])
        let kept = c.encoding.encode(c.kept)!
        #expect(Array(nameBytes.prefix(kept.count)) == kept)
        #expect(nameBytes.dropFirst(kept.count).allSatisfy { $0 == UInt8(ascii: " ") })
        let parsed = FileReader(spec: Self.spec(encoding: c.encoding, nameWidth: c.width), kind: .debit)
            .read(written.bytes, fileName: "cut")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.lines.first?.line.payerName == c.kept)
    }

    /// Issue 16, item 4: an identifying value too wide for its field is an error (a cut account is
    /// another account); `overflow: cut` opts a field in to cutting.
    @Test func anIdentifyingValueTooWideIsAnErrorUnlessTheSpecAllowsCutting() throws {
        var spec = try Fixture.spec("BOC")
        var line = try #require(DebitLineCSV.parse(text: try Fixture.text("banks/BOC/debits.csv"), fileName: "d.csv", kind: .debit, validate: true).lines.first)
        line.agreementNo = String(repeating: "7", count: 23)
        let context = FileContext(collector: "420100000001", bankCode: "BOC", batchNo: 1,
                                  fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)
        #expect {
            try FileWriter(spec: spec, kind: .debit).write([line], context: context)
        } throws: { error in
            let diagnostic = (error as? FormatWriteError)?.diagnostics.first
            return diagnostic?.code == .valueTooWide && diagnostic?.field == "agreement_no"
                && diagnostic?.message.contains("never cut") == true
        }
        let index = try #require(spec.debit.detail.fields.firstIndex { $0.source == .agreementNo })
        spec.debit.detail.fields[index].cutsOverflow = true
        let written = try FileWriter(spec: spec, kind: .debit).write([line], context: context)
        #expect(written.warnings.map(\.code) == [.textTruncated])
    }

    @Test("overflow is read from the spec, for fixed text fields only", arguments: [
        ("{name: agreement_no, type: text, width: 20, source: agreement_no, overflow: cut}", true, nil as String?),
        ("{name: name, type: text, width: 30, source: payer_name, overflow: error}", false, nil),
        ("{name: name, type: text, width: 30, source: payer_name, overflow: sometimes}", nil, "overflow must be cut or error"),
        ("{name: amount, type: fen, width: 12, source: amount, overflow: cut}", nil, "applies to text fields of fixed layouts only"),
    ] as [(String, Bool?, String?)])
    func overflowKey(field: String, cuts: Bool?, error: String?) throws {
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        let original = field.contains("agreement_no") ? "{name: agreement_no,    type: text,     width: 20, start: 83, source: agreement_no}"
            : field.contains("amount") ? "{name: amount,          type: fen,      width: 12, start: 103, source: amount}"
            : "{name: name,            type: text,     width: 30, start: 28, source: payer_name}"
        #expect(yaml.contains(original), "the BOC spec has \(original)")
        let start = original.range(of: "start: ")!
        let startText = original[start.upperBound...].prefix { $0.isNumber }
        yaml = yaml.replacingOccurrences(of: original, with: field.replacingOccurrences(of: "width:", with: "start: \(startText), width:"))
        let loaded = SpecLoader(yaml: yaml, file: "Formats/banks/BOC.yaml")
        if let error {
            #expect(loaded.diagnostics.contains { $0.message.contains(error) }, "\(loaded.diagnostics)")
        } else {
            let spec = try #require(loaded.spec, "\(loaded.diagnostics)")
            let name = field.contains("agreement_no") ? "agreement_no" : "name"
            #expect(spec.debit.detail.fields.first { $0.name == name }?.cutsOverflow == cuts)
        }
    }

    /// Issue 16, item 2: a text field padded with the full-width space 　 (A1A1 in GBK) is written
    /// with whole pad characters (an odd remainder as an ASCII space) and trimmed of them on read.
    @Test func aFullWidthSpacePadsAndTrimsInTheFilesEncoding() throws {
        let original = "{name: name,            type: text,     width: 30, start: 28, source: payer_name}"
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        #expect(yaml.contains(original))
        yaml = yaml.replacingOccurrences(of: original, with: "{name: name, type: text, width: 30, start: 28, source: payer_name, pad: \"　\"}")
        let loaded = SpecLoader(yaml: yaml, file: "Formats/banks/BOC.yaml")
        let spec = try #require(loaded.spec, "\(loaded.diagnostics)")
        #expect(spec.debit.detail.fields.first { $0.name == "name" }?.widePad == [0xA1, 0xA1])
        let lines = DebitLineCSV.parse(text: try Fixture.text("banks/BOC/debits.csv"), fileName: "d.csv", kind: .debit, validate: true).lines
        let context = FileContext(collector: "420100000001", bankCode: "BOC", batchNo: 1,
                                  fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)
        let written = try FileWriter(spec: spec, kind: .debit).write(lines, context: context)
        // The first detail line's name field: the name, then A1A1 pairs (30 bytes is even, a GBK name too).
        let second = try #require(written.bytes.split(separator: 10, omittingEmptySubsequences: false).dropFirst().first)
        let field = Array(second.dropFirst(27).prefix(30))
        let name = try #require(FileEncoding.gbk.encode(lines[0].payerName))
        #expect(Array(field.prefix(name.count)) == name)
        #expect(field.dropFirst(name.count).elementsEqual(repeatElement(0xA1, count: 30 - name.count)), "\(field)")
        let parsed = FileReader(spec: spec, kind: .debit).read(written.bytes, fileName: "d.txt")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.lines.map(\.line.payerName) == lines.map(\.payerName))
        // An odd remainder (a 5-byte name in 30 bytes): 12 pad characters, then one ASCII space.
        var odd = lines
        odd[0].payerName = "A张三"
        let oddWritten = try FileWriter(spec: spec, kind: .debit).write(odd, context: context)
        let oddLine = try #require(oddWritten.bytes.split(separator: 10, omittingEmptySubsequences: false).dropFirst().first)
        let oddField = Array(oddLine.dropFirst(27).prefix(30))
        #expect(oddField.suffix(25) == ArraySlice(Array(repeatElement(UInt8(0xA1), count: 24)) + [UInt8(ascii: " ")]))
        #expect(FileReader(spec: spec, kind: .debit).read(oddWritten.bytes, fileName: "d.txt").lines.first?.line.payerName == "A张三")
        // A wide pad needs a text field of a fixed layout.
        let misplaced = yaml.replacingOccurrences(of: "{name: amount,          type: fen,      width: 12, start: 103, source: amount}",
                                                  with: "{name: amount, type: fen, width: 12, start: 103, source: amount, pad: \"　\"}")
        #expect(SpecLoader(yaml: misplaced, file: "Formats/banks/BOC.yaml").diagnostics.contains { $0.message.contains("text fields of fixed layouts only") })
    }

    @Test func nameThatFitsIsNotReported() throws {
        let written = try Self.write("欧阳娜娜", encoding: .gbk, width: 8)
        #expect(written.warnings.isEmpty)
    }

    @Test func truncationWarningIsMasked() throws {
        let written = try Self.write("欧阳娜娜娜", encoding: .gbk, width: 9)
        #expect(!(written.warnings.first?.message.contains("欧阳娜娜") ?? true))
    }

    @Test func characterGBKLacksIsAnError() {
        // U+20000 exists in GB18030 but not in GBK.
        #expect(throws: FormatWriteError.self) { try Self.write("张𠀀", encoding: .gbk, width: 10) }
    }
}

/// Count and total may stand in different records; each mismatch names its own line.
@Suite struct SplitSummaryTests {
    static let spec: BankSpec = {
        let header = RecordSpec(role: "header", fields: [
            FieldSpec(name: "tag", type: .constant, value: "H"), FieldSpec(name: "total", type: .total, unit: .yuan),
        ])
        let detail = RecordSpec(role: "detail", fields: [
            FieldSpec(name: "seq", type: .sequence), FieldSpec(name: "amount", type: .yuan, source: .amount),
        ])
        let trailer = RecordSpec(role: "trailer", fields: [
            FieldSpec(name: "tag", type: .constant, value: "END"), FieldSpec(name: "count", type: .count),
        ])
        let layout = Layout(kind: .delimited(Delimiting(separator: UInt8(ascii: ";"))), header: header, detail: detail, trailer: trailer)
        return BankSpec(code: "TST", name: "t", encoding: .gb18030, lineEnding: .lf, maxRecordsPerFile: 9,
                        fileNamePattern: "t", debit: layout, returns: layout)
    }()

    @Test func totalInHeaderIsReportedOnLineOne() {
        let parsed = FileReader(spec: Self.spec, kind: .debit).read(Array("H;3.01\n1;1.00\n2;2.00\nEND;2\n".utf8), fileName: "f")
        #expect(parsed.diagnostics.map(\.code) == [.totalMismatch])
        #expect(parsed.diagnostics.first?.line == 1)
        #expect(parsed.diagnostics.first?.message.contains("the header declares 3.01 yuan") == true)
    }

    @Test func countInTrailerIsReportedOnTheLastLine() {
        let parsed = FileReader(spec: Self.spec, kind: .debit).read(Array("H;3.00\n1;1.00\n2;2.00\nEND;3\n".utf8), fileName: "f")
        #expect(parsed.diagnostics.map(\.code) == [.countMismatch])
        #expect(parsed.diagnostics.first?.line == 4)
        #expect(parsed.diagnostics.first?.message.contains("the trailer declares 3 records") == true)
    }

    /// Before the XML layout, a file declaring its total in both header and trailer had only the
    /// trailer's checked: a wrong header total (BOC's) passed unnoticed. Every declared total is
    /// now checked against the lines, each reported on its own line.
    @Test func wrongHeaderTotalIsCaughtWhenTheTrailerIsRight() throws {
        let spec = try Fixture.spec("BOC")
        var text = Array(FileSignature.unverifiedPayload(try Fixture.bytes("banks/BOC/valid/return.txt"), spec: spec))
        // The header's total is its last 15 bytes before CR LF; raise its last digit.
        let endOfHeader = try #require(text.firstIndex(of: 13))
        text[endOfHeader - 1] = text[endOfHeader - 1] == UInt8(ascii: "9") ? UInt8(ascii: "0") : text[endOfHeader - 1] + 1
        let parsed = FileReader(spec: spec, kind: .return).read(text, fileName: "boc.txt")
        #expect(parsed.diagnostics.map(\.code) == [.totalMismatch])
        #expect(parsed.diagnostics.first?.line == 1)
        #expect(parsed.diagnostics.first?.message.contains("the header declares") == true)
    }
}

/// A sign on an amount is an error unless the field says `signed: true` (a bank returning -0.01
/// must not count as money the other way).
@Suite struct SignedAmountTests {
    static func spec(signed: Bool) -> BankSpec {
        let detail = RecordSpec(role: "detail", fields: [
            FieldSpec(name: "seq", type: .sequence, width: 4),
            FieldSpec(name: "amount", type: .yuan, source: .amount, width: 10, pad: UInt8(ascii: " "), signed: signed),
            FieldSpec(name: "code", type: .text, source: .resultCode, width: 2),
        ])
        return BankSpec(
            code: "TST", name: "test", encoding: .gbk, lineEnding: .lf, maxRecordsPerFile: 10, fileNamePattern: "t.txt",
            debit: Layout(kind: .fixed, detail: detail),
            returns: Layout(kind: .fixed, detail: detail, outcomes: OutcomeTable(codes: ["00": .succeeded])))
    }

    static let file = Array("0001     -0.0100\n0002    +12.0000\n0003      1.5000\n".utf8)

    @Test func aSignedAmountIsRefusedByDefault() {
        let parsed = FileReader(spec: Self.spec(signed: false), kind: .return).read(Self.file, fileName: "r.txt")
        #expect(parsed.lines.map(\.line.amount) == [Money(fen: 150)])
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.invalidAmount, .invalidAmount])
        #expect(errors.map(\.line) == [1, 2])
        #expect(errors.first?.message.contains("unsigned") == true)
    }

    @Test func aFieldMarkedSignedReadsTheMinus() {
        let parsed = FileReader(spec: Self.spec(signed: true), kind: .return).read(Self.file, fileName: "r.txt")
        #expect(parsed.lines.map(\.line.amount) == [Money(fen: -1), Money(fen: 150)])
        #expect(parsed.diagnostics.filter { $0.severity == .error }.map(\.line) == [2])  // only '-' is a sign
    }

    @Test func theSpecLoaderAcceptsSignedOnAmountsOnly() {
        let base = SpecLoaderTests.base
        let onAmount = SpecLoader(yaml: base.replacingOccurrences(of: "source: amount}\nreturn:", with: "source: amount, signed: true}\nreturn:"), file: "TST.yaml")
        #expect(onAmount.diagnostics.isEmpty, "\(onAmount.diagnostics)")
        #expect(onAmount.spec?.debit.detail.fields.last?.signed == true)
        let onText = SpecLoader(yaml: base.replacingOccurrences(of: "source: payer_name}", with: "source: payer_name, signed: true}"), file: "TST.yaml")
        #expect(onText.diagnostics.map(\.message).contains { $0.contains("'signed' applies to amount fields only") })
    }
}
