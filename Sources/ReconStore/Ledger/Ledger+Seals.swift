import PikouCore
import PikouCrypto

/// What a seal covers, as statements: the rows of a posted return file or of a written debit file,
/// in the order they are fed (``Seal``). Written once: the shared seals below, and the SQLite
/// migration that sealed the files of a store moving to v4, read the same rows.
enum SealedRows {
    /// A posted return file: its row, its kind when a cancellation (not a bank's return's: their
    /// seals predate the kind; a store moving to v4 has no kind yet), its lines in order, the
    /// exceptions they raised.
    static func returnFile(_ id: Int64, withKind: Bool = true) -> [LedgerSQL] {
        [
            """
            SELECT id, bank, name, digest, debit_file_id, declared_count, declared_total_fen, line_count, total_fen, ingested_at, actor
            FROM return_files WHERE id = \(id)
            """,
            withKind ? "SELECT 'kind', kind FROM return_files WHERE id = \(id) AND kind = 'cancel'" : nil,
            """
            SELECT line_no, seq, debit_id, account, amount_fen, outcome, bank_code, bank_text, bank_serial, posted
            FROM results WHERE return_file_id = \(id) ORDER BY line_no
            """,
            "SELECT id, line_no, debit_id, kind, detail, created_at FROM exceptions WHERE return_file_id = \(id) ORDER BY id",
        ].compactMap { $0 }
    }

    /// The rows of `table` with ids `from` through `through`, by id: what one import recorded
    /// (sealed as a run, ``RowSeal``).
    static func run(_ table: SealedTable, from: Int64, through: Int64) -> LedgerSQL {
        "SELECT \(sql: LedgerSQL(stringLiteral: table.columns)) FROM \(sql: LedgerSQL(stringLiteral: table.rawValue)) WHERE id BETWEEN \(from) AND \(through) ORDER BY id"
    }

    /// The seal of the rows `statements` return.
    static func seal(_ session: any LedgerSession, _ statements: [LedgerSQL]) async throws -> String {
        let seal = try Seal()
        for statement in statements { try await session.forEachSealedRow(statement) { _, row in seal.add(encoded: row) } }
        return try seal.finish()
    }

    /// The seal of the run of rows `statement` returns (``RowSeal``).
    static func runSeal(_ session: any LedgerSession, _ statement: LedgerSQL) async throws -> String {
        let seal = try RowSeal()
        try await session.forEachSealedRow(statement) { _, row in seal.add(try seal.hash(encoded: row)) }
        return try seal.finish()
    }

    /// The rows of `table` whose ids `ids` selects, by id, the id first.
    static func records(_ table: SealedTable, ids: LedgerSQL) -> LedgerSQL {
        "SELECT \(sql: LedgerSQL(stringLiteral: table.columns)) FROM \(sql: LedgerSQL(stringLiteral: table.rawValue)) WHERE id IN (\(sql: ids)) ORDER BY id"
    }

    /// A written debit file: its row, its debits by sequence, the dues each covers.
    static func debitFile(_ id: Int64, _ dialect: LedgerDialect) -> [LedgerSQL] {
        [
            """
            SELECT id, batch_id, bank, batch_no, file_date, collection_date, collector, collector_account, name, return_name,
                   count, total_fen, status, digest, byte_count, written_at
            FROM files WHERE id = \(id)
            """,
            """
            SELECT id, seq, payer_id, agreement_id, agreement_version, id_number, name, account, agreement_no, amount_fen, period, memo
            FROM debit_rows WHERE file_id = \(id) ORDER BY seq
            """,
            """
            SELECT dd.debit_id, dd.due_id FROM debit_dues dd
            WHERE dd.debit_id \(sql: dialect.inList("SELECT id FROM debit_rows WHERE file_id = \(id)")) ORDER BY dd.debit_id, dd.due_id
            """,
        ]
    }
}

/// Seals, the journal's chain and the ledger's invariants, written once for both backends.
extension LedgerStore {
    static func sealReturnFile(_ session: any LedgerSession, id: Int64) async throws -> String {
        try await SealedRows.seal(session, SealedRows.returnFile(id))
    }

    static func sealDebitFile(_ session: any LedgerSession, id: Int64) async throws -> String {
        try await SealedRows.seal(session, SealedRows.debitFile(id, session.dialect))
    }

    public func markWritten(fileID: Int64, digest: String, byteCount: Int) async throws {
        try await writeLedger { session in
            try await session.execute("UPDATE files SET status = 'written', digest = \(digest), byte_count = \(byteCount), written_at = \(Self.now()) WHERE id = \(fileID)")
            let name = try await session.row("SELECT bank || '/' || name AS subject FROM files WHERE id = \(fileID)").map { try $0.text("subject") } ?? "?"
            let seal = Seal.text(.debitFile, id: fileID, seal: try await Self.sealDebitFile(session, id: fileID))
            try await Self.appendJournal(session, actor: "pikou", action: "file.written", subject: name, detail: "sm3 \(digest), \(byteCount) bytes; \(seal)")
        }
    }

    public func journalBreak() async throws -> Int64? {
        try await readLedger { session in try await Self.journalBreak(session) }
    }

    /// The journal's hash chain walked from its first entry, as the rows come.
    static func journalBreak(_ session: any LedgerSession) async throws -> Int64? {
        var previous = ""
        var broken: Int64?
        try await session.forEachRow("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM journal ORDER BY id") { row in
            guard broken == nil else { return }
            let expected = journalHash(previous: previous, at: try row.text("at"), actor: try row.text("actor"), action: try row.text("action"),
                                       subject: try row.text("subject"), detail: try row.text("detail"))
            let hash = try row.text("hash")
            if try row.text("prev_hash") != previous || hash != expected { broken = try row.int("id") }
            previous = hash
        }
        return broken
    }

    public func invariantViolations() async throws -> [InvariantViolation] {
        let reference = try await referenceSchema()
        // Each sealed table's rows are hashed on a connection of their own, beside the rest: tasks
        // the cores share with the files `check` reads (on a 2,000,000-payer city, a minute's work).
        async let runs = withThrowingTaskGroup(of: (Int, [InvariantViolation]).self) { group in
            for (index, table) in SealedTable.allCases.enumerated() {
                group.addTask { (index, try await self.readLedger { session in try await Self.runSealViolations(session, table) }) }
            }
            var found: [(Int, [InvariantViolation])] = []
            for try await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        var violations = try await readLedger { session in
            var violations = Self.schemaViolations(found: try await session.rows(session.dialect.schemaObjects).map(SchemaObject.init),
                                                   made: reference)
            func each(_ sql: LedgerSQL, _ violation: (LedgerRow) throws -> InvariantViolation) async throws {
                for row in try await session.rows(sql) { violations.append(try violation(row)) }
            }
            try await each("""
                SELECT f.bank, f.name, f.count, f.total_fen, COUNT(d.id) AS n, CAST(COALESCE(SUM(d.amount_fen), 0) AS BIGINT) AS fen
                FROM files f LEFT JOIN debit_rows d ON d.file_id = f.id GROUP BY f.id, f.bank, f.name, f.count, f.total_fen
                HAVING f.count <> COUNT(d.id) OR f.total_fen <> COALESCE(SUM(d.amount_fen), 0) ORDER BY f.id
                """) {
                .fileTotalsDisagree(bank: try $0.text("bank"), file: try $0.text("name"), recordedCount: try $0.count("count"),
                                    recordedTotal: try $0.money("total_fen"), debitCount: try $0.count("n"), debitTotal: try $0.money("fen"))
            }
            try await each("SELECT bank, name FROM files WHERE status = 'planned' ORDER BY id") { .fileNotWritten(bank: try $0.text("bank"), file: try $0.text("name")) }
            try await each("SELECT due_id, COUNT(*) AS n FROM debit_items WHERE state = 'succeeded' GROUP BY due_id HAVING COUNT(*) > 1 ORDER BY due_id") {
                .dueCollectedTwice(dueID: try $0.int("due_id"), times: try $0.count("n"))
            }
            try await each("""
                SELECT di.due_id FROM debit_items di JOIN dues du ON du.id = di.due_id
                WHERE di.state = 'succeeded' AND EXISTS (SELECT 1 FROM payments p WHERE p.payer_id = du.payer_id AND p.insurance = du.insurance AND p.period = du.period)
                  AND \(sql: Self.paidBackFen("di.due_id")) < du.amount_fen
                ORDER BY di.due_id
                """) { .dueCollectedAndPaidElsewhere(dueID: try $0.int("due_id")) }
            // A due's refunds, paid and pending, within what its debits collected (a failed one holds nothing).
            try await each(Self.refundsBeyondCollected("1 = 1")) { .refundExceedsCollected(dueID: try $0.int("due_id")) }
            try await each("SELECT file_id, payer_id FROM debit_rows GROUP BY file_id, payer_id HAVING COUNT(*) > 1 ORDER BY file_id, payer_id") {
                .payerTwiceInFile(fileID: try $0.int("file_id"), payerID: try $0.int("payer_id"))
            }
            try await each("""
                SELECT later.due_id, later.debit_id FROM debit_items first JOIN debit_items later
                  ON later.due_id = first.due_id AND later.debit_id > first.debit_id
                WHERE first.state = 'succeeded' ORDER BY later.due_id, later.debit_id
                """) { .dueDebitedAfterCollection(dueID: try $0.int("due_id"), debitID: try $0.int("debit_id")) }
            try await each("""
                SELECT r.id, r.name, r.bank FROM return_files r WHERE
                  (r.declared_count IS NOT NULL AND r.declared_count <> r.line_count)
                  OR (r.declared_total_fen IS NOT NULL AND r.declared_total_fen <> r.total_fen)
                  OR r.line_count <> (SELECT COUNT(*) FROM results WHERE return_file_id = r.id)
                ORDER BY r.id
                """) { .returnFileTotalsDisagree(bank: try $0.text("bank"), file: try $0.text("name")) }
            try await each("""
                SELECT r.return_file_id, r.line_no FROM results r WHERE r.posted = 0
                  AND NOT EXISTS (SELECT 1 FROM exceptions x WHERE x.return_file_id = r.return_file_id AND x.line_no = r.line_no)
                  AND NOT EXISTS (SELECT 1 FROM debits d WHERE d.id = r.debit_id AND d.outcome = r.outcome)
                ORDER BY r.id
                """) { .returnLineUnaccounted(returnFileID: try $0.int("return_file_id"), line: try $0.count("line_no")) }
            if let broken = try await Self.journalBreak(session) { violations.append(.journalBroken(entryID: broken)) }
            violations += try await Self.sealViolations(session)
            return violations
        }
        violations += try await runs
        return violations
    }

    /// Seals that do not hold, guards that are gone or disabled, references left unchecked that do not hold.
    static func sealViolations(_ session: any LedgerSession) async throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        let (sealed, replaced) = Seal.standing(try await session.rows("SELECT id, action, detail FROM journal WHERE action IN (\(sql: LedgerSQL(stringLiteral: Seal.journalActions))) ORDER BY id")
            .map { (id: try $0.int("id"), action: try $0.text("action"), detail: try $0.text("detail")) })
        for again in replaced {
            violations.append(.sealReplaced(subject: "\(again.subject == .returnFile ? "return file" : "debit file") #\(again.id)",
                                            journalEntry: again.entry, sealedBy: again.first))
        }
        var seen: [Seal.Subject: Set<Int64>] = [:]
        let subjects: [(Seal.Subject, LedgerSQL)] = [
            (.returnFile, "SELECT id, bank || '/' || name AS subject FROM return_files ORDER BY id"),
            (.debitFile, "SELECT id, bank || '/' || name AS subject FROM files WHERE status = 'written' ORDER BY id"),
        ]
        for (kind, statement) in subjects {
            for row in try await session.rows(statement) {
                let id = try row.int("id"), subject = (kind == .returnFile ? "return file " : "debit file ") + (try row.text("subject"))
                seen[kind, default: []].insert(id)
                guard let recorded = sealed[kind]?[id] else { violations.append(.sealMissing(subject: subject)); continue }
                let now = kind == .returnFile ? try await sealReturnFile(session, id: id) : try await sealDebitFile(session, id: id)
                if now != recorded.seal { violations.append(.sealBroken(subject: subject, journalEntry: recorded.entry)) }
            }
        }
        for (subject, seals) in sealed {
            for (id, recorded) in seals.sorted(by: { $0.key < $1.key }) where !(seen[subject]?.contains(id) ?? false) {
                violations.append(.sealedRowsGone(subject: "\(subject == .returnFile ? "return file" : "debit file") #\(id)", journalEntry: recorded.entry))
            }
        }
        violations += try await exceptionActionViolations(session)
        // A guard counts only where it stands on the store's own table and is enabled.
        let triggers = Set(try await session.rows(session.dialect.enabledTriggers).map { try $0.text("name") })
        for name in LedgerSchema.appendOnlyGuards where !triggers.contains(name) { violations.append(.appendOnlyGuardMissing(name: name)) }
        // A mark left behind lets that return file's rows be deleted: the guards do not hold for it.
        for row in try await session.rows("SELECT return_file_id FROM return_undo_marks ORDER BY return_file_id") {
            violations.append(.appendOnlyGuardMissing(name: "return_undo_marks (a leftover mark lets return file #\(try row.int("return_file_id"))'s rows be deleted)"))
        }
        for reference in uncheckedReferences {
            let rows = try await session.row("""
                SELECT COUNT(*) AS n FROM \(sql: LedgerSQL(stringLiteral: reference.table)) t
                WHERE t.\(sql: LedgerSQL(stringLiteral: reference.column)) IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM \(sql: LedgerSQL(stringLiteral: reference.references)) r WHERE r.id = t.\(sql: LedgerSQL(stringLiteral: reference.column)))
                """).map { try $0.count("n") } ?? 0
            if rows > 0 {
                violations.append(.referenceBroken(table: reference.table, column: reference.column, references: reference.references, rows: rows))
            }
        }
        return violations
    }

    /// Where the store's schema is not the one its migrations make: an object missing, one no
    /// migration makes, or one defined otherwise (a guard re-created with `WHEN 0`, a view redefined,
    /// a trigger disabled), each named with the place its definition departs.
    static func schemaViolations(found: [SchemaObject], made: [SchemaObject]) -> [InvariantViolation] {
        func keyed(_ objects: [SchemaObject]) -> [String: SchemaObject] {
            Dictionary(objects.map { ($0.kind + " " + $0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let found = keyed(found), made = keyed(made)
        var violations: [InvariantViolation] = []
        for key in Set(found.keys).union(made.keys).sorted() {
            switch (made[key], found[key]) {
            case (let expected?, nil):
                violations.append(.schemaDiffers(kind: expected.kind, name: expected.name, finding: "missing"))
            case (nil, let extra?):
                violations.append(.schemaDiffers(kind: extra.kind, name: extra.name, finding: "no migration makes it: \(excerpt(extra.definition, from: 0))"))
            case (let expected?, let actual?) where expected.definition != actual.definition:
                let at = zip(expected.definition, actual.definition).prefix { $0 == $1 }.count
                violations.append(.schemaDiffers(kind: actual.kind, name: actual.name,
                                                 finding: "defined as «\(excerpt(actual.definition, from: at))» where the migrations make «\(excerpt(expected.definition, from: at))»"))
            default: break
            }
        }
        return violations
    }

    /// Up to 80 characters of `text` around character `from` (where two definitions part).
    private static func excerpt(_ text: String, from: Int) -> String {
        let start = max(0, from - 20)
        let slice = text.dropFirst(start).prefix(80)
        return (start > 0 ? "…" : "") + slice + (start + slice.count < text.count ? "…" : "")
    }

    /// Exception actions without their journal entry, or entries without their action: every
    /// resolve and reopen is written with an entry naming the exception, who and why
    /// (``setException(id:resolved:note:actor:)``), so an action inserted behind Pikou's back (an
    /// open exception "resolved", which turns 钱表相符 from 不符 to 相符) has none. Matched by what
    /// they say, not by order: a store that moved to v9 journaled its older actions then.
    static func exceptionActionViolations(_ session: any LedgerSession) async throws -> [InvariantViolation] {
        var entries: [ExceptionActionSaid: [Int64]] = [:]
        for row in try await session.rows("SELECT id, action, actor, detail FROM journal WHERE action IN ('exception.resolve', 'exception.reopen') ORDER BY id") {
            guard let said = ExceptionActionSaid.parse(try row.text("detail")) else { continue }
            let action = try row.text("action") == "exception.resolve" ? "resolve" : "reopen"
            entries[ExceptionActionSaid(exception: said.exception, action: action, actor: try row.text("actor"), note: said.note), default: []].append(try row.int("id"))
        }
        var violations: [InvariantViolation] = []
        for row in try await session.rows("SELECT id, exception_id, action, actor, note FROM exception_actions ORDER BY id") {
            let said = ExceptionActionSaid(exception: try row.int("exception_id"), action: try row.text("action"), actor: try row.text("actor"), note: try row.text("note"))
            if entries[said]?.isEmpty == false {
                entries[said]?.removeFirst()
            } else {
                violations.append(.sealMissing(subject: "exception action #\(try row.int("id")) (exception \(said.exception), \(said.action) by \(said.actor))"))
            }
        }
        for (said, left) in entries.sorted(by: { ($0.value.first ?? 0) < ($1.value.first ?? 0) }) {
            for entry in left { violations.append(.sealedRowsGone(subject: "exception \(said.exception)'s \(said.action) by \(said.actor)", journalEntry: entry)) }
        }
        return violations
    }

}

/// A table whose every row is sealed where it is written. Each import or planning's journal entry
/// seals the run of ids it added (``Seal/rangeText(_:from:through:seal:)``); a row changed in place
/// (a payer's phone, an agreement's account, a due re-priced) is sealed again by the entry that
/// changed it, naming the hash it replaces (``Seal/recordText(_:id:seal:was:)``). `check` holds every
/// row to its last seal and every seal to the one before, so a row edited, added or deleted behind
/// Pikou's back shows. A migration that adds a column to one of these tables must seal it anew.
enum SealedTable: String, CaseIterable {
    /// Payers (a forged one, or one whose community moved, leaves the grid's figures wrong).
    case payers
    /// Agreements, each version (an account changed behind Pikou's back debits another person).
    case agreements
    /// What each payer is enrolled in (a forged suspension keeps a payer from being debited).
    case enrollments
    /// The dues planned (an amount raised, a due added or deleted).
    case dues
    /// A residents' due's parts (a subsidy or a government-paid part raised).
    case residentDues = "resident_dues"
    /// Payments made elsewhere (a forged one keeps a failed due from ever being debited again).
    case payments
    /// The departments' lists of special groups (a forged membership makes a subsidy).
    case groupMemberships = "group_memberships"
    /// Results operators confirmed with the banks (a forged one closes a debit no bank answered).
    case confirmations
    /// The households the roster links payers into (a forged link makes a household's subsidy).
    case households

    /// The tables the v10 migration sealed as they stood (a later table is sealed from its first row).
    static let sealedAtV10: [SealedTable] = [.payers, .agreements, .enrollments, .dues, .residentDues, .payments, .groupMemberships]

    /// The columns a row's seal covers, in order.
    var columns: String {
        switch self {
        case .payers: "id, id_number, name, phone, district, street, community, updated_at"
        case .agreements: "id, payer_id, bank, account, account_name, agreement_no, status, version, updated_at"
        case .enrollments: "id, payer_id, insurance, tier, bank, start_period, end_period, suspended, scheme, joined"
        case .dues: "id, payer_id, insurance, period, amount_fen, scheme"
        case .residentDues: "id, payer_id, insurance, year, seq, due_id, tier_fen, standard_fen, personal_fen, subsidy_fen, government_fen, rule, department, cover_from, priced_at"
        case .payments: "id, payer_id, insurance, period, amount_fen, channel, reference"
        case .groupMemberships: "id, id_number, group_name, department, valid_from, valid_to, source, imported_at, actor"
        case .confirmations: "id, exception_id, debit_id, outcome, reason, actor, at"
        case .households: "id, payer_id, household, relation, updated_at"
        }
    }

    /// The journal action of the migration's entry that sealed what the table held before runs.
    var sealedAction: String { rawValue + ".sealed" }

    /// The kinds of journal entries that may seal the table's rows: those that write them, and
    /// ``sealedAction``. An entry of any other kind naming a row seals nothing.
    var journalActions: LedgerSQL {
        let writers: [String] = switch self {
        case .payers: ["roster.import", "payer.update"]
        case .agreements: ["roster.import", "agreement.update", "agreement.revoke", "agreement.move"]
        case .enrollments: ["roster.import", "enrollment.update", "agreement.move"]
        case .dues, .residentDues: ["dues.plan", "dues.reprice"]
        case .payments: ["payments.import"]
        case .groupMemberships: ["groups.import"]
        case .confirmations: ["exception.confirm"]
        case .households: ["roster.import", "household.update"]
        }
        return LedgerSQL(stringLiteral: (writers + [sealedAction]).map { "'\($0)'" }.joined(separator: ", "))
    }

    /// What one row is, in a violation's words.
    var row: String {
        switch self {
        case .payers: "payer"
        case .agreements: "agreement"
        case .enrollments: "enrollment"
        case .dues: "due"
        case .residentDues: "residents' due"
        case .payments: "payment made elsewhere"
        case .groupMemberships: "group membership"
        case .confirmations: "result confirmed by an operator"
        case .households: "household link"
        }
    }
}

extension SealedTable {
    /// Seals the rows with ids above `after` (those this unit of work added), as a journal detail
    /// carries it; nil when there are none.
    func sealRun(_ session: any LedgerSession, after: Int64) async throws -> String? {
        let name = LedgerSQL(stringLiteral: rawValue)
        guard let last = try await session.row("SELECT MAX(id) AS id FROM \(sql: name) WHERE id > \(after)").flatMap({ try $0.optionalInt("id") }) else { return nil }
        return Seal.rangeText(rawValue, from: after + 1, through: last,
                              seal: try await SealedRows.runSeal(session, SealedRows.run(self, from: after + 1, through: last)))
    }

    /// The last id a run already sealed (0 for none): a migration sealing what the table holds
    /// starts above it, so that running it again seals nothing twice.
    func sealedThrough(_ session: any LedgerSession) async throws -> Int64 {
        var through: Int64 = 0
        for row in try await session.rows("SELECT detail FROM journal WHERE action IN (\(sql: journalActions))") {
            if let run = Seal.parseRange(try row.text("detail"), table: rawValue) { through = max(through, run.through) }
        }
        return through
    }

    /// The last id the table holds (0 for none): a run sealed after an import starts above it.
    func lastID(_ session: any LedgerSession) async throws -> Int64 {
        try await session.row("SELECT MAX(id) AS id FROM \(sql: LedgerSQL(stringLiteral: rawValue))")?.optionalInt("id") ?? 0
    }

    /// Each row's hash whose id `ids` selects, by id.
    func recordHashes(_ session: any LedgerSession, ids: LedgerSQL) async throws -> [Int64: String] {
        var hashes: [Int64: String] = [:]
        let seal = try RowSeal()
        try await session.forEachSealedRow(SealedRows.records(self, ids: ids)) { id, row in
            if let id { hashes[id] = Digest.hex(try seal.hash(encoded: row)) }
        }
        return hashes
    }

    /// Runs `change` (which changes rows of the table in place, and may add some) and returns what
    /// seals it: the records among those `ids` selects before `change` whose hash moved, by id, and
    /// the run of rows added. `ids` must select those rows again after `change` (it may select more).
    func sealing(_ session: any LedgerSession, changing ids: LedgerSQL,
                 _ change: () async throws -> Void) async throws -> (records: [Int64: String], run: String?) {
        let before = try await recordHashes(session, ids: ids)
        let last = try await lastID(session)
        try await change()
        // (`ids` again: it may select rows `change` added too, which the run seals, not a record.)
        let after = try await recordHashes(session, ids: ids)
        var records: [Int64: String] = [:]
        for (id, was) in before {
            guard let now = after[id], now != was else { continue }
            records[id] = Seal.recordText(rawValue, id: id, seal: now, was: was)
        }
        return (records, try await sealRun(session, after: last))
    }
}

extension LedgerStore {
    /// Rows of `table` that no entry sealed (added behind Pikou's back), rows whose hash is not
    /// their last seal's (edited), runs whose rows no longer hash to their seal (a row deleted, or
    /// a record's first change naming a hash the row never had), a run sealed twice, and a record
    /// re-sealed by an entry that does not name the seal it replaces. One pass over the table.
    static func runSealViolations(_ session: any LedgerSession, _ table: SealedTable) async throws -> [InvariantViolation] {
        var runs: [(from: Int64, through: Int64, seal: String, entry: Int64)] = []
        var records: [Int64: [(seal: String, was: String, entry: Int64)]] = [:]
        var violations: [InvariantViolation] = []
        for row in try await session.rows("SELECT id, detail FROM journal WHERE action IN (\(sql: table.journalActions)) ORDER BY id") {
            let detail = try row.text("detail"), entry = try row.int("id")
            if let run = Seal.parseRange(detail, table: table.rawValue) {
                if let earlier = runs.first(where: { $0.from <= run.through && run.from <= $0.through }) {
                    violations.append(.sealReplaced(subject: "\(table.rawValue) #\(run.from)..\(run.through)", journalEntry: entry, sealedBy: earlier.entry))
                } else {
                    runs.append((run.from, run.through, run.seal, entry))
                }
            }
            for record in Seal.parseRecords(detail, table: table.rawValue) {
                if let last = records[record.id]?.last, last.seal != record.was {
                    violations.append(.sealChainBroken(subject: "\(table.row) #\(record.id)", journalEntry: entry, previous: last.entry))
                    continue
                }
                records[record.id, default: []].append((record.seal, record.was, entry))
            }
        }
        runs.sort { $0.from < $1.from }
        var index = 0
        let seal = try RowSeal()
        func finish(_ upTo: Int64) throws {
            // Closes the runs that end before `upTo` (a run with no row left hashes nothing).
            while index < runs.count, runs[index].through < upTo {
                if try seal.finish() != runs[index].seal {
                    violations.append(.sealBroken(subject: "\(table.rawValue) #\(runs[index].from)..\(runs[index].through)", journalEntry: runs[index].entry))
                }
                index += 1
            }
        }
        try await session.forEachSealedRow("SELECT \(sql: LedgerSQL(stringLiteral: table.columns)) FROM \(sql: LedgerSQL(stringLiteral: table.rawValue)) ORDER BY id") { id, row in
            guard let id else {
                throw StoreError.unavailable(Message(zh: "表 '\(table.rawValue)' 中有一行没有编号", en: "\(table.rawValue) has a row without an id"))
            }
            let hash = try seal.hash(encoded: row)
            try finish(id)
            let changes = records[id]
            if let last = changes?.last, last.seal != Digest.hex(hash) {
                violations.append(.sealBroken(subject: "\(table.row) #\(id)", journalEntry: last.entry))
            }
            guard index < runs.count, runs[index].from <= id else {
                violations.append(.sealMissing(subject: "\(table.row) #\(id)"))
                return
            }
            // A record changed since stands in its run by the hash it had (checked there).
            seal.add(changes?.first.flatMap { Digest.bytes(hex: $0.was) } ?? hash)
        }
        try finish(.max)
        return violations
    }
}

/// What an exception action and its journal entry both say (``LedgerStore/exceptionActionViolations(_:)``).
struct ExceptionActionSaid: Hashable {
    var exception: Int64, action: String, actor: String, note: String

    /// A resolve or reopen entry's detail: `exception 12 unknown-code: the note`.
    static func detail(exception: Int64, kind: String, note: String) -> String { "exception \(exception) \(kind): \(note)" }

    /// The exception and the note a ``detail(exception:kind:note:)`` names.
    static func parse(_ detail: String) -> (exception: Int64, note: String)? {
        guard detail.hasPrefix("exception ") else { return nil }
        let rest = detail.dropFirst("exception ".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let id = Int64(digits), let colon = rest.firstRange(of: ": ") else { return nil }
        return (id, String(rest[colon.upperBound...]))
    }
}
