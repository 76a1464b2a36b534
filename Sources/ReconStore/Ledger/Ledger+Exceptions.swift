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

    static var exceptionColumns: LedgerSQL {
        """
        SELECT x.id, r.bank, r.name, x.line_no, x.kind, x.detail, x.resolved, x.is_resolved, x.last_note, x.last_actor, x.last_at,
               dr.id_number AS debit_id_number, dr.name AS debit_name, dr.amount_fen AS debit_fen, df.name AS debit_file
        FROM exception_state x JOIN return_files r ON r.id = x.return_file_id
        LEFT JOIN debit_rows dr ON dr.id = x.debit_id LEFT JOIN files df ON df.id = dr.file_id
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
                               amount: Money(fen: try row.int("debit_fen")), debitFile: file)
            })
    }
}
