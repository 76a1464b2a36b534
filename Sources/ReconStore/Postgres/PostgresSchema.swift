import Foundation

/// The PostgreSQL store's migrations, named and applied like the SQLite store's (`pikou_migrations`
/// records each by name, in one transaction with what it creates).
///
/// A PostgreSQL store starts at the ledger's current shape (SQLite's v4): the same tables, columns,
/// unique keys, views and append-only guards, with the same names, so the use cases, `check` and the
/// seals read both alike. Periods are BIGINT YYYYMM, money BIGINT fen, dates and instants TEXT (as
/// SQLite stores them: the journal's hashes and the seals are computed over that text).
///
/// Portable on purpose (see DESIGN.md, "Beyond one machine"): no SERIAL sequences shared between
/// tables, no statement that needs a sequence's order across payers, every large table keyed by what
/// it would be distributed by.
enum PostgresSchema {
    /// Which migrations a store has had (created before the first).
    static let migrationsTable = "CREATE TABLE IF NOT EXISTS pikou_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"

    /// Migrations in order: a name and its statements (one statement each: the extended protocol
    /// takes one at a time).
    static let migrations: [(name: String, statements: [String])] = [
        ("pg-v4-ledger", ledger),
        // Who holds the command lock (PostgresCommandLock), for the next command's message.
        ("pg-command-holder", ["CREATE TABLE pikou_command_holder (id BIGINT PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL)"]),
        // The high-volume tables' references are established by construction and verified by `check`
        // (``bulkReferences``), not re-checked row by row: PostgreSQL checks a foreign key with a
        // trigger per inserted row, 2.8 µs each, a third of a due's or a debit's insert.
        // (IF EXISTS: a table a later migration makes, households, drops its own.)
        ("pg-bulk-references", bulkReferences.map { "ALTER TABLE IF EXISTS \($0.table) DROP CONSTRAINT IF EXISTS \($0.table)_\($0.column)_fkey" }),
        ("pg-v5-stops", stops),
        ("pg-v6-transfers", [LedgerSchema.create("transfers", .postgres)]
            + ["transfers_append_only_update", "transfers_append_only_delete"].map { LedgerSchema.refusing($0, .postgres) }),
        ("pg-v7-group-memberships", [ResidentsSQL.groupMemberships(id: LedgerDialect.postgres.schema("{key}"))]),
        ("pg-v8-residents", ResidentsSQL.migration(id: LedgerDialect.postgres.schema("{key}"), int: "BIGINT")),
        // A store made with identity columns (before pg-v9) gets sequences with nextval defaults, each
        // going on where its identity stood, as a new store has from the start.
        ("pg-v9-sequences", [
            """
            DO $$
            DECLARE
                t text; s text; last bigint; called boolean;
            BEGIN
                FOR t IN SELECT table_name FROM information_schema.columns
                         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name LOOP
                    s := pg_get_serial_sequence(quote_ident(t), 'id');
                    EXECUTE format('SELECT last_value, is_called FROM %s', s) INTO last, called;
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP IDENTITY', t);
                    EXECUTE format('CREATE SEQUENCE %I OWNED BY %I.id', t || '_id_seq', t);
                    PERFORM setval(quote_ident(t || '_id_seq'), last, called);
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)', t, quote_ident(t || '_id_seq'));
                END LOOP;
            END $$
            """,
        ]),
        // What each sealed table (``SealedTable``) holds so far, sealed as it stands, one journal
        // entry per table (PostgresStore's migrate runs it: a seal is computed in Swift); each entry
        // that writes such rows seals them after.
        ("pg-v10-sealed-runs", []),
        // Results an operator confirmed with the bank, which the debit views read.
        ("pg-v11-confirmations", LedgerSchema.confirmations(.postgres)),
        // The roster's households (户号, 与户主关系); its payer reference, like the other payer tables',
        // verified by `check` instead of a trigger per row (``bulkReferences``).
        ("pg-v12-households", LedgerSchema.households(.postgres) + ["ALTER TABLE households DROP CONSTRAINT IF EXISTS households_payer_id_fkey"]),
        // Notices to payers and their opt-outs.
        ("pg-v13-notices", LedgerSchema.notices(.postgres)),
        // A notice's variables and when its last attempt began.
        ("pg-v14-notice-values", LedgerSchema.noticeValues),
        // The money after the bank: statements, the treasury's reconciliations, finance's reviews.
        ("pg-v15-after-bank", LedgerSchema.afterBank(.postgres)),
        // Refunds: instruction files, each refund, the bank's results; a 退库 line's refund.
        ("pg-v16-refunds", LedgerSchema.refunds(.postgres)),
    ]

    /// SQLite's v5: cancellations (a return file of kind `cancel`) and undone ingests, deleted only
    /// under a mark the undo's own transaction sets, remembered in `return_undos`.
    static let stops: [String] = [
        "ALTER TABLE return_files ADD COLUMN kind TEXT NOT NULL DEFAULT 'return' CHECK (kind IN ('return', 'cancel'))",
        "CREATE TABLE return_undo_marks (return_file_id BIGINT PRIMARY KEY)",
        LedgerSchema.create("return_undos", .postgres),
        // TG_ARGV: the message, then the column naming the return file (return_file_id, or id on return_files).
        """
        CREATE FUNCTION pikou_refuse_unless_undoing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM return_undo_marks WHERE return_file_id = (to_jsonb(OLD) ->> TG_ARGV[1])::bigint) THEN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
            END IF;
            RETURN OLD;
        END $$
        """,
        "DROP TRIGGER results_append_only_delete ON results",
        "CREATE TRIGGER results_append_only_delete BEFORE DELETE ON results FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_unless_undoing('results are append-only', 'return_file_id')",
        "DROP TRIGGER exceptions_append_only_delete ON exceptions",
        "CREATE TRIGGER exceptions_append_only_delete BEFORE DELETE ON exceptions FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_unless_undoing('exceptions are append-only: resolve or reopen them', 'return_file_id')",
        "DROP TRIGGER return_files_append_only_delete ON return_files",
        "CREATE TRIGGER return_files_append_only_delete BEFORE DELETE ON return_files FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_unless_undoing('return files are append-only', 'id')",
    ] + ["return_undos_append_only_update", "return_undos_append_only_delete"].map { LedgerSchema.refusing($0, .postgres) }

    /// References the store's own statements make (each row is built by a join to the row it names,
    /// in the transaction that holds the writer lock, and referenced rows are never deleted), without
    /// a foreign key. `check` counts rows naming what is not there .
    static let bulkReferences: [(table: String, column: String, references: String)] = [
        ("agreements", "payer_id", "payers"),
        ("enrollments", "payer_id", "payers"),
        ("payments", "payer_id", "payers"),
        ("dues", "payer_id", "payers"),
        ("households", "payer_id", "payers"),
        ("debit_rows", "file_id", "files"),
        ("results", "return_file_id", "return_files"),
        ("exceptions", "return_file_id", "return_files"),
    ]


    /// The ledger as SQLite's v4 left it (``LedgerSchema``), then PostgreSQL's own guard functions.
    static let ledger: [String] = [
        LedgerSchema.create("payers", .postgres),
        LedgerSchema.create("agreements", .postgres),
        LedgerSchema.create("enrollments", .postgres),
        LedgerSchema.create("payments", .postgres),
        LedgerSchema.paymentsIndex,
        LedgerSchema.create("dues", .postgres),
        LedgerSchema.duesIndex,
        LedgerSchema.create("batches", .postgres),
        LedgerSchema.create("files", .postgres),
        LedgerSchema.create("debit_rows", .postgres),
        LedgerSchema.debitRowsIndex,
        LedgerSchema.debitDues(.postgres),
        LedgerSchema.debitDuesIndex,
        LedgerSchema.create("return_files", .postgres),
        LedgerSchema.returnFilesIndex,
        LedgerSchema.create("results", .postgres),
        LedgerSchema.resultsClosing,
        LedgerSchema.create("exceptions", .postgres),
        LedgerSchema.exceptionsIndex,
        LedgerSchema.create("exception_actions", .postgres),
        LedgerSchema.exceptionActionsIndex,
        LedgerSchema.create("journal", .postgres),
        "CREATE INDEX journal_subject ON journal (subject, id)",
    ] + LedgerSchema.debitViews + [
        LedgerSchema.exceptionState,
        // The append-only guards: one function refusing with the trigger's own message, and two that
        // refuse only when the debit's file was written (a trigger's WHEN cannot hold a subquery here).
        """
        CREATE FUNCTION pikou_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001'; END $$
        """,
        """
        CREATE FUNCTION pikou_refuse_written_debit_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT status FROM files WHERE id = OLD.file_id) = 'written' THEN
                RAISE EXCEPTION 'a written file''s debits stay' USING ERRCODE = 'P0001';
            END IF;
            RETURN OLD;
        END $$
        """,
        """
        CREATE FUNCTION pikou_refuse_written_debit_due() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM debit_rows d JOIN files f ON f.id = d.file_id WHERE d.id = OLD.debit_id AND f.status = 'written') THEN
                RAISE EXCEPTION 'a written file''s debits stay' USING ERRCODE = 'P0001';
            END IF;
            RETURN OLD;
        END $$
        """,
        """
        CREATE FUNCTION pikou_refuse_written_file() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status = 'written' THEN
                RAISE EXCEPTION 'a written file stays as written' USING ERRCODE = 'P0001';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$
        """,
    ] + [
        "journal_append_only_update", "journal_append_only_delete", "results_append_only_update", "results_append_only_delete",
        "exception_actions_append_only_update", "exception_actions_append_only_delete", "return_files_append_only_update",
        "return_files_append_only_delete", "exceptions_append_only_update", "exceptions_append_only_delete", "debit_rows_fixed_update",
        "debit_dues_fixed_update",
    ].map { LedgerSchema.refusing($0, .postgres) } + [
        "CREATE TRIGGER debit_rows_written_delete BEFORE DELETE ON debit_rows FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_written_debit_row()",
        "CREATE TRIGGER debit_dues_written_delete BEFORE DELETE ON debit_dues FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_written_debit_due()",
        "CREATE TRIGGER files_written_update BEFORE UPDATE ON files FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_written_file()",
        "CREATE TRIGGER files_written_delete BEFORE DELETE ON files FOR EACH ROW EXECUTE PROCEDURE pikou_refuse_written_file()",
    ]

}
