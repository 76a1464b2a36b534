import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The departments' group lists (issue 18, item 2): rows refused like the roster's, memberships
/// stored once, and the pricing choosing the most favourable of a person's groups.
@Suite struct GroupsImportTests {
    static func id(_ birth: CivilDate, woman: Bool = false) -> IDNumber { ResidentsPricingTests.id(born: birth, woman: woman) }

    @Test(arguments: TestBackend.all) func aListIsCheckedStoredOnceAndPriced(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        let a = Self.id(CivilDate(year: 1958, month: 3, day: 2)!), b = Self.id(CivilDate(year: 1990, month: 7, day: 9)!, woman: true)
        let c = Self.id(CivilDate(year: 2001, month: 1, day: 1)!)
        let csv = """
            id_number,name,valid_from,valid_to
            \(a.value),张某,2026-01-01,
            \(b.value),李某,2026-01-01,2027-12-31
            \(c.value),王某,2026-01-01,2026-06-30
            420104199001011234,赵某,2026-01-01,
            \(a.value),张某,2026-02-01,
            \(b.value),李某,2026-05-01,2026-04-01

            """
        let path = try temporaryDirectory() + "/低保.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "张经办")
        #expect(report.counts.added == 3 && report.department == "民政局")
        #expect(report.rejected.map(\.row.line) == [5, 6, 7])
        #expect(report.rejected.map { $0.diagnostics.first?.field } == ["id_number", "id_number", "valid_to"])
        #expect(report.rejected[1].diagnostics.first?.text.en.contains("line 2") == true)
        // Again: nothing new.
        let again = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "张经办")
        #expect(again.counts.added == 0 && again.counts.unchanged == 3)
        // 低保 aged 68: the group pays all of the medical personal part (more than the age rule's half), and the pension's 100.
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        let memberships = try await ws.useCases.memberships(a).map(GroupMembership.init)
        #expect(memberships.map(\.group) == ["低保"])
        let person = ResidentsPricing.Person(idNumber: a, memberships: memberships)
        let medical = ResidentsPricing.medical(person, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy)
        #expect(medical.personal == .zero && medical.department == "民政局")
        #expect(try ResidentsPricing.pension(person, tier: Money(fen: 10_000), policy: policy).personal == .zero)
        // A membership that ended before the reference date counts for nothing.
        let ended = ResidentsPricing.Person(idNumber: c, memberships: try await ws.useCases.memberships(c).map(GroupMembership.init))
        #expect(ResidentsPricing.medical(ended, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy).personal == Money(fen: 32_000))
        // A later list that ends a membership ends it: the latest list of a group is the one that counts.
        let ending = try temporaryDirectory() + "/低保-2.csv"
        try "id_number,valid_from,valid_to\n\(b.value),2026-01-01,2026-10-31\n".write(toFile: ending, atomically: true, encoding: .utf8)
        _ = try await ws.useCases.importGroupList(file: ending, encoding: .auto, group: "低保", department: nil, year: 2027, actor: "t")
        let ended2 = ResidentsPricing.Person(idNumber: b, memberships: try await ws.useCases.memberships(b).map(GroupMembership.init))
        #expect(ended2.memberships.count == 2)
        #expect(ResidentsPricing.medical(ended2, joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy).personal == Money(fen: 32_000))
        let journal = try await ws.useCases.journal(JournalFilter(action: "groups.import"))
        #expect(journal.entries.count == 3 && journal.entries.last?.actor == "张经办")
        #expect(try await ws.check.violations() == [])
    }

    @Test func aGroupThePolicyLacksIsRefusedWhole() async throws {
        let ws = try await TestWorkspace()
        let path = try temporaryDirectory() + "/list.csv"
        try "id_number,valid_from,valid_to\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try await ws.useCases.importGroupList(file: path, encoding: .auto, group: "贫困", department: nil, year: 2027, actor: "t")
            Issue.record("an unknown group must be refused")
        } catch let error as DiagnosticError {
            #expect(error.description.contains("低保"))
        }
    }
}
