import PikouCore
import PostgresNIO

/// PostgreSQL's side of the shared statements, on a unit of work's session: `$1, $2, …`
/// placeholders with typed binds, and each cell read as an integer or a text (a numeric or a
/// boolean as an integer).
struct PostgresLedgerSession: LedgerSession {
    let session: PostgresSession
    var dialect: LedgerDialect { .postgres }
    /// The scratch tables this unit of work made (analyzed once loaded).
    private let scratchTables = ScratchTables()

    init(session: PostgresSession) { self.session = session }

    static func query(_ sql: LedgerSQL) -> PostgresQuery {
        let (text, values) = sql.rendered { "$\($0)" }
        var query = PostgresQuery(unsafeSQL: text)
        for value in values {
            switch value {
            case .integer(let number): query.binds.append(number)
            case .text(let text): query.binds.append(text)
            }
        }
        return query
    }

    func rows(_ sql: LedgerSQL) async throws -> [LedgerRow] {
        var rows: [LedgerRow] = []
        try await forEachRow(sql) { rows.append($0) }
        return rows
    }

    func forEachRow(_ sql: LedgerSQL, _ body: (LedgerRow) throws -> Void) async throws {
        var columns: [String: Int]?
        for try await row in try await session.connection.query(Self.query(sql), logger: session.logger) {
            var values: [LedgerValue] = []
            var names: [String: Int] = [:]
            for (index, cell) in row.enumerated() {
                if columns == nil { names[cell.columnName] = index }
                values.append(try Self.value(cell))
            }
            if columns == nil { columns = names }
            try body(LedgerRow(columns: columns ?? names, values: values))
        }
    }

    private static func value(_ cell: PostgresCell) throws -> LedgerValue {
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64?.self))
        case .bool: return .integer(try cell.decode(Bool?.self).map { $0 ? 1 : 0 })
        case .numeric:
            guard let text = try cell.decode(String?.self) else { return .integer(nil) }
            guard let number = Int64(text) else {
                throw StoreError.unavailable(.init(zh: "列 '\(cell.columnName)' 的值为 \(text)，不是整数",
                                                   en: "column '\(cell.columnName)' holds \(text), not a whole number"))
            }
            return .integer(number)
        default: return .text(try cell.decode(String?.self))
        }
    }

    func execute(_ sql: LedgerSQL) async throws { try await session.execute(Self.query(sql)) }

    func changes(_ sql: LedgerSQL) async throws -> Int {
        // Counted on the server: the changed rows never cross the wire.
        Int(try await session.value(Self.query("WITH changed AS (\(sql: sql) RETURNING 1) SELECT COUNT(*) FROM changed"), as: Int64.self) ?? 0)
    }

    func scratch(_ table: String, _ definition: LedgerSQL) async throws {
        let (head, tail): (LedgerSQL, LedgerSQL) = definition.startsWith("AS ") ? (" ON COMMIT DROP ", definition) : (definition, " ON COMMIT DROP")
        try await execute("CREATE TEMP TABLE \(sql: LedgerSQL(stringLiteral: table)) \(sql: head)\(sql: tail)")
        scratchTables.names.insert(table)
    }

    func load(into table: String, columns: [String], count: Int, _ row: (Int, inout LoadRow) throws -> Void) async throws {
        var values = LoadRow()
        try await session.copy(into: table, columns: columns, count: count) { index, copy in
            values.values.removeAll(keepingCapacity: true)
            try row(index, &values)
            for value in values.values {
                switch value {
                case .integer(let number?): copy.add(number)
                case .text(let text?): copy.add(text)
                case .integer(nil), .text(nil): copy.addNull()
                }
            }
        }
        // A scratch table has no statistics until analyzed: the statements over it would be planned blind.
        if scratchTables.names.contains(table) { try await session.execute(PostgresQuery(unsafeSQL: "ANALYZE \(table)")) }
    }

    func hashJoinsOnly() async throws { try await session.execute("SET LOCAL enable_nestloop = off") }

    func insert(_ sql: LedgerSQL) async throws -> Int64 {
        guard let id = try await session.value(Self.query(sql + " RETURNING id"), as: Int64.self) else {
            throw StoreError.unavailable(.init(zh: "一条插入语句没有返回编号", en: "an INSERT returned no id"))
        }
        return id
    }
}

extension PostgresStore {
    static var uncheckedReferences: [(table: String, column: String, references: String)] { PostgresSchema.bulkReferences }
}

/// The names of a unit of work's scratch tables (one unit of work, one task at a time).
private final class ScratchTables {
    var names: Set<String> = []
}
