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
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE payers (
                    id INTEGER PRIMARY KEY,
                    id_number TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    district TEXT NOT NULL,
                    street TEXT NOT NULL,
                    community TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE agreements (
                    id INTEGER PRIMARY KEY,
                    payer_id INTEGER NOT NULL REFERENCES payers(id),
                    bank TEXT NOT NULL,
                    account TEXT NOT NULL,
                    account_name TEXT NOT NULL,
                    agreement_no TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
                    version INTEGER NOT NULL,
                    updated_at TEXT NOT NULL,
                    UNIQUE (payer_id, bank)
                );
                CREATE TABLE enrollments (
                    id INTEGER PRIMARY KEY,
                    payer_id INTEGER NOT NULL REFERENCES payers(id),
                    insurance TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    bank TEXT NOT NULL,
                    start_period INTEGER NOT NULL,
                    end_period INTEGER,
                    suspended INTEGER NOT NULL,
                    UNIQUE (payer_id, insurance)
                );
                CREATE TABLE payments (
                    id INTEGER PRIMARY KEY,
                    payer_id INTEGER NOT NULL REFERENCES payers(id),
                    insurance TEXT NOT NULL,
                    period INTEGER NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    UNIQUE (channel, reference)
                );
                CREATE INDEX payments_due ON payments (payer_id, insurance, period);
                CREATE TABLE dues (
                    id INTEGER PRIMARY KEY,
                    payer_id INTEGER NOT NULL REFERENCES payers(id),
                    insurance TEXT NOT NULL,
                    period INTEGER NOT NULL,
                    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                    UNIQUE (payer_id, insurance, period)
                );
                CREATE INDEX dues_period ON dues (period);
                CREATE TABLE batches (
                    id INTEGER PRIMARY KEY,
                    period INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES batches(id),
                    bank TEXT NOT NULL,
                    batch_no INTEGER NOT NULL,
                    file_date TEXT NOT NULL,
                    collection_date TEXT NOT NULL,
                    collector TEXT NOT NULL,
                    collector_account TEXT NOT NULL,
                    name TEXT NOT NULL,
                    return_name TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    total_fen INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('planned', 'written')),
                    digest TEXT,
                    byte_count INTEGER,
                    written_at TEXT,
                    UNIQUE (bank, name),
                    UNIQUE (bank, return_name),
                    UNIQUE (bank, file_date, batch_no)
                );
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
                CREATE TABLE journal (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                """)
        }
        migrator.registerMigration("v2-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE debit_rows (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    seq INTEGER NOT NULL,
                    payer_id INTEGER NOT NULL,
                    agreement_id INTEGER NOT NULL,
                    agreement_version INTEGER NOT NULL,
                    id_number TEXT NOT NULL,
                    name TEXT NOT NULL,
                    account TEXT NOT NULL,
                    agreement_no TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                    period INTEGER NOT NULL,
                    memo TEXT NOT NULL,
                    UNIQUE (file_id, seq),
                    UNIQUE (file_id, payer_id)
                );
                INSERT INTO debit_rows (id, file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo)
                    SELECT id, file_id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo FROM debits;
                CREATE INDEX debit_rows_agreement ON debit_rows (agreement_id, id);
                -- Clustered by due: the live-debit check at reserve and the candidates read a due's debits.
                CREATE TABLE debit_dues (
                    due_id INTEGER NOT NULL,
                    debit_id INTEGER NOT NULL,
                    PRIMARY KEY (due_id, debit_id)
                ) WITHOUT ROWID;
                INSERT INTO debit_dues (due_id, debit_id) SELECT due_id, debit_id FROM debit_items;
                CREATE INDEX debit_dues_debit ON debit_dues (debit_id);
                CREATE TABLE results_v2 (
                    id INTEGER PRIMARY KEY,
                    return_file_id INTEGER NOT NULL REFERENCES return_files(id),
                    line_no INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    debit_id INTEGER,
                    account TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    bank_code TEXT NOT NULL,
                    bank_text TEXT NOT NULL,
                    bank_serial TEXT NOT NULL,
                    posted INTEGER NOT NULL,
                    UNIQUE (return_file_id, line_no)
                );
                INSERT INTO results_v2 SELECT id, return_file_id, line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted FROM results;
                CREATE TABLE exceptions_v2 (
                    id INTEGER PRIMARY KEY,
                    return_file_id INTEGER NOT NULL REFERENCES return_files(id),
                    line_no INTEGER NOT NULL,
                    debit_id INTEGER,
                    kind TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    resolved INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO exceptions_v2 SELECT id, return_file_id, line_no, debit_id, kind, detail, created_at, resolved FROM exceptions;
                DROP TABLE exceptions;
                DROP TABLE results;
                DROP TABLE debit_items;
                DROP TABLE debits;
                ALTER TABLE results_v2 RENAME TO results;
                ALTER TABLE exceptions_v2 RENAME TO exceptions;
                CREATE INDEX exceptions_file ON exceptions (return_file_id, line_no);
                -- Exactly one result closes a debit: a second, different one is an exception, never an overwrite.
                CREATE UNIQUE INDEX results_closing ON results (debit_id) WHERE posted = 1;
                -- Results are appended, never changed.
                CREATE TRIGGER results_append_only_update BEFORE UPDATE ON results
                    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
                CREATE TRIGGER results_append_only_delete BEFORE DELETE ON results
                    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
                -- A debit's state, derived from the result that closed it (v1's columns, for the readers).
                CREATE VIEW debits AS
                    SELECT d.*, CASE WHEN r.id IS NULL THEN 'pending' WHEN r.outcome = 'succeeded' THEN 'succeeded' ELSE 'failed' END AS status,
                           r.outcome AS outcome, r.id AS result_id
                    FROM debit_rows d LEFT JOIN results r ON r.debit_id = d.id AND r.posted = 1;
                CREATE VIEW debit_items AS
                    SELECT dd.debit_id, dd.due_id,
                           CASE WHEN r.id IS NULL THEN 'pending' WHEN r.outcome = 'succeeded' THEN 'succeeded' ELSE 'failed' END AS state
                    FROM debit_dues dd LEFT JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1;
                """)
        }
        // Exceptions are work items: resolving or reopening one appends an action (who, when, why);
        // its state is its latest action. v2's `resolved` flag becomes a first action.
        migrator.registerMigration("v3-exception-actions") { db in
            try db.execute(sql: """
                CREATE TABLE exception_actions (
                    id INTEGER PRIMARY KEY,
                    exception_id INTEGER NOT NULL REFERENCES exceptions(id),
                    action TEXT NOT NULL CHECK (action IN ('resolve', 'reopen')),
                    note TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                CREATE INDEX exception_actions_exception ON exception_actions (exception_id, id);
                INSERT INTO exception_actions (exception_id, action, note, actor, at)
                    SELECT id, 'resolve', 'resolved before exception notes were kept', 'pikou', created_at FROM exceptions WHERE resolved = 1;
                CREATE TRIGGER exception_actions_append_only_update BEFORE UPDATE ON exception_actions
                    BEGIN SELECT RAISE(ABORT, 'exception actions are append-only'); END;
                CREATE TRIGGER exception_actions_append_only_delete BEFORE DELETE ON exception_actions
                    BEGIN SELECT RAISE(ABORT, 'exception actions are append-only'); END;
                CREATE VIEW exception_state AS
                    SELECT x.*, a.action = 'resolve' AS is_resolved, a.note AS last_note, a.actor AS last_actor, a.at AS last_at
                    FROM exceptions x
                    LEFT JOIN exception_actions a ON a.id = (SELECT MAX(id) FROM exception_actions WHERE exception_id = x.id);
                """)
        }
        migrator.registerMigration("v4-seals") { db in try SQLiteStore.migrateToSeals(db) }
        migrator.registerMigration("v5-stops") { db in try SQLiteStore.migrateToStops(db) }
        migrator.registerMigration("v6-transfers") { db in
            try db.execute(sql: """
                CREATE TABLE transfers (
                    id INTEGER PRIMARY KEY,
                    bank TEXT NOT NULL,
                    name TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('sent', 'fetched')),
                    digest TEXT NOT NULL,
                    byte_count INTEGER NOT NULL,
                    remote TEXT NOT NULL,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    UNIQUE (bank, direction, name, digest)
                );
                CREATE TRIGGER transfers_append_only_update BEFORE UPDATE ON transfers
                    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;
                CREATE TRIGGER transfers_append_only_delete BEFORE DELETE ON transfers
                    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;
                """)
        }
        migrator.registerMigration("v7-group-memberships") { db in try db.execute(sql: ResidentsSQL.groupMemberships(id: "INTEGER PRIMARY KEY")) }
        migrator.registerMigration("v8-residents") { db in
            for statement in ResidentsSQL.migration(id: "INTEGER PRIMARY KEY", int: "INTEGER") { try db.execute(sql: statement) }
        }
        return migrator
    }
}
