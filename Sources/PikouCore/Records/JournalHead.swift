/// The journal's last entry: anchoring it outside the store (a printed report, `pikou journal head`,
/// the workspace's anchors file) makes deleting or rewriting the entries before it detectable.
public struct JournalHead: Sendable, Hashable {
    /// The entry's id (entries are numbered from 1, in order).
    public var entryID: Int64
    /// Its hash, which chains every entry before it.
    public var hash: String

    public init(entryID: Int64, hash: String) {
        self.entryID = entryID
        self.hash = hash
    }

    /// `entry 1234 sha256 <hex>`, the form anchors are written and read in.
    public var text: String { "entry \(entryID) sha256 \(hash)" }

    /// Reads `entry N sha256 HEX` anywhere in `line`.
    public init?(parsing line: some StringProtocol) {
        let text = Substring(line)
        for range in text.ranges(of: "entry ") {
            let rest = text[range.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let id = Int64(digits) else { continue }
            let tail = rest.dropFirst(digits.count)
            guard tail.hasPrefix(" sha256 ") else { continue }
            let hex = tail.dropFirst(8).prefix(64)
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { continue }
            self.init(entryID: id, hash: String(hex))
            return
        }
        return nil
    }
}
