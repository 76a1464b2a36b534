import GRDB

/// The store's migrations. Periods are INTEGER YYYYMM, money INTEGER fen, dates TEXT YYYY-MM-DD.
///
/// - v1: debits and their items carried a status that every posting rewrote, and a partial unique
///   index over the item states kept one live debit per due.
/// - v2, the ledger: a debit (`debit_rows`) and the dues it covers (`debit_dues`) are written once, at
///   reserve; a return line is appended to `results`, and the one that closes a debit is marked
///   `posted` — at most one per debit, by a unique key. A debit's and an item's state are derived from
///   their posted result (the views `debits` and `debit_items`, which keep v1's column names for the
///   readers). A due's single live debit is checked by `reserve`, in its transaction, over the dues it
///   reserves. An existing v1 store is migrated in place on first open.
/// - v3: exceptions are work items, resolved and reopened by appended actions.
/// - v4, seals: return files unique per (debit file, digest); append-only guards on return files,
///   exceptions, written files and their debits; every posted return file and written debit file
///   sealed into the journal (``Seal``).
/// - v5, stops: a debit file cancelled before its bank ran it is recorded as a return file of kind
///   `cancel` whose lines close every debit `cancelled`; an ingest undone before anything depended
///   on it is removed under a mark its own transaction sets (the guards refuse any other delete) and
///   remembered in `return_undos` and the journal with the seal of what it removed.
/// - v6, transfers: each file sent to a bank or fetched from it over SFTP, with its digest.
/// - v7, group memberships: the departments' lists of special groups (residents' scheme); `valid_to`
///   is '' for an open end.
/// - v8, residents: the scheme of enrollments and dues, each yearly due's parts (`resident_dues`),
///   the round of a round's batch (``ResidentsSQL``).
/// - v9: the exception actions v3 made from v2's flags get the journal entries every other action has.
/// - v10: the payments made elsewhere and group memberships held so far are sealed as they stand;
///   each import seals what it adds after.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                \(LedgerSchema.create("payers", .sqlite));
                \(LedgerSchema.create("agreements", .sqlite));
                \(LedgerSchema.create("enrollments", .sqlite));
                \(LedgerSchema.create("payments", .sqlite));
                \(LedgerSchema.paymentsIndex);
                \(LedgerSchema.create("dues", .sqlite));
                \(LedgerSchema.duesIndex);
                \(LedgerSchema.create("batches", .sqlite));
                \(LedgerSchema.create("files", .sqlite));
                CREATE TABLE debits (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    seq INTEGER NOT NULL,
                    payer_id INTEGER NOT NULL REFERENCES payers(id),
                    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
                    agreement_version INTEGER NOT NULL,
                    id_number TEXT NOT NULL,
                    name TEXT NOT NULL,
                    account TEXT NOT NULL,
                    agreement_no TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                    period INTEGER NOT NULL,
                    memo TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
                    outcome TEXT,
                    result_id INTEGER,
                    UNIQUE (file_id, seq),
                    UNIQUE (file_id, payer_id)
                );
                CREATE INDEX debits_agreement ON debits (agreement_id, id);
                CREATE TABLE debit_items (
                    debit_id INTEGER NOT NULL REFERENCES debits(id),
                    due_id INTEGER NOT NULL REFERENCES dues(id),
                    state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
                    PRIMARY KEY (debit_id, due_id)
                );
                -- A due is covered by at most one debit that is pending or succeeded.
                CREATE UNIQUE INDEX debit_items_one_live ON debit_items (due_id) WHERE state IN ('pending', 'succeeded');
                CREATE INDEX debit_items_due ON debit_items (due_id);
                CREATE TABLE return_files (
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
                    UNIQUE (bank, digest)
                );
                CREATE TABLE results (
                    id INTEGER PRIMARY KEY,
                    return_file_id INTEGER NOT NULL REFERENCES return_files(id),
                    line_no INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    debit_id INTEGER REFERENCES debits(id),
                    account TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    bank_code TEXT NOT NULL,
                    bank_text TEXT NOT NULL,
                    bank_serial TEXT NOT NULL,
                    posted INTEGER NOT NULL,
                    UNIQUE (return_file_id, line_no)
                );
                CREATE TABLE exceptions (
                    id INTEGER PRIMARY KEY,
                    return_file_id INTEGER NOT NULL REFERENCES return_files(id),
                    line_no INTEGER NOT NULL,
                    debit_id INTEGER REFERENCES debits(id),
                    kind TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX exceptions_file ON exceptions (return_file_id, line_no);
                \(LedgerSchema.create("journal", .sqlite));
                \(LedgerSchema.refusing("journal_append_only_update", .sqlite));
                \(LedgerSchema.refusing("journal_append_only_delete", .sqlite));
                """)
        }
        migrator.registerMigration("v2-ledger") { db in
            try db.execute(sql: """
                \(LedgerSchema.create("debit_rows", .sqlite));
                INSERT INTO debit_rows (id, file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo)
                    SELECT id, file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo FROM debits;
                \(LedgerSchema.debitRowsIndex);
                \(LedgerSchema.debitDues(.sqlite));
                INSERT INTO debit_dues (due_id, debit_id) SELECT due_id, debit_id FROM debit_items;
                \(LedgerSchema.debitDuesIndex);
                \(LedgerSchema.create("results", .sqlite, named: "results_v2"));
                INSERT INTO results_v2 SELECT id, return_file_id, line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted FROM results;
                \(LedgerSchema.create("exceptions", .sqlite, named: "exceptions_v2"));
                INSERT INTO exceptions_v2 SELECT id, return_file_id, line_no, debit_id, kind, detail, created_at, resolved FROM exceptions;
                DROP TABLE exceptions;
                DROP TABLE results;
                DROP TABLE debit_items;
                DROP TABLE debits;
                ALTER TABLE results_v2 RENAME TO results;
                ALTER TABLE exceptions_v2 RENAME TO exceptions;
                \(LedgerSchema.exceptionsIndex);
                \(LedgerSchema.resultsClosing);
                \(LedgerSchema.refusing("results_append_only_update", .sqlite));
                \(LedgerSchema.refusing("results_append_only_delete", .sqlite));
                \(LedgerSchema.debitViews.joined(separator: ";\n"));
                """)
        }
        // Exceptions are work items: resolving or reopening one appends an action (who, when, why);
        // its state is its latest action. v2's `resolved` flag becomes a first action.
        migrator.registerMigration("v3-exception-actions") { db in
            try db.execute(sql: """
                \(LedgerSchema.create("exception_actions", .sqlite));
                \(LedgerSchema.exceptionActionsIndex);
                INSERT INTO exception_actions (exception_id, action, note, actor, at)
                    SELECT id, 'resolve', 'resolved before exception notes were kept', 'pikou', created_at FROM exceptions WHERE resolved = 1;
                \(LedgerSchema.refusing("exception_actions_append_only_update", .sqlite));
                \(LedgerSchema.refusing("exception_actions_append_only_delete", .sqlite));
                \(LedgerSchema.exceptionState);
                """)
        }
        migrator.registerMigration("v4-seals") { db in try SQLiteStore.migrateToSeals(db) }
        migrator.registerMigration("v5-stops") { db in try SQLiteStore.migrateToStops(db) }
        migrator.registerMigration("v6-transfers") { db in
            try db.execute(sql: [LedgerSchema.create("transfers", .sqlite), LedgerSchema.refusing("transfers_append_only_update", .sqlite),
                                 LedgerSchema.refusing("transfers_append_only_delete", .sqlite)].joined(separator: ";\n"))
        }
        migrator.registerMigration("v7-group-memberships") { db in try db.execute(sql: ResidentsSQL.groupMemberships(id: "INTEGER PRIMARY KEY")) }
        migrator.registerMigration("v8-residents") { db in
            for statement in ResidentsSQL.migration(id: "INTEGER PRIMARY KEY", int: "INTEGER") { try db.execute(sql: statement) }
        }
        // Every exception action has its journal entry, which `check` holds it to: the v3 migration's
        // first actions (a v2 store's resolved flags) had none, and are journaled as they stand.
        migrator.registerMigration("v9-exception-journal") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.exception_id, a.note, x.kind, r.bank || '/' || r.name || ':' || x.line_no AS subject
                FROM exception_actions a JOIN exceptions x ON x.id = a.exception_id JOIN return_files r ON r.id = x.return_file_id
                WHERE a.actor = 'pikou' AND a.action = 'resolve' AND a.note = 'resolved before exception notes were kept' ORDER BY a.id
                """)
            for row in rows {
                try SQLiteStore.appendJournal(db, actor: "pikou", action: "exception.resolve", subject: (row["subject"] as String) + " (journaled at v9)",
                                              detail: ExceptionActionSaid.detail(exception: row["exception_id"], kind: row["kind"], note: row["note"]))
            }
        }
        // Each entry that writes a sealed table's rows seals them (``SealedTable``); those written
        // before are sealed here as they stand, one entry per table.
        migrator.registerMigration("v10-sealed-runs") { db in
            for table in SealedTable.sealedAtV10 {
                guard let first = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM \(table.rawValue)"),
                      let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \(table.rawValue)") else { continue }
                let seal = try SQLiteStore.seal(db, [SealedRows.run(table, from: first, through: last)], rowsHashed: true)
                try SQLiteStore.appendJournal(db, actor: "pikou", action: table.sealedAction, subject: table.rawValue,
                                              detail: Seal.rangeText(table.rawValue, from: first, through: last, seal: seal) + " (sealed when the store moved to v10)")
            }
        }
        // Results an operator confirmed with the bank, which the debit views read (``LedgerSchema/confirmations(_:)``).
        migrator.registerMigration("v11-confirmations") { db in
            for statement in LedgerSchema.confirmations(.sqlite) { try db.execute(sql: statement) }
        }
        // The roster's households (户号, 与户主关系), sealed from the first row (``SealedTable/households``).
        migrator.registerMigration("v12-households") { db in
            for statement in LedgerSchema.households(.sqlite) { try db.execute(sql: statement) }
        }
        // Notices to payers, planned then sent or exported, and their opt-outs.
        migrator.registerMigration("v13-notices") { db in
            for statement in LedgerSchema.notices(.sqlite) { try db.execute(sql: statement) }
        }
        // A notice's variables and when its last attempt began (``LedgerSchema/noticeValues``).
        migrator.registerMigration("v14-notice-values") { db in
            for statement in LedgerSchema.noticeValues { try db.execute(sql: statement) }
        }
        // The money after the bank: statements, the treasury's reconciliations, finance's reviews.
        migrator.registerMigration("v15-after-bank") { db in
            for statement in LedgerSchema.afterBank(.sqlite) { try db.execute(sql: statement) }
        }
        // Refunds: instruction files, each refund, the bank's results; a 退库 line's refund.
        migrator.registerMigration("v16-refunds") { db in
            for statement in LedgerSchema.refunds(.sqlite) { try db.execute(sql: statement) }
        }
        return migrator
    }
}
