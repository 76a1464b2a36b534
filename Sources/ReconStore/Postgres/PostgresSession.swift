import Logging
import NIOCore
import PikouCore
import PostgresNIO

/// One connection inside one unit of work: queries that collect their rows, and `COPY … FROM STDIN`.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `query` and returns its rows, each readable by column name.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }


    /// The first column of the first row, if any row (and it is not NULL).
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        guard let row = try await connection.query(query, logger: logger).collect().first else { return nil }
        let cell = row.makeRandomAccess()[0]
        return cell.bytes == nil ? nil : try cell.decode(T.self)
    }

    /// Runs `query` for its effect.
    func execute(_ query: PostgresQuery) async throws { _ = try await connection.query(query, logger: logger).collect() }

    /// Loads `count` rows into `table` through `COPY … FROM STDIN` (text format), written by `row`
    /// into a buffer sent a megabyte at a time: one round trip for the lot, never one per row.
    func copy(into table: String, columns: [String], count: Int, row: (Int, inout CopyRows) throws -> Void) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var rows = CopyRows()
            for index in 0..<count {
                try row(index, &rows)
                rows.endRow()
                if rows.buffer.readableBytes >= 1 << 20 {
                    try await writer.write(rows.buffer)
                    rows.buffer.clear()
                }
            }
            if rows.buffer.readableBytes > 0 { try await writer.write(rows.buffer) }
        }
    }
}

/// Rows in `COPY`'s text format: fields separated by a tab, rows ended by a line feed, NULL as `\N`,
/// and a backslash, tab, line feed or carriage return inside a value escaped.
struct CopyRows {
    var buffer = ByteBuffer()
    private var atRowStart = true

    private mutating func separate() {
        if !atRowStart { buffer.writeInteger(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    mutating func add(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { bytes in
            // Most values need no escape: copy them whole.
            if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    mutating func add(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func add(_ value: Int) { add(Int64(value)) }

    mutating func add(_ value: Int64?) {
        if let value { add(value) } else { addNull() }
    }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: Bool) { add(Int64(value ? 1 : 0)) }

    mutating func addNull() {
        separate()
        buffer.writeStaticString("\\N")
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        atRowStart = true
    }
}

extension PostgresRandomAccessRow {
    /// The cell of `column`; a column the statement does not return is an error, never a crash.
    func cell(_ column: String) throws -> PostgresCell {
        guard contains(column) else {
            throw StoreError.unavailable(Message(zh: "PostgreSQL 对账库的一条查询没有返回列 '\(column)'",
                                                 en: "a statement of the PostgreSQL store returns no column '\(column)'"))
        }
        return self[column]
    }

    func text(_ column: String) throws -> String { try cell(column).decode(String.self) }
}
