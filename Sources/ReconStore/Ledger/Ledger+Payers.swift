import PikouCore

/// A payer's agreements and whole story, and an agreement corrected, revoked or moved as
/// AgreementRules decided — written once for both backends.
extension LedgerStore {
    public func agreements(idNumber: IDNumber) async throws -> PayerAgreements? {
        try await readLedger { session in
            guard let payerID = try await session.row("SELECT id FROM payers WHERE id_number = \(idNumber.value)")?.int("id") else { return nil }
            let rows = try await session.rows("SELECT * FROM agreements WHERE payer_id = \(payerID) ORDER BY status = 'active' DESC, id")
            return PayerAgreements(payerID: payerID, idNumber: idNumber, agreements: try rows.map(Self.agreementRecord))
        }
    }

    public func payerHistory(idNumber: IDNumber) async throws -> PayerHistory? {
        try await readLedger { session in
            guard let payer = try await session.row("SELECT * FROM payers WHERE id_number = \(idNumber.value)") else { return nil }
            let payerID = try payer.int("id")
            func insurance(_ text: String) throws -> Insurance {
                guard let value = Insurance(text) else {
                    throw StoreError.unavailable(Message(zh: "缴费人 \(idNumber.masked) 的险种 '\(text)' 不是 Pikou 认识的险种",
                                                         en: "payer \(idNumber.masked) has insurance '\(text)', which Pikou does not know"))
                }
                return value
            }
            let agreements = try await session.rows("SELECT * FROM agreements WHERE payer_id = \(payerID) ORDER BY status = 'active' DESC, id").map(Self.agreementRecord)
            let enrollments = try await session.rows("SELECT * FROM enrollments WHERE payer_id = \(payerID) ORDER BY insurance").map {
                PayerHistory.Enrollment(insurance: try insurance(try $0.text("insurance")), tier: try $0.text("tier"), bank: try $0.text("bank"),
                                        start: Self.period(try $0.count("start_period")), end: try $0.optionalInt("end_period").map { Self.period(Int($0)) },
                                        suspended: try $0.bool("suspended"))
            }
            // A due's state as the cycle sees it: a succeeded debit, else a pending one, else paid elsewhere, else open.
            let dues = try await session.rows("""
                SELECT du.insurance, du.period, du.amount_fen,
                       (SELECT MAX(CASE di.state WHEN 'succeeded' THEN 2 WHEN 'pending' THEN 1 ELSE 0 END) FROM debit_items di WHERE di.due_id = du.id) AS covered,
                       EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = du.payer_id AND pm.insurance = du.insurance AND pm.period = du.period) AS elsewhere,
                       EXISTS (SELECT 1 FROM resident_dues rd WHERE rd.due_id = du.id) AS annual
                FROM dues du WHERE du.payer_id = \(payerID) ORDER BY du.period, du.insurance
                """).map { row -> PayerHistory.Due in
                let state = Self.dueState(covered: try row.optionalInt("covered"), paidElsewhere: try row.bool("elsewhere"))
                return PayerHistory.Due(period: Self.period(try row.count("period")), insurance: try insurance(try row.text("insurance")),
                                        amount: try row.money("amount_fen"), state: state, annual: try row.bool("annual"))
            }
            // Through the agreements' index: a payer's debits are those made under their agreements.
            let debits = try await session.rows("""
                SELECT f.bank, f.name AS file_name, f.status AS file_status, f.collection_date, d.period, d.amount_fen, d.memo, d.outcome,
                       r.bank_code, r.bank_text, rf.name AS return_name,
                       EXISTS (SELECT 1 FROM batches b WHERE b.id = f.batch_id AND b.kind = 'round') AS annual
                FROM debits d JOIN files f ON f.id = d.file_id
                LEFT JOIN results r ON r.id = d.result_id LEFT JOIN return_files rf ON rf.id = r.return_file_id
                WHERE d.agreement_id IN (SELECT id FROM agreements WHERE payer_id = \(payerID)) ORDER BY d.id
                """).map { row in
                PayerHistory.Debit(bank: try row.text("bank"), fileName: try row.text("file_name"), written: try row.text("file_status") == "written",
                                   collectionDate: Self.date(try row.text("collection_date")), period: Self.period(try row.count("period")),
                                   amount: try row.money("amount_fen"), memo: try row.text("memo"),
                                   outcome: try row.optionalText("outcome").map { Outcome(rawValue: $0) ?? .unknown },
                                   bankCode: try row.optionalText("bank_code") ?? "", bankText: try row.optionalText("bank_text") ?? "",
                                   returnFile: try row.optionalText("return_name") ?? "", annual: try row.bool("annual"))
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
        try await writeLedger { session in
            let now = Self.now()
            /// Refuses unless the agreement still stands at the version the decision was made on.
            func expect(_ id: Int64, version: Int64) async throws {
                let current = try await session.row("SELECT version FROM agreements WHERE id = \(id) AND payer_id = \(change.payerID)")?.int("version")
                guard current == version else {
                    throw StoreError.conflict(Message(
                        zh: "协议 \(id) 在读取后被改动（读取时为第 \(version) 版，现在\(current.map { "为第 \($0) 版" } ?? "已不存在")）；未做任何改动：请重新运行",
                        en: "agreement \(id) changed since it was read (version \(version), now \(current.map(String.init) ?? "gone")); "
                            + "nothing was changed: run again"))
                }
            }
            func activate(_ id: Int64, account: BankAccount, accountName: String) async throws {
                try await session.execute("""
                    UPDATE agreements SET account = \(account.number), account_name = \(accountName), status = 'active', version = version + 1, updated_at = \(now)
                    WHERE id = \(id)
                    """)
            }
            func revoke(_ id: Int64) async throws {
                try await session.execute("UPDATE agreements SET status = 'revoked', version = version + 1, updated_at = \(now) WHERE id = \(id)")
            }
            // The payer's agreements and enrollments are sealed again where they change (a move
            // re-points the enrollments), and an agreement added is sealed as a run of one.
            var agreementID: Int64 = 0
            var seals: [String] = []
            let agreements = try await SealedTable.agreements.sealing(session, changing: "SELECT id FROM agreements WHERE payer_id = \(change.payerID)") {
                let enrollments = try await SealedTable.enrollments.sealing(session, changing: "SELECT id FROM enrollments WHERE payer_id = \(change.payerID)") {
                    switch change.action {
                    case .update(let id, let version, let account, let accountName):
                        try await expect(id, version: version)
                        try await activate(id, account: account, accountName: accountName)
                        agreementID = id
                    case .revoke(let id, let version):
                        try await expect(id, version: version)
                        try await revoke(id)
                        agreementID = id
                    case .move(let fromID, let fromVersion, let fromBank, let toBank, let existing, let account, let accountName, let agreementNo):
                        try await expect(fromID, version: fromVersion)
                        try await revoke(fromID)
                        if let existing {
                            try await expect(existing.id, version: existing.version)
                            try await activate(existing.id, account: account, accountName: accountName)
                            agreementID = existing.id
                        } else {
                            agreementID = try await session.insert("""
                                INSERT INTO agreements (payer_id, bank, account, account_name, agreement_no, status, version, updated_at)
                                VALUES (\(change.payerID), \(toBank), \(account.number), \(accountName), \(agreementNo), 'active', 1, \(now))
                                """)
                        }
                        try await session.execute("UPDATE enrollments SET bank = \(toBank) WHERE payer_id = \(change.payerID) AND bank = \(fromBank)")
                    }
                }
                seals += enrollments.records.sorted { $0.key < $1.key }.map(\.value)
            }
            seals = agreements.records.sorted { $0.key < $1.key }.map(\.value) + (agreements.run.map { [$0] } ?? []) + seals
            try await Self.appendJournal(session, actor: actor, action: change.journalAction, subject: change.journalSubject,
                                         detail: ([change.journalDetail] + seals).joined(separator: "; "))
            guard let row = try await session.row("SELECT * FROM agreements WHERE id = \(agreementID)") else {
                throw StoreError.conflict(Message(zh: "协议 \(agreementID) 在修改过程中消失了", en: "agreement \(agreementID) vanished while it was changed"))
            }
            return try Self.agreementRecord(row)
        }
    }

    /// An `agreements` row.
    static func agreementRecord(_ row: LedgerRow) throws -> AgreementSnapshot {
        AgreementSnapshot(id: try row.int("id"), bank: try row.text("bank"), account: BankAccount(stored: try row.text("account")),
                          accountName: try row.text("account_name"), agreementNo: try row.text("agreement_no"),
                          active: try row.text("status") == "active", version: try row.int("version"))
    }
}
