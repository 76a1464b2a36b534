public import Foundation
public import PikouCore

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
            guard let row = try await session.row("SELECT * FROM files WHERE id = \(id)") else { throw StoreError.notFound("debit file \(id)") }
            let file = try Self.fileRecord(row)
            guard file.state == .reserved else {
                throw StoreError.conflict("\(file.bank)/\(file.name) was written: it may be at the bank, so it stays and its return answers it")
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
