public import PikouCore
public import Foundation
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
            throw StoreError.unavailable("\(path): \(error)")
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
        guard descriptor >= 0 else { throw StoreError.unavailable("\(copy): cannot create a rehearsal copy: \(String(cString: strerror(errno)))") }
        close(descriptor)
        defer { remove() }
        do {
            let target = try DatabaseQueue(path: copy)
            try pool.backup(to: target)
            try target.close()
        } catch {
            throw StoreError.unavailable("\(copy): cannot copy the store for a rehearsal: \(error)")
        }
        let rehearsal = try SQLiteStore(path: copy)
        return try await body(rehearsal)
    }

    // MARK: - Roster

    // MARK: - Planning

    /// Payers per page of due candidates: a page is one read, its candidates held until taken.
    static let candidatePagePayers: Int64 = 20_000

    public func dueCandidates(from earliest: Period, through latest: Period, bank: String?, scheme: Scheme) -> DueCandidates {
        DueCandidates { [self] in
            let pager = CandidatePager(store: self, earliest: earliest, latest: latest, bank: bank, scheme: scheme)
            return { try await pager.next() }
        }
    }

    /// Reads due candidates a range of payer ids at a time (keys are dense: payers are only inserted).
    final class CandidatePager: @unchecked Sendable {  // owned by one iterator, used by one task at a time
        let store: SQLiteStore
        let earliest: Period, latest: Period, bank: String?, scheme: Scheme
        var lastFailure: [Int64: (Outcome, Int64)]?
        var maxPayer: Int64 = 0
        var after: Int64 = 0
        var prefetched: Task<[DueCandidate], any Error>?

        init(store: SQLiteStore, earliest: Period, latest: Period, bank: String?, scheme: Scheme) {
            self.store = store
            self.earliest = earliest
            self.latest = latest
            self.bank = bank
            self.scheme = scheme
        }

        func next() async throws -> [DueCandidate]? {
            if lastFailure == nil {
                // The latest decided debit per agreement: a failure there blocks until the agreement changes.
                let (failures, maxPayer) = try await store.pool.read { db in
                    var lastFailure: [Int64: (Outcome, Int64)] = [:]
                    let decided = try Row.fetchCursor(db, sql: """
                        SELECT d.agreement_id, r.outcome, d.agreement_version
                        FROM (SELECT d2.agreement_id, MAX(d2.id) AS id FROM debit_rows d2
                              JOIN results r2 ON r2.debit_id = d2.id AND r2.posted = 1 GROUP BY d2.agreement_id) last
                        JOIN debit_rows d ON d.id = last.id JOIN results r ON r.debit_id = d.id AND r.posted = 1
                        """)
                    while let row = try decided.next() {
                        if let outcome = Outcome(rawValue: row["outcome"] ?? ""), outcome != .succeeded {
                            lastFailure[row["agreement_id"]] = (outcome, row["agreement_version"])
                        }
                    }
                    return (lastFailure, try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM payers") ?? 0)
                }
                lastFailure = failures
                self.maxPayer = maxPayer
            }
            guard after < maxPayer, let lastFailure else { return nil }
            let low = after, high = after + SQLiteStore.candidatePagePayers
            after = high
            let page = prefetched ?? Task { [self] in try await read(low: low, high: high, lastFailure: lastFailure) }
            // The next page is read while the caller composes this one (a reader connection of its own).
            if high < maxPayer {
                let next = (high, high + SQLiteStore.candidatePagePayers)
                prefetched = Task { [self] in try await read(low: next.0, high: next.1, lastFailure: lastFailure) }
            } else {
                prefetched = nil
            }
            return try await page.value
        }

        deinit { prefetched?.cancel() }

        /// The due candidates of payers `low < id <= high`, by payer.
        ///
        /// Three statements, each walking the page's dues once in index order: the dues with their
        /// payer, enrollment and agreement; the page's dues already debited (a grouped statement: the
        /// live or succeeded debit, and the last cycle that sent each); and the page's dues paid
        /// through another channel. A correlated subquery per due (and sorting the page by period)
        /// cost more than reading the page itself.
        private func read(low: Int64, high: Int64, lastFailure failures: [Int64: (Outcome, Int64)]) async throws -> [DueCandidate] {
            let (earliest, latest, bank, scheme) = (SQLiteStore.int(self.earliest), SQLiteStore.int(self.latest), self.bank, self.scheme)
            return try await store.pool.read { db in
                func bindPage(_ statement: FastStatement) {
                    statement.bind(1, low)
                    statement.bind(2, high)
                    statement.bind(3, earliest)
                    statement.bind(4, latest)
                }
                // Dues already debited: 2 = covered by a succeeded debit, 1 = by one still pending, 0 = only failed ones.
                var debited: [Int64: (covered: Int64, lastCycle: Int64?)] = [:]
                let debitedDues = try FastStatement(db, sql: """
                    SELECT dd.due_id,
                           MAX(CASE WHEN r.id IS NULL THEN 1 WHEN r.outcome = 'succeeded' THEN 2 ELSE 0 END),
                           MAX(CASE WHEN b.kind = 'cycle' THEN b.period END)
                    FROM dues d INDEXED BY sqlite_autoindex_dues_1
                    JOIN debit_dues dd ON dd.due_id = d.id
                    JOIN debit_rows db ON db.id = dd.debit_id JOIN files f ON f.id = db.file_id JOIN batches b ON b.id = f.batch_id
                    LEFT JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1
                    WHERE d.payer_id > ? AND d.payer_id <= ? AND d.period BETWEEN ? AND ?
                    GROUP BY dd.due_id
                    """)
                bindPage(debitedDues)
                try debitedDues.forEachRow { row in
                    debited[row.int64(0)] = (row.int64(1), row.isNull(2) ? nil : row.int64(2))
                }
                var paidElsewhere: Set<Int64> = []
                let payments = try FastStatement(db, sql: """
                    SELECT d.id FROM dues d INDEXED BY sqlite_autoindex_dues_1
                    JOIN payments pm ON pm.payer_id = d.payer_id AND pm.insurance = d.insurance AND pm.period = d.period
                    WHERE d.payer_id > ? AND d.payer_id <= ? AND d.period BETWEEN ? AND ?
                    """)
                bindPage(payments)
                try payments.forEachRow { row in paidElsewhere.insert(row.int64(0)) }

                // In the unique key's order (payer, insurance, period): no sort; callers group by payer.
                var sql = """
                    SELECT d.id, d.payer_id, p.id_number, p.name, d.insurance, d.period, d.amount_fen, e.suspended,
                           a.id AS agreement_id, a.bank, a.account, a.account_name, a.agreement_no, a.status AS agreement_status, a.version
                    FROM dues d INDEXED BY sqlite_autoindex_dues_1
                    JOIN payers p ON p.id = d.payer_id
                    JOIN enrollments e ON e.payer_id = d.payer_id AND e.insurance = d.insurance
                    LEFT JOIN agreements a ON a.payer_id = d.payer_id AND a.bank = e.bank
                    WHERE d.payer_id > ? AND d.payer_id <= ? AND d.period BETWEEN ? AND ? AND d.scheme = '\(scheme.rawValue)'
                    """
                // A residents' due is debited while its yearly due carries it (re-priced to a zero personal part, it is not).
                if scheme == .residentsAnnual { sql += " AND EXISTS (SELECT 1 FROM resident_dues rd WHERE rd.due_id = d.id)" }
                if bank != nil { sql += " AND e.bank = ?" }
                sql += " ORDER BY d.payer_id, d.insurance, d.period"
                // Columns by position, through the C API: this loop runs once per due of the window (millions at city scale).
                let cursor = try FastStatement(db, sql: sql)
                bindPage(cursor)
                if let bank { cursor.bind(5, bank) }
                var page: [DueCandidate] = []
                try cursor.forEachRow { row in
                    let dueID = row.int64(0)
                    let debit = debited[dueID]
                    let state = SQLiteStore.dueState(covered: debit?.covered, paidElsewhere: paidElsewhere.contains(dueID))
                    var agreement: AgreementSnapshot?
                    if !row.isNull(8) {
                        agreement = AgreementSnapshot(
                            id: row.int64(8), bank: row.text(9), account: BankAccount(stored: row.text(10)), accountName: row.text(11),
                            agreementNo: row.text(12), active: row.text(13) == "active", version: row.int64(14))
                    }
                    let failure = agreement.flatMap { failures[$0.id] }
                    guard let insurance = Insurance(row.text(4)) else {
                        throw StoreError.unavailable("due \(dueID) names insurance '\(row.text(4))', which Pikou does not know; the store was changed outside Pikou")
                    }
                    page.append(DueCandidate(
                        dueID: dueID, payerID: row.int64(1), idNumber: IDNumber(stored: row.text(2)), name: row.text(3),
                        insurance: insurance, period: SQLiteStore.period(Int(row.int64(5))), amount: Money(fen: row.int64(6)),
                        state: state, suspended: row.int64(7) != 0, agreement: agreement, lastFailure: failure?.0,
                        lastFailureAgreementVersion: failure?.1, lastCyclePeriod: debit?.lastCycle.map { SQLiteStore.period(Int($0)) }))
                }
                return page
            }
        }
    }

    // MARK: - Files

    public func reserve(_ plan: BatchPlan) async throws -> [ReservedFile] {
        do {
            return try await pool.write { db in
                try db.execute(sql: "INSERT INTO batches (period, kind, actor, created_at, round) VALUES (?, ?, ?, ?, ?)",
                               arguments: [Self.int(plan.period), plan.kind.rawValue, plan.actor, Self.now(), plan.round])
                let batchID = db.lastInsertedRowID
                let insertFile = try db.cachedStatement(sql: """
                    INSERT INTO files (batch_id, bank, batch_no, file_date, collection_date, collector, collector_account, name, return_name, count, total_fen, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned')
                    """)
                // Hundreds of thousands of debits and their items: bound through the C API. The payer's and
                // the agreement's text is copied in from the agreement version each debit was composed on,
                // read a file at a time (one statement over the file's agreement ids).
                let agreementTexts = try FastStatement(db, sql: """
                    SELECT a.id, a.version, a.payer_id, a.status, p.id_number, a.account_name, a.account, a.agreement_no
                    FROM json_each(?) j JOIN agreements a ON a.id = j.value JOIN payers p ON p.id = a.payer_id
                    """)
                let insertDebit = try FastStatement(db, sql: """
                    INSERT INTO debit_rows (file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertItem = try FastStatement(db, sql: "INSERT INTO debit_dues (due_id, debit_id) VALUES (?, ?)")
                // One live debit per due, checked after each file over the dues it covers: no other debit of
                // the due may be pending (no closing result) or succeeded — an earlier one, or one of this
                // reservation. Debits get increasing ids here (this transaction is the only writer).
                let liveElsewhere = try FastStatement(db, sql: """
                    SELECT n.due_id FROM debit_dues n INDEXED BY debit_dues_debit
                    JOIN debit_dues o ON o.due_id = n.due_id AND o.debit_id != n.debit_id
                    LEFT JOIN results r ON r.debit_id = o.debit_id AND r.posted = 1
                    WHERE n.debit_id >= ? AND (r.id IS NULL OR r.outcome = 'succeeded')
                    LIMIT 1
                    """)
                struct Texts { var version: Int64; var payerID: Int64; var active: Bool; var idNumber, name, account, agreementNo: String }
                // Batch numbers per bank and file date, allocated here: this transaction is the only writer.
                let lastBatch = try db.cachedStatement(sql: "SELECT MAX(batch_no) FROM files WHERE bank = ? AND file_date = ?")
                var batchNumbers: [String: Int] = [:]
                var reserved: [ReservedFile] = []
                for file in plan.files {
                    let key = file.bank + "|" + file.fileDate.description
                    let batchNo = try batchNumbers[key].map { $0 + 1 }
                        ?? (Int.fetchOne(lastBatch, arguments: [file.bank, file.fileDate.description]) ?? 0) + 1
                    batchNumbers[key] = batchNo
                    if let limit = file.naming.maxBatchNo, batchNo > limit {
                        throw StoreError.batchNumbersExhausted(bank: file.bank, fileDate: file.fileDate, needed: batchNo, limit: limit)
                    }
                    let (name, returnName) = file.naming(batchNo)
                    try insertFile.execute(arguments: [
                        batchID, file.bank, batchNo, file.fileDate.description, file.collectionDate.description, file.collector,
                        file.collectorAccount, name, returnName, file.debits.count, file.total.fen,
                    ])
                    let fileID = db.lastInsertedRowID
                    reserved.append(ReservedFile(id: fileID, bank: file.bank, batchNo: batchNo, name: name, returnName: returnName))
                    var texts: [Int64: Texts] = [:]
                    texts.reserveCapacity(file.debits.count)
                    agreementTexts.bind(1, "[" + file.debits.map { String($0.agreementID) }.joined(separator: ",") + "]")
                    try agreementTexts.forEachRow { row in
                        texts[row.int64(0)] = Texts(version: row.int64(1), payerID: row.int64(2), active: row.text(3) == "active",
                                                    idNumber: row.text(4), name: row.text(5), account: row.text(6), agreementNo: row.text(7))
                    }
                    insertDebit.bind(1, fileID)
                    var firstDebitID: Int64?
                    for (offset, debit) in file.debits.enumerated() {
                        guard let text = texts[debit.agreementID], text.version == debit.agreementVersion, text.payerID == debit.payerID, text.active else {
                            throw StoreError.conflict("agreement \(debit.agreementID) of payer \(debit.payerID) changed or was revoked after the debits were composed (version \(debit.agreementVersion)); nothing was reserved: run again")
                        }
                        insertDebit.bind(2, offset + 1)
                        insertDebit.bind(3, debit.payerID)
                        insertDebit.bind(4, debit.agreementID)
                        insertDebit.bind(5, debit.agreementVersion)
                        insertDebit.bind(6, text.idNumber)
                        insertDebit.bind(7, text.name)
                        insertDebit.bind(8, text.account)
                        insertDebit.bind(9, text.agreementNo)
                        insertDebit.bind(10, debit.amount.fen)
                        insertDebit.bind(11, Self.int(debit.period))
                        insertDebit.bind(12, debit.memo)
                        try insertDebit.run()
                        if firstDebitID == nil { firstDebitID = db.lastInsertedRowID }
                        insertItem.bind(2, db.lastInsertedRowID)
                        for dueID in debit.dueIDs {
                            insertItem.bind(1, dueID)
                            try insertItem.run()
                        }
                    }
                    if let firstDebitID {
                        liveElsewhere.bind(1, firstDebitID)
                        if let due = try liveElsewhere.firstRow({ $0.int64(0) }) {
                            throw StoreError.conflict("due \(due) is already covered by a debit that is pending or succeeded; nothing was reserved")
                        }
                    }
                    try appendJournal(db, actor: plan.actor, action: "file.reserve", subject: "\(file.bank)/\(name)",
                                      detail: "\(plan.kind.rawValue) \(plan.period): \(file.debits.count) debits, \(file.total) yuan")
                }
                return reserved
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError.conflict("\(error.message ?? "constraint failed"): a due is already covered by another debit, or a payer is twice in a file; nothing was reserved")
        }
    }


    public func fileToWrite(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: true) }

    public func fileContents(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: false) }

    private func contents(id: Int64, plannedOnly: Bool) async throws -> FileToWrite? {
        try await pool.read { db in
            guard let file = try Row.fetchOne(db, sql: "SELECT * FROM files WHERE id = ?" + (plannedOnly ? " AND status = 'planned'" : ""), arguments: [id]) else { return nil }
            // A file's lines by column position, through the C API: the cycle reads every debit it writes.
            let lines = try FastStatement(db, sql: "SELECT seq, id_number, name, account, agreement_no, amount_fen, period, memo FROM debit_rows WHERE file_id = ? ORDER BY seq")
            var fileLines: [FileLine] = []
            fileLines.reserveCapacity(file["count"])
            lines.bind(1, id)
            try lines.forEachRow { row in
                fileLines.append(FileLine(
                    sequence: Int(row.int64(0)), idNumber: IDNumber(stored: row.text(1)), name: row.text(2), account: BankAccount(stored: row.text(3)),
                    agreementNo: row.text(4), amount: Money(fen: row.int64(5)), period: Self.period(Int(row.int64(6))),
                    memo: row.text(7)))
            }
            return FileToWrite(
                fileID: id, bank: file["bank"], name: file["name"], batchNo: file["batch_no"],
                fileDate: Self.date(file["file_date"]), collectionDate: Self.date(file["collection_date"]),
                collector: file["collector"], collectorAccount: file["collector_account"], lines: fileLines)
        }
    }





    // MARK: - Returns


    // MARK: - Status and checks





    // MARK: - Helpers

    func appendJournal(_ db: Database, actor: String, action: String, subject: String, detail: String) throws {
        try Self.appendJournal(db, actor: actor, action: action, subject: subject, detail: detail)
    }

    static func appendJournal(_ db: Database, actor: String, action: String, subject: String, detail: String) throws {
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM journal ORDER BY id DESC LIMIT 1") ?? ""
        let at = Self.now()
        let hash = Self.journalHash(previous: previous, at: at, actor: actor, action: action, subject: subject, detail: detail)
        try db.execute(sql: "INSERT INTO journal (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [at, actor, action, subject, detail, previous, hash])
    }

    static func storedFile(_ row: Row) -> StoredFile {
        StoredFile(id: row["id"], bank: row["bank"], name: row["name"], returnName: row["return_name"], state: fileState(row["status"]),
                   count: row["count"], total: Money(fen: row["total_fen"]), digest: row["digest"])
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
    func readLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T { try await ledger.read(body) }
    func writeLedger<T>(_ body: (any LedgerSession) async throws -> T) async throws -> T { try await ledger.write(body) }
}
