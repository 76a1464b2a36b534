import CXlsxWriter
import Foundation
import PikouCore

/// A thin owner of a libxlsxwriter workbook; the only file that imports the C module.
public final class XLSXWorkbook {
    private let book: UnsafeMutablePointer<lxw_workbook>
    private let bold: UnsafeMutablePointer<lxw_format>
    private let money: UnsafeMutablePointer<lxw_format>
    private var closed = false
    public let path: String

    public struct XLSXError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(path: String) throws {
        FileIO.createPrivateFile(path)  // the report holds personal data: 0600 before libxlsxwriter writes it
        guard let book = workbook_new(path) else { throw XLSXError(description: "\(path): cannot create the workbook") }
        self.book = book
        self.path = path
        bold = workbook_add_format(book)
        format_set_bold(bold)
        format_set_bg_color(bold, 0xDDEBF7)
        money = workbook_add_format(book)
        format_set_num_format(money, "#,##0.00")
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

        public func text(row: Int, column: Int, _ text: String) {
            worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, nil)
        }

        public func number(row: Int, column: Int, _ value: Int64) {
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(value), nil)
        }

        /// A money cell shown as yuan. XLSX stores numbers as IEEE doubles, so this is the one place
        /// fen become a double: fen / 100 is the double nearest the exact yuan, which Excel displays exactly.
        public func yuan(row: Int, column: Int, fen: Int64) {
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(fen) / 100, owner.money)
        }

        public func freezeHeader() { worksheet_freeze_panes(sheet, 1, 0) }

        public func widths(first: Int, last: Int, _ width: Double) {
            worksheet_set_column(sheet, lxw_col_t(first), lxw_col_t(last), width, nil)
        }
    }

    public func sheet(_ name: String) throws -> Sheet {
        guard let sheet = workbook_add_worksheet(book, name) else { throw XLSXError(description: "\(path): cannot add sheet \(name)") }
        return Sheet(sheet: sheet, owner: self)
    }

    /// A bar chart of column B (categories in column A) of rows 2...rows+1 of `sheetName`.
    public func barChart(on sheet: Sheet, title: String, sheetName: String, rows: Int, at position: (row: Int, column: Int)) {
        guard let chart = workbook_add_chart(book, UInt8(LXW_CHART_BAR.rawValue)) else { return }
        let categories = "=\(sheetName)!$A$2:$A$\(rows + 1)"
        let values = "=\(sheetName)!$B$2:$B$\(rows + 1)"
        let series = chart_add_series(chart, categories, values)
        chart_series_set_name(series, "failed lines")
        chart_title_set_name(chart, title)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        worksheet_insert_chart(sheet.sheet, lxw_row_t(position.row), lxw_col_t(position.column), chart)
    }

    public func close() throws {
        closed = true
        let error = workbook_close(book)
        guard error == LXW_NO_ERROR else {
            throw XLSXError(description: "\(path): cannot write the workbook (\(String(cString: lxw_strerror(error))))")
        }
    }
}
