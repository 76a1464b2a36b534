/// The form of a bank's result codes (`code_pattern:`): a regular expression every code matches whole.
///
/// A code out of form (`00O0` for `0000`, a code cut short) is a broken line, not a new answer from
/// the bank: it is a line error. A well-formed code the table does not map is a real answer Pikou
/// does not know yet: the line is read and goes to an operator for review.
/// A class: the reader asks it from inside its per-line loop without mutating (or copying) its own state.
final class CodePattern {
    private let regex: Regex<AnyRegexOutput>
    /// Codes already judged: a file holds a handful of distinct codes over many lines.
    private var known: [String: Bool] = [:]

    init?(_ pattern: String) {
        guard let regex = try? Regex(pattern) else { return nil }
        self.regex = regex
    }

    /// Why `pattern` is not a usable code pattern, or nil.
    static func problem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "code_pattern must not be empty" }
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "'\(pattern)' is not a regular expression (\(error)); e.g. \"[0-9]{4}\" or \"E[0-9]{3}\""
        }
    }

    /// Whether `code` is in the declared form.
    func matches(_ code: String) -> Bool {
        if let answer = known[code] { return answer }
        let answer = (try? regex.wholeMatch(in: code)) != nil
        if known.count < 4096 { known[code] = answer }
        return answer
    }
}
