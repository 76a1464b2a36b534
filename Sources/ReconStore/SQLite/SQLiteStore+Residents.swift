import Foundation
import GRDB
public import PikouCore

/// The residents' annual scheme (``ResidentsSQL``).
extension SQLiteStore {
    public func residentEnrollments(year: Int) async throws -> [ResidentEnrollment] {
        try await pool.read { db in
            var memberships: [String: [GroupMembershipRecord]] = [:]
            for row in try Row.fetchAll(db, sql: ResidentsSQL.memberships) {
                let id: String = row["id_number"]
                memberships[id, default: []].append(MembershipText.record(
                    idNumber: IDNumber(stored: id), group: row["group_name"], department: row["department"], from: row["valid_from"], to: row["valid_to"]))
            }
            var dues: [Int64: [ResidentDueRecord]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(ResidentsSQL.dueColumns) FROM resident_due_states WHERE year = \(year) ORDER BY payer_id, insurance, seq") {
                let due = try Self.residentDue(row)
                dues[row["payer_id"], default: []].append(due)
            }
            return try Row.fetchAll(db, sql: ResidentsSQL.enrollments(year: year)).map { row in
                let payerID: Int64 = row["payer_id"], id: String = row["id_number"]
                let insurance = try ResidentsText.insurance(row["insurance"])
                let joined: String? = row["joined"]
                return ResidentEnrollment(
                    payerID: payerID, idNumber: IDNumber(stored: id), insurance: insurance, tier: row["tier"], joined: joined.flatMap { CivilDate(iso: $0) },
                    suspended: row["suspended"], memberships: memberships[id] ?? [], dues: (dues[payerID] ?? []).filter { $0.insurance == insurance })
            }
        }
    }

    static func residentDue(_ row: Row) throws -> ResidentDueRecord {
        let personal: Int64 = row["personal_fen"]
        let tier: Int64? = row["tier_fen"]
        let parts = ResidentParts(
            tier: tier.map { Money(fen: $0) }, standard: Money(fen: row["standard_fen"]), personal: Money(fen: personal), subsidy: Money(fen: row["subsidy_fen"]),
            government: Money(fen: row["government_fen"]), rule: row["rule"], department: row["department"], coverFrom: Self.date(row["cover_from"]))
        return ResidentDueRecord(
            id: row["id"], insurance: try ResidentsText.insurance(row["insurance"]), year: row["year"], seq: row["seq"], parts: parts, dueID: row["due_id"],
            state: ResidentsSQL.state(personal: personal, covered: row["covered"], elsewhere: row["elsewhere"]))
    }

    public func planResidentDues(year: Int, _ writes: [ResidentDueWrite], actor: String) async throws -> ResidentPlanning {
        try await pool.write { db in
            var planning = ResidentPlanning()
            let now = Self.now()
            // The debitable due of a personal part: a residents' due of the month is re-used (its amount
            // set), a monthly due of the same month refuses.
            // Prepared once: a county's window plans tens of thousands of dues in this transaction.
            let upsertDue = try db.cachedStatement(sql: """
                INSERT INTO dues (payer_id, insurance, period, amount_fen, scheme) VALUES (?, ?, ?, ?, 'residents-annual')
                ON CONFLICT (payer_id, insurance, period) DO UPDATE SET amount_fen = excluded.amount_fen WHERE dues.scheme = 'residents-annual'
                """)
            let findDue = try db.cachedStatement(sql: "SELECT id FROM dues WHERE payer_id = ? AND insurance = ? AND period = ? AND scheme = 'residents-annual'")
            let insertResidentDue = try db.cachedStatement(sql: """
                INSERT INTO resident_dues (payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, priced_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            func debitableDue(payerID: Int64, insurance: Insurance, year: Int, seq: Int, personal: Money) throws -> Int64? {
                let period = ResidentsSQL.period(year: year, seq: seq)
                try upsertDue.execute(arguments: [payerID, insurance.rawValue, period, personal.fen])
                return try Int64.fetchOne(findDue, arguments: [payerID, insurance.rawValue, period])
            }
            func values(_ parts: ResidentParts) -> StatementArguments {
                [parts.tier?.fen, parts.standard.fen, parts.personal.fen, parts.subsidy.fen, parts.government.fen, parts.rule, parts.department, parts.coverFrom.description, now]
            }
            for write in writes {
                switch write {
                case .insert(let payerID, let insurance, let year, let seq, let parts):
                    var dueID: Int64?
                    if parts.personal.fen > 0 {
                        dueID = try debitableDue(payerID: payerID, insurance: insurance, year: year, seq: seq, personal: parts.personal)
                        guard dueID != nil else {
                            planning.refused.append(try ResidentsText.monthlyClash(db, payerID: payerID, insurance: insurance, year: year, seq: seq))
                            continue
                        }
                    }
                    try insertResidentDue.execute(arguments: [payerID, insurance.rawValue, year, seq, dueID] + values(parts))
                    if seq == 1 { planning.inserted += 1 } else { planning.differences += 1 }
                case .reprice(let id, let parts):
                    guard let row = try Row.fetchOne(db, sql: "SELECT \(ResidentsSQL.dueColumns) FROM resident_due_states WHERE id = ?", arguments: [id]) else {
                        planning.refused.append("resident due \(id) does not exist")
                        continue
                    }
                    let old = try Self.residentDue(row)
                    let payerID: Int64 = row["payer_id"]
                    if old.dueID != nil, [.paid, .pending, .paidElsewhere].contains(old.state) {
                        planning.refused.append(try ResidentsText.collected(db, payerID: payerID, old))
                        continue
                    }
                    var dueID = old.dueID
                    if parts.personal.fen > 0 {
                        dueID = try debitableDue(payerID: payerID, insurance: old.insurance, year: old.year, seq: old.seq, personal: parts.personal)
                        guard dueID != nil else {
                            planning.refused.append(try ResidentsText.monthlyClash(db, payerID: payerID, insurance: old.insurance, year: old.year, seq: old.seq))
                            continue
                        }
                    } else {
                        dueID = nil  // nothing to debit: the due stays, unlinked, for its failed debits' history
                    }
                    try db.execute(sql: """
                        UPDATE resident_dues SET due_id = ?, tier_fen = ?, standard_fen = ?, personal_fen = ?, subsidy_fen = ?, government_fen = ?, rule = ?,
                               department = ?, cover_from = ?, priced_at = ? WHERE id = ?
                        """, arguments: [dueID] + values(parts) + [id])
                    planning.repriced += 1
                    try appendJournal(db, actor: actor, action: "dues.reprice", subject: try ResidentsText.subject(db, payerID: payerID),
                                      detail: ResidentsText.reprice(old, parts))
                }
            }
            if planning.inserted + planning.differences + planning.repriced > 0 {
                try appendJournal(db, actor: actor, action: "dues.plan", subject: "residents \(year)", detail: ResidentsText.planned(planning))
            }
            return planning
        }
    }






}

/// How both backends word the residents' refusals and journal lines.
enum ResidentsText {
    static func insurance(_ text: String) throws -> Insurance {
        guard let insurance = Insurance(text) else {
            throw StoreError.unavailable("a residents' row names insurance '\(text)', which Pikou does not know; the store was changed outside Pikou")
        }
        return insurance
    }

    static func monthlyClash(masked: String, insurance: Insurance, year: Int, seq: Int) -> String {
        "\(masked): \(insurance) \(year): the month \(ResidentsSQL.period(year: year, seq: seq)) already holds a flexible-monthly due (one person, one scheme per insurance); nothing planned"
    }

    static func collected(masked: String, _ old: ResidentDueRecord) -> String {
        collected(masked: masked, insurance: old.insurance, year: old.year, seq: old.seq, state: old.state.rawValue)
    }

    static func collected(masked: String, insurance: Insurance, year: Int, seq: Int, state: String) -> String {
        "\(masked): \(insurance) \(year) due \(seq) is \(state) by now; its parts stay (a tier change after payment is a new due for the difference)"
    }

    static func reprice(_ old: ResidentDueRecord, _ parts: ResidentParts) -> String {
        "\(old.insurance) \(old.year) due \(old.seq): personal \(old.parts.personal) → \(parts.personal), subsidy \(old.parts.subsidy) → \(parts.subsidy), 代缴 \(old.parts.government) → \(parts.government)"
            + (parts.rule.isEmpty ? "" : " (\(parts.rule))")
    }

    static func planned(_ planning: ResidentPlanning) -> String {
        "\(planning.inserted) dues planned, \(planning.differences) for a difference, \(planning.repriced) re-priced, \(planning.refused.count) refused"
    }

    static func subject(_ db: Database, payerID: Int64) throws -> String {
        IDNumber(stored: try String.fetchOne(db, sql: "SELECT id_number FROM payers WHERE id = ?", arguments: [payerID]) ?? "").masked
    }

    static func monthlyClash(_ db: Database, payerID: Int64, insurance: Insurance, year: Int, seq: Int) throws -> String {
        monthlyClash(masked: try subject(db, payerID: payerID), insurance: insurance, year: year, seq: seq)
    }

    static func collected(_ db: Database, payerID: Int64, _ old: ResidentDueRecord) throws -> String {
        collected(masked: try subject(db, payerID: payerID), old)
    }
}
