import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// Issue 16, item 6: diagnostics an integrator can act on, one per mistake, where the mistake is.
@Suite struct IntegratorDiagnosticTests {
    func debit(_ change: (inout [UInt8]) -> Void) throws -> ParsedFile {
        let spec = try Fixture.spec("BOC")
        var bytes = FileSignature.unverifiedPayload(try Fixture.bytes("banks/BOC/valid/debit.txt"), spec: spec)
        change(&bytes)
        return FileReader(spec: spec, kind: .debit).read(bytes, fileName: "d.txt")
    }

    static func replacing(_ bytes: [UInt8], _ from: [UInt8], _ to: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index...].starts(with: from) { out += to; index += from.count } else { out.append(bytes[index]); index += 1 }
        }
        return out
    }

    @Test func wrongLineEndingsAreOneFindingForTheFile() throws {
        let all = try debit { $0 = Self.replacing($0, [13, 10], [10]) }
        let endings = all.diagnostics.filter { $0.code == .lineEnding }
        #expect(endings.count == 1 && endings[0].message.contains("every line ends with LF alone; BOC's lines end with CR LF"), "\(endings)")
        let some = try debit { bytes in
            let second = bytes.indices.filter { bytes[$0] == 13 }[1]
            bytes.remove(at: second)
        }
        let one = some.diagnostics.filter { $0.code == .lineEnding }
        #expect(one.count == 1 && one[0].line == 2 && one[0].message.hasPrefix("1 of 14 lines end with LF alone"), "\(one)")
    }

    @Test func aBlankLineAtTheEndIsNamedAndLeftOut() throws {
        let parsed = try debit { $0 += [13, 10, 13, 10] }
        #expect(parsed.diagnostics.map(\.code) == [.blankLine], "\(parsed.diagnostics)")
        #expect(parsed.diagnostics[0].severity == .warning && parsed.diagnostics[0].message.contains("2 blank lines after the last record"))
        #expect(parsed.lines.count == 12 && parsed.total == Money(fen: 1_131_140), "the records read as they are")
    }

    @Test func theSequenceFieldIsCalledByTheSpecsName() throws {
        let parsed = try debit { bytes in
            // Line 3's sequence (bytes 2-9) made line 2's.
            let starts = [0] + bytes.indices.filter { bytes[$0] == 10 }.map { $0 + 1 }
            bytes.replaceSubrange((starts[2] + 1)..<(starts[2] + 9), with: bytes[(starts[1] + 1)..<(starts[1] + 9)])
        }
        let sequence = try #require(parsed.diagnostics.first { $0.code == .sequenceMismatch })
        #expect(sequence.field == "seq", "BOC's spec calls it seq")
    }

    @Test func anInvalidEncodingSaysWhereItBreaksAndDiagnosticsComeInLineOrder() throws {
        let parsed = try debit { bytes in
            let starts = [0] + bytes.indices.filter { bytes[$0] == 10 }.map { $0 + 1 }
            bytes[starts[3] + 27] = 0xB9  // the name field of line 4 starts at byte 28: a lead byte,
            bytes[starts[3] + 28] = 0xFF  // then no valid trail byte
        }
        let encoding = try #require(parsed.diagnostics.first { $0.code == .invalidEncoding })
        #expect(encoding.line == 4 && encoding.message.contains("breaks at byte 28 of the line (byte 1 of the field), bytes B9 FF"), "\(encoding)")
        let lines = parsed.diagnostics.map { $0.line ?? 0 }
        #expect(lines == lines.sorted(), "in line order: \(lines)")
    }

    @Test func aYAMLMistakeIsFileLineColumnWithoutTheSpecsText() throws {
        let yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
            .replacingOccurrences(of: "width: 12, start: 103, source: amount}", with: "width: 12, start: 103, source: amount")
        let loader = SpecLoader(yaml: yaml, file: "Formats/banks/BOC.yaml")
        let syntax = try #require(loader.diagnostics.first)
        #expect(syntax.code == .specSyntax && syntax.line == 36 && syntax.column == 7, "\(syntax)")
        #expect(syntax.description(.en).hasPrefix("Formats/banks/BOC.yaml:36:7: error: not valid YAML: did not find expected"))
        #expect(!syntax.description.contains("source: period") && !syntax.description.contains("^"), "the spec is not quoted back")
    }

    @Test func aWidthMistakeIsBlamedOnTheFieldThatHasItOnce() throws {
        let yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
            .replacingOccurrences(of: "{name: name,            type: text,     width: 30, start: 28,", with: "{name: name,            type: text,     width: 31, start: 28,")
        let errors = SpecLoader(yaml: yaml, file: "Formats/banks/BOC.yaml").diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "one mistake, one finding: \(errors)")
        #expect(errors.first?.field == "debit.detail.name" && errors.first?.message.contains("its width should be 30") == true, "\(errors)")
    }

    @Test func aTableNoFieldReadsIsWarnedAbout() throws {
        let yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  result_codes:\n", with: "  text_result_code: \"F\"\n  result_codes:\n")
        let loader = SpecLoader(yaml: yaml, file: "Formats/banks/BOC.yaml")
        let unused = try #require(loader.diagnostics.first { $0.code == .specUnusedTable })
        #expect(unused.severity == .warning && unused.field == "return.text_result_code" && loader.spec != nil)
    }
}
