import GRDB
public import PikouCore

/// Seals, guards and anchors: what makes the ledger tamper-evident (see ``Seal``).
extension SQLiteStore {
    /// The append-only guards `check` expects (v1 to v4).
    static let appendOnlyGuards = [
        "journal_append_only_update", "journal_append_only_delete",
        "results_append_only_update", "results_append_only_delete",
        "exception_actions_append_only_update", "exception_actions_append_only_delete",
        "return_files_append_only_update", "return_files_append_only_delete",
        "exceptions_append_only_update", "exceptions_append_only_delete",
        "debit_rows_fixed_update", "debit_rows_written_delete",
        "debit_dues_fixed_update", "debit_dues_written_delete",
        "files_written_update", "files_written_delete",
        "return_undos_append_only_update", "return_undos_append_only_delete",
        "transfers_append_only_update", "transfers_append_only_delete",
    ]

    /// v5: cancellations (a return file of kind `cancel`) and undone ingests (deleted only under a
    /// mark set by the undo's own transaction; remembered in `return_undos`).
    static func migrateToStops(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE return_files ADD COLUMN kind TEXT NOT NULL DEFAULT 'return' CHECK (kind IN ('return', 'cancel'));
            CREATE TABLE return_undo_marks (return_file_id INTEGER PRIMARY KEY);
            CREATE TABLE return_undos (
                id INTEGER PRIMARY KEY,
                return_file_id INTEGER NOT NULL,
                bank TEXT NOT NULL,
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                debit_file_id INTEGER NOT NULL,
                line_count INTEGER NOT NULL,
                seal TEXT NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            CREATE TRIGGER return_undos_append_only_update BEFORE UPDATE ON return_undos
                BEGIN SELECT RAISE(ABORT, 'undone ingests are remembered as they were'); END;
            CREATE TRIGGER return_undos_append_only_delete BEFORE DELETE ON return_undos
                BEGIN SELECT RAISE(ABORT, 'undone ingests are remembered as they were'); END;
            DROP TRIGGER results_append_only_delete;
            CREATE TRIGGER results_append_only_delete BEFORE DELETE ON results
                WHEN NOT EXISTS (SELECT 1 FROM return_undo_marks WHERE return_file_id = OLD.return_file_id)
                BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
            DROP TRIGGER exceptions_append_only_delete;
            CREATE TRIGGER exceptions_append_only_delete BEFORE DELETE ON exceptions
                WHEN NOT EXISTS (SELECT 1 FROM return_undo_marks WHERE return_file_id = OLD.return_file_id)
                BEGIN SELECT RAISE(ABORT, 'exceptions are append-only: resolve or reopen them'); END;
            DROP TRIGGER return_files_append_only_delete;
            CREATE TRIGGER return_files_append_only_delete BEFORE DELETE ON return_files
                WHEN NOT EXISTS (SELECT 1 FROM return_undo_marks WHERE return_file_id = OLD.id)
                BEGIN SELECT RAISE(ABORT, 'return files are append-only'); END;
            """)
    }

    /// v4: return files are unique per (debit file, digest) — the same bytes ingested against the
    /// wrong debit file no longer make the right one "already ingested" — the ledger's rows get
    /// their append-only guards, and every posted return file and written debit file is sealed
    /// into the journal as it stands.
    static func migrateToSeals(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE return_files_v4 (
                id INTEGER PRIMARY KEY,
                bank TEXT NOT NULL,
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                debit_file_id INTEGER NOT NULL REFERENCES files(id),
                declared_count INTEGER,
                declared_total_fen INTEGER,
                line_count INTEGER NOT NULL,
                total_fen INTEGER NOT NULL,
                ingested_at TEXT NOT NULL,
                actor TEXT NOT NULL,
                UNIQUE (debit_file_id, digest)
            );
            INSERT INTO return_files_v4 SELECT id, bank, name, digest, debit_file_id, declared_count, declared_total_fen,
                line_count, total_fen, ingested_at, actor FROM return_files;
            DROP TABLE return_files;
            ALTER TABLE return_files_v4 RENAME TO return_files;
            CREATE INDEX return_files_digest ON return_files (bank, digest);
            CREATE TRIGGER return_files_append_only_update BEFORE UPDATE ON return_files
                BEGIN SELECT RAISE(ABORT, 'return files are append-only'); END;
            CREATE TRIGGER return_files_append_only_delete BEFORE DELETE ON return_files
                BEGIN SELECT RAISE(ABORT, 'return files are append-only'); END;
            CREATE TRIGGER exceptions_append_only_update BEFORE UPDATE ON exceptions
                BEGIN SELECT RAISE(ABORT, 'exceptions are append-only: resolve or reopen them'); END;
            CREATE TRIGGER exceptions_append_only_delete BEFORE DELETE ON exceptions
                BEGIN SELECT RAISE(ABORT, 'exceptions are append-only: resolve or reopen them'); END;
            CREATE TRIGGER debit_rows_fixed_update BEFORE UPDATE ON debit_rows
                BEGIN SELECT RAISE(ABORT, 'debits are fixed when reserved'); END;
            CREATE TRIGGER debit_rows_written_delete BEFORE DELETE ON debit_rows
                WHEN (SELECT status FROM files WHERE id = OLD.file_id) = 'written'
                BEGIN SELECT RAISE(ABORT, 'a written file''s debits stay'); END;
            CREATE TRIGGER debit_dues_fixed_update BEFORE UPDATE ON debit_dues
                BEGIN SELECT RAISE(ABORT, 'debits are fixed when reserved'); END;
            CREATE TRIGGER debit_dues_written_delete BEFORE DELETE ON debit_dues
                WHEN EXISTS (SELECT 1 FROM debit_rows d JOIN files f ON f.id = d.file_id WHERE d.id = OLD.debit_id AND f.status = 'written')
                BEGIN SELECT RAISE(ABORT, 'a written file''s debits stay'); END;
            CREATE TRIGGER files_written_update BEFORE UPDATE ON files WHEN OLD.status = 'written'
                BEGIN SELECT RAISE(ABORT, 'a written file stays as written'); END;
            CREATE TRIGGER files_written_delete BEFORE DELETE ON files WHEN OLD.status = 'written'
                BEGIN SELECT RAISE(ABORT, 'a written file stays as written'); END;
            """)
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM return_files ORDER BY id") {
            let subject = try String.fetchOne(db, sql: "SELECT bank || '/' || name FROM return_files WHERE id = ?", arguments: [id]) ?? "?"
            try appendJournal(db, actor: "pikou", action: "return.sealed", subject: subject,
                              detail: Seal.text(.returnFile, id: id, seal: try sealReturnFile(db, id: id)) + " (sealed when the store moved to v4)")
        }
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM files WHERE status = 'written' ORDER BY id") {
            let subject = try String.fetchOne(db, sql: "SELECT bank || '/' || name FROM files WHERE id = ?", arguments: [id]) ?? "?"
            try appendJournal(db, actor: "pikou", action: "file.sealed", subject: subject,
                              detail: Seal.text(.debitFile, id: id, seal: try sealDebitFile(db, id: id)) + " (sealed when the store moved to v4)")
        }
    }

    /// Feeds every column of every row `sql` returns (bound to `id`) to `seal`; NULL as "\0".
    private static func feed(_ seal: Seal, _ db: Database, _ sql: String, id: Int64) throws {
        let statement = try FastStatement(db, sql: sql)
        statement.bind(1, id)
        let columns = statement.columnCount
        var fields = [String](repeating: "", count: Int(columns))
        try statement.forEachRow { row in
            for column in 0..<columns { fields[Int(column)] = row.isNull(column) ? "\0" : row.text(column) }
            seal.add(fields)
        }
    }

    /// The seal of a posted return file: its row, its lines in order, the exceptions they raised.
    static func sealReturnFile(_ db: Database, id: Int64) throws -> String {
        let seal = try Seal()
        try feed(seal, db, """
            SELECT id, bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor
            FROM return_files WHERE id = ?
            """, id: id)
        // A cancellation's kind is sealed too (not a bank's return's: their seals predate the kind).
        // (Before v5 there is no kind: a store moving to v4 seals its return files first.)
        if try db.columns(in: "return_files").contains(where: { $0.name == "kind" }) {
            try feed(seal, db, "SELECT 'kind', kind FROM return_files WHERE id = ? AND kind = 'cancel'", id: id)
        }
        try feed(seal, db, """
            SELECT line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted
            FROM results WHERE return_file_id = ? ORDER BY line_no
            """, id: id)
        try feed(seal, db, "SELECT id, line_no, debit_id, kind, detail, created_at FROM exceptions WHERE return_file_id = ? ORDER BY id", id: id)
        return try seal.finish()
    }

    /// The seal of a written debit file: its row, its debits by sequence, the dues each covers.
    static func sealDebitFile(_ db: Database, id: Int64) throws -> String {
        let seal = try Seal()
        try feed(seal, db, """
            SELECT id, batch_id, bank, batch_no, file_date, collection_date, collector, collector_account, name, return_name,
                   count, total_fen, status, digest, byte_count, written_at
            FROM files WHERE id = ?
            """, id: id)
        try feed(seal, db, """
            SELECT id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo
            FROM debit_rows WHERE file_id = ? ORDER BY seq
            """, id: id)
        try feed(seal, db, """
            SELECT dd.debit_id, dd.due_id FROM debit_dues dd JOIN debit_rows d ON d.id = dd.debit_id
            WHERE d.file_id = ? ORDER BY dd.debit_id, dd.due_id
            """, id: id)
        return try seal.finish()
    }

    /// Seals that do not hold, guards that are gone.
    static func sealViolations(_ db: Database) throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        // The seal the journal holds for each subject.
        let sealed = Seal.standing(try Row.fetchAll(db, sql: "SELECT id, action, detail FROM journal WHERE action IN (\(Seal.journalActions)) ORDER BY id")
            .map { (id: $0["id"], action: $0["action"], detail: $0["detail"]) })
        var seen: [Seal.Subject: Set<Int64>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, bank || '/' || name AS subject FROM return_files ORDER BY id") {
            let id: Int64 = row["id"], subject = "return file " + (row["subject"] as String)
            seen[.returnFile, default: []].insert(id)
            guard let recorded = sealed[.returnFile]?[id] else { violations.append(.sealMissing(subject: subject)); continue }
            if try sealReturnFile(db, id: id) != recorded.seal { violations.append(.sealBroken(subject: subject, journalEntry: recorded.entry)) }
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, bank || '/' || name AS subject FROM files WHERE status = 'written' ORDER BY id") {
            let id: Int64 = row["id"], subject = "debit file " + (row["subject"] as String)
            seen[.debitFile, default: []].insert(id)
            guard let recorded = sealed[.debitFile]?[id] else { violations.append(.sealMissing(subject: subject)); continue }
            if try sealDebitFile(db, id: id) != recorded.seal { violations.append(.sealBroken(subject: subject, journalEntry: recorded.entry)) }
        }
        for (subject, seals) in sealed {
            for (id, recorded) in seals.sorted(by: { $0.key < $1.key }) where !(seen[subject]?.contains(id) ?? false) {
                violations.append(.sealedRowsGone(subject: "\(subject == .returnFile ? "return file" : "debit file") #\(id)", journalEntry: recorded.entry))
            }
        }
        let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        for name in appendOnlyGuards where !triggers.contains(name) { violations.append(.appendOnlyGuardMissing(name: name)) }
        // A mark left behind lets that return file's rows be deleted: the guards do not hold for it.
        for id in try Int64.fetchAll(db, sql: "SELECT return_file_id FROM return_undo_marks ORDER BY return_file_id") {
            violations.append(.appendOnlyGuardMissing(name: "return_undo_marks (a leftover mark lets return file #\(id)'s rows be deleted)"))
        }
        return violations
    }




}
