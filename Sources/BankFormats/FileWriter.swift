public import PikouCore

/// A file the writer produced.
public struct WrittenFile: Sendable {
    /// The file's bytes, ready to be written to disk (and, later, signed).
    public var bytes: [UInt8]
    /// Number of detail records.
    public var count: Int
    /// Sum of the detail amounts, checked.
    public var total: Money
    /// Things worth knowing that did not stop the file, e.g. names cut to fit their field.
    public var warnings: [Diagnostic]
}

/// Why a file could not be written.
public struct FormatWriteError: Error, Sendable, CustomStringConvertible {
    /// Every problem found; at least one is an error.
    public let diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Writes a bank's debit or return file from lines, driven by the bank's spec.
///
/// Fixed-width fields are measured in bytes of the file's encoding; text wider than its field is cut
/// on a character boundary (never mid-character) and the cut is reported as a warning.
public struct FileWriter: Sendable {
    public let spec: BankSpec
    public let kind: FileKind
    let layout: Layout

    public init(spec: BankSpec, kind: FileKind) {
        self.spec = spec
        self.kind = kind
        self.layout = spec.layout(kind)
    }

    /// A writer of one of the spec's layouts of `kind` (a bank's statement or its credit notification).
    public init(spec: BankSpec, kind: FileKind, layout: Layout) {
        self.spec = spec
        self.kind = kind
        self.layout = layout
    }

    /// Writes `lines` in file order. In a debit file each line's `sequence` must be its 1-based
    /// position; a return file writes each line's `sequence` as given (the debit it answers).
    ///
    /// - Throws: ``FormatWriteError`` listing every value that cannot be written (a digits field
    ///   holding a letter, a number too wide for its field, a character the encoding lacks, too many
    ///   records, a total over the bank's limit).
    public func write(_ lines: [DebitLine], context: FileContext) throws(FormatWriteError) -> WrittenFile {
        var diagnostics: [Diagnostic] = []
        if lines.count > spec.maxRecordsPerFile {
            diagnostics.append(Diagnostic(.error, .tooManyRecords,
                "\(lines.count) records exceed \(spec.code)'s limit of \(spec.maxRecordsPerFile) per file; split the batch"))
        }
        var total = Money.zero
        if let sum = lines.checkedSum(of: { $0.amount }) {
            total = sum
        } else {
            diagnostics.append(Diagnostic(.error, .invalidAmount, "the lines' amounts add up to more than 64-bit fen can count"))
        }
        // (A statement lists the account's day, not one debit file: the bank's file limit is not its.)
        if kind != .statement, let limit = spec.maxTotalPerFile, total > limit {
            diagnostics.append(Diagnostic(.error, .totalTooLarge,
                "total \(total) yuan exceeds \(spec.code)'s limit of \(limit) yuan per file; split the batch"))
        }
        if let shape = layout.xml {
            return try writeXML(lines, context: context, shape: shape, total: total, diagnostics: diagnostics)
        }
        var out: [UInt8] = spec.encoding.byteOrderMark
        out.reserveCapacity(out.count + (lines.count + 2) * 160)
        var encoder = RecordEncoder(encoding: spec.encoding, layout: layout, lineEnding: spec.lineEnding.bytes)
        let summary = Summary(context: context, count: lines.count, total: total)
        if let header = layout.header {
            encoder.encode(header, plans: FieldPlan.plans(header, layout: layout.kind), line: 1, into: &out) { summary.value(for: $0, in: header) }
        }
        let firstLine = layout.header == nil ? 1 : 2
        let detail = layout.detail
        let detailPlans = FieldPlan.plans(detail, layout: layout.kind)
        // Several fields may carry one source (a statement's direction and reversal mark): each its
        // part of the value joined by '/', as the reader joins them.
        var parts: [Int: (index: Int, of: Int)] = [:]
        for source in Set(detail.fields.compactMap(\.source)) {
            let carrying = detail.fields.indices.filter { detail.fields[$0].source == source }
            guard carrying.count > 1 else { continue }
            for (position, index) in carrying.enumerated() { parts[index] = (position, carrying.count) }
        }
        for (offset, line) in lines.enumerated() {
            let position = offset + 1
            encoder.diagnostics += lineChecks(line, position: position, fileLine: firstLine + offset)
            encoder.encode(detail, plans: detailPlans, line: firstLine + offset, into: &out) { plan in
                switch plan.type {
                case .sequence: return .integer(Int64(kind.isOurs ? position : line.sequence))
                case .fen, .yuan: return .money(line.amount)
                default: break
                }
                guard let source = plan.source, !source.isFileLevel else { return summary.value(for: plan, in: detail) }
                if source == .valueDate { return line.valueDate.map { .date($0) } ?? .none }
                if let part = parts[plan.index] {
                    let pieces = line.text(for: source).split(separator: "/", omittingEmptySubsequences: false)
                    return .text(part.index < pieces.count ? String(pieces[part.index]) : "")
                }
                return .text(line.text(for: source))
            }
        }
        if let trailer = layout.trailer {
            encoder.encode(trailer, plans: FieldPlan.plans(trailer, layout: layout.kind), line: firstLine + lines.count, into: &out) { summary.value(for: $0, in: trailer) }
        }
        diagnostics += encoder.diagnostics
        if diagnostics.hasErrors { throw FormatWriteError(diagnostics: diagnostics) }
        return WrittenFile(bytes: out, count: lines.count, total: total, warnings: diagnostics)
    }

    /// A debit line's own rules, whatever the layout: a debit file numbers its lines 1, 2, 3, ...
    /// (a return file echoes each debit's number), and a debit amount is positive.
    func lineChecks(_ line: DebitLine, position: Int, fileLine: Int) -> [Diagnostic] {
        guard kind.isOurs else { return [] }
        var diagnostics: [Diagnostic] = []
        if line.sequence != position {
            diagnostics.append(Diagnostic(.error, .sequenceMismatch, line: fileLine, field: "seq",
                "seq is \(line.sequence) but the line is record \(position) of the file: seq must run 1, 2, 3, ... in file order"))
        }
        if line.amount.fen <= 0 {
            diagnostics.append(Diagnostic(.error, .invalidAmount, line: fileLine, field: "amount",
                "a debit amount must be positive, not \(line.amount) yuan"))
        }
        return diagnostics
    }

    /// The file name the spec gives a file with `context`.
    public func fileName(context: FileContext) -> String {
        // The pattern was validated when the spec was compiled.
        (try? FileNamePattern(spec.fileNamePattern))?.fileName(bank: spec.code, kind: kind, context: context)
            ?? "\(spec.code)_\(kind.rawValue).txt"
    }
}

/// A value to put in one field.
enum FieldValue {
    case text(String)
    case integer(Int64)
    case money(Money)
    case date(CivilDate)
    case none
}

/// The file-level values: header and trailer fields, and file values repeated on detail lines.
private struct Summary {
    let context: FileContext
    let count: Int
    let total: Money

    func value(for plan: FieldPlan, in record: RecordSpec) -> FieldValue {
        switch plan.type {
        case .count: return .integer(Int64(count))
        case .total: return .money(total)
        case .constant: return .text(record.fields[plan.index].value ?? "")
        case .filler: return .none
        default:
            guard let source = plan.source else { return .none }
            if source == .balance { return context.balance.map { .money($0) } ?? .none }
            if let date = context.date(for: source) { return .date(date) }
            return .text(context.text(for: source) ?? "")
        }
    }
}

/// Encodes records field by field into a byte buffer, collecting diagnostics.
struct RecordEncoder {
    let encoding: FileEncoding
    let codec: TextCodec
    let layout: Layout
    let lineEnding: [UInt8]
    var diagnostics: [Diagnostic] = []
    private var scratch: [UInt8] = []

    init(encoding: FileEncoding, layout: Layout, lineEnding: [UInt8]) {
        self.encoding = encoding
        self.codec = TextCodec(encoding)
        self.layout = layout
        self.lineEnding = lineEnding
    }

    mutating func encode(_ record: RecordSpec, plans: [FieldPlan], line: Int, into out: inout [UInt8], value: (FieldPlan) -> FieldValue) {
        // Reuse one buffer across records; moved out of `self` so the helpers may mutate `self`.
        var scratch = self.scratch
        self.scratch = []
        defer { self.scratch = scratch }
        var first = true
        for plan in plans {
            if case .delimited(let delimiting) = layout.kind {
                if !first { out.append(delimiting.separator) }
                first = false
                scratch.removeAll(keepingCapacity: true)
                guard valueBytes(plan, record, value(plan), line: line, into: &scratch) else { continue }
                if plan.padded {
                    // A number at a declared width (`000042`): padded as a fixed field would be.
                    var sized: [UInt8] = []
                    guard appendFixed(scratch, plan: plan, record: record, line: line, into: &sized) else { continue }
                    scratch = sized
                }
                appendDelimited(scratch, delimiting, plan: plan, record: record, line: line, into: &out)
            } else {
                scratch.removeAll(keepingCapacity: true)
                if plan.type != .filler {
                    guard valueBytes(plan, record, value(plan), line: line, into: &scratch) else {
                        out.append(contentsOf: repeatElement(plan.pad, count: plan.width))
                        continue
                    }
                }
                appendFixed(scratch, plan: plan, record: record, line: line, into: &out)
            }
        }
        if case .delimited(let delimiting) = layout.kind, delimiting.trailingSeparator {
            out.append(delimiting.separator)
        }
        out.append(contentsOf: lineEnding)
    }

    /// Appends the unpadded bytes of a value; returns `false` (with a diagnostic) if it cannot be written.
    private mutating func valueBytes(_ plan: FieldPlan, _ record: RecordSpec, _ value: FieldValue, line: Int, into bytes: inout [UInt8]) -> Bool {
        switch (plan.type, value) {
        case (_, .none):
            return true
        case (_, .money(let money)) where plan.number != nil:
            guard money.fen >= 0 || plan.signed else {
                return fail(plan, record, line, .invalidAmount, "negative amount \(money) yuan in an unsigned field (the spec allows one with 'signed: true')")
            }
            plan.number!.append(money, inFen: plan.inFen, to: &bytes)
        case (_, .money(let money)) where plan.inFen:
            guard money.fen >= 0 else { return fail(plan, record, line, .invalidAmount, "negative amount \(money) yuan cannot be written as fen") }
            appendDecimal(UInt64(money.fen), to: &bytes)
        case (_, .money(let money)):
            if money.fen < 0 { bytes.append(UInt8(ascii: "-")) }
            let magnitude = money.fen.magnitude
            appendDecimal(magnitude / 100, to: &bytes)
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 100 / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        case (_, .integer(let number)):
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            appendDecimal(number.magnitude, to: &bytes)
        case (_, .date(let date)):
            bytes.append(contentsOf: DatePattern.format(date, record.fields[plan.index].pattern ?? "yyyyMMdd").utf8)
        case (.digits, .text(let text)):
            guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                return fail(plan, record, line, .invalidDigits, "\(shown(text, record.fields[plan.index])) must be digits only")
            }
            bytes.append(contentsOf: text.utf8)
        case (_, .text(let text)):
            // One pass: plain ASCII goes in as it is; a line break is refused; anything else is converted.
            var ascii = true
            for byte in text.utf8 {
                if byte == 10 || byte == 13 {
                    return fail(plan, record, line, .invalidText, "\(shown(text, record.fields[plan.index])) contains a line break")
                }
                if byte >= 0x80 { ascii = false }
            }
            if ascii || encoding.isUTF8 {
                bytes.append(contentsOf: text.utf8)
            } else {
                guard let encoded = codec.encode(text) else {
                    return fail(plan, record, line, .unencodable, "\(shown(text, record.fields[plan.index])) has a character that \(encoding.rawValue) cannot encode")
                }
                bytes.append(contentsOf: encoded)
            }
        }
        return true
    }

    /// Appends the decimal digits of `value` (no String made: this runs for every amount and number).
    private func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    @discardableResult
    private mutating func appendFixed(_ bytes: [UInt8], plan: FieldPlan, record: RecordSpec, line: Int, into out: inout [UInt8]) -> Bool {
        var length = bytes.count
        if length > plan.width {
            let field = record.fields[plan.index]
            switch plan.type {
            case .text where field.cutsOverflow, .constant:
                length = encoding.prefixLength(of: bytes, fitting: plan.width)
                let kept = codec.decode(bytes[0..<length]) ?? ""
                diagnostics.append(Diagnostic(.warning, .textTruncated, line: line, field: field.name,
                    "\(bytes.count) bytes do not fit \(field.width); cut on a character boundary to \(shown(kept, field)) (\(length) bytes)"))
            default:
                // A number, or identifying text: never cut.
                let text = codec.decode(bytes[...]) ?? String(decoding: bytes, as: UTF8.self)
                let why = plan.type == .text ? "; an identifying value is never cut (a field may allow it with 'overflow: cut')" : ""
                _ = fail(plan, record, line, .valueTooWide, "\(shown(text, field)) is \(bytes.count) bytes, wider than the field's \(field.width)\(why)")
                out.append(contentsOf: repeatElement(plan.pad, count: plan.width))
                return false
            }
        }
        let padding = plan.width - length
        if plan.alignment == .right { plan.appendPadding(padding, into: &out, valueFollows: true) }
        out.append(contentsOf: bytes[0..<length])
        if plan.alignment == .left { plan.appendPadding(padding, into: &out, valueFollows: false) }
        return true
    }

    private mutating func appendDelimited(_ bytes: [UInt8], _ delimiting: Delimiting, plan: FieldPlan, record: RecordSpec, line: Int, into out: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        let needsQuotes = bytes.contains { $0 == delimiting.separator || $0 == quote }
        switch plan.quoting {
        case .none:
            if needsQuotes {
                _ = fail(plan, record, line, .invalidText, "\(shown(String(decoding: bytes, as: UTF8.self), record.fields[plan.index])) contains the separator or a quote, which this unquoted layout cannot carry")
                return
            }
            out.append(contentsOf: bytes)
        case .minimal, .always:
            if plan.quoting == .always || needsQuotes {
                out.append(quote)
                for byte in bytes {
                    if byte == quote { out.append(quote) }
                    out.append(byte)
                }
                out.append(quote)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }

    private mutating func fail(_ plan: FieldPlan, _ record: RecordSpec, _ line: Int, _ code: Diagnostic.Code, _ message: String) -> Bool {
        diagnostics.append(Diagnostic(.error, code, line: line, field: record.fields[plan.index].name, message))
        return false
    }

    private func shown(_ text: String, _ field: FieldSpec) -> String {
        "'" + (field.personal ? mask(text, source: field.source) : text) + "'"
    }
}

/// Masks a personal value the way its kind is masked everywhere else.
func mask(_ text: String, source: FieldSource?) -> String {
    switch source {
    case .payerIDNumber: Masking.idNumber(text)
    case .account: Masking.account(text)
    case .payerName: Masking.name(text)
    default: Masking.text(text)
    }
}

extension Diagnostic.Code {
    public static let tooManyRecords = Self(rawValue: "file.tooManyRecords")
    public static let sequenceMismatch = Self(rawValue: "file.sequenceMismatch")
    public static let duplicateSequence = Self(rawValue: "file.duplicateSequence")
    public static let invalidAmount = Self(rawValue: "field.invalidAmount")
    public static let invalidDigits = Self(rawValue: "field.invalidDigits")
    public static let invalidDate = Self(rawValue: "field.invalidDate")
    public static let invalidText = Self(rawValue: "field.invalidText")
    public static let unencodable = Self(rawValue: "field.unencodable")
    public static let valueTooWide = Self(rawValue: "field.valueTooWide")
    public static let textTruncated = Self(rawValue: "field.textTruncated")
    public static let constantMismatch = Self(rawValue: "field.constantMismatch")
    public static let invalidEncoding = Self(rawValue: "field.invalidEncoding")
    public static let lineLength = Self(rawValue: "line.length")
    public static let fieldCount = Self(rawValue: "line.fieldCount")
    public static let truncatedLine = Self(rawValue: "line.truncated")
    public static let lineEnding = Self(rawValue: "line.ending")
    public static let blankLine = Self(rawValue: "line.blank")
    public static let missingRecord = Self(rawValue: "file.missingRecord")
    public static let countMismatch = Self(rawValue: "file.countMismatch")
    public static let totalMismatch = Self(rawValue: "file.totalMismatch")
    public static let amountOverflow = Self(rawValue: "file.amountOverflow")
    public static let fileTooLarge = Self(rawValue: "file.tooLarge")
    public static let amountOutOfRange = Self(rawValue: "field.amountOutOfRange")
    public static let wrongEncoding = Self(rawValue: "file.wrongEncoding")
    public static let missingBOM = Self(rawValue: "file.missingBOM")
    public static let unmappedResultCode = Self(rawValue: "return.unmappedResultCode")
    /// A result code out of the form the spec declares (`code_pattern`).
    public static let malformedResultCode = Self(rawValue: "return.malformedResultCode")
    /// A value quoted where the spec writes it bare, or bare where it quotes it.
    public static let quoting = Self(rawValue: "field.quoting")
    /// A file's total over the spec's `max_total_per_file`.
    public static let totalTooLarge = Self(rawValue: "file.totalTooLarge")
}
