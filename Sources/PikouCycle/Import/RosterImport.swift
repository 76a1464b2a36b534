public import BankFormats
public import PikouCore
import Foundation
import ReconStore

/// Reads a roster CSV, checks every row, and imports the good ones.
///
/// Columns (header required, any order): id_number, name, phone, district, street, community,
/// insurance (pension|medical), tier, start_period, end_period (may be empty), status
/// (active|suspended), bank, account, account_name, agreement_no, agreement_status (active|revoked);
/// optional: scheme, joined, household (户号) and relation (与户主关系: 户主, 配偶, 子女, ...).
public enum RosterImport {
    public static let columns = [
        "id_number", "name", "phone", "district", "street", "community", "insurance", "tier", "start_period", "end_period",
        "status", "bank", "account", "account_name", "agreement_no", "agreement_status",
    ]

    /// The outcome of checking a roster file.
    public struct Checked: Sendable {
        public var records: [RosterRecord]
        public var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])]
        public var warnings: [Diagnostic]
        public var columns: [String]
        /// Records whose payer's first row is two chunks back or more: what they must repeat of it is
        /// compared with the store (``RosterImport/compare(_:with:fileName:hasHouseholds:)``) before they are written.
        public var deferred: [Deferred] = []

        /// A record to compare with its payer's stored details.
        public struct Deferred: Sendable {
            public var record: Int
            public var row: CSVTable.Row
            public var firstLine: Int
        }
    }

    /// Checks every row of a roster CSV's text (the whole file at once).
    ///
    /// - Parameters:
    ///   - banks: The bank codes that may be named (enabled in the workspace, with a spec).
    ///   - policy: Gives the known tiers.
    /// - Returns: good records, rejected rows with each reason (line and field), and warnings.
    public static func check(text: String, fileName: String, banks: Set<String>, policy: Policy) -> Result<Checked, DiagnosticError> {
        var checker = Checker(fileName: fileName, banks: banks, policy: policy)
        return checker.check(text: text, firstLine: 1)
    }

    /// Checks a roster chunk by chunk, remembering across chunks what duplicates need: every payer
    /// named so far, with a flag per insurance and its first line (``SeenPayers``, 12 bytes a payer),
    /// and for the payers of the last two chunks hashes of the details their other rows must repeat.
    /// A row whose payer came earlier still is compared with what the store holds of the payer
    /// (``Checked/deferred``): the payer's first row is written by then.
    public struct Checker {
        let fileName: String
        let banks: Set<String>
        let policy: Policy
        /// The enabled banks' specs: text a debit file carries must fit the payer's bank's files.
        let specs: [String: BankSpec]
        private struct Seen {
            /// Hashes of the payer's name, phone and address as first seen, to name what differs.
            var details: (name: Int32, phone: Int32, address: Int32, household: Int32)
            var pensionLine: Int32 = 0
            var medicalLine: Int32 = 0
        }
        /// Every payer named so far.
        private var seen = SeenPayers()
        /// The details of payers first named in this chunk and the one before (not yet written, or
        /// being written while this one is checked).
        private var recent: [UInt64: Seen] = [:]
        private var previous: [UInt64: Seen] = [:]
        /// Payers per household number so far: a number shared by more than ``maxHouseholdSize`` is a
        /// column filled wrongly (a village's code copied down), not a household.
        private var householdSizes: [String: Int] = [:]
        public static let maxHouseholdSize = Household.maxSize

        /// The residents' policy that rows of scheme residents-annual are priced under (nil: none in the workspace).
        let residents: ResidentsPolicy?
        /// Why there is none (a policy file that does not read), for the rows that need one.
        let residentsProblem: String?

        public init(fileName: String, banks: Set<String>, policy: Policy, specs: [String: BankSpec] = [:], residents: ResidentsPolicy? = nil, residentsProblem: String? = nil) {
            self.residents = residents
            self.residentsProblem = residentsProblem
            self.fileName = fileName
            self.banks = banks
            self.policy = policy
            self.specs = specs
        }

        /// Why a residents' row's tier is wrong (nil: it is right; a medical row's empty tier becomes `standard`).
        static func residentsTierProblem(
            insurance: Insurance?, tier: inout String, residents: ResidentsPolicy?, unreadable: String? = nil
        ) -> Message? {
            guard let residents else {
                return unreadable.map { Message(zh: "城乡居民缴费政策读不出：\($0)", en: "the residents' policy does not read: \($0)") }
                    ?? Message(zh: "没有城乡居民缴费政策（Formats/policy/residents-<年份>.yaml），无法为 'residents-annual' 的行定价",
                               en: "no residents' policy (Formats/policy/residents-<year>.yaml) to price a residents-annual row under")
            }
            switch insurance {
            case .pension:
                let tiers = residents.pensionTiers.map(\.yuanText)
                guard let amount = try? Money(yuan: tier), residents.pensionTiers.contains(amount) else {
                    let year = residents.year
                    return Message(
                        zh: "\(year) 年城乡居民政策中没有养老保险档次 '\(tier)'；可选档次（元/年）：\(tiers.joined(separator: "、"))",
                        en: "unknown residents' pension tier '\(tier)' in the \(year) policy; tiers (yuan a year): \(tiers.joined(separator: ", "))")
                }
                tier = amount.yuanText
            case .medical:
                if tier.isEmpty { tier = "standard" }
                guard tier == "standard" else {
                    return Message(zh: "城乡居民医疗保险只有一个标准：'tier' 列请留空或写 'standard'",
                                   en: "a residents' medical row has one standard: leave tier empty or write standard")
                }
            case nil: break
            }
            return nil
        }

        /// Makes room for `payers` payers at once (the use case's estimate from the first chunk), so
        /// that the table does not grow (and hold two copies) on the way.
        public mutating func expect(payers: Int) { seen.reserve(payers: payers) }

        /// Checks one chunk: `text` starts with the header line, which is line `firstLine` of the file.
        public mutating func check(text: String, firstLine: Int) -> Result<Checked, DiagnosticError> {
            let fileName = self.fileName
            let table: CSVTable
            do {
                table = try CSVTable(text: text, fileName: fileName, requiring: RosterImport.columns, describing: Message(zh: "名册", en: "a roster"),
                                     firstLine: firstLine)
            } catch {
                return .failure(DiagnosticError(error.diagnostic))
            }
            var checked = Checked(records: [], rejects: [], warnings: [], columns: table.columns)
            previous = recent
            recent = [:]
            for row in table.rows {
                var diagnostics: [Diagnostic] = []
                func bad(_ field: String, _ message: Message) {
                    diagnostics.append(Diagnostic(.error, .rosterInvalid, file: fileName, line: row.line, field: field, message))
                }
                guard let value = table.values(of: row) else {
                    bad("*", table.fieldCountMessage(row))
                    checked.rejects.append((row, diagnostics))
                    continue
                }
                let idText = value("id_number").uppercased()
                var idNumber: IDNumber?
                do { idNumber = try IDNumber(idText) } catch { bad("id_number", RosterImport.idNumberProblem(idText, error)) }
                let name = value("name")
                if name.isEmpty { bad("name", Message(zh: "缴费人姓名为空", en: "the payer's name is empty")) }
                // Text a person reads and a bank's file carries: no control or direction-changing
                // characters, a length a name or an address can have, and a warning for what an
                // encoding lost on the way.
                for (column, limit) in [("name", 50), ("account_name", 50), ("district", 60), ("street", 60), ("community", 60), ("agreement_no", 60)] {
                    let text = value(column)
                    let shown = column.hasSuffix("name") ? Masking.name(text) : Masking.text(text)
                    // An address cell may break its line (Alt+Enter in Excel); a name may not.
                    let lineBreaksAllowed = ["district", "street", "community"].contains(column)
                    if let odd = text.unicodeScalars.first(where: { RosterImport.isInvisible($0) && !(lineBreaksAllowed && ($0 == "\n" || $0 == "\r" || $0 == "\t")) }) {
                        let code = "U+" + String(odd.value, radix: 16, uppercase: true)
                        bad(column, Message(zh: "\(shown) 含有不可见字符 \(code)（控制符或文字方向标记），请重新输入",
                                            en: "\(shown) holds the invisible character \(code) (a control or text-direction mark); retype it"))
                    } else if text.count > limit {
                        bad(column, Message(zh: "有 \(text.count) 个字符，此处最多 \(limit) 个",
                                            en: "is \(text.count) characters long; at most \(limit) are expected here"))
                    } else if column.hasSuffix("name"), text.contains("?") || text.contains("\u{FFFD}") {
                        checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: column, Message(
                            zh: "\(shown) 含有 '?' 或 '\u{FFFD}'：文件的编码装不下的字符已经丢失（请把名册另存为 UTF-8 或 GB18030）",
                            en: "\(shown) holds '?' or '\u{FFFD}': a character the file's encoding could not carry was lost "
                                + "(save the roster as UTF-8 or GB18030)")))
                    }
                }
                let phone = value("phone")
                if !phone.isEmpty && !(phone.count >= 7 && phone.count <= 15 && phone.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") }) {
                    bad("phone", Message(zh: "'\(Masking.text(phone))' 不是电话号码", en: "'\(Masking.text(phone))' is not a phone number"))
                }
                for (column, shown) in [("district", "所在区"), ("street", "街道"), ("community", "社区")] where value(column).isEmpty {
                    bad(column, Message(zh: "\(shown)为空", en: "\(column) is empty"))
                }
                let insuranceText = value("insurance")
                let insurance = Insurance(insuranceText)
                var tier = value("tier")
                // The scheme (optional column): the monthly one unless the row says residents-annual.
                let schemeText = value("scheme")
                let scheme = schemeText.isEmpty ? Scheme.flexibleMonthly : Scheme(rawValue: schemeText)
                var joined: CivilDate?
                if !value("joined").isEmpty {
                    joined = CivilDate(iso: value("joined"))
                    if joined == nil {
                        bad("joined", Message(zh: "'\(value("joined"))' 不是日期（应写作年-月-日，如 2026-01-31）",
                                              en: "'\(value("joined"))' is not a date YYYY-MM-DD"))
                    }
                }
                // The household (optional columns): its number and how the payer stands to its head. A
                // roster without the column says nothing of households (nil): the links stored stay.
                let householdGiven: String? = table.columns.contains("household") ? value("household") : nil
                let household = householdGiven ?? ""
                let relationText = value("relation")
                var relation = Household.Relation(roster: relationText)
                if household.count > 40 {
                    bad("household", Message(zh: "户号有 \(household.count) 个字符，最多 40 个", en: "the household number is \(household.count) characters long; at most 40"))
                } else if let odd = household.unicodeScalars.first(where: RosterImport.isInvisible) {
                    bad("household", Message(zh: "户号 '\(Masking.text(household))' 含有不可见字符 U+\(String(odd.value, radix: 16, uppercase: true))，请重新输入",
                                             en: "household '\(Masking.text(household))' holds the invisible character U+\(String(odd.value, radix: 16, uppercase: true)); retype it"))
                } else if RosterImport.isScientific(household) {
                    bad("household", Message(zh: "户号 '\(household)' 是科学计数法：Excel 把长数字改写了（末几位已丢失）；请把户号列设为“文本”后重新导出",
                                             en: "household '\(household)' is in scientific notation: Excel rewrote a long number (its last digits are lost); format the column as text and export again"))
                }
                if !relationText.isEmpty && relation == nil {
                    // An unknown word does not keep the person from being debited: the link stands as 其他.
                    let known = Household.Relation.allCases.map(\.rawValue)
                    checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: "relation", Message(
                        zh: "与户主关系 '\(Masking.text(relationText))' 不认识，按“其他”记录（只有户主与配偶才按夫妻认定）；可写：\(known.joined(separator: "、"))，或户口簿的写法（妻、长子、母亲……）",
                        en: "relation '\(Masking.text(relationText))' is not known: recorded as 其他 (other; only 户主 and 配偶 are spouses); write one of \(known.joined(separator: ", ")) or a 户口簿 word (妻, 长子, 母亲, ...)")))
                    relation = .other
                }
                if relation != nil && household.isEmpty {
                    bad("household", Message(zh: "写了与户主关系（\(Masking.text(relationText))）却没有户号：请填写户号，或把两列都留空",
                                             en: "a relation (\(Masking.text(relationText))) without a household number: fill in household, or leave both empty"))
                }
                if scheme == nil {
                    let schemes = Scheme.allCases.map { "'\($0.rawValue)'（\($0 == .flexibleMonthly ? "灵活就业人员按月缴费" : "城乡居民按年缴费")）" }
                    bad("scheme", Message(zh: "'\(schemeText)' 不是 \(schemes.joined(separator: "或 "))",
                                          en: "'\(schemeText)' is not \(Scheme.allCases.map(\.rawValue).joined(separator: " or "))"))
                } else if scheme == .residentsAnnual {
                    if let problem = Self.residentsTierProblem(insurance: insurance, tier: &tier, residents: residents, unreadable: residentsProblem) { bad("tier", problem) }
                } else if let insurance, policy.amount(insurance: insurance, tier: tier) == nil {
                    let known = policy.insurances[insurance]?.tiers.keys.sorted() ?? []
                    let knownZh = known.map { "'\($0)'" }.joined(separator: "、")
                    bad("tier", Message(
                        zh: "\(policy.year) 年政策中没有\(Catalogue.insurance(insurance).zh)档次 '\(tier)'；已有档次：\(knownZh)",
                        en: "unknown \(insurance) tier '\(tier)' in the \(policy.year) policy; known: \(known.joined(separator: ", "))"))
                }
                if insurance == nil { bad("insurance", RosterImport.notAnInsurance(insuranceText)) }
                var start: Period?
                do { start = try Period(value("start_period")) } catch { bad("start_period", error.message) }
                var end: Period?
                if !value("end_period").isEmpty {
                    do { end = try Period(value("end_period")) } catch { bad("end_period", error.message) }
                    if let start, let end, end < start {
                        bad("end_period", Message(zh: "终止期 \(end) 早于起始期 \(start)", en: "ends \(end) before it starts \(start)"))
                    }
                }
                let status = value("status")
                if !["active", "suspended"].contains(status) {
                    bad("status", Message(zh: "'\(status)' 不是 'active'（正常）或 'suspended'（暂停）", en: "'\(status)' is not active or suspended"))
                }
                let bank = value("bank").uppercased()
                if !banks.contains(bank) {
                    bad("bank", Message(zh: "未知银行 '\(bank)'；已启用的银行：\(banks.sorted().joined(separator: "、"))",
                                        en: "unknown bank '\(bank)'; enabled banks: \(banks.sorted().joined(separator: ", "))"))
                }
                let accountText = value("account")
                var account: BankAccount?
                do {
                    account = try BankAccount(accountText)
                    if let warning = account?.luhnWarningMessage {
                        checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: "account", warning))
                    }
                } catch {
                    bad("account", error.message)
                }
                let accountName = value("account_name")
                if accountName.isEmpty { bad("account_name", Message(zh: "户名为空", en: "the account holder's name is empty")) }
                if !accountName.isEmpty && !name.isEmpty && accountName != name {
                    let (holder, payerName) = (Masking.name(accountName), Masking.name(name))
                    checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: "account_name", Message(
                        zh: "户名 \(holder) 与缴费人姓名 \(payerName) 不一致，银行可能拒绝扣款",
                        en: "account name \(holder) differs from the payer's name \(payerName); the bank may refuse it")))
                }
                let agreementNo = value("agreement_no")
                if agreementNo.isEmpty { bad("agreement_no", Message(zh: "协议号为空", en: "the agreement number is empty")) }
                // What reaches the bank's file must fit it: one bad name would block the bank's whole file.
                if let spec = specs[bank] {
                    func carry(_ field: String, _ text: String, shown: @autoclosure () -> String) {
                        if let problem = spec.cannotCarry(text) {
                            bad(field, Message(zh: "\(shown()) \(RosterImport.cannotCarryZh(problem, bank: bank))；请在名册中改正",
                                               en: "\(shown()) \(problem); correct it in the roster"))
                        }
                    }
                    carry("account_name", accountName, shown: Masking.name(accountName))
                    carry("agreement_no", agreementNo, shown: "'\(agreementNo)'")
                    carry("name", name, shown: Masking.name(name))
                }
                let agreementStatus = value("agreement_status")
                if !["active", "revoked"].contains(agreementStatus) {
                    bad("agreement_status", Message(zh: "'\(agreementStatus)' 不是 'active'（有效）或 'revoked'（已撤销）",
                                                    en: "'\(agreementStatus)' is not active or revoked"))
                }
                // Only a valid ID is looked up; a row with any error is rejected anyway.
                let payer = diagnostics.isEmpty ? SeenPayers.digits(idText) : 0
                let known = diagnostics.isEmpty ? seen.entry(payer) : nil
                let medical = insurance == .medical
                let details = (name: Int32(truncatingIfNeeded: name.hashValue), phone: Int32(truncatingIfNeeded: phone.hashValue),
                               address: Int32(truncatingIfNeeded: [value("district"), value("street"), value("community")].hashValue),
                               household: Int32(truncatingIfNeeded: [household, relation?.rawValue ?? ""].hashValue))
                var deferredFirstLine: Int?
                if let known, let first = recent[payer] ?? previous[payer] {
                    let firstOfInsurance = medical ? first.medicalLine : first.pensionLine
                    if firstOfInsurance != 0 {
                        let shown = insurance.map { Catalogue.insurance($0).zh } ?? "'\(insuranceText)'"
                        bad("insurance", Message(zh: "该缴费人的\(shown)已在第 \(firstOfInsurance) 行",
                                                 en: "\(insuranceText) for this payer is already on line \(firstOfInsurance)"))
                    }
                    for (field, differs) in [("name", first.details.name != details.name), ("phone", first.details.phone != details.phone),
                                             ("district", first.details.address != details.address),
                                             ("household", first.details.household != details.household)] where differs {
                        bad(field, RosterImport.differs(field, firstLine: known.firstLine))
                    }
                } else if let known {
                    // First named two chunks back or more: its insurances are in the table, its details in the store.
                    if let insurance, known.has(insurance) {
                        let shown = Catalogue.insurance(insurance).zh
                        if known.firstInsurance == insurance {
                            bad("insurance", Message(zh: "该缴费人的\(shown)已在第 \(known.firstLine) 行",
                                                     en: "\(insuranceText) for this payer is already on line \(known.firstLine)"))
                        } else {
                            bad("insurance", Message(zh: "该缴费人的\(shown)在本文件前面已有一行（该缴费人首见于第 \(known.firstLine) 行）",
                                                     en: "\(insuranceText) for this payer is already earlier in the file (the payer is first on line \(known.firstLine))"))
                        }
                    }
                    deferredFirstLine = known.firstLine
                }
                let newPayer = diagnostics.isEmpty && known == nil
                if newPayer, !household.isEmpty, householdSizes[household, default: 0] >= Self.maxHouseholdSize {
                    bad("household", Message(zh: "户号 '\(Masking.text(household))' 已有 \(Self.maxHouseholdSize) 人：一户不会有这么多人，请检查户号列是否填错（如把村代码当作户号）",
                                             en: "household '\(Masking.text(household))' has \(Self.maxHouseholdSize) members already: no household is that large; check the household column (a village's code copied down?)"))
                }
                guard diagnostics.isEmpty, let start, let idNumber, let insurance, let account, let scheme else {
                    checked.rejects.append((row, diagnostics))
                    continue
                }
                let line = Int32(clamping: row.line)
                if newPayer, !household.isEmpty { householdSizes[household, default: 0] += 1 }
                seen.add(payer, insurance: insurance, line: row.line)
                if newPayer || recent[payer] != nil {
                    if medical { recent[payer, default: Seen(details: details)].medicalLine = line } else { recent[payer, default: Seen(details: details)].pensionLine = line }
                } else if previous[payer] != nil {
                    if medical { previous[payer]?.medicalLine = line } else { previous[payer]?.pensionLine = line }
                }
                if let deferredFirstLine {
                    checked.deferred.append(Checked.Deferred(record: checked.records.count, row: row, firstLine: deferredFirstLine))
                }
                checked.records.append(RosterRecord(
                    line: row.line, idNumber: idNumber, name: name, phone: phone, district: value("district"), street: value("street"),
                    community: value("community"), insurance: insurance, tier: tier, startPeriod: start, endPeriod: end,
                    suspended: status == "suspended", bank: bank, account: account, accountName: accountName, agreementNo: agreementNo,
                    agreementActive: agreementStatus == "active", scheme: scheme, joined: joined))
                checked.records[checked.records.count - 1].household = householdGiven
                checked.records[checked.records.count - 1].relation = relation
            }
            return .success(checked)
        }
    }
}

extension RosterImport {
    /// A payer's `field` differing from the payer's first row, on `firstLine`.
    static func differs(_ field: String, firstLine: Int) -> Message {
        switch field {
        case "household":
            return Message(zh: "该缴费人的户号或与户主关系与第 \(firstLine) 行不同；同一缴费人的各行应当一致",
                           en: "the payer's household or relation differs from line \(firstLine); give each of the payer's rows the same")
        default:
            let what = field == "district" ? "address (district, street, community)" : field
            let whatZh = field == "district" ? "地址（区、街道、社区）" : field == "name" ? "姓名" : "电话"
            return Message(zh: "该缴费人的\(whatZh)与第 \(firstLine) 行不同；同一缴费人的姓名、电话和地址应当一致",
                           en: "the payer's \(what) differs from line \(firstLine); give each payer the same name, phone and address")
        }
    }

    /// Compares each deferred record with what the store holds of its payer (its first row,
    /// written): a record that differs is taken out of `checked.records` and set aside with the
    /// field and the first row's line, as when both rows are in one chunk.
    public static func compare(_ checked: inout Checked, with stored: [String: StoredPayerDetails], fileName: String, hasHouseholds: Bool) {
        var dropped: [Int] = []
        for deferred in checked.deferred {
            let record = checked.records[deferred.record]
            guard let first = stored[record.idNumber.value] else { continue }
            var differing: [String] = []
            if record.name != first.name { differing.append("name") }
            if record.phone != first.phone { differing.append("phone") }
            if (record.district, record.street, record.community) != (first.district, first.street, first.community) { differing.append("district") }
            if hasHouseholds, (record.household ?? "", record.relation?.rawValue ?? "") != (first.householdNumber ?? "", first.relation) {
                differing.append("household")
            }
            guard !differing.isEmpty else { continue }
            checked.rejects.append((deferred.row, differing.map {
                Diagnostic(.error, .rosterInvalid, file: fileName, line: deferred.row.line, field: $0, differs($0, firstLine: deferred.firstLine))
            }))
            dropped.append(deferred.record)
        }
        for index in dropped.sorted(by: >) { checked.records.remove(at: index) }
        checked.deferred = []
    }

    /// An ID number that does not validate: masked, and why.
    static func idNumberProblem(_ text: String, _ error: IDNumber.ValidationError) -> Message {
        let masked = Masking.idNumber(text)
        return Message(zh: "\(masked)：\(error.message.zh)", en: "\(masked): \(error.message.en)")
    }

    /// An insurance cell that names neither insurance.
    static func notAnInsurance(_ text: String) -> Message {
        Message(zh: "'\(text)' 不是 'pension'（养老保险）或 'medical'（医疗保险）", en: "'\(text)' is not pension or medical")
    }

    /// ``BankSpec/cannotCarry(_:)``'s reason (English) in Chinese, for `bank`'s files.
    static func cannotCarryZh(_ problem: String, bank: String) -> String {
        if problem.hasPrefix("holds a control character"), let start = problem.range(of: "U+") {
            let code = problem[start.lowerBound...].prefix(while: { $0 != ")" })
            return "含有控制字符（\(code)）"
        }
        if problem.hasPrefix("holds '"), problem.contains("separator") {
            let character = problem.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first ?? ""
            return "含有 '\(character)'，这是 \(bank) 文件的分隔符"
        }
        return "含有 \(bank) 文件的编码无法表示的字符"
    }

    /// Whether `text` is a number Excel wrote in scientific notation (`4.20102E+11`): its digits are lost.
    static func isScientific(_ text: String) -> Bool {
        let parts = text.uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, let mantissa = Double(parts[0]), mantissa.isFinite, let exponent = Int(parts[1]), exponent > 0 else { return false }
        return parts[0].contains(where: \.isNumber)
    }

    /// A character no roster text should hold: a control character, a text-direction mark or
    /// embedding (which makes a name display differently from what it is), a byte-order mark.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0, 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }
}

/// Reads a CSV of payments made through other channels.
///
/// Columns: id_number, insurance, period, amount_fen, channel (app|counter|etax|bank|other), reference.
public enum PaymentsImport {
    public static let columns = ["id_number", "insurance", "period", "amount_fen", "channel", "reference"]
    /// The most one payment (one insurance, one month) can be: 100,000 yuan. More is a wrong unit
    /// (yuan written as fen ×100) or a wrong file, never a payment.
    public static let maximumFen: Int64 = 10_000_000
    /// The longest payment reference (a channel's receipt or transaction number).
    public static let maximumReference = 64

    /// Checks every row of a payments CSV's text, or of a chunk of it: `text` starts with the header
    /// line, which is line `firstLine` of the file.
    public static func check(text: String, fileName: String, firstLine: Int = 1) -> Result<(records: [PaymentRecord], rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String]), DiagnosticError> {
        let table: CSVTable
        do {
            table = try CSVTable(text: text, fileName: fileName, requiring: columns, describing: Message(zh: "缴费文件", en: "a payments file"),
                                 firstLine: firstLine)
        } catch {
            return .failure(DiagnosticError(error.diagnostic))
        }
        var records: [PaymentRecord] = []
        var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        for row in table.rows {
            var diagnostics: [Diagnostic] = []
            func bad(_ field: String, _ message: Message) {
                diagnostics.append(Diagnostic(.error, .rosterInvalid, file: fileName, line: row.line, field: field, message))
            }
            guard let value = table.values(of: row) else {
                bad("*", table.fieldCountMessage(row))
                rejects.append((row, diagnostics))
                continue
            }
            let id = value("id_number").uppercased()
            var idNumber: IDNumber?
            do { idNumber = try IDNumber(id) } catch { bad("id_number", RosterImport.idNumberProblem(id, error)) }
            let insurance = Insurance(value("insurance"))
            if insurance == nil { bad("insurance", RosterImport.notAnInsurance(value("insurance"))) }
            var period: Period?
            do { period = try Period(value("period")) } catch { bad("period", error.message) }
            let amount = Int64(value("amount_fen"))
            if let amount, amount > 0 {
                if amount > maximumFen {
                    let (yuan, most) = (Money(fen: amount).yuanText, Money(fen: maximumFen).yuanText)
                    bad("amount_fen", Message(
                        zh: "\(yuan) 元超过了一个险种一个月可能的金额（最多 \(most) 元）：请检查金额的单位（'amount_fen' 以分计）",
                        en: "\(yuan) yuan is more than one insurance of one month can be (at most \(most)): check the amount's unit (fen)"))
                }
            } else {
                let shown = value("amount_fen").prefix(40)
                bad("amount_fen", Message(zh: "'\(shown)' 不是以分计的正整数", en: "'\(shown)' is not a positive whole number of fen"))
            }
            let channel = value("channel")
            if !["app", "counter", "etax", "bank", "other"].contains(channel) {
                bad("channel", Message(
                    zh: "'\(channel.prefix(40))' 不是 'app'（手机 App）、'counter'（柜台）、'etax'（电子税务局）、'bank'（银行）或 'other'（其他）",
                    en: "'\(channel.prefix(40))' is not app, counter, etax, bank or other"))
            }
            let reference = value("reference")
            if reference.isEmpty {
                bad("reference", Message(zh: "缴费流水号为空", en: "the payment reference is empty"))
            } else if reference.count > maximumReference || reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                        || reference.trimmingCharacters(in: .whitespaces) != reference {
                bad("reference", Message(
                    zh: "缴费流水号应为 1 至 \(maximumReference) 个字符，不能含控制字符，首尾不能有空格",
                    en: "the payment reference must be 1 to \(maximumReference) characters, without control characters or spaces at its ends"))
            }
            guard diagnostics.isEmpty, let idNumber, let insurance, let period, let amount else {
                rejects.append((row, diagnostics))
                continue
            }
            records.append(PaymentRecord(line: row.line, idNumber: idNumber, insurance: insurance, period: period, amount: Money(fen: amount),
                                         channel: channel, reference: value("reference")))
        }
        return .success((records, rejects, table.columns))
    }
}

extension Diagnostic.Code {
    public static let rosterInvalid = Self(rawValue: "roster.invalid")
}
