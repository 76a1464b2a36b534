import PikouCore
import Foundation
import Synchronization
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The SQLite driver of the shared ledger statements: connections of its own to the store's file
/// (WAL, `synchronous = FULL`, foreign keys on, a 30 s busy wait), one writer at a time in this
/// process (`BEGIN IMMEDIATE` orders writers across processes), readers each in their own read
/// transaction (one snapshot per unit of work). A unit of work may await between its statements:
/// its connection is its own until it ends.
final class SQLiteLedger: Sendable {
    let path: String
    private let idle = Mutex<[LedgerConnection]>([])
    private let writer = AsyncLock()

    init(path: String) { self.path = path }

    /// `body` in one read transaction.
    func read<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T {
        try await transaction("BEGIN", body)
    }

    /// `body` in one write transaction, the only one of this process at a time.
    func write<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T {
        try await writer.withLock { try await transaction("BEGIN IMMEDIATE", body) }
    }

    /// `body` on a connection of the pool, between `begin` and COMMIT (ROLLBACK when it throws).
    private func transaction<T>(_ begin: String, _ body: (any LedgerSession) async throws -> T) async throws -> T {
        let connection = try take()
        defer {
            connection.dropScratch()
            give(connection)
        }
        try connection.exec(begin)
        do {
            let value = try await body(connection)
            try connection.exec("COMMIT")
            return value
        } catch {
            try? connection.exec("ROLLBACK")
            throw error
        }
    }

    private func take() throws -> LedgerConnection {
        if let connection = idle.withLock({ $0.popLast() }) { return connection }
        return try LedgerConnection(path: path)
    }

    private func give(_ connection: LedgerConnection) {
        idle.withLock { if $0.count < 4 { $0.append(connection) } }
    }
}

/// One connection, used by one unit of work at a time; its prepared statements kept for reuse.
final class LedgerConnection: LedgerSession, @unchecked Sendable {  // one unit of work at a time (SQLiteLedger)
    private let handle: OpaquePointer
    private let path: String
    private var statements: [String: (statement: OpaquePointer, columns: [String: Int])] = [:]
    /// The scratch tables of the unit of work under way.
    private var scratchTables: [String] = []
    var dialect: LedgerDialect { .sqlite }

    init(path: String) throws {
        self.path = path
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_close_v2(opened)
            throw StoreError.unavailable(.init(zh: "\(path)：\(reason ?? "SQLite 错误码 \(code)")", en: "\(path): \(reason ?? "code \(code)")"))
        }
        handle = opened
        sqlite3_busy_timeout(handle, 30_000)
        try exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
    }

    deinit {
        for (statement, _) in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    private func failure(_ sql: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        // A guard's refusal or a constraint is a conflict (nothing was written), as on PostgreSQL.
        return sqlite3_errcode(handle) == SQLITE_CONSTRAINT ? .conflict(.init(verbatim: message))
            : .unavailable(.init(zh: "\(path)：\(message)", en: "\(path): \(message)"))
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private func prepared(_ sql: LedgerSQL) throws -> (statement: OpaquePointer, columns: [String: Int]) {
        let (text, values) = sql.rendered { _ in "?" }
        let prepared: (statement: OpaquePointer, columns: [String: Int])
        if let cached = statements[text] {
            prepared = cached
        } else {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else { throw failure(text) }
            var columns: [String: Int] = [:]
            for index in 0..<sqlite3_column_count(statement) { columns[String(cString: sqlite3_column_name(statement, index))] = Int(index) }
            prepared = (statement, columns)
            statements[text] = prepared
        }
        let statement = prepared.statement
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .integer(let number?): sqlite3_bind_int64(statement, index, number)
            case .text(let text?): sqlite3_bind_text(statement, index, text, -1, Self.transient)
            case .integer(nil), .text(nil): sqlite3_bind_null(statement, index)
            }
        }
        return prepared
    }

    func rows(_ sql: LedgerSQL) async throws -> [LedgerRow] {
        var rows: [LedgerRow] = []
        try await forEachRow(sql) { rows.append($0) }
        return rows
    }

    func forEachRow(_ sql: LedgerSQL, _ body: (LedgerRow) throws -> Void) async throws {
        let (statement, columns) = try prepared(sql)
        defer { sqlite3_reset(statement) }
        let count = sqlite3_column_count(statement)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(String(cString: sqlite3_sql(statement))) }
            var values: [LedgerValue] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_NULL: values.append(.integer(nil))
                default:
                    let bytes = sqlite3_column_text(statement, column)
                    let length = Int(sqlite3_column_bytes(statement, column))
                    values.append(.text(bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""))
                }
            }
            try body(LedgerRow(columns: columns, values: values))
        }
    }

    func forEachSealedRow(_ sql: LedgerSQL, _ body: (Int64?, UnsafeRawBufferPointer) throws -> Void) async throws {
        let (statement, _) = try prepared(sql)
        defer { sqlite3_reset(statement) }
        let count = sqlite3_column_count(statement)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(String(cString: sqlite3_sql(statement))) }
            buffer.removeAll(keepingCapacity: true)
            var id: Int64?
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER:
                    let number = sqlite3_column_int64(statement, column)
                    if column == 0 { id = number }
                    Self.appendDecimal(number, to: &buffer)
                case SQLITE_NULL: buffer.append(0)
                default:
                    if let bytes = sqlite3_column_text(statement, column) {
                        buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
                    }
                }
                buffer.append(0x1F)
            }
            buffer.append(0x1E)
            try buffer.withUnsafeBytes { try body(id, $0) }
        }
    }

    /// `number` in decimal, as `String(number)` spells it, without making a string.
    private static func appendDecimal(_ number: Int64, to buffer: inout [UInt8]) {
        if number < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(scratch[index]) }
        }
    }

    func execute(_ sql: LedgerSQL) async throws {
        let (statement, _) = try prepared(sql)
        defer { sqlite3_reset(statement) }
        var code = sqlite3_step(statement)
        while code == SQLITE_ROW { code = sqlite3_step(statement) }
        guard code == SQLITE_DONE else { throw failure(String(cString: sqlite3_sql(statement))) }
    }

    func changes(_ sql: LedgerSQL) async throws -> Int {
        try await execute(sql)
        return Int(sqlite3_changes64(handle))
    }

    func hashJoinsOnly() async throws {}

    func scratch(_ table: String, _ definition: LedgerSQL) async throws {
        try exec("DROP TABLE IF EXISTS temp.\(table)")
        try await execute("CREATE TEMP TABLE \(sql: LedgerSQL(stringLiteral: table)) \(sql: definition)")
        scratchTables.append(table)
    }

    /// Drops the scratch tables of the unit of work that ended.
    func dropScratch() {
        for table in scratchTables { try? exec("DROP TABLE IF EXISTS temp.\(table)") }
        scratchTables = []
    }

    func load(into table: String, columns: [String], count: Int, _ row: (Int, inout LoadRow) throws -> Void) async throws {
        let text = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, text, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else { throw failure(text) }
        defer { sqlite3_finalize(statement) }
        var values = LoadRow()
        for index in 0..<count {
            values.values.removeAll(keepingCapacity: true)
            try row(index, &values)
            for (offset, value) in values.values.enumerated() {
                let position = Int32(offset + 1)
                switch value {
                case .integer(let number?): sqlite3_bind_int64(statement, position, number)
                case .text(let text?):
                    var text = text
                    text.withUTF8 { bytes in
                        if let start = bytes.baseAddress, !bytes.isEmpty {
                            _ = sqlite3_bind_text(statement, position, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
                        } else {
                            _ = sqlite3_bind_text(statement, position, "", 0, Self.transient)  // empty, not NULL
                        }
                    }
                case .integer(nil), .text(nil): sqlite3_bind_null(statement, position)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else {
                let error = failure(text)
                sqlite3_reset(statement)
                throw error
            }
            sqlite3_reset(statement)
        }
    }

    func insert(_ sql: LedgerSQL) async throws -> Int64 {
        try await execute(sql)
        return sqlite3_last_insert_rowid(handle)
    }
}

/// A lock a task awaits rather than blocks on: the writers of one process, in the order they came.
final class AsyncLock: Sendable {
    private let state = Mutex<(held: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func withLock<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if !state.held {
                    state.held = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.held = false
                return nil
            }
            return state.waiting.removeFirst()  // handed over: still held
        }
        next?.resume()
    }
}

extension SQLiteStore {
    /// Every reference is a foreign key, checked as each row is written.
    static var uncheckedReferences: [(table: String, column: String, references: String)] { [] }
}
