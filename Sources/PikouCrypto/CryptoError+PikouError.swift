public import PikouCore
import Foundation

extension CryptoError: PikouErrorConvertible {
    public var pikouError: PikouError {
        let code: PikouError.Code = switch self {
        case .unreadableFile, .unreadableKey, .unreadableCertificate: "keys.unreadable"
        case .wrongPassphrase, .missingPassphrase: "keys.passphrase"
        case .keyAlgorithmMismatch: "keys.algorithm"
        case .missingCertificate: "keys.certificate"
        case .certificateExpired, .certificateNotYetValid: "keys.validity"
        case .invalidBase64, .badSignature: "file.signature"
        case .openSSL: "keys.openssl"
        }
        return PikouError(code, message)
    }
}

extension CryptoError {
    /// What went wrong, in both languages: the English is ``description``; OpenSSL's and the system's
    /// own reason texts are kept as they are in both.
    public var message: Message {
        let zh: String = switch self {
        case .unreadableFile(let path, let reason): "无法读取 \(path)：\(Self.chinese(reason: reason))"
        case .unreadableKey(let path, let reason): "无法读取私钥 \(path)：\(Self.chinese(reason: reason))"
        case .wrongPassphrase(let path): "私钥 \(path) 的口令不对（或密钥文件已损坏）"
        case .missingPassphrase(let what): "没有口令：\(Self.chinese(missing: what))"
        case .unreadableCertificate(let path, let reason): "无法读取证书 \(path)：\(Self.chinese(reason: reason))"
        case .keyAlgorithmMismatch(let expected, let found):
            "这是\(Self.chinese(key: found))，但该签名方式需要\(Self.chinese(key: expected))"
        case .certificateExpired(let subject, let notAfter):
            "证书 \(subject) 已于 \(notAfter) 过期（如仍要接受，请加 --allow-expired）"
        case .certificateNotYetValid(let subject, let notBefore): "证书 \(subject) 要到 \(notBefore) 才生效"
        case .invalidBase64(let what): "\(what) 不是有效的 Base64 编码"
        case .missingCertificate(let bank): "\(bank) 的签名是 CMS .p7s，须附签名者证书：在 pikou.yaml 中为签名密钥设置证书（keys.名称.certificate）"
        case .badSignature(let what): "签名无效：\(Self.chinese(signature: what))"
        case .openSSL(let operation, let reason): "OpenSSL 出错（\(Self.chinese(operation: operation))）：\(Self.chinese(reason: reason))"
        }
        return Message(zh: zh, en: description)
    }

    /// A reason in Chinese when it is one of Pikou's own words or the system's usual ones; OpenSSL's as they are.
    static func chinese(reason: String) -> String {
        switch reason {
        case "no such file or not readable": return "文件不存在或不可读"
        case "cannot read the file": return "无法读取该文件"
        case "unknown error": return "未知错误"
        // The system's words (strerror) for the usual causes.
        case "No such file or directory": return "文件不存在"
        case "Permission denied", "Operation not permitted": return "没有读取它的权限"
        case "Is a directory": return "这是一个文件夹，不是文件"
        case "Input/output error": return "读取时出现硬件或文件系统错误"
        case "the signature is not a DER pair of 32-byte numbers": return "签名不是由两个 32 字节整数（r、s）组成的编码"
        default: break
        }
        // A certificate subject not written as one: "'…' is not like /C=CN/O=…/CN=…".
        if reason.hasPrefix("'"), let cut = reason.range(of: "' is not like ", options: .backwards) {
            let form = reason[cut.upperBound...].replacingOccurrences(of: "/CN=name", with: "/CN=名称")
            return "\(reason[...cut.lowerBound]) 不是 \(form) 的形式"
        }
        return reason
    }

    /// ``missingPassphrase(_:)``'s words in Chinese: "the private key PATH is encrypted".
    static func chinese(missing what: String) -> String {
        let prefix = "the private key ", suffix = " is encrypted"
        guard what.hasPrefix(prefix), what.hasSuffix(suffix), what.count > prefix.count + suffix.count else { return what }
        return "私钥 \(what.dropFirst(prefix.count).dropLast(suffix.count)) 已加密"
    }

    /// A key as ``keyAlgorithmMismatch(expected:found:)`` names it: "an SM2 key", "an SM2 key for sm2-sm3 (ID …)".
    static func chinese(key: String) -> String {
        let named = key.dropFirst("an ".count)
        guard key.hasPrefix("an "), let end = named.range(of: " key") else { return " \(key)" }
        let algorithm = named[..<end.lowerBound]
        let rest = named[end.upperBound...]
        if rest.isEmpty { return " \(algorithm) 密钥" }
        guard rest.hasPrefix(" for ") else { return " \(key)" }
        return "用于 '\(rest.dropFirst(" for ".count))' 的 \(algorithm) 密钥"
    }

    /// ``badSignature(_:)``'s words in Chinese where they are Pikou's own (a file name, libxml's words kept).
    static func chinese(signature what: String) -> String {
        let notXML = "the file to sign is not well-formed XML: ", canonical = "canonicalization failed: "
        if what.hasPrefix(notXML) { return "待签名的文件不是格式正确的 XML：\(what.dropFirst(notXML.count))" }
        if what == "the file to sign has no document element" { return "待签名的文件没有根元素" }
        if what.hasPrefix(canonical) { return "XML 规范化失败：\(what.dropFirst(canonical.count))" }
        return what
    }

    /// An OpenSSL operation in Chinese: Pikou's words translated, OpenSSL's function names quoted.
    static func chinese(operation: String) -> String {
        switch operation {
        case "certificate subject": return "证书主体"
        case "building the certificate": return "生成证书"
        case "signing the certificate request": return "签名证书请求"
        case "SM2 signature to raw r‖s": return "将 SM2 签名转为 r‖s"
        case "EVP_DigestSignInit: no key context": return "'EVP_DigestSignInit'：没有密钥上下文"
        default: break
        }
        if operation.hasPrefix("certificate subject ") { return "证书主体 \(operation.dropFirst("certificate subject ".count))" }
        if operation.hasPrefix("generate "), operation.hasSuffix(" key") {
            return "生成 \(operation.dropFirst("generate ".count).dropLast(" key".count)) 密钥"
        }
        return "'\(operation)'"
    }
}
