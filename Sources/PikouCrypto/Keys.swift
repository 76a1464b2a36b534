import COpenSSL
import Foundation

/// The key algorithms Pikou signs with.
public enum KeyAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SM2 (GM/T 0003), the national elliptic-curve algorithm.
    case sm2
    /// RSA, 2048 bits when generated.
    case rsa
}

/// A private signing key. Never printed, never logged: its description names only its algorithm.
public struct PrivateKey: Sendable, CustomStringConvertible {
    let key: EVPKey
    /// The certificate of this key, where the workspace config names one: a CMS signature (`.p7s`)
    /// carries it to name its signer.
    public var certificate: Certificate?

    /// The key's algorithm (`SM2`, `RSA`).
    public var algorithmName: String { key.algorithmName }
    public var description: String { "\(algorithmName) private key" }

    init(key: EVPKey) { self.key = key }

    /// Generates a new key.
    public static func generate(_ algorithm: KeyAlgorithm) throws(CryptoError) -> PrivateKey {
        OpenSSLErrors.clear()
        let pointer: OpaquePointer? = switch algorithm {
        case .sm2: COpenSSL_generate_sm2()
        case .rsa: COpenSSL_generate_rsa(2048)
        }
        guard let pointer else { throw OpenSSLErrors.error("generate \(algorithm.rawValue) key") }
        return PrivateKey(key: EVPKey(taking: pointer))
    }

    /// Reads a PEM private key (PKCS#8, encrypted or not; or a traditional PEM key).
    ///
    /// - Parameters:
    ///   - pem: The file's bytes.
    ///   - passphrase: The passphrase of an encrypted key.
    ///   - path: The file's path, for messages.
    /// - Throws: ``CryptoError/wrongPassphrase(path:)`` or ``CryptoError/unreadableKey(path:reason:)``.
    public init(pem: [UInt8], passphrase: String?, path: String) throws(CryptoError) {
        OpenSSLErrors.clear()
        let bio = try MemoryBIO(copying: pem)
        // An empty passphrase stops OpenSSL from prompting on the terminal for an encrypted key.
        let secret = passphrase ?? ""
        let pointer = secret.withCString { pass in
            PEM_read_bio_PrivateKey(bio.pointer, nil, nil, UnsafeMutableRawPointer(mutating: pass))
        }
        guard let pointer else {
            let reason = OpenSSLErrors.drain()
            // A wrong passphrase usually fails the padding check ("bad decrypt"), but about once in
            // 256 tries the garbage it decrypts has valid padding and fails as DER instead: for an
            // encrypted key, any decode failure means the passphrase (or a damaged file). No
            // passphrase is the empty one here, so the same holds for it.
            let encrypted = String(decoding: pem, as: UTF8.self).contains("ENCRYPTED")  // PEM is ASCII
            if reason.contains("bad decrypt") || reason.contains("bad password") || encrypted {
                if passphrase == nil { throw .missingPassphrase("the private key \(path) is encrypted") }
                throw .wrongPassphrase(path: path)
            }
            throw .unreadableKey(path: path, reason: reason)
        }
        key = EVPKey(taking: pointer)
    }

    /// Reads a PEM private key file.
    public init(path: String, passphrase: String?) throws(CryptoError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableKey(path: path, reason: "no such file or not readable")
        }
        try self.init(pem: [UInt8](data), passphrase: passphrase, path: path)
    }

    /// The key as PKCS#8 PEM encrypted with AES-256-CBC under `passphrase`.
    public func encryptedPEM(passphrase: String) throws(CryptoError) -> [UInt8] {
        OpenSSLErrors.clear()
        let bio = try MemoryBIO()
        let ok = passphrase.withCString { pass in
            PEM_write_bio_PKCS8PrivateKey(bio.pointer, key.pointer, EVP_aes_256_cbc(), pass, Int32(strlen(pass)), nil, nil)
        }
        guard ok == 1 else { throw OpenSSLErrors.error("PEM_write_bio_PKCS8PrivateKey") }
        return bio.contents
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        EVP_PKEY_up_ref(key.pointer)
        return PublicKey(key: EVPKey(taking: key.pointer))
    }
}

/// A public key: verifies signatures.
public struct PublicKey: Sendable, CustomStringConvertible {
    let key: EVPKey

    public var algorithmName: String { key.algorithmName }
    public var description: String { "\(algorithmName) public key (\(key.bits) bits)" }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    public init(pem: [UInt8], path: String) throws(CryptoError) {
        OpenSSLErrors.clear()
        let bio = try MemoryBIO(copying: pem)
        guard let pointer = PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil) else {
            throw .unreadableKey(path: path, reason: OpenSSLErrors.drain())
        }
        key = EVPKey(taking: pointer)
    }

    init(key: EVPKey) { self.key = key }

    /// The key as PEM.
    public func pem() throws(CryptoError) -> [UInt8] {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PUBKEY(bio.pointer, key.pointer) == 1 else { throw OpenSSLErrors.error("PEM_write_bio_PUBKEY") }
        return bio.contents
    }

    /// Whether both are the same key.
    public func matches(_ other: PublicKey) -> Bool { EVP_PKEY_eq(key.pointer, other.key.pointer) == 1 }
}
