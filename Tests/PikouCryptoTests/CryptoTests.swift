import Foundation
import PikouCrypto
import Testing
import TestSupport

@Suite struct DigestTests {
    @Test func sm3PublishedVectors() throws {
        // GB/T 32905-2016 appendix A: "abc" and "abcd" × 16.
        #expect(Digest.hex(try Digest.hash(Array("abc".utf8), .sm3)) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        #expect(Digest.hex(try Digest.hash(Array(String(repeating: "abcd", count: 16).utf8), .sm3))
            == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test func sha256Vector() throws {
        #expect(Digest.hex(try Digest.hash(Array("abc".utf8), .sha256)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fileDigestStreamsInChunksAndEqualsOneShot() throws {
        // 2.5 MiB spans three 1 MiB chunks.
        var bytes = [UInt8](repeating: 0, count: 2_621_440 + 17)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9) }
        let path = try temporaryDirectory() + "/big.bin"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        for algorithm in DigestAlgorithm.allCases {
            #expect(try Digest.hash(fileAt: path, algorithm) == (try Digest.hash(bytes, algorithm)))
        }
        let openssl = try shell("openssl", ["dgst", "-sm3", "-r", path])
        #expect(openssl.stdout.hasPrefix(Digest.hex(try Digest.hash(fileAt: path, .sm3))))
    }
}

@Suite struct SignatureTests {
    static let message = Array("H|420100000001|20261203|2|1955.20|\r\n中文名字测试\r\n".utf8)
    static let sm2 = SignatureAlgorithm.sm2sm3(distinguishingID: SignatureAlgorithm.defaultDistinguishingID)

    @Test("sign and verify round trip", arguments: [KeyAlgorithm.sm2, .rsa])
    func roundTrip(_ algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let scheme = algorithm == .sm2 ? Self.sm2 : .rsaSHA256
        let signature = try Signer(key: key, algorithm: scheme).sign(Self.message)
        let verifier = try Verifier(key: key.publicKey, algorithm: scheme)
        #expect(try verifier.verify(signature, over: Self.message))
        // One flipped bit anywhere in the message, or in the signature, fails.
        for index in stride(from: 0, to: Self.message.count, by: 7) {
            var tampered = Self.message
            tampered[index] ^= 0x01
            #expect(try !verifier.verify(signature, over: tampered))
        }
        for index in stride(from: 0, to: signature.count, by: 5) {
            var tampered = signature
            tampered[index] ^= 0x80
            #expect(try !verifier.verify(tampered, over: Self.message))
        }
        // Another key's signature fails.
        let other = try Signer(key: try PrivateKey.generate(algorithm), algorithm: scheme).sign(Self.message)
        #expect(try !verifier.verify(other, over: Self.message))
    }

    @Test func sm2DistinguishingIDMatters() throws {
        let key = try PrivateKey.generate(.sm2)
        let signature = try Signer(key: key, algorithm: Self.sm2).sign(Self.message)
        let wrongID = try Verifier(key: key.publicKey, algorithm: .sm2sm3(distinguishingID: "1111111111111111"))
        #expect(try !wrongID.verify(signature, over: Self.message))
    }

    @Test func keyOfTheWrongAlgorithmIsRefused() throws {
        let rsa = try PrivateKey.generate(.rsa)
        #expect(throws: CryptoError.self) { try Signer(key: rsa, algorithm: Self.sm2) }
    }

    @Test func encryptedKeyRoundTripAndWrongPassphrase() throws {
        let key = try PrivateKey.generate(.sm2)
        let pem = try key.encryptedPEM(passphrase: "correct horse")
        #expect(String(decoding: pem, as: UTF8.self).contains("BEGIN ENCRYPTED PRIVATE KEY"))
        let loaded = try PrivateKey(pem: pem, passphrase: "correct horse", path: "k.pem")
        #expect(loaded.publicKey.matches(key.publicKey))
        #expect(throws: CryptoError.wrongPassphrase(path: "k.pem")) { try PrivateKey(pem: pem, passphrase: "wrong", path: "k.pem") }
        #expect(throws: CryptoError.missingPassphrase("the private key k.pem is encrypted")) {
            try PrivateKey(pem: pem, passphrase: nil, path: "k.pem")
        }
        #expect("\(key)" == "SM2 private key")
    }

    /// Found by CI: about one wrong passphrase in 256 decrypts to valid padding and then fails as DER
    /// ("unsupported; too long; bad object header"), which was reported as an unreadable key.
    @Test func everyWrongPassphraseIsCalledOne() throws {
        let pem = try PrivateKey.generate(.sm2).encryptedPEM(passphrase: "correct horse")
        var other: [String] = []
        for attempt in 0..<1200 {
            do { _ = try PrivateKey(pem: pem, passphrase: "wrong \(attempt)", path: "k.pem") } catch {
                if error != .wrongPassphrase(path: "k.pem") { other.append("\(attempt): \(error)") }
            }
        }
        #expect(other.isEmpty, "\(other.prefix(3))")
    }

    /// Found by CI: no passphrase is tried as the empty one, and about one encryption in 256 decrypts
    /// under it to valid padding, then fails as DER; that was reported as an unreadable key.
    @Test func everyMissingPassphraseIsCalledOne() throws {
        let key = try PrivateKey.generate(.sm2)
        var other: [String] = []
        for attempt in 0..<1200 {
            let pem = try key.encryptedPEM(passphrase: "correct horse")  // a fresh salt and IV each time
            do { _ = try PrivateKey(pem: pem, passphrase: nil, path: "k.pem") } catch {
                if error != .missingPassphrase("the private key k.pem is encrypted") { other.append("\(attempt): \(error)") }
            }
        }
        #expect(other.isEmpty, "\(other.prefix(3))")
    }

    @Test func garbageKeyCarriesOpenSSLReason() {
        do {
            _ = try PrivateKey(pem: Array("not a key".utf8), passphrase: "x", path: "junk.pem")
            Issue.record("expected an error")
        } catch {
            guard case .unreadableKey(let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == "junk.pem")
            #expect(!reason.isEmpty)
        }
    }

    @Test("certificates report subject and validity", arguments: [KeyAlgorithm.sm2, .rsa])
    func certificate(_ algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let certificate = try Certificate.selfSigned(key: key, subject: "/CN=Pikou test collector/O=Pikou", days: 30)
        #expect(certificate.subject == "/CN=Pikou test collector/O=Pikou")
        #expect(certificate.notAfter - certificate.notBefore == 30 * 86_400)
        #expect(certificate.publicKey.matches(key.publicKey))
        try certificate.checkValidity()
        let reread = try Certificate(pem: try certificate.pem(), path: "c.pem")
        #expect(reread.subject == certificate.subject)
        let expired = try Certificate.selfSigned(key: key, subject: "/CN=old", validFrom: -40 * 86_400, days: 30)
        #expect(throws: CryptoError.self) { try expired.checkValidity() }
        try expired.checkValidity(allowExpired: true)
    }
}

/// Pikou's signatures and OpenSSL's command line agree, in both directions.
@Suite struct OpenSSLInteropTests {
    static let id = SignatureAlgorithm.defaultDistinguishingID

    func files() throws -> (dir: String, message: String) {
        let dir = try temporaryDirectory()
        let message = dir + "/message.txt"
        FileManager.default.createFile(atPath: message, contents: Data(SignatureTests.message))
        return (dir, message)
    }

    @Test func pikouSM2VerifiesWithOpenSSL() throws {
        let (dir, message) = try files()
        let key = try PrivateKey.generate(.sm2)
        try Data(try key.publicKey.pem()).write(to: URL(fileURLWithPath: dir + "/pub.pem"))
        let signature = try Signer(key: key, algorithm: SignatureTests.sm2).sign(fileAt: message)
        try Data(signature).write(to: URL(fileURLWithPath: dir + "/sig.der"))
        let ok = try shell("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", dir + "/pub.pem", "-rawin", "-in", message,
                                       "-sigfile", dir + "/sig.der", "-digest", "sm3", "-pkeyopt", "distid:\(Self.id)"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let wrongID = try shell("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", dir + "/pub.pem", "-rawin", "-in", message,
                                            "-sigfile", dir + "/sig.der", "-digest", "sm3", "-pkeyopt", "distid:0000000000000000"])
        #expect(wrongID.status != 0)
    }

    @Test func openSSLSM2VerifiesInPikou() throws {
        let (dir, message) = try files()
        _ = try shell("openssl", ["genpkey", "-algorithm", "SM2", "-out", dir + "/key.pem"])
        _ = try shell("openssl", ["pkey", "-in", dir + "/key.pem", "-pubout", "-out", dir + "/pub.pem"])
        let signed = try shell("openssl", ["pkeyutl", "-sign", "-inkey", dir + "/key.pem", "-rawin", "-in", message,
                                           "-digest", "sm3", "-pkeyopt", "distid:\(Self.id)", "-out", dir + "/sig.der"])
        #expect(signed.status == 0, "\(signed.stderr)")
        let publicKey = try PublicKey(pem: [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/pub.pem"))), path: "pub.pem")
        let signature = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/sig.der")))
        #expect(try Verifier(key: publicKey, algorithm: SignatureTests.sm2).verify(signature, fileAt: message))
    }

    @Test func rsaBothDirections() throws {
        let (dir, message) = try files()
        // Pikou signs, OpenSSL verifies.
        let key = try PrivateKey.generate(.rsa)
        try Data(try key.publicKey.pem()).write(to: URL(fileURLWithPath: dir + "/pub.pem"))
        try Data(try Signer(key: key, algorithm: .rsaSHA256).sign(fileAt: message)).write(to: URL(fileURLWithPath: dir + "/sig.bin"))
        let verified = try shell("openssl", ["dgst", "-sha256", "-verify", dir + "/pub.pem", "-signature", dir + "/sig.bin", message])
        #expect(verified.status == 0, "\(verified.stderr)")
        // OpenSSL signs (from Pikou's encrypted key), Pikou verifies.
        try Data(try key.encryptedPEM(passphrase: "test-pass")).write(to: URL(fileURLWithPath: dir + "/key.pem"))
        let signed = try shell("openssl", ["dgst", "-sha256", "-sign", dir + "/key.pem", "-passin", "pass:test-pass",
                                           "-out", dir + "/sig2.bin", message])
        #expect(signed.status == 0, "\(signed.stderr)")
        let signature = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/sig2.bin")))
        #expect(try Verifier(key: key.publicKey, algorithm: .rsaSHA256).verify(signature, fileAt: message))
    }

    @Test func pikouEncryptedKeyOpensInOpenSSL() throws {
        let dir = try temporaryDirectory()
        let key = try PrivateKey.generate(.sm2)
        try Data(try key.encryptedPEM(passphrase: "pw")).write(to: URL(fileURLWithPath: dir + "/k.pem"))
        let ok = try shell("openssl", ["pkey", "-in", dir + "/k.pem", "-passin", "pass:pw", "-noout"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let bad = try shell("openssl", ["pkey", "-in", dir + "/k.pem", "-passin", "pass:nope", "-noout"])
        #expect(bad.status != 0)
    }
}

/// The openssl commands documented in Formats/README.md, run as written on the signed fixtures.
@Suite struct DocumentedCommandTests {
    func bash(_ script: String, in dir: String) throws -> CommandResult {
        try shell("bash", ["-c", "set -euo pipefail; cd '\(dir)'; " + script])
    }

    @Test func detachedSM2VerifiesWithTheDocumentedCommands() throws {
        let dir = try temporaryDirectory()
        for name in ["return.txt", "return.txt.sig"] {
            try FileManager.default.copyItem(atPath: Fixture.path("banks/BOC/valid/\(name)"), toPath: dir + "/BOC_DK_x.\(name == "return.txt" ? "txt" : "txt.sig")")
        }
        try FileManager.default.copyItem(atPath: Fixture.path("keys/test-bank-sm2.cert.pem"), toPath: dir + "/cert.pem")
        let result = try bash("""
            openssl x509 -in cert.pem -pubkey -noout > pub.pem
            base64 -d BOC_DK_x.txt.sig > sig.der
            openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in BOC_DK_x.txt -sigfile sig.der \
                -digest sm3 -pkeyopt distid:1234567812345678
            openssl dgst -sm3 -verify pub.pem -sigopt distid:1234567812345678 -signature sig.der BOC_DK_x.txt
            """, in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Signature Verified Successfully"))
        #expect(result.stdout.contains("Verified OK"))
    }

    @Test func trailerRSAVerifiesWithTheDocumentedCommands() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixture.path("banks/CCB/valid/return.txt"), toPath: dir + "/f.txt")
        try FileManager.default.copyItem(atPath: Fixture.path("keys/test-bank-rsa.cert.pem"), toPath: dir + "/cert.pem")
        let result = try bash("""
            openssl x509 -in cert.pem -pubkey -noout > pub.pem
            head -c "$(( $(wc -c < f.txt) - $(tail -n 1 f.txt | wc -c) ))" f.txt > payload
            tail -n 1 f.txt | tr -d '\\r\\n' | sed 's/^<SIGN>//' | base64 -d > sig.bin
            openssl dgst -sha256 -verify pub.pem -signature sig.bin payload
            """, in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Verified OK"))
    }
}
