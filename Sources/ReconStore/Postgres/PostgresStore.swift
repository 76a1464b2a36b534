public import PikouCore
public import Foundation
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
        guard let error = error as? PSQLError else { return StoreError.unavailable("\(server): \(error)") }
        if let info = error.serverInfo {
            let message = info[.message] ?? "\(error.code)"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            if info[.sqlState] == "23505" { return StoreError.conflict(message + detail) }
            return StoreError.unavailable("\(server): \(message)\(detail) [SQLSTATE \(info[.sqlState] ?? "?")]")
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return StoreError.unavailable("\(server): \(error.code)\(underlying)")
    }

    // MARK: - Migrations

    private func migrate() async throws {
        try await write(lock: Self.migrationLock) { session in
            if let schema = server.schema { try await session.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)")) }
            try await session.execute("CREATE TABLE IF NOT EXISTS pikou_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try await session.rows("SELECT name FROM pikou_migrations").map { try $0.text("name") })
            let known = Set(PostgresSchema.migrations.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreError.unavailable("\(server.display): the store was migrated by a newer Pikou ('\(unknown)'); use that version")
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await session.execute(PostgresQuery(unsafeSQL: statement)) }
                try await session.execute("INSERT INTO pikou_migrations (name, applied_at) VALUES (\(migration.name), \(Self.now()))")
            }
        }
    }

    // MARK: - Journal


    // MARK: - Roster

    // MARK: - Planning

    public func dueCandidates(from earliest: Period, through latest: Period, bank: String?, scheme: Scheme) -> DueCandidates {
        DueCandidates { [self] in
            let pager = PostgresCandidatePager(store: self, earliest: Int64(Self.int(earliest)), latest: Int64(Self.int(latest)), bank: bank, scheme: scheme)
            return { try await pager.next() }
        }
    }

    // MARK: - Files

    public func reserve(_ plan: BatchPlan) async throws -> [ReservedFile] {
        do {
            return try await write { session in try await reserve(plan, session) }
        } catch let StoreError.conflict(text) {
            throw StoreError.conflict("\(text): a due is already covered by another debit, or a payer is twice in a file; nothing was reserved")
        }
    }

    private func reserve(_ plan: BatchPlan, _ session: PostgresSession) async throws -> [ReservedFile] {
        guard let batchID = try await session.value("""
            INSERT INTO batches (period, kind, actor, created_at, round) VALUES (\(Int64(Self.int(plan.period))), \(plan.kind.rawValue), \(plan.actor), \(Self.now()), \(plan.round.map(Int64.init)))
            RETURNING id
            """, as: Int64.self) else { throw StoreError.unavailable("\(server.display): a batch was inserted without an id") }
        // Batch numbers per bank and file date, allocated here: this transaction holds the writer lock.
        var batchNumbers: [String: Int] = [:]
        var reserved: [ReservedFile] = []
        var journal: [JournalEntry] = []
        for file in plan.files {
            let key = file.bank + "|" + file.fileDate.description
            var batchNo = batchNumbers[key] ?? 0
            if batchNo == 0 {
                batchNo = Int(try await session.value("SELECT MAX(batch_no) FROM files WHERE bank = \(file.bank) AND file_date = \(file.fileDate.description)",
                                                      as: Int64.self) ?? 0)
            }
            batchNo += 1
            batchNumbers[key] = batchNo
            if let limit = file.naming.maxBatchNo, batchNo > limit {
                throw StoreError.batchNumbersExhausted(bank: file.bank, fileDate: file.fileDate, needed: batchNo, limit: limit)
            }
            let (name, returnName) = file.naming(batchNo)
            guard let fileID = try await session.value("""
                INSERT INTO files (batch_id, bank, batch_no, file_date, collection_date, collector, collector_account, name, return_name, count, total_fen, status)
                VALUES (\(batchID), \(file.bank), \(Int64(batchNo)), \(file.fileDate.description), \(file.collectionDate.description), \(file.collector),
                        \(file.collectorAccount), \(name), \(returnName), \(Int64(file.debits.count)), \(file.total.fen), 'planned')
                RETURNING id
                """, as: Int64.self) else { throw StoreError.unavailable("\(server.display): a file was inserted without an id") }
            reserved.append(ReservedFile(id: fileID, bank: file.bank, batchNo: batchNo, name: name, returnName: returnName))
            journal.append(JournalEntry(actor: plan.actor, action: "file.reserve", subject: "\(file.bank)/\(name)",
                                        detail: "\(plan.kind.rawValue) \(plan.period): \(file.debits.count) debits, \(file.total) yuan"))
        }
        // Every debit of the plan, and the dues each covers, through COPY into staging tables.
        let debits = zip(reserved, plan.files).flatMap { reservedFile, file in
            file.debits.enumerated().map { (fileID: reservedFile.id, seq: $0.offset + 1, debit: $0.element) }
        }
        try await session.execute("""
            CREATE TEMP TABLE debits_in (file_id BIGINT, seq BIGINT, payer_id BIGINT, agreement_id BIGINT, agreement_version BIGINT,
                                         amount_fen BIGINT, period BIGINT, memo TEXT) ON COMMIT DROP
            """)
        try await session.execute("CREATE TEMP TABLE dues_in (file_id BIGINT, seq BIGINT, due_id BIGINT) ON COMMIT DROP")
        try await session.copy(into: "debits_in", columns: [], count: debits.count) { index, row in
            let (fileID, seq, debit) = debits[index]
            row.add(fileID)
            row.add(seq)
            row.add(debit.payerID)
            row.add(debit.agreementID)
            row.add(debit.agreementVersion)
            row.add(debit.amount.fen)
            row.add(Self.int(debit.period))
            row.add(debit.memo)
        }
        let dues = debits.flatMap { item in item.debit.dueIDs.map { (item.fileID, item.seq, $0) } }
        try await session.copy(into: "dues_in", columns: [], count: dues.count) { index, row in
            row.add(dues[index].0)
            row.add(dues[index].1)
            row.add(dues[index].2)
        }
        // Fresh temporary tables have no statistics: without them the planner guesses a handful of rows.
        try await session.execute("ANALYZE debits_in")
        try await session.execute("ANALYZE dues_in")
        // One live debit per due, checked before the plan's own debits are in: no due twice in the plan,
        // and none covered by another debit still pending (no closing result) or succeeded.
        if let due = try await session.value("""
            (SELECT due_id FROM dues_in GROUP BY due_id HAVING COUNT(*) > 1 LIMIT 1)
            UNION ALL
            (SELECT n.due_id FROM dues_in n JOIN debit_dues o ON o.due_id = n.due_id
             LEFT JOIN results r ON r.debit_id = o.debit_id AND r.posted = 1
             WHERE r.id IS NULL OR r.outcome = 'succeeded' LIMIT 1)
            LIMIT 1
            """, as: Int64.self) {
            throw StoreError.conflict("due \(due) is already covered by a debit that is pending or succeeded")
        }
        // The debits and the dues each covers in one statement (the new debits' ids go straight from
        // the first insert to the second). A debit is inserted only while its agreement stands, active,
        // at the version it was composed on; the payer's and the agreement's text is copied from it.
        let inserted = try await session.value("""
            WITH debits AS (
                INSERT INTO debit_rows (file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo)
                SELECT i.file_id, i.seq, i.payer_id, i.agreement_id, i.agreement_version, p.id_number, a.account_name, a.account, a.agreement_no,
                       i.amount_fen, i.period, i.memo
                FROM debits_in i
                JOIN agreements a ON a.id = i.agreement_id AND a.payer_id = i.payer_id AND a.version = i.agreement_version AND a.status = 'active'
                JOIN payers p ON p.id = i.payer_id
                ORDER BY i.file_id, i.seq
                RETURNING id, file_id, seq
            ), links AS (
                INSERT INTO debit_dues (due_id, debit_id) SELECT n.due_id, d.id FROM dues_in n JOIN debits d ON d.file_id = n.file_id AND d.seq = n.seq
            )
            SELECT COUNT(*) FROM debits
            """, as: Int64.self) ?? 0
        if inserted != debits.count {
            // Some agreement changed since the debits were composed: name one (the transaction rolls back).
            let stale = try await session.row("""
                SELECT i.agreement_id, i.payer_id, i.agreement_version FROM debits_in i LEFT JOIN agreements a ON a.id = i.agreement_id
                WHERE a.id IS NULL OR a.version <> i.agreement_version OR a.payer_id <> i.payer_id OR a.status <> 'active'
                ORDER BY i.file_id, i.seq LIMIT 1
                """)
            let what = try stale.map { "agreement \(try $0.int("agreement_id")) of payer \(try $0.int("payer_id")) changed or was revoked after the debits were composed (version \(try $0.int("agreement_version")))" }
                ?? "\(debits.count - Int(inserted)) debits name a payer or agreement the store does not have"
            throw StoreError.conflict("\(what); nothing was reserved: run again")
        }
        try await appendJournal(session, journal)
        return reserved
    }


    public func fileToWrite(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: true) }

    public func fileContents(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: false) }

    private func contents(id: Int64, plannedOnly: Bool) async throws -> FileToWrite? {
        try await read { session in
            guard let file = try await session.row("SELECT * FROM files WHERE id = \(id)"), try !plannedOnly || file.text("status") == "planned" else { return nil }
            var lines: [FileLine] = []
            lines.reserveCapacity(try file.count("count"))
            for row in try await session.rows("""
                SELECT seq, id_number, name, account, agreement_no, amount_fen, period, memo FROM debit_rows WHERE file_id = \(id) ORDER BY seq
                """) {
                lines.append(FileLine(
                    sequence: try row.count("seq"), idNumber: IDNumber(stored: try row.text("id_number")), name: try row.text("name"),
                    account: BankAccount(stored: try row.text("account")), agreementNo: try row.text("agreement_no"), amount: try row.money("amount_fen"),
                    period: Self.period(try row.count("period")), memo: try row.text("memo")))
            }
            return FileToWrite(
                fileID: id, bank: try file.text("bank"), name: try file.text("name"), batchNo: try file.count("batch_no"),
                fileDate: Self.date(try file.text("file_date")), collectionDate: Self.date(try file.text("collection_date")),
                collector: try file.text("collector"), collectorAccount: try file.text("collector_account"), lines: lines)
        }
    }





    static func storedFile(_ row: PostgresRandomAccessRow) throws -> StoredFile {
        StoredFile(id: try row.int("id"), bank: try row.text("bank"), name: try row.text("name"), returnName: try row.text("return_name"),
                   state: fileState(try row.text("status")), count: try row.count("count"), total: try row.money("total_fen"),
                   digest: try row.optionalText("digest"))
    }
}

/// Reads due candidates a range of payer ids at a time (as the SQLite store's pager does).
final class PostgresCandidatePager: @unchecked Sendable {  // owned by one iterator, used by one task at a time
    let store: PostgresStore
    let earliest: Int64, latest: Int64, bank: String?, scheme: Scheme
    var lastFailure: [Int64: (Outcome, Int64)]?
    var maxPayer: Int64 = 0
    var after: Int64 = 0
    var prefetched: Task<[DueCandidate], any Error>?

    /// Payers per page.
    static let pagePayers: Int64 = 20_000

    init(store: PostgresStore, earliest: Int64, latest: Int64, bank: String?, scheme: Scheme) {
        self.scheme = scheme
        self.store = store
        self.earliest = earliest
        self.latest = latest
        self.bank = bank
    }

    func next() async throws -> [DueCandidate]? {
        if lastFailure == nil {
            // The latest decided debit per agreement: a failure there blocks until the agreement changes.
            let (failures, maxPayer) = try await store.read { session in
                var lastFailure: [Int64: (Outcome, Int64)] = [:]
                for row in try await session.rows("""
                    SELECT d.agreement_id, r.outcome, d.agreement_version
                    FROM (SELECT d2.agreement_id, MAX(d2.id) AS id FROM debit_rows d2
                          JOIN results r2 ON r2.debit_id = d2.id AND r2.posted = 1 GROUP BY d2.agreement_id) last
                    JOIN debit_rows d ON d.id = last.id JOIN results r ON r.debit_id = d.id AND r.posted = 1
                    """) {
                    if let outcome = Outcome(rawValue: try row.text("outcome")), outcome != .succeeded {
                        lastFailure[try row.int("agreement_id")] = (outcome, try row.int("agreement_version"))
                    }
                }
                return (lastFailure, try await session.value("SELECT MAX(id) FROM payers", as: Int64.self) ?? 0)
            }
            lastFailure = failures
            self.maxPayer = maxPayer
        }
        guard after < maxPayer, let lastFailure else { return nil }
        let low = after, high = after + Self.pagePayers
        after = high
        let page = prefetched ?? Task { [self] in try await read(low: low, high: high, lastFailure: lastFailure) }
        // The next page is read while the caller composes this one (a pooled connection of its own).
        if high < maxPayer {
            let next = (high, high + Self.pagePayers)
            prefetched = Task { [self] in try await read(low: next.0, high: next.1, lastFailure: lastFailure) }
        } else {
            prefetched = nil
        }
        return try await page.value
    }

    deinit { prefetched?.cancel() }

    /// The due candidates of payers `low < id <= high`, by payer: three statements over the page's dues.
    /// Every table joined is bounded by the page's payer range too: otherwise the planner hash-joins
    /// whole tables, and each page costs the size of the roster.
    private func read(low: Int64, high: Int64, lastFailure failures: [Int64: (Outcome, Int64)]) async throws -> [DueCandidate] {
        let (earliest, latest, bank, scheme) = (self.earliest, self.latest, self.bank, self.scheme.rawValue)
        // A residents' due is debited while its yearly due carries it (re-priced to a zero personal part, it is not).
        let carried = self.scheme == .residentsAnnual
        return try await store.read { session in
            // Dues already debited: 2 = covered by a succeeded debit, 1 = by one still pending, 0 = only failed ones.
            var debited: [Int64: (covered: Int64, lastCycle: Int64?)] = [:]
            for row in try await session.rows("""
                SELECT dd.due_id,
                       MAX(CASE WHEN r.id IS NULL THEN 1 WHEN r.outcome = 'succeeded' THEN 2 ELSE 0 END) AS covered,
                       MAX(CASE WHEN b.kind = 'cycle' THEN b.period END) AS last_cycle
                FROM dues d
                JOIN debit_dues dd ON dd.due_id = d.id
                JOIN debit_rows db ON db.id = dd.debit_id JOIN files f ON f.id = db.file_id JOIN batches b ON b.id = f.batch_id
                LEFT JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1
                WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
                GROUP BY dd.due_id
                """) {
                debited[try row.int("due_id")] = (try row.int("covered"), try row.optionalInt("last_cycle"))
            }
            let paidElsewhere = Set(try await session.rows("""
                SELECT d.id FROM dues d
                JOIN payments pm ON pm.payer_id = d.payer_id AND pm.insurance = d.insurance AND pm.period = d.period
                WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
                  AND pm.payer_id > \(low) AND pm.payer_id <= \(high)
                """).map { try $0.int("id") })
            // The page's four ranges (~20,000 rows each) are read once and hash- or merge-joined: a nested
            // loop probes an index per row, three times slower, and the planner picks it whenever
            // statistics lag a bulk load. (Set for this read-only transaction only.)
            try await session.execute("SET LOCAL enable_nestloop = off")
            var page: [DueCandidate] = []
            try await session.forEach("""
                SELECT d.id, d.payer_id, p.id_number, p.name, d.insurance, d.period, d.amount_fen, e.suspended,
                       a.id AS agreement_id, a.bank, a.account, a.account_name, a.agreement_no, a.status AS agreement_status, a.version
                FROM dues d
                JOIN payers p ON p.id = d.payer_id
                JOIN enrollments e ON e.payer_id = d.payer_id AND e.insurance = d.insurance
                LEFT JOIN agreements a ON a.payer_id = d.payer_id AND a.bank = e.bank AND a.payer_id > \(low) AND a.payer_id <= \(high)
                WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
                  AND p.id > \(low) AND p.id <= \(high) AND e.payer_id > \(low) AND e.payer_id <= \(high)
                  AND (\(bank)::text IS NULL OR e.bank = \(bank)) AND d.scheme = \(scheme)
                  AND (NOT \(carried) OR EXISTS (SELECT 1 FROM resident_dues rd WHERE rd.due_id = d.id))
                ORDER BY d.payer_id, d.insurance, d.period
                """) { row in
                let (dueID, payerID, idNumber, name, insuranceText) = (try row.int(), try row.int(), try row.text(), try row.text(), try row.text())
                let (period, amount, suspended) = (try row.int(), try row.int(), try row.int())
                let (agreementID, agreementBank, account, accountName) = (try row.optionalInt(), try row.optionalText(), try row.optionalText(), try row.optionalText())
                let (agreementNo, agreementStatus, version) = (try row.optionalText(), try row.optionalText(), try row.optionalInt())
                let debit = debited[dueID]
                let state = PostgresStore.dueState(covered: debit?.covered, paidElsewhere: paidElsewhere.contains(dueID))
                var agreement: AgreementSnapshot?
                if let agreementID {
                    guard let agreementBank, let account, let accountName, let agreementNo, let agreementStatus, let version else {
                        throw StoreError.unavailable("agreement \(agreementID) has an empty field; the store was changed outside Pikou")
                    }
                    agreement = AgreementSnapshot(
                        id: agreementID, bank: agreementBank, account: BankAccount(stored: account), accountName: accountName,
                        agreementNo: agreementNo, active: agreementStatus == "active", version: version)
                }
                let failure = agreement.flatMap { failures[$0.id] }
                guard let insurance = Insurance(insuranceText) else {
                    throw StoreError.unavailable("due \(dueID) names insurance '\(insuranceText)', which Pikou does not know; the store was changed outside Pikou")
                }
                page.append(DueCandidate(
                    dueID: dueID, payerID: payerID, idNumber: IDNumber(stored: idNumber), name: name,
                    insurance: insurance, period: PostgresStore.period(Int(period)), amount: Money(fen: amount),
                    state: state, suspended: suspended != 0, agreement: agreement, lastFailure: failure?.0,
                    lastFailureAgreementVersion: failure?.1, lastCyclePeriod: debit?.lastCycle.map { PostgresStore.period(Int($0)) }))
            }
            return page
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
}
