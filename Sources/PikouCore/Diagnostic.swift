/// A problem found in the input (a spec, a bank file, a CSV row): collected, never thrown.
///
/// Messages are already masked: they may be printed or logged as they are.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// Noteworthy but the data was used (a name cut to fit, a passbook account failing Luhn).
        case warning
        /// A line read and posted as the bank answered, which an operator must look at (a result code
        /// the spec does not map): not an error of the file, which is taken.
        case review
        /// The record or the file is wrong.
        case error

        private var rank: Int { self == .warning ? 0 : self == .review ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        /// The word a diagnostic starts with: `error`, `review`, `warning`; 错误、待复核、警告.
        public func word(_ language: Language) -> String {
            switch (self, language) {
            case (.error, .zh): "错误"
            case (.review, .zh): "待复核"
            case (.warning, .zh): "警告"
            case (_, .en): rawValue
            }
        }
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
            return "\(prefix)\(severity.word(.en)): \(fieldPart)\(text.en) [\(code.rawValue)]"
        case .zh:
            let fieldPart = field.map { "字段 '\($0)'：" } ?? ""
            return "\(prefix)\(severity.word(.zh))：\(fieldPart)\(text.zh) [\(code.rawValue)]"
        }
    }
}

extension Sequence where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
}

/// What makes two diagnostics the same finding on different lines.
private struct RepeatKey: Hashable {
    let severity: Diagnostic.Severity, code: Diagnostic.Code, file: String?, field: String?, text: Message
    init(_ diagnostic: Diagnostic) {
        (severity, code, file, field) = (diagnostic.severity, diagnostic.code, diagnostic.file, diagnostic.field)
        // The words without the quoted values: '1,234.56' on one line and '88.00' on the next are one finding.
        text = Message(zh: Self.unquoted(diagnostic.text.zh), en: Self.unquoted(diagnostic.text.en))
    }

    static func unquoted(_ text: String) -> String {
        var result = "", inQuote = false
        for character in text {
            if character == "'" { inQuote.toggle(); result.append("'"); continue }
            if !inQuote { result.append(character) }
        }
        return result
    }
}

extension Array where Element == Diagnostic {
    /// The diagnostics as a person reads them: the same finding on many lines (same severity, code,
    /// field and words, only the line and the quoted value differing) is said once, at its first line, with how many lines
    /// have it and which come first, instead of hundreds of times. Findings with fewer than
    /// `repeats` lines stay as they are; the order is that of each finding's first line.
    public func summarized(repeats: Int = 4, shown: Int = 5) -> [Diagnostic] {
        var groups: [RepeatKey: [Int]] = [:]
        for (index, diagnostic) in enumerated() where diagnostic.line != nil {
            groups[RepeatKey(diagnostic), default: []].append(index)
        }
        var result: [Diagnostic] = []
        for (index, diagnostic) in enumerated() {
            guard diagnostic.line != nil else { result.append(diagnostic); continue }
            let members = groups[RepeatKey(diagnostic)] ?? [index]
            if members.count < repeats { result.append(diagnostic); continue }
            guard members.first == index else { continue }
            let lines = members.prefix(shown).compactMap { self[$0].line }.map(String.init)
            let more = members.count > shown ? "…" : ""
            let text = Message(
                zh: "\(diagnostic.text.zh)（同样的问题共 \(members.count) 行：第 \(lines.joined(separator: "、"))\(more) 行）",
                en: "\(diagnostic.text.en) (the same on \(members.count) lines: \(lines.joined(separator: ", "))\(more))")
            result.append(Diagnostic(diagnostic.severity, diagnostic.code, file: diagnostic.file, line: diagnostic.line, column: diagnostic.column,
                                     field: diagnostic.field, text))
        }
        return result
    }
}
