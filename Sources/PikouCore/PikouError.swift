/// The one shape of a failure a person is told of, whichever layer found it: a stable code that
/// tests, logs and scripts match on, the message in the reader's language, and the fix when one is
/// known. Every layer throws it, or an error that turns into it (``PikouErrorConvertible``: the
/// typed errors whose cases callers match on, such as a store conflict or a signature that does not
/// verify); both faces render it the same way, the CLI on standard error
/// (``PikouError/rendered``) and the console as a page (message above, fix below).
///
/// Messages are already masked: they may be printed or logged as they are.
public struct PikouError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier: `area.what` (`workspace.config`, `store.conflict`, `file.signature`).
    public struct Code: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }
    }

    public let code: Code
    /// What is wrong.
    public let message: Message
    /// What to do about it, when that is known apart from the message.
    public let fix: Message?

    public init(_ code: Code, _ message: Message, fix: Message? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    /// A failure whose message names files, keys and values the catalogue cannot hold (a config
    /// file's path and line, a bank's own words): the same text in every language.
    public init(_ code: Code, _ text: String, fix: Message? = nil) {
        self.init(code, Message(zh: text, en: text), fix: fix)
    }

    /// `error`'s shape: itself, its conversion, or — for an error no layer of Pikou made (the
    /// system's, a library's) — `internal` with its own words.
    public init(_ error: any Error) {
        switch error {
        case let error as PikouError: self = error
        case let error as any PikouErrorConvertible: self = error.pikouError
        default: self.init("internal", String(describing: error))
        }
    }

    /// The message, then the fix on its own line.
    public var description: String {
        fix.map { message.text + "\n" + $0.text } ?? message.text
    }

    /// What the CLI prints: `错误：message [code]`, the fix indented beneath. A message that already
    /// has a compiler's shape (`file:line: error: … [code]`, a diagnostic's) keeps it.
    public var rendered: String { rendered(.current) }

    /// ``rendered`` in `language`.
    public func rendered(_ language: Language) -> String {
        let own = message.text(language)
        let placed = own.hasPrefix("error: ") || own.contains(": error: ") || own.hasPrefix(Self.label.zh) || own.contains(": 错误：")
        var text = (placed ? "" : Self.label.text(language)) + own
        if !own.hasSuffix("[" + code.rawValue + "]") { text += " [" + code.rawValue + "]" }
        if let fix { text += "\n  " + Self.fixLabel.text(language) + fix.text(language) }
        return text
    }

    static let label = Message(zh: "错误：", en: "error: ")
    static let fixLabel = Message(zh: "处理：", en: "fix: ")
}

/// A typed error whose cases its callers match on, and which a person reads as a ``PikouError``.
public protocol PikouErrorConvertible: Error {
    var pikouError: PikouError { get }
}

extension PikouError {
    /// A diagnostic thrown as a failure: its code, its compiler-shaped line (file, line, field).
    public init(_ diagnostic: Diagnostic) {
        self.init(Code(rawValue: diagnostic.code.rawValue), Message(zh: diagnostic.description(.zh), en: diagnostic.description(.en)))
    }

    /// Several diagnostics thrown as one failure: the first error's code, every line.
    public init(diagnostics: [Diagnostic], code fallback: Code) {
        let first = diagnostics.first { $0.severity == .error } ?? diagnostics.first
        self.init(first.map { Code(rawValue: $0.code.rawValue) } ?? fallback,
                  Message(zh: diagnostics.map { $0.description(.zh) }.joined(separator: "\n"),
                          en: diagnostics.map { $0.description(.en) }.joined(separator: "\n")))
    }
}

extension Money.ParseError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("money.parse", message) }
}

extension Money.OverflowError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("money.overflow", message) }
}

extension IDNumber.ValidationError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("payer.idNumber", message) }
}

extension BankAccount.ValidationError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("payer.account", message) }
}

extension Period.ParseError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("period.parse", message) }
}

extension Language.LanguageError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("language", description) }
}
