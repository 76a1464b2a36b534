import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// The spec language's second edition: number forms, quoting per field, numbers at a width in
/// delimited and XML layouts, namespaced XML, detached signatures for XML, result-code forms, and
/// diagnostics said once for many lines. Each refusal with its test.
@Suite struct NumberFormatTests {
    static func form(_ grouping: String = "", decimal: String = ".", sign: NumberFormat.SignStyle = .leading) -> NumberFormat {
        NumberFormat(grouping: grouping.utf8.first ?? 0, decimal: decimal.utf8.first!, sign: sign)
    }

    static func written(_ fen: Int64, _ format: NumberFormat, inFen: Bool = false) -> String {
        var bytes: [UInt8] = []
        format.append(Money(fen: fen), inFen: inFen, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("each declared form is written exactly so")
    func written() {
        #expect(Self.written(123_456_789, Self.form(",")) == "1,234,567.89")
        #expect(Self.written(123_456, Self.form(",")) == "1,234.56")
        #expect(Self.written(99_999, Self.form(",")) == "999.99")
        #expect(Self.written(5, Self.form(",")) == "0.05")
        #expect(Self.written(123_456_789, Self.form(".", decimal: ",")) == "1.234.567,89")
        #expect(Self.written(123_456_789, Self.form("'")) == "1'234'567.89")
        #expect(Self.written(-123_456, Self.form(",", sign: .leading)) == "-1,234.56")
        #expect(Self.written(-123_456, Self.form(",", sign: .trailing)) == "1,234.56-")
        #expect(Self.written(-123_456, Self.form(",", sign: .parentheses)) == "(1,234.56)")
        #expect(Self.written(123_456, Self.form(sign: .crDr)) == "1234.56CR")
        #expect(Self.written(-123_456, Self.form(sign: .crDr)) == "1234.56DR")
        #expect(Self.written(123_456, Self.form(sign: .drCr)) == "1234.56DR")
        #expect(Self.written(1_234_567, Self.form(","), inFen: true) == "1,234,567")
    }

    @Test("a value not in the declared form is refused, never guessed", arguments: [
        ("1234.56", ","),       // grouping declared, none used
        ("1,23.45", ","),       // a group of two
        ("12,3456.00", ","),    // a group of four
        (",123.00", ","),       // a separator first
        ("1,234.5", ","),       // one decimal
        ("1,234.567", ","),     // three decimals
        ("1,234", ","),         // no decimals
        ("01,234.00", ","),     // a leading zero
        ("1.234,56", ","),      // another country's marks
        ("1 234.56", ","),      // another grouping mark
    ])
    func refused(_ value: String, _ grouping: String) {
        let result = Self.form(grouping).parse(Array(value.utf8), inFen: false, signed: true)
        #expect(throws: NumberFormatProblem.form) { try result.get() }
    }

    @Test("signs are read in the declared style only")
    func signs() throws {
        #expect(try Self.form(",", sign: .trailing).parse(Array("1,234.56-".utf8), inFen: false, signed: true).get() == Money(fen: -123_456))
        #expect(try Self.form(",", sign: .parentheses).parse(Array("(1,234.56)".utf8), inFen: false, signed: true).get() == Money(fen: -123_456))
        #expect(try Self.form(sign: .crDr).parse(Array("12.00DR".utf8), inFen: false, signed: true).get() == Money(fen: -1200))
        #expect(try Self.form(sign: .crDr).parse(Array("12.00CR".utf8), inFen: false, signed: false).get() == Money(fen: 1200))
        // The wrong style, an unbalanced parenthesis, a missing mark, a negative in an unsigned field.
        #expect(throws: NumberFormatProblem.form) { try Self.form(",", sign: .trailing).parse(Array("-1,234.56".utf8), inFen: false, signed: true).get() }
        #expect(throws: NumberFormatProblem.form) { try Self.form(",", sign: .parentheses).parse(Array("(1,234.56".utf8), inFen: false, signed: true).get() }
        #expect(throws: NumberFormatProblem.form) { try Self.form(sign: .crDr).parse(Array("12.00".utf8), inFen: false, signed: true).get() }
        #expect(throws: NumberFormatProblem.sign) { try Self.form(",").parse(Array("-1.00".utf8), inFen: false, signed: false).get() }
        #expect(throws: NumberFormatProblem.range) { try Self.form().parse(Array("1234567890123456789.00".utf8), inFen: false, signed: false).get() }
    }

    @Test("property: every amount reads back as written, in every form")
    func roundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        let groupings = ["", ",", ".", " ", "'"]
        for _ in 0..<3000 {
            let grouping = groupings.randomElement(using: &rng)!
            let decimal = grouping == "." ? "," : [".", ","].filter { $0 != grouping }.randomElement(using: &rng)!
            let sign = NumberFormat.SignStyle.allCases.randomElement(using: &rng)!
            let format = Self.form(grouping, decimal: decimal, sign: sign)
            let inFen = Bool.random(using: &rng)
            let magnitude = Int64.random(in: 0...[99, 99_999, 99_999_999, Int64.max / 2].randomElement(using: &rng)!, using: &rng)
            let fen = Bool.random(using: &rng) ? magnitude : -magnitude
            let text = Self.written(fen, format, inFen: inFen)
            #expect(try format.parse(Array(text.utf8), inFen: inFen, signed: true).get() == Money(fen: fen), "\(text)")
        }
    }
}

@Suite struct SpecSecondEditionTests {
    static let context = FileContext(
        collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "HUBB", batchNo: 1,
        fileDate: CivilDate(year: 2026, month: 12, day: 3)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)

    static func spec(_ yaml: String, file: String = "TEST.yaml") -> SpecLoader { SpecLoader(yaml: yaml, file: file) }

    /// HUBB's return file with one line changed by `edit` (signature not checked: the defect is the point).
    static func hubbReturn(_ edit: (String) -> String) throws -> ParsedFile {
        let spec = try Fixture.spec("HUBB")
        let bytes = try Fixture.bytes("banks/HUBB/valid/return.txt")
        let text = spec.encoding.decode(bytes[...])!
        var lines = text.components(separatedBy: "\r\n")
        lines[3] = edit(lines[3])
        return FileReader(spec: spec, kind: .return).read(spec.encoding.encode(lines.joined(separator: "\r\n"))!, fileName: "r.csv")
    }

    @Test("a grouped amount without its quotes, or a bare text quoted, is refused (quoting per field)")
    func quotingIsChecked() throws {
        let original = try Self.hubbReturn { $0 }
        #expect(original.diagnostics.isEmpty, "\(original.diagnostics)")
        let line = try Fixture.text("banks/HUBB/returns.csv")  // only to be sure the fixture is the one we think
        #expect(line.contains("0108"))

        let unquotedText = try Self.hubbReturn { $0.replacingOccurrences(of: "\"交易成功\"", with: "交易成功") }
        #expect(unquotedText.refusingErrors.map(\.code) == [.quoting])
        #expect(unquotedText.refusingErrors.first?.field == "result_text")
        #expect(unquotedText.refusingErrors.first?.line == 4)

        let quotedCode = try Self.hubbReturn { $0.replacingOccurrences(of: ",0000,", with: ",\"0000\",") }
        #expect(quotedCode.refusingErrors.map(\.code) == [.quoting])
        #expect(quotedCode.refusingErrors.first?.field == "result_code")
        #expect(quotedCode.refusingErrors.first?.message.contains("quoting: never") == true)
    }

    @Test("a grouped amount in another form is refused naming the declared form")
    func groupedAmountForm() throws {
        let ungrouped = try Self.hubbReturn { line in
            // A leading zero before the first group: not how the bank's declared form writes 414.70.
            line.replacingOccurrences(of: "\"414.70\"", with: "\"0,414.70\"")
        }
        let error = try #require(ungrouped.refusingErrors.first)
        #expect(error.code == .invalidAmount && error.field == "amount")
        #expect(error.message.contains("1,234.56 (grouping ',', decimal '.')"), "\(error.message)")
    }

    @Test("a number at a width in a delimited layout is read strictly")
    func widthInDelimited() throws {
        let short = try Self.hubbReturn { $0.replacingOccurrences(of: "R,000003,", with: "R,3,") }
        #expect(short.refusingErrors.map(\.code) == [.valueTooWide])
        #expect(short.refusingErrors.first?.field == "seq")
        #expect(short.refusingErrors.first?.message.contains("width 6") == true)
    }

    @Test("a malformed result code is a line error; a well-formed unknown one a line for review")
    func codePattern() throws {
        let malformed = try Self.hubbReturn { $0.replacingOccurrences(of: ",0000,", with: ",00O0,") }
        #expect(malformed.refusingErrors.map(\.code) == [.malformedResultCode])
        #expect(malformed.refusingErrors.first?.message.contains("[0-9]{4}") == true)
        let unknown = try Self.hubbReturn { $0.replacingOccurrences(of: ",0000,", with: ",0777,") }
        #expect(unknown.refusingErrors.isEmpty)
        #expect(unknown.reviewFindings.map(\.code) == [.unmappedResultCode])
        #expect(unknown.reviewFindings.first?.severity == .review)
        #expect(unknown.reviewFindings.first?.description(.en).contains(": review: ") == true)
        #expect(unknown.reviewFindings.first?.description(.zh).contains("待复核") == true)
        #expect(unknown.lines.count == 13)
    }

    @Test("a field-count error names what is missing or extra")
    func fieldCount() throws {
        let missing = try Self.hubbReturn { String($0[..<$0.lastIndex(of: ",")!]) }
        let error = try #require(missing.refusingErrors.first)
        #expect(error.code == .fieldCount)
        #expect(error.message.contains("ends after field 7 'result_text', so 'bank_serial' is missing"), "\(error.message)")
        let extra = try Self.hubbReturn { $0 + ",EXTRA" }
        #expect(extra.refusingErrors.first?.message.contains("1 more than the last field 'bank_serial', the first extra value 'EXTRA'") == true)
    }

    @Test("the writer quotes per field, groups amounts, pads numbers; a comma inside a quoted name is kept")
    func writerQuirks() throws {
        let spec = try Fixture.spec("HUBB")
        var line = DebitLine(sequence: 1, payerIDNumber: "420106199801234564", payerName: "陈,雨萱", account: "6216611417776317060",
                             agreementNo: "XY1", amount: Money(fen: 12_345_678), period: "202612")
        line.memo = "补缴\"11\"月"
        let written = try FileWriter(spec: spec, kind: .debit).write([line], context: Self.context)
        let text = spec.encoding.decode(written.bytes[...])!
        #expect(text.contains("D,000001,\"陈,雨萱\",420106199801234564,6216611417776317060,XY1,\"123,456.78\",202612,\"补缴\"\"11\"\"月\"\r\n"), "\(text)")
        #expect(text.hasPrefix("H,420100000001,20261203,000001,\"123,456.78\"\r\n"))
        let back = FileReader(spec: spec, kind: .debit).read(written.bytes, fileName: "d.csv")
        #expect(back.diagnostics.isEmpty, "\(back.diagnostics)")
        #expect(back.lines.first?.line.payerName == "陈,雨萱" && back.lines.first?.line.memo == "补缴\"11\"月")
        #expect(back.lines.first?.line.amount == Money(fen: 12_345_678))
    }

    @Test("a zero-padded yuan amount under one yuan reads back; a left-aligned zero-padded number is refused by the spec")
    func paddedSmallAmounts() throws {
        let yaml = try Fixture.text("../Formats/banks/HUBB.yaml").replacingOccurrences(
            of: "{name: amount,       type: yuan,     source: amount, number: {grouping: \",\"}, quoting: always}\n    - {name: period",
            with: "{name: amount,       type: yuan,     source: amount, width: 10}\n    - {name: period")
        let loaded = SpecLoader(yaml: yaml, file: "HUBB.yaml")
        let spec = try #require(loaded.spec, "\(loaded.diagnostics)")
        for fen in [Int64(5), 99, 100, 123_456] {  // (a debit is never zero)
            let line = DebitLine(sequence: 1, payerIDNumber: "420106199801234564", payerName: "陈雨萱", account: "6216611417776317060",
                                 agreementNo: "XY1", amount: Money(fen: fen), period: "202612")
            let written = try FileWriter(spec: spec, kind: .debit).write([line], context: Self.context)
            let back = FileReader(spec: spec, kind: .debit).read(written.bytes, fileName: "d.csv")
            #expect(back.diagnostics.isEmpty, "\(fen) fen: \(back.diagnostics)")
            #expect(back.lines.first?.line.amount == Money(fen: fen))
        }
        #expect(String(decoding: try FileWriter(spec: spec, kind: .debit).write([DebitLine(sequence: 1, payerIDNumber: "420106199801234564", payerName: "陈",
            account: "6216611417776317060", agreementNo: "XY1", amount: Money(fen: 5), period: "202612")], context: Self.context).bytes, as: UTF8.self).contains(",0000000.05,"))
        let left = try Fixture.text("../Formats/banks/HUBB.yaml").replacingOccurrences(of: "{name: seq,          type: sequence, width: 6}",
                                                                                    with: "{name: seq,          type: sequence, width: 6, align: left}")
        #expect(SpecLoader(yaml: left, file: "HUBB.yaml").diagnostics.contains { $0.field == "debit.detail.seq.align" && $0.message.contains("read back as 12") })
    }

    @Test("a file over the per-file total is file.totalTooLarge, not tooManyRecords")
    func totalTooLarge() throws {
        let spec = try Fixture.spec("HUBB")
        let line = DebitLine(sequence: 1, payerIDNumber: "420106199801234564", payerName: "陈雨萱", account: "6216611417776317060",
                             agreementNo: "XY1", amount: Money(fen: 600_000_000), period: "202612")
        #expect {
            _ = try FileWriter(spec: spec, kind: .debit).write([line], context: Self.context)
        } throws: { error in
            (error as? FormatWriteError)?.diagnostics.map(\.code).contains(.totalTooLarge) == true
        }
    }

    @Test("a spec key with no effect where it stands is warned about")
    func noEffectWarnings() throws {
        let yaml = try Fixture.text("../Formats/banks/HUBB.yaml")
            .replacingOccurrences(of: "{name: period,       type: digits,   source: period}",
                                  with: "{name: period,       type: digits,   source: period, pad: \"0\"}")
            .replacingOccurrences(of: "{name: id_number,    type: text,     source: payer_id_number}",
                                  with: "{name: id_number,    type: text,     source: payer_id_number, personal: false}")
            .replacingOccurrences(of: "number: {grouping: \",\"}, quoting: always}\n  detail:\n    - {name: type,         type: constant, value: \"D\"}",
                                  with: "number: {grouping: \",\", decimal: \".\"}, quoting: always}\n  detail:\n    - {name: type,         type: constant, value: \"D\"}")
        let loaded = Self.spec(yaml, file: "HUBB.yaml")
        #expect(loaded.spec != nil, "\(loaded.diagnostics)")
        let warnings = loaded.diagnostics.filter { $0.code == .specNoEffect }
        #expect(warnings.contains { $0.field == "debit.detail.period.pad" })
        #expect(warnings.contains { $0.field == "debit.detail.id_number.personal" })
    }

    @Test("spec refusals: number on text, quoting outside delimited, zero-padded grouping, a code not in its pattern, width on text")
    func specRefusals() throws {
        let base = try Fixture.text("../Formats/banks/HUBB.yaml")
        func errors(_ from: String, _ to: String) -> [Diagnostic] {
            #expect(base.contains(from), "\(from)")
            return Self.spec(base.replacingOccurrences(of: from, with: to), file: "HUBB.yaml").diagnostics.filter { $0.severity == .error }
        }
        #expect(errors("{name: agreement_no, type: text,     source: agreement_no}", "{name: agreement_no, type: text, source: agreement_no, number: {grouping: \",\"}}")
            .contains { $0.field == "debit.detail.agreement_no.number" })
        #expect(errors("{name: agreement_no, type: text,     source: agreement_no}", "{name: agreement_no, type: text, source: agreement_no, width: 8}")
            .contains { $0.field == "debit.detail.agreement_no.width" })
        #expect(errors("{name: amount,       type: yuan,     source: amount, number: {grouping: \",\"}, quoting: always}\n    - {name: period",
                       "{name: amount,       type: yuan,     source: amount, number: {grouping: \",\"}, quoting: always, width: 12}\n    - {name: period")
            .contains { $0.field == "debit.detail.amount.number.grouping" })
        #expect(errors("\"0108\": agreementRevoked", "\"108\": agreementRevoked").contains { $0.message.contains("code '108' is not in the form") })
        #expect(errors("code_pattern: \"[0-9]{4}\"", "code_pattern: \"[0-9\"").contains { $0.field == "return.detail.result_code.code_pattern" })
        #expect(errors("quoting: never\n  header:", "quoting: sometimes\n  header:").contains { $0.message.contains("always, never, when-needed") })
    }
}

@Suite struct NamespacedXMLTests {
    static func returnText() throws -> String { try Fixture.text("banks/HBNX/valid/return.xml") }

    @Test("an attribute named without its prefix is said to be missing, with the namespace it is in")
    func unprefixedAttributeInSpec() throws {
        var spec = try Fixture.spec("HBNX")
        // The spec an integrator might first write: @code, where the bank's file has r:code.
        guard case .xml = spec.returns.kind else { Issue.record("HBNX is XML"); return }
        let index = try #require(spec.returns.detail.fields.firstIndex { $0.name == "result_code" })
        spec.returns.detail.fields[index].attribute = "code"
        let parsed = FileReader(spec: spec, kind: .return).read(Array(try Self.returnText().utf8), fileName: "r.xml")
        let error = try #require(parsed.refusingErrors.first)
        #expect(error.code == .xmlMissingAttribute && error.field == "result_code", "\(parsed.diagnostics)")
        #expect(error.message.contains("{urn:pikou:hbnx:result:1}code"), "\(error.message)")
        #expect(error.message.contains("@r:code"))
        #expect(parsed.lines.isEmpty)
    }

    @Test("a file with unqualified attributes is refused by the bank's schema")
    func unqualifiedAttributeInFile() throws {
        let spec = try Fixture.spec("HBNX")
        let text = try Self.returnText().replacingOccurrences(of: " r:seq=", with: " seq=")
        let parsed = FileReader(spec: spec, kind: .return).read(Array(text.utf8), fileName: "r.xml")
        #expect(parsed.refusingErrors.first?.code == .xmlSchemaInvalid, "\(parsed.diagnostics)")
    }

    @Test("the same names under another prefix read the same (prefixes are the document's own)")
    func otherPrefix() throws {
        let spec = try Fixture.spec("HBNX")
        let text = try Self.returnText().replacingOccurrences(of: "r:", with: "res:").replacingOccurrences(of: "xmlns:r=", with: "xmlns:res=")
        let parsed = FileReader(spec: spec, kind: .return).read(Array(text.utf8), fileName: "r.xml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.lines.count == 13)
        #expect(parsed.outcomeCounts[.agreementRevoked] == 1)
    }

    @Test("an undeclared prefix in a spec is refused, naming the prefix to declare")
    func undeclaredPrefix() throws {
        let yaml = try Fixture.text("../Formats/banks/HBNX.yaml").replacingOccurrences(of: "  namespaces: {r: \"urn:pikou:hbnx:result:1\"}\n", with: "")
        let loaded = SpecLoader(yaml: yaml, file: "HBNX.yaml")
        #expect(loaded.spec == nil)
        #expect(loaded.diagnostics.contains { $0.message.contains("the prefix 'r' is not declared") })
    }

    @Test("a detached signature on an XML file: verified before parsing; the file as sent is the schema's message")
    func detachedXML() throws {
        let spec = try Fixture.spec("HBNX")
        #expect(spec.signature.placement == .detached && spec.signature.encoding == .raw)
        let file = try Fixture.bytes("banks/HBNX/valid/return.xml")
        #expect(!String(decoding: file, as: UTF8.self).contains("Signature"))
        let certificate = try Fixture.signingConfig().certificate(bank: "HBNX", kind: .return)
        let signature = try Fixture.bytes("banks/HBNX/valid/return.xml.sig")
        #expect(try FileReader(spec: spec, kind: .return).readVerified(file, detached: signature, certificate: certificate, fileName: "r.xml").isValid)
        let missing = try FileReader(spec: spec, kind: .return).readVerified(file, detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(missing.diagnostics.map(\.code) == [.signatureMissing] && missing.lines.isEmpty)
        // An XML bank may not sign in a trailer line (an XML file has none).
        let yaml = try Fixture.text("../Formats/banks/HBNX.yaml").replacingOccurrences(of: "placement: detached", with: "placement: trailer")
        #expect(SpecLoader(yaml: yaml, file: "HBNX.yaml").diagnostics.contains { $0.field == "signature.placement" })
    }
}

@Suite struct DiagnosticSummaryTests {
    @Test("the same finding on many lines is said once, with its count and first lines")
    func summarized() {
        var diagnostics = (2...316).map { Diagnostic(.error, .invalidAmount, file: "f.csv", line: $0, field: "amount", "'\($0).00' is not in the form") }
        diagnostics.insert(Diagnostic(.error, .countMismatch, file: "f.csv", line: 1, field: "count", "the header declares 3 records"), at: 0)
        diagnostics.append(Diagnostic(.error, .invalidDate, file: "f.csv", line: 9, field: "date", "'x' is not a date"))
        let shown = diagnostics.summarized()
        #expect(shown.count == 3)
        #expect(shown[1].line == 2)
        #expect(shown[1].description(.en).contains("(the same on 315 lines: 2, 3, 4, 5, 6…)"), "\(shown[1].description(.en))")
        #expect(shown[1].description(.zh).contains("同样的问题共 315 行"))
        // Fewer than four: each stays.
        #expect(Array(diagnostics.prefix(4)).summarized().count == 4)
    }
}

@Suite struct CMSDetachedTests {
    /// HBNX's XML, as a bank that signs RSA in a CMS `.p7s` beside each file would have it.
    static func spec() throws -> BankSpec {
        let yaml = try Fixture.text("../Formats/banks/HBNX.yaml")
            .replacingOccurrences(of: "  scheme: sm2-sm3\n  placement: detached\n  encoding: raw\n",
                                  with: "  scheme: rsa-sha256\n  placement: detached\n  container: cms\n")
        let loaded = SpecLoader(yaml: yaml, file: "HBNX.yaml")
        let compiled = try #require(loaded.spec, "\(loaded.diagnostics)")
        // The layouts with their schemas found, as the repository loads them.
        var spec = try Fixture.spec("HBNX")
        spec.signature = compiled.signature
        return spec
    }

    @Test("an XML file signed in a CMS .p7s: written, signed, verified before parsing; a changed byte or a .sig in its place is refused")
    func cmsRoundTrip() throws {
        let spec = try Self.spec()
        #expect(spec.signature.container == .cms && spec.signature.detachedSuffix == ".p7s")
        let lines = try GoldenFileTests.lines("HBNX", .return)
        var context = GoldenFileTests.context
        context.bankCode = "HBNX"
        let written = try FileWriter(spec: spec, kind: .return).write(lines, context: context)
        let signing = try Fixture.signingConfig()
        // The key alone (a bank's key handed over): its certificate is given beside it.
        let certificate = try signing.certificate(bank: "CCB", kind: .return)  // the TEST bank RSA certificate
        let key = try signing.signingKey(bank: "CCB", kind: .return)
        let signed = try FileSignature.sign(written.bytes, spec: spec, key: key, certificate: certificate)
        #expect(signed.file == written.bytes, "the file as sent is the schema's message, untouched")
        let p7s = try #require(signed.detached)
        #expect(p7s.first == 0x30, "DER")
        #expect(try FileSignature.sign(written.bytes, spec: spec, key: key, certificate: certificate).detached == p7s, "no signed attributes: the same bytes each time")
        let reader = FileReader(spec: spec, kind: .return)
        let read = try reader.readVerified(signed.file, detached: p7s, certificate: certificate, fileName: "r.xml")
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        #expect(read.lines.count == lines.count)

        var changed = signed.file
        changed[changed.count / 2] ^= 0x01
        #expect(try reader.readVerified(changed, detached: p7s, certificate: certificate, fileName: "r.xml").diagnostics.map(\.code) == [.signatureInvalid])
        let sig = Array("AAAA\n".utf8)
        #expect(try reader.readVerified(signed.file, detached: sig, certificate: certificate, fileName: "r.xml").diagnostics.map(\.code) == [.signatureMalformed])
        #expect(try reader.readVerified(signed.file, detached: nil, certificate: certificate, fileName: "r.xml").diagnostics.map(\.code) == [.signatureMissing])
        // Another signer's .p7s (the collector's RSA key) over the same bytes: not the bank's signature.
        let other = try FileSignature.sign(written.bytes, spec: spec, key: try signing.signingKey(bank: "CCB", kind: .debit),
                                           certificate: try signing.certificate(bank: "CCB", kind: .debit))
        #expect(try reader.readVerified(signed.file, detached: other.detached, certificate: certificate, fileName: "r.xml").diagnostics.map(\.code) == [.signatureInvalid])
        // openssl verifies it as well: `openssl cms -verify -binary -inform DER -in r.xml.p7s -content r.xml -noverify`.
        let folder = try temporaryDirectory()
        try Data(signed.file).write(to: URL(fileURLWithPath: folder + "/r.xml"))
        try Data(p7s).write(to: URL(fileURLWithPath: folder + "/r.xml.p7s"))
        let openssl = try runProcess("/usr/bin/openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", folder + "/r.xml.p7s",
                                                  "-content", folder + "/r.xml", "-noverify", "-out", "/dev/null"])
        #expect(openssl.status == 0, "\(openssl.stderr)")
    }

    @Test("container cms is refused for SM2 and outside placement detached")
    func cmsRefusals() throws {
        let yaml = try Fixture.text("../Formats/banks/HBNX.yaml")
        let sm2 = yaml.replacingOccurrences(of: "  encoding: raw\n", with: "  container: cms\n")
        #expect(SpecLoader(yaml: sm2, file: "HBNX.yaml").diagnostics.contains { $0.field == "signature.container" && $0.message.contains("OpenSSL 3.0") })
        let enveloped = try Fixture.text("../Formats/banks/WHRCB.yaml").replacingOccurrences(of: "  placement: xml-enveloped\n", with: "  placement: xml-enveloped\n  container: cms\n")
        #expect(SpecLoader(yaml: enveloped, file: "WHRCB.yaml").diagnostics.contains { $0.field == "signature.container" })
    }
}
