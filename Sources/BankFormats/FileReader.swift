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

    /// The checked sum of the parsed lines' amounts (`nil` past 64-bit fen: the file then carries
    /// a `file.amountOverflow` error).
    public var total: Money? { lines.checkedSum(of: { $0.line.amount }) }

    /// Whether the file may be used: no error anywhere.
    public var isValid: Bool { !diagnostics.hasErrors }

    /// Findings about single lines that do not make the file unusable: the line is read, posted as
    /// the bank answered (an unknown answer as failed) and put before an operator as an exception.
    public static let reviewCodes: Set<Diagnostic.Code> = [.unmappedResultCode, .duplicateSequence]

    /// The errors that refuse the whole file (`returns ingest` posts nothing; `file read` exits 1):
    /// every error but the lines for review.
    public var refusingErrors: [Diagnostic] { diagnostics.filter { $0.severity == .error && !Self.reviewCodes.contains($0.code) } }

    /// The lines an operator must review (`returns ingest` lists them as exceptions).
    public var reviewFindings: [Diagnostic] { diagnostics.filter { Self.reviewCodes.contains($0.code) } }

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
    /// The records' fields as plans (see ``FieldPlan``), made once per file.
    let headerPlans: [FieldPlan]
    let detailPlans: [FieldPlan]
    let trailerPlans: [FieldPlan]
    let detailHasSequence: Bool
    /// The spec's own name of the detail record's sequence field.
    let sequenceField: String
    /// The byte ranges of the current line's values, reused from line to line.
    private var ranges: [Range<Int>] = []

    init(spec: BankSpec, layout: Layout, kind: FileKind, fileName: String) {
        self.codec = TextCodec(spec.encoding)
        self.spec = spec
        self.layout = layout
        self.kind = kind
        self.fileName = fileName
        headerPlans = layout.header.map(FieldPlan.plans) ?? []
        detailPlans = FieldPlan.plans(layout.detail)
        trailerPlans = layout.trailer.map(FieldPlan.plans) ?? []
        detailHasSequence = layout.detail.fields.contains { $0.type == .sequence }
        sequenceField = layout.detail.fields.first { $0.type == .sequence }?.name ?? "sequence"
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
        lines.reserveCapacity(rawLines.count)
        bytes.withUnsafeBufferPointer { buffer in
            for (index, raw) in rawLines.enumerated() {
                let isLast = index == rawLines.count - 1
                if index == 0, let header = layout.header {
                    parse(buffer, raw, record: header, plans: headerPlans, isDetail: false, isLast: isLast)
                } else if isLast, let trailer = layout.trailer {
                    parse(buffer, raw, record: trailer, plans: trailerPlans, isDetail: false, isLast: isLast)
                } else {
                    detailLineCount += 1
                    parse(buffer, raw, record: layout.detail, plans: detailPlans, isDetail: true, isLast: isLast)
                }
            }
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
        var wrongEndings = 0, firstWrong = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                var end = index
                let hasCR = end > lineStart && bytes[end - 1] == 13
                if hasCR { end -= 1 }
                if (spec.lineEnding == .crlf && !hasCR) || (spec.lineEnding == .lf && hasCR) {
                    if wrongEndings == 0 { firstWrong = number }
                    wrongEndings += 1
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
        if wrongEndings > 0 {
            // One finding for the file, not one per line: it is one choice the sender made.
            let theirs = spec.lineEnding == .crlf ? "LF alone" : "CR LF", ours = spec.lineEnding == .crlf ? "CR LF" : "LF alone"
            let terminated = result.filter(\.terminated).count
            report(.lineEnding, line: firstWrong, wrongEndings == terminated
                ? "every line ends with \(theirs); \(spec.code)'s lines end with \(ours)"
                : "\(wrongEndings) of \(terminated) lines end with \(theirs), the first this one; \(spec.code)'s lines end with \(ours)")
        }
        // Blank lines after the last record: named, then left out of the records.
        var blank = 0
        while let last = result.last, last.range.isEmpty, result.count > 1 {
            result.removeLast()
            blank += 1
        }
        if blank > 0, let last = result.last {
            report(.warning, .blankLine, line: last.number + 1,
                   blank == 1 ? "a blank line after the last record; \(spec.code) files end with their \(layout.trailer == nil ? "last record" : "trailer") (it is left out)"
                              : "\(blank) blank lines after the last record; \(spec.code) files end with their \(layout.trailer == nil ? "last record" : "trailer") (they are left out)")
        }
        return result
    }

    mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, _ raw: RawLine, record: RecordSpec, plans: [FieldPlan], isDetail: Bool, isLast: Bool) {
        let line = raw.range
        let cutShort = isLast && !raw.terminated
        var ranges = self.ranges
        self.ranges = []  // held by one owner while this line is read, so reusing it copies nothing
        defer { self.ranges = ranges }
        ranges.removeAll(keepingCapacity: true)
        var unquoted: [UInt8]?
        switch layout.kind {
        case .fixed:
            let expected = plans.last.map { $0.offset + $0.width } ?? 0
            guard line.count == expected else {
                if cutShort && line.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(line.count) of \(expected) bytes and no line ending; the file looks truncated")
                } else {
                    report(.lineLength, line: raw.number, "\(record.role) line is \(line.count) bytes; the \(spec.code) \(record.role) record is \(expected) bytes")
                }
                if isDetail { allAmountsParsed = false }
                return
            }
            for plan in plans { ranges.append(line.lowerBound + plan.offset ..< line.lowerBound + plan.offset + plan.width) }
        case .delimited(let delimiting):
            unquoted = split(buffer, line, delimiting, into: &ranges)
            var expected = plans.count
            if delimiting.trailingSeparator {
                expected += 1
                if ranges.count == expected, ranges.last?.isEmpty == true { ranges.removeLast(); expected -= 1 }
            }
            guard ranges.count == expected else {
                if cutShort && ranges.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(ranges.count) of \(expected) fields and no line ending; the file looks truncated")
                } else {
                    report(.fieldCount, line: raw.number, "\(record.role) line has \(ranges.count) fields; the \(spec.code) \(record.role) record has \(expected)")
                }
                if isDetail { allAmountsParsed = false }
                return
            }
        case .xml:
            preconditionFailure("XML files are read by runXML")
        }
        if !raw.terminated && spec.finalLineEndingRequired {
            report(.warning, .lineEnding, line: raw.number, "the last line has no line ending")
        }
        if let unquoted {
            unquoted.withUnsafeBufferPointer { decode(record, plans: plans, isDetail: isDetail, buffer: $0, ranges: ranges, lineNumber: raw.number) }
        } else {
            decode(record, plans: plans, isDetail: isDetail, buffer: buffer, ranges: ranges, lineNumber: raw.number)
        }
    }

    /// The ranges of a delimited line's values, in `buffer`; or, when the line quotes a value, in the
    /// returned bytes (the values unquoted, one after another).
    func split(_ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ delimiting: Delimiting, into ranges: inout [Range<Int>]) -> [UInt8]? {
        let quote = UInt8(ascii: "\"")
        guard delimiting.quoting != .none, buffer[line].contains(quote) else {
            var start = line.lowerBound
            for index in line where buffer[index] == delimiting.separator {
                ranges.append(start..<index)
                start = index + 1
            }
            ranges.append(start..<line.upperBound)
            return nil
        }
        // RFC 4180 quoting: unquote into fresh bytes.
        var unquoted: [UInt8] = []
        var fieldStart = 0
        var inQuotes = false
        var index = line.lowerBound
        while index < line.upperBound {
            let byte = buffer[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < line.upperBound && buffer[index + 1] == quote {
                        unquoted.append(quote); index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    unquoted.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
            } else if byte == delimiting.separator {
                ranges.append(fieldStart..<unquoted.count)
                fieldStart = unquoted.count
            } else {
                unquoted.append(byte)
            }
            index += 1
        }
        ranges.append(fieldStart..<unquoted.count)
        return unquoted
    }

    /// Decodes values given as separate byte arrays (the XML reader's).
    mutating func decode(_ record: RecordSpec, values: [ArraySlice<UInt8>], lineNumber: Int) {
        var joined: [UInt8] = []
        var ranges: [Range<Int>] = []
        for value in values {
            let start = joined.count
            joined.append(contentsOf: value)
            ranges.append(start..<joined.count)
        }
        let isDetail = record.role == "detail"
        let plans = isDetail ? detailPlans : FieldPlan.plans(record)
        joined.withUnsafeBufferPointer { decode(record, plans: plans, isDetail: isDetail, buffer: $0, ranges: ranges, lineNumber: lineNumber) }
    }

    /// Decodes one record's values (`ranges` of `buffer`, one per plan) into a line or the summary.
    mutating func decode(_ record: RecordSpec, plans: [FieldPlan], isDetail: Bool, buffer: UnsafeBufferPointer<UInt8>,
                         ranges: [Range<Int>], lineNumber: Int) {
        var line = DebitLine(sequence: 0, payerIDNumber: "", payerName: "", account: "", agreementNo: "", amount: .zero, period: "")
        var ok = true
        var amountParsed = false
        let fixed = layout.kind == .fixed
        for (plan, range) in zip(plans, ranges) {
            let raw = buffer[range]
            // A result code is compared exactly as the spec declares it: only its field's padding
            // comes off (' 00' or '00 ' is not '00': a bank never pads a code on both sides).
            let trimmed = plan.source == .resultCode ? padOnly(raw, plan, fixed: fixed) : fixed ? trim(raw, plan) : trimSpaces(raw)
            func bad(_ code: Diagnostic.Code, _ what: String) {
                let field = record.fields[plan.index]
                report(code, line: lineNumber, field: field.name, "\(shown(raw, field)) \(what)")
                ok = false
            }
            switch plan.type {
            case .filler, .formatted:
                continue
            case .datetime:
                guard trimmed.count >= 10, let date = DatePattern.parse(trimmed.prefix(10), "yyyy-MM-dd") else {
                    bad(.invalidDate, "is not an ISO 8601 date-time (yyyy-MM-ddTHH:mm:ss)")
                    continue
                }
                if plan.source == .fileDate { summary.fileDate = date } else { summary.collectionDate = date }
            case .constant:
                let expected = record.fields[plan.index].value ?? ""
                if codec.decode(trimmed) != expected { bad(.constantMismatch, "should be '\(expected)'") }
            case .text, .digits:
                guard let text = codec.decode(trimmed) else {
                    // Where it breaks: the longest prefix that decodes ends there.
                    var good = trimmed.count
                    while good > 0, codec.decode(trimmed.prefix(good)) == nil { good -= 1 }
                    let offset = trimmed.distance(from: raw.startIndex, to: trimmed.startIndex) + good
                    let bytes = trimmed.dropFirst(good).prefix(2).map { String(format: "%02X", $0) }.joined(separator: " ")
                    let where_ = fixed ? "byte \(plan.offset + offset + 1) of the line (byte \(offset + 1) of the field)" : "byte \(offset + 1) of the field"
                    bad(.invalidEncoding, "is not valid \(spec.encoding.rawValue): it breaks at \(where_), bytes \(bytes)")
                    continue
                }
                if plan.type == .digits, !trimmed.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) || trimmed.isEmpty && plan.pad != UInt8(ascii: "0") {
                    if !trimmed.isEmpty || plan.source == .payerIDNumber || plan.source == .account { bad(.invalidDigits, "should be digits"); continue }
                }
                if let control = text.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    bad(.invalidText, "holds a control character (U+\(String(format: "%04X", control.value))); no bank file carries one")
                    continue
                }
                guard let source = plan.source else { continue }
                if isDetail, source == .account || source == .payerIDNumber {
                    // What identifies the payer is never blank or signed: a line without it cannot be checked against its debit.
                    if text.isEmpty { bad(.invalidText, "is empty; each line must carry the \(source == .account ? "account" : "ID number") its debit was sent with"); continue }
                    if let first = text.first, first == "-" || first == "+" || text.contains(" ") {
                        bad(.invalidText, "is not \(source == .account ? "an account" : "an ID number"): it has a sign or a space"); continue
                    }
                }
                if isDetail && !source.isFileLevel {
                    // Several fields may carry one source (an XML status and its reason code): joined by '/'.
                    let previous = line.text(for: source)
                    line.setText(previous.isEmpty || text.isEmpty ? previous + text : previous + "/" + text, for: source)
                } else {
                    setSummary(text, for: source)
                }
            case .fen, .yuan, .total:
                if !plan.signed, let sign = trimmed.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    bad(.invalidAmount, "has a sign; amounts in \(spec.code) files are unsigned (a field marked 'signed: true' in the spec allows one)")
                    continue
                }
                if let problem = Self.amountFormProblem(raw: raw, value: trimmed, plan: plan, fixed: fixed) {
                    bad(.invalidAmount, problem)
                    continue
                }
                guard let money = parseMoney(trimmed, fen: plan.inFen) else {
                    bad(.invalidAmount, plan.inFen ? "should be an amount in fen (digits)" : "should be a yuan amount like 1234.56")
                    continue
                }
                if plan.type == .total, money.fen.magnitude > spec.largestFileTotal.fen.magnitude {
                    bad(.amountOutOfRange, "declares \(Masking.numbers(in: money.description)) yuan, more than a \(spec.code) file may carry (\(spec.largestFileTotal) yuan)")
                    continue
                }
                if plan.type != .total, money.fen.magnitude > spec.maxAmountPerLine.fen.magnitude {
                    bad(.amountOutOfRange, "is \(Masking.numbers(in: money.description)) yuan, more than one line may carry (\(spec.maxAmountPerLine) yuan; max_amount_per_line in the spec)")
                    continue
                }
                if plan.type == .total {
                    declaredTotals.append((money, lineNumber, record.fields[plan.index].name))
                    summary.declaredTotal = money
                    summary.totalLine = lineNumber
                } else {
                    line.amount = money
                    amountParsed = true
                }
            case .count, .sequence:
                guard let number = parseInteger(trimmed) else { bad(.invalidDigits, "should be a whole number"); continue }
                if plan.type == .count {
                    declaredCounts.append((Int(number), lineNumber, record.fields[plan.index].name))
                    summary.declaredCount = Int(number)
                    summary.countLine = lineNumber
                } else {
                    line.sequence = Int(number)
                }
            case .date:
                let pattern = record.fields[plan.index].pattern ?? "yyyyMMdd"
                guard let date = DatePattern.parse(trimmed, pattern) else {
                    bad(.invalidDate, "is not a date in the pattern \(pattern)")
                    continue
                }
                if plan.source == .fileDate { summary.fileDate = date } else { summary.collectionDate = date }
            }
        }
        guard isDetail else { return }
        if !amountParsed { allAmountsParsed = false }
        guard ok else { return }
        var outcome: Outcome?
        if kind.isOurs {
            let position = detailLineCount
            if detailHasSequence, line.sequence != position {
                report(.sequenceMismatch, line: lineNumber, field: sequenceField, "sequence is \(line.sequence) but this is record \(position) of the file")
            }
        } else {
            if detailHasSequence, !seenSequences.insert(line.sequence).inserted {
                report(.duplicateSequence, line: lineNumber, field: sequenceField, "sequence \(line.sequence) appears more than once; the bank returned one debit twice")
            }
            let code = line.resultCode
            if let mapped = layout.outcomes?.outcome(code: code, text: line.resultText.isEmpty ? nil : line.resultText) {
                outcome = mapped
            } else {
                outcome = .unknown
                if layout.outcomes?.codes.isEmpty == true {
                    // A bank that answers in words: the text is the key.
                    let textField = record.fields.first { $0.source == .resultText }?.name ?? "result_text"
                    report(.unmappedResultCode, line: lineNumber, field: textField,
                           "result text '\(line.resultText)' is not in \(spec.code)'s table; the line reads as unknown and needs operator review")
                } else {
                    let codeField = record.fields.first { $0.source == .resultCode }?.name ?? "result_code"
                    report(.unmappedResultCode, line: lineNumber, field: codeField,
                           "result code '\(code)'\(line.resultText.isEmpty ? "" : " ('\(line.resultText)')") is not in \(spec.code)'s table; the line reads as unknown and needs operator review")
                }
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
        guard let sum = lines.checkedSum(of: { $0.line.amount }) else {
            report(.amountOverflow, line: nil, field: nil, "the lines' amounts add up past 92233720368547758.07 yuan (64-bit fen); the file is refused whole")
            return
        }
        for declared in declaredTotals where declared.value != sum {
            let difference = (try? declared.value.subtracting(sum)) ?? declared.value
            report(.totalMismatch, line: declared.line, field: declared.field,
                   "the \(role(declared.line)) declares \(declared.value) yuan (\(declared.value.fen) fen) but the lines add up to \(sum) yuan (\(sum.fen) fen), a difference of \(difference) yuan")
        }
    }

    /// The value without its padding (by index arithmetic: this runs for every field of every line).
    func trim(_ raw: Slice<UnsafeBufferPointer<UInt8>>, _ plan: FieldPlan) -> Slice<UnsafeBufferPointer<UInt8>> {
        let space = UInt8(ascii: " ")
        var start = raw.startIndex
        var end = raw.endIndex
        if plan.widePadCount > 0 {
            // Whole pad characters and the narrower ASCII remainder, on the padded side.
            if plan.alignment == .left {
                while end > start {
                    if raw[end - 1] == plan.pad || raw[end - 1] == space { end -= 1 } else if plan.endsWithWidePad(raw, before: end) { end -= plan.widePadCount } else { break }
                }
            } else {
                while start < end {
                    if raw[start] == plan.pad || raw[start] == space { start += 1 } else if plan.startsWithWidePad(raw, at: start) { start += plan.widePadCount } else { break }
                }
            }
            return raw[start..<end]
        }
        switch plan.alignment {
        case .left:
            while end > start, raw[end - 1] == plan.pad || raw[end - 1] == space { end -= 1 }
        case .right:
            // Keep one zero when a zero-padded number is all zeros.
            while start < end, raw[start] == space || (raw[start] == plan.pad && end - start > 1) { start += 1 }
        }
        while start < end, raw[start] == space { start += 1 }
        while end > start, raw[end - 1] == space { end -= 1 }
        return raw[start..<end]
    }

    /// A field without its padding and nothing else: in a fixed layout the pad characters on the
    /// padded side (spaces beyond the value, for a left-aligned field); in a delimited one, the value as it is.
    func padOnly(_ raw: Slice<UnsafeBufferPointer<UInt8>>, _ plan: FieldPlan, fixed: Bool) -> Slice<UnsafeBufferPointer<UInt8>> {
        guard fixed else { return raw }
        var start = raw.startIndex, end = raw.endIndex
        switch plan.alignment {
        case .left: while end > start, raw[end - 1] == plan.pad { end -= 1 }
        case .right: while start < end, raw[start] == plan.pad { start += 1 }
        }
        return raw[start..<end]
    }

    func trimSpaces(_ raw: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let space = UInt8(ascii: " ")
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end, raw[start] == space { start += 1 }
        while end > start, raw[end - 1] == space { end -= 1 }
        return raw[start..<end]
    }

    func parseInteger(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// Why an amount field is not in the form its spec declares, or nil: a money value is never
    /// guessed at. Fixed-width fields keep their alignment (a right-aligned amount has no trailing
    /// space, a zero-filled one no space at all, a left-aligned one no leading space); delimited and XML
    /// values carry no padding; yuan are digits with at most two decimals after at least one digit
    /// (`.5`, `1.`, `1.234` are refused), fen are digits only.
    static func amountFormProblem(raw: Slice<UnsafeBufferPointer<UInt8>>, value: Slice<UnsafeBufferPointer<UInt8>>, plan: FieldPlan, fixed: Bool) -> String? {
        let space = UInt8(ascii: " ")
        if fixed {
            switch plan.alignment {
            case .right:
                if raw.last == space { return "is not right-aligned as the spec declares (a space after the value)" }
                if plan.pad == UInt8(ascii: "0"), raw.contains(space) { return "is not zero-filled as the spec declares (spaces in the field)" }
            case .left:
                if raw.first == space { return "is not left-aligned as the spec declares (padding before the value)" }
            }
        } else if raw.first == space || raw.last == space {
            return "has spaces around the value; \(plan.inFen ? "fen" : "yuan") are written without padding"
        }
        var digits = value[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard let first = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return plan.inFen ? "should be an amount in fen (digits)" : "should be a yuan amount like 1234.56 (a digit before any decimal point)"
        }
        if !plan.inFen, let point = digits.firstIndex(of: UInt8(ascii: ".")) {
            let decimals = digits.distance(from: point, to: digits.endIndex) - 1
            if decimals < 1 || decimals > 2 { return "should be a yuan amount like 1234.56 (one or two decimals, found \(decimals))" }
        }
        return nil
    }

    func parseMoney(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, fen: Bool) -> Money? {
        if fen {
            if bytes.first == UInt8(ascii: "-") { return parseInteger(bytes.dropFirst()).map { Money(fen: -$0) } }
            return parseInteger(bytes).map { Money(fen: $0) }
        }
        return try? Money(yuanBytes: bytes)
    }

    func shown(_ raw: some Collection<UInt8>, _ field: FieldSpec) -> String {
        let text: String
        if let decoded = codec.decode(raw) {
            text = decoded
        } else {
            text = raw.map { byte -> String in
                byte < 0x80 ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16, uppercase: true)
            }.joined()
        }
        // Any field may hold what a bank misplaced there (an ID number in an amount): long digit runs
        // are masked everywhere, personal fields as a whole.
        return "'" + (field.personal ? mask(text, source: field.source) : Masking.numbers(in: text)) + "'"
    }
}
