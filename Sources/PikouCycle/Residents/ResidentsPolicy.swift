public import PikouCore
import Foundation
import Yams

/// One cover year's policy for the residents' annual collection (城乡居民两险), from
/// `Formats/policy/residents-<year>.yaml`: pension tiers and their subsidies, the medical standard
/// and its personal part, what each special group and age gets, the collection window and the
/// late-joining rule. ``ResidentsPricing`` turns it into each resident's due.
public struct ResidentsPolicy: Sendable, Hashable {
    /// What public funds do for a group or an age, for one insurance.
    public struct Benefit: Sendable, Hashable {
        public enum Pays: Sendable, Hashable {
            /// The whole personal part (代缴).
            case all
            /// Up to this much of it (代缴).
            case upTo(Money)
            /// This share of it, in percent (代缴), rounded half-up to the fen.
            case percent(Int)
        }
        public var pays: Pays?
        /// An extra subsidy on top of the tier's.
        public var subsidy: Money?
        /// The extra subsidy only for women of at least this age.
        public var womenFromAge: Int?
        /// The extra subsidy only for members (men and women: both spouses where the department's list
        /// names both) of at least this age.
        public var fromAge: Int?

        public init(pays: Pays? = nil, subsidy: Money? = nil, womenFromAge: Int? = nil) {
            (self.pays, self.subsidy, self.womenFromAge) = (pays, subsidy, womenFromAge)
        }
    }

    /// A special group (低保, 五保, ...): the department whose list names its members, and its benefits.
    public struct Group: Sendable, Hashable {
        public var name: String
        public var department: String
        public var benefits: [Insurance: Benefit]
        /// Whom a member on the list brings the group's benefits to (`applies_to`).
        public var appliesTo: Reach = .person
        /// The insurances the group's members are outside this collection for (`excluded_from`: 在校学生
        /// are insured through their school): they get no due.
        public var excludedFrom: Set<Insurance> = []
    }

    /// Whom a group's list brings its benefits to, as the roster links households (户号, 与户主关系).
    public enum Reach: String, Sendable, Hashable, CaseIterable {
        /// The person on the list.
        case person
        /// The person and their spouse (户主 and 配偶 of one household).
        case spouses
        /// Every member of the person's household (a 扶贫户, a 低保户).
        case household
    }

    /// A benefit by age at the reference date (`to` inclusive; nil: no upper bound).
    public struct AgeRule: Sendable, Hashable {
        public var from: Int
        public var to: Int?
        public var benefits: [Insurance: Benefit]
    }

    public var year: Int
    public var referenceDate: CivilDate
    public var windowFrom: CivilDate
    public var windowTo: CivilDate
    public var medicalLateAfter: CivilDate
    public var waitingDays: Int
    public var pensionMinAge: Int
    /// Yearly tiers, lowest first.
    public var pensionTiers: [Money]
    public var lowestTierGroups: Set<String>
    /// The subsidy from each tier up, by tier, lowest first.
    public var pensionSubsidies: [(from: Money, amount: Money)]
    public var medicalStandard: Money
    public var medicalPersonal: Money
    /// In the file's order: the order that settles a tie between equally favourable groups.
    public var groups: [Group]
    public var ages: [AgeRule]
    /// What the notice calls each public part (`labels:`), where it says otherwise than the catalogue.
    public var labels: [PublicPart: String] = [:]

    /// The public parts of a due, as a notice names them.
    public enum PublicPart: String, Sendable, Hashable, CaseIterable {
        /// The pension's subsidy by tier (档次补贴).
        case tierSubsidy = "tier_subsidy"
        /// The medical standard's public part (财政补助).
        case medicalPublic = "medical_public"
        /// The personal part the government pays for a group (代缴).
        case government
    }

    /// A public part's name: the notice's (`labels:`) in both languages' Chinese, else the catalogue's.
    public func label(_ part: PublicPart) -> Message {
        if let own = labels[part] { return Message(zh: own, en: own) }
        return switch part {
        case .tierSubsidy: Catalogue.tierSubsidy
        case .medicalPublic: Catalogue.medicalPublicPart
        case .government: Catalogue.governmentPart
        }
    }

    public static func == (a: ResidentsPolicy, b: ResidentsPolicy) -> Bool {
        a.year == b.year && a.referenceDate == b.referenceDate && a.pensionTiers == b.pensionTiers && a.groups == b.groups && a.ages == b.ages
            && a.pensionSubsidies.map(\.from) == b.pensionSubsidies.map(\.from) && a.pensionSubsidies.map(\.amount) == b.pensionSubsidies.map(\.amount)
            && a.medicalStandard == b.medicalStandard && a.medicalPersonal == b.medicalPersonal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(pensionTiers)
        hasher.combine(medicalStandard)
    }

    /// The public (财政) part of the medical standard.
    public var medicalPublic: Money { Money(fen: medicalStandard.fen - medicalPersonal.fen) }

    /// The pension subsidy of `tier`: that of the highest step at or below it.
    public func pensionSubsidy(tier: Money) -> Money {
        pensionSubsidies.last { $0.from <= tier }?.amount ?? .zero
    }

    public func group(_ name: String) -> Group? { groups.first { $0.name == name } }

    /// Loads `Formats/policy/residents-<year>.yaml`.
    public static func load(formatsDirectory: String, year: Int) throws(PikouError) -> ResidentsPolicy {
        let path = "\(formatsDirectory)/policy/residents-\(year).yaml"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PikouError("residents.policy", Message(
                zh: "\(path): 错误：没有 \(year) 年度的城乡居民政策：请按当年的征缴通知编写 policy/residents-\(year).yaml；"
                    + "格式可参照 policy/residents-\(year - 1).yaml 或 residents-2027.yaml",
                en: "\(path): error: no residents' policy for cover year \(year): add policy/residents-\(year).yaml from the year's notice; "
                    + "policy/residents-\(year - 1).yaml or residents-2027.yaml shows the shape"))
        }
        return try parse(text, path: path)
    }

    /// Parses a residents' policy file.
    public static func parse(_ text: String, path: String) throws(PikouError) -> ResidentsPolicy {
        func fail(_ node: Node?, _ message: Message) -> PikouError {
            let line = node?.mark?.line ?? 0
            return PikouError("residents.policy", Message(zh: "\(path):\(line): 错误：\(message.zh)", en: "\(path):\(line): error: \(message.en)"))
        }
        let root: Node.Mapping
        do {
            guard let mapping = try Yams.compose(yaml: text)?.mapping else {
                throw fail(nil, Message(zh: "政策文件必须是 YAML 键值映射", en: "the policy must be a YAML mapping"))
            }
            root = mapping
        } catch let error as PikouError {
            throw error
        } catch {
            throw fail(nil, Message(zh: "不是有效的 YAML：\(error)", en: "not valid YAML: \(error)"))
        }
        // `zh`: the Chinese for a context or a value that is not a key of the file ("the policy", "a pension tier").
        func keys(_ mapping: Node.Mapping, _ allowed: Set<String>, _ context: String, zh: String? = nil) throws(PikouError) {
            for key in mapping.keys where !allowed.contains(key.string ?? "") {
                let name = key.string ?? ""
                throw fail(key, Message(zh: "\(zh ?? "'\(context)'") 中有未知的键 '\(name)'；允许的键：\(allowed.sorted().joined(separator: "、"))",
                                        en: "unknown key '\(name)' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))"))
            }
        }
        func date(_ node: Node?, _ name: String) throws(PikouError) -> CivilDate {
            guard let text = node?.string, let date = CivilDate(iso: text) else {
                throw fail(node, Message(zh: "'\(name)' 必须是形如 2027-09-01 的日期", en: "\(name) must be a date YYYY-MM-DD"))
            }
            return date
        }
        func yuan(_ node: Node?, _ name: String, zh: String? = nil) throws(PikouError) -> Money {
            guard let text = node?.string, let money = try? Money(yuan: text), money.fen > 0 else {
                throw fail(node, Message(zh: "\(zh ?? "'\(name)'") 必须是大于零的金额（元），如 \"320\"",
                                         en: "\(name) must be a positive yuan amount like \"320\""))
            }
            return money
        }
        func int(_ node: Node?, _ name: String, _ range: ClosedRange<Int>) throws(PikouError) -> Int {
            guard let value = node?.int, range.contains(value) else {
                throw fail(node, Message(zh: "'\(name)' 必须是 \(range.lowerBound) 到 \(range.upperBound) 之间的整数",
                                         en: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            }
            return value
        }
        func benefits(_ node: Node?, _ context: String, more: Set<String> = []) throws(PikouError) -> [Insurance: Benefit] {
            guard let node else { return [:] }
            guard let mapping = node.mapping else { throw fail(node, Message(zh: "'\(context)' 必须是键值映射", en: "\(context) must be a mapping")) }
            var result: [Insurance: Benefit] = [:]
            for insurance in Insurance.allCases {
                guard let entry = mapping[insurance.rawValue] else { continue }
                guard let fields = entry.mapping else {
                    throw fail(entry, Message(zh: "'\(context).\(insurance)' 必须是键值映射", en: "\(context).\(insurance) must be a mapping"))
                }
                try keys(fields, ["pays", "pays_percent", "subsidy", "women_from_age", "from_age"], "\(context).\(insurance)")
                var benefit = Benefit()
                if let pays = fields["pays"] {
                    benefit.pays = pays.string == "all" ? .all : .upTo(try yuan(pays, "\(context).\(insurance).pays (all or a yuan amount)",
                                                                              zh: "'\(context).\(insurance).pays'（'all' 或金额）"))
                }
                if let percent = fields["pays_percent"] {
                    guard benefit.pays == nil else {
                        throw fail(percent, Message(zh: "'pays' 与 'pays_percent' 只能给出一个", en: "give pays or pays_percent, not both"))
                    }
                    benefit.pays = .percent(try int(percent, "\(context).\(insurance).pays_percent", 1...100))
                }
                if let subsidy = fields["subsidy"] { benefit.subsidy = try yuan(subsidy, "\(context).\(insurance).subsidy") }
                if let age = fields["women_from_age"] {
                    guard benefit.subsidy != nil else {
                        throw fail(age, Message(zh: "'women_from_age' 只适用于补贴（须同时给出 'subsidy'）", en: "women_from_age applies to a subsidy"))
                    }
                    benefit.womenFromAge = try int(age, "\(context).\(insurance).women_from_age", 0...120)
                }
                if let age = fields["from_age"] {
                    guard benefit.subsidy != nil, benefit.womenFromAge == nil else {
                        throw fail(age, Message(zh: "'from_age' 只适用于补贴（须同时给出 'subsidy'，且不与 'women_from_age' 同用）",
                                                en: "from_age applies to a subsidy, and not with women_from_age"))
                    }
                    benefit.fromAge = try int(age, "\(context).\(insurance).from_age", 0...120)
                }
                result[insurance] = benefit
            }
            try keys(mapping, Set(Insurance.allCases.map(\.rawValue)).union(["department"]).union(more), context)
            return result
        }
        try keys(root, ["scheme", "year", "source", "reference_date", "window", "late_joining", "pension", "medical", "groups", "ages", "labels"], "the policy",
                 zh: "政策文件")
        guard root["scheme"]?.string == "residents-annual" else {
            throw fail(root["scheme"], Message(zh: "'scheme' 必须是 'residents-annual'", en: "scheme must be residents-annual"))
        }
        let year = try int(root["year"], "year", 2000...2100)
        guard let window = root["window"]?.mapping else {
            throw fail(root["window"], Message(zh: "'window' 必须写成 '{from, to}'", en: "window must be {from, to}"))
        }
        let (from, to) = (try date(window["from"], "window.from"), try date(window["to"], "window.to"))
        guard from <= to else { throw fail(root["window"], Message(zh: "征缴期的结束日早于开始日", en: "the window ends before it starts")) }
        guard let late = root["late_joining"]?.mapping else {
            throw fail(root["late_joining"], Message(zh: "'late_joining' 必须写成 '{medical_after, waiting_days}'",
                                                     en: "late_joining must be {medical_after, waiting_days}"))
        }
        guard let pension = root["pension"]?.mapping else {
            throw fail(root["pension"], Message(zh: "'pension' 必须是键值映射", en: "pension must be a mapping"))
        }
        try keys(pension, ["min_age", "tiers", "lowest_tier_groups", "subsidy"], "pension")
        let tiers = try (pension["tiers"]?.sequence ?? []).map { (node: Node) throws(PikouError) -> Money in
            try yuan(node, "a pension tier", zh: "养老保险缴费档次")
        }
        guard !tiers.isEmpty, tiers == tiers.sorted(), Set(tiers).count == tiers.count else {
            throw fail(pension["tiers"], Message(zh: "'pension.tiers' 必须列出每年的缴费档次，从低到高，每档一次",
                                                 en: "pension.tiers must list the yearly tiers, lowest first, each once"))
        }
        var subsidies: [(from: Money, amount: Money)] = []
        for step in pension["subsidy"]?.sequence ?? [] {
            guard let fields = step.mapping else {
                throw fail(step, Message(zh: "补贴的每一级必须写成 '{from, yuan}'", en: "a subsidy step is {from, yuan}"))
            }
            let from = try yuan(fields["from"], "subsidy.from")
            guard tiers.contains(from), subsidies.last.map({ $0.from < from }) ?? true else {
                throw fail(step, Message(zh: "补贴各级的起点必须是缴费档次，并从低到高排列", en: "subsidy steps start at tiers, in increasing order"))
            }
            subsidies.append((from, try yuan(fields["yuan"], "subsidy.yuan")))
        }
        guard let medical = root["medical"]?.mapping else {
            throw fail(root["medical"], Message(zh: "'medical' 必须写成 '{standard, personal}'", en: "medical must be {standard, personal}"))
        }
        try keys(medical, ["standard", "personal"], "medical")
        let standard = try yuan(medical["standard"], "medical.standard"), personal = try yuan(medical["personal"], "medical.personal")
        guard personal <= standard else {
            throw fail(medical["personal"], Message(zh: "个人缴费部分高于筹资标准", en: "the personal part is more than the standard"))
        }
        var groups: [Group] = []
        for (key, node) in root["groups"]?.mapping ?? [:] {
            guard let name = key.string, !name.isEmpty else { throw fail(key, Message(zh: "群体需要名称", en: "a group needs a name")) }
            var group = Group(name: name, department: node.mapping?["department"]?.string ?? "",
                              benefits: try benefits(node, "groups.\(name)", more: ["applies_to", "excluded_from"]))
            if let reach = node.mapping?["applies_to"] {
                guard let text = reach.string, let value = Reach(rawValue: text) else {
                    throw fail(reach, Message(zh: "'groups.\(name).applies_to' 必须是 person（本人）、spouses（夫妻双方）或 household（全户）",
                                              en: "groups.\(name).applies_to must be person, spouses or household"))
                }
                group.appliesTo = value
            }
            if let excluded = node.mapping?["excluded_from"] {
                let names = excluded.sequence?.compactMap(\.string) ?? excluded.string.map { [$0] } ?? []
                let insurances = names.compactMap { Insurance(rawValue: $0) }
                guard !insurances.isEmpty, insurances.count == names.count else {
                    throw fail(excluded, Message(zh: "'groups.\(name).excluded_from' 必须列出险种：[pension, medical] 中的一个或两个",
                                                 en: "groups.\(name).excluded_from must list insurances: pension, medical or both"))
                }
                group.excludedFrom = Set(insurances)
                if let both = insurances.first(where: { group.benefits[$0] != nil }) {
                    throw fail(excluded, Message(zh: "群体 '\(name)' 既不在\(both == .pension ? "养老" : "医疗")保险征缴范围内，又有该险种的政策：二者只能取其一",
                                                 en: "group '\(name)' is both excluded from \(both) and given a \(both) benefit: choose one"))
                }
            }
            groups.append(group)
        }
        let lowest = Set((pension["lowest_tier_groups"]?.sequence ?? []).compactMap(\.string))
        for name in lowest where !groups.contains(where: { $0.name == name }) {
            throw fail(pension["lowest_tier_groups"], Message(zh: "'lowest_tier_groups' 中的 '\(name)' 不在 'groups' 下",
                                                              en: "lowest_tier_groups names '\(name)', which is not under groups"))
        }
        var ages: [AgeRule] = []
        for node in root["ages"]?.sequence ?? [] {
            guard let fields = node.mapping else {
                throw fail(node, Message(zh: "年龄规则必须写成 '{from, to, medical/pension}'", en: "an age rule is {from, to, medical/pension}"))
            }
            let from = try int(fields["from"], "ages.from", 0...150)
            let upper = try fields["to"].map { (n: Node) throws(PikouError) -> Int in try int(n, "ages.to", from...150) }
            var rest = fields
            rest["from"] = nil
            rest["to"] = nil
            ages.append(AgeRule(from: from, to: upper, benefits: try benefits(Node.mapping(rest), "ages[\(from)]")))
        }
        var labels: [PublicPart: String] = [:]
        if let node = root["labels"] {
            guard let mapping = node.mapping else {
                throw fail(node, Message(zh: "'labels' 必须写成 '{tier_subsidy, medical_public, government}'", en: "labels must be {tier_subsidy, medical_public, government}"))
            }
            try keys(mapping, Set(PublicPart.allCases.map(\.rawValue)), "labels")
            for part in PublicPart.allCases {
                if let text = mapping[part.rawValue]?.string, !text.isEmpty { labels[part] = text }
            }
        }
        var policy = ResidentsPolicy(
            year: year, referenceDate: try date(root["reference_date"], "reference_date"), windowFrom: from, windowTo: to,
            medicalLateAfter: try date(late["medical_after"], "late_joining.medical_after"),
            waitingDays: try int(late["waiting_days"], "late_joining.waiting_days", 0...365),
            pensionMinAge: try int(pension["min_age"] ?? Node("16"), "pension.min_age", 0...100), pensionTiers: tiers, lowestTierGroups: lowest,
            pensionSubsidies: subsidies, medicalStandard: standard, medicalPersonal: personal, groups: groups, ages: ages)
        policy.labels = labels
        return policy
    }
}
