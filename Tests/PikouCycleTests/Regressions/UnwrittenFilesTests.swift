import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 15, item 4: a file that cannot be written leaves its debits reserved, said so by the run
/// and the report; the other banks' files are written all the same, and the next resubmission
/// writes it before planning anything new.
@Suite struct UnwrittenFilesTests {
    @Test func aBankThatCannotBeWrittenStopsNeitherTheOthersNorTheNextRun() async throws {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: 40)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 9, banks: ["BOC", "CCB"]), actor: "t", source: "r.csv")
        // BOC's folder cannot be made: a plain file stands where it goes.
        try FileManager.default.createDirectory(atPath: ws.workspace.outbox, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: ws.workspace.outbox + "/BOC")
        #expect(FileManager.default.createFile(atPath: ws.workspace.outbox + "/BOC", contents: Data()))
        do {
            try await ws.runCycle()
            Issue.record("the cycle must fail for BOC")
        } catch let error as PikouError {
            #expect(error.message.en.contains("BOC/") && error.message.en.contains("stay reserved"), "\(error)")
            #expect(!error.description.contains("CCB/"))
        }
        #expect(!ws.outboxFiles("CCB").isEmpty, "the other bank's files are written")
        let status = try await ws.useCases.status(period: nil)
        #expect(status.contains { $0.bank == "BOC" } && status.filter { $0.bank == "BOC" }.allSatisfy { $0.state == .reserved })
        #expect(status.filter { $0.bank == "CCB" }.allSatisfy { $0.state == .written })
        #expect(try await ws.useCases.unwrittenFiles().map(\.bank) == status.filter { $0.bank == "BOC" }.map(\.bank))
        let check = try await ws.useCases.report(period: TestWorkspace.december, by: .bank).check
        #expect(check.state == .pending)
        #expect(check.findings.contains { if case .notWritten(let name) = $0 { name.hasPrefix("BOC/") } else { false } })

        // Fixed; the resubmission (nothing failed yet, so nothing new to plan) finishes BOC's files first.
        try FileManager.default.removeItem(atPath: ws.workspace.outbox + "/BOC")
        let resubmitted = try await ws.useCases.resubmission(specs: ws.specs, calendar: ws.calendar, policy: ws.workspace.retry)
            .run(filter: FailureFilter(), actor: "t", dryRun: false, today: CivilDate(year: 2026, month: 12, day: 2)!)
        #expect(resubmitted.written.count == status.filter { $0.bank == "BOC" }.count)
        #expect(try await ws.useCases.status(period: nil).allSatisfy { $0.state == .written })
        #expect(try await ws.useCases.unwrittenFiles().isEmpty)
        #expect(try await ws.check.violations() == [])
    }

    /// Issue 17, item 7: keys are loaded before reserving; a wrong passphrase reserves nothing.
    @Test func aWrongPassphraseReservesNothing() async throws {
        let ws = try await TestWorkspace()
        _ = try await ws.store.importRoster(SyntheticRoster.make(SyntheticRoster.Options(payers: 20), seed: 3, banks: ["BOC", "CCB"]),
                                            actor: "t", source: "r.csv")
        let passphrase = ws.directory + "/keys/passphrase.txt"
        #expect(FileManager.default.fileExists(atPath: passphrase))
        try "not the passphrase\n".write(toFile: passphrase, atomically: true, encoding: .utf8)
        do {
            try await ws.runCycle()
            Issue.record("the cycle must refuse before reserving")
        } catch let error as PikouError {
            #expect(error.message.en.contains("cannot load the signing key") && error.message.en.contains("nothing was reserved"), "\(error)")
        }
        #expect(try await ws.useCases.status(period: nil).isEmpty, "no file reserved")
        #expect(try await ws.check.violations() == [])
    }

    /// Issue 38: files are reserved in parts as they fill; one bank's key that does not load still
    /// reserves nothing, not the parts before that bank's first file.
    @Test func aBankKeyThatDoesNotLoadReservesNoPart() async throws {
        let ws = try await TestWorkspace { specs in specs["BOC"]?.maxRecordsPerFile = 2 }
        var options = SyntheticRoster.Options(payers: 30)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 5, banks: ["BOC", "CCB"]), actor: "t", source: "r.csv")
        // CCB signs with the RSA collector key; BOC (whose full files make the first parts) with SM2.
        try "not a key\n".write(toFile: ws.directory + "/keys/test-collector-rsa.key.pem", atomically: true, encoding: .utf8)
        var cycle = ws.cycle
        cycle.partDebits = 2
        do {
            _ = try await cycle.run(period: TestWorkspace.december, bank: nil, dryRun: false, fileDate: TestWorkspace.fileDate, actor: "t")
            Issue.record("the cycle must refuse before reserving")
        } catch let error as PikouError {
            #expect(error.message.en.contains("CCB: cannot load the signing key") && error.message.en.contains("nothing was reserved"), "\(error)")
        }
        #expect(try await ws.useCases.status(period: nil).isEmpty, "no part reserved")
        // With CCB left out, BOC's parts are reserved and written.
        let boc = try await cycle.run(period: TestWorkspace.december, bank: "BOC", dryRun: false, fileDate: TestWorkspace.fileDate, actor: "t")
        #expect(boc.written.count > 2)
        #expect(try await ws.check.violations() == [])
    }

    @Test func filesAreWrittenForTheOwnerOnly() async throws {
        let ws = try await TestWorkspace()
        let path = ws.directory + "/private.txt"
        let old = umask(0)
        defer { umask(old) }
        try FileIO.writeAtomically(Array("x".utf8), to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
