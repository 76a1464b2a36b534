import BankFormats
import Foundation
import GRDB
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The residents' annual collection through the store, on every backend (issue 18, items 1 and 3 to
/// 6): enrollments by scheme, yearly dues in parts, rounds inside the window, the finance view with
/// 钱表相符 on the personal part, and participation by grid — beside a monthly scheme left as it was.
@Suite struct ResidentsRoundTests {
    static let policyYear = 2027
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// A resident's roster row (scheme residents-annual, start January of the cover year).
    static func row(_ id: IDNumber, _ n: Int, _ insurance: Insurance, tier: String, bank: String = "BOC", community: String = "东村") -> RosterRecord {
        var card = "621661" + String(format: "%012d", 100_000 + n * 7919)
        card += String((0...9).first { BankAccount.passesLuhn(card + String($0)) }!)
        return RosterRecord(
            line: n + 2, idNumber: id, name: "居民\(n)", phone: "13800000000", district: "示范县", street: n % 2 == 0 ? "城关镇" : "河口镇",
            community: community, insurance: insurance, tier: tier, startPeriod: try! Period("202701"), endPeriod: nil, suspended: false,
            bank: bank, account: try! BankAccount(card), accountName: "居民\(n)", agreementNo: "JM\(bank)\(n)", agreementActive: true, scheme: .residentsAnnual)
    }

    /// 24 residents aged 30 at BOC and CCB (pension at 300 or 500, medical), one in 低保 (the
    /// government pays all of both personal parts), one aged 65 (half the medical personal part), a
    /// child (medical only); and 6 flexible workers on the monthly scheme.
    static func county(_ ws: TestWorkspace) async throws -> (residents: [IDNumber], poor: IDNumber, older: IDNumber) {
        var records: [RosterRecord] = []
        var ids: [IDNumber] = []
        for n in 0..<24 {
            let id = ResidentsPricingTests.id(born: CivilDate(year: 1996, month: 1 + n % 12, day: 3)!, woman: n % 2 == 0, serial: n)
            ids.append(id)
            let bank = n % 3 == 0 ? "CCB" : "BOC"
            records.append(row(id, n, .pension, tier: n % 4 == 0 ? "500" : "300", bank: bank, community: n < 12 ? "东村" : "西村"))
            records.append(row(id, n, .medical, tier: "", bank: bank, community: n < 12 ? "东村" : "西村"))
        }
        let poor = ResidentsPricingTests.id(born: CivilDate(year: 1980, month: 5, day: 5)!, woman: false, serial: 90)
        let older = ResidentsPricingTests.id(born: CivilDate(year: 1961, month: 5, day: 5)!, woman: true, serial: 91)
        let child = ResidentsPricingTests.id(born: CivilDate(year: 2018, month: 5, day: 5)!, woman: true, serial: 92)
        records += [row(poor, 90, .pension, tier: "100"), row(poor, 90, .medical, tier: "standard"), row(older, 91, .medical, tier: "standard"),
                    row(child, 92, .medical, tier: "standard")]
        // Medical rows come with tier "standard" from the roster import (empty there means standard).
        records = records.map { var r = $0; if r.insurance == .medical { r.tier = "standard" }; return r }
        _ = try await ws.store.importRoster(records, actor: "t", source: "residents.csv")
        _ = try await ws.store.importMemberships([GroupMembershipRecord(idNumber: poor, group: "低保", department: "民政局", validFrom: date("2026-01-01"), validTo: nil)],
                                                 actor: "t", source: "低保.csv")
        var monthly = SyntheticRoster.Options(payers: 6)
        (monthly.suspendedRate, monthly.revokedRate) = (0, 0)
        _ = try await ws.store.importRoster(SyntheticRoster.make(monthly, seed: 2, banks: ["BOC"]), actor: "t", source: "r.csv")
        return (ids + [child], poor, older)
    }

    /// Answers every debit file of `fileDate` (simulated bank) and ingests the returns.
    static func answer(_ ws: TestWorkspace, fileDate: String, seed: UInt64, failRate: Double) async throws {
        let compact = fileDate.replacingOccurrences(of: "-", with: "")
        for path in ws.outboxFiles() where (path as NSString).lastPathComponent.contains(compact) || (path as NSString).lastPathComponent.contains(fileDate) {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let result = try BankSimulator(spec: ws.specs[bank]!, signing: ws.workspace.signing)
                .simulate(debitFile: path, outputDirectory: ws.workspace.inbox + "/" + bank, seed: seed, failRate: failRate)
            guard case .posted = try await ws.ingest.ingest(path: result.path, bank: nil, debitFileName: nil, actor: "t") else {
                throw FixtureError.missing("ingest of \(result.path) did not post")
            }
        }
    }

    @Test(arguments: TestBackend.all) func aWindowInTwoRounds(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let (residents, poor, older) = try await Self.county(ws)
        let policy = try ws.useCases.residentsPolicy(year: Self.policyYear)
        let cycle = ws.cycle

        // Before the window opens, and after it closes: refused with the reason, nothing planned.
        for (date, words) in [("2026-09-30", "has not opened"), ("2026-12-21", "closed on 2026-12-20")] {
            #expect(Catalogue.outsideWindow(policy, date: Self.date(date)).en.contains(words))
            await #expect { try await cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: Self.date(date), actor: "t") } throws: {
                "\($0)" == Catalogue.outsideWindow(policy, date: Self.date(date)).text
            }
        }
        #expect(try await ws.store.residentsRounds(year: 2027).isEmpty)

        // Round 1: every resident priced; the personal parts above zero debited, one line per payer per bank.
        let first = try await cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: Self.date("2026-10-15"), actor: "t")
        #expect(first.round == 1 && first.refusals.isEmpty)
        #expect(first.planning.inserted == 24 * 2 + 4)
        let enrollments = try await ws.store.residentEnrollments(year: 2027)
        let dues = enrollments.flatMap(\.dues)
        #expect(dues.count == 52)
        for due in dues { #expect(due.parts.personal.fen + due.parts.subsidy.fen + due.parts.government.fen == due.parts.standard.fen) }
        // 低保: nothing to debit (the government pays both personal parts); 65: half the medical personal part.
        let poorDues = enrollments.filter { $0.idNumber == poor }.flatMap(\.dues)
        #expect(poorDues.map(\.parts.personal) == [.zero, .zero] && poorDues.allSatisfy { $0.dueID == nil && $0.state == .paid })
        #expect(enrollments.first { $0.idNumber == older }?.dues.first?.parts.personal == Money(fen: 16_000))
        let lines = first.cycle.banks.values.reduce(0) { $0 + $1.lines }
        #expect(lines == 24 + 2)  // 24 residents, the 65-year-old and the child; the 低保 resident is not debited
        let debited = try first.cycle.banks.values.map(\.total).checkedSum()
        let personal = try dues.filter { $0.dueID != nil }.map(\.parts.personal).checkedSum()
        #expect(debited == personal)
        #expect(first.cycle.written.count == 2)

        // The monthly scheme is as it was: its candidates hold no residents' due, its cycle files only flexible workers.
        let monthlyCandidates = try await ws.candidates(from: try Period("202701"), through: try Period("202712"))
        #expect(monthlyCandidates.isEmpty)
        let december = try await ws.runCycle()
        #expect(december.banks.values.reduce(0) { $0 + $1.payers } == 6)
        #expect(try await ws.store.status(period: try Period("202701")).isEmpty)
        #expect(try await ws.store.residentsFiles(year: 2027).count == 2)

        // The same round again: refused, saying the next.
        await #expect {
            try await cycle.runRound(policy: policy, round: 1, bank: nil, dryRun: false, fileDate: Self.date("2026-10-16"), actor: "t")
        } throws: { ($0 as? PikouError)?.code == "cycle.refused" }

        // A re-pricing decided before the debit was reserved arrives after it: refused, nothing changed.
        let pendingDue = try #require(dues.first { $0.dueID != nil })
        var cheaper = pendingDue.parts
        cheaper.personal = Money(fen: cheaper.personal.fen - 100)
        cheaper.government = Money(fen: cheaper.government.fen + 100)
        let late = try await ws.store.planResidentDues(year: 2027, [.reprice(id: pendingDue.id, parts: cheaper), .reprice(id: 999_999, parts: cheaper)], actor: "t")
        #expect(late.repriced == 0 && late.refused.count == 2)
        #expect(late.refused[0].contains("pending") && late.refused[1].contains("999999"))
        #expect(try await ws.store.residentEnrollments(year: 2027).flatMap(\.dues).first { $0.id == pendingDue.id }?.parts == pendingDue.parts)

        // The bank answers; some fail.
        try await Self.answer(ws, fileDate: "2026-10-15", seed: 5, failRate: 0.4)
        let afterFirst = try await ws.store.residentEnrollments(year: 2027)
        let paid = afterFirst.filter { e in e.insurance == .pension && e.dues.first?.state == .paid && e.dues.first?.dueID != nil }
        let unpaid = afterFirst.filter { e in e.insurance == .pension && e.dues.first?.state == .open }
        #expect(!paid.isEmpty && !unpaid.isEmpty)

        // Its failures are the operators' to see, but only the next round debits them again: a resubmission takes none.
        let failed = try await ws.store.failures(FailureFilter(scheme: .residentsAnnual))
        #expect(!failed.isEmpty && failed.allSatisfy { $0.scheme == .residentsAnnual })
        #expect(try await ws.store.failures(FailureFilter(scheme: .flexibleMonthly)).isEmpty)
        let retry = ws.workspace.retry
        #expect(failed.allSatisfy { [.nextCycle, .needsAgreementCorrection, .operatorDecides, .operatorReview].contains(Eligibility.failure($0, policy: retry, today: Self.date("2026-10-30"))) })
        let resubmitted = try await ws.useCases.resubmission(specs: ws.specs, calendar: ws.calendar, policy: retry)
            .run(filter: FailureFilter(), actor: "t", dryRun: true, today: Self.date("2026-10-30"))
        #expect(resubmitted.lines == 0)

        // Tier changes inside the window: a paid resident moves 300 → 500 (a due for the difference),
        // an unpaid one too (the undebited due is re-priced).
        let payer = try #require(paid.first { $0.tier == "300" }), open = try #require(unpaid.first { $0.tier == "300" })
        let n1 = residents.firstIndex(of: payer.idNumber)!, n2 = residents.firstIndex(of: open.idNumber)!
        let bank1 = n1 % 3 == 0 ? "CCB" : "BOC", bank2 = n2 % 3 == 0 ? "CCB" : "BOC"
        _ = try await ws.store.importRoster([Self.row(payer.idNumber, n1, .pension, tier: "500", bank: bank1, community: n1 < 12 ? "东村" : "西村"),
                                             Self.row(open.idNumber, n2, .pension, tier: "500", bank: bank2, community: n2 < 12 ? "东村" : "西村")],
                                            actor: "t", source: "changes.csv")

        // Round 2: only what is still unpaid, and the difference; nothing collected is debited again.
        let second = try await cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: Self.date("2026-11-16"), actor: "t")
        #expect(second.round == 2)
        #expect(second.planning.differences == 1 && second.planning.repriced == 1)
        let changed = try await ws.store.residentEnrollments(year: 2027)
        let difference = try #require(changed.first { $0.idNumber == payer.idNumber && $0.insurance == .pension }?.dues.last)
        #expect(difference.seq == 2 && difference.parts.personal == Money(fen: 20_000) && difference.parts.subsidy == Money(fen: 3_000))
        #expect(changed.first { $0.idNumber == open.idNumber && $0.insurance == .pension }?.dues.map(\.parts.personal) == [Money(fen: 50_000)])
        try await Self.answer(ws, fileDate: "2026-11-16", seed: 6, failRate: 0.2)
        #expect(try await ws.check.violations() == [])

        // The finance view: parts sum, and 钱表相符 on the personal part, file by file.
        for grouping in ResidentsGrouping.allCases {
            let report = try await ws.useCases.residentsReport(year: 2027, by: grouping, targets: nil)
            #expect(!report.check.findings.contains { $0.isDifference }, "\(grouping): \(report.check.lines)")
            for insurance in Insurance.allCases {
                let total = try report.total(insurance)
                #expect(total.personalFen + total.subsidyFen + total.governmentFen == total.standardFen)
            }
            #expect(report.files.count == (try await ws.store.residentsRounds(year: 2027)).reduce(0) { $0 + $1.files })
        }
        let byFile = try await ws.useCases.residentsReport(year: 2027, by: .file, targets: nil)
        let collected = byFile.rows.filter { !$0.group.isEmpty }.reduce(Int64(0)) { $0 + $1.debitedFen }
        #expect(collected == byFile.files.reduce(Int64(0)) { $0 + $1.totals.succeededFen })
        // Public funds: the tier subsidies, 低保 (民政局) paying both personal parts, and the 60–69 age rule.
        let funds = byFile.publicFunds
        #expect(funds.contains { $0.department == "民政局" && $0.rule == "低保" && $0.insurance == .pension && $0.governmentFen == 10_000 })
        #expect(funds.contains { $0.department == "民政局" && $0.rule == "低保" && $0.insurance == .medical && $0.governmentFen == 32_000 })
        #expect(funds.contains { $0.rule == "60–69 岁" && $0.governmentFen == 16_000 })

        // Participation by grid, against targets (the community rows give eligible, the county the target).
        let targets = try temporaryDirectory() + "/targets.csv"
        try """
            district,street,community,insurance,eligible,target_percent
            示范县,,,pension,,98
            示范县,城关镇,东村,pension,8,
            示范县,城关镇,西村,pension,7,
            示范县,河口镇,东村,pension,7,
            示范县,河口镇,西村,pension,6,99.5

            """.write(toFile: targets, atomically: true, encoding: .utf8)
        let grid = try await ws.useCases.residentsReport(year: 2027, by: .street, targets: targets)
        let town = try #require(grid.participation.first { $0.unit == "示范县 城关镇" && $0.insurance == .pension })
        #expect(town.eligible == 15 && town.targetPermille == 980 && town.enrolled == 13)
        let counts = try await ws.store.participation(year: 2027)
        #expect(counts.filter { $0.insurance == .pension }.reduce(0) { $0 + $1.enrolled } == 25)
        #expect(counts.allSatisfy { $0.paid <= $0.enrolled })
        let village = try await ws.useCases.residentsReport(year: 2027, by: .community, targets: targets)
        #expect(village.participation.first { $0.unit == "示范县 河口镇 西村" && $0.insurance == .pension }?.targetPermille == 995)
    }

    /// The notice's household rules through the store (issue 34): the roster links two households
    /// (户号, 与户主关系); 卫健委's 计生 list names only the wife, and her husband gets the 300 too; a
    /// 扶贫户 child brings the lowest tier and its 代缴 to the head; a student in school (教育局's
    /// list) gets no medical due and is not counted in participation. The links are sealed: a
    /// relation changed by Pikou checks clean, one changed behind its back is found.
    @Test(arguments: TestBackend.all) func householdsAndStudentsThroughTheStore(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let husband = ResidentsPricingTests.id(born: Self.date("1970-03-03"), woman: false, serial: 1)
        let wife = ResidentsPricingTests.id(born: Self.date("1972-04-04"), woman: true, serial: 2)
        let student = ResidentsPricingTests.id(born: Self.date("2006-05-05"), woman: true, serial: 3)
        let head = ResidentsPricingTests.id(born: Self.date("1985-06-06"), woman: false, serial: 4)
        let child = ResidentsPricingTests.id(born: Self.date("2012-07-07"), woman: false, serial: 5)
        func linked(_ record: RosterRecord, _ household: String, _ relation: Household.Relation) -> RosterRecord {
            var record = record
            (record.household, record.relation) = (household, relation)
            if record.insurance == .medical { record.tier = "standard" }
            return record
        }
        let roster = [
            linked(Self.row(husband, 1, .pension, tier: "500"), "H-001", .head), linked(Self.row(wife, 2, .pension, tier: "500"), "H-001", .spouse),
            linked(Self.row(student, 3, .medical, tier: ""), "H-001", .child), linked(Self.row(head, 4, .pension, tier: "100"), "H-002", .head),
            linked(Self.row(child, 5, .medical, tier: ""), "H-002", .child),
        ]
        let imported = try await ws.store.importRoster(roster, actor: "t", source: "residents.csv")
        #expect(imported.householdsInserted == 5)
        for (id, group, department) in [(wife, "计生", "卫健委"), (student, "在校学生", "教育局"), (child, "扶贫户", "乡村振兴局")] {
            _ = try await ws.store.importMemberships([GroupMembershipRecord(idNumber: id, group: group, department: department, validFrom: Self.date("2026-01-01"), validTo: nil)],
                                                     actor: "t", source: "\(group).csv")
        }
        let enrollments = try await ws.store.residentEnrollments(year: 2027)
        let his = try #require(enrollments.first { $0.idNumber == husband })
        #expect(his.relation == .head && Set(his.relatives.map(\.idNumber)) == [wife, student])
        #expect(his.relatives.first { $0.idNumber == wife }?.memberships.map(\.group) == ["计生"])

        let policy = try ws.useCases.residentsPolicy(year: Self.policyYear)
        let round = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: Self.date("2026-10-15"), actor: "t")
        #expect(round.refusals.isEmpty, "\(round.refusals)")
        let priced = try await ws.store.residentEnrollments(year: 2027)
        func due(_ id: IDNumber) throws -> ResidentDueRecord { try #require(priced.first { $0.idNumber == id }?.dues.first) }
        #expect(try due(husband).parts.subsidy == Money(fen: 36_000) && due(husband).parts.rule == "计生")
        #expect(try due(wife).parts.subsidy == Money(fen: 36_000))
        #expect(try due(head).parts.personal == .zero && due(head).parts.government == Money(fen: 10_000) && due(head).parts.rule == "扶贫户")
        #expect(try due(student).parts.standard == .zero && due(student).dueID == nil && due(student).parts.rule == "在校学生")
        // The child of the 扶贫户 pays the medical personal part: the group is the household's, not a medical rule.
        #expect(try due(child).parts.personal == Money(fen: 32_000))
        // Participation: the student is outside the medical collection and not counted.
        let medical = try await ws.store.participation(year: 2027).filter { $0.insurance == .medical }
        #expect(medical.reduce(0) { $0 + $1.enrolled } == 1, "\(medical)")
        // The husband's page says where the 300 comes from.
        let explained = try await ws.useCases.residentDues(husband)
        #expect(explained.first?.explanation?.zh.contains("按计生（卫健委，配偶在名单上）") == true, "\(explained)")
        #expect(try await ws.check.violations() == [])

        // The roster corrects a relation: sealed where it changed, and the same roster again changes nothing.
        var corrected = roster
        corrected[1].relation = .other
        let again = try await ws.store.importRoster(corrected, actor: "t", source: "residents-2.csv")
        #expect(again.householdsUpdated == 1 && again.householdsInserted == 0)
        #expect(try await ws.store.importRoster(corrected, actor: "t", source: "residents-2.csv").changedAnything == false)
        // A roster without the household columns (the monthly one, an older template) leaves the links as they are.
        let silent = corrected.map { var record = $0; (record.household, record.relation) = (nil, nil); return record }
        #expect(try await ws.store.importRoster(silent, actor: "t", source: "residents-3.csv").changedAnything == false)
        #expect(try await ws.store.residentEnrollments(year: 2027).first { $0.idNumber == husband }?.relatives.count == 2)
        // A number shared by more than 30 payers across imports (towns numbering alike) is no household:
        // said after the import, and it links nobody.
        let crowd = (0..<31).map { n in
            linked(Self.row(ResidentsPricingTests.id(born: Self.date("1980-01-01").adding(days: n), woman: n % 2 == 0, serial: 50), 100 + n, .medical, tier: ""),
                   "H-007", n == 0 ? .head : .other)
        }
        _ = try await ws.store.importRoster(Array(crowd.prefix(20)), actor: "t", source: "town-a.csv")
        let crowded = try await ws.store.importRoster(Array(crowd.suffix(11)), actor: "t", source: "town-b.csv")
        #expect(crowded.oversizedHouseholds == 1)
        #expect(try await ws.store.residentEnrollments(year: 2027).first { $0.idNumber == crowd[0].idNumber }?.relatives.isEmpty == true)
        #expect(try await ws.store.household(idNumber: crowd[0].idNumber).relatives.isEmpty)
        #expect(try await ws.check.violations() == [])
        // Behind Pikou's back: a relation made a spouse, and a household link forged.
        try LedgerTamperTests().tamper(ws, sqlite: { try $0.execute(sql: "UPDATE households SET relation = '配偶' WHERE relation = '其他'") },
                   postgres: "UPDATE households SET relation = '配偶' WHERE relation = '其他'")
        let edited = try await ws.check.violations()
        #expect(edited.contains { if case .sealBroken(let subject, _) = $0 { subject.hasPrefix("household") } else { false } }, "\(edited)")
        let forged = "INSERT INTO households (payer_id, household, relation, updated_at) SELECT id, 'H-002', '配偶', '2026-12-01T09:00:00Z' FROM payers WHERE id NOT IN (SELECT payer_id FROM households) ORDER BY id LIMIT 1"
        _ = try await ws.store.importRoster([Self.row(ResidentsPricingTests.id(born: Self.date("1990-01-01"), woman: true, serial: 6), 6, .pension, tier: "300")],
                                            actor: "t", source: "one.csv")
        try LedgerTamperTests().tamper(ws, sqlite: { try $0.execute(sql: forged) }, postgres: forged)
        let found = try await ws.check.violations()
        #expect(found.contains { if case .sealMissing(let subject) = $0 { subject.hasPrefix("household link #") } else { false } }, "\(found)")
    }

    /// Whatever the banks answer, round after round: no due is collected twice, no collected or
    /// pending due is debited again, each round's lines are exactly the personal parts still open,
    /// and the money matches the list.
    @Test(arguments: [UInt64(1), 2, 3, 4]) func noDueIsDebitedTwiceAcrossRounds(_ seed: UInt64) async throws {
        let ws = try await TestWorkspace()
        _ = try await Self.county(ws)
        let policy = try ws.useCases.residentsPolicy(year: Self.policyYear)
        let dates = ["2026-10-15", "2026-11-02", "2026-11-16", "2026-12-01"]
        for (index, date) in dates.enumerated() {
            let paidBefore = Set(try await ws.store.residentEnrollments(year: 2027).flatMap(\.dues).filter { $0.state == .paid }.map(\.id))
            let report = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: Self.date(date), actor: "t")
            #expect(report.round == index + 1)
            // Every earlier round was answered: what is pending now is exactly this round's lines, and none of it was paid before.
            let debited = try report.cycle.banks.values.map(\.total).checkedSum()
            let pending = try await ws.store.residentEnrollments(year: 2027).flatMap(\.dues).filter { $0.state == .pending }
            #expect(pending.reduce(0) { $0 + $1.parts.personal.fen } == debited.fen)
            #expect(pending.allSatisfy { !paidBefore.contains($0.id) })
            if !report.cycle.written.isEmpty {
                try await Self.answer(ws, fileDate: date, seed: seed &* 31 &+ UInt64(index), failRate: [0.6, 0.4, 0.3, 0.2][index])
            }
            #expect(try await ws.check.violations() == [], "seed \(seed), round \(index + 1)")
            #expect(!(try await ws.useCases.residentsReport(year: 2027, by: .file, targets: nil)).check.findings.contains { $0.isDifference })
        }
        let after = try await ws.store.residentEnrollments(year: 2027).flatMap(\.dues)
        #expect(after.contains { $0.state == .paid && $0.dueID != nil })
    }

    @Test(arguments: TestBackend.all) func aMonthlyDueOfTheSameMonthRefusesAResidentsDue(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let id = ResidentsPricingTests.id(born: CivilDate(year: 1990, month: 2, day: 2)!, woman: false, serial: 7)
        // A flexible worker in January 2027, whose pension then moves to the residents' scheme.
        var monthly = Self.row(id, 1, .pension, tier: "100")
        monthly.scheme = .flexibleMonthly
        _ = try await ws.store.importRoster([monthly], actor: "t", source: "r.csv")
        let policy = try Policy.load(formatsDirectory: ws.workspace.formatsDirectory, year: 2026)
        _ = try await ws.store.planDues(period: try Period("202701"), amounts: policy.insurances.mapValues(\.tiers), actor: "test")
        _ = try await ws.store.importRoster([Self.row(id, 1, .pension, tier: "300")], actor: "t", source: "r2.csv")
        let residents = try ws.useCases.residentsPolicy(year: 2027)
        let report = try await ws.cycle.runRound(policy: residents, round: nil, bank: nil, dryRun: true, fileDate: Self.date("2026-10-15"), actor: "t")
        #expect(report.planning.inserted == 0)
        #expect(report.planning.refused.count == 1 && report.planning.refused[0].contains("flexible-monthly"))
        #expect(report.planning.refused[0].contains(id.masked) && !report.planning.refused[0].contains(id.value))
    }

    @Test func aTargetsFileIsCheckedRowByRow() throws {
        let path = try temporaryDirectory() + "/targets.csv"
        try """
            district,street,community,insurance,eligible,target_percent
            示范县,,,pension,,98
            ,城关镇,,pension,,98
            示范县,,东村,medical,10,
            示范县,城关镇,东村,dental,-3,
            示范县,城关镇,西村,pension,x,101

            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try ParticipationTarget.load(path: path) } throws: { error in
            let text = "\(error)"
            return ["line 3", "district", "line 4", "street", "line 5", "insurance", "line 6", "eligible", "target_percent"].allSatisfy(text.contains)
        }
    }
}
