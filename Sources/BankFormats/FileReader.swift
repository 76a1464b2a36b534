public import PikouCore
public import PikouCrypto
import Foundation
import PikouXML

/// One parsed detail line.
public struct ParsedLine: Sendable, Hashable {
    /// The 1-based line number in the file.
    public var lineNumber: Int
    public var line: DebitLine
    /// The canonical outcome (return files); `.unknown` when the bank's code is not in the spec.
    public var outcome: Outcome?
    /// What the line says (statements and reconciliations), as the layout's `entry_codes` map it.
    public var entry: EntryKind?

    public init(lineNumber: Int, line: DebitLine, outcome: Outcome? = nil, entry: EntryKind? = nil) {
        self.lineNumber = lineNumber
        self.line = line
        self.outcome = outcome
        self.entry = entry
    }
}

/// The values read from a file's header and trailer.
public struct FileSummaryValues: Sendable, Hashable {
    public var collector: String?
    public var collectorAccount: String?
    public var bankCode: String?
    public var batchNo: String?
    public var fileDate: CivilDate?
    public var collectionDate: CivilDate?
    /// A statement's balance, where its spec reads one (`source: balance`).
    public var balance: Money?
    /// The record count the file declares (header or trailer).
    public var declaredCount: Int?
    /// The total the file declares (header or trailer).
    public var declaredTotal: Money?
    /// The line that declares the count.
    public var countLine: Int?
    /// The line that declares the total.
    public var totalLine: Int?
}

/// Everything read from one bank file.
public struct ParsedFile: Sendable {
    public var kind: FileKind
    /// The detail lines that parsed (a line with an error in any field is left out and reported).
    public var lines: [ParsedLine]
    /// The number of detail lines in the file, parsed or not.
    public var detailLineCount: Int
    public var summary: FileSummaryValues
    /// Every problem found.
    public var diagnostics: [Diagnostic]

    /// The checked sum of the parsed lines' amounts (`nil` past 64-bit fen: the file then carries
    /// a `file.amountOverflow` error).
    public var total: Money? { lines.checkedSum(of: { $0.line.amount }) }

    /// Whether the file may be used: no error anywhere (lines for review are not errors: see ``reviewFindings``).
    public var isValid: Bool { !diagnostics.hasErrors }

    /// Findings about single lines that do not make the file unusable: the line is read, posted as
    /// the bank answered (an unknown answer as failed) and put before an operator as an exception.
    public static let reviewCodes: Set<Diagnostic.Code> = [.unmappedResultCode, .duplicateSequence]

    /// The errors that refuse the whole file (`returns ingest` posts nothing; `file read` exits 1):
    /// every error but the lines for review.
    public var refusingErrors: [Diagnostic] { diagnostics.filter { $0.severity == .error && !Self.reviewCodes.contains($0.code) } }

    /// The lines an operator must review (`returns ingest` lists them as exceptions); they print as `review:`.
    public var reviewFindings: [Diagnostic] { diagnostics.filter { $0.severity == .review || Self.reviewCodes.contains($0.code) } }

    /// Number of lines per outcome (return files).
    public var outcomeCounts: [Outcome: Int] {
        var counts: [Outcome: Int] = [:]
        for line in lines { if let outcome = line.outcome { counts[outcome, default: 0] += 1 } }
        return counts
    }
}

/// Reads a bank's debit or return file, checking every line against the bank's spec.
///
/// Each problem becomes a ``Diagnostic`` naming the file, line, field and the offending bytes (masked
/// when personal); reading goes on after a bad line so that one run reports them all. A file in the
/// wrong encoding is reported once and not parsed further.
public struct FileReader: Sendable {
    public let spec: BankSpec
    public let kind: FileKind
    private let layout: Layout

    public init(spec: BankSpec, kind: FileKind) {
        self.spec = spec
        self.kind = kind
        self.layout = spec.layout(kind)
    }

    /// A reader of one of the spec's layouts of `kind` (a bank's statement or its credit notification).
    public init(spec: BankSpec, kind: FileKind, layout: Layout) {
        self.spec = spec
        self.kind = kind
        self.layout = layout
    }

    /// Verifies a signed file with `certificate` as the spec says, then parses it.
    ///
    /// A file whose signature is missing or wrong is not parsed: the result has no lines and one
    /// signature diagnostic. An unsigned spec parses the bytes as they are.
    ///
    /// - Parameters:
    ///   - detached: The bytes of `<file>.sig`, for a detached signature.
    /// - Throws: ``CryptoError`` when the certificate's key does not suit the scheme.
    public func readVerified(
        _ bytes: [UInt8], detached: [UInt8]?, certificate: Certificate?, fileName: String
    ) throws(CryptoError) -> ParsedFile {
        if let refused = refusal(bytes, fileName: fileName) { return rejected(refused) }
        guard spec.signature.isSigned else { return parse(bytes, fileName: fileName) }
        guard let certificate else {
            return rejected(Diagnostic(.error, .signatureMissing, file: fileName,
                "\(spec.code) files are signed (\(spec.signature.scheme.rawValue)) but no certificate was given to verify them"))
        }
        switch try FileSignature.verify(bytes, detached: detached, spec: spec, certificate: certificate, fileName: fileName) {
        case .success(let payload): return parse(payload, fileName: fileName)
        case .failure(let error): return rejected(error.diagnostic)
        }
    }

    /// Why `bytes` are not read at all: more than the spec's `max_file_bytes`, or XML beyond
    /// ``XMLLimits`` (checked in one linear pass before libxml2 sees the bytes, so before the
    /// signature too).
    public func refusal(_ bytes: [UInt8], fileName: String) -> Diagnostic? {
        guard bytes.count <= spec.maxFileBytes else {
            return Diagnostic(.error, .fileTooLarge, file: fileName,
                "\(bytes.count) bytes, more than a \(spec.code) file may have (\(spec.maxFileBytes); max_file_bytes in the spec)")
        }
        guard layout.xml != nil else { return nil }
        do throws(XMLError) {
            try XMLLimits(maxBytes: spec.maxFileBytes).check(bytes, url: fileName)
        } catch {
            return XMLSchemas.diagnostics(error.issues, fileName: fileName).first
        }
        return nil
    }

    private func rejected(_ diagnostic: Diagnostic) -> ParsedFile {
        ParsedFile(kind: kind, lines: [], detailLineCount: 0, summary: FileSummaryValues(), diagnostics: [diagnostic])
    }

    /// Parses `bytes` (without a signature line), naming `fileName` in diagnostics.
    public func read(_ bytes: [UInt8], fileName: String) -> ParsedFile {
        if let refused = refusal(bytes, fileName: fileName) { return rejected(refused) }
        return parse(bytes, fileName: fileName)
    }

    /// Parses bytes already within bounds (the file `readVerified` refused or passed, or its payload).
    private func parse(_ bytes: [UInt8], fileName: String) -> ParsedFile {
        var state = ReadState(spec: spec, layout: layout, kind: kind, fileName: fileName)
        if let shape = layout.xml {
            state.runXML(bytes, shape: shape)
        } else {
            state.run(bytes)
        }
        // In line order, file-level findings first: an integrator reads them top to bottom.
        let ordered = state.diagnostics.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        return ParsedFile(
            kind: kind, lines: state.lines, detailLineCount: state.detailLineCount, summary: state.summary,
            diagnostics: ordered)
    }
}

extension Array {
    /// The checked sum of `amount` over the elements (`nil` on overflow), each read in place:
    /// iterating would copy, retain and release every line's strings to read one number.
    func checkedSum(of amount: (Element) -> Money) -> Money? {
        var total: Int64 = 0
        for index in indices {
            let (sum, overflow) = total.addingReportingOverflow(amount(self[index]).fen)
            if overflow { return nil }
            total = sum
        }
        return Money(fen: total)
    }
}
