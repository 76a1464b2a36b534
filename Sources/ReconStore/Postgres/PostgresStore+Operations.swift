public import PikouCore
import PostgresNIO

/// Operators' and finance staff's queries and corrections on PostgreSQL (the SQLite store's, translated).
extension PostgresStore {
    public func failures(_ filter: FailureFilter) async throws -> [FailureRecord] {
        try await read { session in
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
                    agreementVersionAtDebit: try row.int("agreement_version"), agreement: agreement, suspended: try row.int("suspended") != 0,
                    dues: dues)
                record.scheme = try row.bool("in_round") ? .residentsAnnual : .flexibleMonthly
                records.append(record)
            }
            return records
        }
    }

    public func failureIDs(_ filter: FailureFilter) async throws -> [Int64] {
        try await read { session in try await session.rows(Self.failureQuery(filter, columns: "d.id", joins: "")).map { try $0.int("id") } }
    }

    /// ``failures(_:)``'s statement with `columns` and extra `joins` (over `debits d`, `files f`,
    /// `payers p`): failed debits whose dues no later debit covers, and the filter.
    static func failureQuery(_ filter: FailureFilter, columns: String, joins: String) -> PostgresQuery {
        let period = filter.period.map { Int64(Self.int($0)) }
        let (bank, outcome, district, idNumber) = (filter.bank, filter.outcome?.rawValue, filter.district, filter.idNumber?.value)
        let (street, community) = (filter.street, filter.community)
        return """
            SELECT \(unescaped: columns)
            FROM debits d
            JOIN files f ON f.id = d.file_id
            JOIN payers p ON p.id = d.payer_id
            \(unescaped: joins)
            WHERE d.status = 'failed'
              AND NOT EXISTS (SELECT 1 FROM debit_items mine JOIN debit_items later ON later.due_id = mine.due_id AND later.debit_id > mine.debit_id
                              WHERE mine.debit_id = d.id)
              AND (\(period)::bigint IS NULL OR d.period = \(period))
              AND (\(bank)::text IS NULL OR f.bank = \(bank))
              AND (\(outcome)::text IS NULL OR d.outcome = \(outcome))
              AND (\(district)::text IS NULL OR p.district = \(district))
              AND (\(street)::text IS NULL OR p.street = \(street))
              AND (\(community)::text IS NULL OR p.community = \(community))
              AND (\(idNumber)::text IS NULL OR d.id_number = \(idNumber))
              AND (\(filter.debitIDs)::bigint[] IS NULL OR d.id = ANY(\(filter.debitIDs)))
              AND (\(filter.scheme?.rawValue)::text IS NULL
                   OR (\(filter.scheme?.rawValue) = 'residents-annual') = EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round'))
            ORDER BY f.bank, d.id
            """
    }

    public func agreements(idNumber: IDNumber) async throws -> PayerAgreements? {
        try await read { session in
            guard let payerID = try await session.value("SELECT id FROM payers WHERE id_number = \(idNumber.value)", as: Int64.self) else { return nil }
            let rows = try await session.rows("SELECT * FROM agreements WHERE payer_id = \(payerID) ORDER BY status = 'active' DESC, id")
            return PayerAgreements(payerID: payerID, idNumber: idNumber, agreements: try rows.map(Self.agreement))
        }
    }

    public func payerHistory(idNumber: IDNumber) async throws -> PayerHistory? {
        try await read { session in
            guard let payer = try await session.row("SELECT * FROM payers WHERE id_number = \(idNumber.value)") else { return nil }
            let payerID = try payer.int("id")
            func insurance(_ text: String) throws -> Insurance {
                guard let value = Insurance(text) else { throw StoreError.unavailable("payer \(idNumber.masked) has insurance '\(text)', which Pikou does not know") }
                return value
            }
            let agreements = try await session.rows("SELECT * FROM agreements WHERE payer_id = \(payerID) ORDER BY status = 'active' DESC, id").map(Self.agreement)
            let enrollments = try await session.rows("SELECT * FROM enrollments WHERE payer_id = \(payerID) ORDER BY insurance").map {
                PayerHistory.Enrollment(insurance: try insurance(try $0.text("insurance")), tier: try $0.text("tier"), bank: try $0.text("bank"),
                                        start: Self.period(try $0.count("start_period")), end: try $0.optionalInt("end_period").map { Self.period(Int($0)) },
                                        suspended: try $0.int("suspended") != 0)
            }
            // A due's state as the cycle sees it: a succeeded debit, else a pending one, else paid elsewhere, else open.
            let dues = try await session.rows("""
                SELECT du.insurance, du.period, du.amount_fen,
                       (SELECT MAX(CASE di.state WHEN 'succeeded' THEN 2 WHEN 'pending' THEN 1 ELSE 0 END) FROM debit_items di WHERE di.due_id = du.id) AS covered,
                       EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period) AS elsewhere
                FROM dues du WHERE du.payer_id = \(payerID) ORDER BY du.period, du.insurance
                """).map { row -> PayerHistory.Due in
                let covered = try row.cell("covered").decode(Int32?.self).map(Int64.init)
                let state = Self.dueState(covered: covered, paidElsewhere: try row.bool("elsewhere"))
                return PayerHistory.Due(period: Self.period(try row.count("period")), insurance: try insurance(try row.text("insurance")),
                                        amount: try row.money("amount_fen"), state: state)
            }
            let debits = try await session.rows("""
                SELECT f.bank, f.name AS file_name, f.status AS file_status, f.collection_date, d.period, d.amount_fen, d.memo, d.outcome,
                       r.bank_code, r.bank_text, rf.name AS return_name
                FROM debits d JOIN files f ON f.id = d.file_id
                LEFT JOIN results r ON r.id = d.result_id LEFT JOIN return_files rf ON rf.id = r.return_file_id
                WHERE d.agreement_id IN (SELECT id FROM agreements WHERE payer_id = \(payerID)) ORDER BY d.id
                """).map { row in
                PayerHistory.Debit(bank: try row.text("bank"), fileName: try row.text("file_name"), written: try row.text("file_status") == "written",
                                   collectionDate: Self.date(try row.text("collection_date")), period: Self.period(try row.count("period")),
                                   amount: try row.money("amount_fen"), memo: try row.text("memo"),
                                   outcome: try row.optionalText("outcome").map { Outcome(rawValue: $0) ?? .unknown },
                                   bankCode: try row.optionalText("bank_code") ?? "", bankText: try row.optionalText("bank_text") ?? "",
                                   returnFile: try row.optionalText("return_name") ?? "")
            }
            let payments = try await session.rows("SELECT * FROM payments WHERE payer_id = \(payerID) ORDER BY period, insurance").map {
                PayerHistory.Payment(period: Self.period(try $0.count("period")), insurance: try insurance(try $0.text("insurance")), amount: try $0.money("amount_fen"),
                                     channel: try $0.text("channel"), reference: try $0.text("reference"))
            }
            let journal = try await session.rows("SELECT at, actor, action, detail FROM journal WHERE subject = \(idNumber.masked) ORDER BY id").map {
                PayerHistory.JournalLine(at: try $0.text("at"), actor: try $0.text("actor"), action: try $0.text("action"), detail: try $0.text("detail"))
            }
            return PayerHistory(idNumber: idNumber, name: try payer.text("name"), phone: try payer.text("phone"), district: try payer.text("district"),
                                street: try payer.text("street"), community: try payer.text("community"), agreements: agreements, enrollments: enrollments,
                                dues: dues, debits: debits, payments: payments, journal: journal)
        }
    }

    public func apply(_ change: AgreementWrite, actor: String) async throws -> AgreementSnapshot {
        try await write { session in
            let now = Self.now()
            /// Refuses unless the agreement still stands at the version the decision was made on.
            func expect(_ id: Int64, version: Int64) async throws {
                let current = try await session.value("SELECT version FROM agreements WHERE id = \(id) AND payer_id = \(change.payerID)", as: Int64.self)
                guard current == version else {
                    throw StoreError.conflict("agreement \(id) changed since it was read (version \(version), now \(current.map(String.init) ?? "gone")); nothing was changed: run again")
                }
            }
            let agreementID: Int64
            switch change.action {
            case .update(let id, let version, let account, let accountName):
                try await expect(id, version: version)
                try await session.execute("""
                    UPDATE agreements SET account = \(account.number), account_name = \(accountName), status = 'active', version = version + 1, updated_at = \(now)
                    WHERE id = \(id)
                    """)
                agreementID = id
            case .revoke(let id, let version):
                try await expect(id, version: version)
                try await session.execute("UPDATE agreements SET status = 'revoked', version = version + 1, updated_at = \(now) WHERE id = \(id)")
                agreementID = id
            case .move(let fromID, let fromVersion, let fromBank, let toBank, let existing, let account, let accountName, let agreementNo):
                try await expect(fromID, version: fromVersion)
                try await session.execute("UPDATE agreements SET status = 'revoked', version = version + 1, updated_at = \(now) WHERE id = \(fromID)")
                if let existing {
                    try await expect(existing.id, version: existing.version)
                    try await session.execute("""
                        UPDATE agreements SET account = \(account.number), account_name = \(accountName), status = 'active', version = version + 1, updated_at = \(now)
                        WHERE id = \(existing.id)
                        """)
                    agreementID = existing.id
                } else {
                    guard let id = try await session.value("""
                        INSERT INTO agreements (payer_id, bank, account, account_name, agreement_no, status, version, updated_at)
                        VALUES (\(change.payerID), \(toBank), \(account.number), \(accountName), \(agreementNo), 'active', 1, \(now))
                        RETURNING id
                        """, as: Int64.self) else { throw StoreError.conflict("the agreement at \(toBank) was not created") }
                    agreementID = id
                }
                try await session.execute("UPDATE enrollments SET bank = \(toBank) WHERE payer_id = \(change.payerID) AND bank = \(fromBank)")
            }
            try await appendJournal(session, actor: actor, action: change.journalAction, subject: change.journalSubject, detail: change.journalDetail)
            guard let row = try await session.row("SELECT * FROM agreements WHERE id = \(agreementID)") else {
                throw StoreError.conflict("agreement \(agreementID) vanished while it was changed")
            }
            return try Self.agreement(row)
        }
    }

    static func agreement(_ row: PostgresRandomAccessRow) throws -> AgreementSnapshot {
        AgreementSnapshot(id: try row.int("id"), bank: try row.text("bank"), account: BankAccount(stored: try row.text("account")),
                          accountName: try row.text("account_name"), agreementNo: try row.text("agreement_no"),
                          active: try row.text("status") == "active", version: try row.int("version"))
    }

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
