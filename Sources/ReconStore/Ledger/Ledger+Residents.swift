public import PikouCore

/// The residents' scheme's reads a person or finance asks for (``ResidentsSQL``) — written once for
/// both backends. (The year's enrollments, tens of thousands of rows, and the planning stay per
/// backend: positional reads and COPY.)
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

    /// A due from ``ResidentsSQL/dueColumns``.
    static func residentDueRecord(_ row: LedgerRow) throws -> ResidentDueRecord {
        let personal = try row.int("personal_fen")
        let parts = ResidentParts(
            tier: try row.optionalInt("tier_fen").map { Money(fen: $0) }, standard: try row.money("standard_fen"), personal: Money(fen: personal),
            subsidy: try row.money("subsidy_fen"), government: try row.money("government_fen"), rule: try row.text("rule"),
            department: try row.text("department"), coverFrom: Self.date(try row.text("cover_from")))
        return ResidentDueRecord(
            id: try row.int("id"), insurance: try ResidentsText.insurance(try row.text("insurance")), year: try row.count("year"), seq: try row.count("seq"),
            parts: parts, dueID: try row.optionalInt("due_id"),
            state: ResidentsSQL.state(personal: personal, covered: try row.int("covered"), elsewhere: try row.bool("elsewhere")))
    }
}
