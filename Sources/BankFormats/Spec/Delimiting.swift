public import PikouCore

/// How a delimited layout separates and quotes fields.
public struct Delimiting: Sendable, Hashable {
    /// When a field is put in double quotes.
    public enum Quoting: String, Sendable, Hashable, CaseIterable {
        /// Never (`never`, or `none`); a value holding the separator cannot be written, and a quoted
        /// value on read is an error.
        case none
        /// Only when the value holds the separator, a quote or a line break (RFC 4180): `when-needed`,
        /// or `minimal`. Either form is read.
        case minimal
        /// Always; a value without its quotes on read is an error.
        case always

        /// The quoting a spec names: `always`, `never` (`none`), `when-needed` (`minimal`).
        public init?(specName: String) {
            switch specName {
            case "always": self = .always
            case "never", "none": self = .none
            case "when-needed", "minimal": self = .minimal
            default: return nil
            }
        }

        /// The names a spec may use.
        public static let specNames = ["always", "never", "when-needed"]
    }

    /// The separator byte (`|`, `,`, `;`, tab).
    public var separator: UInt8
    public var quoting: Quoting
    /// Whether each line ends with one more separator (`a|b|c|`), as many Chinese bank files do.
    public var trailingSeparator: Bool

    public init(separator: UInt8, quoting: Quoting = .none, trailingSeparator: Bool = false) {
        self.separator = separator
        self.quoting = quoting
        self.trailingSeparator = trailingSeparator
    }
}
