import GRDB
import PikouCore

/// Seals, guards and anchors: what makes the ledger tamper-evident (see ``Seal``).
extension SQLiteStore {
    /// v5: cancellations (a return file of kind `cancel`) and undone ingests (deleted only under a
    /// mark set by the undo's own transaction; remembered in `return_undos`).
    static func migrateToStops(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE return_files ADD COLUMN kind TEXT NOT NULL DEFAULT 'return' CHECK (kind IN ('return', 'cancel'));
            CREATE TABLE return_undo_marks (return_file_id INTEGER PRIMARY KEY);
            \(LedgerSchema.create("return_undos", .sqlite));
            \(LedgerSchema.refusing("return_undos_append_only_update", .sqlite));
            \(LedgerSchema.refusing("return_undos_append_only_delete", .sqlite));
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
            \(LedgerSchema.create("return_files", .sqlite, named: "return_files_v4"));
            INSERT INTO return_files_v4 SELECT id, bank, name, digest, debit_file_id, declared_count, declared_total_fen,
                line_count, total_fen, ingested_at, actor FROM return_files;
            DROP TABLE return_files;
            ALTER TABLE return_files_v4 RENAME TO return_files;
            \(LedgerSchema.returnFilesIndex);
            \(LedgerSchema.refusing("return_files_append_only_update", .sqlite));
            \(LedgerSchema.refusing("return_files_append_only_delete", .sqlite));
            \(LedgerSchema.refusing("exceptions_append_only_update", .sqlite));
            \(LedgerSchema.refusing("exceptions_append_only_delete", .sqlite));
            \(LedgerSchema.refusing("debit_rows_fixed_update", .sqlite));
            CREATE TRIGGER debit_rows_written_delete BEFORE DELETE ON debit_rows
                WHEN (SELECT status FROM files WHERE id = OLD.file_id) = 'written'
                BEGIN SELECT RAISE(ABORT, 'a written file''s debits stay'); END;
            \(LedgerSchema.refusing("debit_dues_fixed_update", .sqlite));
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

    /// The seal of the rows `statements` return, read on a migration's connection (``SealedRows``,
    /// as the shared seals read them); `rowsHashed`, a run's (``RowSeal``).
    static func seal(_ db: Database, _ statements: [LedgerSQL], rowsHashed: Bool = false) throws -> String {
        let seal = try Seal(), run = try RowSeal()
        var buffer: [UInt8] = []
        for statement in statements {
            let (text, values) = statement.rendered { _ in "?" }
            let arguments = StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .integer(let number): number
                case .text(let text): text
                }
            })
            let rows = try Row.fetchCursor(db, sql: text, arguments: arguments)
            while let row = try rows.next() {
                let values: [LedgerValue] = row.databaseValues.map { value in
                    switch value.storage {
                    case .null: .text(nil)
                    case .int64(let number): .integer(number)
                    case .string(let text): .text(text)
                    case .double(let number): .text(String(number))
                    case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                    }
                }
                Seal.encode(values, into: &buffer)
                try buffer.withUnsafeBytes { if rowsHashed { run.add(try run.hash(encoded: $0)) } else { seal.add(encoded: $0) } }
            }
        }
        return rowsHashed ? try run.finish() : try seal.finish()
    }

    static func sealReturnFile(_ db: Database, id: Int64) throws -> String {
        try seal(db, SealedRows.returnFile(id, withKind: try db.columns(in: "return_files").contains { $0.name == "kind" }))
    }

    static func sealDebitFile(_ db: Database, id: Int64) throws -> String { try seal(db, SealedRows.debitFile(id, .sqlite)) }
}
