import PostgresNIO

/// PostgreSQL's side of the shared statements, on a unit of work's session: `$1, $2, …`
/// placeholders with typed binds, and each cell read as an integer or a text (a numeric or a
/// boolean as an integer).
struct PostgresLedgerSession: LedgerSession {
    let session: PostgresSession
    var dialect: LedgerDialect { .postgres }

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
        var columns: [String: Int]?
        var rows: [LedgerRow] = []
        for try await row in try await session.connection.query(Self.query(sql), logger: session.logger) {
            var values: [LedgerValue] = []
            var names: [String: Int] = [:]
            for (index, cell) in row.enumerated() {
                if columns == nil { names[cell.columnName] = index }
                values.append(try Self.value(cell))
            }
            if columns == nil { columns = names }
            rows.append(LedgerRow(columns: columns ?? names, values: values))
        }
        return rows
    }

    private static func value(_ cell: PostgresCell) throws -> LedgerValue {
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64?.self))
        case .bool: return .integer(try cell.decode(Bool?.self).map { $0 ? 1 : 0 })
        case .numeric:
            guard let text = try cell.decode(String?.self) else { return .integer(nil) }
            guard let number = Int64(text) else { throw StoreError.unavailable("column '\(cell.columnName)' holds \(text), not a whole number") }
            return .integer(number)
        default: return .text(try cell.decode(String?.self))
        }
    }

    func execute(_ sql: LedgerSQL) async throws { try await session.execute(Self.query(sql)) }

    func hashJoinsOnly() async throws { try await PostgresStore.hashJoinsOnly(session) }

    func insert(_ sql: LedgerSQL) async throws -> Int64 {
        guard let id = try await session.value(Self.query(sql + " RETURNING id"), as: Int64.self) else {
            throw StoreError.unavailable("an INSERT returned no id")
        }
        return id
    }
}
