import BankFormats
import Foundation
import PikouCrypto
import Testing
import TestSupport

/// `pikou keys` and `pikou file sign|verify` through the real binary.
@Suite struct SigningCLITests {
    /// Runs pikou; `file` commands get the checkout's Formats folder.
    func pikou(_ arguments: [String]) throws -> CommandResult {
        try runPikou(arguments.first == "file" ? arguments + ["--formats", Fixture.formatsDirectory] : arguments)
    }

    @Test("every tampered or unsigned fixture is rejected by file verify", arguments: Fixture.bankCodes)
    func verifyRejectsTampered(_ bank: String) throws {
        for name in ["tampered", "unsigned"] {
            let path = Fixture.path("banks/\(bank)/invalid/\(name).\(Fixture.fileExtension(bank))")
            let result = try runPikou(["file", "verify", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", bank, path])
            #expect(result.status == 1)
            #expect(result.stderr.contains(path), "\(result.stderr)")
            #expect(result.stderr.contains(name == "tampered" ? "[signature.invalid]" : "[signature.missing]"), "\(result.stderr)")
        }
        let valid = try runPikou(["file", "verify", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", bank,
                                  Fixture.path("banks/\(bank)/valid/return.\(Fixture.fileExtension(bank))")])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("signature OK"))
        #expect(valid.stdout.contains("Pikou TEST bank"))
    }

    /// `make bench`'s format stage writes a file larger than any the bank takes: the bench lifts the
    /// size bound with the record bound (it read nothing back once max_file_bytes came, unnoticed).
    @Test func theFormatBenchReadsBackAFileLargerThanTheBankTakes() throws {
        let out = try temporaryDirectory()
        let result = try runPikou(["bench", "format", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath,
                                   "--bank", "BOC", "--lines", "6000", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"lines\": 6000"), "\(result.stdout)")
    }

    @Test func readRefusesToParseAFileThatFailsVerification() throws {
        let result = try runPikou(["file", "read", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", "BOC",
                                   Fixture.path("banks/BOC/invalid/tampered.txt")])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("lines:"), "nothing may be parsed from a file whose signature fails")
    }

    @Test func readWithoutAWorkspaceSaysWhatIsMissing() throws {
        let empty = try temporaryDirectory()
        let result = try runPikou(["file", "read", "--formats", Fixture.formatsDirectory, "--bank", "BOC", Fixture.path("banks/BOC/valid/return.txt")],
                                  in: empty)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no workspace config"))
    }

    /// A workspace with freshly generated keys: the generate command, sign, verify, and each failure.
    @Test func generateSignVerifyAndEveryFailure() throws {
        let dir = try temporaryDirectory()
        let passphraseFile = dir + "/pass.txt"
        try "a-long-enough-passphrase\n".write(toFile: passphraseFile, atomically: true, encoding: .utf8)
        chmod(passphraseFile, 0o600)  // a passphrase file is its owner's alone, or it is refused
        for (name, algorithm) in [("ours", "sm2"), ("bank", "sm2"), ("other", "sm2"), ("rsa", "rsa")] {
            let generated = try pikou(["keys", "generate", "--algorithm", algorithm, "--out", dir + "/keys", "--name", name,
                                       "--subject", "/CN=Test \(name)", "--passphrase-file", passphraseFile])
            #expect(generated.status == 0, "\(generated.stderr)")
        }
        // The private key is encrypted and private.
        let keyPath = dir + "/keys/ours.key.pem"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8).contains("BEGIN ENCRYPTED PRIVATE KEY"))
        // Never overwritten.
        let again = try pikou(["keys", "generate", "--algorithm", "sm2", "--out", dir + "/keys", "--name", "ours", "--passphrase-file", passphraseFile])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        // No passphrase on the command line: there is no such option.
        let noPass = try runPikou(["keys", "generate", "--algorithm", "sm2", "--out", dir + "/x"], environment: ["PIKOU_KEY_PASSPHRASE": ""])
        #expect(noPass.status != 0)
        #expect(noPass.stderr.contains("PIKOU_KEY_PASSPHRASE"))

        func config(bankCertificate: String, signingKey: String = "ours", passphrase: String = "passphrase_file: pass.txt") throws -> String {
            let path = dir + "/pikou-\(UUID().uuidString).yaml"
            try """
                keys:
                  ours: {private_key: keys/ours.key.pem, \(passphrase), certificate: keys/ours.cert.pem}
                  bank: {private_key: keys/bank.key.pem, passphrase_file: pass.txt, certificate: keys/bank.cert.pem}
                  rsa: {private_key: keys/rsa.key.pem, passphrase_file: pass.txt, certificate: keys/rsa.cert.pem}
                banks:
                  BOC: {signing_key: \(signingKey), bank_certificate: \(bankCertificate), bank_key: bank}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let good = try config(bankCertificate: "keys/bank.cert.pem")
        let file = dir + "/return.txt"
        try FileManager.default.copyItem(atPath: Fixture.path("banks/BOC/valid/return.txt"), toPath: file)
        let signed = try pikou(["file", "sign", "--config", good, "--bank", "BOC", "--kind", "return", file])
        #expect(signed.status == 0, "\(signed.stderr)")
        let verified = try pikou(["file", "verify", "--config", good, "--bank", "BOC", file])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("/CN=Test bank"))

        // Signed with another key than the certificate's.
        let wrongKey = try pikou(["file", "verify", "--config", try config(bankCertificate: "keys/other.cert.pem"), "--bank", "BOC", file])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("[signature.invalid]"))
        // A certificate of the wrong algorithm.
        let wrongAlgorithm = try pikou(["file", "verify", "--config", try config(bankCertificate: "keys/rsa.cert.pem"), "--bank", "BOC", file])
        #expect(wrongAlgorithm.status == 1)
        #expect(wrongAlgorithm.stderr.contains("needs an SM2 key"))
        // An unreadable certificate.
        let missing = try pikou(["file", "verify", "--config", try config(bankCertificate: "keys/nope.cert.pem"), "--bank", "BOC", file])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.cert.pem"))
        // Missing .sig.
        try FileManager.default.removeItem(atPath: file + ".sig")
        let noSig = try pikou(["file", "verify", "--config", good, "--bank", "BOC", file])
        #expect(noSig.status == 1)
        #expect(noSig.stderr.contains("return.txt.sig is missing"))
        // Wrong passphrase and unset passphrase variable when signing.
        let badPass = dir + "/bad.txt"
        try "not-the-passphrase".write(toFile: badPass, atomically: true, encoding: .utf8)
        chmod(badPass, 0o600)
        let wrongPassphrase = try pikou(["file", "sign", "--config", try config(bankCertificate: "x", passphrase: "passphrase_file: bad.txt"), "--bank", "BOC", file])
        #expect(wrongPassphrase.status == 1)
        #expect(wrongPassphrase.stderr.contains("wrong passphrase"))
        #expect(wrongPassphrase.stderr.contains("ours.key.pem"))
        let unsetVariable = try pikou(["file", "sign", "--config", try config(bankCertificate: "x", passphrase: "passphrase_env: PIKOU_TEST_UNSET_VARIABLE"), "--bank", "BOC", file])
        #expect(unsetVariable.status == 1)
        #expect(unsetVariable.stderr.contains("PIKOU_TEST_UNSET_VARIABLE"))
    }

    @Test func expiredCertificateIsRefusedUnlessAllowed() throws {
        let dir = try temporaryDirectory()
        // The TEST bank key with a certificate that expired yesterday.
        let key = try PrivateKey(path: Fixture.path("keys/test-bank-sm2.key.pem"),
                                 passphrase: try String(contentsOfFile: Fixture.path("keys/passphrase.txt"), encoding: .utf8).trimmingCharacters(in: .newlines))
        let expired = try Certificate.selfSigned(key: key, subject: "/CN=Expired bank", validFrom: -400 * 86_400, days: 365)
        try Data(try expired.pem()).write(to: URL(fileURLWithPath: dir + "/expired.cert.pem"))
        let config = dir + "/pikou.yaml"
        try "banks:\n  BOC: {bank_certificate: expired.cert.pem}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let file = Fixture.path("banks/BOC/valid/return.txt")
        let refused = try pikou(["file", "verify", "--config", config, "--bank", "BOC", file])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("expired"))
        #expect(refused.stderr.contains("--allow-expired"))
        let allowed = try pikou(["file", "verify", "--config", config, "--bank", "BOC", "--allow-expired", file])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func keysShowReportsSubjectAndValidity() throws {
        let result = try pikou(["keys", "show", Fixture.path("keys/test-bank-rsa.cert.pem")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("CN=Pikou TEST bank rsa"))
        #expect(result.stdout.contains("valid to             2036-"), "\(result.stdout)")
        #expect(result.stdout.contains("SHA-256 fingerprint") && result.stdout.contains("SM3 fingerprint"))
    }

    /// Issue 30: a Chinese subject reads as written, in Chinese, with the fingerprints to read back.
    @Test func keysShowPrintsAChineseSubjectInChinese() throws {
        let dir = try temporaryDirectory()
        try "a-long-enough-passphrase\n".write(toFile: dir + "/p", atomically: true, encoding: .utf8)
        chmod(dir + "/p", 0o600)
        let made = try pikou(["keys", "generate", "--algorithm", "sm2", "--out", dir, "--name", "bank", "--subject", "/CN=示例银行/O=示例", "--passphrase-file", dir + "/p"])
        #expect(made.status == 0, "\(made.stderr)")
        let shown = try runPikou(["keys", "show", dir + "/bank.cert.pem"], environment: ["PIKOU_LANG": "zh"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("主体") && shown.stdout.contains("CN=示例银行, O=示例") && shown.stdout.contains("SHA-256 指纹"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("\\x"))
    }
}
