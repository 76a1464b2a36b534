import COpenSSL
import Foundation

/// What an office reads of a certificate before trusting it: names as written (a Chinese subject in
/// Chinese), the issuer, the serial, the algorithms and the fingerprints to read back to the bank.
extension Certificate {
    /// The subject as one readable line, `CN=示例银行, O=…`: UTF-8 kept, not escaped.
    public var subjectText: String { Self.readable(X509_get_subject_name(box.pointer)) }

    /// The issuer as one readable line (the subject itself for a self-signed certificate).
    public var issuerText: String { Self.readable(X509_get_issuer_name(box.pointer)) }

    /// The serial number in upper-case hexadecimal.
    public var serialHex: String {
        guard let serial = X509_get0_serialNumber(box.pointer), let number = ASN1_INTEGER_to_BN(serial, nil) else { return "?" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "?" }
        defer { COpenSSL_free(hex) }
        return String(cString: hex)
    }

    /// The algorithm the issuer signed with, e.g. `SM2-with-SM3`, `sha256WithRSAEncryption`.
    public var signatureAlgorithm: String {
        let nid = X509_get_signature_nid(box.pointer)
        guard nid != NID_undef, let name = OBJ_nid2ln(nid) else { return "?" }
        return String(cString: name)
    }

    /// The certificate's DER encoding.
    public var der: [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = COpenSSL_i2d_X509(box.pointer, &buffer)
        guard length > 0, let buffer else { return [] }
        defer { COpenSSL_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// The fingerprint a bank reads out over the phone: the digest of the DER, `AB:CD:…`.
    public func fingerprint(_ algorithm: DigestAlgorithm) throws(CryptoError) -> String {
        Self.colonHex(try Digest.hash(der, algorithm))
    }

    /// Whether the certificate expires within `days` of `now` (and is not expired yet).
    public func expiresWithin(days: Int, now: Int64? = nil) -> Bool {
        let now = now ?? Int64(time(nil))
        return now <= notAfter && notAfter - now < Int64(days) * 86_400
    }

    /// Whole days left before it expires (`now`: seconds since 1970, default the clock).
    public func daysLeft(now: Int64? = nil) -> Int {
        Int((notAfter - (now ?? Int64(time(nil)))) / 86_400)
    }

    /// `AB:CD:EF…` of `bytes`.
    static func colonHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined(separator: ":")
    }

    static func readable(_ name: OpaquePointer?) -> String {
        guard let name, let bio = try? MemoryBIO(), COpenSSL_X509_NAME_print_utf8(bio.pointer, name) >= 0 else { return "(none)" }
        return String(decoding: bio.contents, as: UTF8.self)
    }
}

extension PublicKey {
    /// The key's DER (SubjectPublicKeyInfo).
    public var der: [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = COpenSSL_i2d_PUBKEY(key.pointer, &buffer)
        guard length > 0, let buffer else { return [] }
        defer { COpenSSL_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// The SHA-256 of the key's DER, lower-case hex: the same key under any certificate.
    public var sha256Hex: String { (try? Digest.hex(Digest.hash(der, .sha256))) ?? "" }
}
