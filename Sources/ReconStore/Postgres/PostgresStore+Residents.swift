import Foundation
public import PikouCore
import PostgresNIO

/// The residents' annual scheme (``ResidentsSQL``), as SQLiteStore+Residents does it.
extension PostgresStore {
    public func residentEnrollments(year: Int) async throws -> [ResidentEnrollment] {
        try await read { session in
            var memberships: [String: [GroupMembershipRecord]] = [:]
            for row in try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.memberships)) {
                let id = try row.text("id_number")
                memberships[id, default: []].append(MembershipText.record(
                    idNumber: IDNumber(stored: id), group: try row.text("group_name"), department: try row.text("department"),
                    from: try row.text("valid_from"), to: try row.text("valid_to")))
            }
            var dues: [Int64: [ResidentDueRecord]] = [:]
            for row in try await session.rows(PostgresQuery(unsafeSQL: "SELECT \(ResidentsSQL.dueColumns) FROM resident_due_states WHERE year = \(year) ORDER BY payer_id, insurance, seq")) {
                dues[try row.int("payer_id"), default: []].append(try Self.residentDue(row))
            }
            return try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.enrollments(year: year))).map { row in
                let payerID = try row.int("payer_id"), id = try row.text("id_number")
                let insurance = try ResidentsText.insurance(try row.text("insurance"))
                return ResidentEnrollment(
                    payerID: payerID, idNumber: IDNumber(stored: id), insurance: insurance, tier: try row.text("tier"),
                    joined: try row.optionalText("joined").flatMap { CivilDate(iso: $0) }, suspended: try row.int("suspended") != 0,
                    memberships: memberships[id] ?? [], dues: (dues[payerID] ?? []).filter { $0.insurance == insurance })
            }
        }
    }

    static func residentDue(_ row: PostgresRandomAccessRow) throws -> ResidentDueRecord {
        let personal = try row.int("personal_fen")
        let parts = ResidentParts(
            tier: try row.optionalInt("tier_fen").map { Money(fen: $0) }, standard: try row.money("standard_fen"), personal: Money(fen: personal),
            subsidy: try row.money("subsidy_fen"), government: try row.money("government_fen"), rule: try row.text("rule"),
            department: try row.text("department"), coverFrom: Self.date(try row.text("cover_from")))
        return ResidentDueRecord(
            id: try row.int("id"), insurance: try ResidentsText.insurance(try row.text("insurance")), year: Int(try row.int("year")), seq: Int(try row.int("seq")),
            parts: parts, dueID: try row.optionalInt("due_id"),
            state: ResidentsSQL.state(personal: personal, covered: try row.int("covered"), elsewhere: try row.int("elsewhere") != 0))
    }

    public func planResidentDues(year: Int, _ writes: [ResidentDueWrite], actor: String) async throws -> ResidentPlanning {
        try await write { session in
            var planning = ResidentPlanning()
            let now = Self.now()
            func subject(_ payerID: Int64) async throws -> String {
                IDNumber(stored: try await session.value("SELECT id_number FROM payers WHERE id = \(payerID)", as: String.self) ?? "").masked
            }
            // The debitable due of a personal part: a residents' due of the month is re-used (its amount
            // set), a monthly due of the same month refuses.
            func debitableDue(payerID: Int64, insurance: Insurance, year: Int, seq: Int, personal: Money) async throws -> Int64? {
                let period = Int64(ResidentsSQL.period(year: year, seq: seq))
                try await session.execute("""
                    INSERT INTO dues (payer_id, insurance, period, amount_fen, scheme) VALUES (\(payerID), \(insurance.rawValue), \(period), \(personal.fen), 'residents-annual')
                    ON CONFLICT (payer_id, insurance, period) DO UPDATE SET amount_fen = excluded.amount_fen WHERE dues.scheme = 'residents-annual'
                    """)
                return try await session.value("""
                    SELECT id FROM dues WHERE payer_id = \(payerID) AND insurance = \(insurance.rawValue) AND period = \(period) AND scheme = 'residents-annual'
                    """, as: Int64.self)
            }
            for write in writes {
                switch write {
                case .insert(let payerID, let insurance, let year, let seq, let parts):
                    var dueID: Int64?
                    if parts.personal.fen > 0 {
                        dueID = try await debitableDue(payerID: payerID, insurance: insurance, year: year, seq: seq, personal: parts.personal)
                        guard dueID != nil else {
                            planning.refused.append(ResidentsText.monthlyClash(masked: try await subject(payerID), insurance: insurance, year: year, seq: seq))
                            continue
                        }
                    }
                    try await session.execute("""
                        INSERT INTO resident_dues (payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, priced_at)
                        VALUES (\(payerID), \(insurance.rawValue), \(Int64(year)), \(Int64(seq)), \(dueID), \(parts.tier?.fen), \(parts.standard.fen), \(parts.personal.fen),
                                \(parts.subsidy.fen), \(parts.government.fen), \(parts.rule), \(parts.department), \(parts.coverFrom.description), \(now))
                        """)
                    if seq == 1 { planning.inserted += 1 } else { planning.differences += 1 }
                case .reprice(let id, let parts):
                    guard let row = try await session.row(PostgresQuery(unsafeSQL: "SELECT \(ResidentsSQL.dueColumns) FROM resident_due_states WHERE id = \(id)")) else {
                        planning.refused.append("resident due \(id) does not exist")
                        continue
                    }
                    let old = try Self.residentDue(row)
                    let payerID = try row.int("payer_id")
                    if old.dueID != nil, [.paid, .pending, .paidElsewhere].contains(old.state) {
                        planning.refused.append(ResidentsText.collected(masked: try await subject(payerID), old))
                        continue
                    }
                    var dueID: Int64?
                    if parts.personal.fen > 0 {
                        dueID = try await debitableDue(payerID: payerID, insurance: old.insurance, year: old.year, seq: old.seq, personal: parts.personal)
                        guard dueID != nil else {
                            planning.refused.append(ResidentsText.monthlyClash(masked: try await subject(payerID), insurance: old.insurance, year: old.year, seq: old.seq))
                            continue
                        }
                    }
                    try await session.execute("""
                        UPDATE resident_dues SET due_id = \(dueID), tier_fen = \(parts.tier?.fen), standard_fen = \(parts.standard.fen), personal_fen = \(parts.personal.fen),
                               subsidy_fen = \(parts.subsidy.fen), government_fen = \(parts.government.fen), rule = \(parts.rule), department = \(parts.department),
                               cover_from = \(parts.coverFrom.description), priced_at = \(now) WHERE id = \(id)
                        """)
                    planning.repriced += 1
                    try await appendJournal(session, actor: actor, action: "dues.reprice", subject: try await subject(payerID), detail: ResidentsText.reprice(old, parts))
                }
            }
            if planning.inserted + planning.differences + planning.repriced > 0 {
                try await appendJournal(session, actor: actor, action: "dues.plan", subject: "residents \(year)", detail: ResidentsText.planned(planning))
            }
            return planning
        }
    }

    public func residentDues(idNumber: IDNumber) async throws -> [ResidentDueRecord] {
        try await read { session in
            try await session.rows("""
                SELECT id, payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, covered, elsewhere
                FROM resident_due_states WHERE payer_id = (SELECT id FROM payers WHERE id_number = \(idNumber.value)) ORDER BY year, insurance, seq
                """).map(Self.residentDue)
        }
    }

    public func residentsRounds(year: Int) async throws -> [ResidentsRound] {
        try await read { session in
            try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.rounds(year: year))).map {
                ResidentsRound(round: Int(try $0.int("round")), fileDate: Self.date(try $0.text("file_date")), files: try $0.count("files"),
                               lines: try $0.count("lines"), total: try $0.money("fen"))
            }
        }
    }

    public func residentsFiles(year: Int) async throws -> [FileStatus] { try await fileStatus(where: ResidentsSQL.roundFiles(year: year)) }

    public func residentsReport(year: Int, by grouping: ResidentsGrouping) async throws -> [ResidentsReportRow] {
        try await read { session in
            try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.report(year: year, by: grouping))).map { row in
                var line = ResidentsReportRow(group: try row.text("grp"), insurance: try ResidentsText.insurance(try row.text("insurance")))
                (line.dues, line.standardFen, line.personalFen) = (try row.count("dues"), try row.int("standard_fen"), try row.int("personal_fen"))
                (line.debitedFen, line.elsewhereFen) = (try row.int("debited_fen"), try row.int("elsewhere_fen"))
                (line.subsidyFen, line.governmentFen) = (try row.int("subsidy_fen"), try row.int("government_fen"))
                return line
            }
        }
    }

    public func publicFunds(year: Int) async throws -> [PublicFundsRow] {
        try await read { session in
            try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.publicFunds(year: year))).map { row in
                var line = PublicFundsRow(department: try row.text("department"), rule: try row.text("rule"), insurance: try ResidentsText.insurance(try row.text("insurance")))
                (line.persons, line.subsidyFen, line.governmentFen) = (try row.count("persons"), try row.int("subsidy_fen"), try row.int("government_fen"))
                return line
            }
        }
    }

    public func participation(year: Int) async throws -> [ParticipationCount] {
        try await read { session in
            try await session.rows(PostgresQuery(unsafeSQL: ResidentsSQL.participation(year: year))).map { row in
                var count = ParticipationCount(district: try row.text("district"), street: try row.text("street"), community: try row.text("community"),
                                               insurance: try ResidentsText.insurance(try row.text("insurance")))
                (count.enrolled, count.paid) = (try row.count("enrolled"), try row.count("paid"))
                return count
            }
        }
    }
}
