import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The money after the bank (issue 35) over a store, on every backend: statements and treasury
/// reconciliations played from a month, ingested once, each exception listed until a later file or
/// finance's review settles it, and the four legs judged.
@Suite struct AfterBankTests {
    static let collected = CivilDate(year: 2026, month: 12, day: 15)!

    /// A month on `backend` and the folder its after-the-bank files go to.
    static func month(_ backend: TestBackend) async throws -> (TestWorkspace, String) {
        let ws = try await TestWorkspace.month(backend: backend, payers: 60, failRate: 0.2)
        return (ws, try temporaryDirectory())
    }

    static func statement(_ ws: TestWorkspace, bank: String, day: CivilDate, twists: AfterBankSimulator.StatementTwists, into folder: String,
                          format: String? = nil) async throws -> AfterBankIngest.Outcome {
        let spec = AfterBankIngest.statementSpec(bank: ws.specs[bank]!, format: try format.map { try ws.workspace.formats.spec($0) })
        let written = try AfterBankSimulator(signing: ws.workspace.signing).statement(
            bank: bank, format: spec, files: try await ws.useCases.settlementFiles(bank: bank),
            collectorAccount: ws.workspace.collector(for: bank).account, date: day, twists: twists, outputDirectory: folder)
        return try await ws.useCases.afterBankIngest.ingestStatement(path: written.path, bank: bank, format: spec, actor: "财务", today: day)
    }

    static func treasury(_ ws: TestWorkspace, authority: String, bank: String, twists: AfterBankSimulator.TreasuryTwists, into folder: String) async throws -> (AfterBankIngest.Outcome, String) {
        let spec = try ws.workspace.formats.authority(authority)
        let written = try AfterBankSimulator(signing: ws.workspace.signing).treasury(
            authority: spec, bank: bank, collector: ws.workspace.collector(for: bank).code, date: collected,
            candidates: try await ws.useCases.treasuryCandidates(bank: bank, date: collected), twists: twists, outputDirectory: folder)
        return (try await ws.useCases.afterBankIngest.ingestTreasury(path: written.path, authority: spec, banks: Set(ws.specs.keys), actor: "财务", today: collected),
                written.path)
    }

    static func states(_ outcome: AfterBankIngest.Outcome) -> [String: Int] {
        if case .recorded(_, _, let states) = outcome { return states }
        return [:]
    }

    @Test(arguments: TestBackend.all) func aMonthEndsThreeWayMatchedOnceEachExceptionIsSettled(_ backend: TestBackend) async throws {
        let (ws, folder) = try await Self.month(backend)
        let december = try Period("2026-12")
        // Before any statement or treasury file: the legs have no data.
        let before = try await ws.useCases.chainLegs(period: december)
        #expect(before.map(\.legs.bank) == ["BOC", "CCB"])
        #expect(before.allSatisfy { $0.bankState == .matched && $0.accountState == .noData && $0.treasuryState == .noData })

        // Day one: BOC's credit is short, a stranger's credit arrives; CCB's is over and one credit reversed and made again.
        let day = Self.collected.adding(days: 1)
        let boc = try await Self.statement(ws, bank: "BOC", day: day, twists: .init(shortBy: Money(fen: 1_000), foreign: Money(fen: 8_800)), into: folder)
        #expect(Self.states(boc)["short"] == 1 && Self.states(boc)["unmatched"] == 1, "\(boc)")
        let ccb = try await Self.statement(ws, bank: "CCB", day: day, twists: .init(overBy: Money(fen: 500), reverse: true), into: folder)
        // (One CCB file: the credit made again after its reversal is over too.)
        #expect(Self.states(ccb)["over"] == 2 && Self.states(ccb)["reversed"] == 1, "\(ccb)")
        // The same statement again changes nothing.
        let again = "BOC_ST_" + day.description.replacingOccurrences(of: "-", with: "") + ".txt"
        let twice = try await ws.useCases.afterBankIngest.ingestStatement(path: folder + "/" + again, bank: "BOC", format: ws.specs["BOC"]!, actor: "财务", today: day)
        if case .alreadyRecorded = twice {} else { Issue.record("a statement ingested twice: \(twice)") }
        // The treasury's first file lacks one success, has a stranger and one amount off.
        let (first, _) = try await Self.treasury(ws, authority: "TIPSX", bank: "BOC", twists: .init(drop: 1, extra: 1, amountOff: 1), into: folder)
        #expect(Self.states(first)["ours_only"] == 1 && Self.states(first)["theirs_only"] == 1 && Self.states(first)["different"] == 1, "\(first)")
        _ = try await Self.treasury(ws, authority: "TIPSF", bank: "CCB", twists: .init(), into: folder)
        var chains = try await ws.useCases.chainLegs(period: december)
        #expect(chains.map(\.accountState) == [.mismatched, .mismatched])
        #expect(chains.map(\.treasuryState) == [.mismatched, .matched])
        let open = try await ws.useCases.afterBankExceptions(period: december)
        #expect(Set(open.map(\.state)) == ["short", "unmatched", "over", "reversed", "ours_only", "theirs_only", "different"])

        // Day two: the rest of BOC's file, the over-credit taken back; the treasury's corrected file.
        _ = try await Self.statement(ws, bank: "BOC", day: day.adding(days: 1), twists: .init(), into: folder)
        _ = try await Self.statement(ws, bank: "CCB", day: day.adding(days: 1), twists: .init(), into: folder)
        let (corrected, _) = try await Self.treasury(ws, authority: "TIPSX", bank: "BOC", twists: .init(), into: folder + "/corrected")
        #expect(Self.states(corrected)["ours_only"] == nil && Self.states(corrected)["different"] == nil)
        chains = try await ws.useCases.chainLegs(period: december)
        #expect(chains.allSatisfy { $0.legs.credited == $0.legs.succeeded && $0.legs.booked == $0.legs.succeeded }, "\(chains.map(\.legs))")
        // What a later file does not settle, finance reviews: until then the leg is 不符.
        #expect(chains.map(\.overall) == [.mismatched, .mismatched])
        for exception in try await ws.useCases.afterBankExceptions(period: december) where exception.review == nil {
            #expect(try await ws.useCases.reviewAfterBank(exception.subject, id: exception.id, note: "已核实（测试）", actor: "财务"))
            #expect(try await ws.useCases.reviewAfterBank(exception.subject, id: exception.id, note: "again", actor: "财务") == false)
        }
        chains = try await ws.useCases.chainLegs(period: december)
        #expect(chains.map(\.overall) == [.matched, .matched], "\(chains)")
        #expect(try await ws.check.violations() == [])
    }

    @Test(arguments: TestBackend.all) func aWrongOrForeignFileIsRefusedWholeAndNothingIsRecorded(_ backend: TestBackend) async throws {
        let (ws, folder) = try await Self.month(backend)
        let day = Self.collected.adding(days: 1)
        // A statement of another account.
        let spec = ws.specs["BOC"]!
        let written = try AfterBankSimulator(signing: ws.workspace.signing).statement(
            bank: "BOC", format: spec, files: try await ws.useCases.settlementFiles(bank: "BOC"), collectorAccount: "6222000000000000009",
            date: day, twists: .init(), outputDirectory: folder)
        guard case .rejected(let reasons) = try await ws.useCases.afterBankIngest.ingestStatement(path: written.path, bank: "BOC", format: spec, actor: "t", today: day) else {
            Issue.record("a statement of another account was recorded")
            return
        }
        #expect(reasons.contains { $0.message.contains("6222****0009") }, "\(reasons)")
        // A bank whose spec has no statement layout names the way out.
        guard case .rejected(let none) = try await ws.useCases.afterBankIngest.ingestStatement(path: written.path, bank: "HUBB", format: ws.specs["HUBB"]!, actor: "t", today: day) else {
            Issue.record("a statement was read without a layout")
            return
        }
        #expect(none.contains { $0.message.contains("--format ISO20022") })
        // A treasury file for a bank the workspace does not have.
        let (outcome, _) = try await Self.treasury(ws, authority: "TIPSX", bank: "NOPE", twists: .init(), into: folder)
        guard case .rejected = outcome else {
            Issue.record("a reconciliation for an unknown bank was recorded")
            return
        }
        #expect(try await ws.useCases.chainLegs(period: try Period("2026-12")).allSatisfy { $0.accountState == .noData && $0.treasuryState == .noData })
    }
}
