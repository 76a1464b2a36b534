import Foundation
import PikouCore

/// The debit files: found by name, listed with their lines' states, a reservation given up, and
/// whether a return file was posted — written once for both backends. (Reserving, writing and
/// matching a file's debits stay per backend: bulk loads and the C API.)
extension LedgerStore {
    public func reservedFileIDs(bank: String?, fileIDs: [Int64]?) async throws -> [Int64] {
        if let fileIDs, fileIDs.isEmpty { return [] }
        let among: LedgerSQL = fileIDs.map { " AND id IN (\(sql: LedgerSQL.list($0)))" } ?? ""
        return try await readLedger { session in
            try await session.rows("""
                SELECT id FROM files WHERE status = 'planned' AND (CAST(\(bank) AS TEXT) IS NULL OR bank = \(bank))\(sql: among) ORDER BY id
                """).map { try $0.int("id") }
        }
    }

    public func debitFile(bank: String, returnName: String) async throws -> StoredFile? {
        try await readLedger { session in
            try await session.row("SELECT * FROM files WHERE bank = \(bank) AND return_name = \(returnName)").map(Self.fileRecord)
        }
    }

    public func debitFile(bank: String, name: String) async throws -> StoredFile? {
        try await readLedger { session in try await session.row("SELECT * FROM files WHERE bank = \(bank) AND name = \(name)").map(Self.fileRecord) }
    }

    public func allDebitFiles() async throws -> [StoredFile] {
        try await readLedger { session in try await session.rows("SELECT * FROM files ORDER BY id").map(Self.fileRecord) }
    }

    public func releaseReservedFile(id: Int64, actor: String, reason: String) async throws -> StoredFile {
        try await writeLedger { session in
            guard let row = try await session.row("SELECT * FROM files WHERE id = \(id)") else {
                throw StoreError.notFound(Message(zh: "扣款文件 \(id)", en: "debit file \(id)"))
            }
            let file = try Self.fileRecord(row)
            guard file.state == .reserved else {
                throw StoreError.conflict(Message(
                    zh: "\(file.bank)/\(file.name) 已写出：它可能已在银行，因此保留，由其回盘了结",
                    en: "\(file.bank)/\(file.name) was written: it may be at the bank, so it stays and its return answers it"))
            }
            let batch = try row.int("batch_id")
            try await session.execute("DELETE FROM debit_dues WHERE debit_id IN (SELECT id FROM debit_rows WHERE file_id = \(id))")
            try await session.execute("DELETE FROM debit_rows WHERE file_id = \(id)")
            try await session.execute("DELETE FROM files WHERE id = \(id)")
            try await session.execute("DELETE FROM batches WHERE id = \(batch) AND NOT EXISTS (SELECT 1 FROM files WHERE batch_id = \(batch))")
            try await Self.appendJournal(session, actor: actor, action: "file.released", subject: "\(file.bank)/\(file.name)",
                                         detail: "reserved, never written: \(file.count) debits, \(file.total) yuan given up, their dues to plan again; \(reason)")
            return file
        }
    }

    public func postedReturnFile(debitFileID: Int64, digest: String) async throws -> (id: Int64, at: Date)? {
        try await readLedger { session in
            try await session.row("SELECT id, ingested_at FROM return_files WHERE debit_file_id = \(debitFileID) AND digest = \(digest)")
                .map { (id: try $0.int("id"), at: Self.instant(try $0.text("ingested_at"))) }
        }
    }

    public func status(period: Period?) async throws -> [FileStatus] {
        // A month's files are its cycle's and resubmissions' (the residents' rounds are the year's: ``residentsFiles(year:)``).
        let period = period.map { Int64(Self.int($0)) }
        return try await fileStatus(where: "CAST(\(period) AS BIGINT) IS NULL OR (b.period = \(period) AND b.kind <> 'round')")
    }

    public func residentsFiles(year: Int) async throws -> [FileStatus] {
        try await fileStatus(where: LedgerSQL(stringLiteral: ResidentsSQL.roundFiles(year: year)))
    }

    /// Each file `condition` (over files `f` and batches `b`) selects, with its debits' states added up.
    func fileStatus(where condition: LedgerSQL) async throws -> [FileStatus] {
        try await readLedger { session in
            try await session.rows("""
                SELECT f.bank, f.name, b.period, f.status,
                       COUNT(d.id) AS n, CAST(COALESCE(SUM(d.amount_fen), 0) AS BIGINT) AS fen,
                       COUNT(CASE WHEN d.status = 'succeeded' THEN 1 END) AS ok_n,
                       CAST(COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN d.amount_fen END), 0) AS BIGINT) AS ok_fen,
                       COUNT(CASE WHEN d.status = 'failed' THEN 1 END) AS bad_n,
                       CAST(COALESCE(SUM(CASE WHEN d.status = 'failed' THEN d.amount_fen END), 0) AS BIGINT) AS bad_fen,
                       COUNT(CASE WHEN d.status = 'pending' THEN 1 END) AS wait_n,
                       CAST(COALESCE(SUM(CASE WHEN d.status = 'pending' THEN d.amount_fen END), 0) AS BIGINT) AS wait_fen,
                       (SELECT COUNT(*) FROM exceptions x JOIN return_files r ON r.id = x.return_file_id WHERE r.debit_file_id = f.id) AS exceptions
                FROM files f JOIN batches b ON b.id = f.batch_id LEFT JOIN debits d ON d.file_id = f.id
                WHERE \(sql: condition)
                GROUP BY f.id, b.period ORDER BY f.bank, f.id
                """).map { row in
                var totals = FileStatus.Totals()
                (totals.submitted, totals.submittedFen) = (try row.count("n"), try row.int("fen"))
                (totals.succeeded, totals.succeededFen) = (try row.count("ok_n"), try row.int("ok_fen"))
                (totals.failed, totals.failedFen) = (try row.count("bad_n"), try row.int("bad_fen"))
                (totals.pending, totals.pendingFen) = (try row.count("wait_n"), try row.int("wait_fen"))
                totals.exceptions = try row.count("exceptions")
                return FileStatus(bank: try row.text("bank"), fileName: try row.text("name"), period: Self.period(try row.count("period")),
                                  state: Self.fileState(try row.text("status")), totals: totals)
            }
        }
    }

    /// A `files` row.
    static func fileRecord(_ row: LedgerRow) throws -> StoredFile {
        StoredFile(id: try row.int("id"), bank: try row.text("bank"), name: try row.text("name"), returnName: try row.text("return_name"),
                   state: fileState(try row.text("status")), count: try row.count("count"), total: try row.money("total_fen"),
                   digest: try row.optionalText("digest"))
    }
}

/// Reserving a plan's files and reading a file's lines back — written once for both backends.
extension LedgerStore {
    public func reserve(_ plan: BatchPlan) async throws -> [ReservedFile] {
        do {
            return try await writeLedger { session in try await Self.reserve(plan, session) }
        } catch let StoreError.conflict(text) {
            throw StoreError.conflict(Message(
                zh: "\(text.zh)：已有欠费被另一笔扣款占用，或有缴费人在一个文件中出现两次；未预留任何文件",
                en: "\(text.en): a due is already covered by another debit, or a payer is twice in a file; nothing was reserved"))
        }
    }

    private static func reserve(_ plan: BatchPlan, _ session: any LedgerSession) async throws -> [ReservedFile] {
        let batchID: Int64
        if let joined = plan.batchID {
            // A later part of a run's batch: the batch must be the run's own (same period, kind and round).
            guard let batch = try await session.row("SELECT period, kind, round FROM batches WHERE id = \(joined)"),
                  try batch.int("period") == Int64(int(plan.period)), try batch.text("kind") == plan.kind.rawValue,
                  try batch.optionalInt("round") == plan.round.map(Int64.init) else {
                throw StoreError.conflict(Message(zh: "批次 \(joined) 不是本次运行的批次", en: "batch \(joined) is not this run's batch"))
            }
            batchID = joined
        } else {
            batchID = try await session.insert("""
                INSERT INTO batches (period, kind, actor, created_at, round) VALUES (\(int(plan.period)), \(plan.kind.rawValue), \(plan.actor), \(now()), \(plan.round.map(Int64.init)))
                """)
        }
        let (reserved, journal) = try await reserveFiles(plan, batchID: batchID, session)
        let debits = zip(reserved, plan.files).flatMap { reservedFile, file in
            file.debits.enumerated().map { (fileID: reservedFile.id, seq: $0.offset + 1, debit: $0.element) }
        }
        try await loadDebits(debits, session)
        // One live debit per due, checked before the plan's own debits are in: no due twice in the plan,
        // and none covered by another debit still pending (no closing result) or succeeded.
        var live = try await session.row("SELECT due_id FROM dues_in GROUP BY due_id HAVING COUNT(*) > 1 LIMIT 1")
        if live == nil {
            live = try await session.row("""
                SELECT n.due_id FROM dues_in n JOIN debit_items o ON o.due_id = n.due_id
                WHERE o.state IN ('pending', 'succeeded') LIMIT 1
                """)
        }
        if let due = try live?.int("due_id") {
            throw StoreError.conflict(Message(zh: "欠费 \(due) 已被一笔待回盘或已成功的扣款占用",
                                              en: "due \(due) is already covered by a debit that is pending or succeeded"))
        }
        // A debit is inserted only while its agreement stands, active, at the version it was composed
        // on; the payer's and the agreement's text is copied from it.
        let inserted = try await session.changes("""
            INSERT INTO debit_rows (file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo)
            SELECT i.file_id, i.seq, i.payer_id, i.agreement_id, i.agreement_version, p.id_number, a.account_name, a.account, a.agreement_no,
                   i.amount_fen, i.period, i.memo
            FROM debits_in i
            JOIN agreements a ON a.id = i.agreement_id AND a.payer_id = i.payer_id AND a.version = i.agreement_version AND a.status = 'active'
            JOIN payers p ON p.id = i.payer_id
            ORDER BY i.file_id, i.seq
            """)
        if inserted != debits.count {
            // Some agreement changed since the debits were composed: name one (the unit of work rolls back).
            let stale = try await session.row("""
                SELECT i.agreement_id, i.payer_id, i.agreement_version FROM debits_in i LEFT JOIN agreements a ON a.id = i.agreement_id
                WHERE a.id IS NULL OR a.version <> i.agreement_version OR a.payer_id <> i.payer_id OR a.status <> 'active'
                ORDER BY i.file_id, i.seq LIMIT 1
                """)
            let what: Message = try stale.map { row in
                let agreement = try row.int("agreement_id"), payer = try row.int("payer_id"), version = try row.int("agreement_version")
                return Message(zh: "缴费人 \(payer) 的协议 \(agreement) 在组合扣款之后被改动或撤销（第 \(version) 版）",
                               en: "agreement \(agreement) of payer \(payer) changed or was revoked after the debits were composed "
                                   + "(version \(version))")
            } ?? Message(zh: "有 \(debits.count - inserted) 笔扣款指向对账库中没有的缴费人或协议",
                         en: "\(debits.count - inserted) debits name a payer or agreement the store does not have")
            throw StoreError.conflict(Message(zh: "\(what.zh)；未预留任何文件：请重新运行", en: "\(what.en); nothing was reserved: run again"))
        }
        // Each debit's dues, by the debit's (file, sequence) key.
        try await session.execute("""
            INSERT INTO debit_dues (due_id, debit_id) SELECT n.due_id, d.id FROM dues_in n JOIN debit_rows d ON d.file_id = n.file_id AND d.seq = n.seq
            """)
        try await appendJournal(session, journal)
        return reserved
    }

    /// The plan's files, each with its batch number (per bank and file date, allocated here: this unit
    /// of work holds the writer lock) and its names, and their journal entries.
    private static func reserveFiles(_ plan: BatchPlan, batchID: Int64, _ session: any LedgerSession) async throws -> ([ReservedFile], [JournalEntry]) {
        var batchNumbers: [String: Int] = [:]
        var reserved: [ReservedFile] = []
        var journal: [JournalEntry] = []
        for file in plan.files {
            let key = file.bank + "|" + file.fileDate.description
            var batchNo = batchNumbers[key] ?? 0
            if batchNo == 0 {
                batchNo = try await session.row("SELECT MAX(batch_no) AS n FROM files WHERE bank = \(file.bank) AND file_date = \(file.fileDate.description)")?
                    .optionalInt("n").map(Int.init) ?? 0
            }
            batchNo += 1
            batchNumbers[key] = batchNo
            if let limit = file.naming.maxBatchNo, batchNo > limit {
                throw StoreError.batchNumbersExhausted(bank: file.bank, fileDate: file.fileDate, needed: batchNo, limit: limit)
            }
            let (name, returnName) = file.naming(batchNo)
            let fileID = try await session.insert("""
                INSERT INTO files (batch_id, bank, batch_no, file_date, collection_date, collector, collector_account, name, return_name, count, total_fen, status)
                VALUES (\(batchID), \(file.bank), \(batchNo), \(file.fileDate.description), \(file.collectionDate.description), \(file.collector),
                        \(file.collectorAccount), \(name), \(returnName), \(file.debits.count), \(file.total.fen), 'planned')
                """)
            reserved.append(ReservedFile(id: fileID, batchID: batchID, bank: file.bank, batchNo: batchNo, name: name, returnName: returnName))
            journal.append(JournalEntry(actor: plan.actor, action: "file.reserve", subject: "\(file.bank)/\(name)",
                                        detail: "\(plan.kind.rawValue) \(plan.period): \(file.debits.count) debits, \(file.total) yuan"))
        }
        return (reserved, journal)
    }

    /// The plan's debits into the scratch table `debits_in`, and the dues each covers into `dues_in`.
    private static func loadDebits(_ debits: [(fileID: Int64, seq: Int, debit: PlannedDebit)], _ session: any LedgerSession) async throws {
        try await session.scratch("debits_in", """
            (file_id BIGINT, seq BIGINT, payer_id BIGINT, agreement_id BIGINT, agreement_version BIGINT, amount_fen BIGINT, period BIGINT, memo TEXT)
            """)
        try await session.scratch("dues_in", "(file_id BIGINT, seq BIGINT, due_id BIGINT)")
        try await session.load(
            into: "debits_in", columns: ["file_id", "seq", "payer_id", "agreement_id", "agreement_version", "amount_fen", "period", "memo"], count: debits.count
        ) { index, row in
            let (fileID, seq, debit) = debits[index]
            row.add(fileID)
            row.add(seq)
            row.add(debit.payerID)
            row.add(debit.agreementID)
            row.add(debit.agreementVersion)
            row.add(debit.amount.fen)
            row.add(int(debit.period))
            row.add(debit.memo)
        }
        let dues = debits.flatMap { item in item.debit.dueIDs.map { (item.fileID, item.seq, $0) } }
        try await session.load(into: "dues_in", columns: ["file_id", "seq", "due_id"], count: dues.count) { index, row in
            row.add(dues[index].0)
            row.add(dues[index].1)
            row.add(dues[index].2)
        }
    }

    public func fileToWrite(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: true) }

    public func fileContents(id: Int64) async throws -> FileToWrite? { try await contents(id: id, plannedOnly: false) }

    private func contents(id: Int64, plannedOnly: Bool) async throws -> FileToWrite? {
        try await readLedger { session in
            guard let file = try await session.row("SELECT * FROM files WHERE id = \(id)"), try !plannedOnly || file.text("status") == "planned" else { return nil }
            var lines: [FileLine] = []
            lines.reserveCapacity(try file.count("count"))
            // By position: the cycle reads every debit it writes.
            try await session.forEachRow("""
                SELECT seq, id_number, name, account, agreement_no, amount_fen, period, memo FROM debit_rows WHERE file_id = \(id) ORDER BY seq
                """) { row in
                lines.append(FileLine(
                    sequence: Int(try row.int(at: 0)), idNumber: IDNumber(stored: try row.text(at: 1)), name: try row.text(at: 2),
                    account: BankAccount(stored: try row.text(at: 3)), agreementNo: try row.text(at: 4), amount: Money(fen: try row.int(at: 5)),
                    period: Self.period(Int(try row.int(at: 6))), memo: try row.text(at: 7)))
            }
            return FileToWrite(
                fileID: id, bank: try file.text("bank"), name: try file.text("name"), batchNo: try file.count("batch_no"),
                fileDate: Self.date(try file.text("file_date")), collectionDate: Self.date(try file.text("collection_date")),
                collector: try file.text("collector"), collectorAccount: try file.text("collector_account"), lines: lines)
        }
    }
}
