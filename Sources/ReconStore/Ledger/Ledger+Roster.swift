import PikouCore

/// The roster, payments made elsewhere, and the month's dues — written once for both backends.
///
/// A roster or a payments file is loaded whole into a scratch table (``LedgerSession/load(into:columns:count:_:)``)
/// and merged by set-based statements: one probe of each big table per row, updates only where
/// something changed (by id), inserts with no existence check (the unit of work holds the writer
/// lock). A file's last row for each payer, agreement and enrollment is what stands, as if the rows
/// were applied in order (`n`, the record's place: a line of a residents' roster holds two records).
extension LedgerStore {
    public func importRoster(_ records: [RosterRecord], actor: String, source: String) async throws -> RosterImportCounts {
        try await writeLedger { session in
            var counts = RosterImportCounts()
            guard !records.isEmpty else { return counts }
            try await Self.loadRoster(records, session)
            var merged = RosterMerge(actor: actor, source: source, now: Self.now())
            (counts.payersUpdated, counts.payersInserted) = try await merged.apply(Self.payers, session)
            // The new payers' ids, for their agreements and enrollments.
            try await session.execute("UPDATE payer_in AS i SET payer_id = p.id FROM payers p WHERE i.payer_id IS NULL AND p.id_number = i.id_number")
            (counts.agreementsUpdated, counts.agreementsInserted) = try await merged.apply(Self.agreements, session)
            (counts.enrollmentsUpdated, counts.enrollmentsInserted) = try await merged.apply(Self.enrollments, session)
            (counts.householdsUpdated, counts.householdsInserted) = try await merged.apply(Self.households, session)
            if counts.householdsUpdated + counts.householdsInserted > 0 {
                counts.oversizedHouseholds = try await session.rows(LedgerSQL(stringLiteral: ResidentsSQL.oversizedHouseholds)).count
            }
            counts.unchanged = records.count - merged.changedLines.count
            var entries = merged.journal.sorted { ($0.line, $0.order) < ($1.line, $1.order) }.map(\.entry)
            if counts.changedAnything {
                let runs = merged.runs.map { "; " + $0 }.joined()
                entries.append(JournalEntry(
                    actor: actor, action: "roster.import", subject: source,
                    detail: "payers +\(counts.payersInserted) ~\(counts.payersUpdated), agreements +\(counts.agreementsInserted) ~\(counts.agreementsUpdated), enrollments +\(counts.enrollmentsInserted) ~\(counts.enrollmentsUpdated)"
                        + (counts.householdsInserted + counts.householdsUpdated > 0 ? ", households +\(counts.householdsInserted) ~\(counts.householdsUpdated)" : "") + runs))
            }
            try await Self.appendJournal(session, entries)
            return counts
        }
    }

    /// Payers by ID number: a changed one journaled with the fields that changed.
    private static var payers: RosterMerge.Entity {
        let fields = ["name", "phone", "district", "street", "community"]
        return RosterMerge.Entity(
            table: .payers, order: 0, scratch: "payer_in", key: "payer_id",
            select: """
                AS SELECT i.n, i.line, i.id_number, i.name, i.phone, i.district, i.street, i.community, p.id AS payer_id,
                          \(sql: changedFlags(fields, stored: "p", new: "i", each: true)), p.id IS NOT NULL AND (\(sql: changedFlags(fields, stored: "p", new: "i", each: false))) AS changed
                FROM roster_in i LEFT JOIN payers p ON p.id_number = i.id_number
                WHERE i.n IN (SELECT MAX(n) FROM roster_in GROUP BY id_number)
                """,
            update: { now in """
                UPDATE payers AS p SET name = i.name, phone = i.phone, district = i.district, street = i.street, community = i.community, updated_at = \(now)
                FROM payer_in i WHERE p.id = i.payer_id AND i.changed
                """ },
            insert: { now in """
                INSERT INTO payers (id_number, name, phone, district, street, community, updated_at)
                SELECT id_number, name, phone, district, street, community, \(now) FROM payer_in WHERE payer_id IS NULL ORDER BY n
                """ },
            journal: { row, at in
                ("payer.update", "\(at): changed \(try fields.filter { try row.bool("c_" + $0) }.joined(separator: ", "))")
            })
    }

    /// Agreements by payer and bank.
    private static var agreements: RosterMerge.Entity {
        RosterMerge.Entity(
            table: .agreements, order: 1, scratch: "agreement_in", key: "agreement_id",
            select: """
                AS SELECT r.n, r.line, p.payer_id, r.id_number, r.bank, r.account, r.account_name, r.agreement_no, r.status,
                          a.id AS agreement_id, a.version + 1 AS version,
                          a.id IS NOT NULL AND (\(sql: changedFlags(["account", "account_name", "agreement_no", "status"], stored: "a", new: "r", each: false))) AS changed
                FROM roster_in r JOIN payer_in p ON p.id_number = r.id_number
                LEFT JOIN agreements a ON a.payer_id = p.payer_id AND a.bank = r.bank
                WHERE r.n IN (SELECT MAX(n) FROM roster_in GROUP BY id_number, bank)
                """,
            update: { now in """
                UPDATE agreements AS a SET account = i.account, account_name = i.account_name, agreement_no = i.agreement_no, status = i.status,
                       version = i.version, updated_at = \(now)
                FROM agreement_in i WHERE a.id = i.agreement_id AND i.changed
                """ },
            insert: { now in """
                INSERT INTO agreements (payer_id, bank, account, account_name, agreement_no, status, version, updated_at)
                SELECT payer_id, bank, account, account_name, agreement_no, status, 1, \(now) FROM agreement_in WHERE agreement_id IS NULL ORDER BY n
                """ },
            journal: { row, at in
                ("agreement.update", "\(at): \(try row.text("bank")) agreement now \(try row.text("status")), account \(BankAccount(stored: try row.text("account")).masked), version \(try row.int("version"))")
            })
    }

    /// Enrollments by payer and insurance.
    private static var enrollments: RosterMerge.Entity {
        let columns = ["tier", "bank", "start_period", "end_period", "suspended", "scheme", "joined"]
        let listed = LedgerSQL(stringLiteral: columns.joined(separator: ", "))
        return RosterMerge.Entity(
            table: .enrollments, order: 2, scratch: "enrollment_in", key: "enrollment_id",
            select: """
                AS SELECT r.n, r.line, p.payer_id, r.id_number, r.insurance, \(sql: LedgerSQL(stringLiteral: columns.map { "r." + $0 }.joined(separator: ", "))),
                          e.id AS enrollment_id, e.id IS NOT NULL AND (\(sql: changedFlags(columns, stored: "e", new: "r", each: false))) AS changed
                FROM roster_in r JOIN payer_in p ON p.id_number = r.id_number
                LEFT JOIN enrollments e ON e.payer_id = p.payer_id AND e.insurance = r.insurance
                WHERE r.n IN (SELECT MAX(n) FROM roster_in GROUP BY id_number, insurance)
                """,
            update: { _ in """
                UPDATE enrollments AS e SET tier = i.tier, bank = i.bank, start_period = i.start_period, end_period = i.end_period,
                       suspended = i.suspended, scheme = i.scheme, joined = i.joined
                FROM enrollment_in i WHERE e.id = i.enrollment_id AND i.changed
                """ },
            insert: { _ in """
                INSERT INTO enrollments (payer_id, insurance, \(sql: listed)) SELECT payer_id, insurance, \(sql: listed) FROM enrollment_in
                WHERE enrollment_id IS NULL ORDER BY n
                """ },
            journal: { row, at in
                let suspended = try row.bool("suspended") ? ", suspended" : ""
                let residents = try row.text("scheme") == Scheme.residentsAnnual.rawValue ? ", residents-annual" : ""
                return ("enrollment.update", "\(at): \(try row.text("insurance")) tier \(try row.text("tier")) at \(try row.text("bank"))\(suspended)\(residents)")
            })
    }

    /// Households by payer: the roster's household number and relation, where it gives them (a payer
    /// once in a household and now in none keeps a row, emptied). Numbers are not journaled (a
    /// 户号 is personal): the entry says which changed.
    private static var households: RosterMerge.Entity {
        let fields = ["household", "relation"]
        return RosterMerge.Entity(
            table: .households, order: 3, scratch: "household_in", key: "household_id",
            select: """
                AS SELECT r.n, r.line, p.payer_id, r.id_number, r.household, r.relation, h.id AS household_id,
                          \(sql: changedFlags(fields, stored: "h", new: "r", each: true)), h.id IS NOT NULL AND (\(sql: changedFlags(fields, stored: "h", new: "r", each: false))) AS changed
                FROM roster_in r JOIN payer_in p ON p.id_number = r.id_number
                LEFT JOIN households h ON h.payer_id = p.payer_id
                WHERE r.n IN (SELECT MAX(n) FROM roster_in GROUP BY id_number) AND r.household IS NOT NULL AND (r.household <> '' OR h.id IS NOT NULL)
                """,
            update: { now in """
                UPDATE households AS h SET household = i.household, relation = i.relation, updated_at = \(now)
                FROM household_in i WHERE h.id = i.household_id AND i.changed
                """ },
            insert: { now in """
                INSERT INTO households (payer_id, household, relation, updated_at)
                SELECT payer_id, household, relation, \(now) FROM household_in WHERE household_id IS NULL ORDER BY n
                """ },
            journal: { row, at in
                ("household.update", "\(at): changed \(try fields.filter { try row.bool("c_" + $0) }.joined(separator: ", "))")
            })
    }

    /// The roster's rows into the scratch table `roster_in`.
    private static func loadRoster(_ records: [RosterRecord], _ session: any LedgerSession) async throws {
        try await session.scratch("roster_in", """
            (n BIGINT, line BIGINT, id_number TEXT, name TEXT, phone TEXT, district TEXT, street TEXT, community TEXT, insurance TEXT, tier TEXT,
             start_period BIGINT, end_period BIGINT, suspended BIGINT, bank TEXT, account TEXT, account_name TEXT, agreement_no TEXT, status TEXT,
             scheme TEXT, joined TEXT, household TEXT, relation TEXT)
            """)
        try await session.load(
            into: "roster_in",
            columns: ["n", "line", "id_number", "name", "phone", "district", "street", "community", "insurance", "tier", "start_period", "end_period",
                      "suspended", "bank", "account", "account_name", "agreement_no", "status", "scheme", "joined", "household", "relation"],
            count: records.count
        ) { index, row in
            let r = records[index]
            row.add(index)
            row.add(r.line)
            row.add(r.idNumber.value)
            row.add(r.name)
            row.add(r.phone)
            row.add(r.district)
            row.add(r.street)
            row.add(r.community)
            row.add(r.insurance.rawValue)
            row.add(r.tier)
            row.add(int(r.startPeriod))
            row.add(r.endPeriod.map { int($0) })
            row.add(r.suspended)
            row.add(r.bank)
            row.add(r.account.number)
            row.add(r.accountName)
            row.add(r.agreementNo)
            row.add(r.agreementActive ? "active" : "revoked")
            row.add(r.scheme.rawValue)
            row.add(r.joined?.description)
            row.add(r.household)
            row.add(r.relation?.rawValue ?? "")
        }
    }

    /// Whether a stored row (`stored`) differs from the file's (`new`) in `columns`: a flag per column
    /// (`c_<column>`), or one expression for all.
    private static func changedFlags(_ columns: [String], stored: String, new: String, each: Bool) -> LedgerSQL {
        let flags = columns.map { "(\(stored).\($0) IS DISTINCT FROM \(new).\($0))" }
        if each { return LedgerSQL(stringLiteral: zip(flags, columns).map { "\($0) AS c_\($1)" }.joined(separator: ", ")) }
        return LedgerSQL(stringLiteral: flags.joined(separator: " OR "))
    }

    public func payerDetails(idNumbers: [String]) async throws -> [String: StoredPayerDetails] {
        var found: [String: StoredPayerDetails] = [:]
        guard !idNumbers.isEmpty else { return found }
        try await readLedger { session in
            // A few hundred at a time: one probe of the unique index each, within any bind limit.
            for start in stride(from: 0, to: idNumbers.count, by: 500) {
                let some = Array(idNumbers[start..<min(start + 500, idNumbers.count)])
                try await session.forEachRow("""
                    SELECT p.id_number, p.name, p.phone, p.district, p.street, p.community, h.household, h.relation
                    FROM payers p LEFT JOIN households h ON h.payer_id = p.id WHERE p.id_number IN (\(sql: .list(some)))
                    """) { row in
                    found[try row.text(at: 0)] = StoredPayerDetails(
                        name: try row.text(at: 1), phone: try row.text(at: 2), district: try row.text(at: 3), street: try row.text(at: 4),
                        community: try row.text(at: 5), householdNumber: try row.optionalText(at: 6), relation: try row.optionalText(at: 7) ?? "")
                }
            }
        }
        return found
    }

    public func importPayments(_ records: [PaymentRecord], actor: String, source: String) async throws -> PaymentImportCounts {
        try await writeLedger { session in
            var counts = PaymentImportCounts()
            guard !records.isEmpty else { return counts }
            try await session.scratch("payments_in", "(line BIGINT, id_number TEXT, insurance TEXT, period BIGINT, amount_fen BIGINT, channel TEXT, reference TEXT)")
            try await session.load(into: "payments_in", columns: ["line", "id_number", "insurance", "period", "amount_fen", "channel", "reference"],
                                   count: records.count) { index, row in
                let r = records[index]
                row.add(r.line)
                row.add(r.idNumber.value)
                row.add(r.insurance.rawValue)
                row.add(Self.int(r.period))
                row.add(r.amount.fen)
                row.add(r.channel)
                row.add(r.reference)
            }
            counts.unknownPayers = try await session.rows("""
                SELECT i.line FROM payments_in i WHERE NOT EXISTS (SELECT 1 FROM payers p WHERE p.id_number = i.id_number) ORDER BY i.line
                """).map { try $0.count("line") }
            // A payment above the month's due it pays is set aside: read, then taken out of the scratch table.
            let aboveDue: LedgerSQL = """
                FROM payments_in i JOIN payers p ON p.id_number = i.id_number
                JOIN dues d ON d.payer_id = p.id AND d.insurance = i.insurance AND d.period = i.period AND d.amount_fen < i.amount_fen
                """
            counts.aboveDue = try await session.rows("SELECT i.line, d.amount_fen \(sql: aboveDue) ORDER BY i.line")
                .map { (line: try $0.count("line"), due: try $0.money("amount_fen")) }
            if !counts.aboveDue.isEmpty { try await session.execute("DELETE FROM payments_in WHERE line IN (SELECT i.line \(sql: aboveDue))") }
            let sealedUpTo = try await SealedTable.payments.lastID(session)
            // (WHERE true: SQLite reads an ON after a join as the join's, not the conflict clause's.)
            counts.inserted = try await session.changes("""
                INSERT INTO payments (payer_id, insurance, period, amount_fen, channel, reference)
                SELECT p.id, i.insurance, i.period, i.amount_fen, i.channel, i.reference
                FROM payments_in i JOIN payers p ON p.id_number = i.id_number WHERE true ORDER BY i.line
                ON CONFLICT (channel, reference) DO NOTHING
                """)
            counts.alreadyKnown = records.count - counts.unknownPayers.count - counts.aboveDue.count - counts.inserted
            if counts.inserted > 0 {
                let seal = try await SealedTable.payments.sealRun(session, after: sealedUpTo).map { "; " + $0 } ?? ""
                try await Self.appendJournal(session, actor: actor, action: "payments.import", subject: source, detail: "\(counts.inserted) payments recorded\(seal)")
            }
            return counts
        }
    }

    public func planDues(period: Period, amounts: [Insurance: [String: Money]], actor: String) async throws -> DuePlanning {
        try await writeLedger { session in
            let sealedUpTo = try await SealedTable.dues.lastID(session)
            let tiers = amounts.flatMap { insurance, byTier in byTier.map { (insurance.rawValue, $0.key, $0.value.fen) } }
            try await session.scratch("tier_amounts", "(insurance TEXT NOT NULL, tier TEXT NOT NULL, amount_fen BIGINT NOT NULL)")
            try await session.load(into: "tier_amounts", columns: ["insurance", "tier", "amount_fen"], count: tiers.count) { index, row in
                row.add(tiers[index].0)
                row.add(tiers[index].1)
                row.add(tiers[index].2)
            }
            let p = Self.int(period)
            let inserted = try await session.changes("""
                INSERT INTO dues (payer_id, insurance, period, amount_fen)
                SELECT e.payer_id, e.insurance, \(p), t.amount_fen
                FROM enrollments e JOIN tier_amounts t ON t.insurance = e.insurance AND t.tier = e.tier
                WHERE e.suspended = 0 AND e.scheme = 'flexible-monthly' AND e.start_period <= \(p) AND (e.end_period IS NULL OR e.end_period >= \(p))
                ORDER BY e.payer_id, e.insurance
                ON CONFLICT (payer_id, insurance, period) DO NOTHING
                """)
            var suspended: [String: Int] = [:]
            for row in try await session.rows("""
                SELECT bank, COUNT(*) AS n FROM enrollments
                WHERE suspended = 1 AND scheme = 'flexible-monthly' AND start_period <= \(p) AND (end_period IS NULL OR end_period >= \(p)) GROUP BY bank
                """) {
                suspended[try row.text("bank")] = try row.count("n")
            }
            // New dues change what is owed: journaled, with the seal of the run they make (and so
            // whatever keys on the ledger's version, the console's figures, sees them).
            if inserted > 0 {
                let seal = try await SealedTable.dues.sealRun(session, after: sealedUpTo).map { "; " + $0 } ?? ""
                try await Self.appendJournal(session, actor: actor, action: "dues.plan", subject: period.description, detail: "\(inserted) dues planned\(seal)")
            }
            return DuePlanning(inserted: inserted, suspendedByBank: suspended)
        }
    }
}

/// One roster merged into the ledger, entity by entity: what changed, journaled and sealed record by
/// record; what is new, inserted and sealed as a run in the import's entry.
struct RosterMerge {
    /// An entity of the roster (payers, agreements, enrollments), as statements over its scratch table.
    struct Entity {
        /// The table it is stored in.
        let table: SealedTable
        /// Its journal entries' place among a line's.
        let order: Int
        /// The scratch table of its rows as the file leaves them, with the stored row's id (`key`,
        /// NULL when new) and whether it `changed`.
        let scratch: String, key: String
        let select: LedgerSQL
        let update: (String) -> LedgerSQL, insert: (String) -> LedgerSQL
        /// A changed row's journal action and detail, after its place (`source:line`).
        let journal: (LedgerRow, String) throws -> (action: String, detail: String)
    }

    let actor: String, source: String, now: String
    var journal: [(line: Int64, order: Int, entry: JournalEntry)] = []
    var changedLines: Set<Int64> = []
    /// The seals of the runs of rows added, for the import's own entry.
    var runs: [String] = []

    init(actor: String, source: String, now: String) {
        self.actor = actor
        self.source = source
        self.now = now
    }

    /// Merges `entity`'s rows: returns how many stored rows changed and how many were new.
    mutating func apply(_ entity: Entity, _ session: any LedgerSession) async throws -> (updated: Int, inserted: Int) {
        try await session.scratch(entity.scratch, entity.select)
        let table = LedgerSQL(stringLiteral: entity.scratch), key = LedgerSQL(stringLiteral: entity.key)
        var updated = 0, inserted = 0
        var recordEntries: [Int64: Int] = [:]
        for row in try await session.rows("SELECT * FROM \(sql: table) WHERE changed OR \(sql: key) IS NULL ORDER BY n") {
            let line = try row.int("line")
            changedLines.insert(line)
            guard let id = try row.optionalInt(entity.key) else {
                inserted += 1
                continue
            }
            let (action, detail) = try entity.journal(row, "\(source):\(line)")
            recordEntries[id] = journal.count
            journal.append((line, entity.order, JournalEntry(actor: actor, action: action, subject: IDNumber(stored: try row.text("id_number")).masked, detail: detail)))
            updated += 1
        }
        let sealed = try await entity.table.sealing(session, changing: "SELECT \(sql: key) FROM \(sql: table) WHERE changed") {
            if updated > 0 { try await session.execute(entity.update(now)) }
            if inserted > 0 { try await session.execute(entity.insert(now)) }
        }
        for (id, record) in sealed.records { if let index = recordEntries[id] { journal[index].entry.detail += "; " + record } }
        if let run = sealed.run { runs.append(run) }
        return (updated, inserted)
    }
}

