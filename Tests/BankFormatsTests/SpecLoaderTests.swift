import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

@Suite struct SpecLoaderTests {
    /// A small valid fixed-width spec; tests break one thing at a time.
    static let base = """
        bank: TST
        name: Test bank
        encoding: gbk
        line_ending: crlf
        max_records_per_file: 100
        file_name: "TST_{date:yyyyMMdd}_{batch:2}.txt"
        debit:
          layout: fixed
          detail:
            - {name: seq, type: sequence, width: 6, start: 1}
            - {name: name, type: text, width: 10, start: 7, source: payer_name}
            - {name: amount, type: fen, width: 10, start: 17, source: amount}
        return:
          layout: fixed
          detail:
            - {name: seq, type: sequence, width: 6}
            - {name: amount, type: fen, width: 10, source: amount}
            - {name: code, type: text, width: 4, source: result_code}
          result_codes:
            "0000": succeeded
            "0001": insufficientFunds
        """

    func load(_ yaml: String) -> SpecLoader { SpecLoader(yaml: yaml, file: "Formats/banks/TST.yaml") }

    @Test func baseSpecLoads() throws {
        let loader = load(Self.base)
        #expect(loader.diagnostics.isEmpty, "\(loader.diagnostics)")
        let spec = try #require(loader.spec)
        #expect(spec.debit.detail.fixedLength == 26)
        #expect(spec.returns.outcomes?.codes["0001"] == .insufficientFunds)
    }

    @Test("every bank in Formats/banks compiles without a diagnostic", arguments: Fixture.bankCodes)
    func shippedSpecsAreClean(_ code: String) {
        let (spec, diagnostics) = FormatRepository.check(path: Fixture.formatsDirectory + "/banks/\(code).yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(spec?.code == code)
    }

    struct BrokenSpec: Sendable, CustomTestStringConvertible {
        let what: String
        let from: String
        let to: String
        let code: Diagnostic.Code
        let line: Int?
        var testDescription: String { what }
    }

    static let broken: [BrokenSpec] = [
        BrokenSpec(what: "misspelt key", from: "line_ending: crlf", to: "line_endings: crlf", code: .specUnknownKey, line: 4),
        BrokenSpec(what: "unknown field key", from: "width: 10, start: 7,", to: "widht: 10, start: 7,", code: .specUnknownKey, line: 11),
        BrokenSpec(what: "overlapping fields", from: "start: 17", to: "start: 15", code: .specOverlap, line: 12),
        BrokenSpec(what: "gap between fields", from: "start: 17", to: "start: 19", code: .specGap, line: 12),
        BrokenSpec(what: "missing width", from: "{name: amount, type: fen, width: 10, start: 17,", to: "{name: amount, type: fen, start: 17,", code: .specMissingWidth, line: 12),
        BrokenSpec(what: "unknown outcome name", from: "\"0001\": insufficientFunds", to: "\"0001\": noMoney", code: .specUnknownOutcome, line: 21),
        BrokenSpec(what: "unknown encoding", from: "encoding: gbk", to: "encoding: big5", code: .specInvalidValue, line: 3),
        BrokenSpec(what: "duplicate field name", from: "{name: name, type: text", to: "{name: seq, type: text", code: .specDuplicateField, line: 11),
        BrokenSpec(what: "bank code unlike file name", from: "bank: TST", to: "bank: XYZ", code: .specInvalidValue, line: 1),
        BrokenSpec(what: "unknown file name placeholder", from: "{batch:2}", to: "{batchno}", code: .specInvalidValue, line: 6),
        BrokenSpec(what: "return without result codes", from: "  result_codes:\n    \"0000\": succeeded\n    \"0001\": insufficientFunds", to: "", code: .specMissingKey, line: nil),
        BrokenSpec(what: "unknown signature scheme", from: "debit:\n", to: "signature: {scheme: md5}\ndebit:\n", code: .specInvalidValue, line: 7),
        BrokenSpec(what: "signed without a placement", from: "debit:\n", to: "signature: {scheme: sm2-sm3}\ndebit:\n", code: .specMissingKey, line: 7),
        BrokenSpec(what: "distinguishing ID on RSA", from: "debit:\n", to: "signature: {scheme: rsa-sha256, placement: trailer, distinguishing_id: \"1\"}\ndebit:\n", code: .specInvalidValue, line: 7),
    ]

    /// Refund layouts (issue 35): `refund` and `refund_return` come together, the answer has its
    /// result codes, and the file name tells a refund file from a debit file.
    @Test func refundLayoutsComeTogetherWithTheirResultCodes() throws {
        let base = Self.base.replacingOccurrences(of: "TST_{date:yyyyMMdd}_{batch:2}.txt", with: "TST_{kind}_{date:yyyyMMdd}_{batch:2}.txt")
        let refund = """

            refund:
              layout: fixed
              detail:
                - {name: seq, type: sequence, width: 6}
                - {name: amount, type: fen, width: 10, source: amount}
            """
        let answer = """

            refund_return:
              layout: fixed
              detail:
                - {name: seq, type: sequence, width: 6}
                - {name: amount, type: fen, width: 10, source: amount}
                - {name: code, type: text, width: 4, source: result_code}
              result_codes:
                "0000": succeeded
                "1003": accountClosed
            """
        let both = load(base + refund + answer)
        #expect(both.diagnostics.isEmpty, "\(both.diagnostics)")
        let spec = try #require(both.spec)
        #expect(spec.refund != nil && spec.refundReturn?.outcomes?.codes["1003"] == .accountClosed)
        #expect(FileWriter(spec: spec, kind: .refund).fileName(context: FileContext(collector: "C", bankCode: "TST", batchNo: 1, fileDate: CivilDate(year: 2026, month: 12, day: 21)!,
                                                                                    collectionDate: CivilDate(year: 2026, month: 12, day: 21)!)) == "TST_TK_20261221_01.txt")
        // The instruction alone: its answer is missing.
        #expect(load(base + refund).diagnostics.contains { $0.code == .specMissingKey && $0.field == "refund_return" })
        // The answer alone: it answers nothing.
        #expect(load(base + answer).diagnostics.contains { $0.code == .specMissingKey && $0.field == "refund" })
        // Result codes belong to the answer.
        let codesInRefund = load(base + refund + "\n  result_codes:\n    \"0000\": succeeded" + answer)
        #expect(codesInRefund.spec == nil && codesInRefund.diagnostics.contains { $0.field == "refund.result_codes" })
        // Without {kind} a refund file would take its debit file's name.
        #expect(load(Self.base + refund + answer).diagnostics.contains { $0.field == "file_name" })
    }

    @Test("a broken spec is reported with its line", arguments: broken)
    func brokenSpec(_ c: BrokenSpec) {
        #expect(Self.base.contains(c.from), "test setup: '\(c.from)' not in the base spec")
        let loader = load(Self.base.replacingOccurrences(of: c.from, with: c.to))
        #expect(loader.spec == nil)
        let errors = loader.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code).contains(c.code), "\(errors)")
        if let line = c.line { #expect(errors.first { $0.code == c.code }?.line == line, "\(errors)") }
        #expect(errors.allSatisfy { $0.file == "Formats/banks/TST.yaml" })
    }

    @Test func misspeltKeyGetsASuggestion() {
        let loader = load(Self.base.replacingOccurrences(of: "line_ending: crlf", with: "line_endng: crlf"))
        #expect(loader.diagnostics.first?.message.contains("did you mean 'line_ending'") == true)
    }

    @Test func notYAMLAtAll() {
        let loader = load("bank: [unclosed")
        #expect(loader.diagnostics.map(\.code) == [.specSyntax])
    }
}


/// Date patterns (the two common ones are tokenized once, for the hot path: every line's date):
/// each writes and reads back the same day, and a pattern that is not one is refused.
@Suite struct DatePatternTests {
    @Test(arguments: ["yyyyMMdd", "yyyy-MM-dd", "dd/MM/yyyy", "yyyy.MM.dd", "MMddyyyy"])
    func aDateReadsBackAsWritten(_ pattern: String) throws {
        #expect(DatePattern.problem(pattern) == nil)
        for date in [CivilDate(year: 2026, month: 12, day: 21)!, CivilDate(year: 2024, month: 2, day: 29)!, CivilDate(year: 1999, month: 1, day: 1)!] {
            let text = DatePattern.format(date, pattern)
            #expect(DatePattern.parse(Array(text.utf8), pattern) == date, "\(pattern): \(text)")
        }
        #expect(DatePattern.parse(Array("2026-02-30".utf8), "yyyy-MM-dd") == nil && DatePattern.parse(Array("20261221".utf8), "yyyy-MM-dd") == nil)
        #expect(DatePattern.format(CivilDate(year: 2026, month: 1, day: 5)!, "yyyy-MM-dd") == "2026-01-05")
    }

    @Test(arguments: ["yyyyMMd", "yyyyMMddx", "yyyyMMddMM", "年MMdd"])
    func aPatternThatIsNotOneIsRefused(_ pattern: String) {
        #expect(DatePattern.problem(pattern) != nil)
    }
}
