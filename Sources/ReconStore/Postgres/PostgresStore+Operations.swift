public import PikouCore
import PostgresNIO

/// Operators' and finance staff's queries and corrections on PostgreSQL (the SQLite store's, translated).
extension PostgresStore {







    public func report(period: Period, by grouping: ReportGrouping) async throws -> [ReportRow] {
        let p = Int64(Self.int(period))
        return try await read { session in
            var rows: [String: ReportRow] = [:]
            // Dues side (not meaningful per file or per outcome). The grouping expressions are fixed text, never input.
            let payerKey: String? = switch grouping {
            case .bank: "e.bank"
            case .district: "py.district"
            case .street: "py.district || ' ' || py.street"
            case .community: "py.district || ' ' || py.street || ' ' || py.community"
            case .file, .outcome: nil
            }
            if let payerKey {
                var query = PostgresQuery(unsafeSQL: """
                    WITH due_state AS (
                      SELECT du.payer_id, du.amount_fen, \(payerKey) AS grp,
                             (EXISTS (SELECT 1 FROM debit_items di WHERE di.due_id = du.id AND di.state = 'succeeded')
                              OR EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period)) AS paid
                      FROM dues du JOIN payers py ON py.id = du.payer_id
                      JOIN enrollments e ON e.payer_id = du.payer_id AND e.insurance = du.insurance
                      WHERE du.period = $1 AND du.scheme = 'flexible-monthly'
                    ), per_payer AS (
                      SELECT grp, payer_id, SUM(amount_fen) AS owing, SUM(CASE WHEN paid THEN amount_fen ELSE 0 END) AS paid_fen, bool_and(paid) AS all_paid
                      FROM due_state GROUP BY grp, payer_id
                    )
                    SELECT grp, COUNT(*) AS payers, SUM(owing)::bigint AS owing, COUNT(*) FILTER (WHERE all_paid) AS paid_payers, SUM(paid_fen)::bigint AS paid_fen
                    FROM per_payer GROUP BY grp
                    """)
                query.binds.append(p)
                for row in try await session.rows(query) {
                    let group = try row.text("grp")
                    var line = rows[group] ?? ReportRow(group: group)
                    line.payersOwing = try row.count("payers")
                    line.owingFen = try row.int("owing")
                    line.payersPaid = try row.count("paid_payers")
                    line.paidFen = try row.int("paid_fen")
                    rows[group] = line
                }
            }
            // Debits side: the period's files (cycle and resubmissions).
            let debitKey = switch grouping {
            case .bank: "f.bank"
            case .file: "f.bank || '/' || f.name"
            case .district: "py.district"
            case .street: "py.district || ' ' || py.street"
            case .community: "py.district || ' ' || py.street || ' ' || py.community"
            case .outcome: "COALESCE(d.outcome, 'pending')"
            }
            var query = PostgresQuery(unsafeSQL: """
                SELECT \(debitKey) AS grp, COUNT(*) AS n, SUM(d.amount_fen)::bigint AS fen,
                       COUNT(CASE WHEN d.status = 'succeeded' THEN 1 END) AS ok_n, COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN d.amount_fen END), 0)::bigint AS ok_fen,
                       COUNT(CASE WHEN d.status = 'failed' THEN 1 END) AS bad_n, COALESCE(SUM(CASE WHEN d.status = 'failed' THEN d.amount_fen END), 0)::bigint AS bad_fen,
                       COUNT(CASE WHEN d.status = 'pending' THEN 1 END) AS wait_n, COALESCE(SUM(CASE WHEN d.status = 'pending' THEN d.amount_fen END), 0)::bigint AS wait_fen
                FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id JOIN payers py ON py.id = d.payer_id
                WHERE b.period = $1 AND b.kind <> 'round' GROUP BY grp
                """)
            query.binds.append(p)
            for row in try await session.rows(query) {
                let group = try row.text("grp")
                var line = rows[group] ?? ReportRow(group: group)
                line.lines = try row.count("n")
                line.linesFen = try row.int("fen")
                line.succeeded = try row.count("ok_n")
                line.succeededFen = try row.int("ok_fen")
                line.failed = try row.count("bad_n")
                line.failedFen = try row.int("bad_fen")
                line.pending = try row.count("wait_n")
                line.pendingFen = try row.int("wait_fen")
                rows[group] = line
            }
            return rows.values.sorted { $0.group < $1.group }
        }
    }









}
