// The residents' annual scheme (城乡居民两险) as the store holds it: enrollments by scheme, yearly
// dues split into who pays what, rounds, and the finance and participation views.

/// How an enrollment is collected.
public enum Scheme: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Flexible workers (灵活就业人员): monthly dues, arrears merged.
    case flexibleMonthly = "flexible-monthly"
    /// Urban and rural residents (城乡居民两险): one yearly due per insurance, debited in rounds.
    case residentsAnnual = "residents-annual"

    public var description: String { rawValue }
}

/// A yearly due's parts, in fen: `personal + subsidy + government == standard`. Only the personal part
/// is debited; the subsidy and the 代缴 part are what public funds pay.
public struct ResidentParts: Sendable, Hashable {
    /// The pension tier chosen (nil for medical).
    public var tier: Money?
    public var standard: Money
    public var personal: Money
    public var subsidy: Money
    /// 代缴: the part of the personal contribution the government pays.
    public var government: Money
    /// The group or age rule applied ("" when none) and the department that pays for it.
    public var rule: String
    public var department: String
    public var coverFrom: CivilDate

    public init(tier: Money?, standard: Money, personal: Money, subsidy: Money, government: Money, rule: String, department: String, coverFrom: CivilDate) {
        (self.tier, self.standard, self.personal, self.subsidy, self.government) = (tier, standard, personal, subsidy, government)
        (self.rule, self.department, self.coverFrom) = (rule, department, coverFrom)
    }
}

/// A resident's yearly due as stored, with where its personal part stands.
public struct ResidentDueRecord: Sendable, Hashable {
    public var id: Int64
    public var insurance: Insurance
    public var year: Int
    /// 1: the year's due; 2, 3, ...: a due for the difference after a tier change once the first was paid.
    public var seq: Int
    public var parts: ResidentParts
    /// The debitable due carrying the personal part (nil: the personal part is zero, nothing to debit).
    public var dueID: Int64?
    /// Where the personal part stands (`.paid` when it is zero: public funds pay it all).
    public var state: DueState

    public init(id: Int64, insurance: Insurance, year: Int, seq: Int, parts: ResidentParts, dueID: Int64?, state: DueState) {
        (self.id, self.insurance, self.year, self.seq, self.parts, self.dueID, self.state) = (id, insurance, year, seq, parts, dueID, state)
    }
}

/// One residents' enrollment with what pricing it needs: the person's group memberships, and the
/// year's dues already stored for it.
public struct ResidentEnrollment: Sendable, Hashable {
    public var payerID: Int64
    public var idNumber: IDNumber
    public var insurance: Insurance
    public var tier: String
    /// When the resident joined (nil: inside the collection window, as the roster did not say).
    public var joined: CivilDate?
    public var suspended: Bool
    /// Oldest first.
    public var memberships: [GroupMembershipRecord]
    /// By seq.
    public var dues: [ResidentDueRecord]
    /// How the person stands to the head of their household (nil: the roster does not say).
    public var relation: Household.Relation?
    /// The other members of the person's household, as the roster links them, each with their
    /// group memberships (a rule for both spouses or a whole household reads them).
    public var relatives: [Household.Member]

    public init(payerID: Int64, idNumber: IDNumber, insurance: Insurance, tier: String, joined: CivilDate?, suspended: Bool,
                memberships: [GroupMembershipRecord], dues: [ResidentDueRecord], relation: Household.Relation? = nil, relatives: [Household.Member] = []) {
        (self.payerID, self.idNumber, self.insurance, self.tier, self.joined, self.suspended) = (payerID, idNumber, insurance, tier, joined, suspended)
        (self.memberships, self.dues, self.relation, self.relatives) = (memberships, dues, relation, relatives)
    }
}

/// A household (户) as the roster links its members: its number (户号) and how each member stands
/// to its head (与户主关系).
public enum Household {
    /// The most members one household number links: a number shared by more (a village's code copied
    /// down a column, towns numbering their households alike) is refused in a roster and links nobody
    /// in the store.
    public static let maxSize = 30
    /// How a member stands to the head of the household, in the words of a 户口簿.
    public enum Relation: String, Sendable, Hashable, CaseIterable {
        case head = "户主"
        case spouse = "配偶"
        case child = "子女"
        case parent = "父母"
        case grandparent = "祖父母"
        case grandchild = "孙子女"
        case sibling = "兄弟姐妹"
        case other = "其他"

        /// The relation a roster's cell names: the word of this list, one a 户口簿 writes for it (妻, 长子,
        /// 母亲, 孙女, 儿媳, ...), or its English key (`head`, `spouse`, ...); nil for any other.
        public init?(roster text: String) {
            let trimmed = String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
            if let relation = Relation(rawValue: trimmed) ?? Self.synonyms[trimmed] ?? Self.synonyms[trimmed.lowercased()] {
                self = relation
            } else if trimmed.count >= 2, ["长", "次", "三", "四", "五", "六"].contains(trimmed.first!),
                      let relation = Self.synonyms[String(trimmed.dropFirst())] {  // 长子, 次女, 三子 ...
                self = relation
            } else {
                return nil
            }
        }

        /// The words a household register (户口簿, GB/T 4761) and a clerk use for each relation.
        static let synonyms: [String: Relation] = {
            var words: [String: Relation] = ["head": .head, "spouse": .spouse, "child": .child, "parent": .parent, "grandparent": .grandparent,
                                             "grandchild": .grandchild, "sibling": .sibling, "other": .other]
            for word in ["本人", "户主本人"] { words[word] = .head }
            for word in ["妻", "妻子", "夫", "丈夫", "配偶"] { words[word] = .spouse }
            for word in ["子", "女", "儿子", "女儿", "独生子", "独生女", "养子", "养女", "继子", "继女"] { words[word] = .child }
            for word in ["父亲", "母亲", "父", "母", "公公", "婆婆", "岳父", "岳母", "继父", "继母", "养父", "养母"] { words[word] = .parent }
            for word in ["祖父", "祖母", "外祖父", "外祖母"] { words[word] = .grandparent }
            for word in ["孙子", "孙女", "外孙子", "外孙女", "孙", "外孙"] { words[word] = .grandchild }
            for word in ["兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"] { words[word] = .sibling }
            for word in ["儿媳", "女婿", "侄子", "侄女", "外甥", "外甥女", "叔叔", "伯父", "姑母", "舅舅", "姨母", "其他亲属", "非亲属"] { words[word] = .other }
            return words
        }()

        /// The relation's English name, for the catalogue's English.
        public var english: String {
            switch self {
            case .head: "head of the household"
            case .spouse: "spouse"
            case .child: "child"
            case .parent: "parent"
            case .grandparent: "grandparent"
            case .grandchild: "grandchild"
            case .sibling: "sibling"
            case .other: "other relative"
            }
        }

        /// Whether two members with these relations are the couple at the head of the household (户主 and 配偶).
        public static func areSpouses(_ a: Relation?, _ b: Relation?) -> Bool {
            (a == .head && b == .spouse) || (a == .spouse && b == .head)
        }
    }

    /// Another member of a person's household, with their group memberships (oldest first).
    public struct Member: Sendable, Hashable {
        public var idNumber: IDNumber
        public var relation: Relation?
        public var memberships: [GroupMembershipRecord]

        public init(idNumber: IDNumber, relation: Relation?, memberships: [GroupMembershipRecord]) {
            (self.idNumber, self.relation, self.memberships) = (idNumber, relation, memberships)
        }
    }
}

/// A change to a resident's yearly dues, as PikouCycle decided it, for the store to apply.
public enum ResidentDueWrite: Sendable, Hashable {
    /// A new due (`seq` 1 for the year's, higher for a difference); a debitable due is created when
    /// the personal part is above zero.
    case insert(payerID: Int64, insurance: Insurance, year: Int, seq: Int, parts: ResidentParts)
    /// New parts for an undebited due: refused by the store if its personal part has been collected
    /// or is pending by now.
    case reprice(id: Int64, parts: ResidentParts)
}

/// What planning a year's residents' dues did.
public struct ResidentPlanning: Sendable, Hashable {
    public var inserted = 0
    public var repriced = 0
    /// Dues for the difference after a tier change once the first was paid.
    public var differences = 0
    /// Dues the store refused, with why (a monthly due of the same month, a due collected meanwhile).
    public var refused: [String] = []
    public init() {}
}

/// A round of the collection window, as run.
public struct ResidentsRound: Sendable, Hashable {
    public var round: Int
    public var fileDate: CivilDate
    public var files: Int
    public var lines: Int
    public var total: Money
    public init(round: Int, fileDate: CivilDate, files: Int, lines: Int, total: Money) {
        (self.round, self.fileDate, self.files, self.lines, self.total) = (round, fileDate, files, lines, total)
    }
}

/// How the residents' finance view groups.
public enum ResidentsGrouping: String, Sendable, Hashable, CaseIterable {
    case bank, file, district, street, community
}

/// One group of the residents' finance view: the year's dues and who pays what (one insurance or both).
public struct ResidentsReportRow: Sendable, Hashable {
    public var group: String
    public var insurance: Insurance
    public var dues = 0
    public var standardFen: Int64 = 0
    /// The personal parts owed, and how much of them was collected by debit and elsewhere.
    public var personalFen: Int64 = 0
    public var debitedFen: Int64 = 0
    public var elsewhereFen: Int64 = 0
    /// What public funds pay: subsidies and 代缴.
    public var subsidyFen: Int64 = 0
    public var governmentFen: Int64 = 0
    public init(group: String, insurance: Insurance) { (self.group, self.insurance) = (group, insurance) }
}

/// One line of the list public funds pay from: per paying department and rule.
public struct PublicFundsRow: Sendable, Hashable {
    public var department: String
    /// The group or age rule ("" for the tier's own subsidy).
    public var rule: String
    public var insurance: Insurance
    public var persons = 0
    public var subsidyFen: Int64 = 0
    public var governmentFen: Int64 = 0
    public init(department: String, rule: String, insurance: Insurance) { (self.department, self.rule, self.insurance) = (department, rule, insurance) }
}

/// One resident's due of a year not yet paid: a line of a village's door-to-door list (上门催缴名单).
public struct UnpaidResident: Sendable, Hashable {
    public var district: String
    public var street: String
    public var community: String
    public var name: String
    public var idNumber: IDNumber
    public var phone: String
    public var insurance: Insurance
    /// The pension tier (nil for medical).
    public var tier: Money?
    /// What the resident still owes (the personal part).
    public var personal: Money
    /// The bank of the resident's agreement ("" without one).
    public var bank: String

    public init(district: String, street: String, community: String, name: String, idNumber: IDNumber, phone: String, insurance: Insurance,
                tier: Money?, personal: Money, bank: String) {
        (self.district, self.street, self.community, self.name, self.idNumber, self.phone) = (district, street, community, name, idNumber, phone)
        (self.insurance, self.tier, self.personal, self.bank) = (insurance, tier, personal, bank)
    }
}

/// The grid levels participation is counted by.
public enum GridLevel: String, Sendable, Hashable, CaseIterable {
    case district, street, community
}

/// One grid unit's residents for one insurance: enrolled, and paid for the year (by debit, elsewhere,
/// or wholly by public funds).
public struct ParticipationCount: Sendable, Hashable {
    public var district: String
    public var street: String
    public var community: String
    public var insurance: Insurance
    public var enrolled = 0
    public var paid = 0
    public init(district: String, street: String, community: String, insurance: Insurance) {
        (self.district, self.street, self.community, self.insurance) = (district, street, community, insurance)
    }
}
