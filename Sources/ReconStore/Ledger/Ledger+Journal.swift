import PikouCore

/// The journal's pages, its head and the ledger's version, and an entry appended on its own —
/// written once for both backends. (Walking the whole chain stays per backend: it streams.)
extension LedgerStore {
    public func journalEntries(_ filter: JournalFilter) async throws -> JournalPage {
        let (actor, action, subject) = (filter.actor, filter.action, filter.subject)
        let condition: LedgerSQL = """
            (CAST(\(actor) AS TEXT) IS NULL OR actor = \(actor))
              AND (CAST(\(action) AS TEXT) IS NULL OR substr(action, 1, length(\(action))) = \(action))
              AND (CAST(\(subject) AS TEXT) IS NULL OR subject = \(subject))
            """
        return try await readLedger { session in
            let total = try await session.row("SELECT COUNT(*) AS n FROM journal WHERE \(sql: condition)")?.count("n") ?? 0
            let entries = try await session.rows("""
                SELECT id, at, actor, action, subject, detail, hash FROM journal WHERE \(sql: condition)
                ORDER BY id DESC LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))
                """).map {
                PikouCore.JournalEntry(id: try $0.int("id"), at: try $0.text("at"), actor: try $0.text("actor"), action: try $0.text("action"),
                                       subject: try $0.text("subject"), detail: try $0.text("detail"), hash: try $0.text("hash"))
            }
            return JournalPage(total: total, entries: entries)
        }
    }

    public func journalHead() async throws -> JournalHead? {
        try await readLedger { session in
            try await session.row("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1").map { JournalHead(entryID: try $0.int("id"), hash: try $0.text("hash")) }
        }
    }

    public func ledgerVersion() async throws -> Int64 {
        try await readLedger { session in
            try await session.row("SELECT id FROM journal WHERE substr(action, 1, 8) <> 'console.' ORDER BY id DESC LIMIT 1")?.int("id") ?? 0
        }
    }

    public func journalHash(entryID: Int64) async throws -> String? {
        try await readLedger { session in try await session.row("SELECT hash FROM journal WHERE id = \(entryID)")?.text("hash") }
    }

    public func appendJournal(actor: String, action: String, subject: String, detail: String) async throws {
        try await writeLedger { session in try await Self.appendJournal(session, actor: actor, action: action, subject: subject, detail: detail) }
    }

    public func allReturnFiles() async throws -> [StoredReturnFile] {
        try await readLedger { session in
            try await session.rows("SELECT id, bank, name, digest, debit_file_id, kind FROM return_files ORDER BY id").map(Self.returnFileRecord)
        }
    }

    /// A `return_files` row (id, bank, name, digest, debit_file_id, kind).
    static func returnFileRecord(_ row: LedgerRow) throws -> StoredReturnFile {
        StoredReturnFile(id: try row.int("id"), bank: try row.text("bank"), name: try row.text("name"), digest: try row.text("digest"),
                         debitFileID: try row.int("debit_file_id"), isCancellation: try row.text("kind") == "cancel")
    }
}
