import PikouCore
import PikouCrypto
import Foundation
import PikouXML

// What every layout family shares: a record's values (by byte range) decoded into a line or
// the file's summary, the totals checked, the field values trimmed and parsed.

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
    var ranges: [Range<Int>] = []
    /// Whether each value of the current line was in double quotes (delimited layouts that quote).
    var quoted: [Bool] = []
    /// The form of the detail record's result codes (`code_pattern`), if the spec declares one.
    let codePattern: CodePattern?

    init(spec: BankSpec, layout: Layout, kind: FileKind, fileName: String) {
        self.codec = TextCodec(spec.encoding)
        self.spec = spec
        self.layout = layout
        self.kind = kind
        self.fileName = fileName
        headerPlans = layout.header.map { FieldPlan.plans($0, layout: layout.kind) } ?? []
        detailPlans = FieldPlan.plans(layout.detail, layout: layout.kind)
        trailerPlans = layout.trailer.map { FieldPlan.plans($0, layout: layout.kind) } ?? []
        detailHasSequence = layout.detail.fields.contains { $0.type == .sequence }
        sequenceField = layout.detail.fields.first { $0.type == .sequence }?.name ?? "sequence"
        codePattern = layout.detail.fields.first { $0.codePattern != nil }?.codePattern.flatMap(CodePattern.init)
    }

    mutating func report(_ code: Diagnostic.Code, line: Int? = nil, field: String? = nil, _ message: String) {
        report(.error, code, line: line, field: field, message)
    }

    mutating func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, line: Int? = nil, field: String? = nil, _ message: String) {
        diagnostics.append(Diagnostic(severity, code, file: fileName, line: line, field: field, message))
    }
}

extension ReadState {
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
        let plans = isDetail ? detailPlans : FieldPlan.plans(record, layout: layout.kind)
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
            // A number at a declared width (fixed layouts, or `width` in a delimited or XML one) has its padding.
            let sized = fixed || plan.padded
            // A result code is compared exactly as the spec declares it: only its field's padding
            // comes off (' 00' or '00 ' is not '00': a bank never pads a code on both sides).
            let trimmed = plan.source == .resultCode ? padOnly(raw, plan, fixed: sized) : sized ? trim(raw, plan) : trimSpaces(raw)
            func bad(_ code: Diagnostic.Code, _ what: String) {
                let field = record.fields[plan.index]
                report(code, line: lineNumber, field: field.name, "\(shown(raw, field)) \(what)")
                ok = false
            }
            if plan.padded, raw.count != plan.width, plan.type != .filler {
                bad(.valueTooWide, "is \(raw.count) bytes; the spec writes this field at width \(plan.width), padded with '\(Character(Unicode.Scalar(plan.pad)))' (e.g. \(String(repeating: Character(Unicode.Scalar(plan.pad)), count: max(plan.width - 2, 0)))42)")
                continue
            }
            switch plan.type {
            case .filler, .formatted:
                continue
            case .datetime:
                guard trimmed.count >= 10, let date = DatePattern.parse(trimmed.prefix(10), "yyyy-MM-dd") else {
                    bad(.invalidDate, "is not an ISO 8601 date-time (yyyy-MM-ddTHH:mm:ss)")
                    continue
                }
                setDate(date, for: plan.source, line: &line, isDetail: isDetail)
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
                if isDetail, source == .resultCode, let pattern = codePattern, !pattern.matches(text) {
                    let form = record.fields[plan.index].codePattern ?? ""
                    bad(.malformedResultCode, "is not a result code in the form \(spec.code)'s codes take (code_pattern \"\(form)\"): the line is broken, not a new answer")
                    continue
                }
                if isDetail, source == .account || source == .payerIDNumber {
                    // What identifies the payer is never blank or signed: a line without it cannot be checked against its debit.
                    if text.isEmpty { bad(.invalidText, "is empty; each line must carry the \(source == .account ? "account" : "ID number") its debit was sent with"); continue }
                    // (On the bytes: String.contains(String) is Foundation's search, a tenth of a read's time.)
                    if let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || text.utf8.contains(UInt8(ascii: " ")) {
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
                var declared: Money?
                if let number = plan.number {
                    // A declared form (grouping, decimal mark, sign style) is read strictly.
                    if let problem = Self.paddingProblem(raw: raw, plan: plan, fixed: sized) { bad(.invalidAmount, problem); continue }
                    switch number.parse(trimmed, inFen: plan.inFen, signed: plan.signed) {
                    case .success(let money): declared = money
                    case .failure(.sign):
                        bad(.invalidAmount, "is negative; amounts in \(spec.code) files are unsigned (a field marked 'signed: true' in the spec allows one)")
                        continue
                    case .failure(.form):
                        bad(.invalidAmount, "is not in the form the spec declares: \(number.describe(inFen: plan.inFen, signed: plan.signed))")
                        continue
                    case .failure(.range):
                        bad(.amountOutOfRange, "has more digits than 64-bit fen can count")
                        continue
                    }
                }
                if declared == nil, !plan.signed, let sign = trimmed.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    bad(.invalidAmount, "has a sign; amounts in \(spec.code) files are unsigned (a field marked 'signed: true' in the spec allows one)")
                    continue
                }
                if declared == nil, let problem = Self.amountFormProblem(raw: raw, value: trimmed, plan: plan, fixed: sized) {
                    bad(.invalidAmount, problem)
                    continue
                }
                guard let money = declared ?? parseMoney(trimmed, fen: plan.inFen) else {
                    bad(.invalidAmount, plan.inFen ? "should be an amount in fen (digits)" : "should be a yuan amount like 1234.56")
                    continue
                }
                if plan.type == .total, money.fen.magnitude > spec.largestFileTotal.fen.magnitude {
                    bad(.amountOutOfRange, "declares \(Masking.numbers(in: money.description)) yuan, more than a \(spec.code) file may carry (\(spec.largestFileTotal) yuan)")
                    continue
                }
                if plan.source == .balance {
                    summary.balance = money
                    continue
                }
                // A statement's entry settles a whole debit file: bounded by a file's largest total, not a debit's.
                if plan.type != .total, kind == .statement ? money.fen.magnitude > spec.largestFileTotal.fen.magnitude : money.fen.magnitude > spec.maxAmountPerLine.fen.magnitude {
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
                setDate(date, for: plan.source, line: &line, isDetail: isDetail)
            }
        }
        guard isDetail else { return }
        // A line left out (any field in error) leaves the total unchecked: its sum would differ by the
        // line, a second finding for one fault.
        if !amountParsed || !ok { allAmountsParsed = false }
        guard ok else { return }
        var outcome: Outcome?
        var entry: EntryKind?
        if kind.hasEntries {
            guard let mapped = layout.entryCodes[line.resultCode] else {
                let codeField = record.fields.first { $0.source == .resultCode }?.name ?? "result_code"
                report(.malformedResultCode, line: lineNumber, field: codeField,
                       "entry code '\(line.resultCode)' is not in \(spec.code)'s entry_codes; add it to the \(kind.section) layout's entry_codes (\(EntryKind.allowed(in: kind).map(\.rawValue).joined(separator: ", ")))")
                return
            }
            entry = mapped
        } else if kind.isOurs {
            let position = detailLineCount
            if detailHasSequence, line.sequence != position {
                report(.sequenceMismatch, line: lineNumber, field: sequenceField, "sequence is \(line.sequence) but this is record \(position) of the file")
            }
        } else {
            if detailHasSequence, !seenSequences.insert(line.sequence).inserted {
                report(.review, .duplicateSequence, line: lineNumber, field: sequenceField, "sequence \(line.sequence) appears more than once; the bank returned one debit twice")
            }
            let code = line.resultCode
            if let mapped = layout.outcomes?.outcome(code: code, text: line.resultText.isEmpty ? nil : line.resultText) {
                outcome = mapped
            } else {
                outcome = .unknown
                if layout.outcomes?.codes.isEmpty == true {
                    // A bank that answers in words: the text is the key.
                    let textField = record.fields.first { $0.source == .resultText }?.name ?? "result_text"
                    report(.review, .unmappedResultCode, line: lineNumber, field: textField,
                           "result text '\(line.resultText)' is not in \(spec.code)'s table; the line reads as unknown and needs operator review")
                } else {
                    let codeField = record.fields.first { $0.source == .resultCode }?.name ?? "result_code"
                    report(.review, .unmappedResultCode, line: lineNumber, field: codeField,
                           "result code '\(code)'\(line.resultText.isEmpty ? "" : " ('\(line.resultText)')") is not in \(spec.code)'s table; the line reads as unknown and needs operator review")
                }
            }
        }
        lines.append(ParsedLine(lineNumber: lineNumber, line: line, outcome: outcome, entry: entry))
    }

    /// Keeps a date the file gives: a line's value date, else the file's date or collection date.
    mutating func setDate(_ date: CivilDate, for source: FieldSource?, line: inout DebitLine, isDetail: Bool) {
        switch source {
        case .valueDate where isDetail: line.valueDate = date
        case .fileDate: summary.fileDate = date
        case .collectionDate: summary.collectionDate = date
        default: break
        }
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
            // Keep one zero when a zero-padded number is all zeros, and the zero before a decimal mark
            // (00000.05 is 0.05, not .05).
            while start < end, raw[start] == space
                || (raw[start] == plan.pad && end - start > 1 && (plan.pad != UInt8(ascii: "0") || raw[start + 1] &- UInt8(ascii: "0") < 10)) { start += 1 }
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

    /// Why an amount's padding is not as its spec declares (the alignment part of ``amountFormProblem``).
    static func paddingProblem(raw: Slice<UnsafeBufferPointer<UInt8>>, plan: FieldPlan, fixed: Bool) -> String? {
        let space = UInt8(ascii: " ")
        guard fixed else {
            return raw.first == space || raw.last == space ? "has spaces around the value; amounts are written without padding here" : nil
        }
        switch plan.alignment {
        case .right: return raw.last == space ? "is not right-aligned as the spec declares (a space after the value)" : nil
        case .left: return raw.first == space ? "is not left-aligned as the spec declares (padding before the value)" : nil
        }
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
