import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouXML
import Testing
import TestSupport

/// The XML layout: ISO 20022 pain.008/pain.002 and the BEPS-style bank, their schemas and
/// enveloped signatures. Golden and broken fixtures are covered with the other banks
/// (GoldenFileTests, BrokenFixtureTests); these are the XML-only cases.
@Suite struct XMLFormatTests {
    static let context = FileContext(
        collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "ISO20022", batchNo: 1,
        fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)

    static func lines(_ bank: String, _ kind: FileKind = .debit) throws -> [DebitLine] {
        let csv = kind == .debit ? "debits.csv" : "returns.csv"
        return DebitLineCSV.parse(text: try Fixture.text("banks/\(bank)/\(csv)"), fileName: csv, kind: kind, validate: true).lines
    }

    /// `count` synthetic debits cycling through the fixture's payers.
    static func many(_ bank: String, _ count: Int) throws -> [DebitLine] {
        let base = try lines(bank)
        return (0..<count).map { index in
            var line = base[index % base.count]
            line.sequence = index + 1
            return line
        }
    }

    @Test("written files are valid under their official or own schema", arguments: ["ISO20022", "WHRCB"], [FileKind.debit, .return])
    func writtenFilesValidate(_ bank: String, _ kind: FileKind) throws {
        let spec = try Fixture.spec(bank)
        let written = try FileWriter(spec: spec, kind: kind).write(try Self.lines(bank, kind), context: Self.context)
        let shape = try #require(spec.layout(kind).xml)
        let schema = try XMLSchema.load(path: try #require(shape.schemaPath))
        #expect(schema.validate(written.bytes, url: "written.xml").isEmpty)
        // And the schema is not a rubber stamp: the same file with its first amount removed fails.
        let text = String(decoding: written.bytes, as: UTF8.self)
        let amount = kind == .debit ? (bank == "ISO20022" ? "InstdAmt" : "Amount") : (bank == "ISO20022" ? "InstdAmt" : "Amount")
        let start = try #require(text.range(of: "<\(amount)"))
        let end = try #require(text.range(of: "</\(amount)>", range: start.upperBound..<text.endIndex))
        let broken = Array((text[..<start.lowerBound] + text[end.upperBound...]).utf8)
        #expect(!schema.validate(broken, url: "broken.xml").isEmpty)
    }

    @Test func emptyOptionalFieldsLeaveNoEmptyElements() throws {
        let written = try FileWriter(spec: try Fixture.spec("ISO20022"), kind: .return).write(try Self.lines("ISO20022", .return), context: Self.context)
        let text = String(decoding: written.bytes, as: UTF8.self)
        // Line 1 succeeded: TxSts only, no StsRsnInf; line 3 carries a memo as a second Ustrd.
        let first = text.components(separatedBy: "<TxInfAndSts>")[1]
        #expect(first.contains("<TxSts>ACSC</TxSts>"))
        #expect(!first.contains("StsRsnInf"))
        #expect(!text.contains("<Ustrd/>") && !text.contains("<Ustrd></Ustrd>"))
        #expect(text.components(separatedBy: "<TxInfAndSts>")[3].contains("<Ustrd>补缴2026-11</Ustrd>"))
    }

    @Test("status and reason code join into one result code and split again", arguments: ["RJCT/AM04", "ACSC"])
    func resultCodeParts(_ code: String) throws {
        let spec = try Fixture.spec("ISO20022")
        var lines = try Self.lines("ISO20022", .return)
        lines[0].resultCode = code
        let written = try FileWriter(spec: spec, kind: .return).write(lines, context: Self.context)
        let parsed = FileReader(spec: spec, kind: .return).read(written.bytes, fileName: "r.xml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.lines[0].line.resultCode == code)
        #expect(parsed.lines[0].outcome == spec.returns.outcomes?.codes[code])
    }

    /// (HBNX: a record written with a prefix, `<d:Line …>`, is found by its local name in one pass; a
    /// search for the spec's `d:Line` found nothing and scanned the rest of the file for every record.)
    @Test(arguments: [("WHRCB", "<Item "), ("HBNX", "<d:Line ")])
    func recordsPastLine65535KeepTheirLines(_ bank: String, _ tag: String) throws {
        // libxml2 keeps 16-bit lines in its nodes; a big pain.008 must still number every record exactly.
        // Records are one per line, so the file needs more than 65,535 of them.
        var spec = try Fixture.spec(bank)
        spec.maxRecordsPerFile = 70_000
        spec.maxTotalPerFile = nil
        let written = try FileWriter(spec: spec, kind: .debit).write(try Self.many(bank, 66_000), context: Self.context)
        let parsed = FileReader(spec: spec, kind: .debit).read(written.bytes, fileName: "big.xml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        var expected: [Int] = []
        for (number, line) in String(decoding: written.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix(tag) {
            expected.append(number + 1)
        }
        #expect(expected.last ?? 0 > 65_535)
        let got = parsed.lines.map(\.lineNumber)
        let first = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(got == expected, "\(got.count) lines read, \(expected.count) expected; first difference: \(first.map { "record \($0.offset + 1): \($0.element.0) for \($0.element.1)" } ?? "none")")
    }

    @Test func schemaViolationIsRefusedOnWriteWithMaskedValues() throws {
        var lines = try Self.lines("WHRCB")
        lines[1].payerIDNumber = "42010519861234567Y"  // the schema's IdNo pattern ends in a digit or X
        let writer = FileWriter(spec: try Fixture.spec("WHRCB"), kind: .debit)
        var diagnostics: [Diagnostic] = []
        do throws(FormatWriteError) {
            _ = try writer.write(lines, context: Self.context)
            Issue.record("a file the schema rejects must not be written")
        } catch {
            diagnostics = error.diagnostics
        }
        let diagnostic = try #require(diagnostics.first { $0.code == .xmlSchemaInvalid })
        #expect(diagnostic.message.contains("IdNo"))
        #expect(!diagnostic.message.contains("42010519861234567Y"), "\(diagnostic.message)")
        #expect(diagnostic.line != nil)
    }

    @Test func controlCharacterIsRefused() throws {
        var lines = try Self.lines("WHRCB")
        lines[0].payerName = "林\u{7}建国"
        #expect(throws: FormatWriteError.self) {
            try FileWriter(spec: try Fixture.spec("WHRCB"), kind: .debit).write(lines, context: Self.context)
        }
    }

    @Test func missingSchemaIsAClearError() throws {
        var spec = try Fixture.spec("WHRCB")
        guard case .xml(var shape) = spec.debit.kind else { Issue.record("WHRCB is XML"); return }
        shape.schemaPath = "/nonexistent/beps/beps-debit-1.xsd"
        spec.debit.kind = .xml(shape)
        let lines = try Self.lines("WHRCB")
        do throws(FormatWriteError) {
            _ = try FileWriter(spec: spec, kind: .debit).write(lines, context: Self.context)
            Issue.record("no file may be written without its schema")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.schemaMissing])
            #expect(error.description.contains("/nonexistent/beps/beps-debit-1.xsd"))
        }
    }

    @Test func wrongDocumentElementIsNamed() throws {
        let spec = try Fixture.spec("WHRCB")
        // A debit file offered as a return file.
        let written = try FileWriter(spec: spec, kind: .debit).write(try Self.lines("WHRCB"), context: Self.context)
        let parsed = FileReader(spec: spec, kind: .return).read(written.bytes, fileName: "d.xml")
        #expect(!parsed.isValid)
        #expect(parsed.diagnostics.contains { $0.code == .xmlWrongRoot || $0.code == .xmlSchemaInvalid })
        #expect(parsed.lines.isEmpty)
    }

    @Test func signatureWithAnotherKeyIsRejected() throws {
        let spec = try Fixture.spec("WHRCB")
        // The return file is the bank's; the collector's SM2 certificate is another key.
        let certificate = try Fixture.signingConfig().certificate(bank: "WHRCB", kind: .debit)
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(
            try Fixture.bytes("banks/WHRCB/valid/return.xml"), detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.signatureInvalid])
        #expect(parsed.lines.isEmpty)
    }

    @Test func changedSignedInfoIsRejected() throws {
        let spec = try Fixture.spec("ISO20022")
        var text = try Fixture.text("banks/ISO20022/valid/return.xml")
        // Swap the digest algorithm's URI: the signature no longer covers what SignedInfo says.
        text = text.replacingOccurrences(of: "xmlenc#sha256", with: "xmldsig#sha1")
        let certificate = try Fixture.signingConfig().certificate(bank: "ISO20022", kind: .return)
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(Array(text.utf8), detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.signatureMalformed])
    }

    @Test func aSecondSignatureDeepInsideARecordIsRefused() throws {
        let spec = try Fixture.spec("ISO20022")
        let text = try Fixture.text("banks/ISO20022/valid/return.xml")
        // Hidden in the second record's debtor, four levels down: the signature check walks every element.
        let hidden = "<Dbtr><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/><Nm>"
        let tampered = try #require(text.range(of: "<Dbtr><Nm>", range: text.range(of: "<OrgnlEndToEndId>2<")!.upperBound..<text.endIndex))
        let bytes = Array(text.replacingCharacters(in: tampered, with: hidden).utf8)
        let certificate = try Fixture.signingConfig().certificate(bank: "ISO20022", kind: .return)
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(bytes, detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.signatureMalformed])
        #expect(parsed.diagnostics.first?.message.contains("this file has 2") == true)
        #expect(parsed.lines.isEmpty)
    }

    @Test func descendantsAreFoundInDocumentOrderAtAnyDepth() throws {
        let xml = """
            <r xmlns:a="urn:a" xmlns:b="urn:b"><a:x n="1"><b:x/><a:y><a:x n="2"/></a:y>text<!-- c --></a:x><a:x n="3"/><b:y><a:x n="4"/></b:y></r>
            """
        let document = try XMLDocument(parsing: Array(xml.utf8), url: "t.xml")
        let root = try #require(document.root)
        #expect(root.descendants(named: "x", namespaceURI: "urn:a").map { $0.attribute("n") } == ["1", "2", "3", "4"])
        #expect(root.descendants(named: "x", namespaceURI: "urn:b").count == 1)
        #expect(root.descendants(named: "z", namespaceURI: "urn:a").isEmpty)
        let first = try #require(root.children.first)
        #expect(first.descendants(named: "x", namespaceURI: "urn:a").map { $0.attribute("n") } == ["2"], "only below the node asked")
    }

    @Test func signedContentIsWhatIsParsed() throws {
        // A second, unsigned record added after the signature is outside the document element and
        // makes the file not well-formed; a record hidden inside the signature is not parsed.
        let spec = try Fixture.spec("WHRCB")
        let certificate = try Fixture.signingConfig().certificate(bank: "WHRCB", kind: .return)
        var text = try Fixture.text("banks/WHRCB/valid/return.xml")
        text = text.replacingOccurrences(of: "</ds:Signature>", with: "<Items><Item SeqNo=\"99\"/></Items></ds:Signature>")
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(Array(text.utf8), detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(!parsed.isValid || parsed.lines.count == 12)
        #expect(!parsed.lines.contains { $0.line.sequence == 99 })
    }

    @Test func xmlsec1VerifiesTheRSASignature() throws {
        let directory = try temporaryDirectory()
        let spec = try Fixture.spec("ISO20022")
        let written = try FileWriter(spec: spec, kind: .debit).write(try Self.lines("ISO20022"), context: Self.context)
        let signed = try FileSignature.sign(written.bytes, spec: spec, key: try Fixture.signingConfig().signingKey(bank: "ISO20022", kind: .debit))
        let path = directory + "/pain008.xml"
        try Data(signed.file).write(to: URL(fileURLWithPath: path))
        let certificate = Fixture.path("keys/test-collector-rsa.cert.pem")
        let good = try shell("xmlsec1", ["--verify", "--pubkey-cert-pem", certificate, path])
        #expect(good.status == 0, "xmlsec1 (apt xmlsec1) must verify Pikou's signature: \(good.stderr)")
        // One changed amount: xmlsec1 refuses it too.
        let tampered = String(decoding: signed.file, as: UTF8.self).replacingOccurrences(of: ">414.70<", with: ">414.71<")
        try Data(tampered.utf8).write(to: URL(fileURLWithPath: path))
        let bad = try shell("xmlsec1", ["--verify", "--pubkey-cert-pem", certificate, path])
        #expect(bad.status != 0)
    }
}

/// ISO 20022 files as sent (issue 16, item 8): pain.008 and pain.002 admit no signature inside
/// Document, so the ISO20022 bank's files travel in its envelope — the message unchanged, then the
/// XML-DSig signature — and the file as sent is checked against the official schemas.
@Suite struct XMLEnvelopeTests {
    static let context = FileContext(collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "ISO20022", batchNo: 1,
                                     fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)

    /// A signed ISO20022 file of `kind`, as Pikou (or the bank) sends it.
    func signed(_ kind: FileKind) throws -> [UInt8] {
        let spec = try Fixture.spec("ISO20022")
        let written = try FileWriter(spec: spec, kind: kind).write(try XMLFormatTests.lines("ISO20022", kind), context: Self.context)
        return try FileSignature.sign(written.bytes, spec: spec, key: try Fixture.signingConfig().signingKey(bank: "ISO20022", kind: kind)).file
    }

    /// The Document element of a signed file, alone, as a file of its own.
    func message(_ file: [UInt8]) throws -> String {
        let text = String(decoding: file, as: UTF8.self)
        let start = try #require(text.range(of: "<Document"))
        let end = try #require(text.range(of: "</Document>"))
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text[start.lowerBound..<end.upperBound] + "\n"
    }

    @Test(arguments: [(FileKind.debit, "pain.008.001.02.xsd"), (.return, "pain.002.001.03.xsd")])
    func theFileAsSentIsValidUnderTheOfficialSchemas(_ kind: FileKind, _ official: String) throws {
        let spec = try Fixture.spec("ISO20022")
        let file = try signed(kind)
        let directory = try temporaryDirectory()
        let path = directory + "/as-sent.xml", alone = directory + "/message.xml"
        try Data(file).write(to: URL(fileURLWithPath: path))
        try Data(try message(file).utf8).write(to: URL(fileURLWithPath: alone))
        // Pikou's own check of what it sends.
        #expect(XMLSignature.envelopeIssues(file, spec: spec, fileName: path).isEmpty)
        // And libxml2's command-line validator (Debian's libxml2-utils), independently of Pikou's code:
        // the envelope's schema (which imports the official ones), and the message alone under its official schema.
        let schemas = Fixture.formatsDirectory + "/schemas"
        let envelope = try shell("xmllint", ["--noout", "--schema", schemas + "/envelope/signed-message-1.xsd", path])
        #expect(envelope.status == 0, "\(envelope.stderr)")
        let bare = try shell("xmllint", ["--noout", "--schema", schemas + "/iso20022/" + official, alone])
        #expect(bare.status == 0, "\(bare.stderr)")
        // The signature inside Document (the enveloped placement) is what the official schema refuses.
        var enveloped = spec
        enveloped.signature.placement = .xmlEnveloped
        let written = try FileWriter(spec: spec, kind: kind).write(try XMLFormatTests.lines("ISO20022", kind), context: Self.context)
        let inside = try FileSignature.sign(written.bytes, spec: enveloped, key: try Fixture.signingConfig().signingKey(bank: "ISO20022", kind: kind)).file
        try Data(inside).write(to: URL(fileURLWithPath: path))
        let refused = try shell("xmllint", ["--noout", "--schema", schemas + "/iso20022/" + official, path])
        #expect(refused.status != 0 && refused.stderr.contains("Signature"), "\(refused.stderr)")
    }

    @Test func xmlsec1VerifiesTheEnvelopesSignatureAndPikouReadsTheMessage() throws {
        let spec = try Fixture.spec("ISO20022")
        let file = try signed(.debit)
        let path = try temporaryDirectory() + "/pain008.xml"
        try Data(file).write(to: URL(fileURLWithPath: path))
        let good = try shell("xmlsec1", ["--verify", "--pubkey-cert-pem", Fixture.path("keys/test-collector-rsa.cert.pem"), path])
        #expect(good.status == 0, "\(good.stderr)")
        let certificate = try Fixture.signingConfig().certificate(bank: "ISO20022", kind: .debit)
        let parsed = try FileReader(spec: spec, kind: .debit).readVerified(file, detached: nil, certificate: certificate, fileName: path)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(parsed.lines.count == 12)
        // One changed amount: refused.
        let text = String(decoding: file, as: UTF8.self)
        let tampered = text.replacingOccurrences(of: ">414.70<", with: ">414.71<")
        let bad = try FileReader(spec: spec, kind: .debit).readVerified(Array(tampered.utf8), detached: nil, certificate: certificate, fileName: path)
        #expect(bad.diagnostics.map(\.code) == [.signatureInvalid])
    }

    @Test func aFileOutsideTheEnvelopeOrWithMoreInItIsRefused() throws {
        let spec = try Fixture.spec("ISO20022")
        let certificate = try Fixture.signingConfig().certificate(bank: "ISO20022", kind: .debit)
        var enveloped = spec
        enveloped.signature.placement = .xmlEnveloped
        let written = try FileWriter(spec: spec, kind: .debit).write(try XMLFormatTests.lines("ISO20022", .debit), context: Self.context)
        let inside = try FileSignature.sign(written.bytes, spec: enveloped, key: try Fixture.signingConfig().signingKey(bank: "ISO20022", kind: .debit)).file
        let outside = try FileReader(spec: spec, kind: .debit).readVerified(inside, detached: nil, certificate: certificate, fileName: "d.xml")
        #expect(outside.diagnostics.first?.code == .signatureMalformed)
        #expect(outside.diagnostics.first?.message.contains("envelope") == true)
        let extra = String(decoding: try signed(.debit), as: UTF8.self)
            .replacingOccurrences(of: "</Document>", with: "</Document><env:Note xmlns:env=\"urn:pikou:xsd:signed-message:1\"/>")
        let more = try FileReader(spec: spec, kind: .debit).readVerified(Array(extra.utf8), detached: nil, certificate: certificate, fileName: "d.xml")
        #expect(more.diagnostics.first?.code == .signatureMalformed)
    }

    @Test func anEnvelopePlacementNeedsItsEnvelope() throws {
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/ISO20022.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "  envelope:\n    root: SignedMessage\n", with: "  envelopes:\n    root: SignedMessage\n")
        let loader = SpecLoader(yaml: yaml, file: "ISO20022.yaml")
        #expect(loader.spec == nil)
        #expect(loader.diagnostics.contains { $0.field == "signature.envelope" })
    }
}

/// The spec language's XML rules.
@Suite struct XMLSpecTests {
    static let base = """
        bank: TSX
        name: Test XML bank
        encoding: utf-8
        line_ending: lf
        max_records_per_file: 100
        file_name: "TSX_{date:yyyyMMdd}_{batch:2}.xml"
        debit:
          layout: xml
          schema: tsx/debit.xsd
          root: Batch
          record: Items/Item
          header:
            - {name: count, type: count, path: Head/Count}
          detail:
            - {name: seq, type: sequence, path: "@Seq"}
            - {name: amount, type: yuan, path: Amount, source: amount}
        return:
          layout: xml
          schema: tsx/return.xsd
          root: Result
          record: Items/Item
          detail:
            - {name: seq, type: sequence, path: "@Seq"}
            - {name: amount, type: yuan, path: Amount, source: amount}
            - {name: code, type: text, path: Code, source: result_code}
          result_codes:
            "0": succeeded
        """

    func load(_ yaml: String) -> SpecLoader { SpecLoader(yaml: yaml, file: "Formats/banks/TSX.yaml") }

    @Test func baseLoads() throws {
        let loader = load(Self.base)
        #expect(loader.diagnostics.isEmpty, "\(loader.diagnostics)")
        let spec = try #require(loader.spec)
        #expect(spec.debit.xml?.record == ["Items", "Item"])
        #expect(spec.debit.detail.fields[0].attribute == "Seq")
        #expect(spec.debit.detail.fields[0].path.isEmpty)
    }

    @Test("a broken XML spec is reported", arguments: [
        ("encoding: utf-8", "encoding: gbk", "utf-8"),
        ("path: Amount, source: amount}\nreturn", "source: amount}\nreturn", "needs a 'path'"),
        ("file_name:", "signature: {scheme: rsa-sha256, placement: trailer}\nfile_name:", "xml-enveloped"),
        ("schema: tsx/debit.xsd", "schema: /etc/debit.xsd", "schema must be"),
        ("record: Items/Item\n  header", "record: Items/<Item>\n  header", "element names"),
        ("{name: count, type: count, path: Head/Count}", "{name: id, type: formatted, path: Head/Id}", "needs a 'value'"),
    ])
    func brokenXMLSpec(_ edit: (String, String, String)) {
        let yaml = Self.base.replacingOccurrences(of: edit.0, with: edit.1)
        #expect(yaml != Self.base, "the edit must apply")
        let loader = load(yaml)
        #expect(loader.spec == nil)
        #expect(loader.diagnostics.contains { $0.message.contains(edit.2) }, "\(loader.diagnostics)")
    }

    @Test func xmlEnvelopedNeedsAnXMLLayout() {
        let yaml = SpecLoaderTests.base.replacingOccurrences(of: "file_name:", with: "signature: {scheme: sm2-sm3, placement: xml-enveloped}\nfile_name:")
        let loader = SpecLoader(yaml: yaml, file: "Formats/banks/TST.yaml")
        #expect(loader.spec == nil)
        #expect(loader.diagnostics.contains { $0.message.contains("xml-enveloped applies to XML layouts only") })
    }
}
