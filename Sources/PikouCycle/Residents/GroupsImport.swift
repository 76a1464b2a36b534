public import BankFormats
public import PikouCore
import Foundation

/// Reads a department's list of one special group (低保, 五保, 重度残疾 ...) for the residents'
/// scheme: who is in it and from when to when.
///
/// Columns (header required, any order): `id_number`, `valid_from` (YYYY-MM-DD), `valid_to`
/// (YYYY-MM-DD, empty: open), and optionally `name` (only to help people reading the rejects; never
/// stored). Rows are refused like the roster's, each with its line, field and reason: a bad ID number,
/// a bad or reversed date, the same person twice in the list.
public enum GroupsImport {
    public static let columns = ["id_number", "valid_from", "valid_to"]

    public struct Checked: Sendable {
        public var records: [GroupMembershipRecord]
        public var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])]
        public var columns: [String]
    }

    /// Checks every row of a list's text for `group` (named in `policy`), issued by `department`.
    public static func check(text: String, fileName: String, group: String, department: String, policy: ResidentsPolicy) -> Result<Checked, DiagnosticError> {
        guard policy.group(group) != nil else {
            let names = policy.groups.map(\.name)
            let namesZh = names.map { "'\($0)'" }.joined(separator: "、")
            return .failure(DiagnosticError(Diagnostic(.error, .groupsInvalid, file: fileName, field: "--group", Message(
                zh: "'\(group)' 不是 \(policy.year) 年城乡居民政策中的特殊群体；政策中的群体：\(namesZh)",
                en: "'\(group)' is not a group of the \(policy.year) residents' policy; its groups: \(names.joined(separator: ", "))"))))
        }
        let table: CSVTable
        do {
            table = try CSVTable(text: text, fileName: fileName, requiring: columns, describing: Message(zh: "特殊群体名单", en: "a group list"),
                                 firstLine: 1)
        } catch {
            return .failure(DiagnosticError(error.diagnostic))
        }
        var checked = Checked(records: [], rejects: [], columns: table.columns)
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
            let from = CivilDate(iso: value("valid_from"))
            if from == nil {
                let shown = Masking.text(value("valid_from"))
                bad("valid_from", Message(zh: "'\(shown)' 不是日期（应写作年-月-日，如 2026-01-01）",
                                          en: "'\(shown)' is not a date YYYY-MM-DD"))
            }
            var to: CivilDate?
            if !value("valid_to").isEmpty {
                to = CivilDate(iso: value("valid_to"))
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
