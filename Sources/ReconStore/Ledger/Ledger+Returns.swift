import PikouCore

/// A debit file's debits read for matching, and a matched return file posted — written once for
/// both backends (the lines loaded in bulk: ``LedgerSession/load(into:columns:count:_:)``).
extension LedgerStore {
    public func debitsToMatch(fileID: Int64) async throws -> [DebitToMatch] {
        try await readLedger { session in
            var debits: [DebitToMatch] = []
            // The closing result by its unique index, one probe per debit: a join lets PostgreSQL's planner hash the whole results table for each file.
            try await session.forEachRow("""
                SELECT d.id, d.seq, d.account, d.amount_fen, d.id_number,
                       COALESCE((SELECT r.outcome FROM results r WHERE r.debit_id = d.id AND r.posted = 1),
                                (SELECT c.outcome FROM confirmations c WHERE c.debit_id = d.id)) AS outcome
                FROM debit_rows d WHERE d.file_id = \(fileID) ORDER BY d.seq
                """) { row in
                debits.append(DebitToMatch(
                    id: try row.int("id"), sequence: try row.count("seq"), account: try row.text("account"), amount: try row.money("amount_fen"),
                    result: try row.optionalText("outcome").map { Outcome(rawValue: $0) ?? .unknown }, idNumber: try row.text("id_number")))
            }
            return debits
        }
    }

    public func post(_ posting: ReturnFilePosting) async throws -> IngestResult {
        do {
            return try await writeLedger { session in try await Self.append(posting, session) }
        } catch let StoreError.conflict(text) where text.en.contains("results_closing") || text.en.contains("results.debit_id") {
            // A result closes its debit once (results_closing): another ingest closed one of these debits
            // since the matcher read them. Nothing of this file was posted.
            throw StoreError.conflict(Message(
                zh: "回盘文件 \(posting.name)：它要结清的一笔扣款已有结果；另一次回盘入账已先处理了它",
                en: "return file \(posting.name): a debit it closes already has a result; another ingest posted it first"))
        }
    }

    /// Appends the lines, exceptions and closing results of a matched return file.
    private static func append(_ posting: ReturnFilePosting, _ session: any LedgerSession) async throws -> IngestResult {
        if let row = try await session.row("SELECT id, ingested_at FROM return_files WHERE debit_file_id = \(posting.debitFileID) AND digest = \(posting.digest)") {
            return .alreadyIngested(returnFileID: try row.int("id"), at: instant(try row.text("ingested_at")))
        }
        let now = now()
        let total = try posting.lines.map(\.amount).checkedSum()
        let returnFileID = try await session.insert("""
            INSERT INTO return_files (id, bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor)
            VALUES (\(sql: session.dialect.nextReturnFileID), \(posting.bank), \(posting.name), \(posting.digest), \(posting.debitFileID),
                    \(posting.declaredCount.map(Int64.init)), \(posting.declaredTotal?.fen), \(posting.lines.count), \(total.fen), \(now), \(posting.actor))
            """)
        // Every line is appended to results as the matcher decided; a posted one closes its debit (the
        // debit's state is derived from it: nothing else is updated).
        let pairs = Array(zip(posting.lines, posting.decisions))
        try await session.load(
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
        try await session.load(into: "exceptions", columns: ["return_file_id", "line_no", "debit_id", "kind", "detail", "created_at"],
                               count: exceptions.count) { index, row in
            let (line, debitID, exception) = exceptions[index]
            row.add(returnFileID)
            row.add(line)
            row.add(debitID)
            row.add(exception.kind.rawValue)
            row.add(exception.detail.stored)
            row.add(now)
        }
        var summary = posting.summary
        summary.returnFileID = returnFileID
        let seal = Seal.text(.returnFile, id: returnFileID, seal: try await sealReturnFile(session, id: returnFileID))
        try await appendJournal(session, actor: posting.actor, action: "return.ingest", subject: "\(posting.bank)/\(posting.name)",
                                detail: "sm3 \(posting.digest); \(seal): \(summary.succeeded) succeeded, \(summary.failed) failed, \(summary.exceptions.values.reduce(0, +)) exceptions")
        return .posted(summary)
    }
}
