public import PikouCore

/// Line terminators.
public enum LineEnding: String, Sendable, Hashable, CaseIterable {
    case crlf
    case lf

    /// The terminator bytes.
    public var bytes: [UInt8] {
        switch self {
        case .crlf: [13, 10]
        case .lf: [10]
        }
    }
}
