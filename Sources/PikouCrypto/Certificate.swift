import COpenSSL
import Foundation

/// Owns one `X509`.
final class X509Box: @unchecked Sendable {  // read-only after init
    let pointer: OpaquePointer
    init(taking pointer: OpaquePointer) { self.pointer = pointer }
    deinit { X509_free(pointer) }
}

/// An X.509 certificate: a bank's (verifies its return files) or the collector's (verifies debit files).
public struct Certificate: Sendable, CustomStringConvertible {
    let box: X509Box

    /// The subject, e.g. `/CN=Pikou test bank`.
    public let subject: String
    /// Start of validity, seconds since 1970 (UTC).
    public let notBefore: Int64
    /// End of validity, seconds since 1970 (UTC).
    public let notAfter: Int64

    init(box: X509Box) {
        self.box = box
        if let name = X509_get_subject_name(box.pointer), let line = X509_NAME_oneline(name, nil, 0) {
            subject = String(cString: line)
            COpenSSL_free(line)
        } else {
            subject = "(no subject)"
        }
        notBefore = Int64(COpenSSL_ASN1_TIME_to_epoch(X509_get0_notBefore(box.pointer)))
        notAfter = Int64(COpenSSL_ASN1_TIME_to_epoch(X509_get0_notAfter(box.pointer)))
    }

    /// Reads a PEM certificate.
    public init(pem: [UInt8], path: String) throws(CryptoError) {
        OpenSSLErrors.clear()
        let bio = try MemoryBIO(copying: pem)
        guard let pointer = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw .unreadableCertificate(path: path, reason: OpenSSLErrors.drain())
        }
        self.init(box: X509Box(taking: pointer))
    }

    /// Reads a PEM certificate file.
    public init(path: String) throws(CryptoError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableCertificate(path: path, reason: "no such file or not readable")
        }
        try self.init(pem: [UInt8](data), path: path)
    }

    /// A self-signed certificate for `key`.
    ///
    /// - Parameters:
    ///   - subject: `/CN=...` (also `/O=`, `/OU=`, `/C=`, ... components).
    ///   - validFrom: Seconds from now the validity starts (negative: in the past).
    ///   - days: Length of validity.
    public static func selfSigned(
        key: PrivateKey, subject: String, validFrom: Int = 0, days: Int = 825
    ) throws(CryptoError) -> Certificate {
        OpenSSLErrors.clear()
        guard let x509 = X509_new() else { throw OpenSSLErrors.error("X509_new") }
        let box = X509Box(taking: x509)
        guard let name = X509_NAME_new() else { throw OpenSSLErrors.error("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        let components = subject.split(separator: "/").filter { !$0.isEmpty }
        guard !components.isEmpty else { throw .openSSL(operation: "certificate subject", reason: "'\(subject)' is not like /CN=name") }
        for component in components {
            let pair = component.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2,
                X509_NAME_add_entry_by_txt(name, pair[0], MBSTRING_UTF8, pair[1], -1, -1, 0) == 1
            else { throw .openSSL(operation: "certificate subject '\(component)'", reason: OpenSSLErrors.drain()) }
        }
        var serial = [UInt8](repeating: 0, count: 8)
        serial.withUnsafeMutableBytes { _ = getentropy($0.baseAddress, 8) }
        let serialNumber = serial.reduce(0) { ($0 << 8) | Int($1) } & 0x3FFF_FFFF_FFFF_FFFF
        guard X509_set_version(x509, 2) == 1,
            ASN1_INTEGER_set_int64(X509_get_serialNumber(x509), Int64(serialNumber)) == 1,
            X509_gmtime_adj(X509_getm_notBefore(x509), validFrom) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), validFrom + days * 86_400) != nil,
            X509_set_subject_name(x509, name) == 1,
            X509_set_issuer_name(x509, name) == 1,
            X509_set_pubkey(x509, key.key.pointer) == 1
        else { throw OpenSSLErrors.error("building the certificate") }
        let md = key.algorithmName == "SM2" ? EVP_sm3() : EVP_sha256()
        guard X509_sign(x509, key.key.pointer, md) > 0 else { throw OpenSSLErrors.error("X509_sign") }
        return Certificate(box: box)
    }

    /// The certificate as PEM.
    public func pem() throws(CryptoError) -> [UInt8] {
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509(bio.pointer, box.pointer) == 1 else { throw OpenSSLErrors.error("PEM_write_bio_X509") }
        return bio.contents
    }

    /// The certified public key.
    public var publicKey: PublicKey {
        // X509_get_pubkey returns a new reference; a parsed certificate always has a key.
        PublicKey(key: EVPKey(taking: X509_get_pubkey(box.pointer)!))
    }

    /// `YYYY-MM-DD HH:MM:SS UTC`.
    public static func format(epoch: Int64) -> String {
        var time = time_t(epoch)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }

    /// Refuses a certificate outside its validity at `now` unless `allowExpired`.
    ///
    /// - Throws: ``CryptoError/certificateExpired(subject:notAfter:)`` or ``CryptoError/certificateNotYetValid(subject:notBefore:)``.
    public func checkValidity(now: Int64? = nil, allowExpired: Bool = false) throws(CryptoError) {
        let now = now ?? Int64(time(nil))
        if now > notAfter && !allowExpired { throw .certificateExpired(subject: subject, notAfter: Self.format(epoch: notAfter)) }
        if now < notBefore { throw .certificateNotYetValid(subject: subject, notBefore: Self.format(epoch: notBefore)) }
    }

    public var description: String {
        "\(subject), valid \(Self.format(epoch: notBefore)) to \(Self.format(epoch: notAfter)), \(publicKey.algorithmName)"
    }
}
