import PikouCore

/// The reconciliation of a period, grouped: the dues side (who owes, who paid) and the debits side
/// (the period's files, cycle and resubmissions) — written once for both backends.
extension LedgerStore {
    public func debitCounts(from first: Period, through last: Period) async throws -> [DebitCount] {
        try await readLedger { session in
            try await session.rows("""
                SELECT b.period AS period, f.bank AS bank, b.kind AS kind, d.status AS status, COALESCE(d.outcome, '') AS outcome, COUNT(*) AS n
                FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id
                WHERE b.period >= \(Self.int(first)) AND b.period <= \(Self.int(last)) AND b.kind <> 'round'
                GROUP BY b.period, f.bank, b.kind, d.status, COALESCE(d.outcome, '')
                """).map { row in
                DebitCount(period: Self.period(try row.count("period")), bank: try row.text("bank"), resubmission: try row.text("kind") == "resubmit",
                           status: try row.text("status"), outcome: Outcome(rawValue: try row.text("outcome")), count: try row.count("n"))
            }
        }
    }

    public func report(period: Period, by grouping: ReportGrouping) async throws -> [ReportRow] {
        let p = Self.int(period)
        // The grouping expressions are fixed text, never input.
        let payerKey: String? = switch grouping {
        case .bank: "e.bank"
        case .district: "py.district"
        case .street: "py.district || ' ' || py.street"
        case .community: "py.district || ' ' || py.street || ' ' || py.community"
        case .file, .outcome: nil  // not meaningful on the dues side
        }
        let debitKey = switch grouping {
        case .bank: "f.bank"
        case .file: "f.bank || '/' || f.name"
        case .district: "py.district"
        case .street: "py.district || ' ' || py.street"
        case .community: "py.district || ' ' || py.street || ' ' || py.community"
        case .outcome: "COALESCE(d.outcome, 'pending')"
        }
        return try await readLedger { session in
            // Hash joins only: a month's aggregate, read right after a return file's bulk load, before
            // PostgreSQL's statistics catch up — its planner looped over whole tables per due then (seen:
            // the report of a city of 100,000 never finished in 10 minutes on `make bench-quick
            // STORE=postgres`).
            try await session.hashJoinsOnly()
            var rows: [String: ReportRow] = [:]
            if let payerKey { try await Self.addDuesSide(period: p, key: payerKey, session, to: &rows) }
            try await Self.addDebitsSide(period: p, key: debitKey, session, to: &rows)
            return rows.values.sorted { $0.group < $1.group }
        }
    }

    /// The dues side of each group: payers owing and paid, and their sums (a due is paid when a debit
    /// of it succeeded or it was paid through another channel). The month's collected and paid-elsewhere
    /// dues are sets joined once, not a subquery per due.
    private static func addDuesSide(period p: Int, key payerKey: String, _ session: any LedgerSession, to rows: inout [String: ReportRow]) async throws {
        for row in try await session.rows("""
            WITH collected AS (
              SELECT DISTINCT dd.due_id AS id FROM dues du2 JOIN debit_dues dd ON dd.due_id = du2.id
              JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1 AND r.outcome = 'succeeded'
              WHERE du2.period = \(p)
              UNION
              SELECT dd.due_id FROM confirmations c JOIN debit_dues dd ON dd.debit_id = c.debit_id JOIN dues du4 ON du4.id = dd.due_id
              WHERE c.outcome = 'succeeded' AND du4.period = \(p)
            ), elsewhere AS (
              SELECT DISTINCT du3.id FROM dues du3
              JOIN payments pm ON pm.payer_id = du3.payer_id AND pm.insurance = du3.insurance AND pm.period = du3.period
              WHERE du3.period = \(p)
            ), due_state AS (
              SELECT du.payer_id, du.amount_fen, \(sql: LedgerSQL(stringLiteral: payerKey)) AS grp,
                     CASE WHEN c.id IS NOT NULL OR x.id IS NOT NULL THEN 1 ELSE 0 END AS paid
              FROM dues du JOIN payers py ON py.id = du.payer_id
              JOIN enrollments e ON e.payer_id = du.payer_id AND e.insurance = du.insurance
              LEFT JOIN collected c ON c.id = du.id LEFT JOIN elsewhere x ON x.id = du.id
              WHERE du.period = \(p) AND du.scheme = 'flexible-monthly'
            ), per_payer AS (
              SELECT grp, payer_id, SUM(amount_fen) AS owing, SUM(CASE WHEN paid = 1 THEN amount_fen ELSE 0 END) AS paid_fen, MIN(paid) AS all_paid
              FROM due_state GROUP BY grp, payer_id
            )
            SELECT grp, COUNT(*) AS payers, CAST(SUM(owing) AS BIGINT) AS owing, CAST(SUM(all_paid) AS BIGINT) AS paid_payers,
                   CAST(SUM(paid_fen) AS BIGINT) AS paid_fen
            FROM per_payer GROUP BY grp
            """) {
            let group = try row.text("grp")
            var line = rows[group] ?? ReportRow(group: group)
            (line.payersOwing, line.owingFen) = (try row.count("payers"), try row.int("owing"))
            (line.payersPaid, line.paidFen) = (try row.count("paid_payers"), try row.int("paid_fen"))
            rows[group] = line
        }
    }

    /// The debits side of each group: lines sent, succeeded, failed and pending, and their sums.
    private static func addDebitsSide(period p: Int, key debitKey: String, _ session: any LedgerSession, to rows: inout [String: ReportRow]) async throws {
    for row in try await session.rows("""
        SELECT \(sql: LedgerSQL(stringLiteral: debitKey)) AS grp, COUNT(*) AS n, CAST(SUM(d.amount_fen) AS BIGINT) AS fen,
               COUNT(CASE WHEN d.status = 'succeeded' THEN 1 END) AS ok_n,
               CAST(COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN d.amount_fen END), 0) AS BIGINT) AS ok_fen,
               COUNT(CASE WHEN d.status = 'failed' THEN 1 END) AS bad_n,
               CAST(COALESCE(SUM(CASE WHEN d.status = 'failed' THEN d.amount_fen END), 0) AS BIGINT) AS bad_fen,
               COUNT(CASE WHEN d.status = 'pending' THEN 1 END) AS wait_n,
               CAST(COALESCE(SUM(CASE WHEN d.status = 'pending' THEN d.amount_fen END), 0) AS BIGINT) AS wait_fen
        FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id JOIN payers py ON py.id = d.payer_id
        WHERE b.period = \(p) AND b.kind <> 'round' GROUP BY grp
        """) {
        let group = try row.text("grp")
        var line = rows[group] ?? ReportRow(group: group)
        (line.lines, line.linesFen) = (try row.count("n"), try row.int("fen"))
        (line.succeeded, line.succeededFen) = (try row.count("ok_n"), try row.int("ok_fen"))
        (line.failed, line.failedFen) = (try row.count("bad_n"), try row.int("bad_fen"))
        (line.pending, line.pendingFen) = (try row.count("wait_n"), try row.int("wait_fen"))
        rows[group] = line
    }
    }
}
