import GRDB
import PikouCore
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// A prepared statement bound and stepped through SQLite's C API, for loops over a whole file.
///
/// GRDB's `execute(arguments:)` boxes every value in a `DatabaseValue` and builds an arguments
/// array per call: about 4 µs a statement, more than SQLite's own work for a small insert. Here a
/// value goes straight to `sqlite3_bind_*`. Use it only inside the `pool.write`/`read` closure that
/// gave `db`; it is finalized when it goes away.
final class FastStatement {
    private let handle: OpaquePointer
    private let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed", sql: sql)
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        handle = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Binds parameter `index` (1-based).
    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }
    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }
    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            if let start = bytes.baseAddress, !bytes.isEmpty {
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)  // empty, not NULL
            }
        }
    }

    func bind(_ index: Int32, _ value: IDNumber) { bind(index, value.value) }
    func bind(_ index: Int32, _ value: BankAccount) { bind(index, value.number) }
    func bind(_ index: Int32, _ value: Insurance) { bind(index, value.rawValue) }

    /// Runs the bound statement to its end, then resets it for the next bindings.
    func run() throws {
        defer { sqlite3_reset(handle) }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Steps through the rows, handing each to `body` (read columns with ``int64(_:)`` and ``text(_:)``).
    func forEachRow(_ body: (FastStatement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try body(self)
        }
    }

    /// The first row, read by `body`, or `nil` when there is none; the statement is reset after.
    func firstRow<T>(_ body: (FastStatement) throws -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        return try body(self)
    }

    /// The number of columns a row has.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Column `index` (0-based) of the current row.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
    func text(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(handle).map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }
}
