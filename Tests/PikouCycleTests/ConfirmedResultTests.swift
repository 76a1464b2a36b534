import Foundation
import BankFormats
import GRDB
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 31: an exception whose debit no bank line closed is resolved with the result the operator
/// confirmed with the bank — the debit closed by it, journaled as the operator's decision, sealed,
/// shown apart in the report, and refused where it would overwrite a result.
@Suite struct ConfirmedResultTests {
    @Test(arguments: TestBackend.all) func anOperatorConfirmedResultClosesTheDebitAndIsShownApart(_ backend: TestBackend) async throws {
        let (ws, debit) = try await TestWorkspace.withBOCFile(backend: backend)
        let december = TestWorkspace.december
        var lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[1].amount = Money(fen: lines[1].amount.fen + 100)  // the bank answers another amount: not posted, an exception
        lines[2].resultCode = "7777"  // not in BOC's table: posted as failed, an exception for review
        let path = try await ws.writeReturn(debitPath: debit, lines: lines)
        _ = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "t")
        let open = try await ws.useCases.exceptions(period: december)
        let mismatch = try #require(open.first { $0.kind == .amountMismatch })
        let unknown = try #require(open.first { $0.kind == .unknownCode })
        #expect(mismatch.debit?.pending == true && unknown.debit?.pending == false, "\(open)")
        let before = try await ws.useCases.report(period: december, by: .bank).check
        #expect(before.state == .mismatch && before.totals.pending == 1, "\(before.lines)")

        // Refused: no reason, no outcome one can confirm, a debit the bank already closed.
        await #expect { try await ws.useCases.confirmException(id: mismatch.id, outcome: .succeeded, reason: " ", actor: "张经办") } throws: {
            ($0 as? PikouError)?.code == "exceptions.confirm"
        }
        await #expect { try await ws.useCases.confirmException(id: mismatch.id, outcome: .unknown, reason: "银行说不清", actor: "张经办") } throws: {
            ($0 as? PikouError)?.code == "exceptions.confirm"
        }
        await #expect(throws: StoreError.self) { try await ws.useCases.confirmException(id: unknown.id, outcome: .succeeded, reason: "银行柜面王某确认", actor: "张经办") }

        let paidBefore = try await ws.useCases.report(period: december, by: .bank).total.payersPaid
        // Confirmed: the debit is closed, the exception resolved, the money matches once the other is resolved too.
        let confirmed = try await ws.useCases.confirmException(id: mismatch.id, outcome: .succeeded, reason: "12月21日与中行柜面王某电话核实，已扣款", actor: "张经办")
        #expect(confirmed.resolved && confirmed.debit?.pending == false && confirmed.debit?.confirmed?.outcome == .succeeded)
        await #expect(throws: StoreError.self) { try await ws.useCases.confirmException(id: mismatch.id, outcome: .insufficientFunds, reason: "又说失败", actor: "李经办") }
        await #expect(throws: StoreError.self, "a confirmed result stands: no reopening") {
            try await ws.useCases.setException(id: mismatch.id, resolved: false, note: "重新打开", actor: "李经办")
        }
        // Every reader sees the debit closed: the dues side counts the payer paid, a new reservation does not take the due.
        #expect(try await ws.useCases.report(period: december, by: .bank).total.payersPaid > paidBefore, "the dues side reads confirmations")
        _ = try await ws.useCases.setException(id: unknown.id, resolved: true, note: "银行确认失败", actor: "张经办")
        let after = try await ws.useCases.report(period: december, by: .bank)
        #expect(after.check.state == .match && after.check.totals.pending == 0, "\(after.check.lines)")
        #expect(after.check.confirmed.succeeded == 1 && after.check.confirmed.succeededFen == lines[1].amount.fen - 100)
        #expect(after.check.lines(.zh).contains { $0.contains("其中经办人员向银行核实后确认：成功 1 笔") }, "shown apart: \(after.check.lines(.zh))")
        let journal = try await ws.useCases.journal(JournalFilter(action: "exception.confirm")).entries
        #expect(journal.count == 1 && journal[0].detail.contains("succeeded") && journal[0].detail.contains("confirmations #1..1, rows sha256"), "\(journal)")
        #expect(try await ws.check.violations() == [], "the confirmation is sealed and its action journaled")

        // Someone with the database: the confirmed outcome changed by hand is found.
        let edit = "UPDATE confirmations SET outcome = 'insufficientFunds'"
        try LedgerTamperTests().tamper(ws, sqlite: { db in
            try db.execute(sql: "DROP TRIGGER confirmations_append_only_update")
            try db.execute(sql: edit)
        }, postgres: "ALTER TABLE confirmations DISABLE TRIGGER confirmations_append_only_update; \(edit); ALTER TABLE confirmations ENABLE TRIGGER confirmations_append_only_update;")
        let found = try await ws.check.violations()
        #expect(found.contains { if case .sealBroken = $0 { true } else { false } }, "\(found)")
    }
}

extension ConfirmedResultTests {
    /// A failure confirmed with the bank is a failure to every reader: the retry policy offers it and a
    /// resubmission reserves its dues (the due is not taken by a pending debit any more).
    @Test func aConfirmedFailureIsRetriedLikeABankFailure() async throws {
        let (ws, debit) = try await TestWorkspace.withBOCFile(backend: .sqlite)
        var lines = ws.debitLines(debit).map { line -> DebitLine in var l = line; l.resultCode = "0000"; return l }
        lines[1].amount = Money(fen: lines[1].amount.fen + 100)
        _ = try await ws.ingest.ingest(path: try await ws.writeReturn(debitPath: debit, lines: lines), bank: nil, debitFileName: nil, actor: "t")
        let mismatch = try #require(try await ws.useCases.exceptions(period: TestWorkspace.december).first { $0.kind == .amountMismatch })
        _ = try await ws.useCases.confirmException(id: mismatch.id, outcome: .bankSystemError, reason: "银行回复系统故障未扣款", actor: "张经办")
        let later = CivilDate(year: 2026, month: 12, day: 28)!
        let failures = try await ws.useCases.failures(FailureFilter(period: TestWorkspace.december), today: later)
        #expect(failures.contains { $0.record.outcome == .bankSystemError }, "\(failures.map(\.record.outcome))")
        let report = try await ws.useCases.resubmission(today: later).run(filter: FailureFilter(period: TestWorkspace.december), actor: "张经办",
                                                                             dryRun: false, today: later)
        #expect(report.lines == 1 && report.written.count == 1, "the confirmed failure's dues are debited again: \(report.lines)")
        #expect(try await ws.check.violations() == [])
    }
}
