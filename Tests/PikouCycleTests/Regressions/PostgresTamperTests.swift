import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 13: the PostgreSQL store's guards and seals hold as SQLite's do, against edits made with psql
/// behind Pikou's back — a guard refuses the edit itself; a guard disabled (`ALTER TABLE … DISABLE
/// TRIGGER`, PostgreSQL's quiet way round it) is found by `check`, and so is what was edited meanwhile.
@Suite(.enabled(if: TestBackend.postgresServer != nil, "no PostgreSQL server: make test starts one"))
struct PostgresTamperTests {
    /// A month posted on PostgreSQL.
    func month() async throws -> TestWorkspace {
        let ws = try await TestWorkspace.month(backend: .postgres, payers: 30)
        #expect(try await ws.check.violations().isEmpty, "a month as Pikou left it passes")
        return ws
    }

    /// Runs `sql` with psql on the workspace's schema; returns psql's exit status and its messages.
    func psql(_ ws: TestWorkspace, _ sql: String) throws -> (status: Int32, output: String) {
        guard case .postgres(let url) = ws.workspace.storeLocation else { throw StoreError.unavailable(Message(zh: "not a PostgreSQL workspace", en: "not a PostgreSQL workspace")) }
        // psql reads the same URL; the schema goes in as the search path.
        let psqlURL = url.replacingOccurrences(of: "schema=", with: "options=-csearch_path%3D")
        let bin = ProcessInfo.processInfo.environment["PIKOU_TEST_POSTGRES_BIN"].map { $0 + "/psql" } ?? "/usr/bin/psql"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = [psqlURL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func aGuardRefusesTheEditItself() async throws {
        let ws = try await month()
        let edit = try psql(ws, "UPDATE results SET outcome = 'succeeded' WHERE posted = 1 AND outcome <> 'succeeded'")
        #expect(edit.status != 0 && edit.output.contains("results are append-only"), "\(edit.output)")
        let delete = try psql(ws, "DELETE FROM journal")
        #expect(delete.status != 0 && delete.output.contains("the journal is append-only"), "\(delete.output)")
        let written = try psql(ws, "UPDATE files SET total_fen = total_fen + 1")
        #expect(written.status != 0 && written.output.contains("a written file stays as written"), "\(written.output)")
        #expect(try await ws.check.violations().isEmpty)
    }

    @Test func aDisabledGuardAndTheEditMadeMeanwhileAreFound() async throws {
        let ws = try await month()
        let edit = try psql(ws, """
            ALTER TABLE results DISABLE TRIGGER results_append_only_update;
            UPDATE results SET outcome = 'succeeded', bank_code = '0000' WHERE id = (SELECT MIN(id) FROM results WHERE posted = 1 AND outcome <> 'succeeded');
            """)
        #expect(edit.status == 0, "\(edit.output)")
        let found = try await ws.check.violations()
        #expect(found.contains(.appendOnlyGuardMissing(name: "results_append_only_update")), "\(found)")
        #expect(found.contains { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix("return file ") } else { false } }, "\(found)")
        // Put back, the guard no longer counts as missing; the edit still shows.
        _ = try psql(ws, "ALTER TABLE results ENABLE TRIGGER results_append_only_update")
        let after = try await ws.check.violations()
        #expect(!after.contains(.appendOnlyGuardMissing(name: "results_append_only_update")))
        #expect(after.contains { if case .sealBroken = $0 { true } else { false } })
    }

    /// The high-volume tables keep their references by construction, not by foreign keys (which cost
    /// a trigger per row on PostgreSQL): a payer deleted behind Pikou's back is found by `check`.
    @Test func aRowDeletedUnderItsReferencesIsFound() async throws {
        let ws = try await month()
        let delete = try psql(ws, "DELETE FROM payers WHERE id = (SELECT MIN(payer_id) FROM dues)")
        #expect(delete.status == 0, "\(delete.output)")
        let found = try await ws.check.violations()
        for table in ["agreements", "enrollments", "dues"] {
            #expect(found.contains { if case .referenceBroken(table, "payer_id", "payers", let rows) = $0 { rows > 0 } else { false } },
                    "\(table): \(found)")
        }
    }
}

/// Issue 33: a store made when keys were identity columns moves to sequences with nextval defaults
/// (what every PostgreSQL-family server accepts), each going on where its identity stood.
@Suite(.enabled(if: TestBackend.postgresServer != nil, "no PostgreSQL server: make test starts one"))
struct PostgresSequenceTests {
    @Test func identityKeysBecomeSequencesThatGoOnWhereTheyStood() async throws {
        let ws = try await TestWorkspace.month(backend: .postgres, payers: 10)
        let tamper = PostgresTamperTests()
        // The journal's and the return files' keys as a store made before pg-v9 had them, ahead of their rows.
        for table in ["journal", "return_files"] {
            let made = try tamper.psql(ws, """
                ALTER TABLE \(table) ALTER COLUMN id DROP DEFAULT;
                DROP SEQUENCE \(table)_id_seq;
                ALTER TABLE \(table) ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;
                CREATE TABLE IF NOT EXISTS pikou_test_marks (t TEXT, m BIGINT);
                INSERT INTO pikou_test_marks SELECT '\(table)', COALESCE(MAX(id), 0) + 5 FROM \(table);
                SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT m FROM pikou_test_marks WHERE t = '\(table)'));
                """)
            #expect(made.status == 0, "\(made.output)")
        }
        let forgotten = try tamper.psql(ws, "DELETE FROM pikou_migrations WHERE name = 'pg-v9-sequences'")
        #expect(forgotten.status == 0, "\(forgotten.output)")
        let store = try await ws.workspace.openStore()
        try await store.appendJournal(actor: "test", action: "test.mark", subject: "sequences", detail: "after pg-v9")
        let moved = try tamper.psql(ws, """
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES') THEN
                    RAISE EXCEPTION 'an identity column is left';
                END IF;
                IF (SELECT MAX(id) FROM journal) <> (SELECT m + 1 FROM pikou_test_marks WHERE t = 'journal') THEN
                    RAISE EXCEPTION 'the journal''s sequence did not go on where its identity stood';
                END IF;
                IF nextval(pg_get_serial_sequence('return_files', 'id')) <> (SELECT m + 1 FROM pikou_test_marks WHERE t = 'return_files') THEN
                    RAISE EXCEPTION 'the return files'' sequence did not go on where its identity stood';
                END IF;
            END $$
            """)
        #expect(moved.status == 0, "\(moved.output)")
        // The test's own table is not the store's: `check` would name it (no migration makes it).
        #expect(try tamper.psql(ws, "DROP TABLE pikou_test_marks").status == 0)
        let violations = try await ws.check.violations()
        #expect(violations.isEmpty, "\(violations)")
    }

    /// A store that recorded payments before pg-v10 has them sealed as they stand when it moves;
    /// from then on an unsealed one is a forgery.
    @Test func paymentsRecordedBeforePgV10AreSealedWhenTheStoreMoves() async throws {
        let ws = try await TestWorkspace.month(backend: .postgres, payers: 10)
        let tamper = PostgresTamperTests()
        let older = try tamper.psql(ws, """
            INSERT INTO payments (payer_id, insurance, period, amount_fen, channel, reference)
            SELECT payer_id, insurance, period, amount_fen, 'counter', 'OLD-' || id FROM dues ORDER BY id LIMIT 2;
            DELETE FROM pikou_migrations WHERE name = 'pg-v10-sealed-runs';
            """)
        #expect(older.status == 0, "\(older.output)")
        let before = try await ws.check.violations()
        #expect(before.filter { if case .sealMissing = $0 { true } else { false } }.count == 2, "unsealed until the store moves: \(before)")
        _ = try await ws.workspace.openStore()
        let after = try await ws.check.violations()
        #expect(after.isEmpty, "\(after)")
    }
}
