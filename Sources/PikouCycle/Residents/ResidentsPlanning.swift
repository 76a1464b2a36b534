public import PikouCore

/// What the year's residents' dues should become, as pure functions of the policy and each
/// enrollment as the store holds it (``ResidentEnrollment``): the writes for the store, and the
/// enrollments that cannot be priced, with why.
///
/// - No due yet: the year's due (seq 1), priced by ``ResidentsPricing``.
/// - A due whose personal part is neither collected, pending nor paid elsewhere: re-priced when the
///   price changed (a tier changed inside the window, a group list arrived or ended).
/// - Dues already settled: a tier change is a new due for the difference (seq 2, 3, ...) when every
///   part grows or stays; a change that would lower a settled part (a refund) is left to the counter
///   and said so.
/// - A suspended enrollment gets no new due; what it has stays.
public enum ResidentsPlanning {
    /// An enrollment that could not be priced or re-priced, in the catalogue's words.
    public struct Refusal: Sendable, Hashable {
        public var idNumber: IDNumber
        public var insurance: Insurance
        public var message: Message
    }

    /// The writes and refusals for `enrollments` under `policy`.
    public static func plan(_ enrollments: [ResidentEnrollment], policy: ResidentsPolicy) -> (writes: [ResidentDueWrite], refusals: [Refusal]) {
        var writes: [ResidentDueWrite] = []
        var refusals: [Refusal] = []
        for enrollment in enrollments {
            do {
                if let write = try plan(enrollment, policy: policy) { writes.append(write) }
            } catch {
                refusals.append(Refusal(idNumber: enrollment.idNumber, insurance: enrollment.insurance, message: error.message))
            }
        }
        return (writes, refusals)
    }

    /// The price of `enrollment` under `policy`.
    public static func price(_ enrollment: ResidentEnrollment, policy: ResidentsPolicy) throws(PikouError) -> ResidentDue {
        let person = ResidentsPricing.Person(idNumber: enrollment.idNumber, memberships: enrollment.memberships.map(GroupMembership.init),
                                             relation: enrollment.relation, relatives: enrollment.relatives)
        switch enrollment.insurance {
        case .pension:
            guard let tier = try? Money(yuan: enrollment.tier) else {
                throw PikouError("residents.pricing", Message(zh: "养老保险档次“\(enrollment.tier)”不是金额；可选：\(policy.pensionTiers.map(\.yuanText).joined(separator: "、"))",
                                                    en: "pension tier '\(enrollment.tier)' is not an amount; tiers: \(policy.pensionTiers.map(\.yuanText).joined(separator: ", "))"))
            }
            return try ResidentsPricing.pension(person, tier: tier, policy: policy)
        case .medical:
            return ResidentsPricing.medical(person, joined: enrollment.joined ?? policy.windowFrom, policy: policy)
        }
    }

    /// The parts the store keeps of a price.
    public static func parts(_ due: ResidentDue) -> ResidentParts {
        ResidentParts(tier: due.tier, standard: due.standard, personal: due.personal, subsidy: due.subsidy, government: due.paidByGovernment,
                      rule: due.rule ?? "", department: due.department ?? "", coverFrom: due.coverFrom)
    }

    /// The one write `enrollment` needs (nil: its dues are right as they stand).
    public static func plan(_ enrollment: ResidentEnrollment, policy: ResidentsPolicy) throws(PikouError) -> ResidentDueWrite? {
        let year = policy.year
        let dues = enrollment.dues.filter { $0.year == year }.sorted { $0.seq < $1.seq }
        if enrollment.suspended && dues.isEmpty { return nil }
        let price = parts(try price(enrollment, policy: policy))
        // Settled: collected, pending or paid elsewhere (a zero personal part is not: it moves with the price).
        let settled = dues.filter { $0.dueID != nil && [.paid, .pending, .paidElsewhere].contains($0.state) }
        let open = dues.last { !settled.contains($0) }
        guard !settled.isEmpty else {
            if let open { return open.parts == price ? nil : .reprice(id: open.id, parts: price) }
            return enrollment.suspended ? nil : .insert(payerID: enrollment.payerID, insurance: enrollment.insurance, year: year, seq: 1, parts: price)
        }
        // What is left to pay beyond the settled dues.
        let overflow = PikouError("residents.pricing", Message(zh: "金额超出范围", en: "an amount is out of range"))
        func sum(_ part: (ResidentParts) -> Money) throws(PikouError) -> Money {
            do { return try settled.map { part($0.parts) }.checkedSum() } catch { throw overflow }
        }
        func left(_ part: (ResidentParts) -> Money) throws(PikouError) -> Money {
            do { return try part(price).subtracting(try sum(part)) } catch let error as PikouError { throw error } catch { throw overflow }
        }
        let difference = ResidentParts(
            tier: price.tier, standard: try left(\.standard), personal: try left(\.personal), subsidy: try left(\.subsidy), government: try left(\.government),
            rule: price.rule, department: price.department, coverFrom: price.coverFrom)
        let nothingLeft = difference.standard.fen == 0 && difference.personal.fen == 0 && difference.subsidy.fen == 0 && difference.government.fen == 0
        if nothingLeft {
            // An open difference due no longer needed: nothing left to debit on it.
            if let open, open.parts.personal.fen > 0 || open.parts.standard.fen > 0 {
                return .reprice(id: open.id, parts: ResidentParts(tier: price.tier, standard: .zero, personal: .zero, subsidy: .zero, government: .zero,
                                                                  rule: price.rule, department: price.department, coverFrom: price.coverFrom))
            }
            return nil
        }
        guard difference.personal.fen >= 0, difference.subsidy.fen >= 0, difference.government.fen >= 0 else {
            throw PikouError("residents.pricing", Message(
                zh: "\(year) 年\(enrollment.insurance == .pension ? "养老" : "医疗")保险已缴 \(try sum(\.personal).yuanText) 元，新档次个人应缴 \(price.personal.yuanText) 元：多缴部分请到柜面办理退费，批扣不处理",
                en: "\(enrollment.insurance) \(year): \(try sum(\.personal).yuanText) yuan paid already, the new price's personal part is \(price.personal.yuanText) yuan: a refund is handled at the counter, not by debit"))
        }
        if let open { return open.parts == difference ? nil : .reprice(id: open.id, parts: difference) }
        let next = (dues.last?.seq ?? 0) + 1
        guard next <= 12 else {
            throw PikouError("residents.pricing", Message(zh: "\(year) 年已有 12 笔应缴，不能再为档次变更增加一笔", en: "\(year) has 12 dues already: no further due for a tier change"))
        }
        return .insert(payerID: enrollment.payerID, insurance: enrollment.insurance, year: year, seq: next, parts: difference)
    }
}
