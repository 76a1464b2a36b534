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
        #expect(unknown.description.contains("result text '账户异常'") && unknown.description.contains("field 'result_text'"), "\(unknown)")
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
}
