import Foundation
import PikouCore

/// Notices to payers: the outbox and the opt-outs — written once for both backends.
///
/// Planning loads the notices into a scratch table, drops those of payers who opted out of the kind,
/// and inserts the rest with no check beyond the unique key (payer, kind, subject): planning the same
/// period again adds nothing, whatever reruns happen.
extension LedgerStore {
    public func planNotices(_ notices: [PlannedNotice], actor: String, source: String) async throws -> NoticePlanning {
        try await writeLedger { session in
            var planning = NoticePlanning()
            guard !notices.isEmpty else { return planning }
            try await session.scratch("notice_in", "(n BIGINT, id_number TEXT, payer_id BIGINT, kind TEXT, subject TEXT, phone TEXT, text TEXT, params TEXT, client_ref TEXT)")
            try await session.load(into: "notice_in", columns: ["n", "id_number", "kind", "subject", "phone", "text", "params", "client_ref"], count: notices.count) { index, row in
                let notice = notices[index]
                row.add(index)
                row.add(notice.idNumber.value)
                row.add(notice.kind.rawValue)
                row.add(notice.subject)
                row.add(notice.phone)
                row.add(notice.text)
                row.add(Self.noticeValuesJSON(notice.values))
                // The notice's client reference for good, unique beyond this store (two workspaces on
                // one gateway account, a store restored from a backup): what the gateway dedups by.
                row.add("PK-" + UUID().uuidString.lowercased())
            }
            try await session.execute("UPDATE notice_in AS i SET payer_id = p.id FROM payers p WHERE p.id_number = i.id_number")
            planning.unknown = try await session.changes("DELETE FROM notice_in WHERE payer_id IS NULL")
            let optedOut: LedgerSQL = "EXISTS (SELECT 1 FROM notice_optouts o WHERE o.payer_id = notice_in.payer_id AND (o.kind = notice_in.kind OR o.kind = 'all'))"
            planning.optedOut = try await session.changes("DELETE FROM notice_in WHERE \(sql: optedOut)")
            let now = Self.now()
            // (WHERE true: SQLite reads an ON after a SELECT's FROM as a join's, not the conflict clause's.)
            planning.planned = try await session.changes("""
                INSERT INTO notices (payer_id, kind, subject, phone, text, state, planned_at, sent_at, client_ref, gateway_id, attempts, last_error, params, attempted_at)
                SELECT payer_id, kind, subject, phone, text, 'planned', \(now), '', client_ref, '', 0, '', params, '' FROM notice_in WHERE true ORDER BY n
                ON CONFLICT (payer_id, kind, subject) DO NOTHING
                """)
            planning.already = notices.count - planning.unknown - planning.optedOut - planning.planned
            if planning.planned > 0 {
                let kinds = Set(notices.map { "\($0.kind.rawValue) \($0.subject)" }).sorted().joined(separator: ", ")
                try await Self.appendJournal(session, actor: actor, action: "notices.plan", subject: source,
                                             detail: "\(planning.planned) notices planned (\(kinds)), \(planning.already) already planned, \(planning.optedOut) opted out")
            }
            return planning
        }
    }

    public func notices(_ filter: NoticeFilter) async throws -> [NoticeRecord] {
        try await readLedger { session in
            try await session.rows("\(sql: Self.noticeRows) WHERE \(sql: Self.matching(filter)) ORDER BY n.id").map(Self.noticeRecord)
        }
    }

    public func setNoticeOptOut(idNumber: IDNumber, kind: NoticeKind?, optedOut: Bool, actor: String) async throws -> Bool {
        try await writeLedger { session in
            guard let payer = try await session.row("SELECT id FROM payers WHERE id_number = \(idNumber.value)").map({ try $0.int("id") }) else {
                throw StoreError.notFound(NoticeText.noPayer(idNumber))
            }
            let kindText = kind?.rawValue ?? "all"
            let changed = optedOut
                ? try await session.changes("""
                    INSERT INTO notice_optouts (payer_id, kind, at, actor) VALUES (\(payer), \(kindText), \(Self.now()), \(actor))
                    ON CONFLICT (payer_id, kind) DO NOTHING
                    """)
                : try await session.changes("DELETE FROM notice_optouts WHERE payer_id = \(payer) AND (kind = \(kindText) OR CAST(\(kind?.rawValue) AS TEXT) IS NULL)")
            if changed > 0 {
                try await Self.appendJournal(session, actor: actor, action: optedOut ? "notice.optout" : "notice.optin", subject: idNumber.masked, detail: kindText)
            }
            return changed > 0
        }
    }

    public func noticeOptOuts(idNumber: IDNumber) async throws -> [String] {
        try await readLedger { session in
            try await session.rows("""
                SELECT o.kind FROM notice_optouts o JOIN payers p ON p.id = o.payer_id WHERE p.id_number = \(idNumber.value) ORDER BY o.kind
                """).map { try $0.text("kind") }
        }
    }

    public func noticeCounts() async throws -> (counts: [NoticeCount], optOuts: [String: Int]) {
        try await readLedger { session in
            let counts = try await session.rows("SELECT kind, subject, state, COUNT(*) AS n FROM notices GROUP BY kind, subject, state ORDER BY subject DESC, kind, state")
                .compactMap { row -> NoticeCount? in
                    guard let kind = NoticeKind(rawValue: try row.text("kind")), let state = NoticeState(rawValue: try row.text("state")) else { return nil }
                    return NoticeCount(kind: kind, subject: try row.text("subject"), state: state, count: try row.count("n"))
                }
            var optOuts: [String: Int] = [:]
            for row in try await session.rows("SELECT kind, COUNT(*) AS n FROM notice_optouts GROUP BY kind") { optOuts[try row.text("kind")] = try row.count("n") }
            return (counts, optOuts)
        }
    }

    public func markNoticesExported(_ ids: [Int64], actor: String, file: String) async throws -> Int {
        try await writeLedger { session in
            guard !ids.isEmpty else { return 0 }
            try await session.scratch("notice_ids", "(id BIGINT)")
            try await session.load(into: "notice_ids", columns: ["id"], count: ids.count) { index, row in row.add(ids[index]) }
            let changed = try await session.changes("""
                UPDATE notices SET state = 'exported', sent_at = \(Self.now()) WHERE state = 'planned' AND attempts = 0 AND id IN (SELECT id FROM notice_ids)
                """)
            if changed > 0 {
                try await Self.appendJournal(session, actor: actor, action: "notices.export", subject: file, detail: "\(changed) notices exported")
            }
            return changed
        }
    }

    public func requeueFailedNotices(_ filter: NoticeFilter, actor: String) async throws -> Int {
        try await writeLedger { session in
            let changed = try await session.changes("""
                UPDATE notices SET state = 'planned', attempts = 0, attempted_at = ''
                WHERE state = 'failed' AND id IN (SELECT n.id FROM notices n JOIN payers p ON p.id = n.payer_id WHERE \(sql: Self.matching(filter)))
                """)
            if changed > 0 {
                let what = [filter.kind?.rawValue, filter.subject, filter.idNumber?.masked].compactMap { $0 }.joined(separator: " ")
                try await Self.appendJournal(session, actor: actor, action: "notices.retry", subject: what.isEmpty ? "all" : what,
                                             detail: "\(changed) failed notices planned again")
            }
            return changed
        }
    }

    public func noticesToSend(limit: Int, maxAttempts: Int) async throws -> [NoticeRecord] {
        try await readLedger { session in
            try await session.rows("""
                \(sql: Self.noticeRows) WHERE n.state = 'planned' AND n.attempts < \(maxAttempts) AND NOT \(sql: Self.optedOut("n")) ORDER BY n.id LIMIT \(limit)
                """).map(Self.noticeRecord)
        }
    }

    public func beginNoticeAttempt(id: Int64) async throws -> String {
        try await writeLedger { session in
            // The client reference is the notice's for good (given at planning): a retry after a timeout
            // or a crash names the same message, which a gateway that dedups by it sends once.
            try await session.execute("UPDATE notices SET attempts = attempts + 1, attempted_at = \(Self.now()) WHERE id = \(id) AND state = 'planned'")
            return try await session.row("SELECT client_ref FROM notices WHERE id = \(id)").map { try $0.text("client_ref") } ?? "PK-\(id)"
        }
    }

    public func finishNotice(id: Int64, gatewayID: String?, error: String?, final: Bool, uncounted: Bool) async throws {
        try await writeLedger { session in
            if let gatewayID {
                try await session.execute("UPDATE notices SET state = 'sent', gateway_id = \(gatewayID), sent_at = \(Self.now()), last_error = '' WHERE id = \(id)")
            } else {
                try await session.execute("""
                    UPDATE notices SET state = \(final ? "failed" : "planned"), last_error = \(error ?? ""), attempts = attempts - \(uncounted ? 1 : 0) WHERE id = \(id)
                    """)
            }
        }
    }

    /// The notices (`n`) with their payer's ID and name (`p`), as ``noticeRecord(_:)`` reads them.
    static var noticeRows: LedgerSQL { "SELECT n.*, p.id_number, p.name FROM notices n JOIN payers p ON p.id = n.payer_id" }

    /// The notices `filter` selects, of ``noticeRows``.
    static func matching(_ filter: NoticeFilter) -> LedgerSQL {
        """
        (CAST(\(filter.kind?.rawValue) AS TEXT) IS NULL OR n.kind = \(filter.kind?.rawValue))
          AND (CAST(\(filter.subject) AS TEXT) IS NULL OR n.subject = \(filter.subject))
          AND (CAST(\(filter.state?.rawValue) AS TEXT) IS NULL OR n.state = \(filter.state?.rawValue))
          AND (CAST(\(filter.idNumber?.value) AS TEXT) IS NULL OR p.id_number = \(filter.idNumber?.value))
        """
    }

    /// Whether the notice's payer refuses its kind (or every kind): `alias` names the notices table.
    static func optedOut(_ alias: String) -> LedgerSQL {
        LedgerSQL(stringLiteral: "EXISTS (SELECT 1 FROM notice_optouts o WHERE o.payer_id = \(alias).payer_id AND (o.kind = \(alias).kind OR o.kind = 'all'))")
    }

    public func noticesToExport(_ filter: NoticeFilter) async throws -> [NoticeRecord] {
        try await readLedger { session in
            try await session.rows("""
                \(sql: Self.noticeRows) WHERE n.state = 'planned' AND n.attempts = 0 AND NOT \(sql: Self.optedOut("n")) AND \(sql: Self.matching(filter))
                ORDER BY n.id
                """).map(Self.noticeRecord)
        }
    }

    static func noticeRecord(_ row: LedgerRow) throws -> NoticeRecord {
        guard let kind = NoticeKind(rawValue: try row.text("kind")), let state = NoticeState(rawValue: try row.text("state")) else {
            throw StoreError.unavailable(Message(zh: "一条通知的类型或状态不是 Pikou 认识的；对账库在 Pikou 之外被改动过",
                                                 en: "a notice's kind or state is not one Pikou knows; the store was changed outside Pikou"))
        }
        return NoticeRecord(
            id: try row.int("id"), payerID: try row.int("payer_id"), idNumber: IDNumber(stored: try row.text("id_number")), name: try row.text("name"),
            kind: kind, subject: try row.text("subject"), phone: try row.text("phone"), text: try row.text("text"), state: state,
            plannedAt: try row.text("planned_at"), sentAt: try row.text("sent_at"), gatewayID: try row.text("gateway_id"),
            attempts: try row.count("attempts"), lastError: try row.text("last_error"),
            values: noticeValues(try row.text("params")), attemptedAt: try row.text("attempted_at"), clientRef: try row.text("client_ref"))
    }

    /// A notice's variables as the `params` column keeps them: a JSON object of strings, keys sorted.
    static func noticeValuesJSON(_ values: [String: String]) -> String {
        guard !values.isEmpty, let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func noticeValues(_ json: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] ?? [:]
    }
}

/// How both backends word the notices' errors.
enum NoticeText {
    static func noPayer(_ idNumber: IDNumber) -> Message {
        Message(zh: "对账库中没有缴费人 \(idNumber.masked)", en: "no payer \(idNumber.masked) in the store")
    }
}
