import BankFormats
import Foundation
import PikouCore
import Testing
import TestSupport

/// Issue 16, item 5: an amount is read only in the form its spec declares; a money value is never
/// guessed at. A file's valid debit file with one amount rewritten.
@Suite struct StrictNumberTests {
    /// `bank`'s valid debit file with the first occurrence of `old` replaced by `new` (the payload: no signature).
    func read(_ bank: String, replacing old: String, with new: String) throws -> ParsedFile {
        let spec = try Fixture.spec(bank)
        var bytes = FileSignature.unverifiedPayload(try Fixture.bytes("banks/\(bank)/valid/debit.\(Fixture.fileExtension(bank))"), spec: spec)
        let from = Array(old.utf8), to = Array(new.utf8)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: from) }, "\(old) in \(bank)'s debit file")
        bytes.replaceSubrange(start..<(start + from.count), with: to)
        return FileReader(spec: spec, kind: .debit).read(bytes, fileName: "debit")
    }

    func amountErrors(_ parsed: ParsedFile) -> [String] {
        parsed.diagnostics.filter { $0.code == .invalidAmount }.map(\.description)
    }

    @Test("a yuan field takes digits with at most two decimals after one digit, unpadded", arguments: [
        ("|1240.00|", "| 1240.00|", "spaces around the value"),
        ("|1240.00|", "|1240.00 |", "spaces around the value"),
        ("|823.40|", "|.5|", "a digit before any decimal point"),
        ("|823.40|", "|823.400|", "found 3"),
        ("|823.40|", "|823.|", "found 0"),
    ])
    func yuanForms(_ case_: (String, String, String)) throws {
        let parsed = try read("CCB", replacing: case_.0, with: case_.1)
        #expect(amountErrors(parsed).contains { $0.contains(case_.2) }, "\(parsed.diagnostics)")
    }

    @Test func oneDecimalIsStillAYuanAmount() throws {
        // 823.4 is 823.40: the form allows one or two decimals. (The totals then disagree by nothing.)
        let parsed = try read("CCB", replacing: "|823.40|", with: "|823.4|")
        #expect(amountErrors(parsed).isEmpty, "\(parsed.diagnostics)")
    }

    @Test func aZeroFilledFenFieldKeepsItsForm() throws {
        let spec = try Fixture.spec("BOC")
        let payload = FileSignature.unverifiedPayload(try Fixture.bytes("banks/BOC/valid/debit.txt"), spec: spec)
        let line = Array(payload.split(separator: 10)[1])  // the first detail record
        let amount = line[102..<114]  // amount: width 12 from byte 103
        #expect(amount.allSatisfy { (48...57).contains($0) }, "BOC writes its amounts zero-filled")
        let value = String(decoding: amount, as: UTF8.self)
        let digits = String(value.drop { $0 == "0" })
        for variant in [String(repeating: " ", count: 12 - digits.count) + digits, digits + String(repeating: " ", count: 12 - digits.count)] {
            let parsed = try read("BOC", replacing: value, with: variant)
            #expect(!amountErrors(parsed).isEmpty, "'\(variant)' must be refused: \(parsed.diagnostics)")
        }
        #expect(amountErrors(try read("BOC", replacing: value, with: value)).isEmpty)
    }
}
