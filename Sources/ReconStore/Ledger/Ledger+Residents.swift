import PikouCore

/// The residents' scheme (``ResidentsSQL``): the year's enrollments, its planning, and the reads a
/// person or finance asks for — written once for both backends.
///
/// Every statement over `resident_due_states` runs after ``LedgerSession/hashJoinsOnly()``: the view
/// aggregates a county's debits, and right after a bulk load, before statistics catch up,
/// PostgreSQL's planner would otherwise loop over that aggregate once per due — minutes instead of a
/// second (seen: 9 minutes for the finance view of 50,000 residents just after an ingest).
extension LedgerStore {
    public func residentDues(idNumber: IDNumber) async throws -> [ResidentDueRecord] {
        try await readLedger { session in
            try await session.rows("""
                SELECT \(sql: LedgerSQL(stringLiteral: ResidentsSQL.dueColumns))
                FROM resident_due_states WHERE payer_id = (SELECT id FROM payers WHERE id_number = \(idNumber.value)) ORDER BY year, insurance, seq
                """).map(Self.residentDueRecord)
        }
    }

    public func residentsRounds(year: Int) async throws -> [ResidentsRound] {
        try await readLedger { session in
            try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.rounds(year: year))).map {
                ResidentsRound(round: try $0.count("round"), fileDate: Self.date(try $0.text("file_date")), files: try $0.count("files"),
                               lines: try $0.count("lines"), total: try $0.money("fen"))
            }
        }
    }

    public func residentsReport(year: Int, by grouping: ResidentsGrouping) async throws -> [ResidentsReportRow] {
        try await readLedger { session in
            try await session.hashJoinsOnly()
            return try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.report(year: year, by: grouping))).map { row in
                var line = ResidentsReportRow(group: try row.text("grp"), insurance: try ResidentsText.insurance(try row.text("insurance")))
                (line.dues, line.standardFen, line.personalFen) = (try row.count("dues"), try row.int("standard_fen"), try row.int("personal_fen"))
                (line.debitedFen, line.elsewhereFen) = (try row.int("debited_fen"), try row.int("elsewhere_fen"))
                (line.subsidyFen, line.governmentFen) = (try row.int("subsidy_fen"), try row.int("government_fen"))
                return line
            }
        }
    }

    public func publicFunds(year: Int) async throws -> [PublicFundsRow] {
        try await readLedger { session in
            try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.publicFunds(year: year))).map { row in
                var line = PublicFundsRow(department: try row.text("department"), rule: try row.text("rule"), insurance: try ResidentsText.insurance(try row.text("insurance")))
                (line.persons, line.subsidyFen, line.governmentFen) = (try row.count("persons"), try row.int("subsidy_fen"), try row.int("government_fen"))
                return line
            }
        }
    }

    public func participation(year: Int) async throws -> [ParticipationCount] {
        try await readLedger { session in
            try await session.hashJoinsOnly()
            return try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.participation(year: year))).map { row in
                var count = ParticipationCount(district: try row.text("district"), street: try row.text("street"), community: try row.text("community"),
                                               insurance: try ResidentsText.insurance(try row.text("insurance")))
                (count.enrolled, count.paid) = (try row.count("enrolled"), try row.count("paid"))
                return count
            }
        }
    }

    public func unpaidResidents(year: Int) async throws -> [UnpaidResident] {
        try await readLedger { session in
            try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.unpaid(year: year))).map { row in
                let tier = try row.optionalInt("tier_fen") ?? 0
                return UnpaidResident(
                    district: try row.text("district"), street: try row.text("street"), community: try row.text("community"), name: try row.text("name"),
                    idNumber: try IDNumber(try row.text("id_number")), phone: try row.text("phone"), insurance: try ResidentsText.insurance(try row.text("insurance")),
                    tier: tier > 0 ? Money(fen: tier) : nil, personal: Money(fen: try row.int("personal_fen")), bank: try row.text("bank"))
            }
        }
    }

    public func residentEnrollments(year: Int) async throws -> [ResidentEnrollment] {
        try await readLedger { session in
            try await session.hashJoinsOnly()
            var memberships: [String: [GroupMembershipRecord]] = [:]
            for row in try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.memberships)) {
                let id = try row.text("id_number")
                memberships[id, default: []].append(MembershipText.record(
                    idNumber: IDNumber(stored: id), group: try row.text("group_name"), department: try row.text("department"),
                    from: try row.text("valid_from"), to: try row.text("valid_to")))
            }
            // Each payer's household: its relation and the other members.
            var households: [String: [(payerID: Int64, id: String, relation: Household.Relation?)]] = [:]
            var householdOf: [Int64: String] = [:]
            for row in try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.households)) {
                let household = try row.text("household"), payerID = try row.int("payer_id")
                households[household, default: []].append((payerID, try row.text("id_number"), Household.Relation(rawValue: try row.text("relation"))))
                householdOf[payerID] = household
            }
            var dues: [Int64: [ResidentDueRecord]] = [:]
            try await session.forEachRow("""
                SELECT \(sql: LedgerSQL(stringLiteral: ResidentsSQL.dueColumns)) FROM resident_due_states WHERE year = \(year) ORDER BY payer_id, insurance, seq
                """) { row in
                dues[try row.int("payer_id"), default: []].append(try Self.residentDueRecord(row))
            }
            var enrollments: [ResidentEnrollment] = []
            var relativesOf: (payerID: Int64, relation: Household.Relation?, relatives: [Household.Member])?
            try await session.forEachRow(LedgerSQL(stringLiteral: ResidentsSQL.enrollments(year: year))) { row in
                let payerID = try row.int("payer_id"), id = try row.text("id_number")
                let insurance = try ResidentsText.insurance(try row.text("insurance"))
                enrollments.append(ResidentEnrollment(
                    payerID: payerID, idNumber: IDNumber(stored: id), insurance: insurance, tier: try row.text("tier"),
                    joined: try row.optionalText("joined").flatMap { CivilDate(iso: $0) }, suspended: try row.bool("suspended"),
                    memberships: memberships[id] ?? [], dues: (dues[payerID] ?? []).filter { $0.insurance == insurance }))
                if let household = householdOf[payerID], let members = households[household] {
                    // Built once a payer, for both of the payer's enrollments (rows come by payer).
                    if relativesOf?.payerID != payerID {
                        relativesOf = (payerID, members.first { $0.payerID == payerID }?.relation, members.filter { $0.payerID != payerID }.map {
                            Household.Member(idNumber: IDNumber(stored: $0.id), relation: $0.relation, memberships: memberships[$0.id] ?? [])
                        })
                    }
                    enrollments[enrollments.count - 1].relation = relativesOf?.relation
                    enrollments[enrollments.count - 1].relatives = relativesOf?.relatives ?? []
                }
            }
            return enrollments
        }
    }

    /// Loaded whole into a scratch table and applied by set-based statements (a county's window plans
    /// tens of thousands of dues), refusals in the writes' order.
    public func planResidentDues(year: Int, _ writes: [ResidentDueWrite], actor: String) async throws -> ResidentPlanning {
        try await writeLedger { session in
            var planning = ResidentPlanning()
            guard !writes.isEmpty else { return planning }
            let now = Self.now()
            try await session.hashJoinsOnly()
            try await Self.loadResidentWrites(writes, session)
            // A re-pricing takes the stored due's person and place; one whose personal part was
            // collected, is pending or was paid elsewhere by now is refused.
            try await session.execute("""
                UPDATE resident_in AS i SET payer_id = s.payer_id, insurance = s.insurance, year = s.year, seq = s.seq,
                       refused = CASE WHEN s.due_id IS NOT NULL AND (s.covered IN (1, 2) OR s.elsewhere = 1) THEN 'collected' END
                FROM resident_due_states s WHERE i.rid = s.id
                """)
            try await session.execute("UPDATE resident_in SET refused = 'missing' WHERE rid IS NOT NULL AND payer_id IS NULL")
            // What changes is sealed where it changes: the dues and parts re-priced, each in its
            // entry (the rest in the planning's), and the runs added in the planning's entry.
            var repriced: [(rid: Int64, dues: [Int64], entry: JournalEntry)] = []
            var residentDues: (records: [Int64: String], run: String?) = ([:], nil)
            let dues = try await SealedTable.dues.sealing(session, changing: """
                SELECT d.id FROM dues d JOIN resident_in i ON d.payer_id = i.payer_id AND d.insurance = i.insurance AND d.period = i.year * 100 + i.seq
                WHERE d.scheme = 'residents-annual'
                """) {
                residentDues = try await SealedTable.residentDues.sealing(session, changing: "SELECT rid FROM resident_in WHERE rid IS NOT NULL") {
                    // The debitable dues of personal parts above zero: a residents' due of the month re-used, a monthly one refusing.
                    try await session.execute("""
                        INSERT INTO dues (payer_id, insurance, period, amount_fen, scheme)
                        SELECT payer_id, insurance, year * 100 + seq, personal_fen, 'residents-annual' FROM resident_in
                        WHERE refused IS NULL AND personal_fen > 0 ORDER BY payer_id, insurance, seq
                        ON CONFLICT (payer_id, insurance, period) DO UPDATE SET amount_fen = excluded.amount_fen WHERE dues.scheme = 'residents-annual'
                        """)
                    try await session.execute("""
                        UPDATE resident_in AS i SET due_id = d.id FROM dues d
                        WHERE i.refused IS NULL AND i.personal_fen > 0 AND d.payer_id = i.payer_id AND d.insurance = i.insurance
                          AND d.period = i.year * 100 + i.seq AND d.scheme = 'residents-annual'
                        """)
                    try await session.execute("UPDATE resident_in SET refused = 'monthly' WHERE refused IS NULL AND personal_fen > 0 AND due_id IS NULL")
                    planning.refused = try await Self.residentRefusals(session)
                    for row in try await session.rows("""
                        INSERT INTO resident_dues (payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, priced_at)
                        SELECT payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, \(now)
                        FROM resident_in WHERE rid IS NULL AND refused IS NULL ORDER BY n
                        RETURNING seq
                        """) {
                        if try row.int("seq") == 1 { planning.inserted += 1 } else { planning.differences += 1 }
                    }
                    // Re-priced: journaled one by one with what changed, then applied at once.
                    repriced = try await Self.repricings(session, actor: actor)
                    try await session.execute("""
                        UPDATE resident_dues AS rd SET due_id = i.due_id, tier_fen = i.tier_fen, standard_fen = i.standard_fen, personal_fen = i.personal_fen,
                               subsidy_fen = i.subsidy_fen, government_fen = i.government_fen, rule = i.rule, department = i.department, cover_from = i.cover_from,
                               priced_at = \(now)
                        FROM resident_in i WHERE i.rid = rd.id AND i.refused IS NULL
                        """)
                }
            }
            var duesLeft = dues.records, partsLeft = residentDues.records
            var entries = repriced.map { write in
                var entry = write.entry
                let seals = ([partsLeft.removeValue(forKey: write.rid)] + write.dues.map { duesLeft.removeValue(forKey: $0) }).compactMap { $0 }
                entry.detail += seals.map { "; " + $0 }.joined()
                return entry
            }
            let seals = ([dues.run, residentDues.run].compactMap { $0 } + duesLeft.sorted { $0.key < $1.key }.map(\.value)
                         + partsLeft.sorted { $0.key < $1.key }.map(\.value)).map { "; " + $0 }.joined()
            planning.repriced = entries.count
            if planning.inserted + planning.differences + planning.repriced > 0 || !seals.isEmpty {
                entries.append(JournalEntry(actor: actor, action: "dues.plan", subject: "residents \(year)", detail: ResidentsText.planned(planning) + seals))
            }
            try await Self.appendJournal(session, entries)
            return planning
        }
    }

    /// The writes refused, in their order: a due that does not exist, a month holding a monthly due,
    /// a due collected, pending or paid elsewhere by now.
    private static func residentRefusals(_ session: any LedgerSession) async throws -> [String] {
        var refused: [String] = []
        for row in try await session.rows("""
            SELECT i.n, i.rid, i.refused, i.insurance, i.year, i.seq, p.id_number, s.state_text FROM resident_in i
            LEFT JOIN payers p ON p.id = i.payer_id
            LEFT JOIN (SELECT id, CASE WHEN covered = 2 THEN 'paid' WHEN covered = 1 THEN 'pending' ELSE 'paidElsewhere' END AS state_text
                       FROM resident_due_states) s ON s.id = i.rid
            WHERE i.refused IS NOT NULL ORDER BY i.n
            """) {
            let masked = IDNumber(stored: try row.optionalText("id_number") ?? "").masked
            let why = try row.text("refused")
            if why == "missing" {
                refused.append("resident due \(try row.int("rid")) does not exist")
                continue
            }
            let (insurance, year, seq) = (try ResidentsText.insurance(try row.text("insurance")), try row.count("year"), try row.count("seq"))
            refused.append(why == "monthly"
                ? ResidentsText.monthlyClash(masked: masked, insurance: insurance, year: year, seq: seq)
                : ResidentsText.collected(masked: masked, insurance: insurance, year: year, seq: seq, state: try row.optionalText("state_text") ?? ""))
        }
        return refused
    }

    /// A journal entry for each re-pricing that stands, with what changed, and the residents' due and
    /// the dues (before and after) it re-prices.
    private static func repricings(_ session: any LedgerSession, actor: String) async throws -> [(rid: Int64, dues: [Int64], entry: JournalEntry)] {
        var entries: [(rid: Int64, dues: [Int64], entry: JournalEntry)] = []
        let stored = ResidentsSQL.dueColumns.split(separator: ", ").map { "s." + $0 }.joined(separator: ", ")
        let new = Self.partColumns.map { "i.\($0) AS new_\($0)" }.joined(separator: ", ")
        try await session.forEachRow("""
            SELECT \(sql: LedgerSQL(stringLiteral: stored)), \(sql: LedgerSQL(stringLiteral: new)), i.due_id AS new_due_id, p.id_number AS payer_id_number
            FROM resident_in i JOIN resident_due_states s ON s.id = i.rid JOIN payers p ON p.id = s.payer_id
            WHERE i.refused IS NULL ORDER BY i.n
            """) { row in
            let dues = Set([try row.optionalInt("due_id"), try row.optionalInt("new_due_id")].compactMap { $0 }).sorted()
            entries.append((try row.int("id"), dues, JournalEntry(actor: actor, action: "dues.reprice", subject: IDNumber(stored: try row.text("payer_id_number")).masked,
                                                               detail: ResidentsText.reprice(try Self.residentDueRecord(row), try Self.residentParts(row, prefix: "new_")))))
        }
        return entries
    }

    /// A due's parts as stored, in ``residentParts(_:prefix:)``'s column names.
    private static var partColumns: [String] {
        ["tier_fen", "standard_fen", "personal_fen", "subsidy_fen", "government_fen", "rule", "department", "cover_from"]
    }

    /// The writes into the scratch table `resident_in`: an insert with its person and place, a
    /// re-pricing with the id of the due it re-prices (`rid`).
    private static func loadResidentWrites(_ writes: [ResidentDueWrite], _ session: any LedgerSession) async throws {
        try await session.scratch("resident_in", """
            (n BIGINT, rid BIGINT, payer_id BIGINT, insurance TEXT, year BIGINT, seq BIGINT, tier_fen BIGINT, standard_fen BIGINT,
             personal_fen BIGINT, subsidy_fen BIGINT, government_fen BIGINT, rule TEXT, department TEXT, cover_from TEXT, due_id BIGINT, refused TEXT)
            """)
        try await session.load(into: "resident_in", columns: ["n", "rid", "payer_id", "insurance", "year", "seq"] + partColumns, count: writes.count) { index, row in
            let parts: ResidentParts
            row.add(index)
            switch writes[index] {
            case .insert(let payerID, let insurance, let year, let seq, let p):
                parts = p
                row.add(nil as Int64?)
                row.add(payerID)
                row.add(insurance.rawValue)
                row.add(year)
                row.add(seq)
            case .reprice(let id, let p):
                parts = p
                row.add(id)
                row.add(nil as Int64?)
                row.add(nil as String?)
                row.add(nil as Int64?)
                row.add(nil as Int64?)
            }
            row.add(parts.tier?.fen)
            row.add(parts.standard.fen)
            row.add(parts.personal.fen)
            row.add(parts.subsidy.fen)
            row.add(parts.government.fen)
            row.add(parts.rule)
            row.add(parts.department)
            row.add(parts.coverFrom.description)
        }
    }

    /// A due's parts from ``partColumns`` (each name after `prefix`).
    static func residentParts(_ row: LedgerRow, prefix: String = "") throws -> ResidentParts {
        ResidentParts(
            tier: try row.optionalInt(prefix + "tier_fen").map { Money(fen: $0) }, standard: try row.money(prefix + "standard_fen"),
            personal: try row.money(prefix + "personal_fen"), subsidy: try row.money(prefix + "subsidy_fen"),
            government: try row.money(prefix + "government_fen"), rule: try row.text(prefix + "rule"),
            department: try row.text(prefix + "department"), coverFrom: Self.date(try row.text(prefix + "cover_from")))
    }

    /// A due from ``ResidentsSQL/dueColumns``.
    static func residentDueRecord(_ row: LedgerRow) throws -> ResidentDueRecord {
        let parts = try residentParts(row)
        return ResidentDueRecord(
            id: try row.int("id"), insurance: try ResidentsText.insurance(try row.text("insurance")), year: try row.count("year"), seq: try row.count("seq"),
            parts: parts, dueID: try row.optionalInt("due_id"),
            state: ResidentsSQL.state(personal: parts.personal.fen, covered: try row.int("covered"), elsewhere: try row.bool("elsewhere")))
    }
}
