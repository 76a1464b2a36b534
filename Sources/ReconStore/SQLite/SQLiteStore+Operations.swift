public import PikouCore
import Foundation
import GRDB

/// Operators' and finance staff's queries and corrections.
extension SQLiteStore {







    public func report(period: Period, by grouping: ReportGrouping) async throws -> [ReportRow] {
        try await pool.read { db in
            let p = Self.int(period)
            var rows: [String: ReportRow] = [:]
            // Dues side (not meaningful per file or per outcome).
            let payerKey: String? = switch grouping {
            case .bank: "e.bank"
            case .district: "py.district"
            case .street: "py.district || ' ' || py.street"
            case .community: "py.district || ' ' || py.street || ' ' || py.community"
            case .file, .outcome: nil
            }
            if let payerKey {
                let sql = """
                    WITH due_state AS (
                      SELECT du.payer_id, du.amount_fen, \(payerKey) AS grp,
                             (EXISTS (SELECT 1 FROM debit_items di WHERE di.due_id = du.id AND di.state = 'succeeded')
                              OR EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period)) AS paid
                      FROM dues du JOIN payers py ON py.id = du.payer_id
                      JOIN enrollments e ON e.payer_id = du.payer_id AND e.insurance = du.insurance
                      WHERE du.period = ? AND du.scheme = 'flexible-monthly'
                    ), per_payer AS (
                      SELECT grp, payer_id, SUM(amount_fen) AS owing, SUM(CASE WHEN paid THEN amount_fen ELSE 0 END) AS paid_fen, MIN(paid) AS all_paid
                      FROM due_state GROUP BY grp, payer_id
                    )
                    SELECT grp, COUNT(*) AS payers, SUM(owing) AS owing, SUM(all_paid) AS paid_payers, SUM(paid_fen) AS paid_fen
                    FROM per_payer GROUP BY grp
                    """
                for row in try Row.fetchAll(db, sql: sql, arguments: [p]) {
                    let group: String = row["grp"]
                    var line = rows[group] ?? ReportRow(group: group)
                    line.payersOwing = row["payers"]
                    line.owingFen = row["owing"]
                    line.payersPaid = row["paid_payers"]
                    line.paidFen = row["paid_fen"]
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
            let sql = """
                SELECT \(debitKey) AS grp, COUNT(*) AS n, SUM(d.amount_fen) AS fen,
                       COUNT(CASE WHEN d.status = 'succeeded' THEN 1 END) AS ok_n, COALESCE(SUM(CASE WHEN d.status = 'succeeded' THEN d.amount_fen END), 0) AS ok_fen,
                       COUNT(CASE WHEN d.status = 'failed' THEN 1 END) AS bad_n, COALESCE(SUM(CASE WHEN d.status = 'failed' THEN d.amount_fen END), 0) AS bad_fen,
                       COUNT(CASE WHEN d.status = 'pending' THEN 1 END) AS wait_n, COALESCE(SUM(CASE WHEN d.status = 'pending' THEN d.amount_fen END), 0) AS wait_fen
                FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id JOIN payers py ON py.id = d.payer_id
                WHERE b.period = ? AND b.kind <> 'round' GROUP BY grp
                """
            for row in try Row.fetchAll(db, sql: sql, arguments: [p]) {
                let group: String = row["grp"]
                var line = rows[group] ?? ReportRow(group: group)
                line.lines = row["n"]
                line.linesFen = row["fen"]
                line.succeeded = row["ok_n"]
                line.succeededFen = row["ok_fen"]
                line.failed = row["bad_n"]
                line.failedFen = row["bad_fen"]
                line.pending = row["wait_n"]
                line.pendingFen = row["wait_fen"]
                rows[group] = line
            }
            return rows.values.sorted { $0.group < $1.group }
        }
    }









}
