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
    private let algorithm: DigestAlgorithm

    /// Starts a digest.
    ///
    /// - Throws: ``CryptoError/openSSL(operation:reason:)`` if OpenSSL lacks the algorithm.
    public init(_ algorithm: DigestAlgorithm) throws(CryptoError) {
        OpenSSLErrors.clear()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrors.error("EVP_MD_CTX_new") }
        self.context = context
        self.algorithm = algorithm
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
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
            var length: UInt32 = 0
            failed = EVP_DigestFinal_ex(context, buffer.baseAddress, &length) != 1
            count = failed ? 0 : Int(length)
        }
        if failed { throw OpenSSLErrors.error("EVP_DigestFinal_ex") }
        return output
    }

    /// Starts the digest again, on the same context: for many small digests in a row (a table's
    /// rows hashed one by one), without a context made and freed for each.
    public func restart() throws(CryptoError) {
        guard EVP_DigestInit_ex(context, algorithm.md, nil) == 1 else { throw OpenSSLErrors.error("EVP_DigestInit_ex(\(algorithm.rawValue))") }
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

    /// The bytes lower- or upper-case `hex` spells (nil: an odd length or a character that is not a hex digit).
    public static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
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
