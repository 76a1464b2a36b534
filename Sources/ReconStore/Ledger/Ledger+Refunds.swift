import PikouCore

/// Refunds (退费) written once for both backends: the dues to pay back, the instruction files and the
/// bank's results. PikouCycle plans and matches; this keeps what it decided, and refuses in the same
/// transaction any refund that would take back more than a due's debits collected.
extension LedgerStore {
    /// What refunds paid back of the due `due` (an SQL expression naming it), in fen: the 退费 list,
    /// `check` and the candidates read it alike.
    static func paidBackFen(_ due: String) -> LedgerSQL {
        LedgerSQL(stringLiteral: """
            COALESCE((SELECT SUM(r.amount_fen) FROM refunds r JOIN refund_results rr ON rr.refund_id = r.id
                      WHERE r.due_id = \(due) AND rr.outcome = 'succeeded'), 0)
            """)
    }

    /// The dues (`due_id`) whose refunds, paid and pending, exceed what their debits collected
    /// (`refunds` filtered by `filter`, an SQL condition on `r`): the rule, as the recording
    /// transaction and `check` both test it.
    static func refundsBeyondCollected(_ filter: LedgerSQL) -> LedgerSQL {
        """
        SELECT r.due_id FROM refunds r LEFT JOIN refund_results rr ON rr.refund_id = r.id
        WHERE (\(sql: filter)) AND (rr.id IS NULL OR rr.outcome = 'succeeded')
        GROUP BY r.due_id
        HAVING SUM(r.amount_fen) > (SELECT du.amount_fen * (SELECT COUNT(*) FROM debit_items x WHERE x.due_id = du.id AND x.state = 'succeeded')
                                    FROM dues du WHERE du.id = r.due_id)
        ORDER BY r.due_id
        """
    }

    public func refundCandidates(period: Period, bank: String?) async throws -> [RefundCandidate] {
        try await readLedger { session in
            let bankFilter: LedgerSQL = bank.map { "AND f.bank = \($0)" } ?? ""
            var seen = Set<Int64>()
            var candidates: [RefundCandidate] = []
            // Newest debit first: a due collected twice is paid back to the account of its latest debit.
            for row in try await session.rows("""
                SELECT du.id AS due_id, du.payer_id, du.insurance, du.period, du.amount_fen, d.id AS debit_id, f.bank,
                       d.id_number, d.name, d.account, d.agreement_no,
                       (SELECT COUNT(*) FROM debit_items x WHERE x.due_id = du.id AND x.state = 'succeeded') AS collected_times,
                       CAST(\(sql: Self.paidBackFen("du.id")) AS BIGINT) AS refunded_fen,
                       CAST(COALESCE((SELECT SUM(r.amount_fen) FROM refunds r
                                      WHERE r.due_id = du.id AND NOT EXISTS (SELECT 1 FROM refund_results rr WHERE rr.refund_id = r.id)), 0) AS BIGINT) AS pending_fen
                FROM dues du
                JOIN debit_items di ON di.due_id = du.id AND di.state = 'succeeded'
                JOIN debit_rows d ON d.id = di.debit_id JOIN files f ON f.id = d.file_id
                WHERE du.period = \(Self.int(period)) AND du.scheme = 'flexible-monthly' \(sql: bankFilter)
                  AND EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period)
                ORDER BY du.id, d.id DESC
                """) {
                let due = try row.int("due_id")
                guard seen.insert(due).inserted else { continue }
                let (collected, overflow) = try row.int("amount_fen").multipliedReportingOverflow(by: try row.int("collected_times"))
                guard !overflow else { throw StoreError.conflict(Message(zh: "欠费 \(due) 的已扣金额超出范围", en: "due \(due): the collected amount is out of range")) }
                candidates.append(RefundCandidate(
                    dueID: due, payerID: try row.int("payer_id"), debitID: try row.int("debit_id"), bank: try row.text("bank"),
                    idNumber: try row.text("id_number"), name: try row.text("name"), account: try row.text("account"),
                    agreementNo: try row.text("agreement_no"), period: Self.period(try row.count("period")), insurance: try row.text("insurance"),
                    collected: Money(fen: collected), refunded: try row.money("refunded_fen"), pending: try row.money("pending_fen")))
            }
            return candidates.sorted { ($0.bank, $0.payerID, $0.dueID) < ($1.bank, $1.payerID, $1.dueID) }
        }
    }

    public func nextRefundBatch(bank: String, date: CivilDate) async throws -> Int {
        try await readLedger { session in
            try await session.rows("""
                SELECT CAST(COALESCE(MAX(batch_no), 0) + 1 AS BIGINT) AS next FROM refund_files WHERE bank = \(bank) AND file_date = \(date.description)
                """).first?.count("next") ?? 1
        }
    }

    public func recordRefundFile(_ file: RefundFileRecord, actor: String) async throws -> Int64 {
        try await writeLedger { session in
            let taken = try await session.rows("""
                SELECT id FROM refund_files WHERE bank = \(file.bank) AND (name = \(file.name) OR (file_date = \(file.fileDate.description) AND batch_no = \(file.batchNo)))
                """)
            guard taken.isEmpty else {
                throw StoreError.conflict(Message(zh: "\(file.bank) 的退费文件 \(file.name)（批次 \(file.batchNo)）已记录过：请重新运行 refunds write",
                                                  en: "\(file.bank)'s refund file \(file.name) (batch \(file.batchNo)) is recorded already: run refunds write again"))
            }
            let id = try await session.insert("""
                INSERT INTO refund_files (bank, name, digest, period, file_date, batch_no, line_count, total_fen, written_at, actor)
                VALUES (\(file.bank), \(file.name), \(file.digest), \(Self.int(file.period)), \(file.fileDate.description), \(file.batchNo),
                        \(file.lines.count), \(file.total.fen), \(Self.now()), \(actor))
                """)
            let lines = file.lines
            try await session.load(into: "refunds",
                                   columns: ["refund_file_id", "seq", "due_id", "payer_id", "debit_id", "id_number", "name", "account", "agreement_no",
                                             "period", "insurance", "amount_fen"],
                                   count: lines.count) { index, row in
                let line = lines[index]
                row.add(id)
                row.add(Int64(line.sequence))
                row.add(line.dueID)
                row.add(line.payerID)
                row.add(line.debitID)
                row.add(line.idNumber)
                row.add(line.name)
                row.add(line.account)
                row.add(line.agreementNo)
                row.add(Int64(Self.int(line.period)))
                row.add(line.insurance)
                row.add(line.amount.fen)
            }
            // The rule, where the refunds meet: what is paid back or on its way never exceeds what the
            // due's debits collected (whoever else wrote refunds meanwhile).
            let over = try await session.rows(Self.refundsBeyondCollected("r.due_id IN (SELECT due_id FROM refunds WHERE refund_file_id = \(id))"))
            if let due = try over.first?.int("due_id") {
                throw StoreError.conflict(Message(zh: "欠费 \(due) 的退费将超过扣款已收金额；未记录该退费文件",
                                                  en: "due \(due) would be refunded more than its debits collected; the refund file is not recorded"))
            }
            try await Self.appendJournal(session, actor: actor, action: "refund.write", subject: "\(file.bank)/\(file.name)",
                                         detail: "digest \(file.digest); \(lines.count) lines, \(file.total.yuanText) yuan")
            return id
        }
    }

    public func refundFile(bank: String, fileDate: CivilDate, batchNo: Int) async throws -> RefundFile? {
        try await readLedger { session in
            guard let file = try await session.rows("""
                SELECT id, name FROM refund_files WHERE bank = \(bank) AND file_date = \(fileDate.description) AND batch_no = \(batchNo)
                """).first else { return nil }
            let id = try file.int("id")
            var lines: [RefundInstruction] = []
            var ids: [Int: Int64] = [:]
            var answered = Set<Int>()
            for row in try await session.rows("""
                SELECT r.id, r.seq, r.due_id, r.payer_id, r.debit_id, r.id_number, r.name, r.account, r.agreement_no, r.period, r.insurance, r.amount_fen,
                       rr.id AS result_id
                FROM refunds r LEFT JOIN refund_results rr ON rr.refund_id = r.id WHERE r.refund_file_id = \(id) ORDER BY r.seq
                """) {
                let sequence = try row.count("seq")
                lines.append(RefundInstruction(
                    sequence: sequence, dueID: try row.int("due_id"), payerID: try row.int("payer_id"), debitID: try row.int("debit_id"),
                    idNumber: try row.text("id_number"), name: try row.text("name"), account: try row.text("account"),
                    agreementNo: try row.text("agreement_no"), period: Self.period(try row.count("period")), insurance: try row.text("insurance"),
                    amount: try row.money("amount_fen")))
                ids[sequence] = try row.int("id")
                if try row.optionalInt("result_id") != nil { answered.insert(sequence) }
            }
            let digests = try await session.rows("SELECT digest FROM refund_result_files WHERE refund_file_id = \(id)").map { try $0.text("digest") }
            return RefundFile(id: id, bank: bank, name: try file.text("name"), fileDate: fileDate, batchNo: batchNo, lines: lines, refundIDs: ids, answered: answered,
                              resultDigests: Set(digests))
        }
    }

    public func recordRefundResults(_ record: RefundResultRecord, actor: String) async throws -> AfterBankPosting {
        try await writeLedger { session in
            let inserted = try await session.rows("""
                INSERT INTO refund_result_files (bank, name, digest, refund_file_id, line_count, ingested_at, actor)
                VALUES (\(record.bank), \(record.name), \(record.digest), \(record.instructionFileID), \(record.results.count), \(Self.now()), \(actor))
                ON CONFLICT (bank, digest) DO NOTHING RETURNING id
                """)
            guard let id = try inserted.first?.int("id") else { return .alreadyRecorded }
            let results = record.results
            let answered = try await session.rows("""
                SELECT rr.refund_id FROM refund_results rr JOIN refunds r ON r.id = rr.refund_id WHERE r.refund_file_id = \(record.instructionFileID)
                """)
            let before = Set(try answered.map { try $0.int("refund_id") })
            if let twice = results.first(where: { before.contains($0.refundID) }) {
                throw StoreError.conflict(Message(zh: "退费 \(twice.refundID) 已有银行结果；未记录该回盘", en: "refund \(twice.refundID) has the bank's result already; the result file is not recorded"))
            }
            try await session.load(into: "refund_results", columns: ["refund_id", "result_file_id", "outcome", "bank_serial"], count: results.count) { index, row in
                let result = results[index]
                row.add(result.refundID)
                row.add(id)
                row.add(result.outcome)
                row.add(result.bankSerial)
            }
            var states: [String: Int] = [:]
            for result in results { states[result.outcome == Outcome.succeeded.rawValue ? RefundState.paid.rawValue : RefundState.failed.rawValue, default: 0] += 1 }
            try await Self.appendJournal(session, actor: actor, action: "refund.ingest", subject: "\(record.bank)/\(record.name)",
                                         detail: "digest \(record.digest); " + states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            return .recorded(states: states)
        }
    }

    public func refundLines(period: Period) async throws -> [RefundLine] {
        try await readLedger { session in
            try await session.rows("""
                SELECT r.id, rf.bank, rf.name AS file_name, rf.file_date, r.id_number, r.name, r.period, r.insurance, r.amount_fen, rr.outcome,
                       CASE WHEN EXISTS (SELECT 1 FROM treasury_lines t JOIN treasury_files tf ON tf.id = t.treasury_file_id
                                         AND tf.id = (SELECT MAX(x.id) FROM treasury_files x WHERE x.bank = tf.bank AND x.recon_date = tf.recon_date)
                                         WHERE t.refund_id = r.id AND t.state = 'refunded') THEN 1 ELSE 0 END AS confirmed
                FROM refunds r JOIN refund_files rf ON rf.id = r.refund_file_id LEFT JOIN refund_results rr ON rr.refund_id = r.id
                WHERE r.period = \(Self.int(period)) ORDER BY rf.bank, r.id
                """).map { row in
                let outcome = try row.optionalText("outcome")
                return RefundLine(
                    id: try row.int("id"), bank: try row.text("bank"), fileName: try row.text("file_name"), fileDate: Self.date(try row.text("file_date")), idNumber: try row.text("id_number"),
                    name: try row.text("name"), period: Self.period(try row.count("period")), insurance: try row.text("insurance"),
                    amount: try row.money("amount_fen"),
                    state: outcome == nil ? .pending : outcome == Outcome.succeeded.rawValue ? .paid : .failed,
                    outcome: outcome ?? "", treasuryConfirmed: try row.bool("confirmed"))
            }
        }
    }

    public func treasuryRefunds(bank: String, date: CivilDate) async throws -> [TreasuryRefund] {
        try await readLedger { session in
            try await session.rows("""
                SELECT r.id, r.id_number, r.period, r.amount_fen, rr.bank_serial
                FROM refunds r JOIN refund_files rf ON rf.id = r.refund_file_id JOIN refund_results rr ON rr.refund_id = r.id
                WHERE rf.bank = \(bank) AND rf.file_date = \(date.description) AND rr.outcome = 'succeeded' ORDER BY r.id
                """).map { row in
                TreasuryRefund(refundID: try row.int("id"), idNumber: try row.text("id_number"), period: String(try row.int("period")),
                               amount: try row.money("amount_fen"), bankSerial: try row.text("bank_serial"))
            }
        }
    }
}
