public import PikouCore
public import PikouCrypto

/// One parsed detail line.
public struct ParsedLine: Sendable, Hashable {
    /// The 1-based line number in the file.
    public var lineNumber: Int
    public var line: DebitLine
    /// The canonical outcome (return files); `.unknown` when the bank's code is not in the spec.
    public var outcome: Outcome?
}

/// The values read from a file's header and trailer.
public struct FileSummaryValues: Sendable, Hashable {
    public var collector: String?
    public var collectorAccount: String?
    public var bankCode: String?
    public var batchNo: String?
    public var fileDate: CivilDate?
    public var collectionDate: CivilDate?
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

    /// The checked sum of the parsed lines' amounts.
    public var total: Money { (try? lines.lazy.map(\.line.amount).checkedSum()) ?? Money(fen: .max) }

    /// Whether the file may be used: no error anywhere.
    public var isValid: Bool { !diagnostics.hasErrors }

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
        guard spec.signature.isSigned else { return read(bytes, fileName: fileName) }
        guard let certificate else {
            return rejected(Diagnostic(.error, .signatureMissing, file: fileName,
                "\(spec.code) files are signed (\(spec.signature.scheme.rawValue)) but no certificate was given to verify them"))
        }
        switch try FileSignature.verify(bytes, detached: detached, spec: spec, certificate: certificate, fileName: fileName) {
        case .success(let payload): return read(payload, fileName: fileName)
        case .failure(let error): return rejected(error.diagnostic)
        }
    }

    private func rejected(_ diagnostic: Diagnostic) -> ParsedFile {
        ParsedFile(kind: kind, lines: [], detailLineCount: 0, summary: FileSummaryValues(), diagnostics: [diagnostic])
    }

    /// Parses `bytes` (without a signature line), naming `fileName` in diagnostics.
    public func read(_ bytes: [UInt8], fileName: String) -> ParsedFile {
        var state = ReadState(spec: spec, layout: layout, kind: kind, fileName: fileName)
        if let shape = layout.xml {
            state.runXML(bytes, shape: shape)
        } else {
            state.run(bytes)
        }
        return ParsedFile(
            kind: kind, lines: state.lines, detailLineCount: state.detailLineCount, summary: state.summary,
            diagnostics: state.diagnostics)
    }
}

struct RawLine {
    var number: Int
    var range: Range<Int>
    var terminated: Bool
}

struct ReadState {
    let spec: BankSpec
    let layout: Layout
    let kind: FileKind
    let fileName: String
    var lines: [ParsedLine] = []
    var detailLineCount = 0
    var summary = FileSummaryValues()
    var diagnostics: [Diagnostic] = []
    var allAmountsParsed = true
    var seenSequences = Set<Int>()
    /// Every count and total the file declares (an XML message may declare them per group and per block).
    var declaredCounts: [(value: Int, line: Int, field: String)] = []
    var declaredTotals: [(value: Money, line: Int, field: String)] = []
    let codec: TextCodec

    init(spec: BankSpec, layout: Layout, kind: FileKind, fileName: String) {
        self.codec = TextCodec(spec.encoding)
        self.spec = spec
        self.layout = layout
        self.kind = kind
        self.fileName = fileName
    }

    mutating func report(_ code: Diagnostic.Code, line: Int? = nil, field: String? = nil, _ message: String) {
        report(.error, code, line: line, field: field, message)
    }

    mutating func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, line: Int? = nil, field: String? = nil, _ message: String) {
        diagnostics.append(Diagnostic(severity, code, file: fileName, line: line, field: field, message))
    }

    mutating func run(_ bytes: [UInt8]) {
        var start = 0
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let hasBOM = bytes.count >= 3 && Array(bytes[0..<3]) == bom
        if spec.encoding == .utf8BOM {
            if hasBOM { start = 3 } else { report(.warning, .missingBOM, line: 1, "file does not start with the UTF-8 byte order mark the spec expects") }
        } else if hasBOM {
            if spec.encoding == .utf8 {
                start = 3
            } else {
                report(.wrongEncoding, line: 1, "file starts with a UTF-8 byte order mark, but \(spec.code) files are \(spec.encoding.rawValue)")
                return
            }
        }
        guard checkEncoding(bytes, from: start) else { return }
        let rawLines = splitLines(bytes, from: start)
        let headerCount = layout.header == nil ? 0 : 1
        let trailerCount = layout.trailer == nil ? 0 : 1
        if rawLines.count < headerCount + trailerCount {
            report(.missingRecord, line: rawLines.count + 1, "file has \(rawLines.count) line(s); the \(kind.rawValue) layout needs a header and a trailer")
            return
        }
        for (index, raw) in rawLines.enumerated() {
            let record: RecordSpec
            if index == 0, let header = layout.header {
                record = header
            } else if index == rawLines.count - 1, let trailer = layout.trailer {
                record = trailer
            } else {
                record = layout.detail
                detailLineCount += 1
            }
            let isLast = index == rawLines.count - 1
            parse(bytes, raw, record: record, isLast: isLast)
        }
        checkTotals()
    }

    /// Refuses a file that is plainly in another encoding than the spec's.
    mutating func checkEncoding(_ bytes: [UInt8], from start: Int) -> Bool {
        let body = bytes[start...]
        guard let firstHigh = body.firstIndex(where: { $0 >= 0x80 }) else { return true }
        let lineOfFirstHigh = 1 + body[start..<firstHigh].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
        switch spec.encoding {
        case .utf8, .utf8BOM:
            if String(validating: body, as: UTF8.self) == nil {
                let badLine = firstInvalidUTF8Line(body, start: start)
                report(.wrongEncoding, line: badLine, "file is not valid UTF-8 (is it GBK?); \(spec.code) files are \(spec.encoding.rawValue)")
                return false
            }
        case .gbk, .gb18030:
            // GBK text practically never forms valid UTF-8 that also holds a three-byte CJK character
            // (a few GBK pairs alone do form two-byte UTF-8 sequences, so those prove nothing).
            if String(validating: body, as: UTF8.self) != nil, containsUTF8CJK(body) {
                report(.wrongEncoding, line: lineOfFirstHigh, "file is UTF-8, but \(spec.code) files are \(spec.encoding.rawValue): convert it or fix the sender")
                return false
            }
        }
        return true
    }

    /// Whether valid UTF-8 `bytes` hold a CJK unified ideograph or CJK punctuation (U+3000–U+9FFF, U+FF00–U+FFEF).
    func containsUTF8CJK(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead >= 0xE3 && lead <= 0xE9 || lead == 0xEF && index + 1 < bytes.endIndex && bytes[index + 1] >= 0xBC {
                return true
            }
            index += 1
        }
        return false
    }

    func firstInvalidUTF8Line(_ body: ArraySlice<UInt8>, start: Int) -> Int {
        var lineStart = start
        var number = 1
        for index in body.indices where body[index] == 10 {
            if String(validating: body[lineStart..<index], as: UTF8.self) == nil { return number }
            lineStart = index + 1
            number += 1
        }
        return number
    }

    mutating func splitLines(_ bytes: [UInt8], from start: Int) -> [RawLine] {
        var result: [RawLine] = []
        var lineStart = start
        var number = 1
        var index = start
        while index < bytes.count {
            if bytes[index] == 10 {
                var end = index
                let hasCR = end > lineStart && bytes[end - 1] == 13
                if hasCR { end -= 1 }
                if spec.lineEnding == .crlf && !hasCR {
                    report(.lineEnding, line: number, "line ends with LF alone; \(spec.code) lines end with CR LF")
                } else if spec.lineEnding == .lf && hasCR {
                    report(.lineEnding, line: number, "line ends with CR LF; \(spec.code) lines end with LF alone")
                }
                result.append(RawLine(number: number, range: lineStart..<end, terminated: true))
                number += 1
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count {
            var end = bytes.count
            if bytes[end - 1] == 13 { end -= 1 }
            result.append(RawLine(number: number, range: lineStart..<end, terminated: false))
        }
        return result
    }

    mutating func parse(_ bytes: [UInt8], _ raw: RawLine, record: RecordSpec, isLast: Bool) {
        let line = bytes[raw.range]
        let cutShort = isLast && !raw.terminated
        var values: [ArraySlice<UInt8>] = []
        switch layout.kind {
        case .fixed:
            let expected = record.fixedLength
            guard line.count == expected else {
                if cutShort && line.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(line.count) of \(expected) bytes and no line ending; the file looks truncated")
                } else {
                    report(.lineLength, line: raw.number, "\(record.role) line is \(line.count) bytes; the \(spec.code) \(record.role) record is \(expected) bytes")
                }
                if record.role == "detail" { allAmountsParsed = false }
                return
            }
            var offset = line.startIndex
            for field in record.fields {
                values.append(line[offset..<offset + field.width])
                offset += field.width
            }
        case .delimited(let delimiting):
            values = split(line, delimiting)
            var expected = record.fields.count
            if delimiting.trailingSeparator {
                expected += 1
                if values.count == expected, values.last?.isEmpty == true { values.removeLast(); expected -= 1 }
            }
            guard values.count == expected else {
                if cutShort && values.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(values.count) of \(expected) fields and no line ending; the file looks truncated")
                } else {
                    report(.fieldCount, line: raw.number, "\(record.role) line has \(values.count) fields; the \(spec.code) \(record.role) record has \(expected)")
                }
                if record.role == "detail" { allAmountsParsed = false }
                return
            }
        case .xml:
            preconditionFailure("XML files are read by runXML")
        }
        if !raw.terminated && spec.finalLineEndingRequired {
            report(.warning, .lineEnding, line: raw.number, "the last line has no line ending")
        }
        decode(record, values: values, lineNumber: raw.number)
    }

    func split(_ line: ArraySlice<UInt8>, _ delimiting: Delimiting) -> [ArraySlice<UInt8>] {
        let quote = UInt8(ascii: "\"")
        guard delimiting.quoting != .none, line.contains(quote) else {
            return line.split(separator: delimiting.separator, omittingEmptySubsequences: false)
        }
        // RFC 4180 quoting: unquote into fresh slices.
        var fields: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < line.endIndex && line[index + 1] == quote {
                        current.append(quote); index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
            } else if byte == delimiting.separator {
                fields.append(current[...]); current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(current[...])
        return fields
    }

    mutating func decode(_ record: RecordSpec, values: [ArraySlice<UInt8>], lineNumber: Int) {
        var line = DebitLine(sequence: 0, payerIDNumber: "", payerName: "", account: "", agreementNo: "", amount: .zero, period: "")
        var ok = true
        var amountParsed = false
        let isDetail = record.role == "detail"
        let fixed = layout.kind == .fixed
        for (field, raw) in zip(record.fields, values) {
            let trimmed = fixed ? trim(raw, field) : trimSpaces(raw)
            func bad(_ code: Diagnostic.Code, _ what: String) {
                report(code, line: lineNumber, field: field.name, "\(shown(raw, field)) \(what)")
                ok = false
            }
            switch field.type {
            case .filler, .formatted:
                continue
            case .datetime:
                guard trimmed.count >= 10, let date = DatePattern.parse(trimmed.prefix(10), "yyyy-MM-dd") else {
                    bad(.invalidDate, "is not an ISO 8601 date-time (yyyy-MM-ddTHH:mm:ss)")
                    continue
                }
                if field.source == .fileDate { summary.fileDate = date } else { summary.collectionDate = date }
            case .constant:
                let expected = field.value ?? ""
                if codec.decode(trimmed) != expected { bad(.constantMismatch, "should be '\(expected)'") }
            case .text, .digits:
                guard let text = codec.decode(trimmed) else { bad(.invalidEncoding, "is not valid \(spec.encoding.rawValue)"); continue }
                if field.type == .digits, !trimmed.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) || trimmed.isEmpty && field.pad != UInt8(ascii: "0") {
                    if !trimmed.isEmpty || field.source == .payerIDNumber || field.source == .account { bad(.invalidDigits, "should be digits"); continue }
                }
                guard let source = field.source else { continue }
                if isDetail && !source.isFileLevel {
                    // Several fields may carry one source (an XML status and its reason code): joined by '/'.
                    let previous = line.text(for: source)
                    line.setText(previous.isEmpty || text.isEmpty ? previous + text : previous + "/" + text, for: source)
                } else {
                    setSummary(text, for: source)
                }
            case .fen, .yuan, .total:
                let isFen = field.type == .fen || (field.type == .total && field.unit == .fen)
                guard let money = parseMoney(trimmed, fen: isFen) else {
                    bad(.invalidAmount, isFen ? "should be an amount in fen (digits)" : "should be a yuan amount like 1234.56")
                    continue
                }
                if field.type == .total {
                    declaredTotals.append((money, lineNumber, field.name))
                    summary.declaredTotal = money
                    summary.totalLine = lineNumber
                } else {
                    line.amount = money
                    amountParsed = true
                }
            case .count, .sequence:
                guard let number = parseInteger(trimmed) else { bad(.invalidDigits, "should be a whole number"); continue }
                if field.type == .count {
                    declaredCounts.append((Int(number), lineNumber, field.name))
                    summary.declaredCount = Int(number)
                    summary.countLine = lineNumber
                } else {
                    line.sequence = Int(number)
                }
            case .date:
                guard let date = DatePattern.parse(trimmed, field.pattern ?? "yyyyMMdd") else {
                    bad(.invalidDate, "is not a date in the pattern \(field.pattern ?? "yyyyMMdd")")
                    continue
                }
                if field.source == .fileDate { summary.fileDate = date } else { summary.collectionDate = date }
            }
        }
        guard isDetail else { return }
        if !amountParsed { allAmountsParsed = false }
        guard ok else { return }
        var outcome: Outcome?
        if kind == .debit {
            let position = detailLineCount
            if record.fields.contains(where: { $0.type == .sequence }), line.sequence != position {
                report(.sequenceMismatch, line: lineNumber, field: "sequence", "sequence is \(line.sequence) but this is record \(position) of the file")
            }
        } else {
            if record.fields.contains(where: { $0.type == .sequence }), !seenSequences.insert(line.sequence).inserted {
                report(.duplicateSequence, line: lineNumber, field: "sequence", "sequence \(line.sequence) appears more than once; the bank returned one debit twice")
            }
            let code = line.resultCode
            if let mapped = layout.outcomes?.outcome(code: code, text: line.resultText.isEmpty ? nil : line.resultText) {
                outcome = mapped
            } else {
                outcome = .unknown
                let codeField = record.fields.first { $0.source == .resultCode }?.name ?? "result_code"
                report(.unmappedResultCode, line: lineNumber, field: codeField,
                       "result code '\(code)'\(line.resultText.isEmpty ? "" : " ('\(line.resultText)')") is not in \(spec.code)'s table; the line reads as unknown and needs operator review")
            }
        }
        lines.append(ParsedLine(lineNumber: lineNumber, line: line, outcome: outcome))
    }

    mutating func setSummary(_ text: String, for source: FieldSource) {
        switch source {
        case .collector: summary.collector = text
        case .collectorAccount: summary.collectorAccount = text
        case .bankCode: summary.bankCode = text
        case .batchNo: summary.batchNo = text
        default: break
        }
    }

    mutating func checkTotals() {
        func role(_ line: Int?) -> String {
            if layout.xml != nil { return "group header" }
            return line == 1 && layout.header != nil ? "header" : "trailer"
        }
        let records = layout.xml != nil ? "records" : "detail lines"
        for declared in declaredCounts where declared.value != detailLineCount {
            report(.countMismatch, line: declared.line, field: declared.field,
                   "the \(role(declared.line)) declares \(declared.value) records but the file has \(detailLineCount) \(records)")
        }
        guard allAmountsParsed else { return }
        let sum = (try? lines.lazy.map(\.line.amount).checkedSum()) ?? Money(fen: .max)
        for declared in declaredTotals where declared.value != sum {
            let difference = (try? declared.value.subtracting(sum)) ?? declared.value
            report(.totalMismatch, line: declared.line, field: declared.field,
                   "the \(role(declared.line)) declares \(declared.value) yuan (\(declared.value.fen) fen) but the lines add up to \(sum) yuan (\(sum.fen) fen), a difference of \(difference) yuan")
        }
    }

    /// The value without its padding (by index arithmetic: this runs for every field of every line).
    func trim(_ raw: ArraySlice<UInt8>, _ field: FieldSpec) -> ArraySlice<UInt8> {
        let space = UInt8(ascii: " ")
        var start = raw.startIndex
        var end = raw.endIndex
        switch field.alignment {
        case .left:
            while end > start, raw[end - 1] == field.pad || raw[end - 1] == space { end -= 1 }
        case .right:
            // Keep one zero when a zero-padded number is all zeros.
            while start < end, raw[start] == space || (raw[start] == field.pad && end - start > 1) { start += 1 }
        }
        while start < end, raw[start] == space { start += 1 }
        while end > start, raw[end - 1] == space { end -= 1 }
        return raw[start..<end]
    }

    func trimSpaces(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let space = UInt8(ascii: " ")
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end, raw[start] == space { start += 1 }
        while end > start, raw[end - 1] == space { end -= 1 }
        return raw[start..<end]
    }

    func parseInteger(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    func parseMoney(_ bytes: ArraySlice<UInt8>, fen: Bool) -> Money? {
        if fen {
            return parseInteger(bytes).map { Money(fen: $0) }
        }
        return try? Money(yuan: String(decoding: bytes, as: UTF8.self))
    }

    func shown(_ raw: ArraySlice<UInt8>, _ field: FieldSpec) -> String {
        let text: String
        if let decoded = codec.decode(raw) {
            text = decoded
        } else {
            text = raw.map { byte -> String in
                byte < 0x80 ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16, uppercase: true)
            }.joined()
        }
        return "'" + (field.personal ? mask(text, source: field.source) : text) + "'"
    }
}
