import Foundation
import PikouCore
import PikouCycle
import PropertyBased
import Testing
import TestSupport

/// The residents' annual scheme's pricing (issue 18, items 1 and 3): each rule with the figures of
/// `Formats/policy/residents-2027.yaml`, a golden table of every tier × group × age case, and the
/// invariants as properties.
@Suite struct ResidentsPricingTests {
    static let policy = try! ResidentsPolicy.load(formatsDirectory: Fixture.formatsDirectory, year: 2027)  // the checkout's policy file
    static let policyStart = CivilDate(year: 2020, month: 1, day: 1)!

    /// A synthetic, valid ID number: born on `birth`, a woman or a man.
    static func id(born birth: CivilDate, woman: Bool, serial: Int = 12) -> IDNumber {
        let body = String(format: "420104%04d%02d%02d%02d%d", birth.year, birth.month, birth.day, serial % 100, woman ? 2 : 1)
        let check = IDNumber.checkCharacter(body.map { $0.wholeNumberValue! })
        return try! IDNumber(body + String(check))  // built valid above
    }

    /// A person aged `age` at the reference date (born on 15 June), in `groups`. A group written
    /// `配偶:计生` or `子女:扶贫户` is a relative's: the person heads a household whose 配偶 (or 子女)
    /// is on that list.
    static func person(age: Int, woman: Bool = false, _ groups: [String] = []) -> ResidentsPricing.Person {
        let birth = CivilDate(year: policy.referenceDate.year - age - 1, month: 6, day: 15)!
        let own = groups.filter { !$0.contains(":") }, theirs = groups.filter { $0.contains(":") }
        var person = ResidentsPricing.Person(idNumber: id(born: birth, woman: woman),
                                             memberships: own.map { GroupMembership(group: $0, department: "", validFrom: policyStart) })
        if !theirs.isEmpty {
            person.relation = .head
            person.relatives = theirs.enumerated().map { index, text in
                let parts = text.split(separator: ":").map(String.init)
                return Household.Member(idNumber: id(born: birth, woman: !woman, serial: 40 + index), relation: Household.Relation(rawValue: parts[0]),
                                        memberships: [GroupMembershipRecord(idNumber: id(born: birth, woman: !woman, serial: 40 + index), group: parts[1],
                                                                            department: "", validFrom: policyStart, validTo: nil)])
            }
        }
        return person
    }

    static func yuan(_ text: String) -> Money { try! Money(yuan: text) }

    @Test func thePolicyFileSaysWhatTheNoticeSays() {
        let policy = Self.policy
        #expect(policy.pensionTiers.map(\.yuanText) == ["100.00", "300.00", "500.00", "600.00", "800.00", "1000.00", "1500.00", "2000.00", "2500.00", "3000.00", "4000.00", "5000.00"])
        #expect(policy.pensionTiers.map { policy.pensionSubsidy(tier: $0).fen / 100 } == [30, 30, 60, 60, 80, 80, 80, 80, 80, 80, 80, 80])
        #expect(policy.medicalStandard == Self.yuan("900") && policy.medicalPersonal == Self.yuan("320") && policy.medicalPublic == Self.yuan("580"))
        #expect(policy.windowFrom == CivilDate(year: 2026, month: 10, day: 1) && policy.windowTo == CivilDate(year: 2026, month: 12, day: 20))
        #expect(policy.lowestTierGroups == ["残疾", "五保", "低保", "优抚", "扶贫户"])
    }

    @Test func pensionByHand() throws {
        let policy = Self.policy
        // No group, tier 300: pays 300, subsidy 30.
        var due = try ResidentsPricing.pension(Self.person(age: 40), tier: Self.yuan("300"), policy: policy)
        #expect((due.personal, due.subsidy, due.paidByGovernment, due.standard) == (Self.yuan("300"), Self.yuan("30"), .zero, Self.yuan("330")))
        // 低保, tier 100: the government pays the 100 (代缴), subsidy 30: nothing to debit.
        due = try ResidentsPricing.pension(Self.person(age: 40, ["低保"]), tier: Self.yuan("100"), policy: policy)
        #expect((due.personal, due.subsidy, due.paidByGovernment, due.standard) == (.zero, Self.yuan("30"), Self.yuan("100"), Self.yuan("130")))
        #expect(due.explanation.zh.contains("低保"))
        // 重度残疾 choosing 1000: the government pays 100 of it, subsidy 80.
        due = try ResidentsPricing.pension(Self.person(age: 50, ["重度残疾"]), tier: Self.yuan("1000"), policy: policy)
        #expect((due.personal, due.subsidy, due.paidByGovernment) == (Self.yuan("900"), Self.yuan("80"), Self.yuan("100")))
        // 计生, a wife of 50: 300 more subsidy; her husband of 55 on the same list too (both spouses);
        // at 49, none. The explanation names every public part: the tier's own subsidy and the group's.
        due = try ResidentsPricing.pension(Self.person(age: 50, woman: true, ["计生"]), tier: Self.yuan("500"), policy: policy)
        #expect((due.personal, due.subsidy) == (Self.yuan("500"), Self.yuan("360")))
        #expect(due.explanation.zh == "档次补贴 60.00 元；按计生（卫健委）：财政代缴 0.00 元，另补贴 300.00 元（财政补贴合计 360.00 元）", "\(due.explanation.zh)")
        due = try ResidentsPricing.pension(Self.person(age: 49, woman: true, ["计生"]), tier: Self.yuan("500"), policy: policy)
        #expect(due.subsidy == Self.yuan("60") && due.rule == nil)
        #expect(due.explanation.zh == "档次补贴 60.00 元；无适用的特殊群体或年龄规则：按标准缴费")
        due = try ResidentsPricing.pension(Self.person(age: 55, woman: false, ["计生"]), tier: Self.yuan("500"), policy: policy)
        #expect(due.subsidy == Self.yuan("360") && due.rule == "计生")
        // A notice that calls the parts otherwise (labels:) is followed.
        var renamed = policy
        renamed.labels[.tierSubsidy] = "政府补贴"
        due = try ResidentsPricing.pension(Self.person(age: 40), tier: Self.yuan("300"), policy: renamed)
        #expect(due.explanation.zh.hasPrefix("政府补贴 30.00 元；"))
        #expect(ResidentsPricing.medical(Self.person(age: 30), joined: CivilDate(year: 2026, month: 11, day: 1)!, policy: policy).explanation.zh
            .hasPrefix("财政补助 580.00 元；"))
        // The lowest tier is refused outside its groups; a tier the policy lacks is refused; so is a child.
        #expect { try ResidentsPricing.pension(Self.person(age: 40), tier: Self.yuan("100"), policy: policy) } throws: { ($0 as? PikouError)?.code == "residents.pricing" }
        #expect { try ResidentsPricing.pension(Self.person(age: 40), tier: Self.yuan("700"), policy: policy) } throws: { ($0 as? PikouError)?.code == "residents.pricing" }
        #expect { try ResidentsPricing.pension(Self.person(age: 15), tier: Self.yuan("300"), policy: policy) } throws: { ($0 as? PikouError)?.code == "residents.pricing" }
        // 残疾 (not 重度) may choose the lowest tier but pays it.
        due = try ResidentsPricing.pension(Self.person(age: 30, ["残疾"]), tier: Self.yuan("100"), policy: policy)
        #expect((due.personal, due.paidByGovernment) == (Self.yuan("100"), .zero))
    }

    @Test func medicalByHand() {
        let policy = Self.policy, onTime = CivilDate(year: 2026, month: 11, day: 1)!
        var due = ResidentsPricing.medical(Self.person(age: 30), joined: onTime, policy: policy)
        #expect((due.personal, due.subsidy, due.paidByGovernment, due.standard) == (Self.yuan("320"), Self.yuan("580"), .zero, Self.yuan("900")))
        due = ResidentsPricing.medical(Self.person(age: 65), joined: onTime, policy: policy)
        #expect((due.personal, due.paidByGovernment) == (Self.yuan("160"), Self.yuan("160")))
        due = ResidentsPricing.medical(Self.person(age: 70), joined: onTime, policy: policy)
        #expect((due.personal, due.paidByGovernment) == (.zero, Self.yuan("320")))
        due = ResidentsPricing.medical(Self.person(age: 8, ["孤儿"]), joined: onTime, policy: policy)
        #expect(due.personal == .zero && due.rule == "孤儿")
        // 低保 aged 65: the group pays all, more than the age rule's half: the group is chosen and the age rule named.
        due = ResidentsPricing.medical(Self.person(age: 65, ["低保"]), joined: onTime, policy: policy)
        #expect(due.personal == .zero && due.rule == "低保" && due.explanation.zh.contains("60–69"))
        // Joining on 5 January: the whole 900, cover 30 days later.
        let late = CivilDate(year: 2027, month: 1, day: 5)!
        due = ResidentsPricing.medical(Self.person(age: 30), joined: late, policy: policy)
        #expect((due.personal, due.subsidy, due.coverFrom) == (Self.yuan("900"), .zero, CivilDate(year: 2027, month: 2, day: 4)!))
    }

    /// The notice's household rules (issue 34): 计生 for both spouses whoever of them the list names,
    /// a 扶贫户 for the whole household, a personal group for the person alone, and students in school
    /// outside the medical collection.
    @Test func householdsAndExclusionsByHand() throws {
        let policy = Self.policy, onTime = CivilDate(year: 2026, month: 11, day: 1)!
        // A husband of 55 whose wife alone is on 卫健委's 计生 list: 300 more, said to come through her.
        var due = try ResidentsPricing.pension(Self.person(age: 55, ["配偶:计生"]), tier: Self.yuan("500"), policy: policy)
        #expect((due.personal, due.subsidy, due.rule) == (Self.yuan("500"), Self.yuan("360"), "计生"))
        #expect(due.explanation.zh == "档次补贴 60.00 元；按计生（卫健委，配偶在名单上）：财政代缴 0.00 元，另补贴 300.00 元（财政补贴合计 360.00 元）", "\(due.explanation.zh)")
        // ... but not at 45 (the age is his own), nor when the listed one is his child (spouses only).
        #expect(try ResidentsPricing.pension(Self.person(age: 45, ["配偶:计生"]), tier: Self.yuan("500"), policy: policy).rule == nil)
        #expect(try ResidentsPricing.pension(Self.person(age: 55, ["子女:计生"]), tier: Self.yuan("500"), policy: policy).rule == nil)
        // Spouses are 户主 and 配偶: two children of one household are not.
        var siblings = Self.person(age: 55, ["配偶:计生"])
        siblings.relation = .child
        siblings.relatives[0].relation = .child
        #expect(try ResidentsPricing.pension(siblings, tier: Self.yuan("500"), policy: policy).rule == nil)
        // A 扶贫户 is the household: a child on the list brings 代缴 100 and the lowest tier to the head.
        due = try ResidentsPricing.pension(Self.person(age: 40, ["子女:扶贫户"]), tier: Self.yuan("100"), policy: policy)
        #expect((due.personal, due.paidByGovernment, due.rule) == (.zero, Self.yuan("100"), "扶贫户"))
        #expect(due.explanation.zh.contains("按扶贫户（乡村振兴局，同户成员（与户主关系：子女）在名单上）"), "\(due.explanation.zh)")
        #expect(due.explanation.en.contains("as 扶贫户 (乡村振兴局; the household member (the head's child) is on the list): the government pays 100.00"), "\(due.explanation.en)")
        // The head's own listing, seen by the child: 户主在名单上.
        var child = Self.person(age: 20, ["户主:扶贫户"])
        child.relation = .child
        #expect(try ResidentsPricing.pension(child, tier: Self.yuan("300"), policy: policy).explanation.zh.contains("按扶贫户（乡村振兴局，户主在名单上）"))
        // 低保 is the person's own: a spouse on the list brings nothing.
        #expect(ResidentsPricing.medical(Self.person(age: 30, ["配偶:低保"]), joined: onTime, policy: policy).personal == Self.yuan("320"))
        // A student in school (教育局's list): no medical due at all, and said why; the pension is priced as ever.
        due = ResidentsPricing.medical(Self.person(age: 19, ["在校学生", "低保"]), joined: onTime, policy: policy)
        #expect((due.standard, due.personal, due.subsidy, due.paidByGovernment, due.rule) == (.zero, .zero, .zero, .zero, "在校学生"))
        #expect(due.explanation.zh == "在校学生（教育局名单）：不在本次医疗保险集中征缴范围内，不生成应缴", "\(due.explanation.zh)")
        #expect(try ResidentsPricing.pension(Self.person(age: 19, ["在校学生"]), tier: Self.yuan("300"), policy: policy).personal == Self.yuan("300"))
        // A student's exclusion is the student's own: the student's parent is priced as ever.
        #expect(ResidentsPricing.medical(Self.person(age: 45, ["子女:在校学生"]), joined: onTime, policy: policy).personal == Self.yuan("320"))
    }

    @Test func policyHouseholdKeysAreChecked() throws {
        let text = try String(contentsOfFile: Fixture.formatsDirectory + "/policy/residents-2027.yaml", encoding: .utf8)
        for (edit, says) in [(("applies_to: spouses", "applies_to: couple"), "applies_to must be person, spouses or household"),
                             (("excluded_from: [medical]", "excluded_from: [dental]"), "excluded_from must list insurances"),
                             (("{department: 教育局, excluded_from: [medical]}", "{department: 教育局, excluded_from: [medical], medical: {pays: all}}"),
                              "both excluded from medical and given a medical benefit")] {
            let broken = text.replacingOccurrences(of: edit.0, with: edit.1)
            #expect(broken != text)
            do {
                _ = try ResidentsPolicy.parse(broken, path: "residents-2027.yaml")
                Issue.record("\(edit.1) was accepted")
            } catch {
                #expect(PikouError(error).message.en.contains(says), "\(error)")
                #expect(PikouError(error).message.en.hasPrefix("residents-2027.yaml:") && !PikouError(error).message.en.hasPrefix("residents-2027.yaml:0:"), "\(error)")
            }
        }
        let policy = Self.policy
        #expect(policy.group("计生")?.appliesTo == .spouses && policy.group("扶贫户")?.appliesTo == .household && policy.group("低保")?.appliesTo == .person)
        #expect(policy.group("在校学生")?.excludedFrom == [.medical])
    }

    @Test func aMembershipCountsOnlyWhileItHolds() {
        let policy = Self.policy, onTime = CivilDate(year: 2026, month: 11, day: 1)!
        var person = Self.person(age: 30)
        person.memberships = [GroupMembership(group: "低保", department: "民政局", validFrom: Self.policyStart, validTo: CivilDate(year: 2026, month: 6, day: 30)!)]
        #expect(ResidentsPricing.medical(person, joined: onTime, policy: policy).personal == Self.yuan("320"))
        person.memberships[0].validTo = CivilDate(year: 2027, month: 12, day: 31)!
        let due = ResidentsPricing.medical(person, joined: onTime, policy: policy)
        #expect(due.personal == .zero && due.department == "民政局")
    }

    /// Every tier × group × age case, as a table; `PIKOU_UPDATE_GOLDEN=1` rewrites it.
    @Test func everyCaseMatchesTheGoldenTable() throws {
        let policy = Self.policy, onTime = CivilDate(year: 2026, month: 11, day: 1)!
        let groups: [[String]] = [[]] + policy.groups.map { [$0.name] } + [["低保", "计生"], ["残疾", "重度残疾"]]
            + [["配偶:计生"], ["子女:计生"], ["子女:扶贫户"], ["配偶:低保"], ["子女:在校学生"], ["在校学生", "低保"]]
        var rows = ["insurance\ttier\tage\tsex\tgroups\tstandard\tpersonal\tsubsidy\tpaid_by_government\trule"]
        for group in groups {
            for (age, woman) in [(16, false), (30, true), (50, true), (50, false), (60, false), (69, true), (70, false)] {
                let person = Self.person(age: age, woman: woman, group)
                let who = "\(age)\t\(woman ? "F" : "M")\t\(group.isEmpty ? "-" : group.joined(separator: "+"))"
                for tier in policy.pensionTiers {
                    let cell: String
                    do {
                        let due = try ResidentsPricing.pension(person, tier: tier, policy: policy)
                        cell = "\(due.standard)\t\(due.personal)\t\(due.subsidy)\t\(due.paidByGovernment)\t\(due.rule ?? "-")"
                    } catch {
                        cell = "refused\t-\t-\t-\t-"
                    }
                    rows.append("pension\t\(tier)\t\(who)\t\(cell)")
                }
                let due = ResidentsPricing.medical(person, joined: onTime, policy: policy)
                rows.append("medical\t-\t\(who)\t\(due.standard)\t\(due.personal)\t\(due.subsidy)\t\(due.paidByGovernment)\t\(due.rule ?? "-")")
            }
        }
        let table = rows.joined(separator: "\n") + "\n"
        let path = Fixture.path("residents/pricing-2027.tsv")
        if ProcessInfo.processInfo.environment["PIKOU_UPDATE_GOLDEN"] == "1" {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(table == golden, "the pricing changed: review, then PIKOU_UPDATE_GOLDEN=1 swift test --filter everyCaseMatchesTheGoldenTable")
    }

    @Test func partsAlwaysSumToTheStandardAndPrecedenceIsDeterministic() async {
        let policy = Self.policy
        let names = policy.groups.map(\.name)
        await propertyCheck(count: 300, input: Gen.int(in: 16...95), Gen.bool, Gen.int(in: 0...(1 << 13) - 1), Gen.int(in: 0...11), Gen.int(in: 0...120)) { age, woman, mask, tierIndex, joinOffset in
            let chosen = names.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let person = Self.person(age: age, woman: woman, chosen)
            let joined = CivilDate(year: 2026, month: 10, day: 1)!.adding(days: joinOffset)
            var reversed = person
            reversed.memberships.reverse()
            let medical = ResidentsPricing.medical(person, joined: joined, policy: policy)
            #expect(medical == ResidentsPricing.medical(reversed, joined: joined, policy: policy))
            var dues = [medical]
            if let pension = try? ResidentsPricing.pension(person, tier: policy.pensionTiers[tierIndex], policy: policy) {
                #expect(pension == (try? ResidentsPricing.pension(reversed, tier: policy.pensionTiers[tierIndex], policy: policy)))
                dues.append(pension)
            }
            for due in dues {
                #expect(due.personal.fen >= 0 && due.subsidy.fen >= 0 && due.paidByGovernment.fen >= 0)
                #expect(due.personal.fen + due.subsidy.fen + due.paidByGovernment.fen == due.standard.fen, "\(due)")
            }
        }
    }

    @Test func aBrokenPolicyIsNamedByLine() throws {
        let text = try String(contentsOfFile: Fixture.formatsDirectory + "/policy/residents-2027.yaml", encoding: .utf8)
        for (edit, says) in [(("\"500\", \"600\"", "\"600\", \"500\""), "lowest first"),
                             (("[残疾, 五保, 低保, 优抚, 扶贫户]", "[残疾, 五保, 低保, 优抚, 扶贫]"), "not under groups"),
                             (("from: \"2026-10-01\"", "from: \"2027-01-01\""), "ends before it starts"),
                             (("personal: \"320\"", "personal: \"920\""), "more than the standard"),
                             (("pays_percent: 50", "pays_percent: 150"), "pays_percent")] {
            let broken = text.replacingOccurrences(of: edit.0, with: edit.1)
            #expect(broken != text)
            #expect { try ResidentsPolicy.parse(broken, path: "residents-2027.yaml") } throws: { ($0 as? PikouError)?.code == "residents.policy" }
            do { _ = try ResidentsPolicy.parse(broken, path: "residents-2027.yaml") } catch {
                #expect(PikouError(error).message.en.hasPrefix("residents-2027.yaml:") && PikouError(error).message.en.contains(says), "\(error)")
            }
        }
    }
}
