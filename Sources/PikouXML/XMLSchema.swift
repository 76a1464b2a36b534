internal import CLibXML2
import Synchronization

/// A compiled XML Schema (XSD). Compiled once per path and shared: libxml2 allows one schema to
/// validate on several threads, each with its own validation context.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// The `.xsd` file it was compiled from.
    public let path: String

    private static let cache = Mutex<[String: XMLSchema]>([:])

    private init(pointer: xmlSchemaPtr, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { xmlSchemaFree(pointer) }

    /// The schema at `path`, compiled on first use.
    ///
    /// - Throws: ``XMLError`` naming the file when it is missing or not a valid schema.
    public static func load(path: String) throws(XMLError) -> XMLSchema {
        if let cached = cache.withLock({ $0[path] }) { return cached }
        LibXML2.ensureInitialized()
        guard let context = xmlSchemaNewParserCtxt(path) else { throw XMLError(.schema, "\(path): cannot create a schema parser") }
        defer { xmlSchemaFreeParserCtxt(context) }
        let collector = IssueCollector()
        xmlSchemaSetParserStructuredErrors(context, IssueCollector.handler, collector.opaque)
        guard let schema = withExtendedLifetime(collector, { xmlSchemaParse(context) }) else {
            var issues = collector.allIssues
            if issues.isEmpty { issues = [XMLIssue(kind: .schema, line: nil, message: "cannot compile the schema")] }
            throw XMLError(issues.map { XMLIssue(kind: .schema, line: $0.line, message: "\(path): \($0.message)") })
        }
        let compiled = XMLSchema(pointer: schema, path: path)
        return cache.withLock { cache in
            if let other = cache[path] { return other }
            cache[path] = compiled
            return compiled
        }
    }

    /// Validates a file on disk while streaming through it (the document never becomes a tree).
    ///
    /// - Returns: every issue found (empty when the file is valid); at most 100 are kept.
    public func validate(fileAt path: String) -> [XMLIssue] {
        do throws(XMLError) {
            let reader = try XMLReader(path: path, schema: self)
            while try reader.read() {}
            return reader.issues
        } catch {
            return error.issues
        }
    }

    /// Validates bytes in memory while streaming through them.
    public func validate(_ bytes: [UInt8], url: String) -> [XMLIssue] {
        do throws(XMLError) {
            return try XMLReader.withReader(bytes, url: url, schema: self) { reader throws(XMLError) in
                while try reader.read() {}
                return reader.issues
            }
        } catch {
            return error.issues
        }
    }
}
