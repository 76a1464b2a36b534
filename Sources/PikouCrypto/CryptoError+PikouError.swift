public import PikouCore

extension CryptoError: PikouErrorConvertible {
    public var pikouError: PikouError {
        let code: PikouError.Code = switch self {
        case .unreadableFile, .unreadableKey, .unreadableCertificate: "keys.unreadable"
        case .wrongPassphrase, .missingPassphrase: "keys.passphrase"
        case .keyAlgorithmMismatch: "keys.algorithm"
        case .certificateExpired, .certificateNotYetValid: "keys.validity"
        case .invalidBase64, .badSignature: "file.signature"
        case .openSSL: "keys.openssl"
        }
        return PikouError(code, description)
    }
}
