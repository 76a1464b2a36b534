import BankFormats
import Foundation
public import PikouCore

/// One row of a department's list, with what became of it.
public struct GroupFeedbackRow: Sendable, Hashable {
    public var line: Int
    public var name: String
    /// The ID number as the list gave it, masked (a valid one as ``IDNumber/masked``).
    public var maskedID: String
    public var imported: Bool
    /// Why it was not imported, or what to know about it (empty: imported, nothing to say).
    public var reason: Message
}

/// The file that goes back to a department with its list (`LIST.feedback.xlsx`): every row, whether it
/// was imported, and why not (名册中无此人, 证件号校验错误, 日期有误, 名单内重复) or what to know
/// (已在其他群体), in Chinese, IDs masked.
public enum GroupFeedback {
    /// The feedback rows of a list: every data row of `table`, in line order.
    static func rows(table: CSVTable, kept: [GroupMembershipRecord], rejected: [(row: CSVTable.Row, diagnostics: [Diagnostic])],
                     notes: [Int: Message], names: [Int: String]) -> [GroupFeedbackRow] {
        let keptLines = Set(kept.map(\.line))
        let reasons = Dictionary(rejected.map { ($0.row.line, $0.diagnostics) }, uniquingKeysWith: { first, _ in first })
        return table.rows.map { row in
            let value = table.values(of: row)
            let idText = value?("id_number") ?? ""
            let masked = (try? IDNumber(idText.uppercased()))?.masked ?? Masking.idNumber(idText)
            let name = names[row.line] ?? value?("name") ?? ""
            if keptLines.contains(row.line) {
                return GroupFeedbackRow(line: row.line, name: Masking.name(name), maskedID: masked, imported: true, reason: notes[row.line] ?? Message(zh: "", en: ""))
            }
            let diagnostics = reasons[row.line] ?? []
            let reason = Message(zh: diagnostics.map { reasonWord($0, .zh) + "：" + $0.text.zh }.joined(separator: "；"),
                                 en: diagnostics.map { reasonWord($0, .en) + ": " + $0.text.en }.joined(separator: "; "))
            return GroupFeedbackRow(line: row.line, name: Masking.name(name), maskedID: masked, imported: false, reason: reason)
        }
    }

    /// The short word a department sorts its returned rows by.
    static func reasonWord(_ diagnostic: Diagnostic, _ language: Language) -> String {
        switch (diagnostic.code, diagnostic.field ?? "") {
        case (.groupsNotInRoster, _): language == .zh ? "名册中无此人" : "not in the roster"
        case (_, "id_number") where diagnostic.text.zh.contains("已在本名单"): language == .zh ? "名单内重复" : "twice in the list"
        case (_, "id_number"): language == .zh ? "证件号校验错误" : "bad ID number"
        case (_, "valid_from"), (_, "valid_to"): language == .zh ? "日期有误" : "bad date"
        default: language == .zh ? "格式有误" : "malformed row"
        }
    }

    /// Writes the feedback workbook to `path`: a title (group, department, list, date), then one row per list row.
    public static func write(_ rows: [GroupFeedbackRow], to path: String, group: String, department: String, list: String, today: CivilDate,
                             language: Language = .current) throws {
        let book = try XLSXWorkbook(path: path)
        let sheet = try book.sheet(Catalogue.feedbackSheet.text(language))
        let titles = [Catalogue.feedbackLine, Catalogue.feedbackName, Catalogue.feedbackID, Catalogue.feedbackResult, Catalogue.feedbackReason]
        sheet.title(row: 0, columns: titles.count, Catalogue.feedbackTitle(group: group, department: department, list: list, date: today).text(language))
        for (column, title) in titles.enumerated() { sheet.header(row: 1, column: column, title.text(language)) }
        for (index, row) in rows.enumerated() {
            let at = index + 2
            sheet.number(row: at, column: 0, Int64(row.line))
            sheet.text(row: at, column: 1, row.name)
            sheet.literal(row: at, column: 2, row.maskedID)
            sheet.text(row: at, column: 3, (row.imported ? Catalogue.feedbackImported : Catalogue.feedbackReturned).text(language), strong: !row.imported)
            sheet.text(row: at, column: 4, row.reason.text(language))
        }
        let returned = rows.filter { !$0.imported }.count
        sheet.text(row: rows.count + 3, column: 0, Catalogue.feedbackSummary(rows: rows.count, imported: rows.count - returned, returned: returned).text(language), strong: true)
        sheet.autofilter(row: 1, lastRow: rows.count + 1, columns: titles.count)
        sheet.freeze(rows: 2)
        sheet.widths(first: 0, last: 0, 8)
        sheet.widths(first: 1, last: 1, 12)
        sheet.widths(first: 2, last: 2, 22)
        sheet.widths(first: 3, last: 3, 10)
        sheet.widths(first: 4, last: 4, 70)
        try book.close()
    }
}

extension Diagnostic.Code {
    /// A group list's person the roster does not have.
    public static let groupsNotInRoster = Self(rawValue: "groups.notInRoster")
}
