import PikouCore

/// Exceptions as work items: listed by period, resolved or reopened with a note — written once
/// for both backends.
extension LedgerStore {
    public func exceptions(period: Period?) async throws -> [ExceptionRecord] {
        let period = period.map { Int64(Self.int($0)) }
        return try await readLedger { session in
            try await session.rows(Self.exceptionColumns + """
                 JOIN files f ON f.id = r.debit_file_id JOIN batches b ON b.id = f.batch_id
                WHERE CAST(\(period) AS BIGINT) IS NULL OR (b.period = \(period) AND b.kind <> 'round') ORDER BY x.id
                """).map(Self.exception)
        }
    }

    public func setException(id: Int64, resolved: Bool, note: String, actor: String) async throws -> ExceptionRecord {
        try await writeLedger { session in
            func current() async throws -> ExceptionRecord? {
                try await session.row(Self.exceptionColumns + " WHERE x.id = \(id)").map(Self.exception)
            }
            guard let before = try await current() else { throw StoreError.notFound(Message(zh: "异常 \(id)", en: "exception \(id)")) }
            if !resolved, before.debit?.confirmed != nil {
                // The confirmed result closed the debit for good (confirmations are kept as they were).
                throw StoreError.conflict(Message(zh: "异常 \(id) 已按银行确认的结果入账，不能重新打开；如结果有误，请与银行核实后另行处理",
                                                  en: "exception \(id) was resolved with a result the bank confirmed, which stands: it cannot be reopened"))
            }
            if before.resolved == resolved {
                let byZh = before.lastAction.map { "（\($0.actor) 于 \($0.at)：\($0.note)）" } ?? ""
                let by = before.lastAction.map { " by \($0.actor) at \($0.at): \($0.note)" } ?? ""
                throw StoreError.conflict(Message(zh: "异常 \(id) 已经是“\(resolved ? "已处理" : "待处理")”\(byZh)",
                                                  en: "exception \(id) is already \(resolved ? "resolved" : "open")\(by)"))
            }
            try await session.execute("""
                INSERT INTO exception_actions (exception_id, action, note, actor, at) VALUES (\(id), \(resolved ? "resolve" : "reopen"), \(note), \(actor), \(Self.now()))
                """)
            try await Self.appendJournal(session, actor: actor, action: resolved ? "exception.resolve" : "exception.reopen",
                                         subject: "\(before.bank)/\(before.returnFile):\(before.line)",
                                         detail: ExceptionActionSaid.detail(exception: id, kind: before.kind.rawValue, note: note))
            guard let after = try await current() else { throw StoreError.notFound(Message(zh: "异常 \(id)", en: "exception \(id)")) }
            return after
        }
    }

    public func confirmException(id: Int64, outcome: Outcome, reason: String, actor: String) async throws -> ExceptionRecord {
        try await writeLedger { session in
            func current() async throws -> ExceptionRecord? {
                try await session.row(Self.exceptionColumns + " WHERE x.id = \(id)").map(Self.exception)
            }
            guard let before = try await current() else { throw StoreError.notFound(Message(zh: "异常 \(id)", en: "exception \(id)")) }
            guard !before.resolved else {
                throw StoreError.conflict(Message(zh: "异常 \(id) 已办结：要确认结果，请先重新打开它", en: "exception \(id) is resolved: reopen it to confirm a result"))
            }
            guard let debit = before.debit,
                  let debitID = try await session.row("SELECT debit_id FROM exceptions WHERE id = \(id)").flatMap({ try $0.optionalInt("debit_id") }) else {
                throw StoreError.conflict(Message(zh: "异常 \(id) 未对应到扣款：没有可以确认结果的扣款，请填写处理意见办结",
                                                  en: "exception \(id) matched no debit: there is no debit to confirm a result for; resolve it with a note"))
            }
            guard debit.pending else {
                throw StoreError.conflict(Message(zh: "异常 \(id) 的扣款已有结果：只能填写处理意见办结",
                                                  en: "exception \(id)'s debit already has a result: resolve it with a note"))
            }
            // The residents' window counts a due collected from the banks' lines alone (resident_due_states).
            let kind = try await session.row("""
                SELECT b.kind FROM debit_rows d JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id WHERE d.id = \(debitID)
                """).map { try $0.text("kind") }
            guard kind != BatchKind.round.rawValue else {
                throw StoreError.conflict(Message(zh: "异常 \(id) 是城乡居民征缴期轮次的扣款：其结果只按银行回盘入账，请填写处理意见办结",
                                                  en: "exception \(id) is a debit of a residents' round: its result is posted from the bank's return only; resolve it with a note"))
            }
            let last = try await SealedTable.confirmations.lastID(session)
            let now = Self.now()
            try await session.execute("""
                INSERT INTO confirmations (exception_id, debit_id, outcome, reason, actor, at) VALUES (\(id), \(debitID), \(outcome.rawValue), \(reason), \(actor), \(now))
                """)
            let note = "confirmed \(outcome.rawValue): \(reason)"
            try await session.execute("""
                INSERT INTO exception_actions (exception_id, action, note, actor, at) VALUES (\(id), 'resolve', \(note), \(actor), \(now))
                """)
            let subject = "\(before.bank)/\(before.returnFile):\(before.line)"
            try await Self.appendJournal(session, actor: actor, action: "exception.resolve", subject: subject,
                                         detail: ExceptionActionSaid.detail(exception: id, kind: before.kind.rawValue, note: note))
            // The operator's decision, apart from the resolve: which debit it closes, how, and its seal.
            guard let seal = try await SealedTable.confirmations.sealRun(session, after: last) else {
                throw StoreError.unavailable(Message(zh: "确认的结果未能写入", en: "the confirmed result was not written"))
            }
            try await Self.appendJournal(session, actor: actor, action: "exception.confirm", subject: subject,
                                         detail: "debit #\(debitID) \(outcome.rawValue), \(debit.amount.yuanText) yuan; \(seal)")
            guard let after = try await current() else { throw StoreError.notFound(Message(zh: "异常 \(id)", en: "exception \(id)")) }
            return after
        }
    }

    public func confirmedTotals(period: Period) async throws -> [ConfirmedTotals] {
        try await readLedger { session in
            var totals: [String: ConfirmedTotals] = [:]
            for row in try await session.rows("""
                SELECT f.bank AS bank, f.name AS name, CASE WHEN c.outcome = 'succeeded' THEN 1 ELSE 0 END AS ok, COUNT(*) AS n,
                       CAST(SUM(d.amount_fen) AS BIGINT) AS fen
                FROM confirmations c JOIN debit_rows d ON d.id = c.debit_id JOIN files f ON f.id = d.file_id JOIN batches b ON b.id = f.batch_id
                WHERE b.period = \(Self.int(period)) AND NOT EXISTS (SELECT 1 FROM results r WHERE r.debit_id = c.debit_id AND r.posted = 1)
                GROUP BY f.bank, f.name, CASE WHEN c.outcome = 'succeeded' THEN 1 ELSE 0 END
                """) {
                let (bank, name) = (try row.text("bank"), try row.text("name"))
                let key = bank + "/" + name
                var total = totals[key] ?? ConfirmedTotals(bank: bank, debitFile: name)
                if try row.int("ok") == 1 {
                    (total.succeeded, total.succeededFen) = (try row.count("n"), try row.int("fen"))
                } else {
                    (total.failed, total.failedFen) = (try row.count("n"), try row.int("fen"))
                }
                totals[key] = total
            }
            return totals.keys.sorted().map { totals[$0]! }
        }
    }

    static var exceptionColumns: LedgerSQL {
        """
        SELECT x.id, r.bank, r.name, x.line_no, x.kind, x.detail, x.resolved, x.is_resolved, x.last_note, x.last_actor, x.last_at,
               dr.id_number AS debit_id_number, dr.name AS debit_name, dr.amount_fen AS debit_fen, df.name AS debit_file,
               (SELECT COUNT(*) FROM results pr WHERE pr.debit_id = x.debit_id AND pr.posted = 1) + (SELECT COUNT(*) FROM confirmations pc WHERE pc.debit_id = x.debit_id)
                   AS debit_closed,
               cf.outcome AS confirmed_outcome, cf.reason AS confirmed_reason
        FROM exception_state x JOIN return_files r ON r.id = x.return_file_id
        LEFT JOIN debit_rows dr ON dr.id = x.debit_id LEFT JOIN files df ON df.id = dr.file_id LEFT JOIN confirmations cf ON cf.exception_id = x.id
        """
    }

    static func exception(_ row: LedgerRow) throws -> ExceptionRecord {
        let note = try row.optionalText("last_note")
        let resolved = try row.optionalBool("is_resolved") ?? row.bool("resolved")
        return ExceptionRecord(
            id: try row.int("id"), bank: try row.text("bank"), returnFile: try row.text("name"), line: try row.count("line_no"),
            kind: ExceptionKind(rawValue: try row.text("kind")) ?? .unmatched, detail: try row.text("detail"), resolved: resolved,
            lastAction: try note.map { ExceptionAction(resolves: resolved, note: $0, actor: try row.text("last_actor"), at: try row.text("last_at")) },
            debit: try row.optionalText("debit_file").map { file in
                ExceptionDebit(idNumber: IDNumber(stored: try row.text("debit_id_number")), name: try row.text("debit_name"),
                               amount: Money(fen: try row.int("debit_fen")), debitFile: file, pending: try row.count("debit_closed") == 0,
                               confirmed: try row.optionalText("confirmed_outcome").flatMap(Outcome.init(rawValue:)).map { ($0, try row.text("confirmed_reason")) })
            })
    }
}
