import PikouCore

/// Files sent to the banks and fetched from them, and the departments' group lists — written once
/// for both backends.
extension LedgerStore {
    public func recordTransfer(_ transfer: Transfer) async throws -> Bool {
        try await writeLedger { session in
            let inserted = try await session.rows("""
                INSERT INTO transfers (bank, name, direction, digest, byte_count, remote, at, actor)
                VALUES (\(transfer.bank), \(transfer.name), \(transfer.direction.rawValue), \(transfer.digest), \(transfer.byteCount),
                        \(transfer.remote), \(Self.now()), \(transfer.actor))
                ON CONFLICT (bank, direction, name, digest) DO NOTHING RETURNING id
                """)
            guard !inserted.isEmpty else { return false }
            try await Self.appendJournal(session, actor: transfer.actor, action: "file.\(transfer.direction.rawValue)", subject: "\(transfer.bank)/\(transfer.name)",
                                         detail: TransferText.detail(transfer))
            return true
        }
    }

    public func transfers(bank: String?) async throws -> [Transfer] {
        try await readLedger { session in
            try await session.rows("SELECT * FROM transfers WHERE CAST(\(bank) AS TEXT) IS NULL OR bank = \(bank) ORDER BY id").map { row in
                Transfer(bank: try row.text("bank"), name: try row.text("name"), direction: Transfer.Direction(rawValue: try row.text("direction")) ?? .sent,
                         digest: try row.text("digest"), byteCount: try row.count("byte_count"), remote: try row.text("remote"),
                         actor: try row.text("actor"), at: try row.text("at"))
            }
        }
    }

    public func importMemberships(_ records: [GroupMembershipRecord], actor: String, source: String) async throws -> GroupImportCounts {
        try await writeLedger { session in
            var counts = GroupImportCounts()
            let now = Self.now()
            let sealedUpTo = try await SealedTable.groupMemberships.lastID(session)
            for record in records {
                let inserted = try await session.rows("""
                    INSERT INTO group_memberships (id_number, group_name, department, valid_from, valid_to, source, imported_at, actor)
                    VALUES (\(record.idNumber.value), \(record.group), \(record.department), \(record.validFrom.description),
                            \(record.validTo?.description ?? ""), \(source), \(now), \(actor))
                    ON CONFLICT (id_number, group_name, valid_from, valid_to) DO NOTHING RETURNING id
                    """)
                if inserted.isEmpty { counts.unchanged += 1 } else { counts.added += 1 }
            }
            let seal = try await SealedTable.groupMemberships.sealRun(session, after: sealedUpTo).map { "; " + $0 } ?? ""
            try await Self.appendJournal(session, actor: actor, action: "groups.import", subject: source, detail: MembershipText.detail(records, counts) + seal)
            return counts
        }
    }

    public func memberships(idNumber: IDNumber) async throws -> [GroupMembershipRecord] {
        try await readLedger { session in
            try await session.rows("SELECT * FROM group_memberships WHERE id_number = \(idNumber.value) ORDER BY id").map { row in
                MembershipText.record(idNumber: idNumber, group: try row.text("group_name"), department: try row.text("department"),
                                      from: try row.text("valid_from"), to: try row.text("valid_to"))
            }
        }
    }
}

extension LedgerStore {
    public func household(idNumber: IDNumber) async throws -> (relation: Household.Relation?, relatives: [Household.Member]) {
        let members = try await readLedger { session in
            try await session.rows("""
                SELECT p.id_number, h.relation FROM households h JOIN payers p ON p.id = h.payer_id
                WHERE h.household <> '' AND h.household = (SELECT h2.household FROM households h2 JOIN payers p2 ON p2.id = h2.payer_id WHERE p2.id_number = \(idNumber.value))
                  AND (SELECT COUNT(*) FROM households h3 WHERE h3.household = h.household) <= \(Household.maxSize)
                ORDER BY p.id
                """).map { (id: try $0.text("id_number"), relation: Household.Relation(rawValue: try $0.text("relation"))) }
        }
        var relatives: [Household.Member] = []
        for member in members where member.id != idNumber.value {
            let id = IDNumber(stored: member.id)
            relatives.append(Household.Member(idNumber: id, relation: member.relation, memberships: try await memberships(idNumber: id)))
        }
        return (members.first { $0.id == idNumber.value }?.relation, relatives)
    }
}

/// How the journal tells a transfer.
enum TransferText {
    static func detail(_ transfer: Transfer) -> String {
        "\(transfer.direction == .sent ? "sent to" : "fetched from") \(transfer.remote): sm3 \(transfer.digest), \(transfer.byteCount) bytes"
    }
}

/// How both backends write and read a membership.
enum MembershipText {
    static func detail(_ records: [GroupMembershipRecord], _ counts: GroupImportCounts) -> String {
        let groups = Set(records.map(\.group)).sorted().joined(separator: ", ")
        return "\(groups.isEmpty ? "no rows" : groups): \(counts.added) added, \(counts.unchanged) already there"
    }

    static func record(idNumber: IDNumber, group: String, department: String, from: String, to: String) -> GroupMembershipRecord {
        GroupMembershipRecord(idNumber: idNumber, group: group, department: department, validFrom: CivilDate(iso: from) ?? .epoch,
                              validTo: to.isEmpty ? nil : CivilDate(iso: to))
    }
}
