internal import CLibXML2

/// A streaming XML reader (libxml2's xmlTextReader), optionally validating against a schema as it
/// goes. Only the current node is in memory, so a file of millions of records reads in constant space.
///
/// Not well-formed input ends the read with an ``XMLError``; schema violations are collected in
/// ``issues`` and reading goes on, so that one pass reports them all.
public final class XMLReader {
    /// The kinds of node a caller acts on.
    public enum NodeType: Sendable, Equatable {
        case startElement
        case endElement
        /// Text or CDATA content.
        case text
        /// Anything else (whitespace, comments, processing instructions, the document type).
        case other
    }

    private let reader: xmlTextReaderPtr
    private let collector = IssueCollector()
    private var validation: xmlSchemaValidCtxtPtr?
    private let url: String

    private init(reader: xmlTextReaderPtr, schema: XMLSchema?, url: String) throws(XMLError) {
        self.reader = reader
        self.url = url
        xmlTextReaderSetStructuredErrorHandler(reader, IssueCollector.handler, collector.opaque)
        if let schema {
            guard let context = xmlSchemaNewValidCtxt(schema.pointer) else {
                xmlFreeTextReader(reader)
                throw XMLError(.schema, "\(schema.path): cannot create a validation context")
            }
            xmlSchemaSetValidStructuredErrors(context, IssueCollector.handler, collector.opaque)
            validation = context
            guard xmlTextReaderSchemaValidateCtxt(reader, context, 0) == 0 else {
                xmlFreeTextReader(reader)
                xmlSchemaFreeValidCtxt(context)
                throw XMLError(.schema, "\(schema.path): libxml2 refused to validate with this schema")
            }
        }
    }

    deinit {
        xmlFreeTextReader(reader)
        if let validation { xmlSchemaFreeValidCtxt(validation) }
    }

    /// Options for every document: no network, no DTD loading, no entity expansion, ignorable
    /// whitespace dropped.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// A reader over a file on disk, read in chunks.
    public convenience init(path: String, schema: XMLSchema?) throws(XMLError) {
        LibXML2.ensureInitialized()
        guard let reader = xmlReaderForFile(path, nil, Self.options) else {
            throw XMLError(.notWellFormed, "\(path): cannot open the file")
        }
        try self.init(reader: reader, schema: schema, url: path)
    }

    /// Runs `body` with a reader over `bytes` (which must stay untouched while it runs), once they
    /// pass `limits`.
    public static func withReader<R>(
        _ bytes: [UInt8], url: String, schema: XMLSchema?, limits: XMLLimits = .standard,
        _ body: (XMLReader) throws(XMLError) -> R
    ) throws(XMLError) -> R {
        try limits.check(bytes, url: url)
        LibXML2.ensureInitialized()
        let result: Result<R, XMLError> = bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            guard let pointer = xmlReaderForMemory(base, Int32(buffer.count), url, nil, Self.options) else {
                return .failure(XMLError(.notWellFormed, "\(url): cannot start reading"))
            }
            do throws(XMLError) {
                let reader = try XMLReader(reader: pointer, schema: schema, url: url)
                return .success(try body(reader))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Issues collected so far (schema violations; a not-well-formed error also ends ``read()``).
    public var issues: [XMLIssue] { collector.allIssues }

    /// Whether any error was reported.
    public var hasIssues: Bool { collector.hasErrors }

    /// Moves to the next node.
    ///
    /// - Returns: `false` at the end of the document.
    /// - Throws: ``XMLError`` when the document is not well-formed (with every issue so far).
    public func read() throws(XMLError) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status == 1 { return true }
        if status == 0 { return false }
        var issues = collector.allIssues
        if !issues.contains(where: { $0.kind == .notWellFormed }) {
            issues.append(XMLIssue(kind: .notWellFormed, line: line, message: "the document is not well-formed"))
        }
        throw XMLError(issues)
    }

    /// The current node's kind.
    public var nodeType: NodeType {
        switch xmlTextReaderNodeType(reader) {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): .startElement
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): .endElement
        case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue): .text
        default: .other
        }
    }

    /// Whether the current start element is `<x/>` (no end element follows).
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The current node's local name as libxml2 interns it: equal names give equal pointers for the
    /// whole document, so callers may key a cache by it.
    public var interned: UnsafeRawPointer? { xmlTextReaderConstLocalName(reader).map { UnsafeRawPointer($0) } }

    /// The current node's local name.
    public var localName: String { xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "" }

    /// The current node's namespace URI, if any.
    public var namespaceURI: String? { xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } }

    /// Appends the current node's text to `bytes` (UTF-8).
    public func appendValue(to bytes: inout [UInt8]) {
        guard let value = xmlTextReaderConstValue(reader) else { return }
        let length = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: length))
    }

    /// The value of the current element's attribute `name` (no namespace), if present.
    public func attribute(_ name: String) -> String? {
        guard let value = name.withXMLChars({ xmlTextReaderGetAttribute(reader, $0) }) else { return nil }
        defer { pikou_xml_free(value) }
        return String(cString: value)
    }

    /// The value of the current element's attribute `localName` in `namespace` (`r:code` with
    /// `xmlns:r="urn:…"` is `code` in `urn:…`, whatever prefix the document uses), if present.
    public func attribute(_ localName: String, namespace: String) -> String? {
        guard let value = localName.withXMLChars({ local in namespace.withXMLChars { xmlTextReaderGetAttributeNs(reader, local, $0) } }) else { return nil }
        defer { pikou_xml_free(value) }
        return String(cString: value)
    }

    /// The current element's attributes as `{namespace}local` (or `local`), for a message naming
    /// what is there when an expected attribute is not.
    public func attributeNames() -> [String] {
        var names: [String] = []
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return names }
        repeat {
            let local = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            if let ns = xmlTextReaderConstNamespaceUri(reader).map({ String(cString: $0) }) {
                if ns != "http://www.w3.org/2000/xmlns/" { names.append("{\(ns)}\(local)") }
            } else if local != "xmlns" {
                names.append(local)
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        _ = xmlTextReaderMoveToElement(reader)
        return names
    }

    /// The line the parser is on (it reads ahead of the current node).
    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// The line of the current node's start tag, or `nil` past line 65,534: libxml2 keeps an
    /// element's line in 16 bits (callers count lines themselves there, see ``LineCounter``).
    public var nodeLine: Int? {
        // The node's own 16-bit field: 65535 means "this line or later", and xmlGetLineNo's guess
        // from neighbouring nodes is not reliable in a streaming reader.
        guard let node = xmlTextReaderCurrentNode(reader) else { return nil }
        let line = Int(node.pointee.line)
        return line > 0 && line < 65_535 ? line : nil
    }
}

/// Finds the lines of successive start tags in a document in memory, for elements past the line
/// libxml2 can number: a forward-only scan, so a whole file costs one pass.
public struct LineCounter {
    private var offset = 0
    private var line = 1

    public init() {}

    /// Moves forward to the start of `target` (a line at or after the current one).
    public mutating func advance(toLine target: Int, in bytes: [UInt8]) {
        while line < target, let newline = bytes[offset...].firstIndex(of: 10) {
            offset = newline + 1
            line += 1
        }
    }

    /// The line of the next start tag `<name` or `<prefix:name` after the current position, moving
    /// past it; `nil` if there is none.
    public mutating func nextStartTag(_ name: [UInt8], in bytes: [UInt8]) -> Int? {
        var index = offset
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            var cursor = open + 1
            // An end tag (`</d:Line>`), a comment or a declaration is no start tag: with a prefix, the
            // name after its colon would match.
            if cursor < bytes.count, [UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[cursor]) {
                index = open + 1
                continue
            }
            // Skip a namespace prefix.
            if let colon = bytes[cursor..<min(bytes.count, cursor + 64)].firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ">") || $0 == 32 }),
               bytes[colon] == UInt8(ascii: ":") {
                cursor = colon + 1
            }
            let end = cursor + name.count
            if end < bytes.count, bytes[cursor..<end].elementsEqual(name),
               [UInt8(ascii: " "), UInt8(ascii: ">"), UInt8(ascii: "/"), 9, 10, 13].contains(bytes[end]) {
                line += bytes[offset..<open].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
                offset = open + 1  // past this tag's '<', so the next search finds the next tag
                return line
            }
            index = open + 1
        }
        return nil
    }
}
