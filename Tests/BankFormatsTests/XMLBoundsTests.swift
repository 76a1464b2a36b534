import BankFormats
import Foundation
import PikouCore
import PikouXML
import Testing
import TestSupport

/// Every XML input is bounded before libxml2 builds anything from it (issue 17, item 3): no document
/// type, no entity expansion on any path, bounded attributes, depth and size.
@Suite struct XMLBoundsTests {
    static let signedReturn = "banks/WHRCB/valid/return.xml"

    static func refusal(_ bytes: [UInt8], limits: XMLLimits = .standard) -> XMLIssue? {
        do throws(XMLError) {
            try limits.check(bytes, url: "t.xml")
            return nil
        } catch {
            return error.issues.first
        }
    }

    @Test func aSignedFileWithAnAddedDoctypeIsRefusedBeforeItsSignature() throws {
        // C14N leaves the document type out, so the signature alone still holds over this file.
        let spec = try Fixture.spec("WHRCB")
        let certificate = try Fixture.signingConfig().certificate(bank: "WHRCB", kind: .return)
        let bytes = try Fixture.bytes("crashers/whrcb-return-signed-doctype.xml")
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(bytes, detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.xmlRefused])
        #expect(parsed.diagnostics.first?.line == 2)
        #expect(parsed.lines.isEmpty)
        // The genuine file still reads.
        let genuine = try FileReader(spec: spec, kind: .return).readVerified(
            try Fixture.bytes(Self.signedReturn), detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(genuine.isValid && genuine.lines.count == 12)
    }

    @Test func noPathExpandsAnEntity() throws {
        let spec = try Fixture.spec("WHRCB")
        let bytes = try Fixture.bytes("crashers/whrcb-return-quadratic-entity.xml")
        // --skip-verify: the unsigned payload, then the streaming reader.
        let payload = FileSignature.unverifiedPayload(bytes, spec: spec)
        let parsed = FileReader(spec: spec, kind: .return).read(payload, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.xmlRefused])
        #expect(throws: XMLError.self) { try XMLDocument(parsing: bytes, url: "r.xml") }
        let result = try runPikou(["file", "read", "--bank", "WHRCB", "--skip-verify", Fixture.path("crashers/whrcb-return-quadratic-entity.xml"),
                                   "--formats", Fixture.formatsDirectory, "--config", Fixture.path("keys/pikou-test.yaml")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("[xml.refused]"))
        #expect(!result.stderr.contains("C14N") && !result.stderr.contains("Unimplemented"), "no raw libxml2 message reaches stderr")
    }

    @Test func anElementWithTooManyAttributesIsRefusedBeforeTheSignature() throws {
        // 100,000 attributes on one record: libxml2 spent two minutes on them before this bound.
        let spec = try Fixture.spec("WHRCB")
        let text = try Fixture.text(Self.signedReturn)
        let attributes = (0..<100_000).map { "a\($0)=\"1\"" }.joined(separator: " ")
        let bytes = Array(text.replacingOccurrences(of: "<Item SeqNo=\"1\"", with: "<Item SeqNo=\"1\" " + attributes).utf8)
        let certificate = try Fixture.signingConfig().certificate(bank: "WHRCB", kind: .return)
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(bytes, detached: nil, certificate: certificate, fileName: "r.xml")
        #expect(parsed.diagnostics.map(\.code) == [.xmlRefused])
        #expect(parsed.diagnostics.first?.line == 3, "the line of the element")
        #expect(parsed.diagnostics.first?.message.contains("64 attributes") == true)
    }

    @Test func boundsOnDepthAndSize() throws {
        let deep = Array((String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)).utf8)
        #expect(Self.refusal(deep)?.message.contains("64 deep") == true)
        let fine = Array((String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)).utf8)
        #expect(Self.refusal(fine) == nil)
        // Siblings do not add depth; empty elements do not nest.
        let wide = Array(("<r>" + String(repeating: "<a><b/></a>\n", count: 1000) + "</r>").utf8)
        #expect(Self.refusal(wide) == nil)
        #expect(Self.refusal(Array("<r/>".utf8), limits: XMLLimits(maxBytes: 3))?.kind == .refused)
        // A spec's max_file_bytes refuses any file, XML or not, before it is read.
        var spec = try Fixture.spec("CCB")
        spec.maxFileBytes = 100
        let bytes = try Fixture.bytes("banks/CCB/valid/return.txt")
        let parsed = FileReader(spec: spec, kind: .return).read(bytes, fileName: "r.txt")
        #expect(parsed.diagnostics.map(\.code) == [.fileTooLarge])
    }

    @Test("markup that only looks like a bound is not one", arguments: [
        "<r><!-- <!DOCTYPE x> a=1 b=2 --><a/></r>",
        "<r><![CDATA[<!DOCTYPE x> <a><a><a>]]></r>",
        "<?xml version=\"1.0\"?><?pi a=1 b=2?><r a=\"x=y=z\" b='>=' c=\"\"/>",
        "<r>\n<a\n b=\"1\"\n/>\n</r>",
    ])
    func lookalikesPass(xml: String) throws {
        #expect(Self.refusal(Array(xml.utf8), limits: XMLLimits(maxDepth: 2, maxAttributes: 3)) == nil)
        _ = try XMLDocument(parsing: Array(xml.utf8), url: "t.xml")
    }

    @Test func everyFixtureFilePasses() throws {
        for bank in ["ISO20022", "WHRCB"] {
            for name in ["valid/debit.xml", "valid/return.xml"] {
                #expect(Self.refusal(try Fixture.bytes("banks/\(bank)/\(name)")) == nil, "\(bank)/\(name)")
            }
        }
    }
}
