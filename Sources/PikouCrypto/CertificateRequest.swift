import COpenSSL
import Foundation

/// A certificate request (PKCS#10 CSR) for one of the collector's keys, for the bank or a CA to sign.
///
/// The subject's components are UTF8String (OpenSSL's default mask), so a Chinese organisation name
/// reaches the CA as written; an SM2 key signs the request with SM3 under the SM2 distinguishing ID
/// (GM/T 0009's default unless given), an RSA key with SHA-256.
public struct CertificateRequest: Sendable {
    /// The request as PEM (`-----BEGIN CERTIFICATE REQUEST-----`).
    public let pem: [UInt8]
    /// The subject as written into the request, one readable line.
    public let subjectText: String

    /// Makes and signs a request for `key`.
    ///
    /// - Parameters:
    ///   - subject: `/C=CN/O=国家税务总局某市税务局/CN=…` components; each value taken as UTF-8.
    ///   - distinguishingID: The SM2 ID (SM2 keys only).
    /// - Throws: ``CryptoError/openSSL(operation:reason:)`` for a subject OpenSSL refuses (a country
    ///   code that is not two letters, an unknown component) or a key it cannot sign with.
    public init(key: PrivateKey, subject: String, distinguishingID: String = SignatureAlgorithm.defaultDistinguishingID) throws(CryptoError) {
        OpenSSLErrors.clear()
        let name = try Self.name(subject)
        defer { X509_NAME_free(name) }
        let isSM2 = key.algorithmName == "SM2"
        let request: OpaquePointer? = isSM2
            ? distinguishingID.withCString { COpenSSL_make_request(key.key.pointer, name, EVP_sm3(), $0) }
            : COpenSSL_make_request(key.key.pointer, name, EVP_sha256(), nil)
        guard let request else { throw OpenSSLErrors.error("signing the certificate request") }
        defer { X509_REQ_free(request) }
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509_REQ(bio.pointer, request) == 1 else { throw OpenSSLErrors.error("PEM_write_bio_X509_REQ") }
        pem = bio.contents
        subjectText = Certificate.readable(X509_REQ_get_subject_name(request))
    }

    /// An `X509_NAME` of `/K=V/K=V` components (a `/` inside a value written `\/`).
    static func name(_ subject: String) throws(CryptoError) -> OpaquePointer {
        var components: [String] = []
        var current = ""
        var escaped = false
        for character in subject {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "/" {
                if !current.isEmpty { components.append(current) }
                current = ""
                continue
            }
            current.append(character)
        }
        if !current.isEmpty { components.append(current) }
        guard !components.isEmpty else { throw .openSSL(operation: "certificate subject", reason: "'\(subject)' is not like /C=CN/O=…/CN=…") }
        guard let name = X509_NAME_new() else { throw OpenSSLErrors.error("X509_NAME_new") }
        for component in components {
            let pair = component.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[1].isEmpty,
                X509_NAME_add_entry_by_txt(name, pair[0], MBSTRING_UTF8, pair[1], -1, -1, 0) == 1
            else {
                X509_NAME_free(name)
                throw .openSSL(operation: "certificate subject '\(component)'", reason: OpenSSLErrors.drain())
            }
        }
        return name
    }
}
