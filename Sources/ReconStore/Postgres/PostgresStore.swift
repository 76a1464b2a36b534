import PikouCore
import Foundation
import Logging
import PostgresNIO

/// The server store: the ledger on PostgreSQL through postgres-nio, for several operators at once.
///
/// - **Units of work.** Every protocol call is one transaction on one pooled connection. Reads run
///   `REPEATABLE READ, READ ONLY` (one snapshot across their statements).
/// - **One writer at a time, per store.** A writing call first takes a transaction-scoped advisory lock
///   (`pg_advisory_xact_lock`) keyed by the store's database and schema, released at its commit or
///   rollback. Every writing call appends to the journal's hash chain, which is serial by nature (each
///   entry names the one before), and allocates batch numbers and checks "is this due still uncovered"
///   between a read and a write: serializing the writers on one lock makes each of those a plain read
///   inside the lock, where `SERIALIZABLE` would abort every concurrent writer on the journal's head
///   and retry it. Readers never wait: operators' queries and reports run beside a cycle. A crashed
///   client's lock goes with its connection.
/// - **Bulk paths.** The roster, a reservation's debits and a return file's lines are loaded through
///   `COPY … FROM STDIN` (into staging tables, or straight into the append-only tables) and merged by
///   set-based statements: no round trip per row.
public final class PostgresStore: LedgerStore, @unchecked Sendable {  // PostgresClient is thread-safe; the rest is immutable
    let client: PostgresClient
    let server: PostgresServer
    let logger: Logger
    private let runTask: Task<Void, Never>?
    /// A rehearsal's one connection, inside its one transaction (``rehearse(_:)``); nil otherwise.
    private let pinned: PostgresSession?
    /// The advisory lock's second key: the store's database and schema.
    let lockKey: String

    /// The advisory lock class of writers (the first key, 'PIKO').
    static let writerLock: Int32 = 0x5049_4B4F
    /// The advisory lock class of migrations.
    static let migrationLock: Int32 = 0x5049_4B4D

    /// Connects to the server `url` names, creating (or migrating) the store's tables there.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` naming the URL (never a password) and the reason.
    public init(url: String) async throws {
        server = try PostgresServer(url: url)
        var logger = Logger(label: "pikou.store.postgres")
        logger.logLevel = .critical  // the store reports its own errors; postgres-nio's logs would repeat them
        self.logger = logger
        lockKey = server.database + "." + (server.schema ?? "public")
        do {
            try await server.probe(logger: logger)
        } catch {
            throw Self.mapped(error, server: server.display)
        }
        let client = PostgresClient(configuration: try server.configuration(), backgroundLogger: logger)
        self.client = client
        pinned = nil
        let running = Task { await client.run() }
        runTask = running
        do {
            try await migrate()
        } catch {
            running.cancel()
            throw error
        }
    }

    /// The same store seen through `session`, a connection inside an open transaction.
    private init(rehearsing store: PostgresStore, session: PostgresSession) {
        client = store.client
        server = store.server
        logger = store.logger
        lockKey = store.lockKey
        runTask = nil
        pinned = session
    }

    deinit { runTask?.cancel() }

    public func rehearse<T: Sendable>(_ body: (any ReconStore) async throws -> T) async throws -> T {
        if pinned != nil { return try await body(self) }
        return try await withConnection { session in
            try await session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            do {
                let value = try await body(PostgresStore(rehearsing: self, session: session))
                try await session.execute("ROLLBACK")
                return value
            } catch {
                try? await session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The store's URL as printed.
    public var url: String { server.display }

    // MARK: - Units of work

    /// One connection, waited for at most the connect timeout (the pool keeps retrying a dead server).
    private func withConnection<T>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        if let pinned {
            do { return try await body(pinned) } catch { throw mapped(error) }
        }
        do {
            return try await client.withConnection { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
        } catch {
            throw mapped(error)
        }
    }

    /// `body` in one read-only transaction: one snapshot for all its statements.
    func read<T>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        // A rehearsal reads inside its own transaction, seeing what it wrote.
        if let pinned { return try await withConnection { _ in try await body(pinned) } }
        return try await withConnection { session in
            try await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            do {
                let value = try await body(session)
                try await session.execute("COMMIT")
                return value
            } catch {
                try? await session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// `body` in one transaction holding the store's writer lock.
    func write<T>(lock: Int32 = PostgresStore.writerLock, _ body: (PostgresSession) async throws -> T) async throws -> T {
        // A rehearsal's writes: a savepoint each inside its transaction, all rolled back at its end.
        if let pinned {
            return try await withConnection { _ in
                try await pinned.execute("SAVEPOINT rehearsal_write")
                do {
                    let value = try await body(pinned)
                    try await pinned.execute("RELEASE SAVEPOINT rehearsal_write")
                    return value
                } catch {
                    try? await pinned.execute("ROLLBACK TO SAVEPOINT rehearsal_write")
                    throw error
                }
            }
        }
        return try await withConnection { session in
            // READ COMMITTED whatever the server's default: each statement after the lock sees what the
            // previous holder committed (a snapshot taken before the lock was granted would not).
            try await session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            do {
                try await session.execute("SELECT pg_advisory_xact_lock(\(lock), hashtext(\(lockKey)))")
                let value = try await body(session)
                try await session.execute("COMMIT")
                return value
            } catch {
                try? await session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A server error as the store's: a unique key refused is a conflict; anything else names the server.
    func mapped(_ error: any Error) -> any Error { Self.mapped(error, server: server.display) }

    static func mapped(_ error: any Error, server: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let error = error as? PSQLError else { return StoreError.unavailable(Message(zh: "\(server)：\(error)", en: "\(server): \(error)")) }
        if let info = error.serverInfo {
            let message = info[.message] ?? "\(error.code)"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            if info[.sqlState] == "23505" { return StoreError.conflict(Message(verbatim: message + detail)) }
            let state = "[SQLSTATE \(info[.sqlState] ?? "?")]"
            return StoreError.unavailable(Message(zh: "\(server)：\(message)\(detail) \(state)", en: "\(server): \(message)\(detail) \(state)"))
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return StoreError.unavailable(Message(zh: "\(server)：\(error.code)\(underlying)", en: "\(server): \(error.code)\(underlying)"))
    }

    // MARK: - Migrations

    private func migrate() async throws {
        try await write(lock: Self.migrationLock) { session in
            if let schema = server.schema { try await session.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)")) }
            try await session.execute(PostgresQuery(unsafeSQL: PostgresSchema.migrationsTable))
            let applied = Set(try await session.rows("SELECT name FROM pikou_migrations").map { try $0.text("name") })
            let known = Set(PostgresSchema.migrations.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreError.unavailable(Message(
                    zh: "\(server.display)：对账库已由更新版本的 Pikou 升级（'\(unknown)'）；请使用那个版本",
                    en: "\(server.display): the store was migrated by a newer Pikou ('\(unknown)'); use that version"))
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await session.execute(PostgresQuery(unsafeSQL: statement)) }
                if migration.name == "pg-v10-sealed-runs" {
                    let ledger = PostgresLedgerSession(session: session)
                    for table in SealedTable.sealedAtV10 {
                        guard let seal = try await table.sealRun(ledger, after: try await table.sealedThrough(ledger)) else { continue }
                        try await Self.appendJournal(ledger, actor: "pikou", action: table.sealedAction,
                                                     subject: table.rawValue, detail: seal + " (sealed when the store moved to pg-v10)")
                    }
                }
                try await session.execute("INSERT INTO pikou_migrations (name, applied_at) VALUES (\(migration.name), \(Self.now()))")
            }
        }
    }
}

extension PostgresStore {
    func readLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T {
        try await read { session in try await body(PostgresLedgerSession(session: session)) }
    }

    func writeLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T {
        try await write { session in try await body(PostgresLedgerSession(session: session)) }
    }

    /// The schema the migrations make, built in a schema of its own inside a transaction that is
    /// rolled back: nothing of it stays, and the store's own schema is not touched.
    func referenceSchema() async throws -> [SchemaObject] {
        // Inside a rehearsal's transaction (a pinned session), a savepoint, so that only this is undone.
        let (begin, rollback): (PostgresQuery, PostgresQuery) = pinned == nil ? ("BEGIN", "ROLLBACK")
            : ("SAVEPOINT pikou_reference", "ROLLBACK TO SAVEPOINT pikou_reference")
        return try await withConnection { session in
            try await session.execute(begin)
            do {
                let schema = "pikou_reference_\(getpid())"
                try await session.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
                try await session.execute(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema)"))
                try await session.execute(PostgresQuery(unsafeSQL: PostgresSchema.migrationsTable))
                for migration in PostgresSchema.migrations {
                    for statement in migration.statements { try await session.execute(PostgresQuery(unsafeSQL: statement)) }
                }
                let objects = try await PostgresLedgerSession(session: session).rows(LedgerDialect.postgres.schemaObjects).map(SchemaObject.init)
                try await session.execute(rollback)
                return objects
            } catch {
                try? await session.execute(rollback)
                throw StoreError.unavailable(Message(
                    zh: "\(server.display)：无法建立 Pikou 应有的数据库结构来与对账库比对（在单独的模式中建立并回滚；对账库的用户需要该数据库的 'CREATE' 权限）：\(error)",
                    en: "\(server.display): cannot build the schema the migrations make, to compare the store's with "
                        + "(in a schema of its own, rolled back; the store's user needs CREATE on the database): \(error)"))
            }
        }
    }
}
