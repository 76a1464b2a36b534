import PikouCore

/// The money after the bank — statements of the collection account and the treasury's daily
/// reconciliations — written once for both backends. PikouCycle matches; this keeps what it decided.
extension LedgerStore {
    public func settlementFiles(bank: String) async throws -> [SettlementFile] {
        try await readLedger { session in
            try await session.rows("""
                SELECT f.id, f.bank, f.name, f.collector, f.batch_no, f.file_date, f.collection_date, b.period,
                       CAST(COALESCE((SELECT SUM(d.amount_fen) FROM debits d WHERE d.file_id = f.id AND d.status = 'succeeded'), 0) AS BIGINT) AS succeeded_fen,
                       CAST(COALESCE((SELECT SUM(CASE WHEN e.entry = 'reversal' THEN -e.amount_fen ELSE e.amount_fen END)
                                      FROM statement_entries e WHERE e.file_id = f.id), 0) AS BIGINT) AS credited_fen
                FROM files f JOIN batches b ON b.id = f.batch_id
                WHERE f.bank = \(bank) AND f.status = 'written' ORDER BY f.id
                """).map { row in
                SettlementFile(
                    id: try row.int("id"), bank: try row.text("bank"), name: try row.text("name"), collector: try row.text("collector"),
                    batchNo: try row.count("batch_no"), fileDate: Self.date(try row.text("file_date")),
                    collectionDate: Self.date(try row.text("collection_date")), period: Self.period(try row.count("period")),
                    succeeded: try row.money("succeeded_fen"), credited: try row.money("credited_fen"))
            }
        }
    }

    public func recordStatement(_ statement: StatementRecord, actor: String) async throws -> AfterBankPosting {
        try await writeLedger { session in
            let inserted = try await session.rows("""
                INSERT INTO statement_files (bank, format, name, digest, account, statement_date, line_count, ingested_at, actor)
                VALUES (\(statement.bank), \(statement.format), \(statement.name), \(statement.digest), \(statement.account),
                        \(statement.date.description), \(statement.entries.count), \(Self.now()), \(actor))
                ON CONFLICT (bank, digest) DO NOTHING RETURNING id
                """)
            guard let id = try inserted.first?.int("id") else { return .alreadyRecorded }
            let entries = statement.entries
            try await session.load(into: "statement_entries",
                                   columns: ["statement_file_id", "line_no", "entry", "amount_fen", "value_date", "reference", "bank_serial", "file_id", "state"],
                                   count: entries.count) { index, row in
                let entry = entries[index]
                row.add(id)
                row.add(entry.lineNo)
                row.add(entry.entry)
                row.add(entry.amount.fen)
                row.add(entry.valueDate.description)
                row.add(entry.reference)
                row.add(entry.bankSerial)
                row.add(entry.fileID)
                row.add(entry.state.rawValue)
            }
            var states: [String: Int] = [:]
            for entry in entries { states[entry.state.rawValue, default: 0] += 1 }
            try await Self.appendJournal(session, actor: actor, action: "statement.ingest", subject: "\(statement.bank)/\(statement.name)",
                                         detail: "digest \(statement.digest); " + states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            return .recorded(states: states)
        }
    }

    public func treasuryCandidates(bank: String, date: CivilDate) async throws -> [TreasuryCandidate] {
        try await readLedger { session in
            var candidates: [TreasuryCandidate] = []
            try await session.forEachRow("""
                SELECT d.id, d.id_number, d.period, d.amount_fen, COALESCE(r.bank_serial, '') AS bank_serial, d.status
                FROM files f JOIN debits d ON d.file_id = f.id LEFT JOIN results r ON r.id = d.result_id
                WHERE f.bank = \(bank) AND f.collection_date = \(date.description) AND f.status = 'written' AND d.status <> 'pending'
                """) { row in
                candidates.append(TreasuryCandidate(
                    debitID: try row.int(at: 0), idNumber: try row.text(at: 1), period: String(try row.int(at: 2)),
                    amount: Money(fen: try row.int(at: 3)), bankSerial: try row.text(at: 4), succeeded: try row.text(at: 5) == "succeeded"))
            }
            return candidates
        }
    }

    public func recordTreasury(_ treasury: TreasuryRecord, actor: String) async throws -> AfterBankPosting {
        try await writeLedger { session in
            let inserted = try await session.rows("""
                INSERT INTO treasury_files (authority, bank, name, digest, recon_date, line_count, total_fen, ingested_at, actor)
                VALUES (\(treasury.authority), \(treasury.bank), \(treasury.name), \(treasury.digest), \(treasury.date.description),
                        \(treasury.lineCount), \(treasury.total.fen), \(Self.now()), \(actor))
                ON CONFLICT (authority, digest) DO NOTHING RETURNING id
                """)
            guard let id = try inserted.first?.int("id") else { return .alreadyRecorded }
            let lines = treasury.lines
            try await session.load(into: "treasury_lines",
                                   columns: ["treasury_file_id", "line_no", "id_number", "period", "amount_fen", "theirs", "bank_serial", "voucher",
                                             "debit_id", "refund_id", "our_amount_fen", "state"],
                                   count: lines.count) { index, row in
                let line = lines[index]
                row.add(id)
                row.add(line.lineNo)
                row.add(line.idNumber)
                row.add(line.period)
                row.add(line.amount.fen)
                row.add(line.theirs)
                row.add(line.bankSerial)
                row.add(line.voucher)
                row.add(line.debitID)
                row.add(line.refundID)
                row.add(line.ourAmount?.fen)
                row.add(line.state.rawValue)
            }
            var states: [String: Int] = [:]
            for line in lines { states[line.state.rawValue, default: 0] += 1 }
            try await Self.appendJournal(session, actor: actor, action: "treasury.ingest", subject: "\(treasury.authority)/\(treasury.bank)/\(treasury.name)",
                                         detail: "digest \(treasury.digest); " + states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            return .recorded(states: states)
        }
    }

    /// The period's written debit files of each bank (`id, bank, collection_date`), as a subquery:
    /// reads run in read-only transactions, which make no scratch tables on PostgreSQL.
    private static func periodFiles(_ period: Period) -> LedgerSQL {
        """
        (SELECT f.id, f.bank, f.collection_date FROM files f JOIN batches b ON b.id = f.batch_id
         WHERE b.period = \(Self.int(period)) AND f.status = 'written')
        """
    }

    /// The treasury files that count (as `tf`): the latest of each bank and day.
    private static var latestTreasuryFile: LedgerSQL {
        "tf.id = (SELECT MAX(x.id) FROM treasury_files x WHERE x.bank = tf.bank AND x.recon_date = tf.recon_date)"
    }

    /// The days after a bank's collection day within which an unmatched credit of its statements
    /// is put before that collection's period.
    static var unmatchedWindowDays: Int { 10 }

    /// Exception states, as SQL lists.
    private static var entryExceptions: LedgerSQL {
        LedgerSQL(stringLiteral: "(" + EntryState.allCases.filter(\.isException).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
    }
    private static var treasuryExceptions: LedgerSQL {
        LedgerSQL(stringLiteral: "(" + TreasuryState.allCases.filter(\.isException).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
    }

    public func afterBankLegs(period: Period) async throws -> [AfterBankLegs] {
        try await readLedger { session in
            let periodFiles = Self.periodFiles(period)
            var legs: [String: AfterBankLegs] = [:]
            for row in try await session.rows("""
                SELECT pf.bank, COUNT(*) AS n, CAST(SUM(d.amount_fen) AS BIGINT) AS listed_fen,
                       CAST(SUM(CASE WHEN d.status = 'succeeded' THEN 1 ELSE 0 END) AS BIGINT) AS ok_n,
                       CAST(COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN d.amount_fen END), 0) AS BIGINT) AS ok_fen,
                       CAST(SUM(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END) AS BIGINT) AS pending_n
                FROM \(sql: periodFiles) pf JOIN debits d ON d.file_id = pf.id GROUP BY pf.bank ORDER BY pf.bank
                """) {
                let bank = try row.text("bank")
                legs[bank] = AfterBankLegs(
                    bank: bank, listed: try row.money("listed_fen"), listedCount: try row.count("n"), succeeded: try row.money("ok_fen"),
                    succeededCount: try row.count("ok_n"), pendingCount: try row.count("pending_n"), credited: nil, creditExceptions: 0,
                    booked: nil, bookedCount: 0, treasuryExceptions: 0)
            }
            // Account credits: a bank with a statement has a credit leg, zero until something matches.
            for row in try await session.rows("""
                SELECT pf.bank, CAST(COALESCE(SUM(CASE WHEN e.entry = 'reversal' THEN -e.amount_fen WHEN e.entry = 'credit' THEN e.amount_fen END), 0) AS BIGINT) AS fen
                FROM \(sql: periodFiles) pf JOIN statement_entries e ON e.file_id = pf.id GROUP BY pf.bank
                """) { legs[try row.text("bank")]?.credited = try row.money("fen") }
            for row in try await session.rows("SELECT DISTINCT bank FROM statement_files") {
                let bank = try row.text("bank")
                if legs[bank] != nil, legs[bank]!.credited == nil { legs[bank]!.credited = .zero }
            }
            for exception in try await Self.exceptions(session, period: period) where exception.review == nil {
                if exception.subject == .statementEntry { legs[exception.bank]?.creditExceptions += 1 } else { legs[exception.bank]?.treasuryExceptions += 1 }
            }
            // What the treasury booked of the period's debits, from the latest file of each day.
            for row in try await session.rows("""
                SELECT pf.bank, COUNT(*) AS n, CAST(SUM(t.amount_fen) AS BIGINT) AS fen
                FROM \(sql: periodFiles) pf JOIN debit_rows d ON d.file_id = pf.id JOIN treasury_lines t ON t.debit_id = d.id
                JOIN treasury_files tf ON tf.id = t.treasury_file_id AND \(sql: Self.latestTreasuryFile)
                WHERE t.theirs = 'booked' GROUP BY pf.bank
                """) {
                let bank = try row.text("bank")
                legs[bank]?.booked = try row.money("fen")
                legs[bank]?.bookedCount = try row.count("n")
            }
            for row in try await session.rows("""
                SELECT DISTINCT pf.bank FROM \(sql: periodFiles) pf JOIN treasury_files tf ON tf.bank = pf.bank AND tf.recon_date = pf.collection_date
                """) {
                let bank = try row.text("bank")
                if legs[bank] != nil, legs[bank]!.booked == nil { legs[bank]!.booked = .zero }
            }
            return legs.values.sorted { $0.bank < $1.bank }
        }
    }

    public func afterBankExceptions(period: Period) async throws -> [AfterBankException] {
        try await readLedger { session in try await Self.exceptions(session, period: period) }
    }

    /// The exception lines of `period`: statement entries on its files,
    /// unmatched ones dated within its banks' collection days and the settlement days after, and
    /// treasury lines of its debits or of its banks' collection days, and 退库 lines of its refunds
    /// or naming it.
    private static func exceptions(_ session: any LedgerSession, period: Period) async throws -> [AfterBankException] {
        let periodFiles = Self.periodFiles(period)
        var found: [AfterBankException] = []
        for row in try await session.rows("""
            SELECT e.id, sf.bank, sf.name AS source, e.line_no, e.value_date, e.state, e.amount_fen, e.reference, f.name AS debit_file, v.note
            FROM statement_entries e JOIN statement_files sf ON sf.id = e.statement_file_id
            LEFT JOIN files f ON f.id = e.file_id
            LEFT JOIN reviews v ON v.subject = 'statement_entry' AND v.subject_id = e.id
            WHERE e.state IN \(sql: entryExceptions)
              AND (e.file_id IN (SELECT id FROM \(sql: periodFiles) q)
                   OR e.file_id IS NULL AND EXISTS (SELECT 1 FROM \(sql: periodFiles) pf WHERE pf.bank = sf.bank
                       AND e.value_date >= pf.collection_date AND e.value_date <= \(sql: session.dialect.date("pf.collection_date", plusDays: unmatchedWindowDays))))
            ORDER BY e.id
            """) {
            found.append(AfterBankException(
                subject: .statementEntry, id: try row.int("id"), bank: try row.text("bank"), source: try row.text("source"),
                lineNo: try row.count("line_no"), date: Self.date(try row.text("value_date")), state: try row.text("state"),
                amount: try row.money("amount_fen"), ourAmount: nil, reference: try row.text("reference"), period: Self.int(period).description,
                debitFile: try row.optionalText("debit_file"), review: try row.optionalText("note")))
        }
        for row in try await session.rows("""
            SELECT t.id, tf.bank, tf.name AS source, t.line_no, tf.recon_date, t.state, t.amount_fen, t.our_amount_fen, t.id_number, t.period,
                   f.name AS debit_file, v.note
            FROM treasury_lines t JOIN treasury_files tf ON tf.id = t.treasury_file_id AND \(sql: latestTreasuryFile)
            LEFT JOIN debit_rows d ON d.id = t.debit_id LEFT JOIN files f ON f.id = d.file_id
            LEFT JOIN reviews v ON v.subject = 'treasury_line' AND v.subject_id = t.id
            WHERE t.state IN \(sql: treasuryExceptions)
              AND (d.file_id IN (SELECT id FROM \(sql: periodFiles) q)
                   OR t.refund_id IN (SELECT id FROM refunds WHERE period = \(Self.int(period)))
                   OR t.debit_id IS NULL AND t.refund_id IS NULL AND t.theirs = 'refunded' AND t.period = \(period.compact)
                   OR t.debit_id IS NULL AND t.refund_id IS NULL AND t.theirs <> 'refunded'
                      AND EXISTS (SELECT 1 FROM \(sql: periodFiles) pf WHERE pf.bank = tf.bank AND pf.collection_date = tf.recon_date))
            ORDER BY t.id
            """) {
            found.append(AfterBankException(
                subject: .treasuryLine, id: try row.int("id"), bank: try row.text("bank"), source: try row.text("source"),
                lineNo: try row.optionalInt("line_no").map { Int($0) }, date: Self.date(try row.text("recon_date")), state: try row.text("state"),
                amount: try row.money("amount_fen"), ourAmount: try row.optionalInt("our_amount_fen").map { Money(fen: $0) },
                reference: try row.text("id_number"), period: try row.text("period"), debitFile: try row.optionalText("debit_file"),
                review: try row.optionalText("note")))
        }
        return found
    }

    public func certificatePayer(idNumber: IDNumber?, id: Int64?) async throws -> CertificatePayer? {
        try await readLedger { session in
            let row = try await session.row("""
                SELECT id, id_number, name FROM payers WHERE id_number = \(idNumber?.value ?? "") OR id = \(id ?? -1)
                """)
            return try row.map { row in
                CertificatePayer(id: try row.int("id"), idNumber: IDNumber(stored: try row.text("id_number")), name: try row.text("name"))
            }
        }
    }

    public func certificateEntries(payer: Int64, from: Period, through: Period) async throws -> [CertificateEntry] {
        try await readLedger { session in
            try await session.rows("""
                SELECT d.id, d.period, d.amount_fen, f.bank, f.collection_date, f.name AS debit_file, COALESCE(r.bank_serial, '') AS bank_serial,
                       (SELECT MAX(t.voucher) FROM treasury_lines t JOIN treasury_files tf ON tf.id = t.treasury_file_id AND \(sql: Self.latestTreasuryFile)
                        WHERE t.debit_id = d.id AND t.theirs = 'booked' AND t.voucher <> '') AS voucher
                FROM debits d JOIN files f ON f.id = d.file_id LEFT JOIN results r ON r.id = d.result_id
                WHERE d.payer_id = \(payer) AND d.status = 'succeeded' AND d.period BETWEEN \(Self.int(from)) AND \(Self.int(through))
                ORDER BY d.period, d.id
                """).map { row in
                CertificateEntry(
                    debitID: try row.int("id"), period: Self.period(try row.count("period")), amount: try row.money("amount_fen"), bank: try row.text("bank"),
                    collectionDate: Self.date(try row.text("collection_date")), debitFile: try row.text("debit_file"), bankSerial: try row.text("bank_serial"),
                    voucher: try row.optionalText("voucher"))
            }
        }
    }

    public func reviewAfterBank(_ subject: AfterBankException.Subject, id: Int64, note: String, actor: String) async throws -> Bool {
        try await writeLedger { session in
            let table: LedgerSQL = subject == .statementEntry ? "statement_entries" : "treasury_lines"
            guard try await session.row("SELECT id FROM \(sql: table) WHERE id = \(id)") != nil else {
                throw StoreError.notFound(AfterBankText.noLine(subject.rawValue, id))
            }
            let changed = try await session.changes("""
                INSERT INTO reviews (subject, subject_id, note, actor, at) VALUES (\(subject.rawValue), \(id), \(note), \(actor), \(Self.now()))
                ON CONFLICT (subject, subject_id) DO NOTHING
                """)
            if changed > 0 {
                try await Self.appendJournal(session, actor: actor, action: "afterbank.review", subject: "\(subject.rawValue) \(id)", detail: note)
            }
            return changed > 0
        }
    }
}

enum AfterBankText {
    static func noLine(_ subject: String, _ id: Int64) -> Message {
        subject == "statement_entry"
            ? Message(zh: "对账库中没有对账单明细 \(id)", en: "no statement entry \(id) in the store")
            : Message(zh: "对账库中没有国库对账明细 \(id)", en: "no treasury line \(id) in the store")
    }
}
