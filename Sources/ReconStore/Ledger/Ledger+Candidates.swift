import PikouCore

/// The dues a cycle may debit, read a page of payers at a time — written once for both backends.
extension LedgerStore {
    public func dueCandidates(from earliest: Period, through latest: Period, bank: String?, scheme: Scheme) -> DueCandidates {
        DueCandidates { [self] in
            let pager = CandidatePager(store: self, earliest: Self.int(earliest), latest: Self.int(latest), bank: bank, scheme: scheme)
            return { try await pager.next() }
        }
    }
}

/// Reads due candidates a range of payer ids at a time (keys are dense: payers are only inserted),
/// the next page read while the caller composes this one (a connection of its own).
final class CandidatePager<Store: LedgerStore>: @unchecked Sendable {  // owned by one iterator, used by one task at a time
    let store: Store
    let earliest: Int, latest: Int, bank: String?, scheme: Scheme
    var lastFailure: [Int64: (Outcome, Int64)]?
    var maxPayer: Int64 = 0
    var after: Int64 = 0
    var prefetched: Task<[DueCandidate], any Error>?

    /// Payers per page: a page is one read, its candidates held until taken.
    static var pagePayers: Int64 { 20_000 }

    init(store: Store, earliest: Int, latest: Int, bank: String?, scheme: Scheme) {
        self.store = store
        self.earliest = earliest
        self.latest = latest
        self.bank = bank
        self.scheme = scheme
    }

    deinit { prefetched?.cancel() }

    func next() async throws -> [DueCandidate]? {
        if lastFailure == nil {
            // The latest decided debit per agreement: a failure there blocks until the agreement changes.
            let (failures, maxPayer) = try await store.readLedger { session in
                var lastFailure: [Int64: (Outcome, Int64)] = [:]
                // The latest result per agreement: a bank's, or one an operator confirmed with the bank.
                var latest: [Int64: (id: Int64, outcome: String, version: Int64)] = [:]
                try await session.forEachRow("""
                    SELECT d.agreement_id, r.outcome, d.agreement_version, d.id
                    FROM (SELECT d2.agreement_id, MAX(d2.id) AS id FROM debit_rows d2
                          JOIN results r2 ON r2.debit_id = d2.id AND r2.posted = 1 GROUP BY d2.agreement_id) last
                    JOIN debit_rows d ON d.id = last.id JOIN results r ON r.debit_id = d.id AND r.posted = 1
                    """) { row in
                    latest[try row.int(at: 0)] = (try row.int(at: 3), try row.text(at: 1), try row.int(at: 2))
                }
                try await session.forEachRow("""
                    SELECT d.agreement_id, c.outcome, d.agreement_version, d.id FROM confirmations c JOIN debit_rows d ON d.id = c.debit_id
                    """) { row in
                    let agreement = try row.int(at: 0), id = try row.int(at: 3)
                    if (latest[agreement]?.id ?? 0) < id { latest[agreement] = (id, try row.text(at: 1), try row.int(at: 2)) }
                }
                for (agreement, last) in latest {
                    if let outcome = Outcome(rawValue: last.outcome), outcome != .succeeded { lastFailure[agreement] = (outcome, last.version) }
                }
                return (lastFailure, try await session.row("SELECT MAX(id) AS n FROM payers")?.optionalInt("n") ?? 0)
            }
            lastFailure = failures
            self.maxPayer = maxPayer
        }
        guard after < maxPayer, let lastFailure else { return nil }
        let low = after, high = after + Self.pagePayers
        after = high
        let page = prefetched ?? Task { [self] in try await read(low: low, high: high, lastFailure: lastFailure) }
        if high < maxPayer {
            let next = (high, high + Self.pagePayers)
            prefetched = Task { [self] in try await read(low: next.0, high: next.1, lastFailure: lastFailure) }
        } else {
            prefetched = nil
        }
        return try await page.value
    }

    /// The due candidates of payers `low < id <= high`, by payer: three statements, each walking the
    /// page's dues once in the unique key's order (payer, insurance, period) — the dues with their
    /// payer, enrollment and agreement; the page's dues already debited (the live or succeeded debit,
    /// and the last cycle that sent each); the page's dues paid through another channel. A correlated
    /// subquery per due cost more than reading the page itself. Every table joined is bounded by the
    /// page's payer range too: otherwise PostgreSQL's planner hash-joins whole tables, and each page
    /// costs the size of the roster.
    private func read(low: Int64, high: Int64, lastFailure failures: [Int64: (Outcome, Int64)]) async throws -> [DueCandidate] {
        let (earliest, latest, bank, scheme) = (earliest, latest, bank, scheme)
        return try await store.readLedger { session in
            let dues = session.dialect.duesByPayer
            let (debited, paidElsewhere) = try await Self.coverage(low: low, high: high, earliest: earliest, latest: latest, session)
            // The page's four ranges (~20,000 rows each) are read once and hash- or merge-joined on
            // PostgreSQL: a nested loop probes an index per row, three times slower, and its planner picks
            // it whenever statistics lag a bulk load.
            try await session.hashJoinsOnly()
            var page: [DueCandidate] = []
            // A residents' due is debited while its yearly due carries it (re-priced to a zero personal part, it is not).
            let carried: LedgerSQL = scheme == .residentsAnnual ? " AND EXISTS (SELECT 1 FROM resident_dues rd WHERE rd.due_id = d.id)" : ""
            // Columns by position: this loop runs once per due of the window (millions at city scale).
            try await session.forEachRow("""
                SELECT d.id, d.payer_id, p.id_number, p.name, d.insurance, d.period, d.amount_fen, e.suspended,
                       a.id AS agreement_id, a.bank, a.account, a.account_name, a.agreement_no, a.status AS agreement_status, a.version
                FROM \(sql: dues)
                JOIN payers p ON p.id = d.payer_id
                JOIN enrollments e ON e.payer_id = d.payer_id AND e.insurance = d.insurance
                LEFT JOIN agreements a ON a.payer_id = d.payer_id AND a.bank = e.bank AND a.payer_id > \(low) AND a.payer_id <= \(high)
                WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
                  AND p.id > \(low) AND p.id <= \(high) AND e.payer_id > \(low) AND e.payer_id <= \(high)
                  AND (CAST(\(bank) AS TEXT) IS NULL OR e.bank = \(bank)) AND d.scheme = \(scheme.rawValue)\(sql: carried)
                ORDER BY d.payer_id, d.insurance, d.period
                """) { row in
                let dueID = try row.int(at: 0)
                let debit = debited[dueID]
                var agreement: AgreementSnapshot?
                if let agreementID = try row.optionalInt(at: 8) {
                    agreement = AgreementSnapshot(
                        id: agreementID, bank: try row.text(at: 9), account: BankAccount(stored: try row.text(at: 10)), accountName: try row.text(at: 11),
                        agreementNo: try row.text(at: 12), active: try row.text(at: 13) == "active", version: try row.int(at: 14))
                }
                let failure = agreement.flatMap { failures[$0.id] }
                guard let insurance = Insurance(try row.text(at: 4)) else {
                    let named = try row.text(at: 4)
                    throw StoreError.unavailable(Message(
                        zh: "欠费 \(dueID) 的险种 '\(named)' 不是 Pikou 认识的险种；对账库在 Pikou 之外被改动过",
                        en: "due \(dueID) names insurance '\(named)', which Pikou does not know; the store was changed outside Pikou"))
                }
                page.append(DueCandidate(
                    dueID: dueID, payerID: try row.int(at: 1), idNumber: IDNumber(stored: try row.text(at: 2)), name: try row.text(at: 3),
                    insurance: insurance, period: Store.period(Int(try row.int(at: 5))), amount: Money(fen: try row.int(at: 6)),
                    state: Store.dueState(covered: debit?.covered, paidElsewhere: paidElsewhere.contains(dueID)), suspended: try row.int(at: 7) != 0,
                    agreement: agreement, lastFailure: failure?.0, lastFailureAgreementVersion: failure?.1,
                    lastCyclePeriod: debit?.lastCycle.map { Store.period(Int($0)) }))
            }
            return page
        }
    }

    /// The page's dues already debited (2 = covered by a succeeded debit, 1 = by one still pending,
    /// 0 = only failed ones; and the last cycle that sent each) and those paid through another channel.
    private static func coverage(low: Int64, high: Int64, earliest: Int, latest: Int, _ session: any LedgerSession) async throws
        -> (debited: [Int64: (covered: Int64, lastCycle: Int64?)], paidElsewhere: Set<Int64>) {
        let dues = session.dialect.duesByPayer
        var debited: [Int64: (covered: Int64, lastCycle: Int64?)] = [:]
        try await session.forEachRow("""
            SELECT dd.due_id,
                   MAX(CASE WHEN r.id IS NOT NULL THEN (CASE WHEN r.outcome = 'succeeded' THEN 2 ELSE 0 END)
                            -- no bank line: an operator's confirmed result, else still pending
                            ELSE COALESCE((SELECT CASE WHEN c.outcome = 'succeeded' THEN 2 ELSE 0 END FROM confirmations c
                                           WHERE c.debit_id = dd.debit_id), 1) END) AS covered,
                   MAX(CASE WHEN b.kind = 'cycle' THEN b.period END) AS last_cycle
            FROM \(sql: dues)
            JOIN debit_dues dd ON dd.due_id = d.id
            JOIN debit_rows db ON db.id = dd.debit_id JOIN files f ON f.id = db.file_id JOIN batches b ON b.id = f.batch_id
            LEFT JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1
            WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
            GROUP BY dd.due_id
            """) { row in
            debited[try row.int(at: 0)] = (try row.int(at: 1), try row.optionalInt(at: 2))
        }
        var paidElsewhere: Set<Int64> = []
        try await session.forEachRow("""
            SELECT d.id FROM \(sql: dues)
            JOIN payments pm ON pm.payer_id = d.payer_id AND pm.insurance = d.insurance AND pm.period = d.period
            WHERE d.payer_id > \(low) AND d.payer_id <= \(high) AND d.period BETWEEN \(earliest) AND \(latest)
              AND pm.payer_id > \(low) AND pm.payer_id <= \(high)
            """) { paidElsewhere.insert(try $0.int(at: 0)) }
        return (debited, paidElsewhere)
    }
}
