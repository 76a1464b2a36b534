import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Stopping a written file before its bank runs it (`pikou file cancel`) and undoing an ingest
/// (`pikou returns undo`): what is released, what is refused, and that the ledger stays sealed.
@Suite struct FileStopTests {
    /// A workspace with one BOC file of 4 debits written.
    func setUp(_ backend: TestBackend) async throws -> (TestWorkspace, String) { try await TestWorkspace.withBOCFile(backend: backend) }

    func answered(_ ws: TestWorkspace, _ debit: String, code: String) async throws -> String {
        let lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = code; return l }
        return try await ws.writeReturn(debitPath: debit, lines: lines)
    }

    func totals(_ ws: TestWorkspace) async throws -> FileStatus.Totals {
        try await ws.store.status(period: nil).reduce(into: FileStatus.Totals()) { try $0.add($1.totals) }
    }

    @Test(arguments: TestBackend.all) func aCancelledFileReleasesItsDuesAndSendsTheBanksMessage(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let name = (debit as NSString).lastPathComponent
        let result = try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "协议批量变更，暂停扣款", specs: ws.specs, actor: "张经办")
        #expect(result.cancelled.file.count == 4)
        // BOC has a cancel message: named CX, signed like a debit file, listing the four lines.
        let message = try #require(result.messagePath)
        #expect(message.hasSuffix(name.replacingOccurrences(of: "_DK_", with: "_CX_")))
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: message)))
        let signature = [UInt8](try #require(FileManager.default.contents(atPath: message + ".sig")))
        let parsed = try FileReader(spec: ws.specs["BOC"]!, kind: .cancel).readVerified(
            bytes, detached: signature, certificate: try ws.workspace.signing.certificate(bank: "BOC", kind: .cancel), fileName: message)
        #expect(!parsed.diagnostics.hasErrors, "\(parsed.diagnostics)")
        #expect(parsed.lines.map(\.line.sequence) == [1, 2, 3, 4])
        #expect(parsed.lines.map(\.line.amount) == ws.debitLines(debit).map(\.amount))
        // Every debit closed cancelled: nothing pending, nothing collected; the money still adds up.
        let after = try await totals(ws)
        #expect(after.pending == 0 && after.succeeded == 0 && after.failed == 4)
        let failures = try await ws.store.failures(FailureFilter())
        #expect(failures.count == 4 && failures.allSatisfy { $0.outcome == .cancelled && $0.outcome.isRetryable })
        #expect(failures.allSatisfy { Eligibility.failure($0, policy: RetryPolicy(), today: CivilDate(year: 2026, month: 12, day: 1)!) == .retryableNow })
        #expect(try await ws.check.violations() == [])
        // The next run debits the same dues again, in a new file.
        try await ws.runCycle()
        let files = ws.outboxFiles("BOC").filter { $0.contains("_DK_") }
        #expect(files.count == 2)
        #expect(ws.debitLines(try #require(files.last)).count == 4)
        // The journal says who, why, and seals the record.
        let journal = try await ws.useCases.journal(JournalFilter(action: "file.cancelled"))
        #expect(journal.entries.first?.actor == "张经办")
        #expect(journal.entries.first?.detail.contains("协议批量变更") == true)
        #expect(try await ws.check.violations() == [])
        // The message's signature is part of what check holds: a signature file gone is named.
        try FileManager.default.removeItem(atPath: message + ".sig")
        #expect(try await ws.check.violations().contains { if case .debitFileUnreadable(let path, _) = $0 { path == message } else { false } })
    }

    @Test(arguments: TestBackend.all) func aReturnForACancelledFileRaisesExceptionsAndPostsNothing(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let name = (debit as NSString).lastPathComponent
        _ = try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "银行通知暂停", specs: ws.specs, actor: "t")
        let path = try await answered(ws, debit, code: "0000")
        guard case .posted(_, _, let summary) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the return must be taken in, as exceptions")
            return
        }
        #expect(summary.posted == 0 && summary.succeeded == 0)
        #expect(summary.exceptions[.afterCancel] == 4)
        #expect(try await totals(ws).succeeded == 0)
        #expect(try await ws.check.violations() == [])
    }

    @Test(arguments: TestBackend.all) func cancellingIsRefusedOnceTheBankAnsweredOrTwice(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let name = (debit as NSString).lastPathComponent
        let path = try await answered(ws, debit, code: "0000")
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        await #expect(throws: StoreError.self) {
            try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "x", specs: ws.specs, actor: "t")
        }
        // No cancel message is left behind for a refused cancellation.
        #expect(!ws.outboxFiles("BOC").contains { $0.contains("_CX_") })
        // Undo the ingest, then the file may be cancelled — once.
        _ = try await ws.useCases.undoIngest(bank: "BOC", name: (path as NSString).lastPathComponent, debitFile: nil, reason: "导入错误", actor: "t")
        _ = try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "x", specs: ws.specs, actor: "t")
        do {
            _ = try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "x", specs: ws.specs, actor: "t")
            Issue.record("a second cancellation must be refused")
        } catch StoreError.conflict(let text) {
            #expect(text.en.contains("cancelled already"))
        }
        await #expect(throws: StoreError.self) {
            try await ws.useCases.cancelFile(bank: "BOC", name: "BOC_DK_nothing.txt", reason: "x", specs: ws.specs, actor: "t")
        }
        #expect(try await ws.check.violations() == [])
    }

    @Test(arguments: TestBackend.all) func anUndoneIngestLeavesTheDebitsPendingAndTheSameFileIngestsAgain(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        var lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[0].resultCode = "7777"  // an exception, withdrawn with the ingest
        let path = try await ws.writeReturn(debitPath: debit, lines: lines)
        guard case .posted = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else { Issue.record("not posted"); return }
        #expect(try await totals(ws).pending == 0)
        #expect(try await ws.useCases.exceptions(period: nil).count == 1)
        let undone = try await ws.useCases.undoIngest(bank: "BOC", name: (path as NSString).lastPathComponent, debitFile: nil, reason: "银行发来更正回盘", actor: "李经办")
        #expect(undone.lines == 4 && undone.posted == 4 && undone.exceptions == 1)
        #expect(try await totals(ws).pending == 4)
        #expect(try await ws.useCases.exceptions(period: nil).isEmpty)
        #expect(try await ws.check.violations() == [])
        // The same bytes again: posted anew, not "already ingested".
        guard case .posted(_, _, let summary) = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("an undone file must ingest again")
            return
        }
        #expect(summary.succeeded == 3)
        #expect(try await ws.check.violations() == [])
        // Nothing else may delete a posted file's rows.
        let journal = try await ws.useCases.journal(JournalFilter(action: "return.undone"))
        #expect(journal.entries.first?.actor == "李经办")
    }

    @Test(arguments: TestBackend.all) func undoIsRefusedOnceSomethingDependsOnIt(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        let name = (debit as NSString).lastPathComponent
        // Failed lines, then a resubmission debits their dues again: the ingest stands.
        let path = try await answered(ws, debit, code: "1001")
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        let report = try await Resubmission(workspace: ws.workspace, store: ws.store, specs: ws.specs, calendar: ws.calendar, policy: RetryPolicy())
            .run(filter: FailureFilter(), actor: "t", dryRun: false, today: CivilDate(year: 2026, month: 12, day: 21)!)
        #expect(report.lines == 4)
        do {
            _ = try await ws.useCases.undoIngest(bank: "BOC", name: (path as NSString).lastPathComponent, debitFile: nil, reason: "x", actor: "t")
            Issue.record("an ingest a resubmission stands on must not be undone")
        } catch StoreError.conflict(let text) {
            #expect(text.en.contains("debits again"))
        }
        // A cancellation is not an ingest; an unknown name is not found.
        let second = try #require(ws.outboxFiles("BOC").first { !$0.hasSuffix(name) && $0.contains("_DK_") })
        let cancelled = try await ws.useCases.cancelFile(bank: "BOC", name: (second as NSString).lastPathComponent, reason: "x", specs: ws.specs, actor: "t")
        await #expect(throws: StoreError.self) {
            try await ws.useCases.undoIngest(bank: "BOC", name: (cancelled.messagePath! as NSString).lastPathComponent, debitFile: nil, reason: "x", actor: "t")
        }
        await #expect(throws: StoreError.self) {
            try await ws.useCases.undoIngest(bank: "BOC", name: "BOC_HP_nothing.txt", debitFile: nil, reason: "x", actor: "t")
        }
        #expect(try await ws.check.violations() == [])
    }

    @Test(arguments: TestBackend.all) func undoIsRefusedOnceAnExceptionWasWorkedOn(_ backend: TestBackend) async throws {
        let (ws, debit) = try await setUp(backend)
        var lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[0].resultCode = "7777"
        let path = try await ws.writeReturn(debitPath: debit, lines: lines)
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        let exception = try #require(try await ws.useCases.exceptions(period: nil).first)
        _ = try await ws.useCases.setException(id: exception.id, resolved: true, note: "已与银行核实", actor: "t")
        do {
            _ = try await ws.useCases.undoIngest(bank: "BOC", name: (path as NSString).lastPathComponent, debitFile: nil, reason: "x", actor: "t")
            Issue.record("an ingest whose exception was worked on must not be undone")
        } catch StoreError.conflict(let text) {
            #expect(text.en.contains("resolved or reopened"))
        }
    }

    @Test func aBankCodeCannotMapToCancelled() throws {
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "\"9002\": bankSystemError", with: "\"9002\": cancelled")
        let loader = SpecLoader(yaml: yaml, file: "BOC.yaml")
        #expect(loader.spec == nil)
        #expect(loader.diagnostics.contains { $0.message.contains("only `pikou file cancel` gives") })
    }

    @Test func aCancelMessageNeedsTheKindInTheFileName() throws {
        var yaml = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/BOC.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "file_name: \"{bank}_{kind}_", with: "file_name: \"{bank}_DK_")
        let loader = SpecLoader(yaml: yaml, file: "BOC.yaml")
        #expect(loader.spec == nil)
        #expect(loader.diagnostics.contains { $0.field == "file_name" && $0.message.contains("{kind}") })
    }
}
