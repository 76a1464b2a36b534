import PikouCore

/// Stopping a file before its bank runs it, and undoing an ingest nothing depends on yet, written
/// once for both backends (``StopRules`` decides).
extension LedgerStore {
    public func cancelWrittenFile(id: Int64, _ cancellation: FileCancellation) async throws -> CancelledFile {
        try await writeLedger { session in
            guard let row = try await session.row("SELECT * FROM files WHERE id = \(id)") else {
                throw StoreError.notFound(Message(zh: "扣款文件 \(id)", en: "debit file \(id)"))
            }
            let file = try Self.fileRecord(row)
            let answers = try await session.rows("SELECT name, kind, ingested_at, actor FROM return_files WHERE debit_file_id = \(id) ORDER BY id").map {
                (name: try $0.text("name"), cancel: try $0.text("kind") == "cancel", at: try $0.text("ingested_at"), actor: try $0.text("actor"))
            }
            try StopRules.checkCancel(file, answers: answers)
            let now = Self.now()
            let recordID = try await session.insert("""
                INSERT INTO return_files (id, bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor, kind)
                VALUES (\(sql: session.dialect.nextReturnFileID), \(file.bank), \(cancellation.recordName), \(cancellation.digest), \(id), NULL, NULL,
                        \(file.count), \(file.total.fen), \(now), \(cancellation.actor), 'cancel')
                """)
            try await session.execute("""
                INSERT INTO results (return_file_id, line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted)
                SELECT \(recordID), seq, seq, id, account, amount_fen, 'cancelled', '', \(cancellation.reason), '', 1 FROM debit_rows WHERE file_id = \(id) ORDER BY seq
                """)
            let seal = Seal.text(.returnFile, id: recordID, seal: try await Self.sealReturnFile(session, id: recordID))
            try await Self.appendJournal(session, actor: cancellation.actor, action: "file.cancelled", subject: "\(file.bank)/\(file.name)",
                                         detail: StopRules.cancelDetail(file, cancellation, seal: seal))
            return CancelledFile(file: file, recordID: recordID)
        }
    }

    public func returnFiles(bank: String, name: String) async throws -> [StoredReturnFile] {
        try await readLedger { session in
            try await session.rows("SELECT id, bank, name, digest, debit_file_id, kind FROM return_files WHERE bank = \(bank) AND name = \(name) ORDER BY id")
                .map(Self.returnFileRecord)
        }
    }

    public func undoReturnFile(id: Int64, actor: String, reason: String) async throws -> UndoneReturn {
        try await writeLedger { session in
            guard let row = try await session.row("""
                SELECT r.id, r.bank, r.name, r.digest, r.debit_file_id, r.kind, f.name AS debit_file_name
                FROM return_files r JOIN files f ON f.id = r.debit_file_id WHERE r.id = \(id)
                """) else { throw StoreError.notFound(Message(zh: "回盘文件 \(id)", en: "return file \(id)")) }
            let returned = try Self.returnFileRecord(row)
            let debitFileName = try row.text("debit_file_name")
            let dependants = StopRules.Dependants(
                laterReturn: try await session.row(
                    "SELECT name FROM return_files WHERE debit_file_id = \(returned.debitFileID) AND id > \(id) ORDER BY id LIMIT 1").map { try $0.text("name") },
                workedExceptions: try await session.row("""
                    SELECT COUNT(*) AS n FROM exception_actions a JOIN exceptions x ON x.id = a.exception_id WHERE x.return_file_id = \(id)
                    """).map { try $0.count("n") } ?? 0,
                laterDebitFile: try await session.row("""
                    SELECT f.bank || '/' || f.name AS subject FROM results r
                    JOIN debit_dues dd ON dd.debit_id = r.debit_id
                    JOIN debit_dues later ON later.due_id = dd.due_id AND later.debit_id > dd.debit_id
                    JOIN debit_rows d ON d.id = later.debit_id JOIN files f ON f.id = d.file_id
                    WHERE r.return_file_id = \(id) AND r.posted = 1 LIMIT 1
                    """).map { try $0.text("subject") })
            try StopRules.checkUndo(returned, debitFileName: debitFileName, dependants)
            let seal = try await Self.sealReturnFile(session, id: id)
            try StopRules.checkSealed(returned, seal: seal, entries: try await session.rows("""
                SELECT id, action, detail FROM journal WHERE action IN (\(sql: LedgerSQL(stringLiteral: Seal.journalActions))) AND detail LIKE \(StopRules.sealPattern(id: id))
                ORDER BY id
                """).map { (id: try $0.int("id"), action: try $0.text("action"), detail: try $0.text("detail")) })
            guard let counts = try await session.row("""
                SELECT (SELECT COUNT(*) FROM results WHERE return_file_id = \(id)) AS lines,
                       (SELECT COUNT(*) FROM results WHERE return_file_id = \(id) AND posted = 1) AS posted,
                       (SELECT COUNT(*) FROM exceptions WHERE return_file_id = \(id)) AS exceptions
                """) else { throw StoreError.unavailable(Message(zh: "对账库未能统计出行数", en: "the store counted no lines")) }
            // The guards let these deletes through only under this transaction's mark.
            try await session.execute("INSERT INTO return_undo_marks (return_file_id) VALUES (\(id))")
            try await session.execute("DELETE FROM exceptions WHERE return_file_id = \(id)")
            try await session.execute("DELETE FROM results WHERE return_file_id = \(id)")
            try await session.execute("DELETE FROM return_files WHERE id = \(id)")
            try await session.execute("DELETE FROM return_undo_marks WHERE return_file_id = \(id)")
            let undone = UndoneReturn(bank: returned.bank, name: returned.name, debitFileName: debitFileName,
                                      lines: try counts.count("lines"), posted: try counts.count("posted"), exceptions: try counts.count("exceptions"))
            try await session.execute("""
                INSERT INTO return_undos (return_file_id, bank, name, digest, debit_file_id, line_count, seal, at, actor, reason)
                VALUES (\(id), \(returned.bank), \(returned.name), \(returned.digest), \(returned.debitFileID), \(undone.lines), \(seal),
                        \(Self.now()), \(actor), \(reason))
                """)
            try await Self.appendJournal(session, actor: actor, action: "return.undone", subject: "\(returned.bank)/\(returned.name)",
                                         detail: StopRules.undoDetail(undone, digest: returned.digest, seal: Seal.text(.returnFile, id: id, seal: seal), reason: reason))
            return undone
        }
    }
}
