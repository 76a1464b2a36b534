import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// Issue 17, item 1: no sum saturates or traps. A line or a declared total beyond what a file may
/// carry is an error, not a number; lines adding up past 64-bit fen refuse the file whole.
@Suite struct MoneyBoundsTests {
    /// CCB's valid return file without its signature line, with `edit` applied to its lines.
    func ccbReturn(_ edit: (inout [[String]]) -> Void) throws -> [UInt8] {
        let text = try #require(FileEncoding.gbk.decode(try Fixture.bytes("banks/CCB/valid/return.txt")))
        var lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty && !$0.hasPrefix("<SIGN>") }.map { $0.components(separatedBy: "|") }
        edit(&lines)
        return try #require(FileEncoding.gbk.encode(lines.map { $0.joined(separator: "|") }.joined(separator: "\r\n") + "\r\n"))
    }

    func codes(_ parsed: ParsedFile) -> Set<String> { Set(parsed.diagnostics.map(\.code.rawValue)) }

    @Test func aLineBeyondWhatALineMayCarryIsAnError() throws {
        let spec = try Fixture.spec("CCB")
        let bytes = try ccbReturn { lines in
            lines[1][4] = "1000000.01"  // one fen over the default bound
        }
        let parsed = FileReader(spec: spec, kind: .return).read(bytes, fileName: "r.txt")
        #expect(!parsed.isValid)
        let diagnostic = try #require(parsed.diagnostics.first { $0.code == .amountOutOfRange })
        #expect(diagnostic.line == 2 && diagnostic.field == "amount", "\(diagnostic)")
        #expect(diagnostic.message.contains("1000000.00 yuan; max_amount_per_line"), "\(diagnostic)")
        // At the bound itself the line is a number (the trailer then disagrees, as it should).
        let atBound = FileReader(spec: spec, kind: .return).read(try ccbReturn { $0[1][4] = "1000000.00" }, fileName: "r.txt")
        #expect(!codes(atBound).contains("field.amountOutOfRange"))
        #expect(codes(atBound).contains("file.totalMismatch"))
    }

    @Test func theHostileFileIsRefusedWithoutATrap() throws {
        // The tester's file: a 92233720368547758.07-yuan line under a header declaring as much.
        let bytes = try Fixture.bytes("crashers/ccb-return-int64max-line.txt")
        let parsed = FileReader(spec: try Fixture.spec("CCB"), kind: .return).read(bytes, fileName: "x.txt")
        #expect(!parsed.isValid)
        #expect(parsed.diagnostics.filter { $0.code == .amountOutOfRange }.count == 2, "the line and the header: \(parsed.diagnostics)")
        #expect(parsed.total != nil, "the lines left that parsed add up")
        // And through the CLI, which crashed here (SIGILL) before.
        let result = try runPikou(["file", "read", "--bank", "CCB", "--kind", "return", "--skip-verify", Fixture.path("crashers/ccb-return-int64max-line.txt"),
                                   "--formats", Fixture.formatsDirectory])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("[field.amountOutOfRange]") && result.stdout.contains("INVALID"), "\(result.stdout)\(result.stderr)")
    }

    @Test func linesAddingUpPast64BitFenRefuseTheFileWhole() throws {
        var spec = try Fixture.spec("CCB")
        spec.maxAmountPerLine = Money(fen: .max)  // a spec that lifts the bound: the sum is still checked
        spec.maxTotalPerFile = Money(fen: .max)
        let bytes = try ccbReturn { lines in
            lines[0][5] = "92233720368547758.07"  // the header declares Int64.max fen
            lines[1][4] = "46116860184273879.04"
            lines[2][4] = "46116860184273879.04"  // together one fen past Int64.max (with the other lines, more)
        }
        let parsed = FileReader(spec: spec, kind: .return).read(bytes, fileName: "r.txt")
        #expect(codes(parsed).contains("file.amountOverflow"), "\(parsed.diagnostics)")
        #expect(!codes(parsed).contains("file.totalMismatch"), "no saturated sum to compare")
        #expect(!parsed.isValid && parsed.total == nil)
    }

    @Test func aDeclaredTotalBeyondWhatAFileMayCarryIsAnError() throws {
        let spec = try Fixture.spec("CCB")
        let parsed = FileReader(spec: spec, kind: .return).read(try ccbReturn { $0[0][5] = "92233720368547758.07" }, fileName: "r.txt")
        let diagnostic = try #require(parsed.diagnostics.first { $0.code == .amountOutOfRange })
        #expect(diagnostic.line == 1, "\(diagnostic)")
        #expect(spec.largestFileTotal == (spec.maxTotalPerFile ?? Money(fen: spec.maxAmountPerLine.fen * Int64(spec.maxRecordsPerFile))))
    }

    @Test func theMostNegativeAmountParsesBackFromItsText() throws {
        // Issue 17, item 14: FuzzMoney's input, whose first 8 bytes are Int64.min fen. Its text,
        // -92233720368547758.08, was refused as an overflow: the parser counted the magnitude in Int64.
        let bytes = try Fixture.bytes("crashers/money-fen-int64min-roundtrip.bin")
        let fen = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        #expect(fen == .min)
        let amount = Money(fen: fen)
        #expect(try Money(yuan: amount.yuanText) == amount)
        #expect(try Money(yuan: amount.groupedYuanText.filter { $0 != "," }) == amount)
        #expect(throws: Money.ParseError.overflow("-92233720368547758.09")) { try Money(yuan: "-92233720368547758.09") }
    }

    @Test func theSpecMaySetItsOwnLineBound() throws {
        let yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/CCB.yaml", encoding: .utf8)
            .replacingOccurrences(of: "\nencoding: gbk", with: "\nmax_amount_per_line: \"5000.00\"\nencoding: gbk")
        let spec = try #require(SpecLoader(yaml: yaml, file: "CCB.yaml").spec)
        #expect(spec.maxAmountPerLine == Money(fen: 500_000))
        let bad = SpecLoader(yaml: yaml.replacingOccurrences(of: "\"5000.00\"", with: "\"-1\""), file: "CCB.yaml")
        #expect(bad.spec == nil)
        #expect(bad.diagnostics.contains { $0.field == "max_amount_per_line" }, "\(bad.diagnostics)")
    }

    /// Issue 17, item 8: what identifies a payer on a return line is never blank, signed or holding
    /// a control character; a NUL in any text field is refused.
    @Test("a return line's identifying text must be real text", arguments: [
        // CCB's account and ID are digit fields: a sign or a space is not a digit.
        (1, "", "field.invalidText", "is empty"), (1, "-6217001524493909263", "field.invalidDigits", "should be digits"),
        (3, "", "field.invalidText", "is empty"), (3, "-42010219920618958", "field.invalidText", "has a sign"),
        (2, "张\u{0}伟", "field.invalidText", "control character (U+0000)"), (9, "成\u{7}功", "field.invalidText", "control character (U+0007)"),
    ] as [(Int, String, String, String)])
    func identifyingTextIsRefused(column: Int, value: String, code: String, message: String) throws {
        let bytes = try ccbReturn { $0[1][column] = value }
        let parsed = FileReader(spec: try Fixture.spec("CCB"), kind: .return).read(bytes, fileName: "r.txt")
        let diagnostic = try #require(parsed.diagnostics.first { $0.code.rawValue == code }, "\(parsed.diagnostics)")
        #expect(diagnostic.line == 2 && diagnostic.message.contains(message), "\(diagnostic)")
        #expect(!parsed.lines.contains { $0.lineNumber == 2 }, "the line is not read")
    }

    /// Where the account is a text field (WHRCB's XML), an empty or signed one is refused as text.
    @Test("an XML return's account must be an account", arguments: ["", "-6221887400297550473", "6221 887400297550473"])
    func xmlAccountIsRefused(value: String) throws {
        let spec = try Fixture.spec("WHRCB")
        let text = try Fixture.text("banks/WHRCB/valid/return.xml")
        let bytes = Array(text.replacingOccurrences(of: "<Account>6221887400297550473</Account>", with: "<Account>\(value)</Account>").utf8)
        let parsed = FileReader(spec: spec, kind: .return).read(FileSignature.unverifiedPayload(bytes, spec: spec), fileName: "r.xml")
        let found = parsed.diagnostics.first { $0.code == .invalidText || $0.code == .invalidDigits || $0.code == .xmlSchemaInvalid }
        #expect(found != nil, "\(parsed.diagnostics)")
        #expect(parsed.lines.count < 12, "the line is not read")
    }

    /// Issue 17, item 11: an ID number or account misplaced in a field that is not personal (an
    /// amount) is masked in the error like anywhere else.
    @Test("a misplaced ID in an amount is masked in the error", arguments: ["420102199206189580", "42010219920618958"])
    func aMisplacedIDInAnAmountIsMaskedInTheError(id: String) throws {
        let bytes = try ccbReturn { $0[1][4] = id }
        let parsed = FileReader(spec: try Fixture.spec("CCB"), kind: .return).read(bytes, fileName: "r.txt")
        let diagnostic = try #require(parsed.diagnostics.first { $0.field == "amount" })
        #expect(!diagnostic.message.contains(id.dropFirst(4).prefix(9)), "\(diagnostic)")
    }
}
