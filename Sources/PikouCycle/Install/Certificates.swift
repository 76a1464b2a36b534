public import BankFormats
public import PikouCore
import Foundation
public import PikouCrypto
import ReconStore

/// A certificate as an office reads it before trusting it or handing it on: subject and issuer as
/// written, serial, validity, algorithms and the fingerprints to read back to the bank.
public enum CertificateDetails {
    /// The lines of `certificate`'s details, in the catalogue's language.
    public static func lines(_ certificate: Certificate) -> [(label: String, value: String)] {
        [
            (Catalogue.Keys.subject.text, certificate.subjectText),
            (Catalogue.Keys.issuer.text, certificate.issuerText),
            (Catalogue.Keys.serial.text, certificate.serialHex),
            (Catalogue.Keys.validFrom.text, Certificate.format(epoch: certificate.notBefore)),
            (Catalogue.Keys.validTo.text, Certificate.format(epoch: certificate.notAfter)),
            (Catalogue.Keys.key.text, "\(certificate.publicKey.algorithmName)"),
            (Catalogue.Keys.signedWith.text, certificate.signatureAlgorithm),
            (Catalogue.Keys.fingerprintSM3.text, (try? certificate.fingerprint(.sm3)) ?? "?"),
            (Catalogue.Keys.fingerprintSHA256.text, (try? certificate.fingerprint(.sha256)) ?? "?"),
        ]
    }

    /// The details as aligned `label  value` lines.
    public static func text(_ certificate: Certificate) -> [String] {
        let rows = lines(certificate)
        let width = rows.map { DisplayWidth.of($0.label) }.max() ?? 0
        return rows.map { $0.label.padded(to: width) + "  " + $0.value }
    }
}

/// What `keys import` did.
public struct CertificateImport: Sendable {
    /// Where the certificate is kept.
    public var path: String
    /// The day it takes over.
    public var from: CivilDate
    /// It was imported before (same bytes, same day): nothing changed.
    public var alreadyTrusted: Bool
}


extension UseCases {
    /// Trusts `certificate` as `bank`'s from `from` on: kept in `keys/banks/BANK/FROM-<SHA-256>.cert.pem`
    /// (0600) and journaled (`keys.import`, with its SHA-256 fingerprint). Returns for files sent
    /// before it took over still verify with the one before, while that one is valid.
    ///
    /// - Throws: ``PikouError`` for a certificate expired or not yet valid on `from`, of another
    ///   algorithm than the bank's spec signs with, or one of Pikou's TEST certificates in production.
    public func importBankCertificate(_ certificate: Certificate, bank: String, spec: BankSpec, from: CivilDate, actor: String,
                                      now: Int64? = nil) async throws -> CertificateImport {
        let now = now ?? Int64(Date().timeIntervalSince1970)
        let expected = spec.signature.scheme.keyAlgorithm
        guard spec.signature.isSigned else { throw PikouError("keys.certificate", Catalogue.Keys.bankUnsigned(bank)) }
        let algorithm = certificate.publicKey.algorithmName
        guard algorithm == expected else { throw PikouError("keys.certificate", Catalogue.Keys.wrongAlgorithm(bank, found: algorithm, expected: expected)) }
        guard now <= certificate.notAfter else {
            throw PikouError("keys.certificate", Catalogue.Keys.expired(Certificate.format(epoch: certificate.notAfter)))
        }
        // Valid on the day it takes over (a certificate for later may be imported ahead with --from).
        let fromEpoch = Int64(from.daysSinceEpoch) * 86_400 - 8 * 3600 + 86_399
        guard certificate.notBefore <= max(now, fromEpoch) else {
            throw PikouError("keys.certificate", Catalogue.Keys.notYetValid(Certificate.format(epoch: certificate.notBefore)))
        }
        if workspace.mode == .production, TestKeys.isTestKey(certificate.publicKey) {
            throw PikouError("keys.certificate", Catalogue.Doctor.testCertificate)
        }
        let folder = workspace.signing.trustFolder(bank: bank)
        let fingerprint = try certificate.fingerprint(.sha256)
        let tag = String(fingerprint.replacingOccurrences(of: ":", with: "").lowercased().prefix(16))
        let path = folder + "/\(from)-\(tag).cert.pem"
        if FileManager.default.fileExists(atPath: path) { return CertificateImport(path: path, from: from, alreadyTrusted: true) }
        try FileIO.makePrivateDirectory(workspace.directory + "/keys")
        try FileIO.makePrivateDirectory(workspace.directory + "/keys/banks")
        try FileIO.makePrivateDirectory(folder)
        try FileIO.writeAtomically(try certificate.pem(), to: path)
        try await store.appendJournal(actor: actor, action: "keys.import", subject: bank,
                                      detail: "\(certificate.subjectText); SHA-256 \(fingerprint); from \(from); valid to \(Certificate.format(epoch: certificate.notAfter))")
        return CertificateImport(path: path, from: from, alreadyTrusted: false)
    }
}

/// The passphrase file of unattended jobs (`passphrase_file:`): the owner's alone (0600).
public enum PassphraseFile {

    /// Reads the passphrase at `path`; where there is no file yet, makes one: 32 random characters,
    /// mode 0600 from its creation, and tells `created` where it went.
    ///
    /// - Throws: ``PikouError`` for a file others can read, an empty one or one that cannot be made.
    public static func readOrCreate(_ path: String, created: (String) -> Void) throws -> String {
        if !FileManager.default.fileExists(atPath: path) {
            var random = [UInt8](repeating: 0, count: 24)
            guard random.withUnsafeMutableBytes({ getentropy($0.baseAddress, 24) }) == 0 else {
                throw PikouError("keys.passphraseFile", Message(zh: "\(path): 错误：无法从系统取得随机数，未生成口令", en: "\(path): error: getentropy failed"))
            }
            let text = Data(random).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileIO.makePrivateDirectory(folder) }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw PikouError("keys.passphraseFile", Message(zh: "\(path): 错误：无法创建口令文件（\(reason)）", en: "\(path): error: \(reason)"))
            }
            defer { close(descriptor) }
            let bytes = Array((text + "\n").utf8)
            guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, fsync(descriptor) == 0 else {
                let reason = String(cString: strerror(errno))
                throw PikouError("keys.passphraseFile", Message(zh: "\(path): 错误：无法写入口令文件（\(reason)）", en: "\(path): error: \(reason)"))
            }
            created(path)
            return text
        }
        return try read(path)
    }

    /// The passphrase in the file at `path`, which its owner alone may read.
    ///
    /// - Throws: ``PikouError`` for a missing or unreadable file, one others can read, or an empty one.
    public static func read(_ path: String) throws -> String {
        do {
            return try SigningConfig.passphrase(atPath: path, requirePrivate: true)
        } catch {
            switch error {
            case .unreadable:
                throw PikouError("keys.passphraseFile", Message(zh: "\(path): 错误：无法读取口令文件", en: "\(path): error: cannot read the passphrase file"))
            case .readableByOthers(let mode):
                throw PikouError("keys.passphraseFile", Catalogue.Keys.passphraseFileOpen(path, mode: mode))
            case .empty:
                throw PikouError("keys.passphraseFile", Message(zh: "\(path): 错误：口令文件为空", en: "\(path): error: empty"))
            }
        }
    }
}
