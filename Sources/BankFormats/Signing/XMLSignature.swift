public import PikouCore
public import PikouCrypto
import PikouXML

/// Enveloped XML signatures (XML-DSig) for XML bank files: placements `xml-enveloped` and
/// `xml-envelope`.
///
/// The `ds:Signature` element is the last child of the document element: of the message itself
/// (`xml-enveloped`), or of the bank's envelope element whose first child is the message, unchanged
/// (`xml-envelope`, for a message whose official schema admits no signature inside). Its one `Reference` has
/// `URI=""` (the whole document) with the enveloped-signature and exclusive C14N transforms and a
/// SHA-256 digest; `SignedInfo` is canonicalized with exclusive C14N and signed with RSA-SHA256
/// (`http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`, which `xmlsec1` verifies) or SM2-SM3
/// (``sm2sm3URI``, our own identifier: XML-DSig names none for SM2). Canonicalization is libxml2's
/// `xmlC14NExecute`, over a tree of the file: its size is bounded by the bank's records per file.
public enum XMLSignature {
    public static let namespace = "http://www.w3.org/2000/09/xmldsig#"
    public static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
    public static let envelopedTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    public static let sha256URI = "http://www.w3.org/2001/04/xmlenc#sha256"
    public static let rsaSHA256URI = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    /// SM2 with SM3 and the spec's distinguishing ID; not a W3C identifier (there is none).
    public static let sm2sm3URI = "urn:pikou:xmldsig:sm2-sm3"

    static func methodURI(_ scheme: SignatureSpec.Scheme) -> String {
        scheme == .sm2sm3 ? sm2sm3URI : rsaSHA256URI
    }

    /// Signs the XML document `bytes`: returns the document with its `ds:Signature` appended.
    ///
    /// - Throws: ``CryptoError`` if the key does not suit the scheme, or the bytes are not XML.
    public static func sign(_ bytes: [UInt8], spec: BankSpec, algorithm: SignatureAlgorithm, key: PrivateKey) throws(CryptoError) -> [UInt8] {
        let envelope = spec.signature.placement == .xmlEnvelope ? spec.signature.envelope : nil
        let document: XMLDocument
        do { document = try XMLDocument(parsing: envelope.map { wrapped(bytes, in: $0) } ?? bytes, url: "file to sign") } catch {
            throw CryptoError.badSignature("the file to sign is not well-formed XML: \(error)")
        }
        guard let root = document.root else { throw CryptoError.badSignature("the file to sign has no document element") }
        do {
            let digest = try Digest.hash(try document.canonical(), .sha256)
            let signature = root.append("Signature", namespaceURI: namespace, prefix: "ds", declare: true)
            let signedInfo = signature.append("SignedInfo", namespaceURI: namespace, prefix: "ds")
            signedInfo.append("CanonicalizationMethod", namespaceURI: namespace, prefix: "ds").setAttribute("Algorithm", exclusiveC14N)
            signedInfo.append("SignatureMethod", namespaceURI: namespace, prefix: "ds").setAttribute("Algorithm", methodURI(spec.signature.scheme))
            let reference = signedInfo.append("Reference", namespaceURI: namespace, prefix: "ds")
            reference.setAttribute("URI", "")
            let transforms = reference.append("Transforms", namespaceURI: namespace, prefix: "ds")
            transforms.append("Transform", namespaceURI: namespace, prefix: "ds").setAttribute("Algorithm", envelopedTransform)
            transforms.append("Transform", namespaceURI: namespace, prefix: "ds").setAttribute("Algorithm", exclusiveC14N)
            reference.append("DigestMethod", namespaceURI: namespace, prefix: "ds").setAttribute("Algorithm", sha256URI)
            reference.append("DigestValue", namespaceURI: namespace, prefix: "ds", text: Base64.encode(digest))
            let value = try Signer(key: key, algorithm: algorithm).sign(try document.canonical(include: signedInfo))
            signature.append("SignatureValue", namespaceURI: namespace, prefix: "ds", text: Base64.encode(value))
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError.badSignature("canonicalization failed: \(error)")
        }
        return document.serialized()
    }

    /// Why a signed file in the bank's envelope is not valid under the envelope's own schema (which
    /// holds the message to its official one): what is checked before such a file is sent. Empty for
    /// other placements, or when the spec names no envelope schema.
    public static func envelopeIssues(_ signed: [UInt8], spec: BankSpec, fileName: String) -> [Diagnostic] {
        guard spec.signature.placement == .xmlEnvelope, let envelope = spec.signature.envelope, let path = envelope.schemaPath else { return [] }
        do {
            let issues = try XMLSchema.load(path: path).validate(signed, url: fileName)
            return XMLSchemas.diagnostics(issues, fileName: fileName).map {
                Diagnostic($0.severity, $0.code, file: $0.file, line: $0.line, "as sent, in its envelope (\(envelope.schema ?? path)): " + $0.message)
            }
        } catch {
            return [Diagnostic(.error, .schemaMissing, file: path, field: "signature.envelope.schema", "the envelope schema cannot be compiled: \(error)")]
        }
    }

    /// The message `bytes` (its XML declaration and leading white space dropped) as the first child
    /// of the bank's envelope, on the envelope's second line.
    static func wrapped(_ bytes: [UInt8], in envelope: SignatureSpec.Envelope) -> [UInt8] {
        var body = bytes[...]
        if body.starts(with: Array("<?xml".utf8)), let end = body.indices.first(where: { body[$0] == UInt8(ascii: "?") && body.index(after: $0) < body.endIndex && body[body.index(after: $0)] == UInt8(ascii: ">") }) {
            body = body[(end + 2)...]
        }
        while let first = body.first, first == 10 || first == 13 || first == 32 || first == 9 { body = body.dropFirst() }
        return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<env:\(envelope.root) xmlns:env=\"\(envelope.namespace)\">\n".utf8)
            + body + Array("</env:\(envelope.root)>\n".utf8)
    }

    /// Verifies an enveloped signature and returns what it covers: the canonical document without
    /// its signature, preceded by line feeds so that its lines keep their numbers. That is what the
    /// reader parses — never bytes the signature did not cover.
    public static func verify(
        _ file: [UInt8], spec: BankSpec, algorithm: SignatureAlgorithm, certificate: Certificate, fileName: String
    ) throws(CryptoError) -> Result<[UInt8], DiagnosticError> {
        func reject(_ code: Diagnostic.Code, line: Int? = nil, _ message: String) -> Result<[UInt8], DiagnosticError> {
            .failure(DiagnosticError(Diagnostic(.error, code, file: fileName, line: line, message)))
        }
        let parts: Parts
        switch locate(file, spec: spec, fileName: fileName) {
        case .success(let found): parts = found
        case .failure(let error): return .failure(error)
        }
        let expected: [(String, String)] = [
            ("CanonicalizationMethod", exclusiveC14N), ("SignatureMethod", methodURI(spec.signature.scheme)),
            ("DigestMethod", sha256URI),
        ]
        for (name, uri) in expected where parts.algorithms[name] != uri {
            return reject(.signatureMalformed, line: parts.signature.line,
                          "ds:\(name) is '\(parts.algorithms[name] ?? "missing")'; \(spec.code) files use \(uri)")
        }
        guard parts.transforms == [envelopedTransform, exclusiveC14N] else {
            return reject(.signatureMalformed, line: parts.signature.line,
                          "the reference's transforms must be enveloped-signature then exclusive C14N, not \(parts.transforms)")
        }
        let covered: [UInt8]
        let payload: [UInt8]
        let signedInfo: [UInt8]
        do {
            covered = try parts.document.canonical(exclude: parts.signature)
            // In an envelope, what is read is the message inside it (covered, as part of the envelope).
            payload = try parts.message.map { try parts.document.canonical(include: $0) } ?? covered
            signedInfo = try parts.document.canonical(include: parts.signedInfo)
        } catch {
            return reject(.signatureMalformed, "canonicalization failed: \(error)")
        }
        guard try Digest.hash(covered, .sha256) == parts.digest else {
            return reject(.signatureInvalid, line: parts.signature.line,
                          "the document's SHA-256 digest does not match ds:DigestValue: the file was changed after signing")
        }
        if let problem = algorithm.encodingProblem(parts.signatureValue) {
            return reject(.signatureMalformed, line: parts.signature.line, problem)
        }
        guard try Verifier(key: certificate.publicKey, algorithm: algorithm).verify(parts.signatureValue, over: signedInfo) else {
            return reject(.signatureInvalid, line: parts.signature.line,
                          "the \(spec.signature.scheme.rawValue) signature over ds:SignedInfo does not match the key of \(certificate.subject): signed with another key, or SignedInfo was changed")
        }
        return .success(linePreserving(payload, rootLine: (parts.message ?? parts.document.root)?.line ?? 1))
    }

    /// The document without its signature (in an envelope: the message), unverified (`--skip-verify`);
    /// `nil` if it is not XML.
    public static func unverifiedPayload(_ file: [UInt8], spec: BankSpec) -> [UInt8]? {
        guard let document = try? XMLDocument(parsing: file, url: "file"), let root = document.root else { return nil }
        if spec.signature.placement == .xmlEnvelope, let envelope = spec.signature.envelope, root.name == envelope.root,
           root.namespaceURI == envelope.namespace, let message = root.children.first, message.name != "Signature" {
            return (try? document.canonical(include: message)).map { linePreserving($0, rootLine: message.line ?? 1) }
        }
        let signature = root.children.last { $0.name == "Signature" && $0.namespaceURI == namespace }
        guard let payload = try? document.canonical(exclude: signature) else { return nil }
        return linePreserving(payload, rootLine: root.line ?? 1)
    }

    /// Canonical bytes start at the document element; put it back on its line.
    static func linePreserving(_ payload: [UInt8], rootLine: Int) -> [UInt8] {
        [UInt8](repeating: 10, count: max(0, rootLine - 1)) + payload
    }

    struct Parts {
        let document: XMLDocument
        let signature: XMLNode
        let signedInfo: XMLNode
        var algorithms: [String: String] = [:]
        var transforms: [String] = []
        var digest: [UInt8] = []
        var signatureValue: [UInt8] = []
        /// The message inside the envelope (placement `xml-envelope`).
        var message: XMLNode?
    }

    /// Finds the one `ds:Signature` (the document element's last child) and its parts.
    static func locate(_ file: [UInt8], spec: BankSpec, fileName: String) -> Result<Parts, DiagnosticError> {
        func reject(_ code: Diagnostic.Code, line: Int? = nil, _ message: String) -> Result<Parts, DiagnosticError> {
            .failure(DiagnosticError(Diagnostic(.error, code, file: fileName, line: line, message)))
        }
        let document: XMLDocument
        do { document = try XMLDocument(parsing: file, url: fileName) } catch {
            let issue = error.issues.first.map(\.masked)
            if issue?.kind == .refused {
                return reject(.xmlRefused, line: issue?.line, "refused before its signature is checked: \(issue?.message ?? "\(error)")")
            }
            return reject(.xmlNotWellFormed, line: issue?.line, "not well-formed XML, so its signature cannot be checked: \(issue?.message ?? "\(error)")")
        }
        guard let root = document.root else { return reject(.xmlNotWellFormed, "the file has no document element") }
        let envelope = spec.signature.placement == .xmlEnvelope ? spec.signature.envelope : nil
        if let envelope, root.name != envelope.root || root.namespaceURI != envelope.namespace {
            return reject(.signatureMalformed, line: root.line,
                          "\(spec.code) files come in its envelope {\(envelope.namespace)}\(envelope.root), not {\(root.namespaceURI ?? "")}\(root.name): the message and its signature go inside it")
        }
        let signatures = root.descendants(named: "Signature", namespaceURI: namespace)
        guard let signature = signatures.first else {
            return reject(.signatureMissing, "the file is not signed: no ds:Signature element in the document element")
        }
        var message: XMLNode?
        if envelope != nil {
            let children = root.children
            guard children.count == 2, let first = children.first, !(first.name == "Signature" && first.namespaceURI == namespace) else {
                return reject(.signatureMalformed, line: root.line, "the envelope holds the message, then its ds:Signature: two elements, not \(children.count)")
            }
            message = first
        }
        guard signatures.count == 1, root.children.last?.pointerEquals(signature) == true else {
            return reject(.signatureMalformed, line: signature.line,
                          "an enveloped signature is one ds:Signature, the document element's last child; this file has \(signatures.count) or puts it elsewhere")
        }
        guard let signedInfo = signature.child("SignedInfo", namespaceURI: namespace) else {
            return reject(.signatureMalformed, line: signature.line, "ds:Signature has no ds:SignedInfo")
        }
        var parts = Parts(document: document, signature: signature, signedInfo: signedInfo)
        parts.message = message
        for name in ["CanonicalizationMethod", "SignatureMethod"] {
            parts.algorithms[name] = signedInfo.child(name, namespaceURI: namespace)?.attribute("Algorithm")
        }
        let references = signedInfo.children.filter { $0.name == "Reference" && $0.namespaceURI == namespace }
        guard references.count == 1, let reference = references.first, reference.attribute("URI") == "" else {
            return reject(.signatureMalformed, line: signedInfo.line, "ds:SignedInfo must hold exactly one ds:Reference with URI=\"\" (the whole document)")
        }
        parts.algorithms["DigestMethod"] = reference.child("DigestMethod", namespaceURI: namespace)?.attribute("Algorithm")
        parts.transforms = reference.child("Transforms", namespaceURI: namespace)?.children.compactMap { $0.attribute("Algorithm") } ?? []
        guard let digest = reference.child("DigestValue", namespaceURI: namespace).flatMap({ decode($0.text) }) else {
            return reject(.signatureMalformed, line: reference.line, "ds:DigestValue is missing or not base64")
        }
        guard let value = signature.child("SignatureValue", namespaceURI: namespace).flatMap({ decode($0.text) }) else {
            return reject(.signatureMalformed, line: signature.line, "ds:SignatureValue is missing or not base64")
        }
        parts.digest = digest
        parts.signatureValue = value
        return .success(parts)
    }

    /// Base64 with any line breaks (xmlsec1 wraps at 64 columns).
    static func decode(_ text: String) -> [UInt8]? {
        let compact = String(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        guard let bytes = Base64.decode(compact), !bytes.isEmpty else { return nil }
        return bytes
    }
}
