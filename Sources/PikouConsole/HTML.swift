import Foundation

/// Markup whose every interpolated string is escaped: `"<td>\(name)</td>" as HTML` escapes `name`;
/// only another `HTML` value goes in as it is. A page cannot forget to escape a payer's name, a bank's
/// text or a filter typed into the address bar.
public struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }

    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Markup taken as it is: for constants of this module only.
    init(trusted text: String) { self.text = text }

    public var description: String { text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped.
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        /// Numbers: as they print.
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }

        /// Numbers: as they print.
        public mutating func appendInterpolation(_ value: Int64) { text += String(value) }

        /// Markup: as it is.
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }

        /// Several pieces of markup, one after another.
        public mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
    }

    /// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attribute values.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Pieces joined with nothing between.
    public static func join(_ pieces: [HTML]) -> HTML { HTML(trusted: pieces.map(\.text).joined()) }
}

/// Query-string encoding of a link's parameters (`bank=ICBC&page=2`): every byte of a value but the
/// URL's unreserved characters percent-encoded (Chinese names included); empty values left out.
func query(_ parameters: [(String, String?)]) -> String {
    let parts = parameters.compactMap { name, value -> String? in
        guard let value, !value.isEmpty, let encoded = value.addingPercentEncoding(withAllowedCharacters: unreserved) else { return nil }
        return name + "=" + encoded
    }
    return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
}

private let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
