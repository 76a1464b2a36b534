import COpenSSL

/// Detached CMS (PKCS#7) signatures, the `.p7s` many banks send beside a file: a DER SignedData
/// whose content is the file itself, signed by one certificate's key.
///
/// Written without signed attributes, so the same file and key always give the same bytes; read
/// with the trusted certificate as the only possible signer (certificates inside the CMS are not
/// trusted for that, and no chain is built: the workspace trusts the bank's certificate itself).
public enum CMSSignature {
    /// The `.p7s` bytes of `data` signed by `key`, whose certificate names the signer.
    public static func sign(_ data: [UInt8], key: PrivateKey, certificate: Certificate) throws(CryptoError) -> [UInt8] {
        OpenSSLErrors.clear()
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let ok = data.withUnsafeBufferPointer { buffer in
            COpenSSL_cms_sign_detached(certificate.box.pointer, key.key.pointer, buffer.baseAddress, buffer.count, &out, &length)
        }
        guard ok == 1, let out else { throw OpenSSLErrors.error("CMS signing (\(key.algorithmName))") }
        defer { COpenSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// Whether `p7s` is a detached CMS signature over `data` by `certificate`.
    ///
    /// - Throws: ``CryptoError/badSignature(_:)`` when `p7s` is not a CMS structure at all.
    public static func verify(_ p7s: [UInt8], over data: [UInt8], certificate: Certificate) throws(CryptoError) -> Bool {
        OpenSSLErrors.clear()
        let result = p7s.withUnsafeBufferPointer { signature in
            data.withUnsafeBufferPointer { content in
                COpenSSL_cms_verify_detached(certificate.box.pointer, signature.baseAddress, signature.count, content.baseAddress, content.count)
            }
        }
        OpenSSLErrors.clear()
        if result < 0 { throw CryptoError.badSignature("not a DER CMS (PKCS#7) SignedData") }
        return result == 1
    }
}
