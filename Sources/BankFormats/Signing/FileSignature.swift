public import PikouCore
public import PikouCrypto
import Foundation

/// Signing a bank file on write and checking its signature on read, as its spec says.
///
/// - `detached`: the signature is in `<file>.sig`: base64 of the DER (SM2) or PKCS#1 v1.5 (RSA)
///   signature and one line feed; it covers every byte of the file. With `container: cms` it is a
///   DER CMS SignedData in `<file>.p7s` instead.
/// - `trailer`: the signature is the file's last line: the spec's `trailer_prefix`, the base64
///   signature, the spec's line ending. It covers every byte **before** that line: from the first
///   byte of the file (a byte order mark included) through the line ending of the last record.
public enum FileSignature {
    /// The algorithm a spec's scheme names, or `nil` for `none`.
    public static func algorithm(_ spec: SignatureSpec) -> SignatureAlgorithm? {
        switch spec.scheme {
        case .none: nil
        case .sm2sm3: .sm2sm3(distinguishingID: spec.distinguishingID)
        case .rsaSHA256: .rsaSHA256
        }
    }

    /// A signed file: the bytes to write and, for a detached signature, the `.sig` file's bytes.
    public struct Signed: Sendable {
        public var file: [UInt8]
        public var detached: [UInt8]?

        public init(file: [UInt8], detached: [UInt8]?) {
            self.file = file
            self.detached = detached
        }
    }

    /// Signs `bytes` (a file as the writer produced it) with `key`.
    ///
    /// - Throws: ``CryptoError`` if the key does not suit the scheme or OpenSSL fails.
    ///   - certificate: The key's certificate where the key carries none (a CMS `.p7s` names its signer by it).
    public static func sign(_ bytes: [UInt8], spec: BankSpec, key: PrivateKey, certificate: Certificate? = nil) throws(CryptoError) -> Signed {
        guard let algorithm = algorithm(spec.signature) else { return Signed(file: bytes, detached: nil) }
        if spec.signature.placement.isXML {
            return Signed(file: try XMLSignature.sign(bytes, spec: spec, algorithm: algorithm, key: key), detached: nil)
        }
        if spec.signature.placement == .detached, spec.signature.container == .cms {
            return Signed(file: bytes, detached: try cms(bytes, spec: spec, key: key, certificate: certificate))
        }
        let signature = Base64.encode(try encoded(try Signer(key: key, algorithm: algorithm).sign(bytes), spec.signature))
        switch spec.signature.placement {
        case .detached:
            return Signed(file: bytes, detached: Array((signature + "\n").utf8))
        case .trailer:
            var file = bytes
            file.append(contentsOf: Array(spec.signature.trailerPrefix.utf8))
            file.append(contentsOf: Array(signature.utf8))
            file.append(contentsOf: spec.lineEnding.bytes)
            return Signed(file: file, detached: nil)
        case .xmlEnveloped, .xmlEnvelope:
            preconditionFailure("signed above")
        }
    }

    /// A detached CMS signature of `bytes` (the `.p7s`), after checking the key suits the scheme.
    static func cms(_ bytes: [UInt8], spec: BankSpec, key: PrivateKey, certificate: Certificate?) throws(CryptoError) -> [UInt8] {
        guard key.algorithmName == spec.signature.scheme.keyAlgorithm else {
            throw CryptoError.keyAlgorithmMismatch(expected: spec.signature.scheme.keyAlgorithm, found: key.algorithmName)
        }
        guard let signer = key.certificate ?? certificate else {
            throw CryptoError.missingCertificate(bank: spec.code)
        }
        return try CMSSignature.sign(bytes, key: key, certificate: signer)
    }

    /// Verifies a detached CMS `.p7s`.
    static func verifyCMS(_ file: [UInt8], detached: [UInt8]?, spec: BankSpec, certificate: Certificate, fileName: String) throws(CryptoError) -> Result<[UInt8], DiagnosticError> {
        guard let detached, !detached.isEmpty else {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureMissing, file: fileName,
                Message(zh: "\(spec.code) 的文件须签名（\(spec.signature.scheme.rawValue)，CMS 签名另存为 .p7s 文件），但缺少 \(fileName).p7s",
                        en: "\(spec.code) files are signed (\(spec.signature.scheme.rawValue), a detached CMS .p7s) but \(fileName).p7s is missing"))))
        }
        let valid: Bool
        do {
            valid = try CMSSignature.verify(detached, over: file, certificate: certificate)
        } catch {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureMalformed, file: fileName + ".p7s",
                Message(zh: "签名文件不是 DER 编码的 CMS（PKCS#7）签名", en: "the signature file is not a DER CMS (PKCS#7) SignedData"))))
        }
        guard valid else {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureInvalid, file: fileName, Self.mismatch(spec, subject: certificate.subject))))
        }
        return .success(file)
    }

    /// Where a file's payload ends and what its signature is, found without verifying.
    public struct Located: Sendable {
        /// The signed bytes are `file[0..<payloadLength]`; the records to parse are the same bytes.
        public var payloadLength: Int
        /// The decoded signature.
        public var signature: [UInt8]
    }

    /// Finds the signature of a file: in `detached` (the `.sig` file's bytes) or in its last line.
    ///
    /// - Returns: the payload length and signature, or a diagnostic saying what is missing or malformed.
    public static func locate(_ file: [UInt8], detached: [UInt8]?, spec: BankSpec, fileName: String) -> Result<Located, DiagnosticError> {
        switch spec.signature.placement {
        case .detached:
            guard let detached else {
                return .failure(DiagnosticError(Diagnostic(.error, .signatureMissing, file: fileName,
                    Message(zh: "\(spec.code) 的文件须签名（\(spec.signature.scheme.rawValue)，签名另存为 .sig 文件），但缺少 \(fileName).sig",
                            en: "\(spec.code) files are signed (\(spec.signature.scheme.rawValue), detached) but \(fileName).sig is missing"))))
            }
            guard let signature = Base64.decode(String(decoding: detached, as: UTF8.self)), !signature.isEmpty else {
                return .failure(DiagnosticError(Diagnostic(.error, .signatureMalformed, file: fileName + ".sig", line: 1,
                    Message(zh: "签名文件不是 base64 编码", en: "the signature file is not base64"))))
            }
            return .success(Located(payloadLength: file.count, signature: signature))
        case .trailer:
            let (start, line, lineNumber) = lastLine(file)
            let prefix = Array(spec.signature.trailerPrefix.utf8)
            guard line.count >= prefix.count, Array(line.prefix(prefix.count)) == prefix else {
                if let last = file.last, last != 10 {
                    return .failure(DiagnosticError(Diagnostic(.error, .truncatedLine, file: fileName, line: lineNumber,
                        Message(zh: "文件在第 \(lineNumber) 行中间结束，缺少签名行：文件似乎不完整",
                                en: "the file stops in the middle of line \(lineNumber) and its signature line is missing: it looks truncated"))))
                }
                return .failure(DiagnosticError(Diagnostic(.error, .signatureMissing, file: fileName, line: lineNumber,
                    Message(zh: "\(spec.code) 的文件以 '\(spec.signature.trailerPrefix)' 开头的签名行结尾，但最后一行不是",
                            en: "\(spec.code) files end with a signature line starting '\(spec.signature.trailerPrefix)', but the last line does not"))))
            }
            let text = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            guard let signature = Base64.decode(text), !signature.isEmpty else {
                return .failure(DiagnosticError(Diagnostic(.error, .signatureMalformed, file: fileName, line: lineNumber,
                    Message(zh: "签名行在 '\(spec.signature.trailerPrefix)' 之后不是 base64 编码",
                            en: "the signature line does not hold base64 after '\(spec.signature.trailerPrefix)'"))))
            }
            return .success(Located(payloadLength: start, signature: signature))
        case .xmlEnveloped, .xmlEnvelope:
            // The signature covers the canonical document, not a byte range: the payload is the file.
            return XMLSignature.locate(file, spec: spec, fileName: fileName).map { Located(payloadLength: file.count, signature: $0.signatureValue) }
        }
    }

    /// The start offset, bytes (without line ending) and 1-based number of the last line.
    static func lastLine(_ file: [UInt8]) -> (start: Int, line: ArraySlice<UInt8>, number: Int) {
        var end = file.count
        if end > 0 && file[end - 1] == 10 { end -= 1 }
        if end > 0 && file[end - 1] == 13 { end -= 1 }
        var start = end
        while start > 0 && file[start - 1] != 10 { start -= 1 }
        let number = file[..<start].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        return (start, file[start..<end], number)
    }

    /// The records of a file whose signature is not checked (`--skip-verify`): a trailer signature
    /// line is cut off, a detached signature needs nothing.
    public static func unverifiedPayload(_ file: [UInt8], spec: BankSpec) -> [UInt8] {
        if spec.signature.isSigned, spec.signature.placement.isXML {
            return XMLSignature.unverifiedPayload(file, spec: spec) ?? file
        }
        guard spec.signature.isSigned, spec.signature.placement == .trailer else { return file }
        let (start, line, _) = lastLine(file)
        return line.starts(with: Array(spec.signature.trailerPrefix.utf8)) ? Array(file[..<start]) : file
    }

    /// Verifies a file against `certificate` and returns its payload, or the diagnostic that rejects it.
    ///
    /// - Throws: ``CryptoError`` for a certificate that does not suit the scheme (a tool failure).
    public static func verify(
        _ file: [UInt8], detached: [UInt8]?, spec: BankSpec, certificate: Certificate, fileName: String
    ) throws(CryptoError) -> Result<[UInt8], DiagnosticError> {
        guard let algorithm = algorithm(spec.signature) else { return .success(file) }
        if spec.signature.placement.isXML {
            return try XMLSignature.verify(file, spec: spec, algorithm: algorithm, certificate: certificate, fileName: fileName)
        }
        if spec.signature.placement == .detached, spec.signature.container == .cms {
            return try verifyCMS(file, detached: detached, spec: spec, certificate: certificate, fileName: fileName)
        }
        let located: Located
        switch locate(file, detached: detached, spec: spec, fileName: fileName) {
        case .success(let found): located = found
        case .failure(let error): return .failure(error)
        }
        let payload = Array(file[..<located.payloadLength])
        let signature: [UInt8]
        switch decoded(located.signature, spec.signature, algorithm) {
        case .success(let der): signature = der
        case .failure(let problem): return .failure(DiagnosticError(Diagnostic(.error, .signatureMalformed, file: fileName, problem.text)))
        }
        let verifier = try Verifier(key: certificate.publicKey, algorithm: algorithm)
        guard try verifier.verify(signature, over: payload) else {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureInvalid, file: fileName,
                Self.mismatch(spec, subject: certificate.subject))))
        }
        return .success(payload)
    }
}

extension FileSignature {
    /// The last bytes of a file (at most `limit`), with their offset: enough to find a trailer line.
    static func tail(of path: String, limit: Int = 65_536) -> (offset: Int, bytes: [UInt8])? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let offset = Int(size) > limit ? Int(size) - limit : 0
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.readToEnd() else { return nil }
        return (offset, [UInt8](data))
    }

    /// Finds the signature of a file on disk without reading it whole (the trailer line from its tail).
    public static func locate(fileAt path: String, detached: [UInt8]?, spec: BankSpec) -> Result<Located, DiagnosticError> {
        guard let (offset, tail) = tail(of: path) else {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureMissing, file: path, Message(zh: "无法读取该文件", en: "cannot read the file"))))
        }
        if spec.signature.placement == .detached {
            return locate(tail, detached: detached, spec: spec, fileName: path).map {
                Located(payloadLength: offset + $0.payloadLength, signature: $0.signature)
            }
        }
        // Line numbers in a tail are relative: count the lines before it only on failure.
        switch locate(tail, detached: detached, spec: spec, fileName: path) {
        case .success(let found):
            return .success(Located(payloadLength: offset + found.payloadLength, signature: found.signature))
        case .failure(let error):
            guard offset > 0, let data = FileManager.default.contents(atPath: path) else { return .failure(error) }
            return locate([UInt8](data), detached: detached, spec: spec, fileName: path)
        }
    }

    /// Verifies a file on disk, hashing it in chunks; returns the payload length (the bytes to parse).
    ///
    /// - Throws: ``CryptoError`` when the certificate's key does not suit the scheme or the file cannot be read.
    public static func verify(
        fileAt path: String, detached: [UInt8]?, spec: BankSpec, certificate: Certificate
    ) throws(CryptoError) -> Result<Int, DiagnosticError> {
        guard let algorithm = algorithm(spec.signature) else {
            return .success((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        if spec.signature.placement.isXML || spec.signature.container == .cms {
            // An XML signature covers the canonical document: it is checked on the file's tree, in
            // memory; a CMS signature is checked by OpenSSL over the bytes, in memory too.
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CryptoError.unreadableFile(path: path, reason: "cannot read the file")
            }
            let file = [UInt8](data)
            if !spec.signature.placement.isXML {
                return try verifyCMS(file, detached: detached, spec: spec, certificate: certificate, fileName: path).map { _ in file.count }
            }
            return try XMLSignature.verify(file, spec: spec, algorithm: algorithm, certificate: certificate, fileName: path).map { _ in file.count }
        }
        let located: Located
        switch locate(fileAt: path, detached: detached, spec: spec) {
        case .success(let found): located = found
        case .failure(let error): return .failure(error)
        }
        let signature: [UInt8]
        switch decoded(located.signature, spec.signature, algorithm) {
        case .success(let der): signature = der
        case .failure(let problem): return .failure(DiagnosticError(Diagnostic(.error, .signatureMalformed, file: path, problem.text)))
        }
        let verifier = try Verifier(key: certificate.publicKey, algorithm: algorithm)
        guard try verifier.verify(signature, fileAt: path, length: located.payloadLength) else {
            return .failure(DiagnosticError(Diagnostic(.error, .signatureInvalid, file: path,
                Self.mismatch(spec, subject: certificate.subject))))
        }
        return .success(located.payloadLength)
    }

    /// A signature that does not verify: what it means and what may have happened.
    static func mismatch(_ spec: BankSpec, subject: String) -> Message {
        let scheme = spec.signature.scheme.rawValue
        return Message(zh: "\(scheme) 签名与文件及 '\(subject)' 的密钥不符：文件在签名后被改动过，或用了另一把密钥签名",
                       en: "the \(scheme) signature does not match the file and the key of \(subject): the file was changed after signing, or signed with another key")
    }

    /// Signs a file on disk, hashing it in chunks: the `.sig` bytes (detached) or the line to append (trailer).
    public static func signature(fileAt path: String, length: Int? = nil, spec: BankSpec, key: PrivateKey, certificate: Certificate? = nil) throws(CryptoError) -> [UInt8] {
        guard let algorithm = algorithm(spec.signature), !spec.signature.placement.isXML else { return [] }
        if spec.signature.placement == .detached, spec.signature.container == .cms {
            guard let data = FileManager.default.contents(atPath: path) else { throw CryptoError.unreadableFile(path: path, reason: "cannot read the file") }
            return try cms([UInt8](data.prefix(length ?? data.count)), spec: spec, key: key, certificate: certificate)
        }
        let text = Base64.encode(try encoded(try Signer(key: key, algorithm: algorithm).sign(fileAt: path, length: length), spec.signature))
        switch spec.signature.placement {
        case .detached: return Array((text + "\n").utf8)
        case .trailer: return Array(spec.signature.trailerPrefix.utf8) + Array(text.utf8) + spec.lineEnding.bytes
        case .xmlEnveloped, .xmlEnvelope: preconditionFailure("an XML file is signed whole: use sign(_:spec:key:)")
        }
    }
}

extension FileSignature {
    /// Why a signature's bytes are not in the form the spec declares.
    public struct EncodingProblem: Error, Sendable {
        public var text: String
    }

    /// OpenSSL's DER signature in the form the spec declares (raw r‖s for `encoding: raw`).
    static func encoded(_ der: [UInt8], _ signature: SignatureSpec) throws(CryptoError) -> [UInt8] {
        guard signature.scheme == .sm2sm3, signature.encoding == .raw else { return der }
        guard let raw = SM2SignatureForm.raw(fromDER: der) else { throw CryptoError.openSSL(operation: "SM2 signature to raw r‖s", reason: "the signature is not a DER pair of 32-byte numbers") }
        return raw
    }

    /// A signature as the file carries it, as DER for OpenSSL to verify; or what is wrong with its form.
    static func decoded(_ bytes: [UInt8], _ signature: SignatureSpec, _ algorithm: SignatureAlgorithm) -> Result<[UInt8], EncodingProblem> {
        if signature.scheme == .sm2sm3, signature.encoding == .raw {
            guard bytes.count == 64, let der = SM2SignatureForm.der(fromRaw: bytes) else {
                let hint = algorithm.encodingProblem(bytes) == nil ? " (it is DER: this bank's spec says encoding raw; drop that line if the bank sends DER)" : ""
                return .failure(EncodingProblem(text: "the SM2 signature is \(bytes.count) bytes, not the 64 raw bytes r‖s this spec declares (encoding: raw)\(hint)"))
            }
            return .success(der)
        }
        if let problem = algorithm.encodingProblem(bytes) {
            let hint = bytes.count == 64 && signature.scheme == .sm2sm3 ? "; if the bank sends r‖s, say so in its spec (signature: {encoding: raw})" : ""
            return .failure(EncodingProblem(text: problem + hint))
        }
        return .success(bytes)
    }
}

/// SM2 signatures' two forms: DER `SEQUENCE { INTEGER r, INTEGER s }` and raw r‖s (32 bytes each).
public enum SM2SignatureForm {
    /// The 64 bytes r‖s of a DER pair, or nil when `der` is not one (or a number passes 32 bytes).
    public static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        guard der.count >= 8, der[0] == 0x30, der[1] < 0x80, Int(der[1]) == der.count - 2 else { return nil }
        var index = 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02, der[index + 1] < 0x80 else { return nil }
            let length = Int(der[index + 1])
            guard length >= 1, index + 2 + length <= der.count else { return nil }
            var value = Array(der[(index + 2)..<(index + 2 + length)])
            while value.count > 1, value.first == 0 { value.removeFirst() }
            guard value.count <= 32 else { return nil }
            out += [UInt8](repeating: 0, count: 32 - value.count) + value
            index += 2 + length
        }
        return index == der.count ? out : nil
    }

    /// The DER pair of 64 raw bytes r‖s (minimal integers, a zero byte before a high bit).
    public static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64 else { return nil }
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }
}

/// One diagnostic as an error value.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic
    public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
    public var description: String { diagnostic.description }
}

extension Diagnostic.Code {
    public static let signatureMissing = Self(rawValue: "signature.missing")
    public static let signatureMalformed = Self(rawValue: "signature.malformed")
    public static let signatureInvalid = Self(rawValue: "signature.invalid")
}
