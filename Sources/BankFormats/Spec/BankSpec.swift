public import PikouCore

/// One cooperating bank's file formats, compiled from `Formats/banks/<CODE>.yaml`.
///
/// A spec is data: a new bank is a new YAML file, never new Swift. See `Formats/README.md` for the
/// language; ``SpecLoader`` turns the YAML into this value and reports every problem it finds.
public struct BankSpec: Sendable, Hashable {
    /// The bank's code, e.g. `BOC`; equal to the file's base name.
    public var code: String
    /// A human name for listings.
    public var name: String
    /// How text is encoded in the bank's files.
    public var encoding: FileEncoding
    /// How lines end.
    public var lineEnding: LineEnding
    /// Whether the last line must end with a line ending too.
    public var finalLineEndingRequired: Bool
    /// The most detail records one file may carry.
    public var maxRecordsPerFile: Int
    /// The largest total one file may carry, if the bank sets one.
    public var maxTotalPerFile: Money?
    /// The largest amount one line may carry (`max_amount_per_line`, default
    /// ``defaultMaxAmountPerLine``): a line or a declared total beyond it is an error, not a number.
    public var maxAmountPerLine: Money
    /// One million yuan: far above any month's contributions with a year of arrears, far below
    /// what could make the sums of a file's lines leave 64-bit fen.
    public static let defaultMaxAmountPerLine = Money(fen: 100_000_000)

    /// The largest total a file may declare: the bank's own limit, else every line at its largest.
    public var largestFileTotal: Money {
        if let maxTotalPerFile { return maxTotalPerFile }
        let (product, overflow) = maxAmountPerLine.fen.multipliedReportingOverflow(by: Int64(maxRecordsPerFile))
        return Money(fen: overflow ? .max : product)
    }
    /// The most bytes one file may have (`max_file_bytes`; by default 4 KiB per record plus
    /// 1 MiB): a larger file is refused before anything parses it.
    public var maxFileBytes: Int
    /// The pattern of file names, e.g. `BOC_DK_{collector}_{date:yyyyMMdd}_{batch:3}.txt`.
    public var fileNamePattern: String
    /// The signature scheme name (`none` until signing exists).
    public var signature: SignatureSpec
    /// The layout of the files Pikou sends.
    public var debit: Layout
    /// The layout of the files the bank sends back, with its result-code table.
    public var returns: Layout
    /// The layout of the bank's cancel message (止付/撤销 request), where its spec has one: sent
    /// instead of nothing when a written file is cancelled before the bank runs it; it lists the
    /// cancelled file's lines under the cancelled file's batch number and date.
    public var cancel: Layout?

    public init(
        code: String, name: String, encoding: FileEncoding, lineEnding: LineEnding,
        finalLineEndingRequired: Bool = true, maxRecordsPerFile: Int, maxTotalPerFile: Money? = nil,
        maxAmountPerLine: Money = BankSpec.defaultMaxAmountPerLine, maxFileBytes: Int? = nil, fileNamePattern: String, signature: SignatureSpec = SignatureSpec(), debit: Layout, returns: Layout, cancel: Layout? = nil
    ) {
        self.code = code
        self.name = name
        self.encoding = encoding
        self.lineEnding = lineEnding
        self.finalLineEndingRequired = finalLineEndingRequired
        self.maxRecordsPerFile = maxRecordsPerFile
        self.maxTotalPerFile = maxTotalPerFile
        self.maxAmountPerLine = maxAmountPerLine
        let (perRecord, overflow) = maxRecordsPerFile.multipliedReportingOverflow(by: 4096)
        self.maxFileBytes = maxFileBytes ?? (overflow ? Int.max : perRecord &+ (1 << 20))
        self.fileNamePattern = fileNamePattern
        self.signature = signature
        self.debit = debit
        self.returns = returns
        self.cancel = cancel
    }

    /// The layout for `kind`.
    public func layout(_ kind: FileKind) -> Layout {
        switch kind {
        case .debit: debit
        case .return: returns
        case .cancel: cancel ?? debit
        }
    }
}

/// Which of a bank's two files.
public enum FileKind: String, Sendable, Hashable, CaseIterable {
    /// A debit request Pikou sends (批扣文件).
    case debit
    /// The bank's result file (回盘文件).
    case `return`
    /// A cancel message Pikou sends to stop a debit file before the bank runs it (止付/撤销).
    case cancel

    /// Whether Pikou writes and signs it (a debit file or a cancel message), not the bank.
    public var isOurs: Bool { self != .return }

    /// The spec's section for it.
    public var section: String { self == .return ? "return" : rawValue }
}

/// Line terminators.
public enum LineEnding: String, Sendable, Hashable, CaseIterable {
    case crlf
    case lf

    /// The terminator bytes.
    public var bytes: [UInt8] {
        switch self {
        case .crlf: [13, 10]
        case .lf: [10]
        }
    }
}

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

    public var scheme: Scheme
    public var placement: Placement
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

/// How the records of one file are laid out.
public struct Layout: Sendable, Hashable {
    /// Fixed byte widths, or separated fields.
    public enum Kind: Sendable, Hashable {
        case fixed
        case delimited(Delimiting)
        /// An XML document: header and trailer fields are elements below the document element, each
        /// detail record one repeated element (``XMLShape``).
        case xml(XMLShape)

        /// The XML shape, when the layout is XML.
        public var xmlShape: XMLShape? {
            if case .xml(let shape) = self { return shape }
            return nil
        }
    }

    /// The XML shape, when the layout is XML.
    public var xml: XMLShape? { kind.xmlShape }

    public var kind: Kind
    /// The first line, if the file has one (汇总 / header).
    public var header: RecordSpec?
    /// One line per debit (明细).
    public var detail: RecordSpec
    /// The last line, if the file has one.
    public var trailer: RecordSpec?
    /// The bank's result codes and texts mapped to outcomes (return layouts only).
    public var outcomes: OutcomeTable?

    public init(
        kind: Kind, header: RecordSpec? = nil, detail: RecordSpec, trailer: RecordSpec? = nil,
        outcomes: OutcomeTable? = nil
    ) {
        self.kind = kind
        self.header = header
        self.detail = detail
        self.trailer = trailer
        self.outcomes = outcomes
    }
}

/// Where the records of an XML layout sit, and the schema every file must satisfy.
public struct XMLShape: Sendable, Hashable {
    /// The document element's local name (`Document`).
    public var root: String
    /// The document's default namespace, if any.
    public var namespace: String?
    /// The path of the repeated record element below the document element
    /// (`CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf`).
    public var record: [String]
    /// The schema as the spec names it: `<location>/<file>.xsd`, where the location is a folder
    /// under `Formats/schemas/` or a name the workspace config maps to a folder (`schemas:`).
    public var schema: String
    /// The schema file found for ``schema``; set when the spec is loaded through a repository.
    public var schemaPath: String?

    public init(root: String, namespace: String?, record: [String], schema: String, schemaPath: String? = nil) {
        self.root = root
        self.namespace = namespace
        self.record = record
        self.schema = schema
        self.schemaPath = schemaPath
    }
}

/// How a delimited layout separates and quotes fields.
public struct Delimiting: Sendable, Hashable {
    /// When a field is put in double quotes.
    public enum Quoting: String, Sendable, Hashable, CaseIterable {
        /// Never; a value holding the separator cannot be written.
        case none
        /// Only when the value holds the separator, a quote or a line break (RFC 4180).
        case minimal
        /// Always.
        case always
    }

    /// The separator byte (`|`, `,`, `;`, tab).
    public var separator: UInt8
    public var quoting: Quoting
    /// Whether each line ends with one more separator (`a|b|c|`), as many Chinese bank files do.
    public var trailingSeparator: Bool

    public init(separator: UInt8, quoting: Quoting = .none, trailingSeparator: Bool = false) {
        self.separator = separator
        self.quoting = quoting
        self.trailingSeparator = trailingSeparator
    }
}

/// One record type: an ordered list of fields.
public struct RecordSpec: Sendable, Hashable {
    /// `header`, `detail` or `trailer`.
    public var role: String
    public var fields: ContiguousArray<FieldSpec>

    public init(role: String, fields: ContiguousArray<FieldSpec>) {
        self.role = role
        self.fields = fields
    }

    /// The byte length of a fixed-width record.
    public var fixedLength: Int { fields.reduce(0) { $0 + $1.width } }
}

/// One field of a record.
public struct FieldSpec: Sendable, Hashable {
    /// How a value is written and read.
    public enum FieldType: String, Sendable, Hashable, CaseIterable {
        /// Text in the file's encoding, cut on a character boundary if too wide.
        case text
        /// ASCII digits, zero-padded on the left by default.
        case digits
        /// An amount in integer fen, zero-padded.
        case fen
        /// An amount in yuan with two decimals (`1234.56`).
        case yuan
        /// A date written with `pattern` (`yyyyMMdd`, `yyyy-MM-dd`, ...).
        case date
        /// A fixed value (`value`), checked on read.
        case constant
        /// Computed: the number of detail records in the file.
        case count
        /// Computed: the total amount of the detail records, in `unit` (fen or yuan).
        case total
        /// Computed: the record's 1-based sequence number in the file.
        case sequence
        /// Reserved bytes, written as pad characters and ignored on read.
        case filler
        /// Text made from file values by `value`, a pattern like a file name's
        /// (`{collector}{date:yyyyMMdd}{batch:3}`); written, not checked on read (a message id).
        case formatted
        /// An ISO 8601 date-time from a date source: the date, `T`, and `value` as the time
        /// (default `00:00:00`); read back as its date.
        case datetime
    }

    /// Where pad characters go.
    public enum Alignment: String, Sendable, Hashable {
        /// Value on the left, padding on the right (text default).
        case left
        /// Value on the right, padding on the left (number default).
        case right
    }

    public var name: String
    public var type: FieldType
    /// The record value the field carries (for text, digits, fen, yuan, date).
    public var source: FieldSource?
    /// Byte width in the file's encoding (fixed layouts only; 0 in delimited ones).
    public var width: Int
    public var alignment: Alignment
    /// The pad byte (ASCII).
    public var pad: UInt8
    /// A pad character that is not ASCII (the full-width space 　 many Chinese bank files pad text
    /// with), as its bytes in the file's encoding; `pad` then fills what is left narrower than it.
    public var widePad: [UInt8]?
    /// The constant's value.
    public var value: String?
    /// The date pattern.
    public var pattern: String?
    /// For `total`: written as fen or yuan.
    public var unit: FieldType
    /// Whether the value is personal data, masked in every diagnostic.
    public var personal: Bool
    /// XML layouts: the element path below the document element (header, trailer) or below the
    /// record element (detail); empty for text layouts.
    public var path: [String]
    /// XML layouts: the attribute of the path's element that carries the value, if not its text.
    public var attribute: String?
    /// XML layouts: an empty value leaves the element out instead of writing it empty.
    public var optional: Bool
    /// Amounts (fen, yuan, total): whether a leading `-` is allowed. Off by default: a debit and its
    /// result are never negative, and a sign where none belongs rejects the line.
    public var signed: Bool
    /// Text too wide for a fixed-width field: cut on a character boundary with a warning (`overflow:
    /// cut`, the default for names and other free text) or refused as an error (`overflow: error`,
    /// the default for identifying values: account, ID number, agreement number).
    public var cutsOverflow: Bool

    public init(
        name: String, type: FieldType, source: FieldSource? = nil, width: Int = 0, alignment: Alignment? = nil,
        pad: UInt8? = nil, value: String? = nil, pattern: String? = nil, unit: FieldType = .fen,
        personal: Bool? = nil, path: [String] = [], attribute: String? = nil, optional: Bool = false, signed: Bool = false,
        cutsOverflow: Bool? = nil, widePad: [UInt8]? = nil
    ) {
        self.widePad = widePad
        self.cutsOverflow = cutsOverflow ?? !(source?.isIdentifying ?? false)
        self.name = name
        self.type = type
        self.source = source
        self.width = width
        let numeric = type.isNumeric
        self.alignment = alignment ?? (numeric ? .right : .left)
        self.pad = pad ?? (numeric ? UInt8(ascii: "0") : UInt8(ascii: " "))
        self.value = value
        self.pattern = pattern
        self.unit = unit
        self.personal = personal ?? (source?.isPersonal ?? false)
        self.path = path
        self.attribute = attribute
        self.optional = optional
        self.signed = signed
    }
}

extension FieldSpec.FieldType {
    /// Whether values are numbers (right-aligned and zero-padded by default).
    public var isNumeric: Bool {
        switch self {
        case .digits, .fen, .yuan, .count, .total, .sequence: true
        case .text, .date, .constant, .filler, .formatted, .datetime: false
        }
    }
}

/// The record values a field may carry.
public enum FieldSource: String, Sendable, Hashable, CaseIterable {
    // Detail values.
    case payerIDNumber = "payer_id_number"
    case payerName = "payer_name"
    case account
    case agreementNo = "agreement_no"
    case amount
    case period
    case memo
    case resultCode = "result_code"
    case resultText = "result_text"
    case bankSerial = "bank_serial"
    // File values (header, trailer, or repeated on detail lines).
    case collector
    case collectorAccount = "collector_account"
    case bankCode = "bank_code"
    case batchNo = "batch_no"
    case fileDate = "file_date"
    case collectionDate = "collection_date"

    /// Whether the value is personal data that diagnostics must mask.
    public var isPersonal: Bool {
        switch self {
        case .payerIDNumber, .payerName, .account: true
        default: false
        }
    }

    /// Whether the value identifies a payer or an agreement: cut to fit, it would name another
    /// account or person, so a value too wide for its field is an error unless the spec opts in.
    public var isIdentifying: Bool {
        switch self {
        case .payerIDNumber, .account, .agreementNo: true
        default: false
        }
    }

    /// Whether the value belongs to the file, not to one debit.
    public var isFileLevel: Bool {
        switch self {
        case .collector, .collectorAccount, .bankCode, .batchNo, .fileDate, .collectionDate: true
        default: false
        }
    }

    /// Whether a date field may carry it.
    public var isDate: Bool { self == .fileDate || self == .collectionDate }
}

/// A bank's result codes (and, where a bank has them, result texts) mapped to outcomes.
public struct OutcomeTable: Sendable, Hashable {
    /// Code → outcome; the code as it stands in the field, padding trimmed.
    public var codes: [String: Outcome]
    /// Text → outcome, consulted when the code is not in ``codes``.
    public var texts: [String: Outcome]
    /// The code a bank puts beside the texts of ``texts`` (e.g. `F` for every failure), if it has one.
    public var textResultCode: String?

    public init(codes: [String: Outcome], texts: [String: Outcome] = [:], textResultCode: String? = nil) {
        self.codes = codes
        self.texts = texts
        self.textResultCode = textResultCode
    }

    /// A code and text that map to `outcome`, as a bank would write them (the bank simulator's choice):
    /// the smallest code mapping to it, else a text mapping to it beside ``textResultCode``.
    public func representation(of outcome: Outcome) -> (code: String, text: String)? {
        if let code = codes.filter({ $0.value == outcome }).keys.min() { return (code, outcome.label) }
        if let text = texts.filter({ $0.value == outcome }).keys.min() { return (textResultCode ?? "", text) }
        return nil
    }

    /// The outcome of a code and text, or `nil` if neither is mapped.
    public func outcome(code: String, text: String?) -> Outcome? {
        if let outcome = codes[code] { return outcome }
        if let text, let outcome = texts[text] { return outcome }
        return nil
    }
}

extension BankSpec {
    /// Why `text` (a name, an agreement number: anything a debit file carries) cannot be written in
    /// this bank's debit files, or nil when it can: a control or bidirectional-override character,
    /// the separator of a layout that does not quote, or a character its encoding lacks.
    ///
    /// Common Chinese names (CJK U+4E00–U+9FA5, in GBK and GB18030) and plain ASCII letters and
    /// digits take a fast path: a city's roster is checked in a moment.
    public func cannotCarry(_ text: String) -> String? {
        var plain = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0xFEFF {
                return "holds a control character (U+\(String(v, radix: 16, uppercase: true)))"
            }
            if case .delimited(let delimiting) = debit.kind, delimiting.quoting == .none, v == UInt32(delimiting.separator) {
                return "holds '\(Character(scalar))', the separator of \(code)'s files"
            }
            if !((0x4E00...0x9FA5).contains(v) || (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)) {
                plain = false
            }
        }
        if !plain, encoding.encode(text) == nil {
            return "has a character \(code)'s \(encoding.rawValue) files cannot carry"
        }
        return nil
    }
}
