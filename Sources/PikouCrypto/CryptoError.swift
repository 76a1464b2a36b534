/// An error thrown by PikouCrypto; descriptions carry OpenSSL's reason text, never key material.
/// ``description`` is the English; `message` (CryptoError+PikouError.swift) says it in both languages.
public enum CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case unreadableKey(path: String, reason: String)
    case wrongPassphrase(path: String)
    case missingPassphrase(String)
    case unreadableCertificate(path: String, reason: String)
    case keyAlgorithmMismatch(expected: String, found: String)
    case certificateExpired(subject: String, notAfter: String)
    case certificateNotYetValid(subject: String, notBefore: String)
    case invalidBase64(String)
    case badSignature(String)
    /// A CMS signature (it names its signer by certificate) for a bank, with no certificate for the key.
    case missingCertificate(bank: String)
    case openSSL(operation: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .unreadableKey(let path, let reason): "cannot read the private key \(path): \(reason)"
        case .wrongPassphrase(let path): "wrong passphrase for the private key \(path) (or the key file is damaged)"
        case .missingPassphrase(let what): "no passphrase: \(what)"
        case .unreadableCertificate(let path, let reason): "cannot read the certificate \(path): \(reason)"
        case .keyAlgorithmMismatch(let expected, let found): "the key is \(found), but the scheme needs \(expected)"
        case .certificateExpired(let subject, let notAfter):
            "the certificate \(subject) expired on \(notAfter) (use --allow-expired to accept it anyway)"
        case .certificateNotYetValid(let subject, let notBefore): "the certificate \(subject) is not valid before \(notBefore)"
        case .invalidBase64(let what): "\(what) is not valid base64"
        case .badSignature(let what): "bad signature: \(what)"
        case .missingCertificate(let bank):
            "\(bank)'s signature is a CMS .p7s, which carries the signer's certificate: give the signing key its certificate in pikou.yaml (keys.NAME.certificate)"
        case .openSSL(let operation, let reason): "OpenSSL \(operation) failed: \(reason)"
        }
    }
}
