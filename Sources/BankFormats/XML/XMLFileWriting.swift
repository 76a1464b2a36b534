import PikouCore
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
    /// Writes an XML file: the declaration, the document element with its namespace, the header
    /// fields, one record element per line, the trailer fields; then validates the bytes against the
    /// layout's schema, so that no file leaves Pikou that the bank's schema rejects.
    func writeXML(
        _ lines: [DebitLine], context: FileContext, shape: XMLShape, total: Money, diagnostics initial: [Diagnostic]
    ) throws(FormatWriteError) -> WrittenFile {
        var diagnostics = initial
        let schema: XMLSchema
        switch XMLSchemas.load(shape, bank: spec.code) {
        case .success(let loaded): schema = loaded
        case .failure(let error): throw FormatWriteError(diagnostics: diagnostics + [error.diagnostic])
        }
        let writer: XMLWriter
        do { writer = try XMLWriter() } catch { throw FormatWriteError(diagnostics: diagnostics + XMLSchemas.diagnostics(error.issues, fileName: "")) }
        var values = XMLValues(spec: spec, kind: kind, context: context, count: lines.count, total: total)
        writer.startDocument()
        writer.startElement(shape.root)
        if let namespace = shape.namespace { writer.attribute("xmlns", namespace) }
        var cursor = XMLElementCursor()
        for field in layout.header?.fields ?? [] {
            values.write(field, line: nil, position: 0, cursor: &cursor, writer)
        }
        cursor.move(to: shape.record.dropLast(), writer)
        let recordName = shape.record[shape.record.count - 1]
        let parts = SourceParts(layout.detail)
        for (offset, line) in lines.enumerated() {
            let position = offset + 1
            if kind == .debit && line.sequence != position {
                values.diagnostics.append(Diagnostic(.error, .sequenceMismatch, line: position, field: "seq",
                    "seq is \(line.sequence) but the line is record \(position) of the file: seq must run 1, 2, 3, ... in file order"))
            }
            if line.amount.fen <= 0 && kind == .debit {
                values.diagnostics.append(Diagnostic(.error, .invalidAmount, line: position, field: "amount",
                    "a debit amount must be positive, not \(line.amount) yuan"))
            }
            writer.startElement(recordName)
            var inner = XMLElementCursor()
            for (index, field) in layout.detail.fields.enumerated() {
                values.write(field, line: line, position: position, part: parts.part[index], cursor: &inner, writer)
            }
            inner.close(writer)
            writer.endElement()
        }
        for field in layout.trailer?.fields ?? [] {
            values.write(field, line: nil, position: 0, cursor: &cursor, writer)
        }
        diagnostics += values.diagnostics
        let bytes: [UInt8]
        do { bytes = try writer.finish() } catch { throw FormatWriteError(diagnostics: diagnostics + XMLSchemas.diagnostics(error.issues, fileName: "")) }
        if diagnostics.hasErrors { throw FormatWriteError(diagnostics: diagnostics) }
        let issues = schema.validate(bytes, url: fileName(context: context))
        if !issues.isEmpty {
            throw FormatWriteError(diagnostics: diagnostics + XMLSchemas.diagnostics(issues.map(\.masked), fileName: fileName(context: context)))
        }
        return WrittenFile(bytes: bytes, count: lines.count, total: total, warnings: diagnostics)
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
        guard let value = text(field, line: line, position: position, part: part) else { return }
        if value.isEmpty && field.optional { return }
        cursor.write(value, path: field.path, attribute: field.attribute, writer)
    }

    private mutating func text(_ field: FieldSpec, line: DebitLine?, position: Int, part: (index: Int, of: Int)) -> String? {
        switch field.type {
        case .count: return String(count)
        case .total: return field.unit == .fen ? String(total.fen) : total.yuanText
        case .sequence: return String(kind == .debit ? position : line?.sequence ?? position)
        case .fen: return String(line?.amount.fen ?? 0)
        case .yuan: return (line?.amount ?? .zero).yuanText
        case .constant: return field.value ?? ""
        case .filler: return nil
        case .formatted:
            return (try? FileNamePattern(field.value ?? ""))?.fileName(bank: spec.code, kind: kind, context: context) ?? ""
        case .date, .datetime:
            guard let source = field.source, let date = context.date(for: source) else { return "" }
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
