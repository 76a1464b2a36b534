public import PikouCore

/// One row of a statement's answer, its cells by column name: integers and texts as both backends
/// store them (PostgreSQL's numerics and booleans read as integers).
public struct LedgerRow: Sendable {
    let columns: [String: Int]
    let values: [LedgerValue]

    init(columns: [String: Int], values: [LedgerValue]) {
        self.columns = columns
        self.values = values
    }

    /// The cell named `column`, and how a message names it.
    private func cell(_ column: String) throws -> (value: LedgerValue, label: String) {
        guard let index = columns[column] else {
            throw StoreError.unavailable(Message(zh: "对账库的一条查询没有返回列 '\(column)'", en: "a statement of the store returns no column '\(column)'"))
        }
        return (values[index], "'\(column)'")
    }

    /// The cell at `index` (from 0), and how a message names it.
    private func cell(at index: Int) throws -> (value: LedgerValue, label: String) {
        guard values.indices.contains(index) else {
            throw StoreError.unavailable(Message(zh: "对账库的一条查询返回的列少于 \(index + 1) 个",
                                                 en: "a statement of the store returns fewer than \(index + 1) columns"))
        }
        return (values[index], "\(index + 1)")
    }

    private static func integer(_ cell: (value: LedgerValue, label: String)) throws -> Int64? {
        switch cell.value {
        case .integer(let value): return value
        case .text(let text):
            guard let text else { return nil }
            guard let value = Int64(text) else {
                throw StoreError.unavailable(Message(zh: "列 \(cell.label) 的值为 '\(text)'，不是整数",
                                                     en: "column \(cell.label) holds '\(text)', not an integer"))
            }
            return value
        }
    }

    private static func text(_ cell: (value: LedgerValue, label: String)) -> String? {
        switch cell.value {
        case .text(let text): text
        case .integer(let value): value.map(String.init)
        }
    }

    private static func required<T>(_ value: T?, _ cell: (value: LedgerValue, label: String)) throws -> T {
        guard let value else { throw StoreError.unavailable(Message(zh: "列 \(cell.label) 为空值", en: "column \(cell.label) is NULL")) }
        return value
    }

    public func optionalInt(_ column: String) throws -> Int64? { try Self.integer(cell(column)) }
    public func int(_ column: String) throws -> Int64 { let cell = try cell(column); return try Self.required(Self.integer(cell), cell) }
    public func optionalText(_ column: String) throws -> String? { Self.text(try cell(column)) }
    public func text(_ column: String) throws -> String { let cell = try cell(column); return try Self.required(Self.text(cell), cell) }

    /// By position (from 0), for loops over many rows: no lookup by name.
    public func optionalInt(at index: Int) throws -> Int64? { try Self.integer(cell(at: index)) }
    public func int(at index: Int) throws -> Int64 { let cell = try cell(at: index); return try Self.required(Self.integer(cell), cell) }
    public func optionalText(at index: Int) throws -> String? { Self.text(try cell(at: index)) }
    public func text(at index: Int) throws -> String { let cell = try cell(at: index); return try Self.required(Self.text(cell), cell) }

    public func count(_ column: String) throws -> Int { Int(try int(column)) }
    public func bool(_ column: String) throws -> Bool { try int(column) != 0 }
    public func optionalBool(_ column: String) throws -> Bool? { try optionalInt(column).map { $0 != 0 } }
    public func money(_ column: String) throws -> Money { Money(fen: try int(column)) }
}

/// One unit of work on a ledger — a transaction on SQLite or PostgreSQL — through which the
/// statements both backends share are run.
public protocol LedgerSession {
    /// The database's spellings, where they differ.
    var dialect: LedgerDialect { get }
    /// Runs `sql` and returns its rows.
    func rows(_ sql: LedgerSQL) async throws -> [LedgerRow]
    /// Runs `sql` for its effect.
    func execute(_ sql: LedgerSQL) async throws
    /// Runs `sql` (an INSERT, UPDATE or DELETE) and returns how many rows it changed.
    func changes(_ sql: LedgerSQL) async throws -> Int
    /// Runs `sql`, handing each row to `body` as it comes: a whole journal or a file's lines are
    /// never held at once.
    func forEachRow(_ sql: LedgerSQL, _ body: (LedgerRow) throws -> Void) async throws
    /// Runs `sql`, handing each row to `body` as a seal reads it: its first column's integer (an id;
    /// nil if it is not one) and the row's bytes — each cell as text (an integer in decimal, NULL as
    /// one 0 byte) ended by 0x1F, the row by 0x1E (``Seal/encode(_:into:)``). No value is made per cell:
    /// `check` hashes every row of the ledger this way (SQLite reads the cells' bytes in place).
    func forEachSealedRow(_ sql: LedgerSQL, _ body: (Int64?, UnsafeRawBufferPointer) throws -> Void) async throws
    /// Makes a scratch table that only this unit of work sees, gone when it ends: `definition` is
    /// its columns, `(line BIGINT, name TEXT)`, or `AS SELECT …`.
    func scratch(_ table: String, _ definition: LedgerSQL) async throws
    /// Loads `count` rows into `columns` of `table`, each written by `row`: PostgreSQL's
    /// `COPY … FROM STDIN` (a scratch table then analyzed), SQLite's one prepared INSERT bound and
    /// stepped through the C API — no statement text or round trip per row on either.
    func load(into table: String, columns: [String], count: Int, _ row: (Int, inout LoadRow) throws -> Void) async throws
    /// Runs an `INSERT` and returns the id of the row it made.
    func insert(_ sql: LedgerSQL) async throws -> Int64
    /// Before a statement over the residents' aggregate view: no nested loops on PostgreSQL, whose
    /// planner would loop over that aggregate once per due right after a bulk load, before its
    /// statistics catch up (seen: 9 minutes for 50,000 residents' finance view, not 1 s); nothing on SQLite.
    func hashJoinsOnly() async throws
}

/// One row being loaded (``LedgerSession/load(into:columns:count:_:)``): its values in column order.
public struct LoadRow {
    var values: [LedgerValue] = []

    public mutating func add(_ value: Int64?) { values.append(.integer(value)) }
    public mutating func add(_ value: Int) { values.append(.integer(Int64(value))) }
    public mutating func add(_ value: Int?) { values.append(.integer(value.map(Int64.init))) }
    public mutating func add(_ value: Bool) { values.append(.integer(value ? 1 : 0)) }
    public mutating func add(_ value: String?) { values.append(.text(value)) }
}

extension LedgerSession {
    /// The first row of `sql`, if any.
    public func row(_ sql: LedgerSQL) async throws -> LedgerRow? { try await rows(sql).first }

    /// ``forEachSealedRow(_:_:)`` over ``forEachRow(_:_:)``'s values (PostgreSQL's rows come decoded).
    public func forEachSealedRow(_ sql: LedgerSQL, _ body: (Int64?, UnsafeRawBufferPointer) throws -> Void) async throws {
        var buffer: [UInt8] = []
        try await forEachRow(sql) { row in
            Seal.encode(row.values, into: &buffer)
            let id: Int64? = if case .integer(let number)? = row.values.first { number } else { nil }
            try buffer.withUnsafeBytes { try body(id, $0) }
        }
    }
}

/// A store whose statements are written once: it lends a read-only unit of work and a writing one
/// (holding the store's writer lock), and the shared topic files do the rest.
protocol LedgerStore: ReconStore, LedgerText {
    func readLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T
    func writeLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T
    /// References the schema holds without a foreign key, which `check` counts (``PostgresSchema/bulkReferences``).
    static var uncheckedReferences: [(table: String, column: String, references: String)] { get }
    /// The schema the store's migrations make, as ``LedgerDialect/schemaObjects`` reads it: built
    /// afresh where nothing else sees it (SQLite: in memory; PostgreSQL: a schema of its own, in a
    /// transaction rolled back), for `check` to compare the store's own with.
    func referenceSchema() async throws -> [SchemaObject]
}

/// One table, view, index, trigger, constraint, rule or function of the store, with its definition
/// as the database gives it back (whitespace folded, the schema's name taken out).
struct SchemaObject: Hashable {
    var kind: String
    var name: String
    var definition: String

    init(kind: String, name: String, definition: String) {
        self.kind = kind
        self.name = name
        self.definition = definition.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    init(_ row: LedgerRow) throws {
        self.init(kind: try row.text("kind"), name: try row.text("name"), definition: try row.text("definition"))
    }
}

/// One journal entry to append.
struct JournalEntry {
    var actor: String, action: String, subject: String, detail: String
}

extension LedgerStore {
    /// Appends one entry to the journal's hash chain (inside the writer's unit of work).
    static func appendJournal(_ session: any LedgerSession, actor: String, action: String, subject: String, detail: String) async throws {
        try await appendJournal(session, [JournalEntry(actor: actor, action: action, subject: subject, detail: detail)])
    }

    /// Appends `entries` to the hash chain in order: one entry by an INSERT, more loaded in bulk.
    static func appendJournal(_ session: any LedgerSession, _ entries: [JournalEntry]) async throws {
        guard !entries.isEmpty else { return }
        var previous = try await session.row("SELECT hash FROM journal ORDER BY id DESC LIMIT 1").map { try $0.text("hash") } ?? ""
        let at = now()
        var chained: [(entry: JournalEntry, previous: String, hash: String)] = []
        for entry in entries {
            let hash = journalHash(previous: previous, at: at, actor: entry.actor, action: entry.action, subject: entry.subject, detail: entry.detail)
            chained.append((entry, previous, hash))
            previous = hash
        }
        if let (entry, previous, hash) = chained.first, chained.count == 1 {
            try await session.execute("""
                INSERT INTO journal (at, actor, action, subject, detail, prev_hash, hash)
                VALUES (\(at), \(entry.actor), \(entry.action), \(entry.subject), \(entry.detail), \(previous), \(hash))
                """)
            return
        }
        try await session.load(into: "journal", columns: ["at", "actor", "action", "subject", "detail", "prev_hash", "hash"], count: chained.count) { index, row in
            let (entry, previous, hash) = chained[index]
            row.add(at)
            row.add(entry.actor)
            row.add(entry.action)
            row.add(entry.subject)
            row.add(entry.detail)
            row.add(previous)
            row.add(hash)
        }
    }
}
