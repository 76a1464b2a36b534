/// A problem found in the input (a spec, a bank file, a CSV row): collected, never thrown.
///
/// Messages are already masked: they may be printed or logged as they are.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// Noteworthy but the data was used (a name cut to fit, a passbook account failing Luhn).
        case warning
        /// The record or the file is wrong.
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    /// A stable identifier that tests and callers match on.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let severity: Severity
    public let code: Code
    /// The file the problem is in, as given by the caller.
    public let file: String?
    /// 1-based line number, when the problem is on a line.
    public let line: Int?
    /// 1-based column, when a parser knows it (a spec's YAML).
    public let column: Int?
    /// The field (or spec key) concerned.
    public let field: String?
    /// What is wrong, masked, in both languages.
    public let text: Message

    /// What is wrong in the process's language.
    public var message: String { text.text }

    public init(
        _ severity: Severity, _ code: Code, file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil,
        _ message: Message
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.text = message
    }

    /// A diagnostic whose words are the same in every language: a bank's or a library's own words,
    /// or a spec's keys and values for the integrator who wrote them.
    public init(
        _ severity: Severity, _ code: Code, file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil,
        _ message: String
    ) {
        self.init(severity, code, file: file, line: line, column: column, field: field, Message(zh: message, en: message))
    }

    /// The same diagnostic, placed in `file`.
    public func inFile(_ file: String) -> Diagnostic {
        Diagnostic(severity, code, file: file, line: line, column: column, field: field, text)
    }

    /// `file:line: error: field 'f': message [code]`, the shape compilers print (in Chinese
    /// `file:line: 错误：字段 'f'：message [code]`), in the process's language.
    public var description: String { description(.current) }

    /// ``description`` in `language`.
    public func description(_ language: Language) -> String {
        var place = file ?? ""
        if let line { place += (place.isEmpty ? (language == .en ? "line " : "第 ") : ":") + String(line) + (place.isEmpty && language == .zh ? " 行" : "") }
        if line != nil, let column { place += ":" + String(column) }
        let prefix = place.isEmpty ? "" : place + ": "
        switch language {
        case .en:
            let fieldPart = field.map { "field '\($0)': " } ?? ""
            return "\(prefix)\(severity.rawValue): \(fieldPart)\(text.en) [\(code.rawValue)]"
        case .zh:
            let fieldPart = field.map { "字段 '\($0)'：" } ?? ""
            return "\(prefix)\(severity == .error ? "错误" : "警告")：\(fieldPart)\(text.zh) [\(code.rawValue)]"
        }
    }
}

extension Sequence where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
