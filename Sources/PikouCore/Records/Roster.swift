// The roster and payments as imported: what the store upserts.

/// One row of the roster: a payer, their agreement with a bank, and one enrollment.
public struct RosterRecord: Sendable, Hashable {
    /// The CSV line, for messages.
    public var line: Int
    public var idNumber: IDNumber
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    public var insurance: Insurance
    public var tier: String
    public var startPeriod: Period
    public var endPeriod: Period?
    public var suspended: Bool
    public var bank: String
    public var account: BankAccount
    public var accountName: String
    public var agreementNo: String
    public var agreementActive: Bool
    /// How the enrollment is collected.
    public var scheme: Scheme
    /// When a resident joined (residents' scheme; nil: inside the collection window).
    public var joined: CivilDate?
    /// The household the payer belongs to (户号, as the roster gives it; "" in none; nil when the roster
    /// has no such column, which leaves the links stored as they are), and how the payer stands to its
    /// head (``Household/Relation``): what a group rule for both spouses or a whole household reads.
    public var household: String? = nil
    public var relation: Household.Relation? = nil

    public init(
        line: Int, idNumber: IDNumber, name: String, phone: String, district: String, street: String, community: String,
        insurance: Insurance, tier: String, startPeriod: Period, endPeriod: Period?, suspended: Bool, bank: String,
        account: BankAccount, accountName: String, agreementNo: String, agreementActive: Bool, scheme: Scheme = .flexibleMonthly, joined: CivilDate? = nil
    ) {
        self.scheme = scheme
        self.joined = joined
        self.line = line
        self.idNumber = idNumber
        self.name = name
        self.phone = phone
        self.district = district
        self.street = street
        self.community = community
        self.insurance = insurance
        self.tier = tier
        self.startPeriod = startPeriod
        self.endPeriod = endPeriod
        self.suspended = suspended
        self.bank = bank
        self.account = account
        self.accountName = accountName
        self.agreementNo = agreementNo
        self.agreementActive = agreementActive
    }
}

/// What a roster import changed.
public struct RosterImportCounts: Sendable, Hashable {
    public var payersInserted = 0
    public var payersUpdated = 0
    public var agreementsInserted = 0
    public var agreementsUpdated = 0
    public var enrollmentsInserted = 0
    public var enrollmentsUpdated = 0
    public var householdsInserted = 0
    public var householdsUpdated = 0
    /// Household numbers the store now links to more than ``Household/maxSize`` payers (no household: they link nobody).
    public var oversizedHouseholds = 0
    public var unchanged = 0
    public init() {}

    /// Whether anything changed.
    public var changedAnything: Bool {
        payersInserted + payersUpdated + agreementsInserted + agreementsUpdated + enrollmentsInserted + enrollmentsUpdated + householdsInserted + householdsUpdated > 0
    }
}

/// A contribution already paid through another channel (app, counter, e-tax).
public struct PaymentRecord: Sendable, Hashable {
    public var line: Int
    public var idNumber: IDNumber
    public var insurance: Insurance
    public var period: Period
    public var amount: Money
    public var channel: String
    public var reference: String

    public init(line: Int, idNumber: IDNumber, insurance: Insurance, period: Period, amount: Money, channel: String, reference: String) {
        self.line = line
        self.idNumber = idNumber
        self.insurance = insurance
        self.period = period
        self.amount = amount
        self.channel = channel
        self.reference = reference
    }
}

/// What a payments import did.
/// What the store holds of a payer that every roster row of the payer must repeat: a roster's
/// import compares a row with it when the payer's first row is several chunks back (written).
public struct StoredPayerDetails: Sendable, Hashable {
    public var name: String
    public var phone: String
    public var district: String
    public var street: String
    public var community: String
    /// The payer's household link (户号), nil when there is none; `relation` its relation's word.
    public var householdNumber: String?
    public var relation: String

    public init(name: String, phone: String, district: String, street: String, community: String, householdNumber: String?, relation: String) {
        self.name = name
        self.phone = phone
        self.district = district
        self.street = street
        self.community = community
        self.householdNumber = householdNumber
        self.relation = relation
    }
}

public struct PaymentImportCounts: Sendable {
    public var inserted = 0
    public var alreadyKnown = 0
    /// Lines whose payer is not in the roster (line numbers).
    public var unknownPayers: [Int] = []
    /// Lines paying more than the due the store holds for that payer, insurance and month (line
    /// numbers, with the due): not recorded — a wrong unit or a wrong row, never a partial refund.
    public var aboveDue: [(line: Int, due: Money)] = []
    public init() {}
}

/// One person's membership of a special group, as a department's list gives it (residents' scheme).
public struct GroupMembershipRecord: Sendable, Hashable {
    public var idNumber: IDNumber
    public var group: String
    /// The department whose list it comes from (民政局, 残联, ...).
    public var department: String
    public var validFrom: CivilDate
    public var validTo: CivilDate?
    /// The list's line, for messages.
    public var line: Int

    public init(idNumber: IDNumber, group: String, department: String, validFrom: CivilDate, validTo: CivilDate?, line: Int = 0) {
        (self.idNumber, self.group, self.department, self.validFrom, self.validTo, self.line) = (idNumber, group, department, validFrom, validTo, line)
    }
}

/// What importing a group list did.
public struct GroupImportCounts: Sendable, Hashable {
    /// Memberships new to the store.
    public var added = 0
    /// Memberships the store had already (the same person, group and dates).
    public var unchanged = 0
    public init() {}
}
