import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// `pikou file diff`'s comparison and `pikou formats new`'s copy, as pure functions.
@Suite struct IntegratorToolTests {
    func returnLines() throws -> [ParsedLine] {
        let spec = try Fixture.spec("BOC")
        let bytes = FileSignature.unverifiedPayload(try Fixture.bytes("banks/BOC/valid/return.txt"), spec: spec)
        return FileReader(spec: spec, kind: .return).read(bytes, fileName: "return.txt").lines
    }

    @Test func aDiffFindsRecordsAddedRemovedAndChangedBySequenceWithMaskedValues() throws {
        let old = try returnLines()
        var new = old
        new.remove(at: 1)                                   // sequence 2 removed
        new[0].line.account = "6216610000000000001"          // sequence 1: account changed
        new[2].line.amount = Money(fen: 1)                   // sequence 4: amount changed
        var extra = old[0]
        extra.line.sequence = 99
        extra.lineNumber = 99
        new.append(extra)                                   // sequence 99 added
        let diff = FileDiff(old: old, new: new)
        #expect(diff.removed.map(\.sequence) == [2] && diff.added.map(\.sequence) == [99])
        #expect(diff.changed.map(\.sequence) == [1, 4])
        let account = try #require(diff.changed.first?.changes.first)
        #expect(account.field == "account" && account.new == Masking.account("6216610000000000001") && !account.old.contains(old[0].line.account),
                "masked unless asked")
        #expect(diff.changed[1].changes.map(\.field) == ["amount"] && diff.changed[1].changes[0].new == "0.01")
        #expect(FileDiff(old: old, new: old).isEmpty)
        #expect(FileDiff(old: old, new: new, whole: true).changed[0].changes[0].new == "6216610000000000001")
    }

    @Test func accountsThatMaskAlikeStillDiffer() throws {
        let old = try returnLines()
        var new = old
        // Same first four and last four digits: the masked values are equal, the accounts are not.
        let account = old[0].line.account
        let middle = account.index(account.startIndex, offsetBy: 6)
        new[0].line.account = String(account[..<middle]) + (account[middle] == "9" ? "8" : "9") + account[account.index(after: middle)...]
        #expect(FileDiff(old: old, new: new).changed.first?.changes.map(\.field) == ["account"])
    }

    @Test func aNewSpecIsTheModelUnderTheNewCodeAndStillChecks() throws {
        let model = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        let copy = try SpecTemplate.copy(model, modelCode: "BOC", as: "ABC")
        #expect(copy.contains("\nbank: ABC\n") && !copy.contains("\nbank: BOC\n"))
        #expect(copy.hasPrefix("# ABC — started from BOC"))
        let directory = try temporaryDirectory()
        try copy.write(toFile: directory + "/ABC.yaml", atomically: true, encoding: .utf8)
        let (spec, diagnostics) = FormatRepository.check(path: directory + "/ABC.yaml")
        #expect(spec?.code == "ABC" && !diagnostics.hasErrors, "\(diagnostics)")
        for bad in ["", "A", "../X", "abc", "1BANK", "ABCDEFGHIJKLMNOPQ", "AB/C", "招商"] { #expect(!SpecTemplate.validCode(bad), "\(bad)") }
        #expect(SpecTemplate.validCode("ABC") && SpecTemplate.validCode("WHRCB2"))
        #expect { try SpecTemplate.copy("name: x\n", modelCode: "X", as: "ABC") } throws: { ($0 as? PikouError)?.code == "spec.template" }
    }
}
