import PikouCore
import Foundation
import GRDB
import PikouCrypto

/// The embedded store: one SQLite file in WAL mode through GRDB, `synchronous = FULL`.
///
/// Hot paths use cached prepared statements inside one transaction per unit of work.
public final class SQLiteStore: LedgerStore, @unchecked Sendable {  // DatabasePool is thread-safe
    let pool: DatabasePool
    /// The shared statements' driver (``LedgerStore``).
    let ledger: SQLiteLedger
    /// The database file.
    public let path: String

    /// Opens (creating if needed) and migrates the store at `path`.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` naming the file and SQLite's reason.
    public init(path: String) throws {
        self.path = path
        ledger = SQLiteLedger(path: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // The pool resets synchronous to NORMAL for WAL; a payment store wants FULL.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(30)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError.unavailable(Message(zh: "\(path)：\(error)", en: "\(path): \(error)"))
        }
    }

    public func rehearse<T: Sendable>(_ body: (any ReconStore) async throws -> T) async throws -> T {
        // A private copy beside the store (same file system, the workspace's 0700 folder), page by page
        // through SQLite's backup API: a consistent snapshot even while a job writes.
        let folder = (path as NSString).deletingLastPathComponent
        let copy = (folder.isEmpty ? "." : folder) + "/.pikou-rehearsal-\(getpid()).sqlite"
        func remove() { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(copy + suffix) } }
        remove()
        let descriptor = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError.unavailable(Message(zh: "\(copy)：无法建立试算用的副本：\(reason)", en: "\(copy): cannot create a rehearsal copy: \(reason)"))
        }
        close(descriptor)
        defer { remove() }
        do {
            let target = try DatabaseQueue(path: copy)
            try pool.backup(to: target)
            try target.close()
        } catch {
            throw StoreError.unavailable(Message(zh: "\(copy)：无法为试算复制对账库：\(error)", en: "\(copy): cannot copy the store for a rehearsal: \(error)"))
        }
        let rehearsal = try SQLiteStore(path: copy)
        return try await body(rehearsal)
    }

    /// Appends one entry to the journal's hash chain on a migration's connection (GRDB's, synchronous:
    /// the v4 migration seals a store's files as it moves); every other entry goes through
    /// ``LedgerStore/appendJournal(_:_:)``.
    static func appendJournal(_ db: Database, actor: String, action: String, subject: String, detail: String) throws {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM journal ORDER BY id DESC LIMIT 1") ?? ""
        let at = Self.now()
        let hash = Self.journalHash(previous: previous, at: at, actor: actor, action: action, subject: subject, detail: detail)
        try db.execute(sql: "INSERT INTO journal (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [at, actor, action, subject, detail, previous, hash])
    }
}

extension Period {
    /// A placeholder for values that cannot occur (stored periods are validated on the way in).
    static let epoch: Period = try! Period(year: 1900, month: 1)  // swiftlint:disable:this force_try
}

extension CivilDate {
    static let epoch = CivilDate(year: 1900, month: 1, day: 1)!
}

extension SQLiteStore {
    /// The schema the migrations make, built in memory.
    func referenceSchema() async throws -> [SchemaObject] {
        let memory = try DatabaseQueue()
        try Schema.migrator.migrate(memory)
        return try await memory.read { db in
            try Row.fetchAll(db, sql: LedgerDialect.sqliteSchemaObjects).map {
                SchemaObject(kind: $0["kind"], name: $0["name"], definition: $0["definition"])
            }
        }
    }

    func readLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T { try await ledger.read(body) }
    func writeLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T { try await ledger.write(body) }
}
