import CXlsxWriter
import Foundation
import PikouCore

/// A thin owner of a libxlsxwriter workbook; the only file that imports the C module.
public final class XLSXWorkbook {
    private let book: UnsafeMutablePointer<lxw_workbook>
    private let bold: UnsafeMutablePointer<lxw_format>
    private let money: UnsafeMutablePointer<lxw_format>
    private let boldMoney: UnsafeMutablePointer<lxw_format>
    private let boldNumber: UnsafeMutablePointer<lxw_format>
    private let percent: UnsafeMutablePointer<lxw_format>
    private let boldPercent: UnsafeMutablePointer<lxw_format>
    private let titleFormat: UnsafeMutablePointer<lxw_format>
    private let textFormat: UnsafeMutablePointer<lxw_format>
    private var closed = false
    public let path: String

    public init(path: String) throws {
        FileIO.createPrivateFile(path)  // the report holds personal data: 0600 before libxlsxwriter writes it
        guard let book = workbook_new(path) else {
            throw PikouError("report.xlsx", Message(zh: "\(path)：无法创建工作簿", en: "\(path): cannot create the workbook"))
        }
        self.book = book
        self.path = path
        bold = workbook_add_format(book)
        format_set_bold(bold)
        format_set_bg_color(bold, 0xDDEBF7)
        money = workbook_add_format(book)
        format_set_num_format(money, "#,##0.00")
        boldMoney = workbook_add_format(book)
        format_set_num_format(boldMoney, "#,##0.00")
        format_set_bold(boldMoney)
        boldNumber = workbook_add_format(book)
        format_set_bold(boldNumber)
        percent = workbook_add_format(book)
        format_set_num_format(percent, "0.0%")
        boldPercent = workbook_add_format(book)
        format_set_num_format(boldPercent, "0.0%")
        format_set_bold(boldPercent)
        titleFormat = workbook_add_format(book)
        format_set_bold(titleFormat)
        format_set_font_size(titleFormat, 14)
        textFormat = workbook_add_format(book)
        format_set_num_format(textFormat, "@")
    }

    deinit { if !closed { workbook_close(book) } }

    /// A worksheet.
    public final class Sheet {
        let sheet: UnsafeMutablePointer<lxw_worksheet>
        unowned let owner: XLSXWorkbook
        init(sheet: UnsafeMutablePointer<lxw_worksheet>, owner: XLSXWorkbook) {
            self.sheet = sheet
            self.owner = owner
        }

        public func header(row: Int, column: Int, _ text: String) {
            worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, owner.bold)
        }

        /// A title over `columns` columns of `row`, in a larger bold type.
        public func title(row: Int, columns: Int, _ text: String) {
            if columns > 1 {
                worksheet_merge_range(sheet, lxw_row_t(row), 0, lxw_row_t(row), lxw_col_t(columns - 1), text, owner.titleFormat)
            } else {
                worksheet_write_string(sheet, lxw_row_t(row), 0, text, owner.titleFormat)
            }
        }

        /// A text cell; `strong` sets it bold (subtotal rows).
        public func text(row: Int, column: Int, _ text: String, strong: Bool = false) {
            worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, strong ? owner.bold : nil)
        }

        /// A cell Excel must keep as text whatever it holds (ID numbers, accounts, agreement numbers:
        /// a string cell with the text number format `@`, so editing it never turns it into a number).
        public func literal(row: Int, column: Int, _ text: String) {
            worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, owner.textFormat)
        }

        public func number(row: Int, column: Int, _ value: Int64, strong: Bool = false) {
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(value), strong ? owner.boldNumber : nil)
        }

        /// A money cell shown as yuan. XLSX stores numbers as IEEE doubles, so this is the one place
        /// fen become a double: fen / 100 is the double nearest the exact yuan, which Excel displays exactly.
        public func yuan(row: Int, column: Int, fen: Int64, strong: Bool = false) {
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(fen) / 100, strong ? owner.boldMoney : owner.money)
        }

        /// A rate `part / whole` as a number with a `0.0%` format (not money), its value the rate already
        /// rounded as every rate (``Percentage``: one decimal, half up), so the cell holds what it shows;
        /// blank when `whole` is 0.
        public func rate(row: Int, column: Int, _ part: Int, of whole: Int, strong: Bool = false) {
            guard let permille = Percentage.permille(Int64(part), of: Int64(whole)) else { return }
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(permille) / 1000, strong ? owner.boldPercent : owner.percent)
        }

        /// Puts `row` at outline level `level` (1...7), so Excel can fold subtotalled rows.
        public func outline(row: Int, level: Int) {
            var options = lxw_row_col_options(hidden: 0, level: UInt8(max(0, min(level, 7))), collapsed: 0)
            worksheet_set_row_opt(sheet, lxw_row_t(row), LXW_DEF_ROW_HEIGHT, nil, &options)
        }

        /// An autofilter over the header row `row` and the rows below it through `lastRow`.
        public func autofilter(row: Int, lastRow: Int, columns: Int) {
            worksheet_autofilter(sheet, lxw_row_t(row), 0, lxw_row_t(max(row, lastRow)), lxw_col_t(columns - 1))
        }

        /// Keeps the rows above `rows` in view when scrolling.
        public func freeze(rows: Int) { worksheet_freeze_panes(sheet, lxw_row_t(rows), 0) }

        public func freezeHeader() { worksheet_freeze_panes(sheet, 1, 0) }

        public func widths(first: Int, last: Int, _ width: Double) {
            worksheet_set_column(sheet, lxw_col_t(first), lxw_col_t(last), width, nil)
        }
    }

    public func sheet(_ name: String) throws -> Sheet {
        guard let sheet = workbook_add_worksheet(book, name) else {
            throw PikouError("report.xlsx", Message(zh: "\(path)：无法添加工作表 \(name)", en: "\(path): cannot add sheet \(name)"))
        }
        return Sheet(sheet: sheet, owner: self)
    }

    /// A bar chart of column B (categories in column A) of `rows` rows from `firstRow` (1-based) of `sheetName`.
    public func barChart(on sheet: Sheet, title: String, series name: String, sheetName: String, firstRow: Int = 2, rows: Int,
                         at position: (row: Int, column: Int)) {
        guard let chart = workbook_add_chart(book, UInt8(LXW_CHART_BAR.rawValue)) else { return }
        let quoted = "'" + sheetName.replacingOccurrences(of: "'", with: "''") + "'"
        let categories = "=\(quoted)!$A$\(firstRow):$A$\(firstRow + rows - 1)"
        let values = "=\(quoted)!$B$\(firstRow):$B$\(firstRow + rows - 1)"
        let series = chart_add_series(chart, categories, values)
        chart_series_set_name(series, name)
        chart_title_set_name(chart, title)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        worksheet_insert_chart(sheet.sheet, lxw_row_t(position.row), lxw_col_t(position.column), chart)
    }

    public func close() throws {
        closed = true
        let error = workbook_close(book)
        guard error == LXW_NO_ERROR else {
            let reason = String(cString: lxw_strerror(error))
            throw PikouError("report.xlsx", Message(zh: "\(path)：无法写出工作簿（\(reason)）", en: "\(path): cannot write the workbook (\(reason))"))
        }
    }
}
