public import PikouCore

/// A bank's file-name pattern, e.g. `BOC_DK_{collector}_{date:yyyyMMdd}_{batch:3}.txt`.
///
/// Placeholders: `{bank}`, `{collector}`, `{kind}` (`DK` for debit, `HP` for return, `CX` for a cancel message, `TK` for a refund instruction, `TH` for its result file),
/// `{date:PATTERN}` (the file date), `{batch:N}` (the batch number, zero-padded to N digits).
public struct FileNamePattern: Sendable, Hashable {
    enum Part: Hashable {
        case literal(String)
        case bank, collector, kind
        case date(String)
        case batch(Int)
    }

    let parts: [Part]

    /// Parses `pattern`.
    ///
    /// - Throws: ``PikouError`` for an unknown placeholder, a bad date pattern or an unclosed brace.
    public init(_ pattern: String) throws(PikouError) {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PikouError("spec.fileName", Message(zh: "文件名模式 '\(pattern)' 中的 '{' 没有闭合",
                                                          en: "file name pattern '\(pattern)' has an unclosed '{'"))
            }
            let body = rest[rest.index(after: open)..<close]
            let pieces = body.split(separator: ":", maxSplits: 1).map(String.init)
            switch pieces.first ?? "" {
            case "bank": parts.append(.bank)
            case "collector": parts.append(.collector)
            case "kind": parts.append(.kind)
            case "date":
                let datePattern = pieces.count > 1 ? pieces[1] : "yyyyMMdd"
                if let problem = DatePattern.problem(datePattern) { throw PikouError("spec.fileName", problem) }
                parts.append(.date(datePattern))
            case "batch":
                guard pieces.count == 2, let width = Int(pieces[1]), (1...12).contains(width) else {
                    throw PikouError("spec.fileName", Message(zh: "文件名占位符 '{batch:N}' 需要 1 到 12 之间的宽度 N",
                                                              en: "file name placeholder {batch:N} needs a width N from 1 to 12"))
                }
                parts.append(.batch(width))
            default:
                throw PikouError("spec.fileName", Message(
                    zh: "未知的文件名占位符 {\(body)}；可用的有：'bank'、'collector'、'kind'、'date:格式'、'batch:N'",
                    en: "unknown file name placeholder {\(body)}; known: bank, collector, kind, date:PATTERN, batch:N"))
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        if pattern.contains("/") {
            throw PikouError("spec.fileName", Message(zh: "文件名模式中不能含有 '/'", en: "a file name pattern may not contain '/'"))
        }
        self.parts = parts
    }

    /// The largest batch number the pattern can write (`{batch:2}`: 99), or `nil` if it has no batch.
    public var maxBatchNo: Int? {
        for part in parts { if case .batch(let width) = part { return Int(pow10(width)) - 1 } }
        return nil
    }

    private func pow10(_ n: Int) -> Int64 { (0..<n).reduce(Int64(1)) { value, _ in value * 10 } }

    /// The file name for `context` and `kind`.
    public func fileName(bank: String, kind: FileKind, context: FileContext) -> String {
        var name = ""
        for part in parts {
            switch part {
            case .literal(let text): name += text
            case .bank: name += bank
            case .collector: name += context.collector
            case .kind:
                switch kind {
                case .debit: name += "DK"
                case .cancel: name += "CX"
                case .return: name += "HP"
                case .statement: name += "ST"
                case .reconciliation: name += "DZ"
                case .refund: name += "TK"
                case .refundReturn: name += "TH"
                }
            case .date(let pattern): name += DatePattern.format(context.fileDate, pattern)
            case .batch(let width):
                let digits = String(context.batchNo)
                name += String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
        }
        return name
    }

    /// The values a file name carries, read back with the pattern.
    public struct Values: Sendable, Hashable {
        public var collector: String?
        public var kind: FileKind?
        public var date: CivilDate?
        public var batchNo: Int?
    }

    /// Reads a file name made with this pattern, or returns `nil` if it does not fit.
    ///
    /// Every part has a fixed width except `{collector}`, whose width is what the others leave.
    public func parse(_ name: String, bank: String) -> Values? {
        let bytes = Array(name.utf8)
        func width(_ part: Part) -> Int? {
            switch part {
            case .literal(let text): text.utf8.count
            case .bank: bank.utf8.count
            case .kind: 2
            case .date(let pattern): pattern.utf8.count
            case .batch(let digits): digits
            case .collector: nil
            }
        }
        let fixed = parts.compactMap(width).reduce(0, +)
        let variable = parts.filter { width($0) == nil }.count
        guard variable <= 1, bytes.count >= fixed, variable == 1 || bytes.count == fixed else { return nil }
        var values = Values()
        var offset = 0
        for part in parts {
            let length = width(part) ?? (bytes.count - fixed)
            guard offset + length <= bytes.count else { return nil }
            let slice = Array(bytes[offset..<offset + length])
            offset += length
            switch part {
            case .literal(let text): guard slice == Array(text.utf8) else { return nil }
            case .bank: guard slice == Array(bank.utf8) else { return nil }
            case .kind:
                switch String(decoding: slice, as: UTF8.self) {
                case "DK": values.kind = .debit
                case "HP": values.kind = .return
                case "TK": values.kind = .refund
                case "TH": values.kind = .refundReturn
                default: return nil
                }
            case .date(let pattern):
                guard let date = DatePattern.parse(slice, pattern) else { return nil }
                values.date = date
            case .batch:
                guard let number = Int(String(decoding: slice, as: UTF8.self)) else { return nil }
                values.batchNo = number
            case .collector:
                guard !slice.isEmpty else { return nil }
                values.collector = String(decoding: slice, as: UTF8.self)
            }
        }
        return values
    }
}
