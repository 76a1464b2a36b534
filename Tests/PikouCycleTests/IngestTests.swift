import BankFormats
import Foundation
import GRDB
import PikouCore
import PikouCrypto
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Return ingest: bad files are rejected whole; bad lines become exceptions, never silently dropped or posted.
@Suite struct IngestTests {
    /// A workspace with one BOC file of 4 debits written.
    func setUp(_ backend: TestBackend = .sqlite) async throws -> (TestWorkspace, String) { try await TestWorkspace.withBOCFile(backend: backend) }

    func writeReturn(_ ws: TestWorkspace, debitPath: String, lines: [DebitLine], tamperTotal: Bool = false) async throws -> String {
        try await ws.writeReturn(debitPath: debitPath, lines: lines, tamperTotal: tamperTotal)
    }

    func debitLines(_ ws: TestWorkspace, _ path: String) -> [DebitLine] { ws.debitLines(path) }

    func pending(_ ws: TestWorkspace) async throws -> Int { try await ws.store.status(period: nil).reduce(0) { $0 + $1.totals.pending } }

    @Test(arguments: TestBackend.all) func tamperedReturnIsRejectedWholeAndNothingPosted(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let path = try await writeReturn(ws, debitPath: debit, lines: lines)
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[bytes.count / 2] ^= 1
        try FileIO.writeAtomically(bytes, to: path)
        guard case .rejected(let diagnostics) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("a tampered file must be rejected")
            return
        }
        #expect(diagnostics.first?.code == .signatureInvalid)
        #expect(try await pending(ws) == 4)
    }

    @Test func wrongTrailerTotalIsRejectedWhole() async throws {
        let (ws, debit) = try await setUp()
        let lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let path = try await writeReturn(ws, debitPath: debit, lines: lines, tamperTotal: true)
        guard case .rejected(let diagnostics) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("a wrong total must reject the file")
            return
        }
        #expect(diagnostics.map(\.code).contains(.totalMismatch))
        #expect(diagnostics.last?.text.en.contains("nothing posted") == true)
        #expect(try await pending(ws) == 4)
    }

    @Test(arguments: TestBackend.all) func badLinesBecomeExceptions(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        var lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[1].amount = Money(fen: lines[1].amount.fen + 1)  // amount disagrees
        lines[2].resultCode = "7777"  // not in BOC's table
        var stranger = lines[0]
        stranger.sequence = 99  // matches no debit
        var duplicate = lines[0]
        duplicate.resultCode = "1001"  // the same debit again, with another result
        lines.append(stranger)
        lines.append(duplicate)
        let path = try await writeReturn(ws, debitPath: debit, lines: lines)
        guard case .posted(_, _, let summary) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("line-level problems must not reject the file")
            return
        }
        #expect(summary.exceptions[.amountMismatch] == 1)
        #expect(summary.exceptions[.unknownCode] == 1)
        #expect(summary.exceptions[.unmatched] == 1)
        #expect(summary.exceptions[.duplicateLine] == 1)
        #expect(summary.succeeded == 2)  // lines 1 and 4
        #expect(summary.failed == 1)  // the unknown code is posted as a failure for review
        #expect(try await pending(ws) == 1, "the amount mismatch stays pending")
        #expect(try await ws.check.violations() == [])
        // Again: a no-op.
        guard case .alreadyIngested = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the same file twice must be a no-op")
            return
        }
    }

    @Test(arguments: TestBackend.all) func aSecondDifferentResultIsAnExceptionNotAnOverwrite(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let ok = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let first = try await writeReturn(ws, debitPath: debit, lines: ok)
        _ = try await ws.ingest.ingest(path: first, bank: nil, debitFileName: nil, actor: "t")
        // The bank sends a corrected file (other bytes) saying line 1 failed.
        var changed = ok
        changed[0].resultCode = "1001"
        let second = try await writeReturn(ws, debitPath: debit, lines: changed)
        guard case .posted(_, _, let summary) = try await ws.ingest.ingest(path: second, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("expected posting")
            return
        }
        #expect(summary.exceptions[.conflictingResult] == 1)
        #expect(summary.alreadyPosted == 3)
        #expect(try await ws.store.status(period: nil).first?.totals.succeeded == 4)
    }

    /// Several files at once (the next one verified while this one posts) answer one by one, in the
    /// order given, exactly as one call per file would: a rejected file in the middle stops nothing,
    /// and the same file twice is ingested once.
    @Test(arguments: TestBackend.all) func severalFilesAnswerInOrderAsOneAtATime(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let good = try await writeReturn(ws, debitPath: debit, lines: lines)
        let unknown = ws.workspace.inbox + "/BOC/unknown.txt"
        try FileIO.writeAtomically(Array("x".utf8), to: unknown)
        var answers: [(String, String)] = []
        try await ws.ingest.ingest(paths: [unknown, good, good, "/nonexistent/BOC/x.txt"], bank: nil, debitFileName: nil, actor: "t") { path, result in
            let answer = switch try result.get() {
            case .posted(_, _, let summary): "posted \(summary.succeeded)"
            case .alreadyIngested: "already"
            case .rejected: "rejected"
            }
            answers.append(((path as NSString).lastPathComponent, answer))
        }
        #expect(answers.map(\.0) == ["unknown.txt", (good as NSString).lastPathComponent, (good as NSString).lastPathComponent, "x.txt"])
        #expect(answers.map(\.1) == ["rejected", "posted 4", "already", "rejected"])
        #expect(try await pending(ws) == 0)
    }

    /// 钱表相符 through a month: PENDING before the return, MISMATCH while an exception is open or a
    /// line pending, and exceptions resolved and reopened as journaled work items.
    @Test(arguments: TestBackend.all) func theMoneyCheckIsHonestAndExceptionsAreWorkItems(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let december = TestWorkspace.december
        #expect(try await ws.useCases.report(period: try Period(year: 2026, month: 11), by: .bank).check.state == .noData)
        let before = try await ws.useCases.report(period: december, by: .bank).check
        #expect(before.state == .pending, "\(before.lines)")
        #expect(before.findings.contains(.notAnswered(debitFile: "BOC/" + (debit as NSString).lastPathComponent)))

        var lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[2].resultCode = "7777"  // not in BOC's table: posted as failed, an exception for review
        let path = try await writeReturn(ws, debitPath: debit, lines: lines)
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        let open = try await ws.useCases.exceptions(period: december)
        #expect(open.map(\.kind) == [.unknownCode])
        #expect(try await ws.useCases.report(period: december, by: .bank).check.state == .mismatch)

        let id = try #require(open.first?.id)
        await #expect { try await ws.useCases.setException(id: id, resolved: true, note: "  ", actor: "张经办") } throws: { ($0 as? PikouError)?.code == "exceptions.note" }
        await #expect(throws: StoreError.notFound(Message(zh: "异常 999", en: "exception 999"))) { try await ws.useCases.setException(id: 999, resolved: true, note: "x", actor: "张经办") }
        let resolved = try await ws.useCases.setException(id: id, resolved: true, note: "银行确认失败", actor: "张经办")
        #expect(resolved.resolved && resolved.lastAction?.actor == "张经办" && resolved.lastAction?.note == "银行确认失败")
        await #expect(throws: StoreError.self) { try await ws.useCases.setException(id: id, resolved: true, note: "again", actor: "李经办") }
        #expect(try await ws.useCases.exceptions(period: december).isEmpty, "open ones only by default")
        #expect(try await ws.useCases.exceptions(period: december, filter: ExceptionFilter(state: .resolved)).count == 1)
        let settled = try await ws.useCases.report(period: december, by: .bank).check
        #expect(settled.state == .match, "\(settled.lines)")

        _ = try await ws.useCases.setException(id: id, resolved: false, note: "银行撤回确认", actor: "李经办")
        #expect(try await ws.useCases.report(period: december, by: .bank).check.state == .mismatch)
        #expect(try await ws.check.violations() == [], "the journal chain holds the actions")

        // Issue 37: the same exception "resolved" by an INSERT behind Pikou's back turns 不符 into
        // 相符 with the journal untouched; `check` finds the action that has no entry.
        let forged = "INSERT INTO exception_actions (exception_id, action, note, actor, at) VALUES (\(id), 'resolve', '银行确认已扣款', '张经办', '2026-12-20T09:00:00Z')"
        try LedgerTamperTests().tamper(ws, sqlite: { try $0.execute(sql: forged) }, postgres: forged)
        #expect(try await ws.useCases.report(period: december, by: .bank).check.state == .match, "the forgery moves the verdict")
        let found = try await ws.check.violations()
        #expect(found.contains { if case .sealMissing(let subject) = $0 { subject.hasPrefix("exception action #") } else { false } }, "\(found)")
        #expect(found.count == 1, "only the forged action: \(found)")
    }

    @Test func aReturnForNoKnownFileIsRejected() async throws {
        let (ws, _) = try await setUp()
        let path = ws.workspace.inbox + "/BOC/unknown.txt"
        try FileIO.writeAtomically(Array("x".utf8), to: path)
        guard case .rejected(let diagnostics) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(diagnostics.first?.text.en.contains("no debit file") == true)
    }

    /// Found by `make crash-test`: an ingest killed between archiving a BOC return file and its
    /// detached signature left the archive without the `.sig` (and a temporary file), and the re-run
    /// never wrote it. Each is now archived on its own, leftovers are cleared, and check names a
    /// missing signature.
    @Test func anArchivedDetachedSignatureIsKeptAndCheckedAfterAKill() async throws {
        let (ws, debit) = try await setUp()
        let lines = debitLines(ws, debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let path = try await writeReturn(ws, debitPath: debit, lines: lines)
        guard case .posted = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the return posts")
            return
        }
        let archive = ws.workspace.archive
        let archived = try #require(try FileManager.default.contentsOfDirectory(atPath: archive).first { !$0.hasSuffix(".sig") })
        // What the kill left: the file without its signature, and a temporary file.
        try FileManager.default.removeItem(atPath: archive + "/" + archived + ".sig")
        try FileIO.writeAtomically([1, 2, 3], to: archive + "/." + archived + ".sig.tmp-2147483647")
        #expect(try await ws.check.violations() == [.returnArchiveMissing(path: archive + "/" + archived + ".sig")])
        guard case .alreadyIngested = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the same file again posts nothing")
            return
        }
        #expect(FileManager.default.fileExists(atPath: archive + "/" + archived + ".sig"), "the re-run archives the signature")
        #expect(!FileManager.default.fileExists(atPath: archive + "/." + archived + ".sig.tmp-2147483647"), "leftovers are cleared")
        #expect(try await ws.check.violations().isEmpty)
    }

    /// Issue 17, item 9: the same bytes ingested against the wrong debit file (`--debit-file`) once
    /// must not make the right file's ingest "already ingested" forever.
    @Test func aReturnIngestedAgainstTheWrongFileStillPostsAgainstItsOwn() async throws {
        let ws = try await TestWorkspace { specs in specs["BOC"]?.maxRecordsPerFile = 2 }
        var options = SyntheticRoster.Options(payers: 4)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 5, banks: ["BOC"]), actor: "t", source: "r.csv")
        try await ws.runCycle()
        let files = ws.outboxFiles("BOC")
        try #require(files.count == 2)
        let lines = debitLines(ws, files[1]).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        let path = try await writeReturn(ws, debitPath: files[1], lines: lines)
        let wrong = (files[0] as NSString).lastPathComponent
        guard case .posted(_, let debitFile, _) = try await ws.ingest.ingest(path: path, bank: "BOC", debitFileName: wrong, actor: "t") else {
            Issue.record("the operator's --debit-file is followed")
            return
        }
        #expect(debitFile == wrong)
        guard case .posted(_, let own, let summary) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the same bytes against their own debit file must post")
            return
        }
        #expect(own == (files[1] as NSString).lastPathComponent && summary.succeeded == lines.count)
        // Against its own file a second time: already ingested.
        guard case .alreadyIngested = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the same file against the same debit file is ingested once")
            return
        }
    }
}

