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

    /// The head as a person reads it: `第 1234 条 sha256 <hex>` in Chinese, ``text`` in English.
    /// Both forms read back (``init(parsing:)``), so either may be kept as an anchor.
    public var shown: Message { Message(zh: "第 \(entryID) 条 sha256 \(hash)", en: text) }

    /// Reads `entry N sha256 HEX` or `第 N 条 sha256 HEX` anywhere in `line`.
    public init?(parsing line: some StringProtocol) {
        let text = Substring(line)
        for range in text.ranges(of: " sha256 ") {
            let hex = text[range.upperBound...].prefix(64)
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { continue }
            var before = text[..<range.lowerBound]
            let chinese = before.hasSuffix(" 条")
            if chinese { before = before.dropLast(2) }
            let digits = before.reversed().prefix { $0.isASCII && $0.isNumber }
            guard let id = Int64(String(digits.reversed())) else { continue }
            before = before.dropLast(digits.count)
            guard chinese ? (before.hasSuffix("第 ") || before.hasSuffix("第")) : before.hasSuffix("entry ") else { continue }
            self.init(entryID: id, hash: String(hex))
            return
        }
        return nil
    }
}

/// One journal entry, as the audit log shows it.
public struct JournalEntry: Sendable, Hashable {
    public var id: Int64
    /// ISO 8601, UTC.
    public var at: String
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String
    public var hash: String

    public init(id: Int64, at: String, actor: String, action: String, subject: String, detail: String, hash: String) {
        (self.id, self.at, self.actor, self.action, self.subject, self.detail, self.hash) = (id, at, actor, action, subject, detail, hash)
    }
}

/// Which journal entries to show: newest first, a page at a time.
public struct JournalFilter: Sendable, Hashable {
    /// Exactly this actor.
    public var actor: String?
    /// Actions starting with this (`file.` for every file action).
    public var action: String?
    /// Exactly this subject (a masked ID number, a file name, an exception's number).
    public var subject: String?
    public var limit: Int
    public var offset: Int

    public init(actor: String? = nil, action: String? = nil, subject: String? = nil, limit: Int = 50, offset: Int = 0) {
        (self.actor, self.action, self.subject, self.limit, self.offset) = (actor, action, subject, limit, offset)
    }
}

/// A page of journal entries and how many pass the filter in all.
public struct JournalPage: Sendable, Hashable {
    public var total: Int
    public var entries: [JournalEntry]

    public init(total: Int, entries: [JournalEntry]) {
        (self.total, self.entries) = (total, entries)
    }
}
