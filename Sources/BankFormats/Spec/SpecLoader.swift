public import PikouCore
import Yams

/// Compiles a bank spec from its YAML text, reporting every problem with its line.
///
/// The loader walks the YAML node tree itself rather than decoding with `Codable`, so that an
/// unknown or misspelt key is an error with a line number instead of being silently ignored.
public struct SpecLoader {
    /// The spec, when no error was found.
    public private(set) var spec: BankSpec?
    /// Every problem found, errors and warnings.
    public private(set) var diagnostics: [Diagnostic] = []

    private let file: String
    /// The namespace prefixes of the XML layout being compiled.
    private var currentNamespaces: [String: String] = [:]

    /// Compiles `yaml`.
    ///
    /// - Parameters:
    ///   - yaml: The spec's text.
    ///   - file: The file name used in diagnostics; its base name must equal the bank code.
    /// A YAML error as `FILE:LINE:COL: error: problem (while …)`: where it is and what, never the
    /// spec's text (libyaml's own message quotes the line and draws a caret under it).
    static func syntaxDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
        func diagnostic(_ problem: String, _ mark: Mark?, _ context: YamlError.Context?) -> Diagnostic {
            let during = context.map { " (\($0.text), from line \($0.mark.line))" } ?? ""
            return Diagnostic(.error, .specSyntax, file: file, line: mark?.line, column: mark?.column, "not valid YAML: \(problem)\(during)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            return diagnostic(problem, mark, context)
        case .reader(let problem, _, _, _):
            return diagnostic(problem, nil, nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return diagnostic("a key is given twice: \(duplicates.joined(separator: ", "))", context.mark, nil)
        default:
            return Diagnostic(.error, .specSyntax, file: file, "not valid YAML: \(error)")
        }
    }

    public init(yaml: String, file: String) {
        self.file = file
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            diagnostics.append(Self.syntaxDiagnostic(error, file: file))
            return
        } catch {
            diagnostics.append(Diagnostic(.error, .specSyntax, file: file, "not valid YAML: \(error)"))
            return
        }
        guard let node, let root = node.mapping else {
            diagnostics.append(Diagnostic(.error, .specSyntax, file: file, "a bank spec must be a YAML mapping"))
            return
        }
        spec = compile(root)
        if diagnostics.hasErrors { spec = nil }
    }

    // MARK: - Top level

    private static let topKeys: Set<String> = [
        "bank", "name", "display_name", "encoding", "line_ending", "final_line_ending", "max_records_per_file",
        "max_total_per_file", "max_amount_per_line", "max_file_bytes", "file_name", "signature", "debit", "return", "cancel",
        "statement", "notification", "refund", "refund_return",
    ]

    /// An authority's spec (`Formats/treasury/<CODE>.yaml`): the treasury's reconciliation file only.
    private static let authorityKeys: Set<String> = [
        "authority", "name", "display_name", "encoding", "line_ending", "final_line_ending", "max_records_per_file",
        "max_amount_per_line", "max_file_bytes", "file_name", "signature", "reconciliation",
    ]

    private mutating func compile(_ root: Node.Mapping) -> BankSpec? {
        let isAuthority = root["authority"] != nil
        let codeKey = isAuthority ? "authority" : "bank"
        checkKeys(root, allowed: isAuthority ? Self.authorityKeys : Self.topKeys, in: "the spec")
        let code = requiredString(root, codeKey)
        if let code {
            let baseName = String(file.split(separator: "/").last ?? "").split(separator: ".").first.map(String.init)
            if let baseName, baseName != code {
                error(.specInvalidValue, root[codeKey], field: codeKey, "\(codeKey) code \(code) must match the file name \(baseName).yaml")
            }
            if code.isEmpty || !code.utf8.allSatisfy({ isUpperAlnum($0) }) {
                error(.specInvalidValue, root[codeKey], field: codeKey, "\(codeKey) code '\(code)' must be upper-case letters and digits")
            }
        }
        let name = optionalString(root, "name") ?? code ?? ""
        let displayName = optionalString(root, "display_name")
        let encoding = enumValue(root, "encoding", FileEncoding.self, required: true)
        let lineEnding = enumValue(root, "line_ending", LineEnding.self, required: true)
        var finalRequired = true
        if let node = root["final_line_ending"], let text = scalar(node, field: "final_line_ending") {
            switch text {
            case "required": finalRequired = true
            case "optional": finalRequired = false
            default: error(.specInvalidValue, node, field: "final_line_ending", "must be required or optional, not '\(text)'")
            }
        }
        let maxRecords = positiveInt(root, "max_records_per_file", required: true)
        var maxLine = BankSpec.defaultMaxAmountPerLine
        if let node = root["max_amount_per_line"], let text = scalar(node, field: "max_amount_per_line") {
            if let value = try? Money(yuan: text), value.fen > 0 { maxLine = value } else {
                self.error(.specInvalidValue, node, field: "max_amount_per_line", "should be a positive yuan amount like \"1000000.00\"")
            }
        }
        let maxBytes = positiveInt(root, "max_file_bytes", required: false)
        var maxTotal: Money?
        if let node = root["max_total_per_file"], let text = scalar(node, field: "max_total_per_file") {
            do { maxTotal = try Money(yuan: text) } catch {
                self.error(.specInvalidValue, node, field: "max_total_per_file", "\(error)")
            }
        }
        let fileName = requiredString(root, "file_name")
        if let fileName, let node = root["file_name"] { checkFileNamePattern(fileName, node) }
        let signature = compileSignature(root["signature"])
        if isAuthority {
            // One layout; the engine reads it as it reads a bank's return file.
            guard let reconciliation = compileLayout(root["reconciliation"], kind: .reconciliation, encoding: encoding, required: true),
                  let code, let encoding, let lineEnding, let maxRecords, let fileName else { return nil }
            if signature.isSigned && (signature.placement.isXML != (reconciliation.xml != nil) || reconciliation.xml != nil && signature.placement == .trailer) {
                error(.specInvalidValue, root["signature"], field: "signature.placement", "placement \(signature.placement.rawValue) does not suit a \(reconciliation.xml == nil ? "text" : "XML") file")
                return nil
            }
            var spec = BankSpec(
                code: code, name: name, displayName: displayName, encoding: encoding, lineEnding: lineEnding,
                finalLineEndingRequired: finalRequired, maxRecordsPerFile: maxRecords, maxAmountPerLine: maxLine,
                maxFileBytes: maxBytes, fileNamePattern: fileName, signature: signature, debit: reconciliation, returns: reconciliation)
            spec.reconciliation = reconciliation
            return spec
        }
        let debit = compileLayout(root["debit"], kind: .debit, encoding: encoding, required: true)
        let returns = compileLayout(root["return"], kind: .return, encoding: encoding, required: true)
        let cancel = compileLayout(root["cancel"], kind: .cancel, encoding: encoding, required: false)
        let statement = compileLayout(root["statement"], kind: .statement, encoding: encoding, required: false)
        let notification = compileLayout(root["notification"], kind: .statement, encoding: encoding, required: false, section: "notification")
        let refund = compileLayout(root["refund"], kind: .refund, encoding: encoding, required: false)
        let refundReturn = compileLayout(root["refund_return"], kind: .refundReturn, encoding: encoding, required: root["refund"] != nil)
        if refundReturn != nil, root["refund"] == nil {
            error(.specMissingKey, root["refund_return"], field: "refund", "a refund_return layout answers a refund layout: add 'refund' (the instruction Pikou sends) or drop 'refund_return'")
        }
        for (layout, section) in [(refund, "refund"), (refundReturn, "refund_return")] {
            if let layout, (layout.xml != nil) != isXMLBank(debit: debit, returns: returns) {
                error(.specInvalidValue, root[section], field: "\(section).layout", "a bank's debit and \(section) files are both XML or neither")
            }
        }
        let isXML = debit?.xml != nil || returns?.xml != nil
        if isXML {
            if (debit?.xml == nil) != (returns?.xml == nil) {
                error(.specInvalidValue, root["return"], field: "return.layout", "a bank's debit and return files are both XML or neither")
            }
            if let encoding, encoding != .utf8 {
                error(.specInvalidValue, root["encoding"], field: "encoding", "XML files are written in utf-8 (the XML declaration names it), not \(encoding.rawValue)")
            }
        }
        if let cancel, (cancel.xml != nil) != isXML {
            error(.specInvalidValue, root["cancel"], field: "cancel.layout", "a bank's debit and cancel files are both XML or neither")
        }
        if cancel != nil, let fileName, !fileName.contains("{kind}") {
            error(.specInvalidValue, root["file_name"], field: "file_name",
                  "a bank with a cancel message needs {kind} in file_name (DK, HP, CX), or the message would take its debit file's name")
        }
        if signature.isSigned && signature.placement.isXML && !isXML {
            error(.specInvalidValue, root["signature"], field: "signature.placement", "placement \(signature.placement.rawValue) applies to XML layouts only")
        } else if signature.isSigned && isXML && signature.placement == .trailer {
            error(.specInvalidValue, root["signature"], field: "signature.placement",
                  "an XML file has no last line to sign in: use placement detached (a .sig file beside it), xml-enveloped, or xml-envelope where the message's schema admits no signature")
        }
        guard let code, let encoding, let lineEnding, let maxRecords, let fileName, let debit, let returns else {
            return nil
        }
        var spec = BankSpec(
            code: code, name: name, displayName: displayName, encoding: encoding, lineEnding: lineEnding,
            finalLineEndingRequired: finalRequired, maxRecordsPerFile: maxRecords, maxTotalPerFile: maxTotal, maxAmountPerLine: maxLine,
            maxFileBytes: maxBytes, fileNamePattern: fileName, signature: signature, debit: debit, returns: returns, cancel: cancel)
        spec.statements = [statement, notification].compactMap { $0 }
        spec.refund = refund
        spec.refundReturn = refundReturn
        if refund != nil, !fileName.contains("{kind}") {
            error(.specInvalidValue, root["file_name"], field: "file_name",
                  "a bank with refund files needs {kind} in file_name (DK, HP, TK, TH), or a refund would take its debit file's name")
        }
        return spec
    }

    private func isXMLBank(debit: Layout?, returns: Layout?) -> Bool { debit?.xml != nil || returns?.xml != nil }

    private mutating func checkFileNamePattern(_ pattern: String, _ node: Node) {
        do {
            _ = try FileNamePattern(pattern)
        } catch {
            self.error(.specInvalidValue, node, field: "file_name", "\(error)")
        }
    }

    private mutating func compileSignature(_ node: Node?) -> SignatureSpec {
        guard let node else { return SignatureSpec() }
        guard let mapping = node.mapping else {
            error(.specInvalidValue, node, field: "signature", "must be a mapping with a 'scheme' key")
            return SignatureSpec()
        }
        checkKeys(mapping, allowed: ["scheme", "placement", "distinguishing_id", "trailer_prefix", "encoding", "envelope", "container"], in: "signature")
        let scheme = enumValue(mapping, "scheme", SignatureSpec.Scheme.self, required: true, context: "signature") ?? .none
        let placement = enumValue(mapping, "placement", SignatureSpec.Placement.self, required: scheme != .none, context: "signature") ?? .detached
        var spec = SignatureSpec(scheme: scheme, placement: placement)
        if let id = optionalString(mapping, "distinguishing_id", context: "signature") {
            if scheme != .sm2sm3 {
                error(.specInvalidValue, mapping["distinguishing_id"], field: "signature.distinguishing_id", "distinguishing_id applies to sm2-sm3 only")
            } else if id.isEmpty || id.utf8.count > 8191 {
                error(.specInvalidValue, mapping["distinguishing_id"], field: "signature.distinguishing_id", "distinguishing_id must not be empty")
            } else {
                spec.distinguishingID = id
            }
        }
        if let encoding = enumValue(mapping, "encoding", SignatureSpec.Encoding.self, required: false, context: "signature") {
            if encoding == .raw && scheme != .sm2sm3 {
                error(.specInvalidValue, mapping["encoding"], field: "signature.encoding", "encoding raw applies to sm2-sm3 only (an RSA signature has one form)")
            } else if encoding == .raw && placement.isXML {
                error(.specInvalidValue, mapping["encoding"], field: "signature.encoding", "encoding raw applies to detached and trailer signatures; XML-DSig fixes its own form")
            } else {
                spec.encoding = encoding
            }
        }
        if let node = mapping["envelope"] {
            if placement != .xmlEnvelope {
                error(.specInvalidValue, node, field: "signature.envelope", "envelope applies to placement xml-envelope only")
            } else if let envelope = node.mapping {
                checkKeys(envelope, allowed: ["root", "namespace", "schema"], in: "signature.envelope")
                let root = requiredString(envelope, "root", context: "signature.envelope")
                let namespace = requiredString(envelope, "namespace", context: "signature.envelope")
                let schema = optionalString(envelope, "schema", context: "signature.envelope")
                if let root, !Self.isXMLName(root) {
                    error(.specInvalidValue, envelope["root"], field: "signature.envelope.root", "'\(root)' is not an XML element name")
                }
                if let schema, !schema.hasSuffix(".xsd") || schema.hasPrefix("/") || schema.contains("..") {
                    error(.specInvalidValue, envelope["schema"], field: "signature.envelope.schema", "schema must be '<location>/<file>.xsd' below Formats/schemas, not '\(schema)'")
                }
                if let root, let namespace, !namespace.isEmpty { spec.envelope = SignatureSpec.Envelope(root: root, namespace: namespace, schema: schema) }
            } else {
                error(.specInvalidValue, node, field: "signature.envelope", "must be a mapping with root, namespace and schema")
            }
        } else if placement == .xmlEnvelope {
            error(.specMissingKey, node, field: "signature.envelope", "placement xml-envelope needs an envelope: {root, namespace, schema}")
        }
        if let container = enumValue(mapping, "container", SignatureSpec.Container.self, required: false, context: "signature") {
            if placement != .detached {
                error(.specInvalidValue, mapping["container"], field: "signature.container", "container applies to placement detached only (the file beside the signed one)")
            } else if container == .cms && scheme == .sm2sm3 {
                error(.specInvalidValue, mapping["container"], field: "signature.container",
                      "container cms is for rsa-sha256: OpenSSL 3.0, which Pikou builds on, cannot make SM2 CMS signatures; an SM2 bank's detached signature is a .sig (der or raw)")
            } else if container == .cms && spec.encoding == .raw {
                error(.specInvalidValue, mapping["encoding"], field: "signature.encoding", "encoding raw applies to a .sig; a CMS signature fixes its own form")
            } else {
                spec.container = container
            }
        }
        if let prefix = optionalString(mapping, "trailer_prefix", context: "signature") {
            if placement != .trailer {
                error(.specInvalidValue, mapping["trailer_prefix"], field: "signature.trailer_prefix", "trailer_prefix applies to placement trailer only")
            } else if prefix.isEmpty || !prefix.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                error(.specInvalidValue, mapping["trailer_prefix"], field: "signature.trailer_prefix", "trailer_prefix must be printable ASCII")
            } else {
                spec.trailerPrefix = prefix
            }
        }
        return spec
    }

    // MARK: - Layouts

    private static let layoutKeys: Set<String> = [
        "layout", "separator", "quoting", "trailing_separator", "header", "detail", "trailer",
        "result_codes", "result_texts", "text_result_code", "root", "namespace", "namespaces", "record", "schema",
        "entry_codes", "file_reference",
    ]

    private mutating func compileLayout(_ node: Node?, kind: FileKind, encoding: FileEncoding?, required: Bool, section: String? = nil)
        -> Layout?
    {
        let section = section ?? kind.section
        currentNamespaces = [:]
        guard let node else {
            if required { diagnostics.append(Diagnostic(.error, .specMissingKey, file: file, field: section, "the '\(section)' layout is missing")) }
            return nil
        }
        guard let mapping = node.mapping else {
            error(.specInvalidValue, node, field: section, "must be a mapping")
            return nil
        }
        checkKeys(mapping, allowed: Self.layoutKeys, in: section)
        guard let layoutName = requiredString(mapping, "layout", context: section) else { return nil }
        let layoutKind: Layout.Kind
        switch layoutName {
        case "fixed":
            layoutKind = .fixed
            for key in ["separator", "quoting", "trailing_separator"] where mapping[key] != nil {
                error(.specInvalidValue, mapping[key], field: "\(section).\(key)", "'\(key)' applies to delimited layouts only")
            }
        case "delimited":
            var separator = UInt8(ascii: ",")
            if let sepNode = mapping["separator"], let text = scalar(sepNode, field: "\(section).separator") {
                let bytes = Array((text == "\\t" ? "\t" : text).utf8)
                if bytes.count == 1, bytes[0] < 0x80, bytes[0] != 10, bytes[0] != 13, bytes[0] != UInt8(ascii: "\"") {
                    separator = bytes[0]
                } else {
                    error(.specInvalidValue, sepNode, field: "\(section).separator", "separator must be one ASCII character, not '\(text)'")
                }
            } else {
                error(.specMissingKey, node, field: "\(section).separator", "a delimited layout needs a 'separator'")
            }
            var quoting = Delimiting.Quoting.none
            if let quotingNode = mapping["quoting"], let text = scalar(quotingNode, field: "\(section).quoting") {
                if let value = Delimiting.Quoting(specName: text) { quoting = value } else {
                    error(.specInvalidValue, quotingNode, field: "\(section).quoting",
                          "quoting must be one of \(Delimiting.Quoting.specNames.joined(separator: ", ")) (each field may say its own), not '\(text)'")
                }
            }
            let trailing = bool(mapping, "trailing_separator", context: section) ?? false
            layoutKind = .delimited(Delimiting(separator: separator, quoting: quoting, trailingSeparator: trailing))
        case "xml":
            for key in ["separator", "quoting", "trailing_separator"] where mapping[key] != nil {
                error(.specInvalidValue, mapping[key], field: "\(section).\(key)", "'\(key)' applies to delimited layouts only")
            }
            guard let shape = compileXMLShape(mapping, section: section) else { return nil }
            layoutKind = .xml(shape)
        default:
            error(.specInvalidValue, mapping["layout"], field: "\(section).layout", "layout must be fixed, delimited or xml, not '\(layoutName)'")
            return nil
        }
        if layoutKind.xmlShape == nil {
            for key in ["root", "namespace", "namespaces", "record", "schema"] where mapping[key] != nil {
                error(.specInvalidValue, mapping[key], field: "\(section).\(key)", "'\(key)' applies to xml layouts only")
            }
        }
        let fixed = layoutKind == .fixed
        let xml = layoutKind.xmlShape != nil
        let header = mapping["header"].flatMap { compileRecord($0, role: "header", section: section, fixed: fixed, xml: xml, encoding: encoding) }
        guard let detailNode = mapping["detail"] else {
            error(.specMissingKey, node, field: "\(section).detail", "the \(section) layout needs a 'detail' record")
            return nil
        }
        let detail = compileRecord(detailNode, role: "detail", section: section, fixed: fixed, xml: xml, encoding: encoding)
        let trailer = mapping["trailer"].flatMap { compileRecord($0, role: "trailer", section: section, fixed: fixed, xml: xml, encoding: encoding) }

        var outcomes: OutcomeTable?
        if kind.isAnswer {
            outcomes = compileOutcomes(mapping, section: section)
            if let detail, let outcomes {
                // A bank that answers in words only (result_texts, no result_codes) needs the text, not a code.
                let textOnly = outcomes.codes.isEmpty
                if textOnly, !detail.fields.contains(where: { $0.source == .resultText }) {
                    error(.specMissingKey, detailNode, field: "\(section).detail", "a bank answering in texts only (result_texts) needs a detail field with source result_text")
                } else if !textOnly, !detail.fields.contains(where: { $0.source == .resultCode }) {
                    error(.specMissingKey, detailNode, field: "\(section).detail", "a return detail record needs a field with source result_code (or give only result_texts, for a bank that answers in words)")
                }
                // A table no field feeds is never consulted: said, since the spec then does not do what it seems to.
                if !textOnly, !outcomes.texts.isEmpty, !detail.fields.contains(where: { $0.source == .resultText }) {
                    warning(.specUnusedTable, mapping["result_texts"], field: "\(section).result_texts",
                            "no detail field has source result_text, so this table is never read")
                }
                if detail.fields.filter({ $0.source == .resultCode }).count == 1, let codeField = detail.fields.first(where: { $0.codePattern != nil }), let form = codeField.codePattern, let pattern = CodePattern(form) {
                    // The table's own codes are in the declared form, or the form is wrong.
                    for code in outcomes.codes.keys.sorted() where !pattern.matches(code) {
                        error(.specInvalidValue, mapping["result_codes"], field: "\(section).result_codes",
                              "code '\(code)' is not in the form code_pattern \"\(form)\" declares for '\(codeField.name)'")
                    }
                }
                if outcomes.textResultCode != nil, outcomes.texts.isEmpty {
                    warning(.specUnusedTable, mapping["text_result_code"], field: "\(section).text_result_code",
                            "there are no result_texts for this code to stand beside")
                }
            }
        } else {
            for key in ["result_codes", "result_texts", "text_result_code"] where mapping[key] != nil {
                error(.specInvalidValue, mapping[key], field: "\(section).\(key)", "'\(key)' belongs in the return (or refund_return) layout")
            }
        }
        var entryCodes: [String: EntryKind] = [:]
        var fileReference: String?
        if kind.hasEntries {
            entryCodes = compileEntryCodes(mapping, kind: kind, section: section)
            if let detail, !detail.fields.contains(where: { $0.source == .resultCode }) {
                error(.specMissingKey, detailNode, field: "\(section).detail", "a \(section) detail record needs a field with source result_code: the code entry_codes maps")
            }
            if let node = mapping["file_reference"], let text = scalar(node, field: "\(section).file_reference") {
                if kind != .statement {
                    error(.specInvalidValue, node, field: "\(section).file_reference", "file_reference applies to statements (how an entry names the debit file it settles)")
                } else {
                    do { _ = try FileNamePattern(text); fileReference = text } catch { self.error(.specInvalidValue, node, field: "\(section).file_reference", "\(error)") }
                }
            }
        } else {
            for key in ["entry_codes", "file_reference"] where mapping[key] != nil {
                error(.specInvalidValue, mapping[key], field: "\(section).\(key)", "'\(key)' belongs in a statement, notification or reconciliation layout")
            }
            if let detail, let field = detail.fields.first(where: { $0.source == .valueDate || $0.source == .reference }), let source = field.source {
                error(.specInvalidValue, detailNode, field: "\(section).detail.\(field.name)", "source \(source.rawValue) belongs in a statement, notification or reconciliation layout")
            }
        }
        if let detail, !detail.fields.contains(where: { $0.source == .amount }) {
            error(.specMissingKey, detailNode, field: "\(section).detail", "the detail record needs an amount field (type fen or yuan, source amount)")
        }
        guard let detail else { return nil }
        var layout = Layout(kind: layoutKind, header: header, detail: detail, trailer: trailer, outcomes: outcomes)
        layout.entryCodes = entryCodes
        layout.fileReference = fileReference
        return layout
    }

    /// `entry_codes`: the file's codes (the fields with source result_code, joined by '/') mapped to
    /// what a line says: credit, debit, reversal or ignore in a statement; booked, failed or
    /// refunded in a reconciliation.
    private mutating func compileEntryCodes(_ mapping: Node.Mapping, kind: FileKind, section: String) -> [String: EntryKind] {
        let allowed = EntryKind.allowed(in: kind)
        guard let node = mapping["entry_codes"] else {
            error(.specMissingKey, mapping["layout"], field: "\(section).entry_codes",
                  "a \(section) layout needs 'entry_codes' mapping the file's codes to \(allowed.map(\.rawValue).joined(separator: ", "))")
            return [:]
        }
        guard let table = node.mapping else {
            error(.specInvalidValue, node, field: "\(section).entry_codes", "must map codes to \(allowed.map(\.rawValue).joined(separator: ", "))")
            return [:]
        }
        var codes: [String: EntryKind] = [:]
        for (key, value) in table {
            guard let code = scalar(key, field: "\(section).entry_codes"), let text = scalar(value, field: "\(section).entry_codes.\(code)") else { continue }
            guard let entry = EntryKind(rawValue: text), allowed.contains(entry) else {
                error(.specInvalidValue, value, field: "\(section).entry_codes.\(code)", "'\(text)' is not one of \(allowed.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            codes[code] = entry
        }
        return codes
    }

    private mutating func compileXMLShape(_ mapping: Node.Mapping, section: String) -> XMLShape? {
        let root = requiredString(mapping, "root", context: section)
        let namespace = optionalString(mapping, "namespace", context: section)
        let recordText = requiredString(mapping, "record", context: section)
        let schema = requiredString(mapping, "schema", context: section)
        var namespaces: [String: String] = [:]
        if let node = mapping["namespaces"] {
            if let map = node.mapping {
                for (key, value) in map {
                    guard let prefix = key.string, let uri = scalar(value, field: "\(section).namespaces") else { continue }
                    if !Self.isXMLName(prefix) || prefix.lowercased().hasPrefix("xml") || prefix.contains(".") {
                        error(.specInvalidValue, key, field: "\(section).namespaces", "'\(prefix)' is not a namespace prefix (a name without ':' that does not start with 'xml')")
                    } else if uri.isEmpty {
                        error(.specInvalidValue, value, field: "\(section).namespaces.\(prefix)", "a prefix stands for a namespace URI, not an empty one")
                    } else {
                        namespaces[prefix] = uri
                    }
                }
            } else {
                error(.specInvalidValue, node, field: "\(section).namespaces", "must map prefixes to namespace URIs, e.g. {r: \"urn:bank:result:1\"}")
            }
        }
        currentNamespaces = namespaces
        var record: [String] = []
        if let recordText {
            record = recordText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if record.contains(where: { !isQualifiedName($0) }) {
                error(.specInvalidValue, mapping["record"], field: "\(section).record", "'\(recordText)' must be element names separated by '/', below the document element\(prefixHint(recordText))")
            }
        }
        if let root, !isQualifiedName(root) {
            error(.specInvalidValue, mapping["root"], field: "\(section).root", "'\(root)' is not an XML element name\(prefixHint(root))")
        }
        if let schema, !schema.hasSuffix(".xsd") || schema.hasPrefix("/") || schema.contains("..") {
            error(.specInvalidValue, mapping["schema"], field: "\(section).schema", "schema must be '<location>/<file>.xsd' below Formats/schemas or a location named in pikou.yaml, not '\(schema)'")
        }
        guard let root, let schema, !record.isEmpty else { return nil }
        var shape = XMLShape(root: root, namespace: namespace, record: record, schema: schema)
        shape.namespaces = namespaces
        return shape
    }

    /// Whether `name` is an element or attribute name, plain (`Line`) or with a prefix the layout's
    /// `namespaces` declares (`r:Line`).
    private func isQualifiedName(_ name: String) -> Bool {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return Self.isXMLName(name)
        case 2: return currentNamespaces[String(parts[0])] != nil && Self.isXMLName(String(parts[1]))
        default: return false
        }
    }

    /// Why a prefixed name is refused: its prefix is not declared.
    private func prefixHint(_ text: String) -> String {
        let prefixes = text.split(separator: "/").compactMap { part -> String? in
            let name = part.hasPrefix("@") ? part.dropFirst() : part[...]
            guard let colon = name.firstIndex(of: ":") else { return nil }
            let prefix = String(name[..<colon])
            return currentNamespaces[prefix] == nil ? prefix : nil
        }
        guard let prefix = prefixes.first else { return "" }
        return " (the prefix '\(prefix)' is not declared: add it to the layout's namespaces, e.g. namespaces: {\(prefix): \"urn:…\"})"
    }

    /// Whether `name` is a plain XML element or attribute name (ASCII letters, digits, `_`, `-`, `.`).
    static func isXMLName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= UInt8(ascii: "A") && (first | 0x20) <= UInt8(ascii: "z") || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) && (byte | 0x20) >= UInt8(ascii: "a")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private mutating func compileOutcomes(_ mapping: Node.Mapping, section: String) -> OutcomeTable? {
        let codesNode = mapping["result_codes"], textsNode = mapping["result_texts"]
        guard codesNode != nil || textsNode != nil else {
            error(.specMissingKey, mapping["layout"], field: "\(section).result_codes",
                  "a return layout needs 'result_codes' mapping the bank's codes to outcomes (or 'result_texts', for a bank that answers in words only)")
            return nil
        }
        let codes = codesNode.map { outcomeMap($0, field: "\(section).result_codes") } ?? [:]
        let texts = textsNode.map { outcomeMap($0, field: "\(section).result_texts") } ?? [:]
        let textCode = optionalString(mapping, "text_result_code", context: section)
        if let textCode, codes[textCode] != nil {
            error(.specInvalidValue, mapping["text_result_code"], field: "\(section).text_result_code", "'\(textCode)' is also in result_codes; the texts would never be read")
        }
        if let codesNode, !codes.values.contains(.succeeded) {
            error(.specMissingKey, codesNode, field: "\(section).result_codes", "no code maps to succeeded")
        } else if codesNode == nil, let textsNode, !texts.values.contains(.succeeded) {
            error(.specMissingKey, textsNode, field: "\(section).result_texts", "no text maps to succeeded")
        }
        return OutcomeTable(codes: codes, texts: texts, textResultCode: textCode)
    }

    private mutating func outcomeMap(_ node: Node, field: String) -> [String: Outcome] {
        guard let mapping = node.mapping else {
            error(.specInvalidValue, node, field: field, "must map codes to outcome names")
            return [:]
        }
        var table: [String: Outcome] = [:]
        for (key, value) in mapping {
            guard let code = key.string, let name = scalar(value, field: field) else { continue }
            let banks = Outcome.allCases.filter { $0 != .cancelled }
            guard let outcome = Outcome(rawValue: name), outcome != .cancelled else {
                error(.specUnknownOutcome, value, field: field, name == Outcome.cancelled.rawValue
                      ? "code '\(code)' maps to 'cancelled', which only `pikou file cancel` gives; a bank's code maps to one of: \(banks.map(\.rawValue).joined(separator: ", "))"
                      : "code '\(code)' maps to '\(name)', which is not an outcome; known: \(banks.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if table[code] != nil {
                error(.specInvalidValue, key, field: field, "code '\(code)' is mapped twice")
            }
            table[code] = outcome
        }
        return table
    }

    // MARK: - Records and fields

    private static let fieldKeys: Set<String> = [
        "name", "type", "source", "width", "start", "align", "pad", "value", "pattern", "unit", "personal",
        "path", "optional", "signed", "overflow", "number", "quoting", "code_pattern",
    ]

    private mutating func compileRecord(_ node: Node, role: String, section: String, fixed: Bool, xml: Bool, encoding: FileEncoding?)
        -> RecordSpec?
    {
        let context = "\(section).\(role)"
        guard let items = node.sequence, !items.isEmpty else {
            error(.specInvalidValue, node, field: context, "must be a non-empty list of fields")
            return nil
        }
        var fields = ContiguousArray<FieldSpec>()
        var names = Set<String>()
        var position = 1
        var ok = true
        /// The field before, where its own start and width were declared: a width mistake is its own.
        var previous: (name: String, start: Int, width: Int, widthNode: Node?)?
        // Each item's declared start and width, to tell a wrong width from a wrong start by the field after.
        let declared = items.map { (start: $0.mapping?["start"]?.int, width: $0.mapping?["width"]?.int) }
        for (itemIndex, item) in items.enumerated() {
            guard let mapping = item.mapping else {
                error(.specInvalidValue, item, field: context, "each field must be a mapping with name and type")
                ok = false
                continue
            }
            guard var field = compileField(mapping, node: item, role: role, context: context, fixed: fixed, xml: xml, encoding: encoding) else {
                ok = false
                continue
            }
            if !names.insert(field.name).inserted {
                error(.specDuplicateField, item, field: "\(context).\(field.name)", "field name '\(field.name)' is used twice in this record")
            }
            if fixed {
                let declaredStart = mapping["start"]?.int
                if let startNode = mapping["start"], let start = declaredStart, start != position {
                    // The field after agrees with this one's start: then the width before is what does not fit.
                    let confirmed = itemIndex + 1 < declared.count && declared[itemIndex + 1].start == start + field.width
                    if confirmed, let before = previous, let widthNode = before.widthNode {
                        // Both fields say where they start: the one before has the width that does not fit.
                        let fits = start - before.start
                        error(start < position ? .specOverlap : .specGap, widthNode, field: "\(context).\(before.name)",
                              "starts at byte \(before.start) with width \(before.width), so it runs to byte \(position - 1), but the next field '\(field.name)' starts at byte \(start)"
                              + (fits > 0 ? ": its width should be \(fits) (or '\(field.name)' should start at byte \(position))" : ""))
                    } else if start < position {
                        error(.specOverlap, startNode, field: "\(context).\(field.name)",
                              "starts at byte \(start) but the previous field ends at byte \(position - 1): fields overlap")
                    } else {
                        error(.specGap, startNode, field: "\(context).\(field.name)",
                              "starts at byte \(start) but the previous field ends at byte \(position - 1): bytes \(position)-\(start - 1) belong to no field (use a filler)")
                    }
                    position = start  // one mistake, one finding: the fields after are measured from here
                }
                previous = declaredStart.map { (field.name, $0, field.width, mapping["width"]) }
                position += field.width
            }
            field.personal = field.personal || (field.source?.isPersonal ?? false)
            fields.append(field)
        }
        guard ok else { return nil }
        return RecordSpec(role: role, fields: fields)
    }

    private mutating func compileField(
        _ mapping: Node.Mapping, node: Node, role: String, context: String, fixed: Bool, xml: Bool, encoding: FileEncoding?
    ) -> FieldSpec? {
        guard let name = requiredString(mapping, "name", context: context) else { return nil }
        let where_ = "\(context).\(name)"
        checkKeys(mapping, allowed: Self.fieldKeys, in: where_)
        guard let type = enumValue(mapping, "type", FieldSpec.FieldType.self, required: true, context: where_) else { return nil }
        let source = enumValue(mapping, "source", FieldSource.self, required: false, context: where_)
        var width = 0
        if fixed {
            if let w = positiveInt(mapping, "width", required: false, context: where_) {
                width = w
            } else if mapping["width"] == nil {
                error(.specMissingWidth, node, field: where_, "a fixed-width field needs a 'width' in bytes")
                return nil
            } else {
                return nil
            }
        } else if let widthNode = mapping["width"] {
            // A number at a fixed width inside a delimited or XML layout (`000001`): padded, read strictly.
            if type.isNumeric, let w = positiveInt(mapping, "width", required: false, context: where_) {
                width = w
            } else if !type.isNumeric {
                error(.specInvalidValue, widthNode, field: "\(where_).width",
                      "'width' applies to every field of a fixed layout, and to numbers (digits, fen, yuan, count, total, sequence) in delimited and xml layouts, not to a \(type.rawValue) field")
            }
        }
        if !fixed && width == 0 {
            // Padding needs a width to pad to: said, since the spec then does not do what it seems to.
            for key in ["pad", "align"] where mapping[key] != nil {
                warning(.specNoEffect, mapping[key], field: "\(where_).\(key)",
                        "'\(key)' has no effect here: outside fixed layouts a value is padded only to a declared 'width' (e.g. width: 6, pad: \"0\" writes 000042)")
            }
        }
        if !fixed, mapping["start"] != nil {
            error(.specInvalidValue, mapping["start"], field: where_, "'start' applies to fixed layouts only")
        }
        var alignment: FieldSpec.Alignment?
        if let alignNode = mapping["align"], let text = scalar(alignNode, field: "\(where_).align") {
            alignment = FieldSpec.Alignment(rawValue: text)
            if alignment == nil { error(.specInvalidValue, alignNode, field: "\(where_).align", "align must be left or right, not '\(text)'") }
        }
        var pad: UInt8?
        var widePad: [UInt8]?
        if let padNode = mapping["pad"], let text = scalar(padNode, field: "\(where_).pad") {
            let bytes = Array(text.utf8)
            if bytes.count == 1, bytes[0] >= 0x20, bytes[0] < 0x7F {
                pad = bytes[0]
            } else if text.count == 1, let scalar = text.unicodeScalars.first, !scalar.isASCII, scalar.properties.isWhitespace || scalar.properties.generalCategory != .control {
                // One character outside ASCII (the full-width space 　): its bytes in the file's encoding.
                if type != .text || !fixed {
                    error(.specInvalidValue, padNode, field: "\(where_).pad", "a pad outside ASCII ('\(text)') applies to text fields of fixed layouts only")
                } else if let encoded = encoding?.encode(text), encoded.count <= 4 {
                    widePad = encoded
                    pad = UInt8(ascii: " ")
                } else {
                    error(.specInvalidValue, padNode, field: "\(where_).pad", "the pad '\(text)' cannot be written in the file's encoding")
                }
            } else {
                error(.specInvalidValue, padNode, field: "\(where_).pad", "pad must be one printable character (ASCII, or e.g. the full-width space '　'), not '\(text)'")
            }
        }
        let value = optionalString(mapping, "value", context: where_)
        let pattern = optionalString(mapping, "pattern", context: where_)
        var unit = FieldSpec.FieldType.fen
        if let unitNode = mapping["unit"], let text = scalar(unitNode, field: "\(where_).unit") {
            switch text {
            case "fen": unit = .fen
            case "yuan": unit = .yuan
            default: error(.specInvalidValue, unitNode, field: "\(where_).unit", "unit must be fen or yuan, not '\(text)'")
            }
            if type != .total { error(.specInvalidValue, unitNode, field: "\(where_).unit", "'unit' applies to total fields only") }
        }
        let personal = bool(mapping, "personal", context: where_)
        var path: [String] = []
        var attribute: String?
        if let pathText = optionalString(mapping, "path", context: where_) {
            if !xml { error(.specInvalidValue, mapping["path"], field: "\(where_).path", "'path' applies to xml layouts only") }
            var parts = pathText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if let last = parts.last, last.hasPrefix("@") {
                attribute = String(last.dropFirst())
                parts.removeLast()
            }
            if parts == [""] && attribute != nil && role == "detail" { parts = [] }  // "@SeqNo": the record element's own attribute
            if parts.isEmpty && attribute == nil || parts.contains(where: { !isQualifiedName($0) }) || attribute.map({ !isQualifiedName($0) }) == true {
                error(.specInvalidValue, mapping["path"], field: "\(where_).path", "'\(pathText)' must be element names separated by '/', optionally ending in '@attribute'\(prefixHint(pathText))")
            }
            path = parts
        } else if xml {
            error(.specMissingKey, node, field: where_, "an xml field needs a 'path' (element names separated by '/')")
            return nil
        }
        let optional = bool(mapping, "optional", context: where_) ?? false
        let signed = bool(mapping, "signed", context: where_) ?? false
        let number = compileNumberFormat(mapping, type: type, where_: where_, padded: width > 0, pad: pad, signed: signed)
        if type.isNumeric, width > 0, alignment == .left, (pad ?? UInt8(ascii: "0")) == UInt8(ascii: "0") {
            // 1200 written 1200000000 would read back as 12: a number padded on its right is padded with spaces.
            error(.specInvalidValue, mapping["align"], field: "\(where_).align",
                  "a left-aligned number cannot be zero-padded (1200 would be written 1200000000 and read back as 12): pad it with spaces (pad: \" \")")
        }
        var quoting: Delimiting.Quoting?
        if let quotingNode = mapping["quoting"], let text = scalar(quotingNode, field: "\(where_).quoting") {
            if let value = Delimiting.Quoting(specName: text) { quoting = value } else {
                error(.specInvalidValue, quotingNode, field: "\(where_).quoting", "quoting must be one of \(Delimiting.Quoting.specNames.joined(separator: ", ")), not '\(text)'")
            }
            if fixed || xml {
                error(.specInvalidValue, quotingNode, field: "\(where_).quoting", "'quoting' applies to delimited layouts only")
            }
        }
        var codePattern: String?
        if let patternNode = mapping["code_pattern"], let text = scalar(patternNode, field: "\(where_).code_pattern") {
            if source != .resultCode || role != "detail" {
                error(.specInvalidValue, patternNode, field: "\(where_).code_pattern", "'code_pattern' applies to the return detail field with source result_code")
            } else if let problem = CodePattern.problem(text) {
                error(.specInvalidValue, patternNode, field: "\(where_).code_pattern", problem)
            } else {
                codePattern = text
            }
        }
        if let personalNode = mapping["personal"], personal == false, source?.isPersonal == true {
            warning(.specNoEffect, personalNode, field: "\(where_).personal",
                    "'personal: false' has no effect: source \(source!.rawValue) is personal data and is always masked")
        }
        var cutsOverflow: Bool?
        if let overflowNode = mapping["overflow"], let text = scalar(overflowNode, field: "\(where_).overflow") {
            switch text {
            case "cut": cutsOverflow = true
            case "error": cutsOverflow = false
            default: error(.specInvalidValue, overflowNode, field: "\(where_).overflow", "overflow must be cut or error, not '\(text)'")
            }
            if type != .text || !fixed {
                error(.specInvalidValue, overflowNode, field: "\(where_).overflow", "'overflow' applies to text fields of fixed layouts only")
            }
        }
        if signed && ![.fen, .yuan, .total].contains(type) {
            error(.specInvalidValue, mapping["signed"], field: "\(where_).signed", "'signed' applies to amount fields only (fen, yuan, total)")
        }
        if optional && !xml { error(.specInvalidValue, mapping["optional"], field: "\(where_).optional", "'optional' applies to xml layouts only") }

        // Type rules.
        switch type {
        case .text, .digits:
            if source == nil { error(.specMissingKey, node, field: where_, "a \(type.rawValue) field needs a 'source'") }
            if source == .amount { error(.specInvalidValue, mapping["source"], field: where_, "the amount must be a fen or yuan field") }
        case .fen, .yuan:
            if source != .amount && source != .balance { error(.specInvalidValue, mapping["source"] ?? node, field: where_, "a \(type.rawValue) field carries source amount (a statement's header or trailer: balance)") }
        case .date:
            if source?.isDate != true { error(.specInvalidValue, mapping["source"] ?? node, field: where_, "a date field needs source file_date, collection_date or (on a statement's or reconciliation's line) value_date") }
            if let pattern {
                if let problem = DatePattern.problem(pattern) {
                    error(.specInvalidValue, mapping["pattern"], field: where_, problem)
                } else if fixed, pattern.utf8.count != width {
                    error(.specInvalidValue, mapping["pattern"], field: where_, "pattern '\(pattern)' is \(pattern.utf8.count) bytes but the width is \(width)")
                }
            } else {
                error(.specMissingKey, node, field: where_, "a date field needs a 'pattern' such as yyyyMMdd")
            }
        case .constant:
            if let value {
                if fixed, let encoding, let bytes = encoding.encode(value), bytes.count > width {
                    error(.specInvalidValue, mapping["value"], field: where_, "constant '\(value)' is \(bytes.count) bytes in \(encoding.rawValue), wider than \(width)")
                }
            } else {
                error(.specMissingKey, node, field: where_, "a constant field needs a 'value'")
            }
        case .count, .total, .sequence, .filler:
            if source != nil { error(.specInvalidValue, mapping["source"], field: where_, "a \(type.rawValue) field is computed and takes no source") }
            if type == .filler && !fixed { error(.specInvalidValue, mapping["type"], field: where_, "filler applies to fixed layouts only") }
        case .formatted:
            if source != nil { error(.specInvalidValue, mapping["source"], field: where_, "a formatted field is made from its 'value' pattern and takes no source") }
            if let value {
                do { _ = try FileNamePattern(value) } catch { self.error(.specInvalidValue, mapping["value"], field: "\(where_).value", "\(error)") }
            } else {
                error(.specMissingKey, node, field: where_, "a formatted field needs a 'value' pattern such as {collector}{date:yyyyMMdd}{batch:3}")
            }
        case .datetime:
            if source?.isDate != true { error(.specInvalidValue, mapping["source"] ?? node, field: where_, "a datetime field needs source file_date, collection_date or (on a statement's or reconciliation's line) value_date") }
            if let value, !Self.isTimeOfDay(value) {
                error(.specInvalidValue, mapping["value"], field: "\(where_).value", "a datetime's value is the time of day, HH:mm:ss, not '\(value)'")
            }
            if fixed && width != 19 { error(.specInvalidValue, mapping["width"], field: where_, "a datetime is 19 bytes (yyyy-MM-ddTHH:mm:ss)") }
        }
        if (type == .formatted || type == .datetime) && !xml {
            error(.specInvalidValue, mapping["type"], field: where_, "\(type.rawValue) fields belong to xml layouts")
        }
        if type == .sequence && role != "detail" {
            error(.specInvalidValue, mapping["type"], field: where_, "a sequence field belongs in the detail record")
        }
        if (type == .count || type == .total) && role == "detail" {
            error(.specInvalidValue, mapping["type"], field: where_, "count and total belong in the header or trailer")
        }
        if let source, role != "detail", !source.isFileLevel {
            error(.specInvalidValue, mapping["source"], field: where_, "source \(source.rawValue) is a detail value; a \(role) may carry only file values (collector, collector_account, bank_code, batch_no, file_date, collection_date)")
        }
        if value != nil && ![.constant, .formatted, .datetime].contains(type) {
            error(.specInvalidValue, mapping["value"], field: where_, "'value' applies to constant, formatted and datetime fields only")
        }
        if pattern != nil && type != .date { error(.specInvalidValue, mapping["pattern"], field: where_, "'pattern' applies to date fields only") }
        return FieldSpec(
            name: name, type: type, source: source, width: width, alignment: alignment, pad: pad, value: value,
            pattern: pattern, unit: unit, personal: personal, path: path, attribute: attribute, optional: optional, signed: signed,
            cutsOverflow: cutsOverflow, widePad: widePad, number: number, quoting: quoting, codePattern: codePattern)
    }

    /// An amount field's `number:` form: `{grouping: ",", decimal: ".", sign: leading}`.
    private mutating func compileNumberFormat(
        _ mapping: Node.Mapping, type: FieldSpec.FieldType, where_: String, padded: Bool, pad: UInt8?, signed: Bool
    ) -> NumberFormat? {
        guard let node = mapping["number"] else { return nil }
        let field = "\(where_).number"
        guard [.fen, .yuan, .total].contains(type) else {
            error(.specInvalidValue, node, field: field, "'number' applies to amount fields only (fen, yuan, total)")
            return nil
        }
        guard let form = node.mapping else {
            error(.specInvalidValue, node, field: field, "must be a mapping such as {grouping: \",\", decimal: \".\", sign: leading}")
            return nil
        }
        checkKeys(form, allowed: ["grouping", "decimal", "sign"], in: field)
        var format = NumberFormat()
        func mark(_ key: String, allowed: String) -> UInt8? {
            guard let markNode = form[key], let text = scalar(markNode, field: "\(field).\(key)") else { return nil }
            let bytes = Array(text.utf8)
            guard bytes.count == 1, allowed.utf8.contains(bytes[0]) else {
                error(.specInvalidValue, markNode, field: "\(field).\(key)",
                      "\(key) must be one of \(allowed.map { "'\($0)'" }.joined(separator: " ")), not '\(text)'")
                return nil
            }
            return bytes[0]
        }
        if let grouping = mark("grouping", allowed: ",. '") { format.grouping = grouping }
        if let decimal = mark("decimal", allowed: ".,") {
            format.decimal = decimal
            let unitIsFen = type == .fen || (type == .total && mapping["unit"]?.string != "yuan")
            if unitIsFen { warning(.specNoEffect, form["decimal"], field: "\(field).decimal", "'decimal' has no effect on an amount in fen (no decimals)") }
        }
        if let signNode = form["sign"], let text = scalar(signNode, field: "\(field).sign") {
            if let sign = NumberFormat.SignStyle(rawValue: text) { format.sign = sign } else {
                error(.specInvalidValue, signNode, field: "\(field).sign",
                      "sign must be one of \(NumberFormat.SignStyle.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            if !signed && format.sign.suffixes == nil {
                warning(.specNoEffect, signNode, field: "\(field).sign", "'sign' has no effect on an unsigned field (add signed: true to allow negative amounts)")
            }
        }
        if format.grouping != 0 && format.grouping == format.decimal {
            error(.specInvalidValue, node, field: field, "grouping and decimal cannot be the same mark '\(Character(Unicode.Scalar(format.grouping)))'")
        }
        if format.grouping != 0, padded || pad != nil, (pad ?? UInt8(ascii: "0")) == UInt8(ascii: "0") {
            error(.specInvalidValue, form["grouping"], field: "\(field).grouping",
                  "a grouped number cannot be zero-padded (0001,234.56); pad it with spaces (pad: \" \")")
        }
        return format
    }

    /// Whether `text` is a time of day `HH:mm:ss`.
    static func isTimeOfDay(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.utf8.count == 2 && $0.allSatisfy(\.isASCII) && Int($0) != nil }) else { return false }
        return Int(parts[0])! < 24 && Int(parts[1])! < 60 && Int(parts[2])! < 60
    }

    // MARK: - Helpers

    private mutating func error(_ code: Diagnostic.Code, _ node: Node?, field: String, _ message: String) {
        diagnostics.append(Diagnostic(.error, code, file: file, line: node?.mark?.line, field: field, message))
    }

    private mutating func warning(_ code: Diagnostic.Code, _ node: Node?, field: String, _ message: String) {
        diagnostics.append(Diagnostic(.warning, code, file: file, line: node?.mark?.line, field: field, message))
    }

    private mutating func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, in context: String) {
        for key in mapping.keys {
            guard let name = key.string else { continue }
            if !allowed.contains(name) {
                let hint = allowed.sorted().first { editDistance($0, name) <= 2 }.map { " (did you mean '\($0)'?)" } ?? ""
                error(.specUnknownKey, key, field: context, "unknown key '\(name)'\(hint); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    private mutating func scalar(_ node: Node, field: String) -> String? {
        guard let scalar = node.scalar else {
            error(.specInvalidValue, node, field: field, "must be a single value")
            return nil
        }
        return scalar.string
    }

    private mutating func requiredString(_ mapping: Node.Mapping, _ key: String, context: String? = nil) -> String? {
        guard let node = mapping[key] else {
            let place = context.map { "\($0).\(key)" } ?? key
            diagnostics.append(Diagnostic(.error, .specMissingKey, file: file, line: mapping.mark?.line, field: place, "required key '\(key)' is missing"))
            return nil
        }
        return scalar(node, field: context.map { "\($0).\(key)" } ?? key)
    }

    private mutating func optionalString(_ mapping: Node.Mapping, _ key: String, context: String? = nil) -> String? {
        guard let node = mapping[key] else { return nil }
        return scalar(node, field: context.map { "\($0).\(key)" } ?? key)
    }

    private mutating func enumValue<E: RawRepresentable & CaseIterable>(
        _ mapping: Node.Mapping, _ key: String, _ type: E.Type, required: Bool, context: String? = nil
    ) -> E? where E.RawValue == String {
        let text = required ? requiredString(mapping, key, context: context) : optionalString(mapping, key, context: context)
        guard let text else { return nil }
        guard let value = E(rawValue: text) else {
            error(.specInvalidValue, mapping[key], field: context.map { "\($0).\(key)" } ?? key,
                  "'\(text)' is not a valid \(key); allowed: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    private mutating func positiveInt(_ mapping: Node.Mapping, _ key: String, required: Bool, context: String? = nil) -> Int? {
        let text = required ? requiredString(mapping, key, context: context) : optionalString(mapping, key, context: context)
        guard let text else { return nil }
        guard let value = Int(text), value > 0 else {
            error(.specInvalidValue, mapping[key], field: context.map { "\($0).\(key)" } ?? key, "\(key) must be a positive whole number, not '\(text)'")
            return nil
        }
        return value
    }

    private mutating func bool(_ mapping: Node.Mapping, _ key: String, context: String) -> Bool? {
        guard let node = mapping[key], let text = scalar(node, field: "\(context).\(key)") else { return nil }
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(.specInvalidValue, node, field: "\(context).\(key)", "\(key) must be true or false, not '\(text)'")
            return nil
        }
    }

    private func isUpperAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

extension Diagnostic.Code {
    public static let specSyntax = Self(rawValue: "spec.syntax")
    public static let specUnknownKey = Self(rawValue: "spec.unknownKey")
    public static let specMissingKey = Self(rawValue: "spec.missingKey")
    public static let specInvalidValue = Self(rawValue: "spec.invalidValue")
    public static let specMissingWidth = Self(rawValue: "spec.missingWidth")
    public static let specOverlap = Self(rawValue: "spec.overlap")
    public static let specUnusedTable = Self(rawValue: "spec.unusedTable")
    public static let specGap = Self(rawValue: "spec.gap")
    public static let specDuplicateField = Self(rawValue: "spec.duplicateField")
    public static let specUnknownOutcome = Self(rawValue: "spec.unknownOutcome")
    /// A key that does nothing where it stands (a warning: the spec then does not do what it seems to).
    public static let specNoEffect = Self(rawValue: "spec.noEffect")
}
