public import BankFormats
import Foundation
public import PikouCore
import ReconStore

/// A grid unit's participation target for one insurance (`residents-<year>-targets.csv`): how many
/// residents the household register counts as eligible, and the share that should pay.
public struct ParticipationTarget: Sendable, Hashable {
    public var district: String
    public var street: String
    public var community: String
    public var insurance: Insurance
    public var eligible: Int?
    /// Per mille (98 % is 980).
    public var targetPermille: Int?

    /// The grid level the row names: a community, a street (community empty), a district (both empty).
    public var level: GridLevel { !community.isEmpty ? .community : !street.isEmpty ? .street : .district }

    public static let columns = ["district", "street", "community", "insurance", "eligible", "target_percent"]

    /// Reads a targets file: every row checked, errors naming the file, line and field.
    ///
    /// - Throws: ``DiagnosticError`` with every bad row's reason (a targets file is small: it is
    ///   taken whole or not at all).
    public static func load(path: String) throws -> [ParticipationTarget] {
        let text = try CSVInput.read(path, encoding: .auto)
        let table: CSVTable
        do { table = try CSVTable(text: text, fileName: path, requiring: columns, describing: Message(zh: "参与率目标文件", en: "a participation targets file")) } catch {
            throw DiagnosticError(error.diagnostic)
        }
        var targets: [ParticipationTarget] = []
        var problems: [Diagnostic] = []
        for row in table.rows {
            func bad(_ field: String, _ text: Message) { problems.append(Diagnostic(.error, .rosterInvalid, file: path, line: row.line, field: field, text)) }
            func bad(_ field: String, _ text: String) { bad(field, Message(zh: text, en: text)) }
            guard let value = table.values(of: row) else { bad("*", table.fieldCountMessage(row)); continue }
            guard let insurance = Insurance(value("insurance")) else { bad("insurance", "'\(value("insurance"))' is not pension or medical"); continue }
            var target = ParticipationTarget(district: value("district"), street: value("street"), community: value("community"), insurance: insurance)
            if target.district.isEmpty { bad("district", "the district is empty: every row names its district") }
            if target.street.isEmpty && !target.community.isEmpty { bad("street", "a community row names its street") }
            if !value("eligible").isEmpty {
                if let count = Int(value("eligible")), count > 0 { target.eligible = count } else { bad("eligible", "'\(value("eligible"))' is not a count of residents above 0") }
            }
            let percent = value("target_percent").replacingOccurrences(of: "%", with: "")
            if !percent.isEmpty {
                // Up to one decimal: 98 or 98.5.
                let parts = percent.split(separator: ".", omittingEmptySubsequences: false)
                if parts.count <= 2, let whole = Int(parts[0]), parts.count == 1 || (parts[1].count == 1 && Int(parts[1]) != nil),
                   case let permille = whole * 10 + (parts.count == 2 ? Int(parts[1])! : 0), (1...1000).contains(permille) {
                    target.targetPermille = permille
                } else {
                    bad("target_percent", "'\(value("target_percent"))' is not a percentage from 0.1 to 100 with at most one decimal")
                }
            }
            targets.append(target)
        }
        if let first = problems.first {
            throw DiagnosticError(Diagnostic(first.severity, first.code, file: path, line: first.line, field: first.field,
                                             problems.map { "line \($0.line ?? 0) \($0.field ?? ""): \($0.message)" }.joined(separator: "; ")))
        }
        return targets
    }
}

/// One grid unit's participation for one insurance, against its target.
public struct ParticipationRow: Sendable, Hashable {
    public var unit: String
    public var insurance: Insurance
    /// From the targets file (nil: not given for this unit or below it).
    public var eligible: Int?
    public var enrolled: Int
    public var paid: Int
    /// Paid per mille of eligible, rounded half up as every rate (``Percentage``; nil without an eligible count).
    public var ratePermille: Int?
    public var targetPermille: Int?

    /// Below target (false without a target or a rate), on the exact figures: 94.96 % shows as 95.0 %
    /// but is below a 95.0 % target.
    public var belowTarget: Bool {
        guard let eligible, eligible > 0, let targetPermille else { return false }
        return paid * 1000 < targetPermille * eligible
    }
}

/// Participation by grid: the store's counts per community, summed up to the level asked, beside the
/// targets file's eligible counts and targets (a unit's own row, else the sum of the rows below it for
/// eligible, the nearest row above it for the target). Ordered by rate, lowest first, so a county
/// sees which towns lag.
public enum ResidentsParticipation {
    public static func rows(_ counts: [ParticipationCount], targets: [ParticipationTarget], level: GridLevel) -> [ParticipationRow] {
        func key(_ district: String, _ street: String, _ community: String, at level: GridLevel) -> [String] {
            switch level {
            case .district: [district]
            case .street: [district, street]
            case .community: [district, street, community]
            }
        }
        struct Sum { var enrolled = 0, paid = 0 }
        var sums: [Insurance: [[String]: Sum]] = [:]
        for count in counts {
            let unit = key(count.district, count.street, count.community, at: level)
            sums[count.insurance, default: [:]][unit, default: Sum()].enrolled += count.enrolled
            sums[count.insurance, default: [:]][unit, default: Sum()].paid += count.paid
        }
        let depth = [GridLevel.district: 1, .street: 2, .community: 3]
        var rows: [ParticipationRow] = []
        for insurance in Insurance.allCases {
            let mine = targets.filter { $0.insurance == insurance }
            var units = Set(sums[insurance, default: [:]].keys)
            for target in mine where depth[target.level]! >= depth[level]! { units.insert(key(target.district, target.street, target.community, at: level)) }
            guard !units.isEmpty else { continue }
            for unit in units {
                let full = { (t: ParticipationTarget) in [t.district, t.street, t.community].prefix(depth[t.level]!).map { $0 } }
                // Eligible: the unit's own row, else the finest rows below it.
                let own = mine.first { full($0) == unit }
                var eligible = own?.eligible
                if eligible == nil {
                    let below = mine.filter { full($0).count > unit.count && Array(full($0).prefix(unit.count)) == unit && $0.eligible != nil }
                    if let finest = below.map({ full($0).count }).max() {
                        eligible = below.filter { full($0).count == finest }.reduce(0) { $0 + ($1.eligible ?? 0) }
                    }
                }
                // Target: the unit's own row, else the nearest above it.
                let target = own?.targetPermille ?? mine.filter { full($0).count < unit.count && Array(unit.prefix(full($0).count)) == full($0) && $0.targetPermille != nil }
                    .max { full($0).count < full($1).count }?.targetPermille
                let sum = sums[insurance]?[unit] ?? Sum()
                rows.append(ParticipationRow(
                    unit: unit.joined(separator: " "), insurance: insurance, eligible: eligible, enrolled: sum.enrolled, paid: sum.paid,
                    ratePermille: eligible.flatMap { Percentage.permille(Int64(sum.paid), of: Int64($0)).map(Int.init) }, targetPermille: target))
            }
        }
        return rows.sorted { a, b in
            a.insurance != b.insurance ? a.insurance == .pension : (a.ratePermille ?? .max, a.unit) < (b.ratePermille ?? .max, b.unit)
        }
    }

    /// A per-mille figure as a percentage with one decimal: 973 → "97.3%".
    public static func percent(_ permille: Int?) -> String {
        guard let permille else { return "—" }
        return Percentage.text(permille: Int64(permille)) + "%"
    }
}

/// The residents' finance view of one cover year.
public struct ResidentsReport: Sendable {
    public var year: Int
    public var grouping: ResidentsGrouping
    public var rows: [ResidentsReportRow]
    /// The rounds' files with their totals.
    public var files: [FileStatus]
    public var publicFunds: [PublicFundsRow]
    /// 钱表相符 on the personal part (``MoneyCheck/residents(files:collected:)``).
    public var check: MoneyCheck
    public var participation: [ParticipationRow]
    /// The name of each insurance's own public part, as the year's notice says it (档次补贴, 财政补助).
    public var publicPartLabels: [Insurance: Message] = [.pension: Catalogue.tierSubsidy, .medical: Catalogue.medicalPublicPart]

    /// A public-funds row's rule as people read it: the group or age rule, or the insurance's own public part.
    public func ruleLabel(_ row: PublicFundsRow) -> Message {
        row.rule.isEmpty ? publicPartLabels[row.insurance] ?? Catalogue.tierSubsidy : Message(zh: row.rule, en: row.rule)
    }

    /// The rows summed per insurance (every amount checked).
    public func total(_ insurance: Insurance) throws -> ResidentsReportRow {
        var total = ResidentsReportRow(group: Catalogue.total.text, insurance: insurance)
        func add(_ a: Int64, _ b: Int64) throws -> Int64 { try Money(fen: a).adding(Money(fen: b)).fen }
        for row in rows where row.insurance == insurance {
            total.dues += row.dues
            total.standardFen = try add(total.standardFen, row.standardFen)
            total.personalFen = try add(total.personalFen, row.personalFen)
            total.debitedFen = try add(total.debitedFen, row.debitedFen)
            total.elsewhereFen = try add(total.elsewhereFen, row.elsewhereFen)
            total.subsidyFen = try add(total.subsidyFen, row.subsidyFen)
            total.governmentFen = try add(total.governmentFen, row.governmentFen)
        }
        return total
    }
}

extension UseCases {
    /// The residents' finance view of cover year `year` grouped `by`, with the public funds' list,
    /// 钱表相符 on the personal part, and participation by grid when `by` is a grid level (`targets`:
    /// the targets file, default `policy/residents-<year>-targets.csv` beside the policy, when there).
    public func residentsReport(year: Int, by grouping: ResidentsGrouping, targets path: String?) async throws -> ResidentsReport {
        let rows = try await store.residentsReport(year: year, by: grouping)
        let byFile = grouping == .file ? rows : try await store.residentsReport(year: year, by: .file)
        let files = try await store.residentsFiles(year: year)
        var participation: [ParticipationRow] = []
        if let level = GridLevel(rawValue: grouping.rawValue) {
            participation = ResidentsParticipation.rows(try await store.participation(year: year), targets: try participationTargets(year: year, path: path), level: level)
        }
        var report = ResidentsReport(year: year, grouping: grouping, rows: rows, files: files, publicFunds: try await store.publicFunds(year: year),
                                     check: MoneyCheck.residents(files: files, collected: byFile), participation: participation)
        if let policy = try? residentsPolicy(year: year) {
            report.publicPartLabels = [.pension: policy.label(.tierSubsidy), .medical: policy.label(.medicalPublic)]
        }
        return report
    }

    /// The year's participation targets: `path`, else the workspace's `residents-<year>-targets.csv`,
    /// else the policy folder's, if there is one (none: participation without eligible counts or targets).
    public func participationTargets(year: Int, path: String?) throws -> [ParticipationTarget] {
        if let path { return try ParticipationTarget.load(path: path) }
        for standard in [workspace.directory + "/residents-\(year)-targets.csv", workspace.formatsDirectory + "/policy/residents-\(year)-targets.csv"]
        where FileManager.default.fileExists(atPath: standard) {
            return try ParticipationTarget.load(path: standard)
        }
        return []
    }

    /// A person's residents' dues, with the explanation of each one's rule under its year's policy
    /// (nil where the year has no policy file).
    public func residentDues(_ idNumber: IDNumber) async throws -> [(due: ResidentDueRecord, explanation: Message?)] {
        let dues = try await store.residentDues(idNumber: idNumber)
        guard !dues.isEmpty else { return [] }
        let memberships = try await store.memberships(idNumber: idNumber).map(GroupMembership.init)
        let household = try await store.household(idNumber: idNumber)
        let person = ResidentsPricing.Person(idNumber: idNumber, memberships: memberships, relation: household.relation, relatives: household.relatives)
        var policies: [Int: ResidentsPolicy] = [:]
        return dues.map { due in
            if policies[due.year] == nil { policies[due.year] = try? residentsPolicy(year: due.year) }
            guard let policy = policies[due.year] else { return (due, nil) }
            let priced: ResidentDue? = switch due.insurance {
            case .pension: due.parts.tier.flatMap { try? ResidentsPricing.pension(person, tier: $0, policy: policy) }
            case .medical: ResidentsPricing.medical(person, joined: due.parts.coverFrom > policy.referenceDate ? due.parts.coverFrom.adding(days: -policy.waitingDays) : policy.windowFrom, policy: policy)
            }
            return (due, priced?.explanation)
        }
    }

    /// Runs a round of the residents' collection (see ``Cycle/runRound(policy:round:bank:dryRun:fileDate:actor:progress:)``).
    public func runRound(year: Int?, round: Int?, bank: String?, dryRun: Bool, fileDate: CivilDate, specs: [String: BankSpec], calendar: BankCalendar,
                         actor: String, progress: (WorkProgress) -> Void = { _ in }) async throws -> RoundReport {
        let policy = try residentsPolicy(year: year)
        return try await cycle(specs: specs, calendar: calendar).runRound(policy: policy, round: round, bank: bank, dryRun: dryRun, fileDate: fileDate,
                                                                          actor: actor, progress: progress)
    }
}

extension ResidentsReportRow {
    /// The personal parts still owed: owed less collected by debit and elsewhere, checked.
    public func unpaid() throws -> Money {
        try Money(fen: personalFen).subtracting(Money(fen: debitedFen)).subtracting(Money(fen: elsewhereFen))
    }
}

extension ResidentsReport {
    /// The finance view's table: per group and insurance, the dues' parts and how the personal parts were collected.
    public func financeTable() throws -> TextTable {
        var table = TextTable([
            .init(Catalogue.group.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.duesCount.text, .right),
            // On a narrow screen the standard and the public parts go first (the publicFunds table lists those).
            .init(Catalogue.standardPart.text, .right, drop: 1), .init(Catalogue.personalPart.text, .right), .init(Catalogue.collectedByDebit.text, .right),
            .init(Catalogue.collectedElsewhere.text, .right), .init(Catalogue.unpaidPart.text, .right), .init(Catalogue.subsidyPart.text, .right, drop: 3),
            .init(Catalogue.governmentPart.text, .right, drop: 2),
        ])
        func cells(_ row: ResidentsReportRow) throws -> [String] {
            let unpaid = try row.unpaid()
            return [row.group.isEmpty ? Catalogue.notDebited.text : row.group, Catalogue.insurance(row.insurance).text, String(row.dues)]
                + [row.standardFen, row.personalFen, row.debitedFen, row.elsewhereFen, unpaid.fen, row.subsidyFen, row.governmentFen].map { Money(fen: $0).groupedYuanText }
        }
        for row in rows { table.add(try cells(row)) }
        for insurance in Insurance.allCases where rows.contains(where: { $0.insurance == insurance }) { table.addFooter(try cells(try total(insurance))) }
        return table
    }

    /// The list public funds pay from, per department and rule.
    public func publicFundsTable() throws -> TextTable {
        var table = TextTable([
            .init(Catalogue.payingDepartment.text), .init(Catalogue.residentsRule.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.persons.text, .right),
            .init(Catalogue.subsidyPart.text, .right), .init(Catalogue.governmentPart.text, .right),
        ])
        var subsidy = Money.zero, government = Money.zero
        for row in publicFunds {
            table.add([row.department.isEmpty ? "财政" : row.department, ruleLabel(row).text,
                       Catalogue.insurance(row.insurance).text, String(row.persons),
                       Money(fen: row.subsidyFen).groupedYuanText, Money(fen: row.governmentFen).groupedYuanText])
            subsidy = try subsidy.adding(Money(fen: row.subsidyFen))
            government = try government.adding(Money(fen: row.governmentFen))
        }
        table.addFooter([Catalogue.total.text, "", "", "", subsidy.groupedYuanText, government.groupedYuanText])
        return table
    }

    /// Participation by grid against the targets, lowest rate first.
    public func participationTable() -> TextTable {
        var table = TextTable([
            .init(Catalogue.group.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.eligible.text, .right), .init(Catalogue.enrolled.text, .right),
            .init(Catalogue.paidPersons.text, .right), .init(Catalogue.participationRate.text, .right), .init(Catalogue.target.text, .right), .init(""),
        ])
        for row in participation {
            table.add([row.unit, Catalogue.insurance(row.insurance).text, row.eligible.map(String.init) ?? "—", String(row.enrolled), String(row.paid),
                       ResidentsParticipation.percent(row.ratePermille), ResidentsParticipation.percent(row.targetPermille), row.belowTarget ? "▼" : ""])
        }
        return table
    }

    /// The finance view, the public funds' list and participation as one CSV (UTF-8 with BOM, for Excel).
    public func csv() throws -> [UInt8] {
        var lines: [String] = []
        func add(_ table: TextTable, title: String) {
            lines.append(CSVCell.line([title]))
            lines.append(CSVCell.line(table.columns.map(\.title)))
            for row in table.rows + table.footer { lines.append(CSVCell.line(row)) }
            lines.append("")
        }
        add(try financeTable(), title: "\(Catalogue.residentsTitle.text) \(year)")
        add(try publicFundsTable(), title: Catalogue.publicFundsTitle.text)
        if !participation.isEmpty {
            add(participationTable(), title: Catalogue.participationTitle.text)
            lines.append(CSVCell.line([Catalogue.rateRule.text]))
        }
        return [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\r\n").utf8)
    }
}
