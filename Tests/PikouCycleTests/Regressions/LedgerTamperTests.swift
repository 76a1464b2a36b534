import Foundation
import GRDB
import PikouCore
import PikouCycle
import PikouCrypto
@testable import ReconStore
import Testing
import TestSupport

/// Issue 37, items 2 and 3, on both backends: the edits a person with the database file (sqlite3) or
/// a login to the server (psql) made while `check` still passed, each made as they made it and each
/// now found by `check` alone — no outside anchor needed (appending leaves every anchor holding).
@Suite struct LedgerTamperTests {
    /// A month posted, passing `check` as Pikou left it.
    func month(_ backend: TestBackend) async throws -> TestWorkspace {
        let ws = try await TestWorkspace.month(backend: backend, payers: 30)
        try await ws.useCases.anchorJournal()
        #expect(try await ws.check.violations().isEmpty, "a month as Pikou left it passes")
        return ws
    }

    /// Runs an edit on the store behind Pikou's back: GRDB on the SQLite file (what sqlite3 does),
    /// psql on the PostgreSQL schema.
    func tamper(_ ws: TestWorkspace, sqlite: (Database) throws -> Void, postgres: String) throws {
        switch ws.workspace.storeLocation {
        case .sqlite(let path):
            try DatabaseQueue(path: path).write(sqlite)
        case .postgres:
            let run = try PostgresTamperTests().psql(ws, postgres)
            #expect(run.status == 0, "\(run.output)")
        }
    }

    /// A failed result made successful with its guard out of the way and put back: the SQL a
    /// careful intruder runs on each backend.
    func forgeASuccess(_ ws: TestWorkspace) throws {
        let edit = "UPDATE results SET outcome = 'succeeded', bank_code = '0000' WHERE id = (SELECT MIN(id) FROM results WHERE posted = 1 AND outcome <> 'succeeded')"
        try tamper(ws, sqlite: { db in
            let guardSQL = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'results_append_only_update'")!
            try db.execute(sql: "DROP TRIGGER results_append_only_update")
            try db.execute(sql: edit)
            try db.execute(sql: guardSQL)
        }, postgres: """
            ALTER TABLE results DISABLE TRIGGER results_append_only_update;
            \(edit);
            ALTER TABLE results ENABLE TRIGGER results_append_only_update;
            """)
    }

    /// The return file whose rows the forged success changed, and the seal those rows hash to now.
    func resealed(_ ws: TestWorkspace) async throws -> (id: Int64, seal: String) {
        let store = try await ws.workspace.openStore()
        func reseal<S: LedgerStore>(_ store: S) async throws -> (id: Int64, seal: String) {
            try await store.readLedger { session in
                let id = try await session.row("SELECT MIN(return_file_id) AS id FROM results WHERE bank_code = '0000' AND outcome = 'succeeded'")!.int("id")
                return (id, try await S.sealReturnFile(session, id: id))
            }
        }
        switch store {
        case let sqlite as SQLiteStore: return try await reseal(sqlite)
        case let postgres as PostgresStore: return try await reseal(postgres)
        default: throw StoreError.unavailable(Message(zh: "an unknown store", en: "an unknown store"))
        }
    }

    /// The intruder recomputes the edited file's seal and appends an entry carrying it, chained as
    /// Pikou chains (the docs give the hash): "latest wins" took it, and every anchor still held.
    /// Issue 35: a refund appended straight into the table (no guard stands in the way of an
    /// INSERT) that pays a due back more than its debit collected is found by `check`.
    @Test(arguments: TestBackend.all) func aRefundBeyondWhatWasCollectedIsFound(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        let insert = """
            INSERT INTO refund_files (bank, name, digest, period, file_date, batch_no, line_count, total_fen, written_at, actor)
              VALUES ('BOC', 'BOC_TK_X_20261221_001.txt', 'x', 202612, '2026-12-21', 1, 1, 1, '2026-12-21T00:00:00Z', 'x');
            INSERT INTO refunds (refund_file_id, seq, due_id, payer_id, debit_id, id_number, name, account, agreement_no, period, insurance, amount_fen)
              SELECT (SELECT MAX(id) FROM refund_files), 1, du.id, du.payer_id, di.debit_id, '', '', '', '', du.period, du.insurance, du.amount_fen + 1
              FROM dues du JOIN debit_items di ON di.due_id = du.id AND di.state = 'succeeded' ORDER BY du.id LIMIT 1;
            """
        try tamper(ws, sqlite: { db in try db.execute(sql: insert) }, postgres: insert)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .refundExceedsCollected = $0 { true } else { false } }, "\(found)")
    }

    @Test(arguments: TestBackend.all) func anAppendedResealIsFound(_ backend: TestBackend) async throws {
        for action in ["return.ingest", "file.cancelled"] {
            let ws = try await month(backend)
            try forgeASuccess(ws)
            let (id, seal) = try await resealed(ws)
            let store = try await ws.workspace.openStore()
            try await store.appendJournal(actor: "pikou", action: action, subject: "BOC/forged", detail: Seal.text(.returnFile, id: id, seal: seal))
            let found = try await ws.check.violations()
            #expect(found.contains { if case .sealReplaced(let subject, _, _) = $0 { subject == "return file #\(id)" } else { false } },
                    "\(action): \(found)")
            #expect(found.contains { if case .sealBroken = $0 { true } else { false } }, "the first seal is the one that counts: \(found)")
            #expect(!found.contains { if case .anchorBroken = $0 { true } else { false } }, "appending leaves the anchors holding")
        }
    }

    /// A view redefined to leave a debit out (no table touched): the report would move by a line.
    @Test(arguments: TestBackend.all) func aRedefinedViewIsFound(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        try tamper(ws, sqlite: { db in
            let view = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'debits'")!
            let select = view[view.range(of: #"^CREATE VIEW debits\s+AS\s"#, options: .regularExpression)!.upperBound...]
            try db.execute(sql: "DROP VIEW debits")
            try db.execute(sql: "CREATE VIEW debits AS SELECT * FROM (\(select)) WHERE id <> (SELECT MIN(id) FROM debit_rows)")
        }, postgres: """
            DO $$ BEGIN
                EXECUTE 'CREATE OR REPLACE VIEW debits AS SELECT * FROM (' || rtrim(pg_get_viewdef('debits'), ';')
                    || ') v WHERE v.id <> (SELECT MIN(id) FROM debit_rows)';
            END $$
            """)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .schemaDiffers("view", "debits", _) = $0 { true } else { false } }, "\(found)")
    }

    /// A guard re-created under its own name so that it never fires (`WHEN 0`), then the edit it
    /// should have refused: the guard is there by name, so only its definition shows it.
    @Test(arguments: TestBackend.all) func aGuardThatNeverFiresIsFound(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        let edit = "UPDATE results SET outcome = 'succeeded' WHERE id = (SELECT MIN(id) FROM results WHERE posted = 1 AND outcome <> 'succeeded')"
        try tamper(ws, sqlite: { db in
            try db.execute(sql: "DROP TRIGGER results_append_only_update")
            try db.execute(sql: "CREATE TRIGGER results_append_only_update BEFORE UPDATE ON results WHEN 0 BEGIN SELECT RAISE(ABORT, 'results are append-only'); END")
            try db.execute(sql: edit)
        }, postgres: """
            DO $$ DECLARE d text; BEGIN
                SELECT pg_get_triggerdef(oid) INTO d FROM pg_trigger WHERE tgname = 'results_append_only_update'
                    AND tgrelid = to_regclass('results');
                EXECUTE 'DROP TRIGGER results_append_only_update ON results';
                EXECUTE replace(d, 'FOR EACH ROW', 'FOR EACH ROW WHEN (false)');
            END $$;
            \(edit);
            """)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .schemaDiffers("trigger", "results_append_only_update", _) = $0 { true } else { false } }, "\(found)")
        #expect(!found.contains(.appendOnlyGuardMissing(name: "results_append_only_update")), "by name the guard is there")
        #expect(found.contains { if case .sealBroken = $0 { true } else { false } }, "\(found)")
    }

    /// A payment made elsewhere forged with an INSERT keeps a failed due from ever being debited
    /// again; one edited changes what the report counts as paid. Each import seals what it
    /// recorded, so both are found (a payment recorded by Pikou passes).
    @Test(arguments: TestBackend.all) func aForgedOrEditedPaymentElsewhereIsFound(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        let payer = try #require(try await ws.useCases.failures(FailureFilter(), today: TestWorkspace.fileDate).first)
        let recorded = try await ws.useCases.importPayments([PaymentRecord(line: 2, idNumber: payer.record.idNumber, insurance: .medical,
                                                                           period: TestWorkspace.december, amount: Money(fen: 1), channel: "counter",
                                                                           reference: "C-1")], source: "paid.csv", actor: "t")
        #expect(recorded.inserted == 1)
        #expect(try await ws.check.violations().isEmpty, "a payment Pikou recorded is sealed by its import")
        let forged = """
            INSERT INTO payments (payer_id, insurance, period, amount_fen, channel, reference)
            SELECT payer_id, insurance, period, amount_fen, 'counter', 'FORGED' FROM dues ORDER BY id LIMIT 1
            """
        try tamper(ws, sqlite: { try $0.execute(sql: forged) }, postgres: forged)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .sealMissing(let subject) = $0 { subject.hasPrefix("payment made elsewhere #") } else { false } }, "\(found)")
        let edit = "UPDATE payments SET period = period - 1 WHERE reference = 'C-1'"
        try tamper(ws, sqlite: { try $0.execute(sql: edit) }, postgres: edit)
        let edited = try await ws.check.violations()
        #expect(edited.contains { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix("payments #") } else { false } }, "\(edited)")
    }

    /// A membership of a special group forged with an INSERT (a subsidy the person has no right
    /// to): each list's import seals what it added, so the forged row is found.
    @Test(arguments: TestBackend.all) func aForgedGroupMembershipIsFound(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        let person = try #require(try await ws.useCases.failures(FailureFilter(), today: TestWorkspace.fileDate).first).record.idNumber
        let imported = try await ws.store.importMemberships([GroupMembershipRecord(idNumber: person, group: "低保", department: "民政局",
                                                                                   validFrom: TestWorkspace.fileDate, validTo: nil)],
                                                             actor: "t", source: "低保.csv")
        #expect(imported.added == 1)
        #expect(try await ws.check.violations().isEmpty, "a list Pikou imported is sealed by its import")
        let forged = """
            INSERT INTO group_memberships (id_number, group_name, department, valid_from, valid_to, source, imported_at, actor)
            SELECT id_number, '特困', '民政局', '2026-01-01', '', '特困.csv', '2026-12-01T09:00:00Z', 'pikou' FROM payers ORDER BY id LIMIT 1
            """
        try tamper(ws, sqlite: { try $0.execute(sql: forged) }, postgres: forged)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .sealMissing(let subject) = $0 { subject.hasPrefix("group membership #") } else { false } }, "\(found)")
    }

    /// Payers, agreements, enrollments and dues, changed in place by Pikou (issue 37, items 1 and 2):
    /// a roster re-imported with a new phone and an account corrected seal what they change, record
    /// by record, naming the seal each replaces, and `check` passes. Each edit behind Pikou's back is
    /// then found, and so is an appended entry re-sealing a record without naming the seal it replaces.
    @Test(arguments: TestBackend.all) func everyRosterRecordAndEveryDueIsSealedWhereItChanges(_ backend: TestBackend) async throws {
        let ws = try await month(backend)
        var options = SyntheticRoster.Options(payers: 30)
        options.suspendedRate = 0
        options.revokedRate = 0
        var roster = SyntheticRoster.make(options, seed: 11, banks: ["BOC", "CCB"])
        roster[0].phone = "13900000000"
        let changed = try await ws.store.importRoster(roster, actor: "t", source: "r2.csv")
        #expect(changed.payersUpdated == 1)
        _ = try await ws.useCases.changeAgreement(AgreementChange(idNumber: roster[0].idNumber, account: BankAccount(stored: "6225768888888888")), actor: "张经办")
        #expect(try await ws.check.violations().isEmpty, "what Pikou changed is sealed where it changed")

        func found(_ sql: String, _ expected: @escaping (InvariantViolation) -> Bool) async throws {
            try tamper(ws, sqlite: { try $0.execute(sql: sql) }, postgres: sql)
            let violations = try await ws.check.violations()
            #expect(violations.contains(where: expected), "\(sql): \(violations)")
        }
        func broken(_ prefix: String) -> (InvariantViolation) -> Bool {
            { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix(prefix) } else { false } }
        }
        // The payer whose phone Pikou changed, edited again: held to that change's seal.
        try await found("UPDATE payers SET community = 'elsewhere' WHERE phone = '13900000000'", broken("payer #"))
        // Another agreement's account: held to its run's seal.
        try await found("UPDATE agreements SET account = '6225760000000001' WHERE id = (SELECT MAX(id) FROM agreements)", broken("agreements #"))
        try await found("UPDATE enrollments SET suspended = 1 WHERE id = (SELECT MAX(id) FROM enrollments)", broken("enrollments #"))
        try await found("UPDATE dues SET amount_fen = amount_fen + 100 WHERE id = (SELECT MAX(id) FROM dues)", broken("dues #"))
        try await found("INSERT INTO dues (payer_id, insurance, period, amount_fen) SELECT payer_id, insurance, period + 1, amount_fen FROM dues ORDER BY id DESC LIMIT 1") {
            if case .sealMissing(let subject) = $0 { subject.hasPrefix("due #") } else { false }
        }

        // An entry appended to re-seal the edited payer as it now stands: naming a seal it does not
        // replace is found; naming the right one is what only an anchor kept elsewhere finds.
        let store = try await ws.workspace.openStore()
        let payerID = try await ws.store.agreements(idNumber: roster[0].idNumber)!.payerID
        let now = try await hashes(store, "SELECT id, id_number, name, phone, district, street, community, updated_at FROM payers WHERE id = \(payerID)")
        try await store.appendJournal(actor: "t", action: "payer.update", subject: "forged",
                                      detail: Seal.recordText("payers", id: payerID, seal: now, was: String(repeating: "0", count: 64)))
        let appended = try await ws.check.violations()
        #expect(appended.contains { if case .sealChainBroken(let subject, _, _) = $0 { subject == "payer #\(payerID)" } else { false } }, "\(appended)")
    }

    /// The hash of the one row `sql` selects, as a record's seal takes it.
    func hashes(_ store: any ReconStore, _ sql: String) async throws -> String {
        func read<S: LedgerStore>(_ store: S) async throws -> String {
            try await store.readLedger { session in Digest.hex(try RowSeal().hash(try #require(try await session.row(LedgerSQL(stringLiteral: sql))).values)) }
        }
        switch store {
        case let sqlite as SQLiteStore: return try await read(sqlite)
        case let postgres as PostgresStore: return try await read(postgres)
        default: throw StoreError.unavailable(Message(zh: "an unknown store", en: "an unknown store"))
        }
    }

    /// What the schema check names: an object added, one dropped, one defined otherwise.
    @Test func theSchemaComparisonNamesEachDifference() {
        let made = [SchemaObject(kind: "index", name: "dues_period", definition: "CREATE INDEX dues_period ON dues (period)"),
                    SchemaObject(kind: "view", name: "debits", definition: "CREATE VIEW debits AS SELECT 1")]
        let found = [SchemaObject(kind: "view", name: "debits", definition: "CREATE VIEW debits AS   SELECT 2"),
                     SchemaObject(kind: "trigger", name: "x", definition: "CREATE TRIGGER x")]
        let violations = SQLiteStore.schemaViolations(found: found, made: made)
        #expect(violations.count == 3, "\(violations)")
        #expect(violations.contains(.schemaDiffers(kind: "index", name: "dues_period", finding: "missing")))
        #expect(violations.contains { if case .schemaDiffers("trigger", "x", let finding) = $0 { finding.hasPrefix("no migration makes it") } else { false } })
        #expect(violations.contains { if case .schemaDiffers("view", "debits", let finding) = $0 { finding.contains("SELECT 2") } else { false } },
                "whitespace is folded; the difference is shown")
        #expect(SQLiteStore.schemaViolations(found: made, made: made).isEmpty)
    }
}
