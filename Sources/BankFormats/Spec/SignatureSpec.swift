public import PikouCore

/// How a bank's files are signed: the scheme, where the signature goes, and its parameters.
///
/// Keys and certificates are never named here: the workspace config maps each bank to them.
public struct SignatureSpec: Sendable, Hashable {
    /// The signature algorithm.
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        /// Files are not signed.
        case none
        /// SM2 over SM3 with a distinguishing ID, DER-encoded (GM/T 0009).
        case sm2sm3 = "sm2-sm3"
        /// RSA PKCS#1 v1.5 with SHA-256.
        case rsaSHA256 = "rsa-sha256"

        /// The key algorithm the scheme signs with, as a key or certificate names it (`SM2`, `RSA`).
        public var keyAlgorithm: String { self == .rsaSHA256 ? "RSA" : "SM2" }
    }

    /// Where the signature travels.
    public enum Placement: String, Sendable, Hashable, CaseIterable {
        /// In `<file>.sig` beside the file: the base64 signature and a line feed.
        case detached
        /// In a last line of the file: `trailer_prefix`, the base64 signature, the line ending; signed
        /// over every byte before that line (byte order mark and the previous line's ending included).
        case trailer
        /// XML files only: an XML-DSig `Signature` element, the last child of the document element,
        /// over the whole document (enveloped-signature transform, exclusive C14N, SHA-256 digest).
        case xmlEnveloped = "xml-enveloped"
        /// XML files only: the message as the first child of an envelope element of the bank's own
        /// (``SignatureSpec/envelope``), an XML-DSig `Signature` its second and last, over the whole
        /// envelope (enveloped-signature transform): the message stays exactly as its official
        /// schema has it, which admits no signature inside.
        case xmlEnvelope = "xml-envelope"

        /// Whether the signature is an XML-DSig element in the file (enveloped or in an envelope).
        public var isXML: Bool { self == .xmlEnveloped || self == .xmlEnvelope }
    }

    /// The element that wraps a message and its signature (placement `xml-envelope`).
    public struct Envelope: Sendable, Hashable {
        /// The envelope's element name and namespace.
        public var root: String
        public var namespace: String
        /// Its schema, `<location>/<file>.xsd` as layouts name theirs; the file as sent is checked against it.
        public var schema: String?
        /// The schema's path, once the spec's Formats folder located it.
        public var schemaPath: String?

        public init(root: String, namespace: String, schema: String? = nil) {
            (self.root, self.namespace, self.schema) = (root, namespace, schema)
        }
    }

    /// How an SM2 signature's two numbers travel.
    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        /// An ASN.1 `SEQUENCE { INTEGER r, INTEGER s }` (GM/T 0009, OpenSSL's own form).
        case der
        /// The 64 bytes r‖s, each 32 bytes big-endian, as many Chinese bank SDKs and GmSSL-style
        /// libraries exchange them.
        case raw
    }

    /// What a detached signature's file holds.
    public enum Container: String, Sendable, Hashable, CaseIterable {
        /// `<file>.sig`: the base64 signature and a line feed.
        case sig
        /// `<file>.p7s`: a DER CMS (PKCS#7) SignedData, detached, without signed attributes, the
        /// signer's certificate inside.
        case cms
    }

    public var scheme: Scheme
    public var placement: Placement
    /// Placement detached: the `.sig` file (base64) or a CMS `.p7s`.
    public var container: Container = .sig

    /// The name a detached signature's file takes after the signed file's: `.sig` or `.p7s`.
    public var detachedSuffix: String { container == .cms ? ".p7s" : ".sig" }

    /// Every suffix a detached signature's file may have (to tell signatures from files in a folder).
    public static let detachedSuffixes = [".sig", ".p7s"]
    /// How the signature's bytes are encoded (sm2-sm3 only; DER unless the spec says raw).
    public var encoding: Encoding = .der
    /// The SM2 distinguishing ID (sm2-sm3 only).
    public var distinguishingID: String
    /// What a trailer signature line starts with.
    public var trailerPrefix: String
    /// The envelope of placement `xml-envelope`.
    public var envelope: Envelope?

    /// The default prefix of a trailer signature line.
    public static let defaultTrailerPrefix = "<SIGN>"

    public init(
        scheme: Scheme = .none, placement: Placement = .detached, distinguishingID: String = "1234567812345678",
        trailerPrefix: String = SignatureSpec.defaultTrailerPrefix
    ) {
        self.scheme = scheme
        self.placement = placement
        self.distinguishingID = distinguishingID
        self.trailerPrefix = trailerPrefix
    }

    /// Whether files are signed at all.
    public var isSigned: Bool { scheme != .none }
}
