import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Reserving copies the payer's and the agreement's text into each debit from the agreement
/// version the debit was composed on (the composed debits carry no strings: a city's cycle holds
/// millions of them), and refuses if that agreement changed in between.
@Suite struct ReserveTests {
    static let december = TestWorkspace.december

    func plan(_ debits: [PlannedDebit], name: String = "debit.txt", returnName: String = "return.txt") -> BatchPlan {
        let date = TestWorkspace.fileDate
        let file = PlannedFile(bank: "BOC", fileDate: date, collectionDate: date, collector: "420100000001",
                               collectorAccount: "6225760000000001", naming: .fixed(name, returnFile: returnName), debits: debits)
        return BatchPlan(period: Self.december, kind: .cycle, actor: "test", files: [file])
    }

    @Test func aDebitComposedOnAnOlderAgreementIsRefusedAndTheCurrentOneCopied() async throws {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: 4)
        options.suspendedRate = 0
        options.revokedRate = 0
        let roster = SyntheticRoster.make(options, seed: 4, banks: ["BOC"])
        _ = try await ws.store.importRoster(roster, actor: "t", source: "r.csv")
        // The dues planned, nothing reserved (a dry run keeps nothing: it would not do).
        let policy = try Policy.load(formatsDirectory: ws.workspace.formatsDirectory, year: 2026)
        _ = try await ws.store.planDues(period: Self.december, amounts: policy.insurances.mapValues(\.tiers), actor: "test")
        let candidate = try #require(try await ws.candidates(from: Self.december, through: Self.december, bank: "BOC").first)
        let agreement = try #require(candidate.agreement)
        let composed = PlannedDebit(payerID: candidate.payerID, agreementID: agreement.id, agreementVersion: agreement.version,
                                    amount: candidate.amount, period: Self.december, dueIDs: [candidate.dueID])

        // The roster moves the payer's agreement to another account after the debit was composed.
        let otherAccount = try #require(roster.first { $0.account != agreement.account }?.account)
        let changed = roster.filter { $0.idNumber == candidate.idNumber }.map { record in
            var record = record
            record.account = otherAccount
            return record
        }
        _ = try await ws.store.importRoster(changed, actor: "t", source: "r2.csv")

        await #expect(throws: StoreError.self) { try await ws.store.reserve(plan([composed])) }
        #expect(try await ws.store.allDebitFiles().isEmpty, "nothing reserved")

        // Composed again at the new version: reserved, with the new account copied into the line.
        var recomposed = composed
        recomposed.agreementVersion = agreement.version + 1
        let reserved = try await ws.store.reserve(plan([recomposed]))
        let fileID = try #require(reserved.first).id
        let line = try #require(try await ws.store.fileToWrite(id: fileID)?.lines.first)
        #expect(line.account == otherAccount)
        #expect(line.idNumber == candidate.idNumber)
        #expect(line.name == agreement.accountName)
        #expect(line.agreementNo == agreement.agreementNo)
        #expect(line.amount == candidate.amount)
    }

    @Test func aDueAlreadyCoveredIsRefusedAsAConflictAndNothingIsReserved() async throws {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: 3)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 5, banks: ["BOC"]), actor: "t", source: "r.csv")
        // The dues planned, nothing reserved (a dry run keeps nothing: it would not do).
        let policy = try Policy.load(formatsDirectory: ws.workspace.formatsDirectory, year: 2026)
        _ = try await ws.store.planDues(period: Self.december, amounts: policy.insurances.mapValues(\.tiers), actor: "test")
        let candidate = try #require(try await ws.candidates(from: Self.december, through: Self.december, bank: "BOC").first)
        let agreement = try #require(candidate.agreement)
        let debit = PlannedDebit(payerID: candidate.payerID, agreementID: agreement.id, agreementVersion: agreement.version,
                                 amount: candidate.amount, period: Self.december, dueIDs: [candidate.dueID])
        _ = try await ws.store.reserve(plan([debit]))
        // The same due again, in another file: the store's unique key refuses it, as a conflict the caller can act on.
        let again = plan([debit], name: "debit2.txt", returnName: "return2.txt")
        await #expect(throws: StoreError.self) { try await ws.store.reserve(again) }
        #expect(try await ws.store.allDebitFiles().map(\.name) == ["debit.txt"], "the second reservation left nothing behind")
    }

    @Test("due ids inline and in an array", arguments: [[], [7], [7, 9], [7, 9, 11, 13]] as [[Int64]])
    func dueIDs(_ ids: [Int64]) {
        let held = DueIDs(ids)
        #expect(Array(held) == ids)
        #expect(held.count == ids.count)
        #expect(held == DueIDs(ids[...]))
        #expect(held != DueIDs(ids + [1]))
    }
}
