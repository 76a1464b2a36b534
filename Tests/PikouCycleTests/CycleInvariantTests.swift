import BankFormats
import Foundation
import PikouCore
import PikouCycle
import PropertyBased
import ReconStore
import Testing
import TestSupport

/// DESIGN.md's invariants over random rosters and random bank outcomes, through the use-case API.
@Suite struct CycleInvariantTests {
    @Test("random rosters and outcomes keep every invariant; re-ingest and re-run change nothing", arguments: TestBackend.all)
    func invariantsHold(_ backend: TestBackend) async {
        await propertyCheck(count: 12, input: Gen.int(in: 1...60), Gen.uint64(), Gen.int(in: 0...40)) { payers, seed, failPercent in
            do {
                let ws = try await TestWorkspace(backend: backend) { specs in
                    // Small limits so that files split.
                    specs["BOC"]?.maxRecordsPerFile = 7
                    specs["CCB"]?.maxTotalPerFile = Money(fen: 500_000)
                }
                let roster = SyntheticRoster.make(.init(payers: payers), seed: seed, banks: ws.specs.keys.sorted())
                _ = try await ws.store.importRoster(roster, actor: "test", source: "roster.csv")
                let report = try await ws.runCycle()
                try await expectFilesBalance(ws, report: report)
                // Re-run right away: nothing new.
                let again = try await ws.runCycle()
                #expect(again.written.isEmpty)
                #expect(again.banks.values.allSatisfy { $0.lines == 0 })
                let returns = try await ws.simulateAndIngest(seed: seed, failRate: Double(failPercent) / 100)
                // Re-ingest: a no-op.
                for path in returns {
                    guard case .alreadyIngested = try await ws.ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "test") else {
                        Issue.record("re-ingesting \(path) was not a no-op")
                        return
                    }
                }
                // Re-run after the returns: still nothing new for this period.
                #expect(try await ws.runCycle().written.isEmpty)
                #expect(try await ws.check.violations() == [])
                // Money balances per file: submitted = succeeded + failed + pending, in count and fen.
                for row in try await ws.store.status(period: nil).map(\.totals) {
                    #expect(row.submitted == row.succeeded + row.failed + row.pending)
                    #expect(row.submittedFen == row.succeededFen + row.failedFen + row.pendingFen)
                    #expect(row.pending == 0, "every line had a result")
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    /// A province's month is reserved in parts as files fill (memory a part, not the month): the
    /// files are the same, line for line, as when the month is reserved whole, in one batch.
    @Test("a cycle reserved in parts writes the same files as one reserved whole", arguments: TestBackend.all)
    func partsWriteTheSameFiles(_ backend: TestBackend) async throws {
        var written: [[String: [String]]] = []
        for partDebits in [200_000, 3] {
            let ws = try await TestWorkspace(backend: backend) { specs in
                specs["BOC"]?.maxRecordsPerFile = 4
                specs["CCB"]?.maxRecordsPerFile = 3
            }
            let roster = SyntheticRoster.make(.init(payers: 60), seed: 11, banks: ws.specs.keys.sorted())
            _ = try await ws.store.importRoster(roster, actor: "test", source: "roster.csv")
            var cycle = ws.cycle
            cycle.partDebits = partDebits
            let report = try await cycle.run(period: TestWorkspace.december, bank: nil, dryRun: false, fileDate: TestWorkspace.fileDate, actor: "test")
            try await expectFilesBalance(ws, report: report)
            var files: [String: [String]] = [:]
            for path in ws.outboxFiles() {
                let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
                let parsed = try FileReader(spec: ws.specs[bank]!, kind: .debit).read([UInt8](FileManager.default.contents(atPath: path)!), fileName: path)
                files[(path as NSString).lastPathComponent] = parsed.lines.map { "\($0.line.sequence) \($0.line.payerIDNumber) \($0.line.amount)" }
            }
            #expect(files.count > 10, "small limits: many files, so that several parts are reserved")
            written.append(files)
            #expect(try await ws.runCycle().written.isEmpty, "every due was reserved once")
            #expect(try await ws.check.violations() == [])
        }
        #expect(written[0] == written[1])
    }

    func expectFilesBalance(_ ws: TestWorkspace, report: CycleReport) async throws {
        var seenPayers: [String: Set<String>] = [:]
        for path in ws.outboxFiles() {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let spec = ws.specs[bank]!
            let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            let detached = FileManager.default.contents(atPath: path + ".sig").map { [UInt8]($0) }
            let parsed = try FileReader(spec: spec, kind: .debit).readVerified(
                bytes, detached: detached, certificate: try ws.workspace.signing.certificate(bank: bank, kind: .debit), fileName: path)
            #expect(parsed.isValid, "\(parsed.diagnostics)")
            #expect(parsed.lines.count <= spec.maxRecordsPerFile)
            if let limit = spec.maxTotalPerFile { #expect(try #require(parsed.total) <= limit) }
            if let declared = parsed.summary.declaredTotal { #expect(declared == parsed.total) }
            let ids = parsed.lines.map(\.line.payerIDNumber)
            #expect(Set(ids).count == ids.count, "no payer twice in one file")
            seenPayers[bank, default: []].formUnion(ids)
        }
        let lines = report.banks.values.reduce(0) { $0 + $1.lines }
        #expect(seenPayers.values.reduce(0) { $0 + $1.count } == lines, "one line per payer per bank")
    }
}

@Suite struct CycleRuleTests {
    static let december = TestWorkspace.december

    func roster(_ ws: TestWorkspace, payers: Int = 5, seed: UInt64 = 3, bank: String = "BOC") async throws -> [RosterRecord] {
        var options = SyntheticRoster.Options(payers: payers)
        options.suspendedRate = 0
        options.revokedRate = 0
        options.medicalRate = 1
        let records = SyntheticRoster.make(options, seed: seed, banks: [bank])
        _ = try await ws.store.importRoster(records, actor: "test", source: "roster.csv")
        return records
    }

    @Test func oneDebitPerPayerMergesPensionAndMedical() async throws {
        let ws = try await TestWorkspace()
        let records = try await roster(ws)
        let report = try await ws.runCycle()
        #expect(report.banks["BOC"]?.lines == 5)
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        let expected = try records.map { policy.amount(insurance: $0.insurance, tier: $0.tier)! }.checkedSum()
        #expect(report.banks["BOC"]?.total == expected)
    }

    /// A payment above the month's due it pays is set aside with its line and the due (issue 37):
    /// 9,223,372,036,854,775,807 fen against a 1,492.20-yuan due was recorded before.
    @Test(arguments: TestBackend.all) func aPaymentAboveTheDueIsSetAside(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let records = try await roster(ws, payers: 2)
        _ = try await ws.runCycle()
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        let pension = try #require(records.first { $0.insurance == .pension })
        let due = try #require(policy.amount(insurance: .pension, tier: pension.tier))
        func paid(_ line: Int, _ fen: Int64, _ reference: String) -> PaymentRecord {
            PaymentRecord(line: line, idNumber: pension.idNumber, insurance: .pension, period: Self.december, amount: Money(fen: fen),
                          channel: "counter", reference: reference)
        }
        let counts = try await ws.store.importPayments([paid(2, due.fen + 1, "C-above"), paid(3, Int64.max, "C-huge"), paid(4, due.fen, "C-exact")],
                                                       actor: "t", source: "p.csv")
        #expect(counts.aboveDue.map(\.line) == [2, 3] && counts.aboveDue.allSatisfy { $0.due == due }, "\(counts.aboveDue)")
        #expect(counts.inserted == 1 && counts.alreadyKnown == 0)
    }

    /// A payments file is read a chunk of whole rows at a time (a province's file is not held whole):
    /// line numbers run on across chunks, and the same file again records nothing.
    @Test func aPaymentsFileIsImportedInChunks() async throws {
        let ws = try await TestWorkspace()
        let records = try await roster(ws, payers: 40).filter { $0.insurance == .pension }
        var csv = "id_number,insurance,period,amount_fen,channel,reference\n"
        for (index, record) in records.enumerated() {
            csv += "\(record.idNumber.value),pension,202612,\(index == 25 ? "x" : "100"),counter,C\(index)\n"
        }
        let path = ws.directory + "/payments.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let first = try await ws.useCases.importPayments(file: path, encoding: .auto, actor: "t", chunkBytes: 256)
        #expect(csv.utf8.count > 256 * 6, "several chunks")
        #expect(first.rejected.map(\.row.line) == [27], "line 27 holds the bad amount")
        #expect(first.counts.inserted == records.count - 1)
        let again = try await ws.useCases.importPayments(file: path, encoding: .auto, actor: "t", chunkBytes: 256)
        #expect(again.counts.inserted == 0 && again.counts.alreadyKnown == records.count - 1)
    }

    @Test func paidElsewhereSuspendedAndRevokedAreLeftOutAndCounted() async throws {
        let ws = try await TestWorkspace()
        var records = try await roster(ws, payers: 4)
        // Rows come two per payer (pension, medical). Payer 0 paid pension at the counter; payer 1
        // (rows 2, 3) is suspended; payer 2's (rows 4, 5) agreement is revoked; payer 3 is untouched.
        _ = try await ws.store.importPayments([PaymentRecord(line: 2, idNumber: records[0].idNumber, insurance: .pension, period: Self.december,
                                                       amount: Money(fen: 1), channel: "counter", reference: "C1")], actor: "t", source: "p.csv")
        for index in records.indices where records[index].idNumber == records[2].idNumber { records[index].suspended = true }
        for index in records.indices where records[index].idNumber == records[4].idNumber { records[index].agreementActive = false }
        _ = try await ws.store.importRoster(records, actor: "test", source: "roster2.csv")
        let report = try await ws.runCycle()
        let boc = try #require(report.banks["BOC"])
        #expect(boc.excluded[.paidElsewhere] == 1)
        #expect(boc.excluded[.suspended] == 2)
        #expect(boc.excluded[.agreementRevoked] == 2)
        #expect(boc.lines == 2)  // payer 0 (medical only) and payer 3
    }

    @Test func nextCycleMergesRetryableArrearsAndBlocksTerminalFailuresUntilTheAgreementChanges() async throws {
        let ws = try await TestWorkspace()
        var records = try await roster(ws, payers: 12)
        let november = Self.december.advanced(by: -1)
        _ = try await ws.cycle.run(period: november, bank: nil, dryRun: false, fileDate: CivilDate(year: 2026, month: 11, day: 2)!, actor: "t")
        try await ws.simulateAndIngest(seed: 11, failRate: 1)  // every line fails
        let failures = try await ws.candidates(from: november, through: november, bank: nil)
        let terminalPayers = Set(failures.filter { $0.lastFailure?.isTerminal == true }.map(\.idNumber.value))
        let retryablePayers = Set(failures.filter { $0.lastFailure?.isRetryable == true }.map(\.idNumber.value))
        #expect(!terminalPayers.isEmpty && !retryablePayers.isEmpty, "seed 11 gives both kinds among 12 payers")

        let december = try await ws.runCycle()
        let boc = try #require(december.banks["BOC"])
        // Each blocked payer has two dues in each month: November's and December's.
        #expect(boc.excluded[.terminalFailure] == terminalPayers.count * 4)
        let lines = try await ws.filesToWrite()  // all written, so none left
        #expect(lines.isEmpty)
        let file = try #require(ws.outboxFiles("BOC").last)
        let parsed = FileReader(spec: ws.specs["BOC"]!, kind: .debit).read([UInt8](FileManager.default.contents(atPath: file)!), fileName: file)
        let debited = Set(parsed.lines.map(\.line.payerIDNumber))
        #expect(debited.isDisjoint(with: terminalPayers))
        #expect(retryablePayers.isSubset(of: debited))
        // A retryable payer's line merges November's arrears with December: memo and amount say so.
        let merged = try #require(parsed.lines.first { retryablePayers.contains($0.line.payerIDNumber) })
        #expect(merged.line.memo == "含补缴202611")

        // Correcting one blocked payer's account makes them eligible again.
        let blocked = try #require(terminalPayers.sorted().first)
        for index in records.indices where records[index].idNumber.value == blocked { records[index].account = BankAccount(stored: "6225768888888888") }
        let counts = try await ws.store.importRoster(records, actor: "operator", source: "fix.csv")
        #expect(counts.agreementsUpdated == 1)
        let after = try await ws.candidates(from: november, through: Self.december, bank: nil).filter { $0.idNumber.value == blocked }
        #expect(after.allSatisfy { $0.agreement!.version > $0.lastFailureAgreementVersion! })
        #expect(after.allSatisfy { $0.state == .open })
    }

    @Test func filesSplitAtTheRecordLimit() async throws {
        let ws = try await TestWorkspace { $0["BOC"]?.maxRecordsPerFile = 2 }
        _ = try await roster(ws, payers: 5)
        let report = try await ws.runCycle()
        #expect(report.banks["BOC"]?.files == 3)
        #expect(ws.outboxFiles("BOC").count == 3)
        #expect(ws.outboxFiles("BOC").map { ($0 as NSString).lastPathComponent } == [
            "BOC_DK_420100000001_20261201_001.txt", "BOC_DK_420100000001_20261201_002.txt", "BOC_DK_420100000001_20261201_003.txt",
        ])
    }

    @Test func dryRunWritesAndReservesNothing() async throws {
        let ws = try await TestWorkspace()
        _ = try await roster(ws)
        let report = try await ws.cycle.run(period: Self.december, bank: nil, dryRun: true, fileDate: TestWorkspace.fileDate, actor: "t")
        #expect(report.banks["BOC"]?.lines == 5)
        #expect(ws.outboxFiles().isEmpty)
        #expect(try await ws.store.allDebitFiles().isEmpty)
    }

    @Test func collectionDateIsABankingDay() async throws {
        let ws = try await TestWorkspace()
        let calendar = ws.calendar
        // 2026-10-10 is a Saturday made a workday; 2026-10-01 a holiday; 2026-12-15 a Tuesday.
        #expect(calendar.isBankingDay(CivilDate(year: 2026, month: 10, day: 10)!))
        #expect(!calendar.isBankingDay(CivilDate(year: 2026, month: 10, day: 1)!))
        #expect(BankCalendar.weekday(CivilDate(year: 2026, month: 12, day: 15)!) == 2)
        #expect(calendar.bankingDay(onOrAfter: CivilDate(year: 2026, month: 10, day: 1)!) == CivilDate(year: 2026, month: 10, day: 8)!)
        #expect(calendar.bankingDay(onOrAfter: CivilDate(year: 2026, month: 2, day: 14)!) == CivilDate(year: 2026, month: 2, day: 14)!)
        #expect(calendar.bankingDay(onOrAfter: CivilDate(year: 2026, month: 2, day: 15)!) == CivilDate(year: 2026, month: 2, day: 24)!)
    }

    @Test func policyAmountsAreExact() async throws {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        #expect(policy.amount(insurance: .pension, tier: "60") == Money(fen: 89_532))  // 4476.60 × 20%
        #expect(policy.amount(insurance: .medical, tier: "standard") == Money(fen: 41_470))
        #expect(try Policy.apply(base: Money(fen: 333_333), rateBasisPoints: 2_000, rounding: .halfUp) == Money(fen: 66_667))
        #expect(try Policy.apply(base: Money(fen: 333_333), rateBasisPoints: 2_000, rounding: .down) == Money(fen: 66_666))
        #expect(try Policy.apply(base: Money(fen: 100), rateBasisPoints: 650, rounding: .halfUp) == Money(fen: 7))  // 6.5 → 7
        #expect(try Policy.apply(base: Money(fen: 100), rateBasisPoints: 640, rounding: .up) == Money(fen: 7))
        #expect { try Policy.parse("year: 2026\narrears_months: 3\ninsurances:\n  dental: {tiers: {}}\n", path: "p.yaml") } throws: { ($0 as? PikouError)?.code == "policy.invalid" }
    }
}
