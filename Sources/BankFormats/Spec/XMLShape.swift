public import PikouCore

/// Where the records of an XML layout sit, and the schema every file must satisfy.
public struct XMLShape: Sendable, Hashable {
    /// The document element's local name (`Document`).
    public var root: String
    /// The document's default namespace, if any.
    public var namespace: String?
    /// The path of the repeated record element below the document element
    /// (`CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf`).
    public var record: [String]
    /// The schema as the spec names it: `<location>/<file>.xsd`, where the location is a folder
    /// under `Formats/schemas/` or a name the workspace config maps to a folder (`schemas:`).
    public var schema: String
    /// The schema file found for ``schema``; set when the spec is loaded through a repository.
    public var schemaPath: String?
    /// Namespace prefixes the spec's names use (`r: "urn:…"` for `r:Line`, `@r:code`), declared on
    /// the document element of every file written.
    public var namespaces: [String: String] = [:]

    public init(root: String, namespace: String?, record: [String], schema: String, schemaPath: String? = nil) {
        self.root = root
        self.namespace = namespace
        self.record = record
        self.schema = schema
        self.schemaPath = schemaPath
    }

    /// A name as the spec writes it (`Line`, `r:Line`) split into its local name and, when prefixed,
    /// the namespace its prefix stands for.
    public func resolve(_ name: String) -> (local: String, namespace: String?) {
        guard let colon = name.firstIndex(of: ":") else { return (name, nil) }
        return (String(name[name.index(after: colon)...]), namespaces[String(name[..<colon])])
    }

    /// The document element as `{namespace}local`.
    public var rootDescription: String {
        let (local, prefixed) = resolve(root)
        return ((prefixed ?? namespace).map { "{\($0)}" } ?? "") + local
    }
}
