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

    public func startElement(_ name: String) {
        check(xmlTextWriterStartElement(writer, name), "<\(name)>")
    }

    public func attribute(_ name: String, _ value: String) {
        check(xmlTextWriterWriteAttribute(writer, name, value), "attribute \(name)")
    }

    /// Text content, escaped.
    public func text(_ value: String) {
        check(xmlTextWriterWriteString(writer, value), "text")
    }

    /// `<name>value</name>`.
    public func element(_ name: String, _ value: String) {
        check(xmlTextWriterWriteElement(writer, name, value), "<\(name)>")
    }

    public func endElement() {
        check(xmlTextWriterEndElement(writer), "an end tag")
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
