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
    /// The bank's name as people say it (`中国银行`): what the console and reports show for the bank;
    /// `name` when the spec gives none.
    public var displayName: String
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
    /// The layouts of the collection account's statements the bank sends (`statement:`, and
    /// `notification:` for credit notifications such as camt.054), where its spec has them.
    public var statements: [Layout] = []
    /// The layout of refund instructions (退费文件) Pikou sends the bank, and of the bank's results for
    /// them (`refund:` and `refund_return:`), where its spec has them: a bank without them pays no
    /// refund through Pikou.
    public var refund: Layout?
    public var refundReturn: Layout?
    /// The treasury's reconciliation layout, in an authority's spec (`Formats/treasury/`).
    public var reconciliation: Layout?
    /// Whether the spec is a treasury's (`authority:`), read for its reconciliation only: it has no
    /// debit or return files, and its ``debit`` and ``returns`` are its reconciliation layout.
    public var isAuthority: Bool { reconciliation != nil }

    public init(
        code: String, name: String, displayName: String? = nil, encoding: FileEncoding, lineEnding: LineEnding,
        finalLineEndingRequired: Bool = true, maxRecordsPerFile: Int, maxTotalPerFile: Money? = nil,
        maxAmountPerLine: Money = BankSpec.defaultMaxAmountPerLine, maxFileBytes: Int? = nil, fileNamePattern: String, signature: SignatureSpec = SignatureSpec(), debit: Layout, returns: Layout, cancel: Layout? = nil
    ) {
        self.code = code
        self.name = name
        self.displayName = displayName ?? name
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

    /// The statement layout a file's first bytes name: the XML layout whose namespace they declare,
    /// else the first (a bank with one statement layout).
    public func statementLayout(for bytes: [UInt8]) -> Layout? {
        guard statements.count > 1 else { return statements.first }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return statements.first { layout in layout.xml?.namespace.map { head.contains("\"" + $0 + "\"") } ?? false } ?? statements.first
    }

    /// The layout for `kind`.
    public func layout(_ kind: FileKind) -> Layout {
        switch kind {
        case .debit: debit
        case .return: returns
        case .cancel: cancel ?? debit
        case .statement: statements.first ?? returns
        case .reconciliation: reconciliation ?? returns
        case .refund: refund ?? debit
        case .refundReturn: refundReturn ?? returns
        }
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
