import BankFormats
import Foundation
import GRDB
import PikouCore
import PikouCrypto
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 17, item 4: edits of the store behind Pikou's back (as `sqlite3` makes them, guards dropped
/// and put back) and of the archive are each found by `check`; the journal is anchored outside the
/// store, so deleting its last entries or all of it shows too.
@Suite struct TamperEvidenceTests {
    /// A month posted: BOC and CCB files written, answered, ingested; the journal anchored.
    func month() async throws -> TestWorkspace {
        let ws = try await TestWorkspace.month()
        try await ws.useCases.anchorJournal()
        #expect(try await ws.check.violations().isEmpty, "a month as Pikou left it passes")
        return ws
    }

    /// Runs `sql` on the store's file with the append-only guards dropped, then puts them back, as a
    /// careful intruder would.
    func edit(_ ws: TestWorkspace, _ sql: String, keepGuardsDropped: Bool = false) throws {
        let queue = try DatabaseQueue(path: ws.directory + "/pikou.sqlite")
        try queue.write { db in
            let guards = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            for row in guards { try db.execute(sql: "DROP TRIGGER \(row["name"] as String)") }
            try db.execute(sql: sql)
            if !keepGuardsDropped { for row in guards { try db.execute(sql: row["sql"]) } }
        }
    }

    func violations(_ ws: TestWorkspace) async throws -> [InvariantViolation] { try await ws.check.violations() }

    @Test func aFailedResultMadeSuccessfulIsFound() async throws {
        let ws = try await month()
        // The coordinated edit: the closing result of a failed debit says succeeded; debits and items
        // are views over it, so they follow, and the totals still add up.
        try edit(ws, "UPDATE results SET outcome = 'succeeded', bank_code = '0000' WHERE id = (SELECT MIN(id) FROM results WHERE posted = 1 AND outcome != 'succeeded')")
        let found = try await violations(ws)
        #expect(found.contains { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix("return file ") } else { false } }, "\(found)")
    }

    @Test func anAmountChangedAloneIsFound() async throws {
        let ws = try await month()
        try edit(ws, "UPDATE results SET amount_fen = amount_fen + 100 WHERE id = (SELECT MIN(id) FROM results)")
        #expect(try await violations(ws).contains { if case .sealBroken = $0 { true } else { false } })
    }

    @Test func anExceptionDeletedOrADebitRowChangedIsFound() async throws {
        let ws = try await month()
        try edit(ws, "UPDATE debit_rows SET account = '6222020000000000001' WHERE id = (SELECT MIN(id) FROM debit_rows)")
        let found = try await violations(ws)
        #expect(found.contains { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix("debit file ") } else { false } }, "\(found)")
    }

    @Test func aChangedArchiveCopyIsFound() async throws {
        let ws = try await month()
        let archive = ws.workspace.archive
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: archive).first { !$0.hasSuffix(".sig") })
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: archive + "/" + name)))
        bytes[bytes.count / 2] ^= 1
        try FileIO.writeAtomically(bytes, to: archive + "/" + name)
        #expect(try await violations(ws).contains(.returnArchiveChanged(path: archive + "/" + name)))
        try FileManager.default.removeItem(atPath: archive + "/" + name)
        #expect(try await violations(ws).contains(.returnArchiveMissing(path: archive + "/" + name)))
    }

    @Test func deletingTheLastJournalEntriesIsFound() async throws {
        let ws = try await month()
        try edit(ws, "DELETE FROM journal WHERE id > (SELECT MAX(id) - 2 FROM journal)")
        let found = try await violations(ws)
        #expect(found.contains { if case .anchorBroken = $0 { true } else { false } }, "\(found)")
    }

    @Test func deletingTheWholeJournalIsFound() async throws {
        let ws = try await month()
        try edit(ws, "DELETE FROM journal")
        let found = try await violations(ws)
        #expect(found.contains { if case .anchorBroken = $0 { true } else { false } })
        #expect(found.contains { if case .sealMissing = $0 { true } else { false } }, "every posted file lost its seal")
    }

    @Test func aDroppedGuardIsFound() async throws {
        let ws = try await month()
        try edit(ws, "SELECT 1", keepGuardsDropped: true)
        let found = try await violations(ws)
        #expect(found.contains(.appendOnlyGuardMissing(name: "results_append_only_update")))
        #expect(found.contains(.appendOnlyGuardMissing(name: "journal_append_only_delete")))
    }

    @Test func anOutsideAnchorShowsARecomputedChain() async throws {
        let ws = try await month()
        let head = try #require(try await ws.useCases.journalHead())
        // An anchor that does not hold (a chain recomputed from the start would give other hashes).
        let forged = JournalHead(entryID: head.entryID, hash: String(repeating: "0", count: 64))
        let found = try await ws.check.violations(anchors: [("printed report", forged)])
        #expect(found == [.anchorBroken(anchor: forged.text, source: "printed report", found: "sha256 \(head.hash)")])
        #expect(try await ws.check.violations(anchors: [("printed report", head)]).isEmpty)
    }

    /// Issue 37, item 4: `anchor_copies` keeps every anchor outside the workspace too, without a
    /// habit. A store and journal-anchors.log rewritten together are then still found; entries
    /// after the newest anchor, and a copy gone, are warned about.
    @Test func anchorCopiesOutsideTheWorkspaceAreWrittenAndChecked() async throws {
        let ws = try await month()
        let outside = try temporaryDirectory()
        var workspace = ws.workspace
        workspace.anchorCopies = [outside + "/bureau.log"]
        let useCases = UseCases(workspace: workspace, store: ws.store)
        let check = InvariantCheck(workspace: workspace, store: ws.store, specs: ws.specs)
        #expect(try await useCases.anchorWarnings().missingCopies == [outside + "/bureau.log"], "named, not yet written")
        let head = try #require(try await useCases.anchorJournal())
        let copy = try String(contentsOfFile: outside + "/bureau.log", encoding: .utf8)
        #expect(copy.hasSuffix(head.text + "\n"), "\(copy)")
        #expect(try await useCases.anchorWarnings().missingCopies.isEmpty)
        #expect(try await check.violations().isEmpty)

        // An entry appended and not anchored: warned about (a command cut short, or outside Pikou).
        try await ws.store.appendJournal(actor: "t", action: "note", subject: "t", detail: "appended")
        let after = try #require(try await useCases.anchorWarnings().after)
        #expect(after.newest == head && after.head.entryID == head.entryID + 1, "\(after)")

        // The last entries deleted and the workspace's own anchors rewritten to match: the copy holds.
        try edit(ws, "DELETE FROM journal WHERE id >= \(head.entryID)")
        try "".write(toFile: ws.directory + "/journal-anchors.log", atomically: true, encoding: .utf8)
        let found = try await check.violations()
        #expect(found.contains { if case .anchorBroken(_, let source, _) = $0 { source.hasPrefix(outside + "/bureau.log:") } else { false } }, "\(found)")
        #expect(try await ws.check.violations().allSatisfy { if case .anchorBroken = $0 { false } else { true } },
                "without the copy, nothing showed the entries gone")
    }

    /// A copy must be a file's absolute path outside the workspace.
    @Test func anchorCopiesInsideTheWorkspaceAreRefused() throws {
        let folder = try temporaryDirectory()
        for copies in ["[\(folder)/ws/anchors.log]", "[anchors.log]", "[\(folder)/ws/../ws/a.log]"] {
            let directory = folder + "/ws"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try "store: pikou.sqlite\nanchor_copies: \(copies)\n".write(toFile: directory + "/pikou.yaml", atomically: true, encoding: .utf8)
            #expect(throws: PikouError.self, "\(copies)") { _ = try Workspace(directory: directory, defaultFormats: Fixture.formatsDirectory) }
        }
    }

    @Test func anOutsideAnchorFileNamesTheLineOfEachAnchor() throws {
        let path = try temporaryDirectory() + "/anchors.txt"
        let hash = String(repeating: "ab", count: 32)
        try "printed 2026-12-05\n\n日志链头：entry 3 sha256 \(hash)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let found = try #require(JournalAnchors.outside(path))
        #expect(found.map(\.source) == ["\(path):3"], "blank lines count")
        #expect(found.first?.head == JournalHead(entryID: 3, hash: hash))
        #expect(JournalAnchors.outside("entry 3 sha256 \(hash)")?.first?.source == "--anchor")
        #expect(JournalAnchors.outside("neither") == nil)
    }

    @Test func theGuardsRefuseTheEditsThemselves() async throws {
        let ws = try await month()
        let queue = try DatabaseQueue(path: ws.directory + "/pikou.sqlite")
        // An exception to delete (the month raised none).
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO exceptions (return_file_id, line_no, kind, detail, created_at) SELECT MIN(id), 1, 'x', 'x', 'x' FROM return_files")
        }
        for sql in ["UPDATE results SET amount_fen = 1", "DELETE FROM return_files", "UPDATE return_files SET total_fen = 1",
                    "DELETE FROM exceptions", "UPDATE debit_rows SET amount_fen = 1", "DELETE FROM debit_rows",
                    "UPDATE files SET total_fen = 1", "DELETE FROM debit_dues"] {
            await #expect(throws: DatabaseError.self, "\(sql)") { try await queue.write { db in try db.execute(sql: sql) } }
        }
    }
}

/// The undo's way around the append-only guards is open to the undo alone, and never hides an edit.
@Suite struct UndoGuardTests {
    func ingested() async throws -> (TestWorkspace, StoredReturnFile) {
        let (ws, debit) = try await TestWorkspace.withBOCFile()
        var lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = "1001"; return l }
        lines[0].resultCode = "7777"  // one exception too
        let path = try await ws.writeReturn(debitPath: debit, lines: lines)
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        return (ws, try #require(try await ws.store.allReturnFiles().last))
    }

    @Test func withoutItsMarkADeleteIsStillRefused() async throws {
        let (ws, returned) = try await ingested()
        let queue = try DatabaseQueue(path: ws.directory + "/pikou.sqlite")
        for sql in ["DELETE FROM results WHERE return_file_id = \(returned.id)", "DELETE FROM exceptions", "DELETE FROM return_files WHERE id = \(returned.id)"] {
            #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: sql) } }
        }
        // A mark left behind is named by check: the guards do not hold for that file.
        try await queue.write { try $0.execute(sql: "INSERT INTO return_undo_marks (return_file_id) VALUES (\(returned.id))") }
        let flagged = try await ws.check.violations()
        #expect(flagged.contains { if case .appendOnlyGuardMissing(let name) = $0 { name.contains("return_undo_marks") } else { false } })
    }

    @Test func anEditedIngestIsNotUndoneAndTheEditStaysVisible() async throws {
        let (ws, returned) = try await ingested()
        let queue = try DatabaseQueue(path: ws.directory + "/pikou.sqlite")
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER results_append_only_update")
            try db.execute(sql: "UPDATE results SET outcome = 'succeeded' WHERE return_file_id = \(returned.id) AND line_no = 2")
        }
        do {
            _ = try await ws.useCases.undoIngest(bank: "BOC", name: returned.name, debitFile: nil, reason: "x", actor: "t")
            Issue.record("rows that no longer match their seal must not be undone")
        } catch StoreError.conflict(let text) {
            #expect(text.en.contains("no longer match their seal"))
        }
        let violations = try await ws.check.violations()
        #expect(violations.contains { if case .sealBroken = $0 { true } else { false } })
    }

    @Test func undoneIdsAreNotHandedOutAgainAndACancellationIsNotAnIngest() async throws {
        let (ws, returned) = try await ingested()
        _ = try await ws.useCases.undoIngest(bank: "BOC", name: returned.name, debitFile: nil, reason: "x", actor: "t")
        let path = ws.workspace.inbox + "/BOC/" + returned.name
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        let again = try #require(try await ws.store.allReturnFiles().last)
        #expect(again.id > returned.id)
        #expect(try await ws.check.violations() == [])
        // At the store itself: a cancellation's record is refused as an undo.
        let (other, debit) = try await TestWorkspace.withBOCFile()
        let cancelled = try await other.useCases.cancelFile(bank: "BOC", name: (debit as NSString).lastPathComponent, reason: "x", specs: other.specs, actor: "t")
        do {
            _ = try await other.store.undoReturnFile(id: cancelled.cancelled.recordID, actor: "t", reason: "x")
            Issue.record("a cancellation must not be undone")
        } catch StoreError.conflict(let text) {
            #expect(text.en.contains("stays cancelled"))
        }
    }
}
