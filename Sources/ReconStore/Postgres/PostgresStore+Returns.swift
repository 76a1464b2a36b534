public import PikouCore
public import Foundation
import PostgresNIO

/// Return files, status, checks and seals on PostgreSQL.
extension PostgresStore {
    public func debitsToMatch(fileID: Int64) async throws -> [DebitToMatch] {
        try await read { session in
            // The closing result by its index, one probe per debit: a join lets the planner hash the whole results table for each file.
            try await session.rows("""
                SELECT d.id, d.seq, d.account, d.amount_fen, d.id_number,
                       (SELECT r.outcome FROM results r WHERE r.debit_id = d.id AND r.posted = 1) AS outcome
                FROM debit_rows d WHERE d.file_id = \(fileID) ORDER BY d.seq
                """).map { row in
                DebitToMatch(id: try row.int("id"), sequence: try row.count("seq"), account: try row.text("account"), amount: try row.money("amount_fen"),
                             result: try row.optionalText("outcome").map { Outcome(rawValue: $0) ?? .unknown }, idNumber: try row.text("id_number"))
            }
        }
    }


    public func post(_ posting: ReturnFilePosting) async throws -> IngestResult {
        do {
            return try await write { session in try await append(posting, session) }
        } catch let StoreError.conflict(text) where text.contains("results_closing") {
            // A result closes its debit once (results_closing): another ingest closed one of these debits
            // since the matcher read them. Nothing of this file was posted.
            throw StoreError.conflict("return file \(posting.name): a debit it closes already has a result; another ingest posted it first")
        }
    }

    /// Appends the lines (through COPY), exceptions and closing results of a matched return file.
    private func append(_ posting: ReturnFilePosting, _ session: PostgresSession) async throws -> IngestResult {
        if let row = try await session.row("SELECT id, ingested_at FROM return_files WHERE debit_file_id = \(posting.debitFileID) AND digest = \(posting.digest)") {
            return .alreadyIngested(returnFileID: try row.int("id"), at: Self.instant(try row.text("ingested_at")))
        }
        let now = Self.now()
        let total = try posting.lines.map(\.amount).checkedSum()
        guard let returnFileID = try await session.value("""
            INSERT INTO return_files (bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor)
            VALUES (\(posting.bank), \(posting.name), \(posting.digest), \(posting.debitFileID), \(posting.declaredCount.map(Int64.init)),
                    \(posting.declaredTotal?.fen), \(Int64(posting.lines.count)), \(total.fen), \(now), \(posting.actor))
            RETURNING id
            """, as: Int64.self) else { throw StoreError.unavailable("\(server.display): a return file was inserted without an id") }
        // Every line is appended to results as the matcher decided; a posted one closes its debit.
        let pairs = Array(zip(posting.lines, posting.decisions))
        try await session.copy(
            into: "results",
            columns: ["return_file_id", "line_no", "seq", "debit_id", "account", "amount_fen", "outcome", "bank_code", "bank_text", "bank_serial", "posted"],
            count: pairs.count
        ) { index, row in
            if index == pairs.count / 2 { CrashHook.point("mid-ingest") }
            let (line, decision) = pairs[index]
            row.add(returnFileID)
            row.add(line.lineNumber)
            row.add(line.sequence)
            row.add(decision.debitID)
            row.add(line.account)
            row.add(line.amount.fen)
            row.add(line.outcome.rawValue)
            row.add(line.bankCode)
            row.add(line.bankText)
            row.add(line.bankSerial)
            row.add(decision.posts)
        }
        let exceptions = pairs.compactMap { line, decision in decision.exception.map { (line.lineNumber, decision.debitID, $0) } }
        try await session.copy(into: "exceptions", columns: ["return_file_id", "line_no", "debit_id", "kind", "detail", "created_at"],
                               count: exceptions.count) { index, row in
            let (line, debitID, exception) = exceptions[index]
            row.add(returnFileID)
            row.add(line)
            row.add(debitID)
            row.add(exception.kind.rawValue)
            row.add(exception.detail)
            row.add(now)
        }
        var summary = posting.summary
        summary.returnFileID = returnFileID
        let seal = Seal.text(.returnFile, id: returnFileID, seal: try await Self.sealReturnFile(session, id: returnFileID))
        try await appendJournal(session, actor: posting.actor, action: "return.ingest", subject: "\(posting.bank)/\(posting.name)",
                                detail: "sm3 \(posting.digest); \(seal): \(summary.succeeded) succeeded, \(summary.failed) failed, \(summary.exceptions.values.reduce(0, +)) exceptions")
        return .posted(summary)
    }

    // MARK: - Status and checks



    public func invariantViolations() async throws -> [InvariantViolation] {
        try await read { session in
            var violations: [InvariantViolation] = []
            for row in try await session.rows("""
                SELECT f.bank, f.name, f.count, f.total_fen, COUNT(d.id) AS n, COALESCE(SUM(d.amount_fen), 0)::bigint AS fen
                FROM files f LEFT JOIN debit_rows d ON d.file_id = f.id GROUP BY f.id
                HAVING f.count <> COUNT(d.id) OR f.total_fen <> COALESCE(SUM(d.amount_fen), 0)
                """) {
                violations.append(.fileTotalsDisagree(
                    bank: try row.text("bank"), file: try row.text("name"), recordedCount: try row.count("count"), recordedTotal: try row.money("total_fen"),
                    debitCount: try row.count("n"), debitTotal: try row.money("fen")))
            }
            for row in try await session.rows("SELECT bank, name FROM files WHERE status = 'planned' ORDER BY id") {
                violations.append(.fileNotWritten(bank: try row.text("bank"), file: try row.text("name")))
            }
            for row in try await session.rows("SELECT due_id, COUNT(*) AS n FROM debit_items WHERE state = 'succeeded' GROUP BY due_id HAVING COUNT(*) > 1") {
                violations.append(.dueCollectedTwice(dueID: try row.int("due_id"), times: try row.count("n")))
            }
            for row in try await session.rows("""
                SELECT di.due_id FROM debit_items di JOIN dues du ON du.id = di.due_id
                WHERE di.state = 'succeeded' AND EXISTS (SELECT 1 FROM payments p WHERE p.payer_id = du.payer_id AND p.insurance = du.insurance AND p.period = du.period)
                """) {
                violations.append(.dueCollectedAndPaidElsewhere(dueID: try row.int("due_id")))
            }
            for row in try await session.rows("SELECT file_id, payer_id FROM debit_rows GROUP BY file_id, payer_id HAVING COUNT(*) > 1") {
                violations.append(.payerTwiceInFile(fileID: try row.int("file_id"), payerID: try row.int("payer_id")))
            }
            for row in try await session.rows("""
                SELECT later.due_id, later.debit_id FROM debit_items first JOIN debit_items later
                  ON later.due_id = first.due_id AND later.debit_id > first.debit_id
                WHERE first.state = 'succeeded'
                """) {
                violations.append(.dueDebitedAfterCollection(dueID: try row.int("due_id"), debitID: try row.int("debit_id")))
            }
            for row in try await session.rows("""
                SELECT r.id, r.name, r.bank FROM return_files r WHERE
                  (r.declared_count IS NOT NULL AND r.declared_count <> r.line_count)
                  OR (r.declared_total_fen IS NOT NULL AND r.declared_total_fen <> r.total_fen)
                  OR r.line_count <> (SELECT COUNT(*) FROM results WHERE return_file_id = r.id)
                ORDER BY r.id
                """) {
                violations.append(.returnFileTotalsDisagree(bank: try row.text("bank"), file: try row.text("name")))
            }
            for row in try await session.rows("""
                SELECT r.return_file_id, r.line_no FROM results r WHERE r.posted = 0
                  AND NOT EXISTS (SELECT 1 FROM exceptions x WHERE x.return_file_id = r.return_file_id AND x.line_no = r.line_no)
                  AND NOT EXISTS (SELECT 1 FROM debits d WHERE d.id = r.debit_id AND d.outcome = r.outcome)
                ORDER BY r.id
                """) {
                violations.append(.returnLineUnaccounted(returnFileID: try row.int("return_file_id"), line: try row.count("line_no")))
            }
            if let broken = try await Self.journalBreak(session) { violations.append(.journalBroken(entryID: broken)) }
            violations += try await Self.sealViolations(session)
            return violations
        }
    }

    // MARK: - Seals

    /// Feeds every column of every row `query` returns to `seal`, each as text (NULL as "\0").
    private static func feed(_ seal: Seal, _ session: PostgresSession, _ query: PostgresQuery) async throws {
        for try await row in try await session.connection.query(query, logger: session.logger) {
            seal.add(try row.map { try $0.decode(String?.self) ?? "\0" })
        }
    }

    /// The seal of a posted return file: its row, its lines in order, the exceptions they raised (as the SQLite store computes it).
    static func sealReturnFile(_ session: PostgresSession, id: Int64) async throws -> String {
        let seal = try Seal()
        try await feed(seal, session, """
            SELECT id::text, bank, name, digest, debit_file_id::text, declared_count::text, declared_total_fen::text, line_count::text, total_fen::text,
                   ingested_at, actor
            FROM return_files WHERE id = \(id)
            """)
        // A cancellation's kind is sealed too (not a bank's return's: their seals predate the kind).
        try await feed(seal, session, "SELECT 'kind', kind FROM return_files WHERE id = \(id) AND kind = 'cancel'")
        try await feed(seal, session, """
            SELECT line_no::text, seq::text, debit_id::text, account, amount_fen::text, outcome, bank_code, bank_text, bank_serial, posted::text
            FROM results WHERE return_file_id = \(id) ORDER BY line_no
            """)
        try await feed(seal, session, """
            SELECT id::text, line_no::text, debit_id::text, kind, detail, created_at FROM exceptions WHERE return_file_id = \(id) ORDER BY id
            """)
        return try seal.finish()
    }

    /// The seal of a written debit file: its row, its debits by sequence, the dues each covers.
    static func sealDebitFile(_ session: PostgresSession, id: Int64) async throws -> String {
        let seal = try Seal()
        try await feed(seal, session, """
            SELECT id::text, batch_id::text, bank, batch_no::text, file_date, collection_date, collector, collector_account, name, return_name,
                   count::text, total_fen::text, status, digest, byte_count::text, written_at
            FROM files WHERE id = \(id)
            """)
        try await feed(seal, session, """
            SELECT id::text, seq::text, payer_id::text, agreement_id::text, agreement_version::text, id_number, name, account, agreement_no,
                   amount_fen::text, period::text, memo
            FROM debit_rows WHERE file_id = \(id) ORDER BY seq
            """)
        try await feed(seal, session, """
            SELECT dd.debit_id::text, dd.due_id::text FROM debit_dues dd
            WHERE dd.debit_id = ANY(ARRAY(SELECT id FROM debit_rows WHERE file_id = \(id)))
            ORDER BY dd.debit_id, dd.due_id
            """)  // the file's debits by the debit_dues_debit index (a join hashes the whole table for each file)
        return try seal.finish()
    }

    /// Seals that do not hold, guards that are gone or disabled.
    static func sealViolations(_ session: PostgresSession) async throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        let sealed = Seal.standing(try await session.rows(PostgresQuery(unsafeSQL: "SELECT id, action, detail FROM journal WHERE action IN (\(Seal.journalActions)) ORDER BY id"))
            .map { (id: try $0.int("id"), action: try $0.text("action"), detail: try $0.text("detail")) })
        var seen: [Seal.Subject: Set<Int64>] = [:]
        for row in try await session.rows("SELECT id, bank || '/' || name AS subject FROM return_files ORDER BY id") {
            let id = try row.int("id"), subject = "return file " + (try row.text("subject"))
            seen[.returnFile, default: []].insert(id)
            guard let recorded = sealed[.returnFile]?[id] else { violations.append(.sealMissing(subject: subject)); continue }
            if try await sealReturnFile(session, id: id) != recorded.seal { violations.append(.sealBroken(subject: subject, journalEntry: recorded.entry)) }
        }
        for row in try await session.rows("SELECT id, bank || '/' || name AS subject FROM files WHERE status = 'written' ORDER BY id") {
            let id = try row.int("id"), subject = "debit file " + (try row.text("subject"))
            seen[.debitFile, default: []].insert(id)
            guard let recorded = sealed[.debitFile]?[id] else { violations.append(.sealMissing(subject: subject)); continue }
            if try await sealDebitFile(session, id: id) != recorded.seal { violations.append(.sealBroken(subject: subject, journalEntry: recorded.entry)) }
        }
        for (subject, seals) in sealed {
            for (id, recorded) in seals.sorted(by: { $0.key < $1.key }) where !(seen[subject]?.contains(id) ?? false) {
                violations.append(.sealedRowsGone(subject: "\(subject == .returnFile ? "return file" : "debit file") #\(id)", journalEntry: recorded.entry))
            }
        }
        // A guard counts only where it stands on the store's own table and is enabled (ALTER TABLE … DISABLE TRIGGER hides it otherwise).
        let triggers = Set(try await session.rows("""
            SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = to_regnamespace(current_schema())::oid
            """).map { try $0.text("tgname") })
        for name in PostgresSchema.appendOnlyGuards where !triggers.contains(name) { violations.append(.appendOnlyGuardMissing(name: name)) }
        // A mark left behind lets that return file's rows be deleted: the guards do not hold for it.
        for row in try await session.rows("SELECT return_file_id FROM return_undo_marks ORDER BY return_file_id") {
            violations.append(.appendOnlyGuardMissing(name: "return_undo_marks (a leftover mark lets return file #\(try row.int("return_file_id"))'s rows be deleted)"))
        }
        for reference in PostgresSchema.bulkReferences {
            let rows = try await session.value(PostgresQuery(unsafeSQL: """
                SELECT COUNT(*) FROM \(reference.table) t WHERE NOT EXISTS (SELECT 1 FROM \(reference.references) r WHERE r.id = t.\(reference.column))
                  AND t.\(reference.column) IS NOT NULL
                """), as: Int64.self) ?? 0
            if rows > 0 {
                violations.append(.referenceBroken(table: reference.table, column: reference.column, references: reference.references, rows: Int(rows)))
            }
        }
        return violations
    }

    public func journalBreak() async throws -> Int64? {
        try await read { session in try await Self.journalBreak(session) }
    }

    /// The journal's hash chain walked from its first entry, as the rows stream in.
    static func journalBreak(_ session: PostgresSession) async throws -> Int64? {
        var previous = ""
        var broken: Int64?
        try await session.forEach("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM journal ORDER BY id") { cursor in
            guard broken == nil else { return }
            let id = try cursor.int(), at = try cursor.text(), actor = try cursor.text(), action = try cursor.text()
            let subject = try cursor.text(), detail = try cursor.text(), prevHash = try cursor.text(), hash = try cursor.text()
            let expected = Self.journalHash(previous: previous, at: at, actor: actor, action: action, subject: subject, detail: detail)
            if prevHash != previous || hash != expected { broken = id }
            previous = hash
        }
        return broken
    }





}
