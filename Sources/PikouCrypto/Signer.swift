import COpenSSL
import Foundation

/// A signature algorithm: SM2 over SM3 with a distinguishing ID, or RSA-SHA256 (PKCS#1 v1.5).
public enum SignatureAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// SM2 with SM3 (GM/T 0009); `distinguishingID` defaults to `1234567812345678` in bank specs.
    /// OpenSSL 3 would use an empty ID unless told: Pikou always sets it.
    case sm2sm3(distinguishingID: String)
    /// RSA PKCS#1 v1.5 with SHA-256.
    case rsaSHA256

    /// The default SM2 distinguishing ID of GM/T 0009 and the banks' SDKs.
    public static let defaultDistinguishingID = "1234567812345678"

    var keyAlgorithm: String {
        switch self {
        case .sm2sm3: "SM2"
        case .rsaSHA256: "RSA"
        }
    }

    var md: OpaquePointer? {
        switch self {
        case .sm2sm3: EVP_sm3()
        case .rsaSHA256: EVP_sha256()
        }
    }

    public var description: String {
        switch self {
        case .sm2sm3(let id): "sm2-sm3 (ID \(id))"
        case .rsaSHA256: "rsa-sha256"
        }
    }

    /// Why `signature` cannot be a signature of this algorithm at all, before any key is tried:
    /// SM2 signatures are DER (a SEQUENCE of the two INTEGERs r and s); a bank that sends the raw
    /// 64 bytes r‖s is told so, not that the file changed.
    public func encodingProblem(_ signature: [UInt8]) -> String? {
        guard case .sm2sm3 = self else { return nil }
        if Self.isDERPair(signature) { return nil }
        if signature.count == 64 {
            return "the SM2 signature is 64 raw bytes (r‖s), not DER (an ASN.1 SEQUENCE of two INTEGERs) as GM/T 0009 and this spec expect"
        }
        return "the SM2 signature (\(signature.count) bytes) is not DER (an ASN.1 SEQUENCE of two INTEGERs r and s)"
    }

    /// Whether `bytes` are exactly `SEQUENCE { INTEGER, INTEGER }` in DER with short lengths.
    static func isDERPair(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8, bytes[0] == 0x30, Int(bytes[1]) == bytes.count - 2, bytes[1] < 0x80 else { return false }
        var index = 2
        for _ in 0..<2 {
            guard index + 2 <= bytes.count, bytes[index] == 0x02 else { return false }
            let length = Int(bytes[index + 1])
            guard length > 0, length < 0x80, index + 2 + length <= bytes.count else { return false }
            index += 2 + length
        }
        return index == bytes.count
    }

    /// Prepares a digest-sign or digest-verify context: SM2 ID or RSA padding.
    func configure(_ keyContext: OpaquePointer?) throws(CryptoError) {
        guard let keyContext else { throw OpenSSLErrors.error("EVP_DigestSignInit: no key context") }
        switch self {
        case .sm2sm3(let id):
            let bytes = Array(id.utf8)
            guard EVP_PKEY_CTX_set1_id(keyContext, bytes, Int32(bytes.count)) == 1 else {
                throw OpenSSLErrors.error("EVP_PKEY_CTX_set1_id")
            }
        case .rsaSHA256:
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1 else {
                throw OpenSSLErrors.error("EVP_PKEY_CTX_set_rsa_padding")
            }
        }
    }

    func check(_ keyName: String) throws(CryptoError) {
        guard keyName == keyAlgorithm else { throw .keyAlgorithmMismatch(expected: "an \(keyAlgorithm) key for \(self)", found: "an \(keyName) key") }
    }
}

/// Signs a message given in pieces; the signature is DER (SM2 `SEQUENCE{r,s}`) or PKCS#1 v1.5 bytes.
public final class SigningStream {
    private let context: OpaquePointer

    /// Starts signing with `key`.
    ///
    /// - Throws: ``CryptoError/keyAlgorithmMismatch(expected:found:)`` if the key does not fit the algorithm.
    public init(key: PrivateKey, algorithm: SignatureAlgorithm) throws(CryptoError) {
        try algorithm.check(key.algorithmName)
        OpenSSLErrors.clear()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrors.error("EVP_MD_CTX_new") }
        self.context = context
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, algorithm.md, nil, key.key.pointer) == 1 else {
            throw OpenSSLErrors.error("EVP_DigestSignInit")
        }
        try algorithm.configure(keyContext)
    }

    deinit { EVP_MD_CTX_free(context) }

    private var failure: CryptoError?

    /// Adds bytes to the signed message; a failure is reported by ``finish()``.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, failure == nil else { return }
        if EVP_DigestSignUpdate(context, bytes.baseAddress, bytes.count) != 1 { failure = OpenSSLErrors.error("EVP_DigestSignUpdate") }
    }

    /// The signature over everything given to ``update(_:)``.
    public func finish() throws(CryptoError) -> [UInt8] {
        if let failure { throw failure }
        var length = 0
        guard EVP_DigestSignFinal(context, nil, &length) == 1 else { throw OpenSSLErrors.error("EVP_DigestSignFinal") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSignFinal(context, &signature, &length) == 1 else { throw OpenSSLErrors.error("EVP_DigestSignFinal") }
        return Array(signature.prefix(length))
    }
}

/// Verifies a signature over a message given in pieces.
public final class VerifyingStream {
    private let context: OpaquePointer

    public init(key: PublicKey, algorithm: SignatureAlgorithm) throws(CryptoError) {
        try algorithm.check(key.algorithmName)
        OpenSSLErrors.clear()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrors.error("EVP_MD_CTX_new") }
        self.context = context
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, algorithm.md, nil, key.key.pointer) == 1 else {
            throw OpenSSLErrors.error("EVP_DigestVerifyInit")
        }
        try algorithm.configure(keyContext)
    }

    deinit { EVP_MD_CTX_free(context) }

    private var failure: CryptoError?

    /// Adds bytes to the verified message; a failure is reported by ``finish(signature:)``.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, failure == nil else { return }
        if EVP_DigestVerifyUpdate(context, bytes.baseAddress, bytes.count) != 1 { failure = OpenSSLErrors.error("EVP_DigestVerifyUpdate") }
    }

    /// Whether `signature` is valid for the bytes given so far.
    ///
    /// - Throws: only if OpenSSL failed while hashing; a wrong signature returns `false`.
    public func finish(signature: [UInt8]) throws(CryptoError) -> Bool {
        if let failure { throw failure }
        let result = EVP_DigestVerifyFinal(context, signature, signature.count)
        OpenSSLErrors.clear()  // a bad signature leaves a decoding error on the queue
        return result == 1
    }
}

/// One-shot signing and verification, in memory or over a file's first bytes.
public struct Signer: Sendable {
    public let key: PrivateKey
    public let algorithm: SignatureAlgorithm

    public init(key: PrivateKey, algorithm: SignatureAlgorithm) throws(CryptoError) {
        try algorithm.check(key.algorithmName)
        self.key = key
        self.algorithm = algorithm
    }

    public func sign(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        let stream = try SigningStream(key: key, algorithm: algorithm)
        bytes.withUnsafeBytes { stream.update($0) }
        return try stream.finish()
    }

    /// Signs the first `length` bytes of a file (all of it when `nil`), read in chunks.
    public func sign(fileAt path: String, length: Int? = nil) throws(CryptoError) -> [UInt8] {
        let stream = try SigningStream(key: key, algorithm: algorithm)
        try FileChunks.read(path, limit: length) { stream.update($0) }
        return try stream.finish()
    }
}

/// Verifies signatures with a public key (from a certificate).
public struct Verifier: Sendable {
    public let key: PublicKey
    public let algorithm: SignatureAlgorithm

    public init(key: PublicKey, algorithm: SignatureAlgorithm) throws(CryptoError) {
        try algorithm.check(key.algorithmName)
        self.key = key
        self.algorithm = algorithm
    }

    public func verify(_ signature: [UInt8], over bytes: [UInt8]) throws(CryptoError) -> Bool {
        let stream = try VerifyingStream(key: key, algorithm: algorithm)
        bytes.withUnsafeBytes { stream.update($0) }
        return try stream.finish(signature: signature)
    }

    /// Verifies over the first `length` bytes of a file (all when `nil`), read in chunks.
    public func verify(_ signature: [UInt8], fileAt path: String, length: Int? = nil) throws(CryptoError) -> Bool {
        let stream = try VerifyingStream(key: key, algorithm: algorithm)
        try FileChunks.read(path, limit: length) { stream.update($0) }
        return try stream.finish(signature: signature)
    }
}

/// Base64 for signatures in text.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    public static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)).map { [UInt8]($0) }
    }
}
