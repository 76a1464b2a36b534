import COpenSSL

/// Owns one read-only `EVP_PKEY`; each sign or verify call makes its own `EVP_MD_CTX` (openssl-threads(7)).
final class EVPKey: @unchecked Sendable {  // read-only after init, which is why the conformance is sound
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// `SM2`, `RSA`, or OpenSSL's name for another key type.
    var algorithmName: String {
        if EVP_PKEY_is_a(pointer, "SM2") == 1 { return "SM2" }
        if EVP_PKEY_is_a(pointer, "RSA") == 1 { return "RSA" }
        if let name = EVP_PKEY_get0_type_name(pointer) { return String(cString: name) }
        return "unknown"
    }

    /// Key size in bits.
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }
}
