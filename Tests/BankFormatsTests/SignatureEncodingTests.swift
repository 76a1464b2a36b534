import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import Testing
import TestSupport

/// Issue 17, item 13: an SM2 signature sent as the raw 64 bytes r‖s is named for what it is, not
/// reported as a file changed after signing.
@Suite struct SignatureEncodingTests {
    /// The raw r‖s of a DER `SEQUENCE { INTEGER r, INTEGER s }`, each left-padded to 32 bytes.
    static func raw(_ der: [UInt8]) throws -> [UInt8] {
        var index = 2
        var parts: [[UInt8]] = []
        for _ in 0..<2 {
            try #require(der[index] == 0x02)
            let length = Int(der[index + 1])
            var value = Array(der[(index + 2)..<(index + 2 + length)])
            while value.count > 32, value.first == 0 { value.removeFirst() }
            parts.append([UInt8](repeating: 0, count: 32 - value.count) + value)
            index += 2 + length
        }
        return parts[0] + parts[1]
    }

    @Test func aRawSM2SignatureIsNamedNotDER() throws {
        let spec = try Fixture.spec("BOC")
        let bytes = try Fixture.bytes("banks/BOC/valid/return.txt")
        let sig = try Fixture.bytes("banks/BOC/valid/return.txt.sig")
        let der = try #require(Base64.decode(String(decoding: sig, as: UTF8.self)))
        func detached(_ bytes: [UInt8]) -> [UInt8] { Array(Base64.encode(bytes).utf8) }
        let certificate = try Fixture.signingConfig().certificate(bank: "BOC", kind: .return)
        let reader = FileReader(spec: spec, kind: .return)
        #expect(try reader.readVerified(bytes, detached: sig, certificate: certificate, fileName: "r.txt").isValid, "the DER one verifies")
        let parsed = try reader.readVerified(bytes, detached: detached(try Self.raw(der)), certificate: certificate, fileName: "r.txt")
        #expect(parsed.diagnostics.map(\.code) == [.signatureMalformed])
        #expect(parsed.diagnostics.first?.message.contains("64 raw bytes (r‖s), not DER") == true, "\(parsed.diagnostics)")
        // Bytes that are neither: still not "changed after signing".
        let junk = try reader.readVerified(bytes, detached: detached(Array(der.dropLast(3))), certificate: certificate, fileName: "r.txt")
        #expect(junk.diagnostics.map(\.code) == [.signatureMalformed])
        // A DER signature over other bytes is the one that says the file changed.
        var changed = bytes
        changed[changed.count / 2] ^= 1
        let tampered = try reader.readVerified(changed, detached: sig, certificate: certificate, fileName: "r.txt")
        #expect(tampered.diagnostics.map(\.code) == [.signatureInvalid])
    }
}
