internal import CLibXML2

/// A parsed XML document (a libxml2 tree), for the work that needs one: canonicalization and
/// enveloped signatures. Bulk reading and writing stream instead (``XMLReader``, ``XMLWriter``).
public final class XMLDocument {
    let pointer: xmlDocPtr

    /// Parses `bytes` within `limits`; `url` names the document in errors.
    ///
    /// - Throws: ``XMLError`` of kind ``XMLIssue/Kind/refused`` when the bytes break a bound (before
    ///   any tree is built), else with libxml2's messages and lines when they are not well-formed.
    public init(parsing bytes: [UInt8], url: String, limits: XMLLimits = .standard) throws(XMLError) {
        try limits.check(bytes, url: url)
        LibXML2.ensureInitialized()
        let collector = IssueCollector()
        // libxml2 2.9 has no per-context structured handler for the tree parser: use the thread's.
        xmlSetStructuredErrorFunc(collector.opaque, IssueCollector.handler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                xmlReadMemory(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), url, nil,
                              Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue))
            }
        }
        withExtendedLifetime(collector) {}
        guard let parsed, !collector.hasErrors else {
            if let parsed { xmlFreeDoc(parsed) }
            let issues = collector.allIssues
            throw XMLError(issues.isEmpty ? [XMLIssue(kind: .notWellFormed, line: nil, message: "\(url): not well-formed XML")] : issues)
        }
        pointer = parsed
    }

    deinit { xmlFreeDoc(pointer) }

    /// The document element.
    public var root: XMLNode? { xmlDocGetRootElement(pointer).map { XMLNode(pointer: $0, document: self) } }

    /// Exclusive XML Canonicalization 1.0 (without comments) of the document, or of the subtree of
    /// `include`, leaving out the subtree of `exclude` (the enveloped-signature transform).
    public func canonical(include: XMLNode? = nil, exclude: XMLNode? = nil) throws(XMLError) -> [UInt8] {
        var output: UnsafeMutablePointer<xmlChar>?
        let length = pikou_c14n(pointer, include?.pointer, exclude?.pointer, &output)
        guard length >= 0, let output else { throw XMLError(.notWellFormed, "canonicalization failed") }
        defer { pikou_xml_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    /// The document as UTF-8 bytes, with an XML declaration.
    public func serialized() -> [UInt8] {
        var memory: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(pointer, &memory, &size, "UTF-8")
        guard let memory else { return [] }
        defer { pikou_xml_free(memory) }
        return Array(UnsafeBufferPointer(start: memory, count: Int(size)))
    }
}

/// An element of an ``XMLDocument``; valid while its document lives (it keeps it alive).
public struct XMLNode {
    let pointer: xmlNodePtr
    let document: XMLDocument

    /// The local name.
    public var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    /// The namespace URI, if any.
    public var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// The line of its start tag; `nil` past line 65,534, which libxml2's tree cannot always tell.
    public var line: Int? {
        let line = Int(pointer.pointee.line)
        return line > 0 && line < 65_535 ? line : nil
    }

    /// Child elements, in order.
    public var children: [XMLNode] {
        var result: [XMLNode] = []
        var cursor = pointer.pointee.children
        while let node = cursor {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(XMLNode(pointer: node, document: document)) }
            cursor = node.pointee.next
        }
        return result
    }

    /// Every descendant element named `name` in namespace `namespaceURI`, in document order.
    ///
    /// Walks libxml2's tree by its pointers and compares its own strings: a signed file of 10,000
    /// records has some 150,000 elements, and the signature check looks at every one of them.
    public func descendants(named name: String, namespaceURI: String) -> [XMLNode] {
        let wantedName = Array(name.utf8) + [0]
        let wantedNamespace = Array(namespaceURI.utf8) + [0]
        func matches(_ node: xmlNodePtr) -> Bool {
            guard let nodeName = node.pointee.name, let href = node.pointee.ns?.pointee.href else { return false }
            return xmlStrEqual(nodeName, wantedName) != 0 && xmlStrEqual(href, wantedNamespace) != 0
        }
        var result: [XMLNode] = []
        var next = pointer.pointee.children
        while let current = next {
            let isElement = current.pointee.type == XML_ELEMENT_NODE
            if isElement && matches(current) { result.append(XMLNode(pointer: current, document: document)) }
            if isElement, let child = current.pointee.children {
                next = child
                continue
            }
            // Nothing to enter: the next sibling, or the next sibling of the nearest ancestor that has one.
            next = nil
            var up: xmlNodePtr? = current
            while let node = up, node != pointer {
                if let sibling = node.pointee.next {
                    next = sibling
                    break
                }
                up = node.pointee.parent
            }
        }
        return result
    }

    /// The first child element named `name` in namespace `namespaceURI`.
    public func child(_ name: String, namespaceURI: String) -> XMLNode? {
        children.first { $0.name == name && $0.namespaceURI == namespaceURI }
    }

    /// An attribute without a namespace.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(pointer, name) else { return nil }
        defer { pikou_xml_free(value) }
        return String(cString: value)
    }

    /// The concatenated text content.
    public var text: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { pikou_xml_free(content) }
        return String(cString: content)
    }

    /// Appends a child element in the namespace of `prefix` (declared on the child when `declare`),
    /// with optional text, and returns it.
    @discardableResult
    public func append(_ name: String, namespaceURI: String, prefix: String, declare: Bool = false, text: String? = nil) -> XMLNode {
        let node = xmlNewDocNode(document.pointer, nil, name, nil)!
        let namespace = declare ? xmlNewNs(node, namespaceURI, prefix) : xmlSearchNsByHref(document.pointer, pointer, namespaceURI)
        xmlSetNs(node, namespace)
        if let text { xmlNodeAddContent(node, text) }
        xmlAddChild(pointer, node)
        return XMLNode(pointer: node, document: document)
    }

    /// Sets an attribute without a namespace.
    public func setAttribute(_ name: String, _ value: String) {
        xmlSetProp(pointer, name, value)
    }

    /// Sets the text content (replacing children).
    public func setText(_ value: String) {
        // xmlNodeSetContent takes entity-encoded content; escape first.
        guard let escaped = xmlEncodeSpecialChars(document.pointer, value) else { return }
        defer { pikou_xml_free(escaped) }
        xmlNodeSetContent(pointer, escaped)
    }
}

extension XMLNode {
    /// Whether both values are the same element.
    public func pointerEquals(_ other: XMLNode) -> Bool { pointer == other.pointer }
}
