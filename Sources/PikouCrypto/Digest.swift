import COpenSSL
import Foundation

/// A message digest algorithm.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SM3 (GB/T 32905), 256 bits.
    case sm3
    /// SHA-256.
    case sha256

    var md: OpaquePointer? {
        switch self {
        case .sm3: EVP_sm3()
        case .sha256: EVP_sha256()
        }
    }
}

/// A digest computed in pieces: feed bytes with ``update(_:)``, then call ``finish()`` once.
public final class StreamingDigest {
    private let context: OpaquePointer

    /// Starts a digest.
    ///
    /// - Throws: ``CryptoError/openSSL(operation:reason:)`` if OpenSSL lacks the algorithm.
    public init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        OpenSSLErrors.clear()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrors.error("EVP_MD_CTX_new") }
        self.context = context
        guard EVP_DigestInit_ex(context, algorithm.md, nil) == 1 else {
            throw OpenSSLErrors.error("EVP_DigestInit_ex(\(algorithm.rawValue))")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    /// Adds bytes to the digest.
    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The digest.
    public func finish() throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1 else { throw OpenSSLErrors.error("EVP_DigestFinal_ex") }
        return Array(output.prefix(Int(length)))
    }
}

/// One-shot digests.
public enum Digest {
    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8], _ algorithm: DigestAlgorithm) throws(CryptoError) -> [UInt8] {
        let digest = try StreamingDigest(algorithm)
        digest.update(bytes)
        return try digest.finish()
    }

    /// The digest of a file, read in 1 MiB chunks (never loaded whole).
    public static func hash(fileAt path: String, _ algorithm: DigestAlgorithm) throws(CryptoError) -> [UInt8] {
        let digest = try StreamingDigest(algorithm)
        try FileChunks.read(path) { digest.update($0) }
        return try digest.finish()
    }

    /// Lower-case hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads a file in fixed-size chunks.
enum FileChunks {
    static let size = 1 << 20

    /// Calls `body` with consecutive chunks of the file's first `limit` bytes (all, when `nil`).
    static func read(_ path: String, limit: Int? = nil, _ body: (UnsafeRawBufferPointer) -> Void) throws(CryptoError) {
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: size)
        var remaining = limit ?? Int.max
        while remaining > 0 {
            let wanted = min(size, remaining)
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, wanted, file) }
            if count > 0 {
                buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                remaining -= count
            }
            if count < wanted {
                if ferror(file) != 0 { throw .unreadableFile(path: path, reason: String(cString: strerror(errno))) }
                break
            }
        }
    }
}
