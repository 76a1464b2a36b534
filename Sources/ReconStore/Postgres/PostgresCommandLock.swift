import Logging
import Synchronization
import PostgresNIO

/// The command lock of a PostgreSQL store: one writing command at a time (cycle run, resubmit,
/// imports, ingest, release) across every process and every machine that uses the store — what the
/// workspace folder's `flock` is on one machine. A session advisory lock held by a connection of its
/// own for the command's life: the server releases it when that connection ends, so a killed command
/// never leaves the store locked. The holder writes who it is into `pikou_command_holder`, so the
/// next command can say whom it waits for.
final class PostgresCommandLock: StoreLease, @unchecked Sendable {  // the connection is thread-safe
    private let connection: PostgresConnection
    private let released = Mutex(false)

    /// The advisory lock class of writing commands.
    static let commandLock: Int32 = 0x5049_4B43

    private init(connection: PostgresConnection) { self.connection = connection }

    static func acquire(_ server: PostgresServer, holder: String, wait: Bool, waiting: @Sendable (String?) -> Void) async throws -> PostgresCommandLock {
        var logger = Logger(label: "pikou.store.postgres.lock")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try await server.connect(logger: logger)
        } catch {
            throw PostgresStore.mapped(error, server: server.display)
        }
        do {
            let schema = server.schema ?? "public"  // a plain name (PostgresServer checks it): safe to write into the statement
            let key = server.database + "." + schema
            let taken = try await connection.query("SELECT pg_try_advisory_lock(\(commandLock), hashtext(\(key)))", logger: logger)
                .collect().first?.makeRandomAccess()[0].decode(Bool.self) ?? false
            if !taken {
                let holder = try await connection.query(PostgresQuery(unsafeSQL: "SELECT holder FROM \(schema).pikou_command_holder WHERE id = 1"), logger: logger)
                    .collect().first?.makeRandomAccess()[0].decode(String.self)
                guard wait else { throw StoreError.busy(holder: holder) }
                waiting(holder)
                _ = try await connection.query("SELECT pg_advisory_lock(\(commandLock), hashtext(\(key)))", logger: logger).collect()
            }
            var record = PostgresQuery(unsafeSQL: """
                INSERT INTO \(schema).pikou_command_holder (id, holder) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder
                """)
            record.binds.append(holder)
            _ = try await connection.query(record, logger: logger).collect()
            return PostgresCommandLock(connection: connection)
        } catch {
            try? await connection.close()
            throw PostgresStore.mapped(error, server: server.display)
        }
    }

    func release() {
        guard !released.withLock({ old in defer { old = true }; return old }) else { return }
        // Ending the session ends its advisory lock. The task keeps the connection until it is closed
        // (postgres-nio requires a connection closed before it goes).
        Task { [connection] in try? await connection.close() }
    }

    func close() async {
        guard !released.withLock({ old in defer { old = true }; return old }) else { return }
        // The server ends the session's advisory lock as the connection closes: awaited, the lock is
        // free when this returns (a console's answer never precedes it).
        try? await connection.close()
    }

    deinit { release() }
}

