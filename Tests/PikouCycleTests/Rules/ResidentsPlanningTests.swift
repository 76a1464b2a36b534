import Foundation
import PikouCore
import PikouCycle
import PropertyBased
import Testing
import TestSupport

/// The rule that turns each residents' enrollment and its stored dues into writes (issue 18, item 3):
/// by hand for each case, and as properties over any history of tier changes and payments.
@Suite struct ResidentsPlanningTests {
    static let policy = ResidentsPricingTests.policy

    static func enrollment(tier: String, dues: [ResidentDueRecord] = [], groups: [String] = [], suspended: Bool = false) -> ResidentEnrollment {
        let person = ResidentsPricingTests.person(age: 40, groups)
        return ResidentEnrollment(
            payerID: 7, idNumber: person.idNumber, insurance: .pension, tier: tier, joined: nil, suspended: suspended,
            memberships: person.memberships.map { GroupMembershipRecord(idNumber: person.idNumber, group: $0.group, department: $0.department, validFrom: $0.validFrom, validTo: nil) },
            dues: dues)
    }

    static func stored(_ write: ResidentDueWrite?, id: Int64, state: DueState) -> ResidentDueRecord? {
        guard case .insert(_, let insurance, let year, let seq, let parts) = write else { return nil }
        return ResidentDueRecord(id: id, insurance: insurance, year: year, seq: seq, parts: parts, dueID: parts.personal.fen > 0 ? id + 100 : nil,
                                 state: parts.personal.fen > 0 ? state : .paid)
    }

    @Test func eachCaseByHand() throws {
        // No due yet: the year's due.
        let first = try ResidentsPlanning.plan(Self.enrollment(tier: "300"), policy: Self.policy)
        guard case .insert(7, .pension, 2027, 1, let parts) = first else { Issue.record("\(String(describing: first))"); return }
        #expect(parts.personal == Money(fen: 30_000) && parts.subsidy == Money(fen: 3_000) && parts.standard == Money(fen: 33_000))
        // The same price again: nothing to do.
        let open = try #require(Self.stored(first, id: 1, state: .open))
        #expect(try ResidentsPlanning.plan(Self.enrollment(tier: "300", dues: [open]), policy: Self.policy) == nil)
        // A tier change before the debit: the undebited due is re-priced.
        let repriced = try ResidentsPlanning.plan(Self.enrollment(tier: "500", dues: [open]), policy: Self.policy)
        guard case .reprice(1, let new) = repriced else { Issue.record("\(String(describing: repriced))"); return }
        #expect(new.personal == Money(fen: 50_000) && new.subsidy == Money(fen: 6_000))
        // A failed debit leaves the due open: re-priced too. A pending one is settled: a difference.
        let pending = try #require(Self.stored(first, id: 1, state: .pending))
        let difference = try ResidentsPlanning.plan(Self.enrollment(tier: "500", dues: [pending]), policy: Self.policy)
        guard case .insert(7, .pension, 2027, 2, let extra) = difference else { Issue.record("\(String(describing: difference))"); return }
        #expect(extra.personal == Money(fen: 20_000) && extra.subsidy == Money(fen: 3_000) && extra.government == .zero)
        // Back to the tier already paid while the difference is still open: nothing left to debit on it.
        let paid = try #require(Self.stored(first, id: 1, state: .paid))
        let openExtra = try #require(Self.stored(difference, id: 2, state: .open))
        let back = try ResidentsPlanning.plan(Self.enrollment(tier: "300", dues: [paid, openExtra]), policy: Self.policy)
        guard case .reprice(2, let zero) = back else { Issue.record("\(String(describing: back))"); return }
        #expect(zero.standard == .zero && zero.personal == .zero)
        // A lower tier once paid is a refund: refused, said in Chinese first.
        #expect { try ResidentsPlanning.plan(Self.enrollment(tier: "100", dues: [paid], groups: ["低保"]), policy: Self.policy) } throws: {
            ($0 as? PikouError)?.message.zh.contains("退费") == true
        }
        // A list arriving before the debit: 低保 at 100, the government pays it all; nothing to debit.
        let poor = try ResidentsPlanning.plan(Self.enrollment(tier: "100", dues: [], groups: ["低保"]), policy: Self.policy)
        guard case .insert(_, _, _, 1, let free) = poor else { Issue.record("\(String(describing: poor))"); return }
        #expect(free.personal == .zero && free.government == Money(fen: 10_000) && free.rule == "低保" && free.department == "民政局")
        // Suspended and never priced: no due; a tier the policy lacks or a word: refused.
        #expect(try ResidentsPlanning.plan(Self.enrollment(tier: "300", suspended: true), policy: Self.policy) == nil)
        #expect { try ResidentsPlanning.plan(Self.enrollment(tier: "700"), policy: Self.policy) } throws: { ($0 as? PikouError)?.code == "residents.pricing" }
        #expect { try ResidentsPlanning.plan(Self.enrollment(tier: "三百"), policy: Self.policy) } throws: { ($0 as? PikouError)?.code == "residents.pricing" }
    }

    /// Any history: a resident changes tier several times, each due paid or not in between. Every write's
    /// parts sum to its standard, none negative; a settled due is never re-priced; and the settled dues
    /// plus what is left always come to the latest price.
    @Test func anyHistoryOfTierChangesKeepsTheMoneyExact() async {
        let tiers = Self.policy.pensionTiers.dropFirst().map(\.yuanText)
        await propertyCheck(count: 200, input: Gen.int(in: 0...10).array(of: 1...6), Gen.bool.array(of: 6...6)) { steps, pays in
            var dues: [ResidentDueRecord] = []
            var nextID: Int64 = 1
            for (index, step) in steps.enumerated() {
                let tier = tiers[step % tiers.count]
                let enrollment = Self.enrollment(tier: tier, dues: dues)
                let write: ResidentDueWrite?
                let price = try! ResidentsPlanning.price(enrollment, policy: Self.policy)
                do { write = try ResidentsPlanning.plan(enrollment, policy: Self.policy) } catch {
                    // Only a lower price than what is settled (a refund) is refused.
                    let settled = dues.filter { $0.state != .open }.reduce(Int64(0)) { $0 + $1.parts.personal.fen }
                    #expect((error as? PikouError)?.message.en.contains("refund") == true && settled > price.personal.fen)
                    continue
                }
                switch write {
                case .insert(_, _, _, let seq, let parts):
                    #expect(parts.personal.fen + parts.subsidy.fen + parts.government.fen == parts.standard.fen)
                    #expect(parts.personal.fen >= 0 && parts.subsidy.fen >= 0 && parts.government.fen >= 0)
                    #expect(seq == (dues.last?.seq ?? 0) + 1)
                    dues.append(ResidentDueRecord(id: nextID, insurance: .pension, year: 2027, seq: seq, parts: parts, dueID: nextID + 100, state: .open))
                    nextID += 1
                case .reprice(let id, let parts):
                    #expect(parts.personal.fen + parts.subsidy.fen + parts.government.fen == parts.standard.fen)
                    let index = dues.firstIndex { $0.id == id }!
                    #expect(dues[index].state == .open, "a settled due is never re-priced")
                    dues[index].parts = parts
                case nil: break
                }
                // The debit of this round succeeds or not.
                if pays[index % pays.count], let open = dues.lastIndex(where: { $0.state == .open }) { dues[open].state = .paid }
                let booked = dues.reduce(Int64(0)) { $0 + $1.parts.personal.fen }
                #expect(booked == price.personal.fen, "dues \(dues.map(\.parts.personal)) for tier \(tier)")
            }
        }
    }
}
