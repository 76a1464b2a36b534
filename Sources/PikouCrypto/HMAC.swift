import COpenSSL

/// A keyed digest (HMAC, RFC 2104) over bytes, in one call.
public enum HMAC {
    public enum Algorithm: String, Sendable, Hashable {
        /// HMAC-SHA1: only where a partner's protocol asks for it (阿里云短信's request signature).
        case sha1
        case sha256

        var md: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            }
        }
    }

    /// The HMAC of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: [UInt8], algorithm: Algorithm) throws(CryptoError) -> [UInt8] {
        OpenSSLErrors.clear()
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
            var length: UInt32 = 0
            let done = key.withUnsafeBytes { keyBytes in
                message.withUnsafeBytes { messageBytes in
                    COpenSSL.HMAC(algorithm.md, keyBytes.baseAddress, Int32(keyBytes.count),
                                  messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count, buffer.baseAddress, &length)
                }
            }
            failed = done == nil
            count = failed ? 0 : Int(length)
        }
        if failed { throw OpenSSLErrors.error("HMAC(\(algorithm.rawValue))") }
        return output
    }
}
