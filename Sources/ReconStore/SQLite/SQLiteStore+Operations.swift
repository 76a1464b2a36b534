public import PikouCore
import Foundation
import GRDB

/// Operators' and finance staff's queries and corrections.
extension SQLiteStore {
    public func failures(_ filter: FailureFilter) async throws -> [FailureRecord] {
        try await pool.read { db in
            let (conditions, arguments) = Self.failureConditions(filter)
            let sql = """
                SELECT d.id, d.period, d.payer_id, d.id_number, d.name, d.account, d.amount_fen, d.outcome, d.agreement_version,
                       f.bank, f.name AS file_name, f.collection_date,
                       p.phone, p.district, p.street, p.community,
                       COALESCE(r.bank_code, '') AS bank_code, COALESCE(r.bank_text, '') AS bank_text,
                       a.id AS agreement_id, a.account AS current_account, a.account_name, a.agreement_no, a.status AS agreement_status, a.version,
                       COALESCE((SELECT MAX(e.suspended) FROM enrollments e WHERE e.payer_id = d.payer_id AND e.bank = f.bank), 0) AS suspended,
                       (SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM debit_items x WHERE x.due_id IN (SELECT due_id FROM debit_items WHERE debit_id = d.id) GROUP BY x.due_id)) AS attempts,
                       EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round') AS in_round
                FROM debits d
                JOIN files f ON f.id = d.file_id
                JOIN payers p ON p.id = d.payer_id
                JOIN agreements a ON a.id = d.agreement_id
                LEFT JOIN results r ON r.id = d.result_id
                WHERE \(conditions)
                ORDER BY f.bank, d.id
                """
            let dues = try db.cachedStatement(sql: """
                SELECT du.id, du.period, du.amount_fen,
                       EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period) AS paid_elsewhere
                FROM debit_items di JOIN dues du ON du.id = di.due_id WHERE di.debit_id = ? ORDER BY du.period, du.insurance
                """)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let debitID: Int64 = row["id"]
                let agreement = AgreementSnapshot(
                    id: row["agreement_id"], bank: row["bank"], account: BankAccount(stored: row["current_account"]), accountName: row["account_name"],
                    agreementNo: row["agreement_no"], active: (row["agreement_status"] as String) == "active", version: row["version"])
                var record = FailureRecord(
                    debitID: debitID, period: Self.period(row["period"]), bank: row["bank"], fileName: row["file_name"],
                    attemptDate: Self.date(row["collection_date"]), payerID: row["payer_id"], idNumber: IDNumber(stored: row["id_number"]), name: row["name"],
                    phone: row["phone"], district: row["district"], street: row["street"], community: row["community"], account: BankAccount(stored: row["account"]),
                    amount: Money(fen: row["amount_fen"]), outcome: Outcome(rawValue: row["outcome"] ?? "") ?? .unknown,
                    bankCode: row["bank_code"], bankText: row["bank_text"], attempts: row["attempts"] ?? 1,
                    agreementVersionAtDebit: row["agreement_version"], agreement: agreement, suspended: row["suspended"],
                    dues: try Row.fetchAll(dues, arguments: [debitID]).map {
                        FailedDue(dueID: $0["id"], period: Self.period($0["period"]), amount: Money(fen: $0["amount_fen"]), paidElsewhere: $0["paid_elsewhere"])
                    })
                record.scheme = row["in_round"] ? .residentsAnnual : .flexibleMonthly
                return record
            }
        }
    }

    public func failureIDs(_ filter: FailureFilter) async throws -> [Int64] {
        try await pool.read { db in
            let (conditions, arguments) = Self.failureConditions(filter)
            return try Int64.fetchAll(db, sql: """
                SELECT d.id FROM debits d JOIN files f ON f.id = d.file_id JOIN payers p ON p.id = d.payer_id
                WHERE \(conditions) ORDER BY f.bank, d.id
                """, arguments: arguments)
        }
    }

    /// The WHERE of ``failures(_:)`` and ``failureIDs(_:)`` (over `debits d`, `files f`, `payers p`):
    /// failed debits whose dues no later debit covers, and the filter.
    static func failureConditions(_ filter: FailureFilter) -> (String, StatementArguments) {
        var sql = """
            d.status = 'failed'
              AND NOT EXISTS (SELECT 1 FROM debit_items mine JOIN debit_items later ON later.due_id = mine.due_id AND later.debit_id > mine.debit_id
                              WHERE mine.debit_id = d.id)
            """
        var arguments: StatementArguments = []
        if let period = filter.period { sql += " AND d.period = ?"; arguments += [Self.int(period)] }
        if let bank = filter.bank { sql += " AND f.bank = ?"; arguments += [bank] }
        if let outcome = filter.outcome { sql += " AND d.outcome = ?"; arguments += [outcome.rawValue] }
        if let district = filter.district { sql += " AND p.district = ?"; arguments += [district] }
        if let street = filter.street { sql += " AND p.street = ?"; arguments += [street] }
        if let community = filter.community { sql += " AND p.community = ?"; arguments += [community] }
        if let id = filter.idNumber { sql += " AND d.id_number = ?"; arguments += [id.value] }
        if let scheme = filter.scheme {
            sql += " AND \(scheme == .residentsAnnual ? "" : "NOT ")EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round')"
        }
        if let ids = filter.debitIDs {
            // Bound as one JSON array: a page of any size is one statement argument.
            sql += " AND d.id IN (SELECT value FROM json_each(?))"
            arguments += ["[" + ids.map(String.init).joined(separator: ",") + "]"]
        }
        return (sql, arguments)
    }

    public func agreements(idNumber: IDNumber) async throws -> PayerAgreements? {
        try await pool.read { db in
            guard let payerID = try Int64.fetchOne(db, sql: "SELECT id FROM payers WHERE id_number = ?", arguments: [idNumber.value]) else { return nil }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM agreements WHERE payer_id = ? ORDER BY status = 'active' DESC, id", arguments: [payerID])
            return PayerAgreements(payerID: payerID, idNumber: idNumber, agreements: rows.map(Self.agreement))
        }
    }

    public func payerHistory(idNumber: IDNumber) async throws -> PayerHistory? {
        try await pool.read { db in
            guard let payer = try Row.fetchOne(db, sql: "SELECT * FROM payers WHERE id_number = ?", arguments: [idNumber.value]) else { return nil }
            let payerID: Int64 = payer["id"]
            func insurance(_ text: String) throws -> Insurance {
                guard let value = Insurance(text) else { throw StoreError.unavailable("payer \(idNumber.masked) has insurance '\(text)', which Pikou does not know") }
                return value
            }
            let agreements = try Row.fetchAll(db, sql: "SELECT * FROM agreements WHERE payer_id = ? ORDER BY status = 'active' DESC, id", arguments: [payerID])
                .map(Self.agreement)
            let enrollments = try Row.fetchAll(db, sql: "SELECT * FROM enrollments WHERE payer_id = ? ORDER BY insurance", arguments: [payerID]).map {
                PayerHistory.Enrollment(insurance: try insurance($0["insurance"]), tier: $0["tier"], bank: $0["bank"], start: Self.period($0["start_period"]),
                                        end: ($0["end_period"] as Int?).map(Self.period), suspended: $0["suspended"])
            }
            // A due's state as the cycle sees it: a succeeded debit, else a pending one, else paid elsewhere, else open.
            let dues = try Row.fetchAll(db, sql: """
                SELECT du.insurance, du.period, du.amount_fen,
                       (SELECT MAX(CASE di.state WHEN 'succeeded' THEN 2 WHEN 'pending' THEN 1 ELSE 0 END) FROM debit_items di WHERE di.due_id = du.id) AS covered,
                       EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period) AS elsewhere
                FROM dues du WHERE du.payer_id = ? ORDER BY du.period, du.insurance
                """, arguments: [payerID]).map { row -> PayerHistory.Due in
                let state = Self.dueState(covered: row["covered"], paidElsewhere: row["elsewhere"])
                return PayerHistory.Due(period: Self.period(row["period"]), insurance: try insurance(row["insurance"]),
                                        amount: Money(fen: row["amount_fen"]), state: state)
            }
            // Through the agreements' index: a payer's debits are those made under their agreements.
            let debits = try Row.fetchAll(db, sql: """
                SELECT f.bank, f.name AS file_name, f.status AS file_status, f.collection_date, d.period, d.amount_fen, d.memo, d.outcome,
                       r.bank_code, r.bank_text, rf.name AS return_name
                FROM debits d JOIN files f ON f.id = d.file_id
                LEFT JOIN results r ON r.id = d.result_id LEFT JOIN return_files rf ON rf.id = r.return_file_id
                WHERE d.agreement_id IN (SELECT id FROM agreements WHERE payer_id = ?) ORDER BY d.id
                """, arguments: [payerID]).map { row in
                PayerHistory.Debit(bank: row["bank"], fileName: row["file_name"], written: (row["file_status"] as String) == "written",
                                   collectionDate: Self.date(row["collection_date"]), period: Self.period(row["period"]), amount: Money(fen: row["amount_fen"]),
                                   memo: row["memo"], outcome: (row["outcome"] as String?).map { Outcome(rawValue: $0) ?? .unknown },
                                   bankCode: row["bank_code"] ?? "", bankText: row["bank_text"] ?? "", returnFile: row["return_name"] ?? "")
            }
            let payments = try Row.fetchAll(db, sql: "SELECT * FROM payments WHERE payer_id = ? ORDER BY period, insurance", arguments: [payerID]).map {
                PayerHistory.Payment(period: Self.period($0["period"]), insurance: try insurance($0["insurance"]), amount: Money(fen: $0["amount_fen"]),
                                     channel: $0["channel"], reference: $0["reference"])
            }
            let journal = try Row.fetchAll(db, sql: "SELECT at, actor, action, detail FROM journal WHERE subject = ? ORDER BY id", arguments: [idNumber.masked])
                .map { PayerHistory.JournalLine(at: $0["at"], actor: $0["actor"], action: $0["action"], detail: $0["detail"]) }
            return PayerHistory(idNumber: idNumber, name: payer["name"], phone: payer["phone"], district: payer["district"], street: payer["street"],
                                community: payer["community"], agreements: agreements, enrollments: enrollments, dues: dues, debits: debits,
                                payments: payments, journal: journal)
        }
    }

    public func apply(_ change: AgreementWrite, actor: String) async throws -> AgreementSnapshot {
        try await pool.write { db in
            let now = Self.now()
            /// Refuses unless the agreement still stands at the version the decision was made on.
            func expect(_ id: Int64, version: Int64) throws {
                let current = try Int64.fetchOne(db, sql: "SELECT version FROM agreements WHERE id = ? AND payer_id = ?", arguments: [id, change.payerID])
                guard current == version else {
                    throw StoreError.conflict("agreement \(id) changed since it was read (version \(version), now \(current.map(String.init) ?? "gone")); nothing was changed: run again")
                }
            }
            let agreementID: Int64
            switch change.action {
            case .update(let id, let version, let account, let accountName):
                try expect(id, version: version)
                try db.execute(sql: "UPDATE agreements SET account = ?, account_name = ?, status = 'active', version = version + 1, updated_at = ? WHERE id = ?",
                               arguments: [account.number, accountName, now, id])
                agreementID = id
            case .revoke(let id, let version):
                try expect(id, version: version)
                try db.execute(sql: "UPDATE agreements SET status = 'revoked', version = version + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
                agreementID = id
            case .move(let fromID, let fromVersion, let fromBank, let toBank, let existing, let account, let accountName, let agreementNo):
                try expect(fromID, version: fromVersion)
                try db.execute(sql: "UPDATE agreements SET status = 'revoked', version = version + 1, updated_at = ? WHERE id = ?", arguments: [now, fromID])
                if let existing {
                    try expect(existing.id, version: existing.version)
                    try db.execute(sql: "UPDATE agreements SET account = ?, account_name = ?, status = 'active', version = version + 1, updated_at = ? WHERE id = ?",
                                   arguments: [account.number, accountName, now, existing.id])
                    agreementID = existing.id
                } else {
                    try db.execute(sql: """
                        INSERT INTO agreements (payer_id, bank, account, account_name, agreement_no, status, version, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'active', 1, ?)
                        """, arguments: [change.payerID, toBank, account.number, accountName, agreementNo, now])
                    agreementID = db.lastInsertedRowID
                }
                try db.execute(sql: "UPDATE enrollments SET bank = ? WHERE payer_id = ? AND bank = ?", arguments: [toBank, change.payerID, fromBank])
            }
            try appendJournal(db, actor: actor, action: change.journalAction, subject: change.journalSubject, detail: change.journalDetail)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM agreements WHERE id = ?", arguments: [agreementID]) else {
                throw StoreError.conflict("agreement \(agreementID) vanished while it was changed")
            }
            return Self.agreement(row)
        }
    }

    static func agreement(_ row: Row) -> AgreementSnapshot {
        AgreementSnapshot(id: row["id"], bank: row["bank"], account: BankAccount(stored: row["account"]), accountName: row["account_name"],
                          agreementNo: row["agreement_no"], active: (row["status"] as String) == "active", version: row["version"])
    }

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
