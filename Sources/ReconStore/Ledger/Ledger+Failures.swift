import PikouCore

/// Failed debits whose dues no later debit covers, with what the operators need to decide their
/// next step — written once for both backends.
extension LedgerStore {
    public func failures(_ filter: FailureFilter) async throws -> [FailureRecord] {
        try await readLedger { session in
            var records: [FailureRecord] = []
            for row in try await session.rows(Self.failureQuery(filter, columns: """
                d.id, d.period, d.payer_id, d.id_number, d.name, d.account, d.amount_fen, d.outcome, d.agreement_version,
                f.bank, f.name AS file_name, f.collection_date,
                p.phone, p.district, p.street, p.community,
                COALESCE(r.bank_code, '') AS bank_code, COALESCE(r.bank_text, '') AS bank_text,
                a.id AS agreement_id, a.account AS current_account, a.account_name, a.agreement_no, a.status AS agreement_status, a.version,
                COALESCE((SELECT MAX(e.suspended) FROM enrollments e WHERE e.payer_id = d.payer_id AND e.bank = f.bank), 0) AS suspended,
                (SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM debit_items x
                                     WHERE x.due_id IN (SELECT due_id FROM debit_items WHERE debit_id = d.id) GROUP BY x.due_id) counts) AS attempts,
                EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round') AS in_round
                """, joins: "JOIN agreements a ON a.id = d.agreement_id LEFT JOIN results r ON r.id = d.result_id")) {
                let debitID = try row.int("id")
                let agreement = AgreementSnapshot(
                    id: try row.int("agreement_id"), bank: try row.text("bank"), account: BankAccount(stored: try row.text("current_account")),
                    accountName: try row.text("account_name"), agreementNo: try row.text("agreement_no"),
                    active: try row.text("agreement_status") == "active", version: try row.int("version"))
                let dues = try await session.rows("""
                    SELECT du.id, du.period, du.amount_fen,
                           EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period) AS paid_elsewhere
                    FROM debit_items di JOIN dues du ON du.id = di.due_id WHERE di.debit_id = \(debitID) ORDER BY du.period, du.insurance
                    """).map {
                    FailedDue(dueID: try $0.int("id"), period: Self.period(try $0.count("period")), amount: try $0.money("amount_fen"),
                              paidElsewhere: try $0.bool("paid_elsewhere"))
                }
                var record = FailureRecord(
                    debitID: debitID, period: Self.period(try row.count("period")), bank: try row.text("bank"), fileName: try row.text("file_name"),
                    attemptDate: Self.date(try row.text("collection_date")), payerID: try row.int("payer_id"), idNumber: IDNumber(stored: try row.text("id_number")),
                    name: try row.text("name"), phone: try row.text("phone"), district: try row.text("district"), street: try row.text("street"),
                    community: try row.text("community"), account: BankAccount(stored: try row.text("account")), amount: try row.money("amount_fen"),
                    outcome: Outcome(rawValue: try row.optionalText("outcome") ?? "") ?? .unknown,
                    bankCode: try row.text("bank_code"), bankText: try row.text("bank_text"), attempts: Int(try row.optionalInt("attempts") ?? 1),
                    agreementVersionAtDebit: try row.int("agreement_version"), agreement: agreement, suspended: try row.bool("suspended"),
                    dues: dues)
                record.scheme = try row.bool("in_round") ? .residentsAnnual : .flexibleMonthly
                records.append(record)
            }
            return records
        }
    }

    public func failureIDs(_ filter: FailureFilter) async throws -> [Int64] {
        try await readLedger { session in try await session.rows(Self.failureQuery(filter, columns: "d.id", joins: "")).map { try $0.int("id") } }
    }

    /// ``failures(_:)``'s statement with `columns` and extra `joins` (over `debits d`, `files f`,
    /// `payers p`): failed debits whose dues no later debit covers, and each condition the filter sets.
    static func failureQuery(_ filter: FailureFilter, columns: String, joins: String) -> LedgerSQL {
        var sql = LedgerSQL(stringLiteral: """
            SELECT \(columns)
            FROM debits d
            JOIN files f ON f.id = d.file_id
            JOIN payers p ON p.id = d.payer_id
            \(joins)
            WHERE d.status = 'failed'
              AND NOT EXISTS (SELECT 1 FROM debit_items mine JOIN debit_items later ON later.due_id = mine.due_id AND later.debit_id > mine.debit_id
                              WHERE mine.debit_id = d.id)
            """)
        if let period = filter.period { sql = sql + " AND d.period = \(Self.int(period))" }
        if let bank = filter.bank { sql = sql + " AND f.bank = \(bank)" }
        if let outcome = filter.outcome { sql = sql + " AND d.outcome = \(outcome.rawValue)" }
        if let district = filter.district { sql = sql + " AND p.district = \(district)" }
        if let street = filter.street { sql = sql + " AND p.street = \(street)" }
        if let community = filter.community { sql = sql + " AND p.community = \(community)" }
        if let id = filter.idNumber { sql = sql + " AND d.id_number = \(id.value)" }
        if let scheme = filter.scheme {
            sql = sql + LedgerSQL(stringLiteral: " AND \(scheme == .residentsAnnual ? "" : "NOT ")EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round')")
        }
        if let ids = filter.debitIDs { sql = sql + (ids.isEmpty ? " AND 1 = 0" : " AND d.id IN (\(sql: LedgerSQL.list(ids)))") }
        return sql + " ORDER BY f.bank, d.id"
    }
}
