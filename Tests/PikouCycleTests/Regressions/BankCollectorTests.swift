import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 16, item 3: a bank may know the bureau by its own collector code, of its own width
/// (`banks.<CODE>.collector` in pikou.yaml); a code that does not fit a bank's field as it is stops
/// the run before anything is reserved.
@Suite struct BankCollectorTests {
    func workspace(_ ws: TestWorkspace, collector: String, boc: String?) throws -> Workspace {
        let path = ws.directory + "/pikou.yaml"
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "collector: \"420100000001\"", with: "collector: \"\(collector)\"")
        if let boc { yaml = yaml.replacingOccurrences(of: "  BOC: {", with: "  BOC: {collector: \"\(boc)\", ") }
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
    }

    @Test func eachBankCarriesItsOwnCodeAndATooWideOneReservesNothing() async throws {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: 12)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 3, banks: ["BOC", "CCB"]), actor: "t", source: "r.csv")
        // 13 characters: CCB's delimited field carries it, BOC's 12-byte field cannot.
        let wide = try workspace(ws, collector: "4201000000017", boc: nil)
        #expect(wide.collectorProblem(ws.specs["BOC"]!)?.contains("banks.BOC.collector") == true)
        #expect(wide.collectorProblem(ws.specs["CCB"]!) == nil)
        let refused = Cycle(workspace: wide, store: ws.store, specs: ws.specs, calendar: ws.calendar)
        await #expect {
            try await refused.run(period: TestWorkspace.december, bank: nil, dryRun: false, fileDate: TestWorkspace.fileDate, actor: "t")
        } throws: { ($0 as? PikouError)?.code == "cycle.refused" }
        #expect(try await ws.store.allDebitFiles().isEmpty, "nothing reserved")
        // BOC's own code: both banks' files are written, each with its code in name and content.
        let own = try workspace(ws, collector: "4201000000017", boc: "420100000009")
        let cycle = Cycle(workspace: own, store: ws.store, specs: ws.specs, calendar: ws.calendar)
        _ = try await cycle.run(period: TestWorkspace.december, bank: nil, dryRun: false, fileDate: TestWorkspace.fileDate, actor: "t")
        let boc = try #require(ws.outboxFiles("BOC").first)
        let ccb = try #require(ws.outboxFiles("CCB").first)
        #expect(boc.contains("420100000009") && ccb.contains("4201000000017"), "\(boc) \(ccb)")
        let bocText = String(decoding: try #require(FileManager.default.contents(atPath: boc)), as: UTF8.self)
        #expect(bocText.contains("420100000009") && !bocText.contains("4201000000017"))
        #expect(try await ws.check.violations().isEmpty)
    }
}
