import Foundation
public import PikouCore

/// 失败明细 as a file, the rows a person filtered on the console: CSV (UTF-8 with BOM, Excel-safe
/// cells) or a one-sheet workbook. ID numbers and accounts are always masked (an export leaves the
/// screen); names and phones are whole only for a reader who calls payers (`whole`).
public enum FailureExport {
    public static let columns: [ListColumn] = [
        ListColumn("period", Catalogue.period), ListColumn("bank", Catalogue.bank), ListColumn("payer", Catalogue.payer),
        ListColumn("name", Catalogue.name), ListColumn("phone", Catalogue.phone), ListColumn("district", Catalogue.district),
        ListColumn("street", Catalogue.street), ListColumn("community", Catalogue.community), ListColumn("account", Catalogue.account),
        ListColumn("amount_yuan", Catalogue.amountYuan, .right), ListColumn("outcome", Catalogue.outcome), ListColumn("bank_code", Catalogue.bankCode),
        ListColumn("bank_text", Catalogue.bankText), ListColumn("attempts", Catalogue.attempts, .right), ListColumn("next", Catalogue.nextStep),
    ]

    /// One failure's cells; `bankNames` names each bank as people say it.
    public static func cells(_ failure: FailureStep, whole: Bool, bankNames: [String: String], language: Language) -> [ListCell] {
        let f = failure.record, step = Catalogue.nextStep(failure.next), outcome = Catalogue.outcome(f.outcome)
        return [ListCell(f.period.description), ListCell(screen: bankNames[f.bank] ?? f.bank, data: f.bank), ListCell(f.idNumber.masked),
                ListCell(whole ? f.name : Masking.name(f.name)), ListCell(whole ? f.phone : Masking.phone(f.phone)), ListCell(f.district),
                ListCell(f.street), ListCell(f.community), ListCell(f.account.masked), ListCell(f.amount),
                ListCell(screen: outcome.text(language), data: f.outcome.rawValue), ListCell(f.bankCode), ListCell(f.bankText),
                ListCell(String(f.attempts)), ListCell(screen: step.text(language), data: step.en)]
    }

    public static func csv(_ failures: [FailureStep], whole: Bool, bankNames: [String: String], language: Language) -> [UInt8] {
        ListCell.csv(columns.map { ListColumn($0.key, Message(zh: $0.title.text(language), en: $0.title.text(language)), $0.alignment) },
                     failures.map { cells($0, whole: whole, bankNames: bankNames, language: language) })
    }

    /// Writes the workbook to `path` (0600 by the caller's umask; the console reads and removes it).
    public static func xlsx(_ failures: [FailureStep], whole: Bool, bankNames: [String: String], language: Language, title: String, path: String) throws {
        let book = try XLSXWorkbook(path: path)
        let sheet = try book.sheet(Catalogue.sheetFailures.text(language))
        sheet.title(row: 0, columns: columns.count, title)
        for (column, heading) in columns.enumerated() { sheet.header(row: 1, column: column, heading.title.text(language)) }
        for (index, failure) in failures.enumerated() {
            let row = index + 2
            for (column, cell) in cells(failure, whole: whole, bankNames: bankNames, language: language).enumerated() {
                switch columns[column].key {
                case "amount_yuan": sheet.yuan(row: row, column: column, fen: failure.record.amount.fen)
                case "attempts": sheet.number(row: row, column: column, Int64(failure.record.attempts))
                // Digits that are not numbers (an ID, an account, a phone, a code) stay text.
                case "payer", "account", "phone", "bank_code": sheet.literal(row: row, column: column, cell.words)
                default: sheet.text(row: row, column: column, cell.words)
                }
            }
        }
        sheet.autofilter(row: 1, lastRow: failures.count + 1, columns: columns.count)
        sheet.freeze(rows: 2)
        sheet.widths(first: 0, last: columns.count - 1, 14)
        try book.close()
    }
}
