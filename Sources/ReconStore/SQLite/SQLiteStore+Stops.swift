import GRDB
public import PikouCore

/// Stopping a file before its bank runs it, and undoing an ingest nothing depends on yet.
extension SQLiteStore {
    public func cancelWrittenFile(id: Int64, _ cancellation: FileCancellation) async throws -> CancelledFile {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM files WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("debit file \(id)")
            }
            let file = Self.storedFile(row)
            let answers = try Row.fetchAll(db, sql: "SELECT name, kind, ingested_at, actor FROM return_files WHERE debit_file_id = ? ORDER BY id", arguments: [id])
            try StopRules.checkCancel(file, answers: answers.map { (name: $0["name"], cancel: ($0["kind"] as String) == "cancel", at: $0["ingested_at"], actor: $0["actor"]) })
            let now = Self.now()
            try db.execute(sql: """
                INSERT INTO return_files (id, bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor, kind)
                VALUES (\(Self.nextReturnFileID), ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, 'cancel')
                """, arguments: [file.bank, cancellation.recordName, cancellation.digest, id, file.count, file.total.fen, now, cancellation.actor])
            let recordID = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO results (return_file_id, line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted)
                SELECT ?, seq, seq, id, account, amount_fen, 'cancelled', '', ?, '', 1 FROM debit_rows WHERE file_id = ? ORDER BY seq
                """, arguments: [recordID, cancellation.reason, id])
            let seal = Seal.text(.returnFile, id: recordID, seal: try Self.sealReturnFile(db, id: recordID))
            try appendJournal(db, actor: cancellation.actor, action: "file.cancelled", subject: "\(file.bank)/\(file.name)",
                              detail: StopRules.cancelDetail(file, cancellation, seal: seal))
            return CancelledFile(file: file, recordID: recordID)
        }
    }

    public func returnFiles(bank: String, name: String) async throws -> [StoredReturnFile] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, bank, name, digest, debit_file_id, kind FROM return_files WHERE bank = ? AND name = ? ORDER BY id",
                             arguments: [bank, name]).map(Self.storedReturnFile)
        }
    }

    public func undoReturnFile(id: Int64, actor: String, reason: String) async throws -> UndoneReturn {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.*, f.name AS debit_file_name FROM return_files r JOIN files f ON f.id = r.debit_file_id WHERE r.id = ?
                """, arguments: [id]) else {
                throw StoreError.notFound("return file \(id)")
            }
            let returned = Self.storedReturnFile(row)
            let debitFileName: String = row["debit_file_name"]
            let dependants = StopRules.Dependants(
                laterReturn: try String.fetchOne(db, sql: "SELECT name FROM return_files WHERE debit_file_id = ? AND id > ? ORDER BY id LIMIT 1",
                                                 arguments: [returned.debitFileID, id]),
                workedExceptions: try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM exception_actions a JOIN exceptions x ON x.id = a.exception_id WHERE x.return_file_id = ?
                    """, arguments: [id]) ?? 0,
                laterDebitFile: try String.fetchOne(db, sql: """
                    SELECT f.bank || '/' || f.name FROM results r
                    JOIN debit_dues dd ON dd.debit_id = r.debit_id
                    JOIN debit_dues later ON later.due_id = dd.due_id AND later.debit_id > dd.debit_id
                    JOIN debit_rows d ON d.id = later.debit_id JOIN files f ON f.id = d.file_id
                    WHERE r.return_file_id = ? AND r.posted = 1 LIMIT 1
                    """, arguments: [id]))
            try StopRules.checkUndo(returned, debitFileName: debitFileName, dependants)
            let seal = try Self.sealReturnFile(db, id: id)
            try StopRules.checkSealed(returned, seal: seal, entries: try Row.fetchAll(db, sql: """
                SELECT id, action, detail FROM journal WHERE action IN (\(Seal.journalActions)) AND detail LIKE ? ORDER BY id
                """, arguments: [StopRules.sealPattern(id: id)]).map { (id: $0["id"], action: $0["action"], detail: $0["detail"]) })
            let lines = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM results WHERE return_file_id = ?", arguments: [id]) ?? 0
            let posted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM results WHERE return_file_id = ? AND posted = 1", arguments: [id]) ?? 0
            let exceptions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exceptions WHERE return_file_id = ?", arguments: [id]) ?? 0
            // The guards let these deletes through only under this transaction's mark.
            try db.execute(sql: "INSERT INTO return_undo_marks (return_file_id) VALUES (?)", arguments: [id])
            try db.execute(sql: "DELETE FROM exceptions WHERE return_file_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM results WHERE return_file_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM return_files WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM return_undo_marks WHERE return_file_id = ?", arguments: [id])
            let now = Self.now()
            try db.execute(sql: """
                INSERT INTO return_undos (return_file_id, bank, name, digest, debit_file_id, line_count, seal, at, actor, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, returned.bank, returned.name, returned.digest, returned.debitFileID, lines, seal, now, actor, reason])
            let undone = UndoneReturn(bank: returned.bank, name: returned.name, debitFileName: debitFileName, lines: lines, posted: posted, exceptions: exceptions)
            try appendJournal(db, actor: actor, action: "return.undone", subject: "\(returned.bank)/\(returned.name)",
                              detail: StopRules.undoDetail(undone, digest: returned.digest, seal: Seal.text(.returnFile, id: id, seal: seal), reason: reason))
            return undone
        }
    }

    /// The id of the next return file: above every id used, an undone file's included (SQLite would
    /// hand out the id of an undone newest file again, and the journal names files by id).
    static let nextReturnFileID = "(SELECT COALESCE(MAX(m), 0) + 1 FROM (SELECT MAX(id) AS m FROM return_files UNION ALL SELECT MAX(return_file_id) FROM return_undos))"

    static func storedReturnFile(_ row: Row) -> StoredReturnFile {
        StoredReturnFile(id: row["id"], bank: row["bank"], name: row["name"], digest: row["digest"], debitFileID: row["debit_file_id"],
                         isCancellation: (row["kind"] as String) == "cancel")
    }
}
