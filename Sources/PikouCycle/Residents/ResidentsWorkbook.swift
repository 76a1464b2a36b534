import Foundation
public import PikouCore

/// The residents' report as a workbook for finance (财务) and 财政: the finance view by bank, by file
/// and by grid; what public funds must transfer, per department and rule; participation by grid
/// against the targets; 钱表相符 of the personal part. Amounts are numbers in yuan, rates one decimal.
public enum ResidentsWorkbook {
    /// Writes the workbook for `year` at `path` (`level`: the grid level of the finance and participation sheets).
    public static func write(_ useCases: UseCases, year: Int, level: GridLevel, targets: String?, to path: String,
                             language: Language = .current) async throws -> ResidentsReport {
        let grid = try await useCases.residentsReport(year: year, by: ResidentsGrouping(rawValue: level.rawValue) ?? .street, targets: targets)
        let byBank = try await useCases.residentsReport(year: year, by: .bank, targets: nil)
        let byFile = try await useCases.residentsReport(year: year, by: .file, targets: nil)
        let book = try XLSXWorkbook(path: path)
        let title = "\(Catalogue.residentsTitle.text(language)) \(Catalogue.coverYear(year).text(language))"
        for (report, sheetName) in [(byBank, Catalogue.sheetByBank), (byFile, Catalogue.sheetByFile), (grid, Catalogue.sheetByGrid)] {
            try finance(report, on: try book.sheet(sheetName.text(language)), title: "\(title) — \(sheetName.text(language))", language: language)
        }
        try publicFunds(grid, on: try book.sheet(Catalogue.sheetPublicFunds.text(language)), title: "\(title) — \(Catalogue.publicFundsTitle.text(language))", language: language)
        if !grid.participation.isEmpty {
            participation(grid, on: try book.sheet(Catalogue.participationRate.text(language)), title: "\(title) — \(Catalogue.participationTitle.text(language))", language: language)
        }
        try book.close()
        return grid
    }

    static func finance(_ report: ResidentsReport, on sheet: XLSXWorkbook.Sheet, title: String, language: Language) throws {
        let columns = [Catalogue.group, Catalogue.insuranceColumn, Catalogue.duesCount, Catalogue.standardPart, Catalogue.personalPart, Catalogue.collectedByDebit,
                       Catalogue.collectedElsewhere, Catalogue.unpaidPart, Catalogue.subsidyPart, Catalogue.governmentPart]
        sheet.title(row: 0, columns: columns.count, title)
        for (column, heading) in columns.enumerated() { sheet.header(row: 1, column: column, heading.text(language)) }
        var at = 2
        func put(_ row: ResidentsReportRow, strong: Bool) throws {
            let unpaid = try row.unpaid()
            sheet.text(row: at, column: 0, row.group.isEmpty ? Catalogue.notDebited.text(language) : row.group, strong: strong)
            sheet.text(row: at, column: 1, Catalogue.insurance(row.insurance).text(language), strong: strong)
            sheet.number(row: at, column: 2, Int64(row.dues), strong: strong)
            for (column, fen) in [row.standardFen, row.personalFen, row.debitedFen, row.elsewhereFen, unpaid.fen, row.subsidyFen, row.governmentFen].enumerated() {
                sheet.yuan(row: at, column: column + 3, fen: fen, strong: strong)
            }
            at += 1
        }
        for row in report.rows { try put(row, strong: false) }
        for insurance in Insurance.allCases where report.rows.contains(where: { $0.insurance == insurance }) { try put(try report.total(insurance), strong: true) }
        sheet.text(row: at + 1, column: 0, report.check.lines(language).first ?? "")
        sheet.freeze(rows: 2)
        sheet.widths(first: 0, last: 0, 36)
        sheet.widths(first: 1, last: 9, 13)
    }

    static func publicFunds(_ report: ResidentsReport, on sheet: XLSXWorkbook.Sheet, title: String, language: Language) throws {
        let columns = [Catalogue.payingDepartment, Catalogue.residentsRule, Catalogue.insuranceColumn, Catalogue.persons, Catalogue.subsidyPart,
                       Catalogue.governmentPart, Catalogue.total]
        sheet.title(row: 0, columns: columns.count, title)
        for (column, heading) in columns.enumerated() { sheet.header(row: 1, column: column, heading.text(language)) }
        var subsidy = Money.zero, government = Money.zero
        for (index, row) in report.publicFunds.enumerated() {
            let at = index + 2
            sheet.text(row: at, column: 0, row.department.isEmpty ? "财政" : row.department)
            sheet.text(row: at, column: 1, report.ruleLabel(row).text(language))
            sheet.text(row: at, column: 2, Catalogue.insurance(row.insurance).text(language))
            sheet.number(row: at, column: 3, Int64(row.persons))
            sheet.yuan(row: at, column: 4, fen: row.subsidyFen)
            sheet.yuan(row: at, column: 5, fen: row.governmentFen)
            sheet.yuan(row: at, column: 6, fen: try Money(fen: row.subsidyFen).adding(Money(fen: row.governmentFen)).fen)
            subsidy = try subsidy.adding(Money(fen: row.subsidyFen))
            government = try government.adding(Money(fen: row.governmentFen))
        }
        let footer = report.publicFunds.count + 2
        sheet.text(row: footer, column: 0, Catalogue.total.text(language), strong: true)
        sheet.yuan(row: footer, column: 4, fen: subsidy.fen, strong: true)
        sheet.yuan(row: footer, column: 5, fen: government.fen, strong: true)
        sheet.yuan(row: footer, column: 6, fen: try subsidy.adding(government).fen, strong: true)
        sheet.freeze(rows: 2)
        sheet.widths(first: 0, last: 1, 18)
        sheet.widths(first: 2, last: 6, 13)
    }

    static func participation(_ report: ResidentsReport, on sheet: XLSXWorkbook.Sheet, title: String, language: Language) {
        let columns = [Catalogue.group, Catalogue.insuranceColumn, Catalogue.eligible, Catalogue.enrolled, Catalogue.paidPersons, Catalogue.participationRate,
                       Catalogue.target, Catalogue.belowTargetMark]
        sheet.title(row: 0, columns: columns.count, title)
        for (column, heading) in columns.enumerated() { sheet.header(row: 1, column: column, heading.text(language)) }
        for (index, row) in report.participation.enumerated() {
            let at = index + 2
            sheet.text(row: at, column: 0, row.unit)
            sheet.text(row: at, column: 1, Catalogue.insurance(row.insurance).text(language))
            if let eligible = row.eligible { sheet.number(row: at, column: 2, Int64(eligible)) }
            sheet.number(row: at, column: 3, Int64(row.enrolled))
            sheet.number(row: at, column: 4, Int64(row.paid))
            if let eligible = row.eligible { sheet.rate(row: at, column: 5, row.paid, of: eligible) }
            if let target = row.targetPermille { sheet.rate(row: at, column: 6, target, of: 1000) }
            if row.belowTarget { sheet.text(row: at, column: 7, "▼", strong: true) }
        }
        sheet.text(row: report.participation.count + 3, column: 0, Catalogue.rateRule.text(language))
        sheet.freeze(rows: 2)
        sheet.widths(first: 0, last: 0, 30)
        sheet.widths(first: 1, last: 7, 11)
    }
}
