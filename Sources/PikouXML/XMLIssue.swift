public import PikouCore
internal import CLibXML2

/// One problem libxml2 reported: a document that is not well-formed, or one a schema rejects.
public struct XMLIssue: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: Sendable, Hashable {
        /// The bytes are not well-formed XML (or not in their declared encoding).
        case notWellFormed
        /// Well-formed, but the schema rejects it.
        case schemaInvalid
        /// The schema itself could not be read or compiled.
        case schema
        /// Refused before parsing: beyond ``XMLLimits`` (size, depth, attributes) or carrying a
        /// document type declaration.
        case refused
    }

    public var kind: Kind
    /// The 1-based line, when libxml2 knows it.
    public var line: Int?
    /// libxml2's message, without its trailing line feed.
    public var message: String

    public init(kind: Kind, line: Int?, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}

/// An error from the XML layer, with every issue libxml2 reported.
public struct XMLError: Error, Sendable, CustomStringConvertible {
    public var issues: [XMLIssue]

    public init(_ issues: [XMLIssue]) { self.issues = issues }
    public init(_ kind: XMLIssue.Kind, _ message: String, line: Int? = nil) {
        self.issues = [XMLIssue(kind: kind, line: line, message: message)]
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects libxml2's structured errors; handed to libxml2 as an opaque pointer.
final class IssueCollector {
    var issues: [XMLIssue] = []
    /// Stop keeping messages after this many (a broken 2,000,000-line file must not flood memory).
    let limit: Int
    var dropped = 0

    init(limit: Int = 100) { self.limit = limit }

    var hasErrors: Bool { !issues.isEmpty || dropped > 0 }

    func add(_ error: UnsafePointer<xmlError>) {
        let value = error.pointee
        // Warnings (e.g. an unknown encoding name that libxml2 works around) do not reject a file.
        guard value.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        guard issues.count < limit else { dropped += 1; return }
        var message = value.message.map { String(cString: $0) } ?? "error \(value.code)"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        let kind: XMLIssue.Kind
        switch Int(value.domain) {
        case Int(XML_FROM_SCHEMASV.rawValue): kind = .schemaInvalid
        case Int(XML_FROM_SCHEMASP.rawValue): kind = .schema
        default: kind = .notWellFormed
        }
        issues.append(XMLIssue(kind: kind, line: value.line > 0 ? Int(value.line) : nil, message: message))
    }

    /// The C callback; `context` is an unretained `IssueCollector`.
    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<IssueCollector>.fromOpaque(context).takeUnretainedValue().add(error)
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    var allIssues: [XMLIssue] {
        dropped == 0 ? issues : issues + [XMLIssue(kind: issues.last?.kind ?? .notWellFormed, line: nil,
                                                    message: "… and \(dropped) more")]
    }
}

/// libxml2 needs one initialisation before it is used from several threads.
enum LibXML2 {
    static let initialized: Bool = {
        xmlInitParser()
        // libxml2's generic messages ("C14N error", "Unimplemented block") go to stderr raw and
        // unmasked; Pikou reports every problem through its own structured handlers instead.
        pikou_xml_silence_generic_errors()
        return true
    }()

    /// Initializes libxml2 once, and silences its generic messages on the calling thread (libxml2
    /// keeps that handler per thread; new threads take the default set here).
    static func ensureInitialized() {
        _ = initialized
        pikou_xml_silence_thread()
    }
}

extension XMLError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("file.xml", description) }
}
