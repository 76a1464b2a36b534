import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import Testing
import TestSupport

/// The three original banks' golden files: written byte for byte, read back without a diagnostic.
@Suite struct GoldenFileTests {
    /// Every bank in Formats/banks/ must have golden fixtures.
    static let banks = Fixture.bankCodes
    static let context = FileContext(
        collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: "", batchNo: 1,
        fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 3)!)

    static func lines(_ bank: String, _ kind: FileKind) throws -> [DebitLine] {
        let csv = kind == .debit ? "debits.csv" : "returns.csv"
        let (lines, diagnostics) = DebitLineCSV.parse(
            text: try Fixture.text("banks/\(bank)/\(csv)"), fileName: csv, kind: kind, validate: true)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return lines
    }

    /// Writes, signs and compares with the golden file: byte for byte where the signature is
    /// deterministic (RSA PKCS#1 v1.5, or a detached signature beside unchanged data); SM2 signatures are
    /// randomised, so a trailer SM2 file is compared up to its signature line and the line is verified.
    func checkGolden(_ bank: String, _ kind: FileKind, context: FileContext) throws {
        var context = context
        context.bankCode = bank  // as `pikou file write` sets it
        let spec = try Fixture.spec(bank)
        let written = try FileWriter(spec: spec, kind: kind).write(try Self.lines(bank, kind), context: context)
        #expect(written.warnings.isEmpty)
        #expect(written.count == (try Self.lines(bank, .debit)).count)
        let name = "banks/\(bank)/valid/\(kind == .debit ? "debit" : "return").\(Fixture.fileExtension(bank))"
        let golden = try Fixture.bytes(name)
        // An XML file's signed content is its canonical form; the others' is their bytes.
        // (In an envelope the message starts a line further down: compared from its first element.)
        func content(_ bytes: [UInt8]) -> ArraySlice<UInt8> { FileSignature.unverifiedPayload(bytes, spec: spec).drop { $0 == 10 } }
        #expect(content(written.bytes) == content(golden))
        let signed = try FileSignature.sign(written.bytes, spec: spec, key: try Fixture.signingConfig().signingKey(bank: bank, kind: kind))
        if spec.signature.scheme == .rsaSHA256 {
            #expect(signed.file == golden)
            if signed.detached != nil { #expect(signed.detached == (try Fixture.bytes(name + ".sig"))) }
        }
        let certificate = try Fixture.signingConfig().certificate(bank: bank, kind: kind)
        let reread = try FileReader(spec: spec, kind: kind).readVerified(signed.file, detached: signed.detached, certificate: certificate, fileName: name)
        #expect(reread.diagnostics.isEmpty, "\(reread.diagnostics)")
    }

    @Test("debit file is written byte for byte", arguments: banks)
    func debitGolden(_ bank: String) throws {
        try checkGolden(bank, .debit, context: Self.context)
    }

    @Test("return file is written byte for byte", arguments: banks)
    func returnGolden(_ bank: String) throws {
        var context = Self.context
        context.fileDate = context.collectionDate
        try checkGolden(bank, .return, context: context)
    }

    @Test("valid debit file reads back the CSV's lines", arguments: banks)
    func debitReadsBack(_ bank: String) throws {
        let parsed = try Fixture.readVerified(bank, "banks/\(bank)/valid/debit.\(Fixture.fileExtension(bank))", kind: .debit)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        let expected = try Self.lines(bank, .debit)
        #expect(parsed.lines.count == expected.count)
        for (got, want) in zip(parsed.lines.map(\.line), expected) {
            #expect(got.sequence == want.sequence)
            #expect(got.payerIDNumber == want.payerIDNumber)
            #expect(got.payerName == want.payerName)
            #expect(got.account == want.account)
            #expect(got.amount == want.amount)
            #expect(got.agreementNo == want.agreementNo)
        }
        #expect(parsed.summary.declaredCount == (try Self.lines(bank, .debit)).count)
        #expect(parsed.summary.declaredTotal == parsed.total)
        #expect(parsed.summary.collectionDate == Self.context.collectionDate)
    }

    @Test("valid return file has every bank outcome but unknown", arguments: banks)
    func returnOutcomes(_ bank: String) throws {
        let parsed = try Fixture.readVerified(bank, "banks/\(bank)/valid/return.\(Fixture.fileExtension(bank))")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        // cancelled is Pikou's own outcome (`pikou file cancel`), never a bank's; a bank that has no
        // code for 协议已解约 (agreementRevoked) answers it as 无协议.
        let table = try Fixture.spec(bank).returns.outcomes!
        #expect(Set(parsed.outcomeCounts.keys) == Set(Outcome.allCases).subtracting([.unknown, .cancelled]).filter { table.representation(of: $0) != nil })
        #expect(parsed.outcomeCounts[.succeeded] == 3)
        #expect(parsed.lines.map(\.line.sequence) == Array(1...(try Self.lines(bank, .debit)).count))
    }
}

/// Every broken fixture fails with its own diagnostic, on the right line.
@Suite struct BrokenFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let bank: String
        let file: String
        let code: Diagnostic.Code
        let line: Int?
        var testDescription: String { "\(bank)/\(file)" }
    }

    /// Each bank's `invalid/expected.tsv`: file, the one error code it must give, and its line.
    static let cases: [Case] = Fixture.bankCodes.flatMap { bank -> [Case] in
        let table = (try? Fixture.text("banks/\(bank)/invalid/expected.tsv")) ?? ""
        return table.split(separator: "\n").map { row in
            let columns = row.split(separator: "\t").map(String.init)
            return Case(bank: bank, file: columns[0], code: Diagnostic.Code(rawValue: columns[1]),
                        line: columns.count > 2 ? Int(columns[2]) : nil)
        }
    }

    @Test("every bank has every kind of broken fixture", arguments: Fixture.bankCodes)
    func everyBankHasBrokenFixtures(_ bank: String) {
        let files = Set(Self.cases.filter { $0.bank == bank }.map(\.file))
        if Fixture.fileExtension(bank) == "xml" {
            #expect(files == ["not-well-formed.xml", "schema-invalid.xml", "wrong-total.xml", "duplicate-id.xml", "unknown-code.xml",
                              "tampered.xml", "unsigned.xml"])
        } else {
            #expect(files == ["bad-length.txt", "wrong-total.txt", "unknown-code.txt", "truncated-last-line.txt", "wrong-encoding.txt",
                              "tampered.txt", "unsigned.txt"])
        }
        // Every file listed exists, and every file present is listed.
        let present = Set(((try? FileManager.default.contentsOfDirectory(atPath: Fixture.path("banks/\(bank)/invalid"))) ?? [])
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".xml") })
        #expect(present == files)
    }

    @Test("broken fixture gives its specific error", arguments: cases)
    func brokenFixture(_ c: Case) throws {
        let name = "banks/\(c.bank)/invalid/\(c.file)"
        let parsed = try Fixture.readVerified(c.bank, name)
        // An unknown code is a line for review (`review:`), the others errors that refuse the file.
        let errors = parsed.diagnostics.filter { $0.severity != .warning }
        #expect(errors.map(\.code) == [c.code], "\(errors)")
        #expect(errors.first?.line == c.line)
        #expect(errors.first?.file == name)
        if ParsedFile.reviewCodes.contains(c.code) {
            #expect(errors.first?.severity == .review && parsed.refusingErrors.isEmpty && parsed.reviewFindings.count == 1)
        } else {
            #expect(!parsed.isValid)
        }
    }

    @Test func unknownCodeLineStillReadsAsUnknown() throws {
        let parsed = try Fixture.readVerified("BOC", "banks/BOC/invalid/unknown-code.txt")
        #expect(parsed.lines.count == 12, "an unmapped code must never drop the line")
        #expect(parsed.lines.first { $0.lineNumber == 4 }?.outcome == .unknown)
    }

    @Test func diagnosticsMaskPersonalFields() throws {
        let spec = try Fixture.spec("CCB")
        // Put a letter into the digits-only account field of line 2.
        var bytes = FileSignature.unverifiedPayload(try Fixture.bytes("banks/CCB/valid/return.txt"), spec: spec)
        let lineStart = bytes.firstIndex(of: 10)! + 1
        let accountStart = bytes[lineStart...].firstIndex(of: UInt8(ascii: "|"))! + 1
        bytes[accountStart + 5] = UInt8(ascii: "X")
        let parsed = FileReader(spec: spec, kind: .return).read(bytes, fileName: "masked.txt")
        let diagnostic = try #require(parsed.diagnostics.first { $0.code == .invalidDigits })
        #expect(diagnostic.field == "account")
        #expect(diagnostic.line == 2)
        #expect(diagnostic.message.contains("6217****"))
        let account = String(decoding: bytes[accountStart..<accountStart + 19], as: UTF8.self)
        #expect(!diagnostic.message.contains(account))
    }
}
