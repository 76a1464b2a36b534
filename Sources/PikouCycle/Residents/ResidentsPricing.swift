public import PikouCore

/// A resident's membership of a special group, from a department's list.
public struct GroupMembership: Sendable, Hashable {
    public var group: String
    /// The department whose list names the person (民政局, 残联, ...).
    public var department: String
    public var validFrom: CivilDate
    public var validTo: CivilDate?

    public init(group: String, department: String, validFrom: CivilDate, validTo: CivilDate? = nil) {
        (self.group, self.department, self.validFrom, self.validTo) = (group, department, validFrom, validTo)
    }

    /// A membership as a department's list gave it.
    public init(_ record: GroupMembershipRecord) {
        self.init(group: record.group, department: record.department, validFrom: record.validFrom, validTo: record.validTo)
    }

    /// Whether the membership holds on `date`.
    public func holds(on date: CivilDate) -> Bool { validFrom <= date && validTo.map { date <= $0 } ?? true }
}

/// One resident's yearly due for one insurance, split into who pays what, in fen:
/// `personal + subsidy + paidByGovernment == standard`, every part at least zero.
public struct ResidentDue: Sendable, Hashable {
    public var insurance: Insurance
    /// The pension tier chosen (nil for medical).
    public var tier: Money?
    /// Everything the year's cover is worth: the tier and its subsidies (pension), the standard (medical).
    public var standard: Money
    /// What the resident pays: what the bank debits. Zero: never debited.
    public var personal: Money
    /// The government's subsidy (pension by tier and group; medical's public part).
    public var subsidy: Money
    /// The part of the personal contribution the government pays for the resident (代缴).
    public var paidByGovernment: Money
    /// The group or age rule applied, and who pays for it: nil when none applies.
    public var rule: String?
    public var department: String?
    /// Cover starts on this day (a late joiner waits).
    public var coverFrom: CivilDate
    /// Why, in the catalogue's words: the rule chosen and the ones set aside.
    public var explanation: Message
}


/// The residents' scheme's rules as pure functions of the policy and one person's facts.
///
/// - Pension: the standard is the chosen tier plus its subsidy (by tier, and a group's extra
///   subsidy); the government pays (代缴) what the person's group rule says, up to the tier; the
///   person pays the rest. The lowest tier only for the listed groups (and any group whose
///   contribution the government pays).
/// - Medical: the standard splits into the personal part and the public part (subsidy); the
///   government pays (代缴) the personal part, or a share of it, for the listed groups and ages.
///   Joining after `late_joining.medical_after`: the whole standard is the person's, less any 代缴,
///   and cover starts `waiting_days` later.
/// - Several groups (or a group and an age rule): the single most favourable rule — the largest
///   amount public funds pay — and between equals the one the policy lists first (groups before ages).
public enum ResidentsPricing {
    public struct Person: Sendable, Hashable {
        public var idNumber: IDNumber
        /// Oldest first, as the store gives them.
        public var memberships: [GroupMembership]
        /// How the person stands to the head of their household (nil: the roster does not say).
        public var relation: Household.Relation?
        /// The other members of the household (a group for both spouses or the whole household reads them).
        public var relatives: [Household.Member]
        public init(idNumber: IDNumber, memberships: [GroupMembership] = [], relation: Household.Relation? = nil, relatives: [Household.Member] = []) {
            (self.idNumber, self.memberships, self.relation, self.relatives) = (idNumber, memberships, relation, relatives)
        }
        /// The 17th character of the ID number: odd for men, even for women (GB 11643).
        public var isWoman: Bool { idNumber.value.dropLast().last.flatMap { $0.wholeNumberValue }.map { $0 % 2 == 0 } ?? false }
    }

    /// A rule that could apply, with what public funds would pay under it.
    struct Candidate {
        var name: String
        var department: String
        var order: Int
        var paid: Money
        var extraSubsidy: Money
        /// Whose listing brings the rule, when not the person's own (配偶, 同户子女, ...).
        var via: Message? = nil
        var publicTotal: Int64 { paid.fen + extraSubsidy.fen }
    }

    /// A group that holds for a person: its place in the policy, the membership that makes it hold,
    /// and whose listing that is (nil: the person's own; else the relative's relation to the head).
    typealias Held = (order: Int, group: ResidentsPolicy.Group, membership: GroupMembership, via: Message?)

    /// The groups of `person` that hold on the policy's reference date, in the policy's order: those
    /// whose list names the person, and those that reach the person through a relative on the list
    /// (a group for both spouses: the other of 户主 and 配偶; for the household: any member). Of
    /// several memberships of one group, the latest (the last list imported) is the one that counts:
    /// a list that ends a membership ends it. The person's own listing comes before a relative's.
    static func groups(_ person: Person, _ policy: ResidentsPolicy) -> [Held] {
        policy.groups.enumerated().compactMap { order, group -> Held? in
            func holding(_ memberships: [GroupMembership]) -> GroupMembership? {
                memberships.last(where: { $0.group == group.name }).flatMap { $0.holds(on: policy.referenceDate) ? $0 : nil }
            }
            if let own = holding(person.memberships) { return (order, group, own, nil) }
            let reached = person.relatives.filter { relative in
                switch group.appliesTo {
                case .person: false
                case .spouses: Household.Relation.areSpouses(person.relation, relative.relation)
                case .household: true
                }
            }
            for relative in reached {
                if let theirs = holding(relative.memberships.map(GroupMembership.init)) {
                    // Who is on the list, as this person would say it: their spouse, the head, or a member by relation to the head.
                    let relation = relative.relation ?? .other
                    let who = Household.Relation.areSpouses(person.relation, relative.relation) ? Message(zh: "配偶", en: "spouse")
                        : relation == .head ? Message(zh: "户主", en: "head of the household")
                        : Message(zh: "同户成员（与户主关系：\(relation.rawValue)）", en: "household member (the head's \(relation.english))")
                    return (order, group, theirs, who)
                }
            }
            return nil
        }
    }

    /// Whether `person` is outside the collection of `insurance` (a group's `excluded_from`): the group, if so.
    static func exclusion(_ person: Person, _ insurance: Insurance, _ policy: ResidentsPolicy) -> Held? {
        groups(person, policy).first { $0.group.excludedFrom.contains(insurance) && $0.via == nil }
    }

    /// The due of a person outside the collection: nothing to pay, nothing public, why.
    static func excluded(_ held: Held, _ insurance: Insurance, tier: Money?, policy: ResidentsPolicy) -> ResidentDue {
        let department = held.membership.department.isEmpty ? held.group.department : held.membership.department
        let by = department.isEmpty ? "" : "（\(department)名单）"
        let byEn = department.isEmpty ? "" : " (\(department)'s list)"
        return ResidentDue(
            insurance: insurance, tier: tier, standard: .zero, personal: .zero, subsidy: .zero, paidByGovernment: .zero, rule: held.group.name,
            department: department, coverFrom: policy.referenceDate,
            explanation: Message(zh: "\(held.group.name)\(by)：不在本次\(insurance == .pension ? "养老" : "医疗")保险集中征缴范围内，不生成应缴",
                                 en: "\(held.group.name)\(byEn): outside this \(insurance) collection; no due"))
    }

    /// The amount `benefit` has the government pay of `personal`.
    static func paid(_ benefit: ResidentsPolicy.Benefit, of personal: Money) -> Money {
        switch benefit.pays {
        case nil: .zero
        case .all: personal
        case .upTo(let cap): min(cap, personal)
        case .percent(let share): Money(fen: (personal.fen * Int64(share) * 2 + 100) / 200)  // half-up to the fen
        }
    }

    /// The best of `candidates`: the largest public amount, then the earliest listed.
    static func best(_ candidates: [Candidate]) -> Candidate? {
        candidates.filter { $0.publicTotal > 0 }.min { a, b in a.publicTotal != b.publicTotal ? a.publicTotal > b.publicTotal : a.order < b.order }
    }

    /// Every public part of a due in words, then the rule: `档次补贴 30.00 元；按计生（卫健委）：另补贴 300.00 元（财政补贴合计 330.00 元）`.
    static func explanation(_ chosen: Candidate?, among candidates: [Candidate], base: (label: Message, amount: Money)) -> Message {
        let rule = explanation(chosen, among: candidates)
        guard base.amount.fen > 0 else { return rule }
        let extra = chosen?.extraSubsidy ?? .zero
        let sum = extra.fen > 0 ? Message(zh: "（财政补贴合计 \(Money(fen: base.amount.fen + extra.fen).yuanText) 元）",
                                          en: " (subsidies \(Money(fen: base.amount.fen + extra.fen).yuanText) yuan in all)") : Message(zh: "", en: "")
        return Message(zh: "\(base.label.zh) \(base.amount.yuanText) 元；\(rule.zh)\(sum.zh)", en: "\(base.label.en) \(base.amount.yuanText) yuan; \(rule.en)\(sum.en)")
    }

    static func explanation(_ chosen: Candidate?, among candidates: [Candidate]) -> Message {
        guard let chosen else { return Message(zh: "无适用的特殊群体或年龄规则：按标准缴费", en: "no group or age rule applies: the standard contribution") }
        let others = candidates.filter { $0.name != chosen.name && $0.publicTotal > 0 }.map(\.name)
        let via = chosen.via.map { "\($0.zh)在名单上" }
        let viaEn = chosen.via.map { "the \($0.en) is on the list" }
        let by = [chosen.department.isEmpty ? nil : chosen.department, via].compactMap { $0 }.joined(separator: "，")
        let byEn = [chosen.department.isEmpty ? nil : chosen.department, viaEn].compactMap { $0 }.joined(separator: "; ")
        let zhOthers = others.isEmpty ? "" : "；另属 \(others.joined(separator: "、"))，按最有利的一项"
        let enOthers = others.isEmpty ? "" : "; also in \(others.joined(separator: ", ")): the most favourable one applies"
        return Message(zh: "按\(chosen.name)\(by.isEmpty ? "" : "（\(by)）")：财政代缴 \(chosen.paid.yuanText) 元" + (chosen.extraSubsidy.fen > 0 ? "，另补贴 \(chosen.extraSubsidy.yuanText) 元" : "") + zhOthers,
                       en: "as \(chosen.name)\(byEn.isEmpty ? "" : " (\(byEn))"): the government pays \(chosen.paid.yuanText) yuan" + (chosen.extraSubsidy.fen > 0 ? " and a subsidy of \(chosen.extraSubsidy.yuanText) yuan" : "") + enOthers)
    }

    /// The pension due of `person` at `tier`.
    ///
    /// - Throws: ``PikouError`` for a tier the policy lacks, the lowest tier outside its groups, or a person under the minimum age.
    public static func pension(_ person: Person, tier: Money, policy: ResidentsPolicy) throws(PikouError) -> ResidentDue {
        guard policy.pensionTiers.contains(tier) else {
            throw PikouError("residents.pricing", Message(zh: "养老保险档次 \(tier.yuanText) 元不在 \(policy.year) 年政策中；可选：\(policy.pensionTiers.map(\.yuanText).joined(separator: "、"))",
                                                en: "pension tier \(tier.yuanText) yuan is not in the \(policy.year) policy; tiers: \(policy.pensionTiers.map(\.yuanText).joined(separator: ", "))"))
        }
        if let excluded = exclusion(person, .pension, policy) { return Self.excluded(excluded, .pension, tier: tier, policy: policy) }
        let age = policy.referenceDate.years(since: person.idNumber.birthDate)
        guard age >= policy.pensionMinAge else {
            throw PikouError("residents.pricing", Message(zh: "未满 \(policy.pensionMinAge) 周岁（\(age) 岁），不参加城乡居民养老保险", en: "under \(policy.pensionMinAge) (aged \(age)): not in the residents' pension"))
        }
        let groups = groups(person, policy)
        if tier == policy.pensionTiers.first, !groups.contains(where: { policy.lowestTierGroups.contains($0.group.name) || $0.group.benefits[.pension]?.pays != nil }) {
            throw PikouError("residents.pricing", Message(zh: "最低档 \(tier.yuanText) 元仅限\(policy.lowestTierGroups.sorted().joined(separator: "、"))人员",
                                                en: "the lowest tier, \(tier.yuanText) yuan, is only for: \(policy.lowestTierGroups.sorted().joined(separator: ", "))"))
        }
        let candidates = groups.compactMap { order, group, membership, via -> Candidate? in
            guard let benefit = group.benefits[.pension] else { return nil }
            let extra = benefit.subsidy.flatMap { subsidy in
                let eligible = benefit.womenFromAge.map { person.isWoman && age >= $0 } ?? benefit.fromAge.map { age >= $0 } ?? true
                return eligible ? subsidy : nil
            } ?? .zero
            return Candidate(name: group.name, department: membership.department.isEmpty ? group.department : membership.department,
                             order: order, paid: paid(benefit, of: tier), extraSubsidy: extra, via: via)
        }
        let chosen = best(candidates)
        let paidByGovernment = chosen?.paid ?? .zero
        let subsidy = Money(fen: policy.pensionSubsidy(tier: tier).fen + (chosen?.extraSubsidy.fen ?? 0))
        return ResidentDue(
            insurance: .pension, tier: tier, standard: Money(fen: tier.fen + subsidy.fen), personal: Money(fen: tier.fen - paidByGovernment.fen),
            subsidy: subsidy, paidByGovernment: paidByGovernment, rule: chosen?.name, department: chosen?.department,
            coverFrom: policy.referenceDate,
            explanation: explanation(chosen, among: candidates, base: (policy.label(.tierSubsidy), policy.pensionSubsidy(tier: tier))))
    }

    /// The medical due of `person`, joining on `joined`.
    public static func medical(_ person: Person, joined: CivilDate, policy: ResidentsPolicy) -> ResidentDue {
        if let excluded = exclusion(person, .medical, policy) { return Self.excluded(excluded, .medical, tier: nil, policy: policy) }
        let age = policy.referenceDate.years(since: person.idNumber.birthDate)
        let late = joined > policy.medicalLateAfter
        // A late joiner owes the public part too.
        let owed = late ? policy.medicalStandard : policy.medicalPersonal
        var candidates = groups(person, policy).compactMap { order, group, membership, via -> Candidate? in
            group.benefits[.medical].map { Candidate(name: group.name, department: membership.department.isEmpty ? group.department : membership.department,
                                                     order: order, paid: paid($0, of: policy.medicalPersonal), extraSubsidy: .zero, via: via) }
        }
        for (index, rule) in policy.ages.enumerated() where age >= rule.from && rule.to.map({ age <= $0 }) ?? true {
            if let benefit = rule.benefits[.medical] {
                let name = rule.to.map { "\(rule.from)–\($0) 岁" } ?? "\(rule.from) 岁以上"
                candidates.append(Candidate(name: name, department: "财政", order: policy.groups.count + index, paid: paid(benefit, of: policy.medicalPersonal), extraSubsidy: .zero))
            }
        }
        let chosen = best(candidates)
        let paidByGovernment = chosen?.paid ?? .zero
        let subsidy = late ? Money.zero : policy.medicalPublic
        var explanation = explanation(chosen, among: candidates, base: (policy.label(.medicalPublic), subsidy))
        if late {
            explanation = Message(zh: explanation.zh + "；\(policy.medicalLateAfter) 之后参保：含财政补助部分全额缴纳，待遇自 \(joined.adding(days: policy.waitingDays)) 起",
                                  en: explanation.en + "; joined after \(policy.medicalLateAfter): the full standard, public part included, cover from \(joined.adding(days: policy.waitingDays))")
        }
        return ResidentDue(
            insurance: .medical, tier: nil, standard: policy.medicalStandard, personal: Money(fen: owed.fen - paidByGovernment.fen), subsidy: subsidy,
            paidByGovernment: paidByGovernment, rule: chosen?.name, department: chosen?.department,
            coverFrom: late ? joined.adding(days: policy.waitingDays) : policy.referenceDate, explanation: explanation)
    }
}
