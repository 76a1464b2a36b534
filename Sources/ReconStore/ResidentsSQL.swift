import PikouCore

/// The residents' annual scheme in SQL both backends run alike (v8 on SQLite, pg-v8 on PostgreSQL).
///
/// - Enrollments and dues carry their `scheme`; the monthly cycle plans and reads only
///   `flexible-monthly` ones.
/// - `resident_dues` holds each yearly due's parts (standard = personal + subsidy + 代缴). The personal
///   part, when above zero, is a due like any other (`dues`, scheme `residents-annual`, period January
///   of the cover year for the year's due, February for a first difference after a tier change, ...),
///   which rounds debit, returns close and reports read as they do a monthly due.
/// - A round's batch is of kind `round`, with its number, under January of the cover year.
/// - `resident_due_states` derives where each due's personal part stands from its debits and payments.
enum ResidentsSQL: LedgerText {
    static func migration(id: String, int: String) -> [String] {
        [
            "ALTER TABLE enrollments ADD COLUMN scheme TEXT NOT NULL DEFAULT 'flexible-monthly' CHECK (scheme IN ('flexible-monthly', 'residents-annual'))",
            "ALTER TABLE enrollments ADD COLUMN joined TEXT",
            "ALTER TABLE dues ADD COLUMN scheme TEXT NOT NULL DEFAULT 'flexible-monthly' CHECK (scheme IN ('flexible-monthly', 'residents-annual'))",
            "ALTER TABLE batches ADD COLUMN round \(int)",
            """
            CREATE TABLE resident_dues (
                id \(id),
                payer_id \(int) NOT NULL,
                insurance TEXT NOT NULL,
                year \(int) NOT NULL,
                seq \(int) NOT NULL CHECK (seq BETWEEN 1 AND 12),
                due_id \(int) UNIQUE,
                tier_fen \(int),
                standard_fen \(int) NOT NULL,
                personal_fen \(int) NOT NULL CHECK (personal_fen >= 0),
                subsidy_fen \(int) NOT NULL CHECK (subsidy_fen >= 0),
                government_fen \(int) NOT NULL CHECK (government_fen >= 0),
                rule TEXT NOT NULL,
                department TEXT NOT NULL,
                cover_from TEXT NOT NULL,
                priced_at TEXT NOT NULL,
                CHECK (standard_fen = personal_fen + subsidy_fen + government_fen),
                UNIQUE (payer_id, insurance, year, seq)
            )
            """,
            """
            CREATE VIEW resident_due_states AS
            SELECT rd.*, COALESCE(c.covered, -1) AS covered, c.file_id AS collected_file_id,
                   CASE WHEN d.id IS NOT NULL AND EXISTS (SELECT 1 FROM payments pm WHERE pm.payer_id = d.payer_id AND pm.insurance = d.insurance AND pm.period = d.period)
                        THEN 1 ELSE 0 END AS elsewhere
            FROM resident_dues rd
            LEFT JOIN dues d ON d.id = rd.due_id
            LEFT JOIN (SELECT dd.due_id,
                              MAX(CASE WHEN r.id IS NULL THEN 1 WHEN r.outcome = 'succeeded' THEN 2 ELSE 0 END) AS covered,
                              MAX(CASE WHEN r.outcome = 'succeeded' THEN db.file_id END) AS file_id
                       FROM debit_dues dd JOIN debit_rows db ON db.id = dd.debit_id
                       LEFT JOIN results r ON r.debit_id = dd.debit_id AND r.posted = 1
                       WHERE dd.due_id IN (SELECT due_id FROM resident_dues WHERE due_id IS NOT NULL)
                       GROUP BY dd.due_id) c ON c.due_id = rd.due_id
            """,
        ]
    }

    /// v7 / pg-v7: the departments' lists of special groups; `valid_to` is '' for an open end.
    static func groupMemberships(id: String) -> String {
        """
        CREATE TABLE group_memberships (
            id \(id),
            id_number TEXT NOT NULL,
            group_name TEXT NOT NULL,
            department TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            UNIQUE (id_number, group_name, valid_from, valid_to)
        )
        """
    }

    /// The stored period of a yearly due's `seq`: January of the cover year for the year's due, then one month per difference.
    static func period(year: Int, seq: Int) -> Int { year * 100 + seq }

    /// Where a stored due stands, from the view's columns.
    static func state(personal: Int64, covered: Int64, elsewhere: Bool) -> DueState {
        if personal == 0 { return .paid }  // public funds pay it all
        return dueState(covered: covered, paidElsewhere: elsewhere)
    }

    /// The view's columns a ``ResidentDueRecord`` is read from.
    static let dueColumns = "id, payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, covered, elsewhere"

    /// The year's residents' enrollments (any part of the cover year), by payer.
    static func enrollments(year: Int) -> String {
        """
        SELECT e.payer_id, p.id_number, e.insurance, e.tier, e.joined, e.suspended FROM enrollments e JOIN payers p ON p.id = e.payer_id
        WHERE e.scheme = 'residents-annual' AND e.start_period <= \(year * 100 + 12) AND (e.end_period IS NULL OR e.end_period >= \(year * 100 + 1))
        ORDER BY e.payer_id, e.insurance
        """
    }

    /// The group memberships of every resident and of every member of a household (a resident's
    /// spouse may be on a department's list without being a resident).
    static let memberships = """
        SELECT id_number, group_name, department, valid_from, valid_to FROM group_memberships
        WHERE id_number IN (SELECT p.id_number FROM payers p JOIN enrollments e ON e.payer_id = p.id WHERE e.scheme = 'residents-annual')
           OR id_number IN (SELECT p.id_number FROM payers p JOIN households h ON h.payer_id = p.id WHERE h.household <> '')
        ORDER BY id
        """

    /// Every payer linked into a household, by household. A number shared by more than
    /// ``maxHouseholdSize`` payers (rosters of several towns numbering their households alike, a
    /// column filled wrongly) is no household: it links nobody, and pricing reads no relatives.
    static let households = """
        SELECT h.household, h.relation, p.id AS payer_id, p.id_number FROM households h JOIN payers p ON p.id = h.payer_id
        WHERE h.household <> '' AND h.household NOT IN (SELECT household FROM households WHERE household <> '' GROUP BY household HAVING COUNT(*) > \(maxHouseholdSize))
        ORDER BY h.household, p.id
        """

    static let maxHouseholdSize = Household.maxSize

    /// Household numbers shared by more than ``maxHouseholdSize`` payers, with their size.
    static let oversizedHouseholds = """
        SELECT household, COUNT(*) AS n FROM households WHERE household <> '' GROUP BY household HAVING COUNT(*) > \(maxHouseholdSize) ORDER BY household
        """

    /// The rounds run for `year`: their files and totals.
    static func rounds(year: Int) -> String {
        """
        SELECT b.round, MIN(f.file_date) AS file_date, COUNT(*) AS files, CAST(SUM(f.count) AS BIGINT) AS lines, CAST(SUM(f.total_fen) AS BIGINT) AS fen
        FROM batches b JOIN files f ON f.batch_id = b.id
        WHERE b.kind = 'round' AND b.period = \(year * 100 + 1) GROUP BY b.round ORDER BY b.round
        """
    }

    /// The finance view of `year`, grouped.
    static func report(year: Int, by grouping: ResidentsGrouping) -> String {
        let group = switch grouping {
        case .bank: "e.bank"
        case .file: "COALESCE(f.bank || ' ' || f.name, '')"
        case .district: "p.district"
        case .street: "p.district || ' ' || p.street"
        case .community: "p.district || ' ' || p.street || ' ' || p.community"
        }
        return """
            SELECT \(group) AS grp, s.insurance, COUNT(*) AS dues, CAST(SUM(s.standard_fen) AS BIGINT) AS standard_fen, CAST(SUM(s.personal_fen) AS BIGINT) AS personal_fen,
                   CAST(SUM(CASE WHEN s.covered = 2 THEN s.personal_fen ELSE 0 END) AS BIGINT) AS debited_fen,
                   CAST(SUM(CASE WHEN s.covered <> 2 AND s.elsewhere = 1 THEN s.personal_fen ELSE 0 END) AS BIGINT) AS elsewhere_fen,
                   CAST(SUM(s.subsidy_fen) AS BIGINT) AS subsidy_fen, CAST(SUM(s.government_fen) AS BIGINT) AS government_fen
            FROM resident_due_states s JOIN payers p ON p.id = s.payer_id
            JOIN enrollments e ON e.payer_id = s.payer_id AND e.insurance = s.insurance
            LEFT JOIN files f ON f.id = s.collected_file_id
            WHERE s.year = \(year) AND s.standard_fen > 0
            GROUP BY \(group), s.insurance ORDER BY 1, 2
            """
    }

    /// What public funds pay for `year`, per paying department and rule (the tier's own subsidy: rule '').
    static func publicFunds(year: Int) -> String {
        """
        SELECT department, rule, insurance, COUNT(DISTINCT payer_id) AS persons, CAST(SUM(subsidy_fen) AS BIGINT) AS subsidy_fen, CAST(SUM(government_fen) AS BIGINT) AS government_fen
        FROM resident_dues WHERE year = \(year) AND subsidy_fen + government_fen > 0
        GROUP BY department, rule, insurance ORDER BY department, rule, insurance
        """
    }

    /// Residents enrolled and paid for `year`, per community and insurance: paid means every due of
    /// the year settled (collected by debit, paid elsewhere, or wholly by public funds). A resident
    /// outside the collection (a year's due of nothing at all: a group's `excluded_from`, 在校学生) is
    /// not counted.
    static func participation(year: Int) -> String {
        """
        WITH st AS (
            SELECT payer_id, insurance, MAX(CASE WHEN personal_fen > 0 AND covered <> 2 AND elsewhere = 0 THEN 1 ELSE 0 END) AS unsettled
            FROM resident_due_states WHERE year = \(year) GROUP BY payer_id, insurance)
        SELECT p.district, p.street, p.community, e.insurance, COUNT(*) AS enrolled, CAST(SUM(CASE WHEN st.unsettled = 0 THEN 1 ELSE 0 END) AS BIGINT) AS paid
        FROM enrollments e JOIN payers p ON p.id = e.payer_id LEFT JOIN st ON st.payer_id = e.payer_id AND st.insurance = e.insurance
        WHERE e.scheme = 'residents-annual' AND e.start_period <= \(year * 100 + 12) AND (e.end_period IS NULL OR e.end_period >= \(year * 100 + 1))
          AND NOT EXISTS (SELECT 1 FROM resident_dues x WHERE x.payer_id = e.payer_id AND x.insurance = e.insurance AND x.year = \(year) AND x.seq = 1 AND x.standard_fen = 0)
        GROUP BY p.district, p.street, p.community, e.insurance ORDER BY 1, 2, 3, 4
        """
    }

    /// The residents' dues of `year` still owed (not collected, not pending at a bank, not paid elsewhere),
    /// of enrollments that stand (a suspended one — moved away, died — is no door to knock on).
    static func unpaid(year: Int) -> String {
        """
        SELECT p.district, p.street, p.community, p.name, p.id_number, p.phone, s.insurance, s.tier_fen, s.personal_fen,
               COALESCE((SELECT a.bank FROM agreements a WHERE a.payer_id = p.id AND a.status = 'active' ORDER BY a.id DESC LIMIT 1), '') AS bank
        FROM resident_due_states s JOIN payers p ON p.id = s.payer_id
        JOIN enrollments e ON e.payer_id = s.payer_id AND e.insurance = s.insurance AND e.scheme = 'residents-annual'
        WHERE s.year = \(year) AND s.personal_fen > 0 AND s.covered <= 0 AND s.elsewhere = 0 AND e.suspended = 0
          AND e.start_period <= \(year * 100 + 12) AND (e.end_period IS NULL OR e.end_period >= \(year * 100 + 1))
        ORDER BY p.district, p.street, p.community, p.name, p.id_number, s.insurance, s.seq
        """
    }

    /// The condition on files (`f`) and batches (`b`) of `year`'s rounds.
    static func roundFiles(year: Int) -> String { "b.kind = 'round' AND b.period = \(year * 100 + 1)" }
}

/// How both backends word the residents' refusals and journal lines.
enum ResidentsText {
    static func insurance(_ text: String) throws -> Insurance {
        guard let insurance = Insurance(text) else {
            throw StoreError.unavailable(Message(
                zh: "一条居民记录的险种 '\(text)' 不是 Pikou 认识的险种；对账库在 Pikou 之外被改动过",
                en: "a residents' row names insurance '\(text)', which Pikou does not know; the store was changed outside Pikou"))
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
}
