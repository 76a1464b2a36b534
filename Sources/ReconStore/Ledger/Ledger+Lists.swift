import PikouCore

/// Finance's lists and the return files' totals for 钱表相符 — written once for both backends.
extension LedgerStore {
    public func returnTotals(period: Period) async throws -> [ReturnTotals] {
        try await readLedger { session in
            try await session.rows("""
                SELECT r.bank, r.name, f.name AS debit_file, r.declared_count, r.declared_total_fen,
                       (SELECT COUNT(*) FROM results x WHERE x.return_file_id = r.id) AS n,
                       (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM results x WHERE x.return_file_id = r.id) AS fen,
                       (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM results x
                        WHERE x.return_file_id = r.id AND x.posted = 1 AND x.outcome = 'succeeded') AS ok_fen,
                       (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM results x
                        WHERE x.return_file_id = r.id AND x.posted = 1 AND x.outcome <> 'succeeded') AS bad_fen
                FROM return_files r JOIN files f ON f.id = r.debit_file_id JOIN batches b ON b.id = f.batch_id
                WHERE b.period = \(Self.int(period)) AND b.kind <> 'round' ORDER BY r.bank, r.id
                """).map {
                ReturnTotals(bank: try $0.text("bank"), name: try $0.text("name"), debitFile: try $0.text("debit_file"),
                             declaredCount: try $0.optionalInt("declared_count").map(Int.init), declaredFen: try $0.optionalInt("declared_total_fen"),
                             storedCount: try $0.count("n"), storedFen: try $0.int("fen"), succeededFen: try $0.int("ok_fen"), failedFen: try $0.int("bad_fen"))
            }
        }
    }

    /// 公示清册: who paid for `period` (by debit or elsewhere), of one community or all.
    public func paidList(period: Period, community: String?) async throws -> [PayerLine] {
        try await readLedger { session in
            try await session.rows("""
                SELECT py.id_number, py.name, py.phone, py.district, py.street, py.community, CAST(SUM(du.amount_fen) AS BIGINT) AS fen,
                       \(sql: session.dialect.joined("du.insurance", separator: ",", distinct: true)) AS insurances
                FROM dues du JOIN payers py ON py.id = du.payer_id
                WHERE du.period = \(Self.int(period)) AND du.scheme = 'flexible-monthly'
                  AND (EXISTS (SELECT 1 FROM debit_items di WHERE di.due_id = du.id AND di.state = 'succeeded')
                       OR EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period))
                  AND (CAST(\(community) AS TEXT) IS NULL OR py.community = \(community))
                GROUP BY py.id ORDER BY py.district, py.street, py.community, py.id_number
                """).map(Self.payerLine)
        }
    }

    /// 断缴提醒: payers whose debits failed `months` periods in a row through `period`: a period
    /// counts as failed when a cycle debit of it failed and nothing of it was settled since — no
    /// debit of it succeeded (a resubmission's included) or waits for the bank's answer, and not every
    /// due of the failed debit was paid elsewhere (a counter payment of each insurance it carried).
    public func interrupted(months: Int, through period: Period) async throws -> [PayerLine] {
        let first = Self.int(period.advanced(by: -(months - 1))), last = Self.int(period)
        return try await readLedger { session in
            // Per payer and period: did any debit of it succeed or still wait, or a cycle debit fail?
            // The amount is the cycle's (a resubmission debits the same dues again).
            try await session.rows("""
                WITH per_period AS (
                  SELECT d.payer_id, b.period, MAX(CASE WHEN d.status = 'succeeded' THEN 1 ELSE 0 END) AS ok,
                         MAX(CASE WHEN d.status = 'pending' AND b.kind = 'resubmit' THEN 1 ELSE 0 END) AS waiting,
                         MAX(CASE WHEN d.status = 'failed' AND b.kind = 'cycle' THEN 1 ELSE 0 END) AS bad,
                         SUM(CASE WHEN b.kind = 'cycle' THEN d.amount_fen ELSE 0 END) AS fen, MAX(d.outcome) AS outcome
                  FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id
                  WHERE b.kind IN ('cycle', 'resubmit') AND b.period BETWEEN \(first) AND \(last)
                    AND EXISTS (SELECT 1 FROM debit_dues dd JOIN dues du ON du.id = dd.due_id WHERE dd.debit_id = d.id
                                AND NOT EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period))
                  GROUP BY d.payer_id, b.period
                )
                SELECT py.id_number, py.name, py.phone, py.district, py.street, py.community, CAST(SUM(pp.fen) AS BIGINT) AS fen,
                       \(sql: session.dialect.joined("pp.outcome", separator: ",", orderBy: "pp.period")) AS insurances
                FROM per_period pp JOIN payers py ON py.id = pp.payer_id
                GROUP BY py.id
                HAVING COUNT(*) = \(months) AND SUM(pp.ok) = 0 AND SUM(pp.waiting) = 0 AND SUM(pp.bad) = \(months)
                ORDER BY py.district, py.street, py.community, py.id_number
                """).map(Self.payerLine)
        }
    }

    /// 退费: dues the bank debited that were also paid elsewhere, and not yet paid back.
    public func refunds(period: Period) async throws -> [PayerLine] {
        try await readLedger { session in
            let paidAlso = """
                du.insurance || ' ' || du.period || ' debit + ' || (SELECT pm.channel || ':' || pm.reference FROM payments pm
                  WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period LIMIT 1)
                """
            return try await session.rows("""
                SELECT py.id_number, py.name, py.phone, py.district, py.street, py.community, CAST(SUM(du.amount_fen) AS BIGINT) AS fen,
                       \(sql: session.dialect.joined(paidAlso, separator: "; ", orderBy: "du.insurance")) AS insurances
                FROM dues du JOIN payers py ON py.id = du.payer_id
                WHERE du.period = \(Self.int(period)) AND du.scheme = 'flexible-monthly'
                  AND EXISTS (SELECT 1 FROM debit_items di WHERE di.due_id = du.id AND di.state = 'succeeded')
                  AND EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period)
                  AND \(sql: Self.paidBackFen("du.id")) < du.amount_fen
                GROUP BY py.id ORDER BY py.id_number
                """).map(Self.payerLine)
        }
    }

    public func debitSuccesses(period: Period) async throws -> [DebitSuccess] {
        try await readLedger { session in
            var byPayer: [Int64: DebitSuccess] = [:]
            var order: [Int64] = []
            // Oldest first: the latest success names the bank and account.
            for row in try await session.rows("""
                SELECT d.payer_id, py.id_number, py.name, py.phone, f.bank, d.account, d.amount_fen
                FROM debits d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id JOIN payers py ON py.id = d.payer_id
                WHERE b.period = \(Self.int(period)) AND b.kind <> 'round' AND d.status = 'succeeded'
                ORDER BY d.payer_id, d.id
                """) {
                let payer = try row.int("payer_id"), amount = try row.money("amount_fen")
                let tail = String(try row.text("account").suffix(4))
                if var known = byPayer[payer] {
                    known.amount = try [known.amount, amount].checkedSum()
                    (known.bank, known.accountTail) = (try row.text("bank"), tail)
                    byPayer[payer] = known
                } else {
                    order.append(payer)
                    byPayer[payer] = DebitSuccess(idNumber: IDNumber(stored: try row.text("id_number")), name: try row.text("name"), phone: try row.text("phone"),
                                                  bank: try row.text("bank"), accountTail: tail, amount: amount)
                }
            }
            return order.compactMap { byPayer[$0] }
        }
    }

    static func payerLine(_ row: LedgerRow) throws -> PayerLine {
        PayerLine(idNumber: IDNumber(stored: try row.text("id_number")), name: try row.text("name"), phone: try row.text("phone"),
                  district: try row.text("district"), street: try row.text("street"), community: try row.text("community"),
                  amount: try row.money("fen"), detail: try row.optionalText("insurances") ?? "")
    }
}
