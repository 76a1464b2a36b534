public import BankFormats
public import PikouCore
import Foundation
import ReconStore

/// Reads a roster CSV, checks every row, and imports the good ones.
///
/// Columns (header required, any order): id_number, name, phone, district, street, community,
/// insurance (pension|medical), tier, start_period, end_period (may be empty), status
/// (active|suspended), bank, account, account_name, agreement_no, agreement_status (active|revoked).
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

    /// Checks a roster chunk by chunk, remembering across chunks what duplicates need, per payer
    /// (keyed by the ID number packed into 64 bits, so exact and small): the first line of each
    /// insurance and a 32-bit hash of the details the other rows must repeat. 20 bytes a payer:
    /// 2,000,000 payers fill a table of about 85 MB.
    public struct Checker {
        let fileName: String
        let banks: Set<String>
        let policy: Policy
        /// The enabled banks' specs: text a debit file carries must fit the payer's bank's files.
        let specs: [String: BankSpec]
        private struct Seen {
            /// Hashes of the payer's name, phone and address as first seen, to name what differs.
            var details: (name: Int32, phone: Int32, address: Int32)
            var pensionLine: Int32 = 0
            var medicalLine: Int32 = 0
            /// The payer's first line: the earlier of the two.
            var line: Int32 { pensionLine == 0 ? medicalLine : medicalLine == 0 ? pensionLine : min(pensionLine, medicalLine) }
        }
        private var payers: [UInt64: Seen] = [:]

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
        static func residentsTierProblem(insurance: Insurance?, tier: inout String, residents: ResidentsPolicy?, unreadable: String? = nil) -> String? {
            guard let residents else {
                return unreadable.map { "the residents' policy does not read: \($0)" }
                    ?? "no residents' policy (Formats/policy/residents-<year>.yaml) to price a residents-annual row under"
            }
            switch insurance {
            case .pension:
                let tiers = residents.pensionTiers.map(\.yuanText).joined(separator: ", ")
                guard let amount = try? Money(yuan: tier), residents.pensionTiers.contains(amount) else {
                    return "unknown residents' pension tier '\(tier)' in the \(residents.year) policy; tiers (yuan a year): \(tiers)"
                }
                tier = amount.yuanText
            case .medical:
                if tier.isEmpty { tier = "standard" }
                guard tier == "standard" else { return "a residents' medical row has one standard: leave tier empty or write standard" }
            case nil: break
            }
            return nil
        }

        /// An 18-character ID number (already validated) as one integer: 17 digits and the check value.
        static func pack(_ id: String) -> UInt64 {
            var value: UInt64 = 0
            for byte in id.utf8 {
                value = value * 11 + (byte == UInt8(ascii: "X") ? 10 : UInt64(byte &- UInt8(ascii: "0")))
            }
            return value
        }

        /// Checks one chunk: `text` starts with the header line, which is line `firstLine` of the file.
        public mutating func check(text: String, firstLine: Int) -> Result<Checked, DiagnosticError> {
            let fileName = self.fileName
            let table: CSVTable
            do { table = try CSVTable(text: text, fileName: fileName, requiring: RosterImport.columns, describing: "a roster", firstLine: firstLine) } catch {
                return .failure(DiagnosticError(error.diagnostic))
            }
            var checked = Checked(records: [], rejects: [], warnings: [], columns: table.columns)
            for row in table.rows {
                var diagnostics: [Diagnostic] = []
                func bad(_ field: String, _ message: String) {
                    diagnostics.append(Diagnostic(.error, .rosterInvalid, file: fileName, line: row.line, field: field, message))
                }
                guard let value = table.values(of: row) else {
                    bad("*", table.fieldCountMessage(row))
                    checked.rejects.append((row, diagnostics))
                    continue
                }
                let idText = value("id_number").uppercased()
                var idNumber: IDNumber?
                do { idNumber = try IDNumber(idText) } catch { bad("id_number", "\(Masking.idNumber(idText)): \(error)") }
                let name = value("name")
                if name.isEmpty { bad("name", "the payer's name is empty") }
                // Text a person reads and a bank's file carries: no control or direction-changing
                // characters, a length a name or an address can have, and a warning for what an
                // encoding lost on the way.
                for (column, limit) in [("name", 50), ("account_name", 50), ("district", 60), ("street", 60), ("community", 60), ("agreement_no", 60)] {
                    let text = value(column)
                    let shown = column.hasSuffix("name") ? Masking.name(text) : Masking.text(text)
                    // An address cell may break its line (Alt+Enter in Excel); a name may not.
                    let lineBreaksAllowed = ["district", "street", "community"].contains(column)
                    if let odd = text.unicodeScalars.first(where: { RosterImport.isInvisible($0) && !(lineBreaksAllowed && ($0 == "\n" || $0 == "\r" || $0 == "\t")) }) {
                        bad(column, "\(shown) holds the invisible character U+\(String(odd.value, radix: 16, uppercase: true)) (a control or text-direction mark); retype it")
                    } else if text.count > limit {
                        bad(column, "is \(text.count) characters long; at most \(limit) are expected here")
                    } else if column.hasSuffix("name"), text.contains("?") || text.contains("\u{FFFD}") {
                        checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: column,
                            "\(shown) holds '?' or '\u{FFFD}': a character the file's encoding could not carry was lost (save the roster as UTF-8 or GB18030)"))
                    }
                }
                let phone = value("phone")
                if !phone.isEmpty && !(phone.count >= 7 && phone.count <= 15 && phone.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") }) {
                    bad("phone", "'\(Masking.text(phone))' is not a phone number")
                }
                for column in ["district", "street", "community"] where value(column).isEmpty { bad(column, "\(column) is empty") }
                let insuranceText = value("insurance")
                let insurance = Insurance(insuranceText)
                var tier = value("tier")
                // The scheme (optional column): the monthly one unless the row says residents-annual.
                let schemeText = value("scheme")
                let scheme = schemeText.isEmpty ? Scheme.flexibleMonthly : Scheme(rawValue: schemeText)
                var joined: CivilDate?
                if !value("joined").isEmpty {
                    joined = CivilDate(iso: value("joined"))
                    if joined == nil { bad("joined", "'\(value("joined"))' is not a date YYYY-MM-DD") }
                }
                if scheme == nil {
                    bad("scheme", "'\(schemeText)' is not \(Scheme.allCases.map(\.rawValue).joined(separator: " or "))")
                } else if scheme == .residentsAnnual {
                    if let problem = Self.residentsTierProblem(insurance: insurance, tier: &tier, residents: residents, unreadable: residentsProblem) { bad("tier", problem) }
                } else if let insurance, policy.amount(insurance: insurance, tier: tier) == nil {
                    let known = (policy.insurances[insurance]?.tiers.keys.sorted() ?? []).joined(separator: ", ")
                    bad("tier", "unknown \(insurance) tier '\(tier)' in the \(policy.year) policy; known: \(known)")
                }
                if insurance == nil { bad("insurance", "'\(insuranceText)' is not pension or medical") }
                var start: Period?
                do { start = try Period(value("start_period")) } catch { bad("start_period", "\(error)") }
                var end: Period?
                if !value("end_period").isEmpty {
                    do { end = try Period(value("end_period")) } catch { bad("end_period", "\(error)") }
                    if let start, let end, end < start { bad("end_period", "ends \(end) before it starts \(start)") }
                }
                let status = value("status")
                if !["active", "suspended"].contains(status) { bad("status", "'\(status)' is not active or suspended") }
                let bank = value("bank").uppercased()
                if !banks.contains(bank) { bad("bank", "unknown bank '\(bank)'; enabled banks: \(banks.sorted().joined(separator: ", "))") }
                let accountText = value("account")
                var account: BankAccount?
                do {
                    account = try BankAccount(accountText)
                    if let warning = account?.luhnWarning {
                        checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: "account", warning))
                    }
                } catch {
                    bad("account", "\(error)")
                }
                let accountName = value("account_name")
                if accountName.isEmpty { bad("account_name", "the account holder's name is empty") }
                if !accountName.isEmpty && !name.isEmpty && accountName != name {
                    checked.warnings.append(Diagnostic(.warning, .rosterInvalid, file: fileName, line: row.line, field: "account_name",
                        "account name \(Masking.name(accountName)) differs from the payer's name \(Masking.name(name)); the bank may refuse it"))
                }
                let agreementNo = value("agreement_no")
                if agreementNo.isEmpty { bad("agreement_no", "the agreement number is empty") }
                // What reaches the bank's file must fit it: one bad name would block the bank's whole file.
                if let spec = specs[bank] {
                    func carry(_ field: String, _ text: String, shown: @autoclosure () -> String) {
                        if let problem = spec.cannotCarry(text) { bad(field, "\(shown()) \(problem); correct it in the roster") }
                    }
                    carry("account_name", accountName, shown: Masking.name(accountName))
                    carry("agreement_no", agreementNo, shown: "'\(agreementNo)'")
                    carry("name", name, shown: Masking.name(name))
                }
                let agreementStatus = value("agreement_status")
                if !["active", "revoked"].contains(agreementStatus) { bad("agreement_status", "'\(agreementStatus)' is not active or revoked") }
                // Only a valid ID is packed; a row with any error is rejected anyway.
                let payer = diagnostics.isEmpty ? Self.pack(idText) : 0
                let medical = insurance == .medical
                let details = (name: Int32(truncatingIfNeeded: name.hashValue), phone: Int32(truncatingIfNeeded: phone.hashValue),
                               address: Int32(truncatingIfNeeded: [value("district"), value("street"), value("community")].hashValue))
                if diagnostics.isEmpty, let first = payers[payer] {
                    let firstOfInsurance = medical ? first.medicalLine : first.pensionLine
                    if firstOfInsurance != 0 { bad("insurance", "\(insuranceText) for this payer is already on line \(firstOfInsurance)") }
                    for (field, differs) in [("name", first.details.name != details.name), ("phone", first.details.phone != details.phone),
                                             ("district", first.details.address != details.address)] where differs {
                        let what = field == "district" ? "address (district, street, community)" : field
                        bad(field, "the payer's \(what) differs from line \(first.line); give each payer the same name, phone and address")
                    }
                }
                guard diagnostics.isEmpty, let start, let idNumber, let insurance, let account, let scheme else {
                    checked.rejects.append((row, diagnostics))
                    continue
                }
                let line = Int32(clamping: row.line)
                if medical {
                    payers[payer, default: Seen(details: details)].medicalLine = line
                } else {
                    payers[payer, default: Seen(details: details)].pensionLine = line
                }
                checked.records.append(RosterRecord(
                    line: row.line, idNumber: idNumber, name: name, phone: phone, district: value("district"), street: value("street"),
                    community: value("community"), insurance: insurance, tier: tier, startPeriod: start, endPeriod: end,
                    suspended: status == "suspended", bank: bank, account: account, accountName: accountName, agreementNo: agreementNo,
                    agreementActive: agreementStatus == "active", scheme: scheme, joined: joined))
            }
            return .success(checked)
        }
    }
}

extension RosterImport {
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

    public static func check(text: String, fileName: String) -> Result<(records: [PaymentRecord], rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String]), DiagnosticError> {
        let table: CSVTable
        do { table = try CSVTable(text: text, fileName: fileName, requiring: columns, describing: "a payments file") } catch {
            return .failure(DiagnosticError(error.diagnostic))
        }
        var records: [PaymentRecord] = []
        var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        for row in table.rows {
            var diagnostics: [Diagnostic] = []
            func bad(_ field: String, _ message: String) {
                diagnostics.append(Diagnostic(.error, .rosterInvalid, file: fileName, line: row.line, field: field, message))
            }
            guard let value = table.values(of: row) else {
                bad("*", table.fieldCountMessage(row))
                rejects.append((row, diagnostics))
                continue
            }
            let id = value("id_number").uppercased()
            var idNumber: IDNumber?
            do { idNumber = try IDNumber(id) } catch { bad("id_number", "\(Masking.idNumber(id)): \(error)") }
            let insurance = Insurance(value("insurance"))
            if insurance == nil { bad("insurance", "'\(value("insurance"))' is not pension or medical") }
            var period: Period?
            do { period = try Period(value("period")) } catch { bad("period", "\(error)") }
            let amount = Int64(value("amount_fen"))
            if let amount, amount > 0 {
                if amount > maximumFen {
                    bad("amount_fen", "\(Money(fen: amount).yuanText) yuan is more than one insurance of one month can be (at most \(Money(fen: maximumFen).yuanText)): check the amount's unit (fen)")
                }
            } else {
                bad("amount_fen", "'\(value("amount_fen").prefix(40))' is not a positive whole number of fen")
            }
            let channel = value("channel")
            if !["app", "counter", "etax", "bank", "other"].contains(channel) { bad("channel", "'\(channel.prefix(40))' is not app, counter, etax, bank or other") }
            let reference = value("reference")
            if reference.isEmpty {
                bad("reference", "the payment reference is empty")
            } else if reference.count > maximumReference || reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                        || reference.trimmingCharacters(in: .whitespaces) != reference {
                bad("reference", "the payment reference must be 1 to \(maximumReference) characters, without control characters or spaces at its ends")
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
