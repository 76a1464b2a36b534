import Foundation
public import PikouCore
import PostgresNIO

/// The residents' annual scheme (``ResidentsSQL``), as SQLiteStore+Residents does it.
///
/// Every statement over `resident_due_states` runs with nested loops off (for its transaction only):
/// the view aggregates a county's debits, and right after a bulk load, before statistics catch up,
/// the planner would otherwise loop over that aggregate once per due — minutes instead of a second
/// (seen: 9 minutes for the finance view of 50,000 residents just after an ingest).
extension PostgresStore {
    static func hashJoinsOnly(_ session: PostgresSession) async throws { try await session.execute("SET LOCAL enable_nestloop = off") }

    public func residentEnrollments(year: Int) async throws -> [ResidentEnrollment] {
        try await read { session in
            try await Self.hashJoinsOnly(session)
            var memberships: [String: [GroupMembershipRecord]] = [:]
            for row in try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.memberships)) {
                let id = try row.text("id_number")
                memberships[id, default: []].append(MembershipText.record(
                    idNumber: IDNumber(stored: id), group: try row.text("group_name"), department: try row.text("department"),
                    from: try row.text("valid_from"), to: try row.text("valid_to")))
            }
            // Positional reads: a county's dues and enrollments are tens of thousands of rows.
            var dues: [Int64: [ResidentDueRecord]] = [:]
            try await session.forEach(PostgresQuery(unsafeSQL: "SELECT \(ResidentsSQL.dueColumns) FROM resident_due_states WHERE year = \(year) ORDER BY payer_id, insurance, seq")) { row in
                let (payerID, due) = try Self.residentDue(&row)
                dues[payerID, default: []].append(due)
            }
            var enrollments: [ResidentEnrollment] = []
            try await session.forEach(PostgresQuery(unsafeSQL: ResidentsSQL.enrollments(year: year))) { row in
                let (payerID, id, insuranceText, tier, joined, suspended) = (try row.int(), try row.text(), try row.text(), try row.text(), try row.optionalText(), try row.int())
                let insurance = try ResidentsText.insurance(insuranceText)
                enrollments.append(ResidentEnrollment(
                    payerID: payerID, idNumber: IDNumber(stored: id), insurance: insurance, tier: tier, joined: joined.flatMap { CivilDate(iso: $0) },
                    suspended: suspended != 0, memberships: memberships[id] ?? [], dues: (dues[payerID] ?? []).filter { $0.insurance == insurance }))
            }
            return enrollments
        }
    }

    /// A due from the cursor's columns in ``ResidentsSQL/dueColumns``' order, with its payer.
    static func residentDue(_ row: inout RowCursor) throws -> (payerID: Int64, due: ResidentDueRecord) {
        let (id, payerID, insurance, year, seq, dueID) = (try row.int(), try row.int(), try row.text(), try row.int(), try row.int(), try row.optionalInt())
        let parts = try residentParts(&row)
        let (covered, elsewhere) = (try row.int(), try row.int())
        return (payerID, ResidentDueRecord(
            id: id, insurance: try ResidentsText.insurance(insurance), year: Int(year), seq: Int(seq), parts: parts, dueID: dueID,
            state: ResidentsSQL.state(personal: parts.personal.fen, covered: covered, elsewhere: elsewhere != 0)))
    }

    /// Parts from the cursor's next columns: tier, standard, personal, subsidy, government (fen), rule, department, cover from.
    static func residentParts(_ row: inout RowCursor) throws -> ResidentParts {
        let (tier, standard, personal, subsidy, government) = (try row.optionalInt(), try row.int(), try row.int(), try row.int(), try row.int())
        let (rule, department, coverFrom) = (try row.text(), try row.text(), try row.text())
        return ResidentParts(tier: tier.map { Money(fen: $0) }, standard: Money(fen: standard), personal: Money(fen: personal), subsidy: Money(fen: subsidy),
                             government: Money(fen: government), rule: rule, department: department, coverFrom: date(coverFrom))
    }

    /// Staged by COPY and applied by set-based statements (a county's window plans tens of thousands
    /// of dues; a round trip per row costs ~150 µs each here), in the order SQLite applies them row by row.
    public func planResidentDues(year: Int, _ writes: [ResidentDueWrite], actor: String) async throws -> ResidentPlanning {
        try await write { session in
            var planning = ResidentPlanning()
            guard !writes.isEmpty else { return planning }
            let now = Self.now()
            try await Self.hashJoinsOnly(session)
            try await session.execute("""
                CREATE TEMP TABLE resident_in (
                    n BIGINT, rid BIGINT, payer_id BIGINT, insurance TEXT, year BIGINT, seq BIGINT, tier_fen BIGINT, standard_fen BIGINT,
                    personal_fen BIGINT, subsidy_fen BIGINT, government_fen BIGINT, rule TEXT, department TEXT, cover_from TEXT,
                    due_id BIGINT, refused TEXT
                ) ON COMMIT DROP
                """)
            try await session.copy(into: "resident_in", columns: [], count: writes.count) { index, row in
                let parts: ResidentParts
                row.add(index)
                switch writes[index] {
                case .insert(let payerID, let insurance, let year, let seq, let p):
                    parts = p
                    row.addNull()
                    row.add(payerID)
                    row.add(insurance.rawValue)
                    row.add(year)
                    row.add(seq)
                case .reprice(let id, let p):
                    parts = p
                    row.add(id)
                    for _ in 0..<4 { row.addNull() }
                }
                row.add(parts.tier?.fen)
                row.add(parts.standard.fen)
                row.add(parts.personal.fen)
                row.add(parts.subsidy.fen)
                row.add(parts.government.fen)
                row.add(parts.rule)
                row.add(parts.department)
                row.add(parts.coverFrom.description)
                row.addNull()
                row.addNull()
            }
            // A re-pricing takes the stored due's person and place; one whose personal part was
            // collected, is pending or was paid elsewhere by now is refused.
            try await session.execute("""
                UPDATE resident_in i SET payer_id = s.payer_id, insurance = s.insurance, year = s.year, seq = s.seq,
                       refused = CASE WHEN s.due_id IS NOT NULL AND (s.covered IN (1, 2) OR s.elsewhere = 1) THEN 'collected' END
                FROM resident_due_states s WHERE i.rid = s.id
                """)
            try await session.execute("UPDATE resident_in SET refused = 'missing' WHERE rid IS NOT NULL AND payer_id IS NULL")
            // The debitable dues of personal parts above zero: a residents' due of the month re-used, a monthly one refusing.
            try await session.execute("""
                INSERT INTO dues (payer_id, insurance, period, amount_fen, scheme)
                SELECT payer_id, insurance, year * 100 + seq, personal_fen, 'residents-annual' FROM resident_in
                WHERE refused IS NULL AND personal_fen > 0 ORDER BY payer_id, insurance, seq
                ON CONFLICT (payer_id, insurance, period) DO UPDATE SET amount_fen = excluded.amount_fen WHERE dues.scheme = 'residents-annual'
                """)
            try await session.execute("""
                UPDATE resident_in i SET due_id = d.id FROM dues d
                WHERE i.refused IS NULL AND i.personal_fen > 0 AND d.payer_id = i.payer_id AND d.insurance = i.insurance
                  AND d.period = i.year * 100 + i.seq AND d.scheme = 'residents-annual'
                """)
            try await session.execute("UPDATE resident_in SET refused = 'monthly' WHERE refused IS NULL AND personal_fen > 0 AND due_id IS NULL")
            for row in try await session.rows("""
                SELECT i.n, i.rid, i.refused, i.insurance, i.year, i.seq, p.id_number, s.state_text FROM resident_in i
                LEFT JOIN payers p ON p.id = i.payer_id
                LEFT JOIN (SELECT id, CASE WHEN covered = 2 THEN 'paid' WHEN covered = 1 THEN 'pending' ELSE 'paidElsewhere' END AS state_text
                           FROM resident_due_states) s ON s.id = i.rid
                WHERE i.refused IS NOT NULL ORDER BY i.n
                """) {
                let masked = IDNumber(stored: try row.optionalText("id_number") ?? "").masked
                switch try row.text("refused") {
                case "missing": planning.refused.append("resident due \(try row.int("rid")) does not exist")
                case "monthly":
                    planning.refused.append(ResidentsText.monthlyClash(masked: masked, insurance: try ResidentsText.insurance(try row.text("insurance")),
                                                                       year: Int(try row.int("year")), seq: Int(try row.int("seq"))))
                default:
                    planning.refused.append(ResidentsText.collected(masked: masked, insurance: try ResidentsText.insurance(try row.text("insurance")),
                                                                    year: Int(try row.int("year")), seq: Int(try row.int("seq")), state: try row.optionalText("state_text") ?? ""))
                }
            }
            let inserted = try await session.rows("""
                INSERT INTO resident_dues (payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, priced_at)
                SELECT payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, \(now)
                FROM resident_in WHERE rid IS NULL AND refused IS NULL ORDER BY n
                RETURNING seq
                """)
            for row in inserted { if try row.int("seq") == 1 { planning.inserted += 1 } else { planning.differences += 1 } }
            // Re-priced: journaled one by one with what changed, then applied at once.
            var entries: [JournalEntry] = []
            let columns = ResidentsSQL.dueColumns.split(separator: ", ").map { "s." + $0 }.joined(separator: ", ")
            try await session.forEach(PostgresQuery(unsafeSQL: """
                SELECT \(columns), i.tier_fen, i.standard_fen, i.personal_fen, i.subsidy_fen, i.government_fen, i.rule, i.department, i.cover_from, p.id_number
                FROM resident_in i JOIN resident_due_states s ON s.id = i.rid JOIN payers p ON p.id = s.payer_id
                WHERE i.refused IS NULL ORDER BY i.n
                """)) { row in
                let (_, old) = try Self.residentDue(&row)
                let parts = try Self.residentParts(&row)
                entries.append(JournalEntry(actor: actor, action: "dues.reprice", subject: IDNumber(stored: try row.text()).masked,
                                            detail: ResidentsText.reprice(old, parts)))
            }
            try await session.execute("""
                UPDATE resident_dues rd SET due_id = i.due_id, tier_fen = i.tier_fen, standard_fen = i.standard_fen, personal_fen = i.personal_fen,
                       subsidy_fen = i.subsidy_fen, government_fen = i.government_fen, rule = i.rule, department = i.department, cover_from = i.cover_from,
                       priced_at = \(now)
                FROM resident_in i WHERE i.rid = rd.id AND i.refused IS NULL
                """)
            planning.repriced = entries.count
            if planning.inserted + planning.differences + planning.repriced > 0 {
                entries.append(JournalEntry(actor: actor, action: "dues.plan", subject: "residents \(year)", detail: ResidentsText.planned(planning)))
            }
            try await appendJournal(session, entries)
            return planning
        }
    }






}
