public import PikouCore
import PikouXML

/// Keeps the writer's open elements in step with the field paths: the elements two consecutive
/// fields share stay open, and an element is opened only when a value is written inside it, so an
/// optional field left empty leaves no empty parents behind.
struct XMLElementCursor {
    /// The open elements below the base (the document element, or a record element).
    private(set) var open: [String] = []
    /// The top element was opened for an attribute and has no content yet.
    private var acceptsAttributes = false

    /// Closes elements until `open` is a prefix of `parent`, then opens the rest of `parent`.
    mutating func move(to parent: ArraySlice<String>, _ writer: XMLWriter) {
        var common = 0
        while common < open.count, common < parent.count, open[common] == parent[parent.startIndex + common] { common += 1 }
        while open.count > common {
            writer.endElement()
            open.removeLast()
        }
        for name in parent.dropFirst(common) {
            writer.startElement(name)
            open.append(name)
        }
        acceptsAttributes = false
    }

    /// Writes one field's value at `path` (as `attribute` of that element, or as its text).
    mutating func write(_ value: String, path: [String], attribute: String?, _ writer: XMLWriter) {
        if path.isEmpty, let attribute {
            // An attribute of the base element itself (a record's `@SeqNo`): before anything inside it.
            writer.attribute(attribute, value)
            return
        }
        let reusable = acceptsAttributes && open.elementsEqual(path)
        if let attribute {
            if !reusable {
                move(to: path.dropLast(), writer)
                writer.startElement(path[path.count - 1])
                open.append(path[path.count - 1])
            }
            writer.attribute(attribute, value)
            acceptsAttributes = true
        } else if reusable {
            writer.text(value)
            writer.endElement()
            open.removeLast()
            acceptsAttributes = false
        } else {
            move(to: path.dropLast(), writer)
            writer.element(path[path.count - 1], value)
        }
    }

    /// Closes every open element.
    mutating func close(_ writer: XMLWriter) { move(to: [], writer) }
}

extension FileWriter {
    /// Writes an XML file in memory: the declaration, the document element with its namespace, the
    /// header fields, one record element per line, the trailer fields; then validates the bytes
    /// against the layout's schema, so that no file leaves Pikou that the bank's schema rejects.
    func writeXML(
        _ lines: [DebitLine], context: FileContext, shape: XMLShape, total: Money, diagnostics initial: [Diagnostic]
    ) throws(FormatWriteError) -> WrittenFile {
        let schema = try loadSchema(shape, diagnostics: initial)
        let writer: XMLWriter
        do { writer = try XMLWriter(indent: false) } catch { throw FormatWriteError(diagnostics: initial + XMLSchemas.diagnostics(error.issues, fileName: "")) }
        let bytes = try emit(lines, count: lines.count, total: total, context: context, shape: shape, into: writer, diagnostics: initial)
        let name = fileName(context: context)
        let issues = schema.validate(bytes.bytes, url: name)
        if !issues.isEmpty {
            throw FormatWriteError(diagnostics: bytes.diagnostics + XMLSchemas.diagnostics(issues.map(\.masked), fileName: name))
        }
        return WrittenFile(bytes: bytes.bytes, count: lines.count, total: total, warnings: bytes.diagnostics)
    }

    /// Streams an XML file straight to `path` from `lines` (any sequence, e.g. generated or read as
    /// it goes), then validates the file against the schema while streaming through it: neither the
    /// lines, nor the bytes, nor a tree of the document is ever whole in memory. The header needs
    /// the file's record count and total before the first record: the caller gives them, and they
    /// are checked against the lines as they pass.
    ///
    /// - Returns: the file's count and total (no bytes: they are on disk, unsigned).
    public func streamXML(
        to path: String, lines: some Sequence<DebitLine>, count: Int, total: Money, context: FileContext
    ) throws(FormatWriteError) -> WrittenFile {
        guard let shape = layout.xml else {
            throw FormatWriteError(diagnostics: [Diagnostic(.error, .invalidText, "\(spec.code) files are not XML; streaming is for XML layouts")])
        }
        let schema = try loadSchema(shape, diagnostics: [])
        let writer: XMLWriter
        do { writer = try XMLWriter(path: path, indent: false) } catch { throw FormatWriteError(diagnostics: XMLSchemas.diagnostics(error.issues, fileName: path)) }
        let emitted = try emit(lines, count: count, total: total, context: context, shape: shape, into: writer, diagnostics: [])
        let diagnostics = emitted.diagnostics
        if emitted.count != count || emitted.sum != total {
            throw FormatWriteError(diagnostics: diagnostics + [Diagnostic(.error, .totalMismatch, file: path,
                "the header was given \(count) records and \(total) yuan but the lines were \(emitted.count) records and \(emitted.sum) yuan")])
        }
        let issues = schema.validate(fileAt: path)
        if !issues.isEmpty {
            throw FormatWriteError(diagnostics: diagnostics + XMLSchemas.diagnostics(issues.map(\.masked), fileName: path))
        }
        return WrittenFile(bytes: [], count: count, total: total, warnings: diagnostics)
    }

    private func loadSchema(_ shape: XMLShape, diagnostics: [Diagnostic]) throws(FormatWriteError) -> XMLSchema {
        switch XMLSchemas.load(shape, bank: spec.code) {
        case .success(let loaded): return loaded
        case .failure(let error): throw FormatWriteError(diagnostics: diagnostics + [error.diagnostic])
        }
    }

    /// Writes the document into `writer`; returns its bytes (empty for a file writer) and diagnostics.
    private func emit(
        _ lines: some Sequence<DebitLine>, count: Int, total: Money, context: FileContext, shape: XMLShape,
        into writer: XMLWriter, diagnostics initial: [Diagnostic]
    ) throws(FormatWriteError) -> (bytes: [UInt8], diagnostics: [Diagnostic], count: Int, sum: Money) {
        var diagnostics = initial
        var seen = 0
        var sum = Money.zero
        var values = XMLValues(spec: spec, kind: kind, context: context, count: count, total: total)
        writer.startDocument()
        writer.startElement(shape.root)
        if let namespace = shape.namespace { writer.attribute("xmlns", namespace) }
        // Every prefix the spec's names use, declared once on the document element.
        for (prefix, uri) in shape.namespaces.sorted(by: { $0.key < $1.key }) { writer.attribute("xmlns:" + prefix, uri) }
        var cursor = XMLElementCursor()
        for field in layout.header?.fields ?? [] {
            values.write(field, line: nil, position: 0, cursor: &cursor, writer)
        }
        cursor.move(to: shape.record.dropLast(), writer)
        let recordName = shape.record[shape.record.count - 1]
        let parts = SourceParts(layout.detail)
        for (offset, line) in lines.enumerated() {
            let position = offset + 1
            seen = position
            do { sum = try sum.adding(line.amount) } catch {
                values.diagnostics.append(Diagnostic(.error, .invalidAmount, line: position, field: "amount", "\(error)"))
            }
            values.diagnostics += lineChecks(line, position: position, fileLine: position)
            writer.newline()
            writer.startElement(recordName)
            var inner = XMLElementCursor()
            for (index, field) in layout.detail.fields.enumerated() {
                values.write(field, line: line, position: position, part: parts.part[index], cursor: &inner, writer)
            }
            inner.close(writer)
            writer.endElement()
        }
        writer.newline()
        for field in layout.trailer?.fields ?? [] {
            values.write(field, line: nil, position: 0, cursor: &cursor, writer)
        }
        diagnostics += values.diagnostics
        let bytes: [UInt8]
        do { bytes = try writer.finish() } catch { throw FormatWriteError(diagnostics: diagnostics + XMLSchemas.diagnostics(error.issues, fileName: "")) }
        if diagnostics.hasErrors { throw FormatWriteError(diagnostics: diagnostics) }
        return (bytes, diagnostics, seen, sum)
    }
}

/// Which part of a `/`-joined value each detail field carries, when several fields share a source
/// (`TxSts` and `StsRsnInf/Rsn/Cd` both carry result_code: `RJCT/AM04`).
struct SourceParts {
    /// For each field: its index among the fields of its source, and how many there are.
    var part: [(index: Int, of: Int)]

    init(_ record: RecordSpec) {
        var counts: [FieldSource: Int] = [:]
        for field in record.fields { if let source = field.source, field.type == .text || field.type == .digits { counts[source, default: 0] += 1 } }
        var seen: [FieldSource: Int] = [:]
        part = record.fields.map { field in
            guard let source = field.source, let count = counts[source], count > 1 else { return (0, 1) }
            defer { seen[source, default: 0] += 1 }
            return (seen[source, default: 0], count)
        }
    }
}

/// The text of each XML field, with the checks the text layouts make.
struct XMLValues {
    let spec: BankSpec
    let kind: FileKind
    let context: FileContext
    let count: Int
    let total: Money
    var diagnostics: [Diagnostic] = []

    init(spec: BankSpec, kind: FileKind, context: FileContext, count: Int, total: Money) {
        self.spec = spec
        self.kind = kind
        self.context = context
        self.count = count
        self.total = total
    }

    mutating func write(
        _ field: FieldSpec, line: DebitLine?, position: Int, part: (index: Int, of: Int) = (0, 1),
        cursor: inout XMLElementCursor, _ writer: XMLWriter
    ) {
        guard var value = text(field, line: line, position: position, part: part) else { return }
        if field.width > 0, field.type.isNumeric {
            // A number at a declared width (`<SeqNo>000042</SeqNo>`).
            let length = value.utf8.count
            guard length <= field.width else {
                diagnostics.append(Diagnostic(.error, .valueTooWide, line: position == 0 ? nil : position, field: field.name,
                    "'\(value)' is \(length) bytes, wider than the field's \(field.width)"))
                return
            }
            let pad = String(repeating: Character(Unicode.Scalar(field.pad)), count: field.width - length)
            value = field.alignment == .right ? pad + value : value + pad
        }
        if value.isEmpty && field.optional { return }
        cursor.write(value, path: field.path, attribute: field.attribute, writer)
    }

    /// An amount in the field's declared form (or the plain one).
    private mutating func amount(_ money: Money, _ field: FieldSpec, inFen: Bool, position: Int) -> String? {
        guard let number = field.number else { return inFen ? String(money.fen) : money.yuanText }
        guard money.fen >= 0 || field.signed else {
            diagnostics.append(Diagnostic(.error, .invalidAmount, line: position == 0 ? nil : position, field: field.name,
                "negative amount \(money) yuan in an unsigned field (the spec allows one with 'signed: true')"))
            return nil
        }
        var bytes: [UInt8] = []
        number.append(money, inFen: inFen, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func text(_ field: FieldSpec, line: DebitLine?, position: Int, part: (index: Int, of: Int)) -> String? {
        switch field.type {
        case .count: return String(count)
        case .total: return amount(total, field, inFen: field.unit == .fen, position: position)
        case .sequence: return String(kind.isOurs ? position : line?.sequence ?? position)
        case .fen where field.source != .balance: return amount(line?.amount ?? .zero, field, inFen: true, position: position)
        case .fen: return amount(context.balance ?? .zero, field, inFen: true, position: position)
        case .yuan where field.source == .balance: return amount(context.balance ?? .zero, field, inFen: false, position: position)
        case .yuan: return amount(line?.amount ?? .zero, field, inFen: false, position: position)
        case .constant: return field.value ?? ""
        case .filler: return nil
        case .formatted:
            return (try? FileNamePattern(field.value ?? ""))?.fileName(bank: spec.code, kind: kind, context: context) ?? ""
        case .date, .datetime:
            guard let source = field.source, let date = source == .valueDate ? line?.valueDate : context.date(for: source) else { return "" }
            if field.type == .date { return DatePattern.format(date, field.pattern ?? "yyyy-MM-dd") }
            return DatePattern.format(date, "yyyy-MM-dd") + "T" + (field.value ?? "00:00:00")
        case .text, .digits:
            guard let source = field.source else { return "" }
            var value: String
            if source.isFileLevel || line == nil {
                value = context.text(for: source) ?? ""
            } else {
                value = line!.text(for: source)
            }
            if part.of > 1 {
                let pieces = value.split(separator: "/", omittingEmptySubsequences: false)
                value = part.index < pieces.count ? String(pieces[part.index]) : ""
            }
            let lineNumber = position == 0 ? nil : position
            if field.type == .digits, !value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                diagnostics.append(Diagnostic(.error, .invalidDigits, line: lineNumber, field: field.name,
                    "'\(field.personal ? mask(value, source: source) : value)' must be digits only"))
                return nil
            }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
                diagnostics.append(Diagnostic(.error, .invalidText, line: lineNumber, field: field.name,
                    "'\(field.personal ? mask(value, source: source) : value)' holds a control character, which XML 1.0 cannot carry"))
                return nil
            }
            return value
        }
    }
}
