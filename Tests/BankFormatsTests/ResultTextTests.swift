import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// A bank that answers in words only (issue 16, item 1): `result_texts` without `result_codes`, the
/// text the key; code and text kept apart.
@Suite struct ResultTextTests {
    /// BOC's layout, answering 成功 / 余额不足 / 账户已销户 … in a result_text field, with no code field.
    static func textOnlyYAML() throws -> String {
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "bank: BOC", with: "bank: TXT")
        yaml = yaml.replacingOccurrences(of: "    - {name: result_code,     type: text,     width: 4,  source: result_code}\n", with: "")
        let start = try #require(yaml.range(of: "  result_codes:"))
        yaml = String(yaml[..<start.lowerBound]) + """
              result_texts:
                成功: succeeded
                余额不足: insufficientFunds
                账户已冻结: accountFrozen
                账户已销户: accountClosed
                户名不符: nameMismatch

            """
        return yaml
    }

    @Test func aBankAnsweringInWordsLoadsReadsAndNamesAnUnknownTextAsText() throws {
        let loader = SpecLoader(yaml: try Self.textOnlyYAML(), file: "Formats/banks/TXT.yaml")
        #expect(!loader.diagnostics.hasErrors, "\(loader.diagnostics)")
        let spec = try #require(loader.spec)
        let table = try #require(spec.returns.outcomes)
        #expect(table.codes.isEmpty && table.texts["余额不足"] == .insufficientFunds)
        #expect(table.representation(of: .accountClosed).map { [$0.code, $0.text] } == ["", "账户已销户"])

        var lines = try Fixture.readVerified("BOC", "banks/BOC/valid/return.txt").lines.map(\.line)
        for index in lines.indices { lines[index].resultCode = ""; lines[index].resultText = index == 1 ? "余额不足" : "成功" }
        lines[2].resultText = "账户异常"  // not in the table
        let written = try FileWriter(spec: spec, kind: .return).write(lines, context: FileContext(
            collector: "420100000001", bankCode: "TXT", batchNo: 1, fileDate: CivilDate(year: 2026, month: 12, day: 1)!,
            collectionDate: CivilDate(year: 2026, month: 12, day: 3)!))
        let parsed = FileReader(spec: spec, kind: .return).read(written.bytes, fileName: "TXT.ret")
        #expect(parsed.lines.map(\.outcome).prefix(3) == [.succeeded, .insufficientFunds, .unknown])
        #expect(parsed.lines.allSatisfy { $0.line.resultCode.isEmpty }, "no code invented from the text")
        let unknown = try #require(parsed.diagnostics.first { $0.code == .unmappedResultCode })
        #expect(unknown.description(.en).contains("result text '账户异常'") && unknown.description(.en).contains("field 'result_text'"), "\(unknown)")
        #expect(!unknown.description.contains("result code"))
    }

    @Test func aTextOnlyTableStillNeedsSuccessAndItsTextField() throws {
        let noSuccess = try Self.textOnlyYAML().replacingOccurrences(of: "    成功: succeeded\n", with: "")
        let loader = SpecLoader(yaml: noSuccess, file: "Formats/banks/TXT.yaml")
        #expect(loader.diagnostics.contains { $0.description.contains("no text maps to succeeded") }, "\(loader.diagnostics)")
        let noField = try Self.textOnlyYAML().replacingOccurrences(of: "source: result_text}", with: "source: bank_serial}")
            .replacingOccurrences(of: "    - {name: bank_serial,     type: text,     width: 20, source: bank_serial}\n", with: "")
        let missing = SpecLoader(yaml: noField, file: "Formats/banks/TXT.yaml")
        #expect(missing.diagnostics.contains { $0.description.contains("needs a detail field with source result_text") }, "\(missing.diagnostics)")
        let neither = try Self.textOnlyYAML().replacingOccurrences(of: "  result_texts:", with: "  result_textz:")
        #expect(SpecLoader(yaml: neither, file: "Formats/banks/TXT.yaml").diagnostics.contains { $0.description.contains("or 'result_texts'") })
    }

    /// A result code is compared exactly as the spec declares it (issue 37): only the field's padding
    /// comes off. ' 00' in a fixed field, ' 000' or '000 ' in a delimited one are not the success code.
    @Test func aResultCodeWithSpacesAroundItIsNotTheCode() throws {
        let boc = try Fixture.spec("BOC")
        var lines = try Fixture.readVerified("BOC", "banks/BOC/valid/return.txt").lines.map(\.line)
        let success = try #require(boc.returns.outcomes?.codes.first { $0.value == .succeeded }?.key)
        lines[0].resultCode = " " + success
        lines[1].resultCode = success
        let written = try FileWriter(spec: boc, kind: .return).write(lines, context: FileContext(
            collector: "420100000001", bankCode: "BOC", batchNo: 1, fileDate: CivilDate(year: 2026, month: 12, day: 1)!,
            collectionDate: CivilDate(year: 2026, month: 12, day: 3)!))
        let parsed = FileReader(spec: boc, kind: .return).read(written.bytes, fileName: "BOC.ret")
        #expect(parsed.lines[0].outcome == .unknown && parsed.lines[1].outcome == .succeeded, "\(parsed.lines.prefix(2).map(\.outcome))")
        #expect(parsed.diagnostics.contains { $0.code == .unmappedResultCode && $0.description.contains("result code ' ") }, "\(parsed.diagnostics)")

        let hkb = try Fixture.spec("HKB")
        let original = try Fixture.bytes("banks/HKB/valid/return.txt")
        for variant in [";  000;", "; 000;", ";000 ;"] {
            var text = original
            let needle = Array(";000;".utf8)
            guard let at = (0...(text.count - needle.count)).first(where: { Array(text[$0..<($0 + needle.count)]) == needle }) else {
                Issue.record("HKB's return fixture has a 000 code")
                return
            }
            text.replaceSubrange(at..<(at + needle.count), with: Array(variant.utf8))
            let read = FileReader(spec: hkb, kind: .return).read(text, fileName: "HKB.ret")
            #expect(read.lines.first?.outcome == .unknown, "\(variant): \(read.lines.first.map { "\($0.outcome)" } ?? "no line") \(read.diagnostics)")
        }
    }
}
