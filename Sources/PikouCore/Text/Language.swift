/// The language people read Pikou in: Simplified Chinese by default, English on request.
///
/// Chosen once when a process starts (`--lang`, else `PIKOU_LANG`, else Chinese) by
/// ``Language/choose(arguments:environment:)``, before anything else runs; read everywhere after
/// through ``Language/current``. Machine-read output (JSON, CSV column keys, file formats, exit
/// codes) does not change with it: outcomes keep their English codes there.
public enum Language: String, Sendable, Hashable, CaseIterable {
    /// 简体中文 (the default).
    case zh = "zh-CN"
    /// English.
    case en

    /// Reads `zh`, `zh-CN`, `zh_CN.UTF-8`, `cn`, `en`, `en_US.UTF-8`, ... (case-insensitive).
    public init?(tag: String) {
        let lower = tag.lowercased()
        if lower.hasPrefix("zh") || lower == "cn" { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }

    /// Set once at start, before any task runs; never changed after (tests pass a language explicitly).
    nonisolated(unsafe) private static var chosen: Language = .zh

    /// The process's language.
    public static var current: Language { chosen }

    /// Picks the language from `--lang X` / `--lang=X` in `arguments` (removed from what is returned),
    /// else from `PIKOU_LANG` in `environment`; an unknown value is an error naming the valid ones.
    ///
    /// - Returns: the arguments without `--lang`.
    public static func choose(arguments: [String], environment: [String: String]) throws(LanguageError) -> [String] {
        let (language, rest) = try parse(arguments: arguments, environment: environment)
        chosen = language
        return rest
    }

    /// The language `arguments` and `environment` ask for, and the arguments without `--lang`.
    public static func parse(arguments: [String], environment: [String: String]) throws(LanguageError) -> (Language, [String]) {
        var rest: [String] = []
        var picked: Language?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { rest += arguments[index...]; break }
            if argument == "--lang" || argument.hasPrefix("--lang=") {
                let value: String
                if argument == "--lang" {
                    index += 1
                    guard index < arguments.endIndex else { throw LanguageError(value: "") }
                    value = arguments[index]
                } else {
                    value = String(argument.dropFirst("--lang=".count))
                }
                guard let language = Language(tag: value) else { throw LanguageError(value: value) }
                picked = language
            } else {
                rest.append(argument)
            }
            index += 1
        }
        if picked == nil, let tag = environment["PIKOU_LANG"], !tag.isEmpty {
            guard let language = Language(tag: tag) else { throw LanguageError(value: tag, fromEnvironment: true) }
            picked = language
        }
        return (picked ?? .zh, rest)
    }

    /// A `--lang` or `PIKOU_LANG` value Pikou does not speak.
    public struct LanguageError: Error, Sendable, CustomStringConvertible {
        public var value: String
        public var fromEnvironment = false
        public var description: String {
            let source = fromEnvironment ? "PIKOU_LANG=\(value)" : "--lang \(value)"
            return "\(source): 只支持 zh 或 en / only zh (简体中文, the default) or en"
        }
    }
}

/// One text a person reads, in every language Pikou speaks. Every such text lives in ``Catalogue``.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    public let zh: String
    public let en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// The text in `language`.
    public func text(_ language: Language) -> String { language == .en ? en : zh }

    /// The text in the process's language.
    public var text: String { text(.current) }

    public var description: String { text }

    /// Both texts in one string, for a column of the store that keeps what a person reads (an
    /// exception's detail): the Chinese, U+001F, the English; one text when they are the same.
    public var stored: String { zh == en ? zh : zh + String(Self.separator) + en }

    /// A text kept by ``stored``; a text stored before there were two (one language) reads as both.
    public init(stored: String) {
        if let cut = stored.firstIndex(of: Self.separator) {
            self.init(zh: String(stored[..<cut]), en: String(stored[stored.index(after: cut)...]))
        } else {
            self.init(zh: stored, en: stored)
        }
    }

    static let separator: Character = "\u{1F}"
}
