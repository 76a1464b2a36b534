internal import CLibXML2

/// A streaming XML writer (libxml2's xmlTextWriter) into memory or straight into a file, so that a
/// file of millions of records is never a tree in memory. Text and attribute values are escaped by
/// libxml2; every call that fails is remembered and reported by ``finish()``.
public final class XMLWriter {
    private var writer: xmlTextWriterPtr?
    private let buffer: xmlBufferPtr?
    private let destination: String
    private var failed: String?

    /// A writer into memory; ``finish()`` returns the bytes.
    public init(indent: Bool = true) throws(XMLError) {
        LibXML2.ensureInitialized()
        guard let buffer = xmlBufferCreate(), let writer = xmlNewTextWriterMemory(buffer, 0) else {
            throw XMLError(.notWellFormed, "cannot create an XML writer")
        }
        self.buffer = buffer
        self.writer = writer
        self.destination = "memory"
        configure(indent: indent)
    }

    /// A writer into the file at `path` (created or truncated); ``finish()`` returns no bytes.
    public init(path: String, indent: Bool = true) throws(XMLError) {
        LibXML2.ensureInitialized()
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw XMLError(.notWellFormed, "\(path): cannot create the file")
        }
        self.buffer = nil
        self.writer = writer
        self.destination = path
        configure(indent: indent)
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
    }

    private func configure(indent: Bool) {
        guard indent, let writer else { return }
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, " ")
    }

    private func check(_ status: Int32, _ what: @autoclosure () -> String) {
        if status < 0 && failed == nil { failed = "\(destination): cannot write \(what())" }
    }

    /// The XML declaration, with `encoding` (`UTF-8`).
    public func startDocument(encoding: String = "UTF-8") {
        check(xmlTextWriterStartDocument(writer, "1.0", encoding, nil), "the XML declaration")
    }

    // Strings reach libxml2 through withCString: a native Swift string lends its UTF-8 without a copy
    // (the implicit String-to-xmlChar* conversion would copy it into a new array every call).

    public func startElement(_ name: String) {
        check(name.withXMLChars { xmlTextWriterStartElement(writer, $0) }, "<\(name)>")
    }

    public func attribute(_ name: String, _ value: String) {
        check(name.withXMLChars { name in value.withXMLChars { xmlTextWriterWriteAttribute(writer, name, $0) } }, "attribute \(name)")
    }

    /// Text content, escaped.
    public func text(_ value: String) {
        check(value.withXMLChars { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// `<name>value</name>`.
    public func element(_ name: String, _ value: String) {
        check(name.withXMLChars { name in value.withXMLChars { xmlTextWriterWriteElement(writer, name, $0) } }, "<\(name)>")
    }

    public func endElement() {
        check(xmlTextWriterEndElement(writer), "an end tag")
    }

    /// A line feed between elements (whitespace the schema ignores): with `indent: false`, one per
    /// record keeps each record on its own line, so diagnostics can name it.
    public func newline() {
        check(xmlTextWriterWriteRaw(writer, "\n"), "a line feed")
    }

    /// Closes every open element and the document; returns the bytes of a memory writer.
    ///
    /// - Throws: ``XMLError`` if any call failed (the first failure is named).
    public func finish() throws(XMLError) -> [UInt8] {
        check(xmlTextWriterEndDocument(writer), "the end of the document")
        check(xmlTextWriterFlush(writer), "the last bytes")
        if let writer { xmlFreeTextWriter(writer) }
        writer = nil
        if let failed { throw XMLError(.notWellFormed, failed) }
        guard let buffer, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }
}

extension String {
    /// The string's NUL-terminated UTF-8 as libxml2's `xmlChar*`, lent for the call.
    func withXMLChars<R>(_ body: (UnsafePointer<xmlChar>) -> R) -> R {
        withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }
}
