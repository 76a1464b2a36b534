/// Masking of personal data for logs, diagnostics and public lists.
///
/// The shapes follow DESIGN.md: ID `420106********1234`, account `6222****1234`, name `张*`.
public enum Masking {
    /// Keeps the first six and last four characters of an ID number (region code and check).
    public static func idNumber(_ id: String) -> String {
        keep(id, head: 6, tail: 4)
    }

    /// Keeps the first four and last four digits of an account number.
    public static func account(_ account: String) -> String {
        keep(account, head: 4, tail: 4, fixedStars: 4)
    }

    /// Keeps the first character of a name (the family name) and hides the rest.
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Keeps the first three and last four digits of a phone number (`138****0000`).
    public static func phone(_ phone: String) -> String {
        keep(phone, head: 3, tail: 4, fixedStars: 4)
    }

    /// A value from outside (a user name typed at the login, a file's name) as a log line may quote
    /// it: control characters (a line feed would forge a line of its own), line and paragraph
    /// separators and bidirectional overrides written as `\u{…}`, and at most `limit` characters kept.
    public static func logged(_ value: String, limit: Int = 80) -> String {
        var output = ""
        for scalar in value.unicodeScalars.prefix(limit) {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                output += "\\u{" + String(v, radix: 16) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return value.unicodeScalars.count > limit ? output + "…" : output
    }

    /// Hides the middle of any other personal text, keeping at most two characters at each end.
    public static func text(_ text: String) -> String {
        keep(text, head: 2, tail: 2)
    }

    /// Masks every run of 11 or more digits in free text (an ID's trailing `X` included): ID numbers
    /// (15 or 18 characters) as IDs, any other long number (an account, a phone) as an account. A run
    /// joined to a name by `_` (a bank file's collector code and date, `BOC_DK_420100000001_…`) is part
    /// of that name and stays. For logs and messages that may quote a value whole; never cuts a character.
    public static func numbers(in text: String) -> String {
        var output = ""
        var run = ""
        var joined = false  // the run follows an underscore
        func flush(before next: Character?) {
            if run.count >= 11 && !joined && next != "_" {
                output += run.count == 15 || run.count == 18 ? idNumber(run) : account(run)
            } else {
                output += run
            }
            run = ""
        }
        var previous: Character?
        for character in text {
            let digit = character.isASCII && character.isNumber
            if digit || ((character == "X" || character == "x") && run.count == 17) {
                if run.isEmpty { joined = previous == "_" }
                run.append(character)
            } else {
                if !run.isEmpty { flush(before: character) }
                output.append(character)
            }
            previous = character
        }
        if !run.isEmpty { flush(before: nil) }
        return output
    }

    private static func keep(_ text: String, head: Int, tail: Int, fixedStars: Int? = nil) -> String {
        let characters = Array(text)
        guard characters.count > head + tail else {
            return String(repeating: "*", count: characters.count)
        }
        let hidden = fixedStars ?? (characters.count - head - tail)
        return String(characters[..<head]) + String(repeating: "*", count: hidden)
            + String(characters[(characters.count - tail)...])
    }
}
