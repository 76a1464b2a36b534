import COpenSSL

/// OpenSSL's thread-local error queue.
enum OpenSSLErrors {
    /// Drains the error queue into one reason text (OpenSSL's words, e.g. "bad decrypt").
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return reasons.isEmpty ? "unknown error" : reasons.joined(separator: "; ")
    }

    /// Clears stale errors before an operation, so a later drain reports only its own.
    static func clear() { ERR_clear_error() }

    /// A ``CryptoError/openSSL(operation:reason:)`` with the drained reason.
    static func error(_ operation: String) -> CryptoError {
        .openSSL(operation: operation, reason: drain())
    }
}

/// Owns one memory BIO.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() throws(CryptoError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrors.error("BIO_new") }
        pointer = bio
    }

    /// A BIO reading a copy of `bytes`.
    init(copying bytes: [UInt8]) throws(CryptoError) {
        // BIO_new_mem_buf does not copy: write into a fresh memory BIO instead.
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrors.error("BIO_new") }
        pointer = bio
        let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
        guard written == bytes.count || bytes.isEmpty else { throw OpenSSLErrors.error("BIO_write") }
    }

    /// Everything written so far.
    var contents: [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_BIO_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    deinit { BIO_free(pointer) }
}
