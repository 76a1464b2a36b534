public import PikouCore

/// How a delimited layout separates and quotes fields.
public struct Delimiting: Sendable, Hashable {
    /// When a field is put in double quotes.
    public enum Quoting: String, Sendable, Hashable, CaseIterable {
        /// Never; a value holding the separator cannot be written.
        case none
        /// Only when the value holds the separator, a quote or a line break (RFC 4180).
        case minimal
        /// Always.
        case always
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
