import PikouCore
import PikouXML

/// The element paths of one XML layout as a tree, so the reader finds a node's fields with one
/// lookup per element: names are numbered once, and libxml2's interned name pointers map to those
/// numbers, so no `String` is made per element.
struct XMLPathTree {
    struct Node {
        var children: [Int: Int] = [:]
        /// Fields carried by the element's text, in the order its occurrences fill them.
        var textFields: [Int] = []
        /// Fields carried by the element's attributes: the attribute's local name and, when the spec
        /// prefixes it, its namespace.
        var attributeFields: [(name: String, namespace: String?, field: Int)] = []
        /// The namespace a prefixed element must be in (checked; an unprefixed one is the schema's to check).
        var namespace: String?
        /// Whether this element is the repeated record.
        var isRecord = false
    }

    /// Resolves the spec's prefixes (`r:Line`).
    var shape: XMLShape?

    var nodes: [Node] = [Node()]
    var names: [String: Int] = [:]

    mutating func nameID(_ name: String) -> Int {
        if let id = names[name] { return id }
        names[name] = names.count
        return names.count - 1
    }

    /// The node for `path` below node 0, created as needed.
    mutating func node(for path: some Sequence<String>) -> Int {
        var current = 0
        for name in path {
            let (local, namespace) = shape?.resolve(name) ?? (name, nil)
            let id = nameID(local)
            if let next = nodes[current].children[id] {
                current = next
            } else {
                var node = Node()
                node.namespace = namespace
                nodes.append(node)
                nodes[current].children[id] = nodes.count - 1
                current = nodes.count - 1
            }
        }
        return current
    }

    mutating func add(_ fields: some Sequence<(offset: Int, element: FieldSpec)>) {
        for (index, field) in fields {
            let node = node(for: field.path)
            if let attribute = field.attribute {
                let (local, namespace) = shape?.resolve(attribute) ?? (attribute, nil)
                nodes[node].attributeFields.append((local, namespace, index))
            } else {
                nodes[node].textFields.append(index)
            }
        }
    }
}

extension ReadState {
    /// Reads an XML file in one streaming pass: validates it against the layout's schema, takes the
    /// header and trailer fields from their elements and one detail line from each record element,
    /// then checks counts and totals as for any other file.
    mutating func runXML(_ bytes: [UInt8], shape: XMLShape) {
        let schema: XMLSchema
        switch XMLSchemas.load(shape, bank: spec.code) {
        case .success(let loaded): schema = loaded
        case .failure(let error):
            diagnostics.append(error.diagnostic.inFile(fileName))
            return
        }
        // File-level fields (header then trailer) below the document element; detail fields below the record.
        let fileFields = Array(layout.header?.fields ?? []) + Array(layout.trailer?.fields ?? [])
        var outer = XMLPathTree()
        outer.shape = shape
        outer.add(fileFields.enumerated())
        let recordNode = outer.node(for: shape.record)
        outer.nodes[recordNode].isRecord = true
        // The inner tree starts from the outer one's name numbers, so one table numbers every name.
        var inner = XMLPathTree()
        inner.shape = shape
        inner.names = outer.names
        inner.add(layout.detail.fields.enumerated())
        let names = inner.names

        var fileValues = [[UInt8]?](repeating: nil, count: fileFields.count)
        var fileLines = [Int](repeating: 0, count: fileFields.count)
        var recordValues = [[UInt8]?](repeating: nil, count: layout.detail.fields.count)
        var recordLine = 0
        /// The record lacks a required attribute (reported): its values are not decoded.
        var recordBroken = false
        var interned: [UnsafeRawPointer: Int] = [:]
        // The open elements: the tree node of each (-1 when no field lives at or below it), and
        // whether it is inside the record.
        var stack: [(node: Int, inRecord: Bool)] = []
        var text: [UInt8] = []
        var collecting = false
        var rootChecked = false

        func assign(_ fields: [Int], _ value: [UInt8], into values: inout [[UInt8]?], lines: inout [Int], line: Int) {
            for field in fields where values[field] == nil {
                values[field] = value
                if !lines.isEmpty { lines[field] = line }
                return
            }
        }

        var noLines: [Int] = []
        var lineCounter = LineCounter()
        // The record element's local name: the document may write it with any prefix (nextStartTag skips one).
        let recordTag = Array(shape.resolve(shape.record[shape.record.count - 1]).local.utf8)
        var schemaRejected = false
        do throws(XMLError) {
            try XMLReader.withReader(bytes, url: fileName, schema: schema) { reader throws(XMLError) in
                while try reader.read() {
                    switch reader.nodeType {
                    case .startElement:
                        let nameID: Int
                        if let key = reader.interned, let known = interned[key] {
                            nameID = known
                        } else {
                            nameID = names[reader.localName] ?? -1
                            if let key = reader.interned { interned[key] = nameID }
                        }
                        if !rootChecked {
                            rootChecked = true
                            let name = reader.localName
                            let namespace = reader.namespaceURI
                            let (rootName, prefixed) = shape.resolve(shape.root)
                            if name != rootName || namespace != (prefixed ?? shape.namespace) {
                                report(.xmlWrongRoot, line: reader.nodeLine,
                                       "the document element is \(namespace.map { "{\($0)}" } ?? "")\(name); \(spec.code) \(kind.rawValue) files have \(shape.rootDescription)")
                                return
                            }
                            stack.append((0, false))
                            if reader.isEmptyElement { stack.removeLast() }
                            continue
                        }
                        let parent = stack.last ?? (-1, false)
                        var node = -1
                        var inRecord = parent.inRecord
                        if parent.node >= 0 {
                            if parent.inRecord {
                                node = inner.nodes[parent.node].children[nameID] ?? -1
                                // A prefixed element is that name in that namespace, not any namesake.
                                if node >= 0, let expected = inner.nodes[node].namespace, reader.namespaceURI != expected { node = -1 }
                            } else if let child = outer.nodes[parent.node].children[nameID],
                                      outer.nodes[child].namespace == nil || outer.nodes[child].namespace == reader.namespaceURI {
                                if outer.nodes[child].isRecord {
                                    // A new record: node 0 of the inner tree.
                                    node = 0
                                    inRecord = true
                                    if let line = reader.nodeLine {
                                        lineCounter.advance(toLine: line, in: bytes)
                                        _ = lineCounter.nextStartTag(recordTag, in: bytes)  // past this record's tag
                                        recordLine = line
                                    } else {
                                        recordLine = lineCounter.nextStartTag(recordTag, in: bytes) ?? recordLine + 1
                                    }
                                    for index in recordValues.indices { recordValues[index] = nil }
                                    recordBroken = false
                                } else {
                                    node = child
                                }
                            }
                        }
                        if node >= 0 {
                            let tree = inRecord ? inner : outer
                            for (name, namespace, field) in tree.nodes[node].attributeFields {
                                let found = namespace.map { reader.attribute(name, namespace: $0) } ?? reader.attribute(name)
                                guard let found else {
                                    let spec = inRecord ? layout.detail.fields[field] : fileFields[field]
                                    if spec.optional { continue }
                                    // Named apart from a bad value: the attribute is not there (often: in another namespace).
                                    let wanted = namespace.map { "{\($0)}\(name)" } ?? name
                                    let present = reader.attributeNames()
                                    report(.xmlMissingAttribute, line: inRecord ? recordLine : reader.nodeLine, field: spec.name,
                                           "the <\(reader.localName)> element has no attribute \(wanted) (path \(spec.path.joined(separator: "/"))/@\(spec.attribute ?? name))"
                                           + (present.isEmpty ? "" : "; it has \(present.joined(separator: ", "))")
                                           + (namespace == nil && present.contains { $0.hasSuffix("}" + name) } ? ": an attribute in a namespace is named with its prefix in the spec (@r:\(name), with the prefix in namespaces:)" : ""))
                                    if inRecord { recordBroken = true }
                                    continue
                                }
                                let value = Array(found.utf8)
                                if inRecord {
                                    assign([field], value, into: &recordValues, lines: &noLines, line: 0)
                                } else {
                                    assign([field], value, into: &fileValues, lines: &fileLines, line: reader.nodeLine ?? 0)
                                }
                            }
                            collecting = !tree.nodes[node].textFields.isEmpty
                            text.removeAll(keepingCapacity: true)
                        } else {
                            collecting = false
                        }
                        if reader.isEmptyElement {
                            finishElement(node: node, inRecord: inRecord, empty: true)
                        } else {
                            stack.append((node, inRecord))
                        }
                    case .text:
                        if collecting { reader.appendValue(to: &text) }
                    case .endElement:
                        guard let top = stack.popLast() else { continue }
                        finishElement(node: top.node, inRecord: top.inRecord, empty: false)
                    case .other:
                        continue
                    }
                }

                func finishElement(node: Int, inRecord: Bool, empty: Bool) {
                    defer { collecting = false }
                    guard node >= 0 else { return }
                    if inRecord && node == 0 {
                        // The record closes.
                        detailLineCount += 1
                        if recordBroken {
                            allAmountsParsed = false
                            return
                        }
                        let values = recordValues.map { $0.map { $0[...] } ?? [][...] }
                        decode(layout.detail, values: values, lineNumber: recordLine)
                        return
                    }
                    let fields = (inRecord ? inner : outer).nodes[node].textFields
                    guard !fields.isEmpty else { return }
                    let value = empty ? [] : text
                    if inRecord {
                        assign(fields, value, into: &recordValues, lines: &noLines, line: 0)
                    } else {
                        assign(fields, value, into: &fileValues, lines: &fileLines, line: reader.nodeLine ?? 0)
                    }
                }
                if reader.hasIssues {
                    // A message the schema rejects is rejected whole: its values are not read.
                    diagnostics = diagnostics.filter { $0.code == .missingBOM }
                        + XMLSchemas.diagnostics(reader.issues.map(\.masked), fileName: fileName)
                    lines = []
                    schemaRejected = true
                }
            }
        } catch {
            // A document that is not well-formed: that is the finding (the schema's complaints on the
            // way there are its consequences, a missing end tag read as an unexpected element).
            let broken = error.issues.filter { $0.kind == .notWellFormed }
            diagnostics += XMLSchemas.diagnostics((broken.isEmpty ? error.issues : broken).map(\.masked), fileName: fileName)
            lines = []
            return
        }
        if schemaRejected { return }
        // File-level fields, each on its own line; a missing required one is reported.
        for (index, field) in fileFields.enumerated() {
            guard let value = fileValues[index] else {
                if !field.optional && field.type != .formatted {
                    report(.missingRecord, field: field.name, "the \(field.path.joined(separator: "/"))\(field.attribute.map { "/@\($0)" } ?? "") element is missing")
                }
                continue
            }
            decode(RecordSpec(role: "header", fields: [field]), values: [value[...]], lineNumber: fileLines[index])
        }
        checkTotals()
    }
}

extension XMLIssue {
    /// The issue with personal data hidden: libxml2 quotes offending values (`'6222…'`), so quoted
    /// values that look like IDs, accounts or names are masked.
    var masked: XMLIssue {
        var result = ""
        var quoted: String?
        for character in message {
            if character == "'" {
                if let value = quoted {
                    result += "'" + Self.mask(value) + "'"
                    quoted = nil
                } else {
                    quoted = ""
                }
            } else if quoted != nil {
                quoted!.append(character)
            } else {
                result.append(character)
            }
        }
        if let quoted { result += "'" + quoted }
        return XMLIssue(kind: kind, line: line, message: result)
    }

    private static func mask(_ value: String) -> String {
        // Element names ('{urn:…}IdNo') and the schema's own patterns ('[0-9]{17}[0-9X]') are not data.
        if value.contains(where: { "{[\\".contains($0) }) { return value }
        let personal = value.unicodeScalars.contains { !$0.isASCII }
            || value.filter(\.isNumber).count >= 6
        return personal ? Masking.text(value) : value
    }
}
