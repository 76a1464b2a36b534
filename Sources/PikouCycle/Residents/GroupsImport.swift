public import BankFormats
public import PikouCore
import Foundation

/// Reads a department's list of one special group (低保, 五保, 重度残疾 ...) for the residents'
/// scheme: who is in it and from when to when.
///
/// Columns (a header row required, any order, CSV in UTF-8 or GBK, or the first worksheet of an XLSX),
/// each by its English name or a Chinese title departments use (``aliases``): `id_number`
/// (身份证号), and optionally `name` (姓名: only to help people reading the feedback; never stored),
/// `valid_from` (起始日期) and `valid_to` (终止日期). Dates may be written 2027-01-01, 2027/1/1,
/// 20270101, 2027年1月1日, or be Excel dates. A list without dates covers the policy's whole year.
/// Rows are refused like the roster's, each with its line, field and reason: a bad ID number, a bad
/// or reversed date, the same person twice in the list; and, when the list is stored, a person the
/// roster does not have (名册中无此人): never added silently, but listed for the department.
public enum GroupsImport {
    public static let columns = ["id_number"]

    /// The titles a department's list may give each column, Chinese first (lower-cased, as a header is read).
    public static let aliases: [String: String] = [
        "身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "证件号码": "id_number", "证件号": "id_number", "身份证": "id_number",
        "姓名": "name", "名字": "name",
        "起始日期": "valid_from", "开始日期": "valid_from", "生效日期": "valid_from", "享受起始日期": "valid_from", "认定日期": "valid_from",
        "终止日期": "valid_to", "结束日期": "valid_to", "截止日期": "valid_to", "失效日期": "valid_to", "享受终止日期": "valid_to",
    ]

    public struct Checked: Sendable {
        public var records: [GroupMembershipRecord]
        public var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])]
        public var columns: [String]
        /// Each record's name as the list gives it (for the department's feedback), by line.
        public var names: [Int: String] = [:]
        /// The list's table, its columns by their names (aliases resolved).
        public var table: CSVTable?
    }

    /// The date a department wrote: 2027-01-01, 2027/1/1, 2027.1.1, 20270101, 2027年1月1日, or an
    /// Excel date (days since 1899-12-30, as a worksheet stores a date cell).
    public static func date(_ text: String) -> CivilDate? {
        if let iso = CivilDate(iso: text) { return iso }
        let digits = text.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal && $0.isASCII }
        if digits, text.count == 8, let year = Int(text.prefix(4)), let month = Int(text.dropFirst(4).prefix(2)), let day = Int(text.suffix(2)) {
            return CivilDate(year: year, month: month, day: day)
        }
        if digits, text.count == 5, let serial = Int(text), (20_000...80_000).contains(serial) {
            return CivilDate(year: 1899, month: 12, day: 30)?.adding(days: serial)
        }
        let parts = text.split(whereSeparator: { "-/.年月日".contains($0) }).map(String.init)
        guard parts.count == 3, text.hasSuffix("日") == text.contains("年"), parts.allSatisfy({ Int($0) != nil }),
              parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Checks every row of a list's text for `group` (see ``check(table:fileName:group:department:policy:)``).
    public static func check(text: String, fileName: String, group: String, department: String, policy: ResidentsPolicy) -> Result<Checked, DiagnosticError> {
        do {
            let table = try CSVTable(text: text, fileName: fileName, firstLine: 1)
            return check(table: table, fileName: fileName, group: group, department: department, policy: policy)
        } catch {
            return .failure(DiagnosticError(error.diagnostic))
        }
    }

    /// Checks every row of a list (a CSV's or a worksheet's table) for `group` (named in `policy`), issued by `department`.
    public static func check(table: CSVTable, fileName: String, group: String, department: String, policy: ResidentsPolicy) -> Result<Checked, DiagnosticError> {
        guard policy.group(group) != nil else {
            let names = policy.groups.map(\.name)
            let namesZh = names.map { "'\($0)'" }.joined(separator: "、")
            // A near name (a character off) is offered: the department's list is then imported with it.
            func within(_ short: String, _ long: String) -> Bool {  // the short name's characters in order in the long one (计生 in 计划生育)
                var rest = Substring(long)
                for character in short { guard let at = rest.firstIndex(of: character) else { return false }; rest = rest[rest.index(after: at)...] }
                return !short.isEmpty
            }
            let near = names.first { within($0, group) || within(group, $0) || zip($0, group).filter { $0 != $1 }.count <= 1 && $0.count == group.count }
            let hint = near.map { Message(zh: "；是否指 '\($0)'？", en: "; did you mean '\($0)'?") } ?? Message(zh: "", en: "")
            return .failure(DiagnosticError(Diagnostic(.error, .groupsInvalid, file: fileName, field: "--group", Message(
                zh: "'\(group)' 不是 \(policy.year) 年城乡居民政策中的特殊群体；政策中的群体：\(namesZh)\(hint.zh)",
                en: "'\(group)' is not a group of the \(policy.year) residents' policy; its groups: \(names.joined(separator: ", "))\(hint.en)"))))
        }
        var table = table
        do {
            try table.require(columns, fileName: fileName, describing: Message(zh: "特殊群体名单", en: "a group list"), aliases: aliases)
        } catch {
            return .failure(DiagnosticError(error.diagnostic))
        }
        // A list without dates covers the policy's year.
        let yearStart = CivilDate(year: policy.year, month: 1, day: 1)!, yearEnd = CivilDate(year: policy.year, month: 12, day: 31)!
        var checked = Checked(records: [], rejects: [], columns: table.columns, table: table)
        var seen: [String: Int] = [:]
        for row in table.rows {
            var diagnostics: [Diagnostic] = []
            func bad(_ field: String, _ message: Message) {
                diagnostics.append(Diagnostic(.error, .groupsInvalid, file: fileName, line: row.line, field: field, message))
            }
            guard let value = table.values(of: row) else {
                bad("*", table.fieldCountMessage(row))
                checked.rejects.append((row, diagnostics))
                continue
            }
            let idText = value("id_number").uppercased()
            var idNumber: IDNumber?
            do { idNumber = try IDNumber(idText) } catch { bad("id_number", RosterImport.idNumberProblem(idText, error)) }
            // A list without a start column covers the year; in a list with one, an empty start is a mistake.
            let undated = !table.columns.contains("valid_from")
            let from = undated ? yearStart : date(value("valid_from"))
            if from == nil {
                let shown = Masking.text(value("valid_from"))
                bad("valid_from", Message(zh: "'\(shown)' 不是日期（应写作年-月-日，如 2026-01-01）",
                                          en: "'\(shown)' is not a date YYYY-MM-DD"))
            }
            var to: CivilDate? = undated && value("valid_to").isEmpty ? yearEnd : nil
            if !value("valid_to").isEmpty {
                to = date(value("valid_to"))
                if to == nil {
                    let shown = Masking.text(value("valid_to"))
                    bad("valid_to", Message(zh: "'\(shown)' 不是日期（应写作年-月-日，如 2026-12-31；没有终止日期则留空）",
                                            en: "'\(shown)' is not a date YYYY-MM-DD (or leave it empty: no end)"))
                }
            }
            if let from, let to, to < from {
                bad("valid_to", Message(zh: "资格的终止日（\(to)）早于起始日（\(from)）", en: "the membership ends (\(to)) before it starts (\(from))"))
            }
            if let idNumber {
                if let first = seen[idNumber.value] {
                    bad("id_number", Message(zh: "\(idNumber.masked) 已在本名单第 \(first) 行",
                                             en: "\(idNumber.masked) is already on line \(first) of this list"))
                } else if diagnostics.isEmpty {
                    seen[idNumber.value] = row.line
                }
            }
            if !value("name").isEmpty { checked.names[row.line] = value("name") }
            if let idNumber, let from, diagnostics.isEmpty {
                checked.records.append(GroupMembershipRecord(idNumber: idNumber, group: group, department: department, validFrom: from, validTo: to, line: row.line))
            } else {
                checked.rejects.append((row, diagnostics))
            }
        }
        return .success(checked)
    }
}

extension Diagnostic.Code {
    public static let groupsInvalid = Self(rawValue: "groups.invalid")
}
