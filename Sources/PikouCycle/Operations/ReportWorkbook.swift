public import PikouCore

/// One row of the grid sheet: a community, or a street's, a district's or the period's subtotal.
public struct GridRow: Sendable, Hashable {
    public enum Level: Int, Sendable, Hashable { case community = 2, street = 1, district = 0, total = -1 }
    public var level: Level
    public var district: String
    public var street: String
    public var community: String
    public var row: ReportRow

    /// Nests the report's district, street and community groups (keys `D`, `D S` and `D S C`, as
    /// ``ReportGrouping`` makes them) into district → street → community order with a subtotal row
    /// after each street and each district, then the total. Subtotals are the store's own groups, so
    /// they are the very numbers `pikou report --by street|district` prints.
    public static func nest(districts: [ReportRow], streets: [ReportRow], communities: [ReportRow], total: ReportRow) -> [GridRow] {
        let byKey: (ReportRow, ReportRow) -> Bool = { $0.group < $1.group }
        var remainingStreets = streets.sorted(by: byKey)
        var remainingCommunities = communities.sorted(by: byKey)
        var rows: [GridRow] = []
        for district in districts.sorted(by: byKey) {
            let districtPrefix = district.group + " "
            let (own, rest) = remainingStreets.split { $0.group.hasPrefix(districtPrefix) }
            remainingStreets = rest
            for street in own {
                let streetName = String(street.group.dropFirst(districtPrefix.count))
                let streetPrefix = street.group + " "
                let (members, others) = remainingCommunities.split { $0.group.hasPrefix(streetPrefix) }
                remainingCommunities = others
                for community in members {
                    rows.append(GridRow(level: .community, district: district.group, street: streetName,
                                        community: String(community.group.dropFirst(streetPrefix.count)), row: community))
                }
                rows.append(GridRow(level: .street, district: district.group, street: streetName, community: "", row: street))
            }
            rows.append(GridRow(level: .district, district: district.group, street: "", community: "", row: district))
        }
        rows.append(GridRow(level: .total, district: "", street: "", community: "", row: total))
        return rows
    }
}

extension Array {
    /// The elements that pass `belongs`, and the rest, each in order.
    fileprivate func split(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = [], no: [Element] = []
        for element in self { if belongs(element) { yes.append(element) } else { no.append(element) } }
        return (yes, no)
    }
}

/// The finance workbook of one period (`pikou report --format xlsx`), in the catalogue's language:
/// 汇总 (the report's groups, the total and the 钱表相符 lines), 网格进度 (district → street →
/// community with subtotals, foldable), 失败明细 (each failed debit with its next step), 异常 and
/// 失败原因 (failures by outcome, with a bar chart). Every sheet has a title row with the period and
/// the unit (元), a frozen, autofiltered header; rates are numbers with a % format; ID numbers and
/// accounts are masked text cells (exports never carry them whole).
public struct ReportWorkbook: Sendable {
    public var report: ReconciliationReport
    public var grid: [GridRow]
    public var outcomes: [ReportRow]
    public var failures: [FailureStep]
    /// Banks by code: their names as people say them (`display_name`), written in place of the codes.
    public var bankNames: [String: String] = [:]

    public init(report: ReconciliationReport, grid: [GridRow], outcomes: [ReportRow], failures: [FailureStep]) {
        self.report = report
        self.grid = grid
        self.outcomes = outcomes
        self.failures = failures
    }

    /// The report's figures, as ``ReconciliationReport`` lists them for its CSV and screen table.
    private static var figures: [(title: Message, figure: ReconciliationReport.Figure)] { ReconciliationReport.figures }

    private static func writeFigures(_ row: ReportRow, on sheet: XLSXWorkbook.Sheet, row index: Int, from first: Int, strong: Bool) {
        for (offset, figure) in figures.enumerated() {
            let column = first + offset
            switch figure.figure {
            case .count(let path): sheet.number(row: index, column: column, Int64(row[keyPath: path]), strong: strong)
            case .yuan(let path): sheet.yuan(row: index, column: column, fen: row[keyPath: path], strong: strong)
            case .rate(let part, let whole): sheet.rate(row: index, column: column, row[keyPath: part], of: row[keyPath: whole], strong: strong)
            }
        }
    }

    /// Writes the workbook to `path` (0600).
    func bankName(_ code: String) -> String { bankNames[code] ?? code }

    public func write(path: String) throws {
        let book = try XLSXWorkbook(path: path)
        let period = report.period
        let title = { (sheet: Message) in Catalogue.workbookTitle(period, sheet: sheet).text }

        // 汇总
        let summary = try book.sheet(Catalogue.sheetSummary.text)
        let summaryColumns = 1 + Self.figures.count
        summary.title(row: 0, columns: summaryColumns, title(Catalogue.sheetSummary))
        summary.header(row: 1, column: 0, Catalogue.groupTitle(report.grouping).text)
        for (offset, figure) in Self.figures.enumerated() { summary.header(row: 1, column: 1 + offset, figure.title.text) }
        for (index, row) in report.rows.enumerated() {
            summary.text(row: index + 2, column: 0, report.grouping == .bank ? bankName(row.group) : row.group)
            Self.writeFigures(row, on: summary, row: index + 2, from: 1, strong: false)
        }
        let totalRow = report.rows.count + 2
        summary.text(row: totalRow, column: 0, Catalogue.total.text, strong: true)
        Self.writeFigures(report.total, on: summary, row: totalRow, from: 1, strong: true)
        for (offset, line) in report.matchLines.enumerated() { summary.text(row: totalRow + 2 + offset, column: 0, line, strong: offset == 0) }
        if let head = report.journalHead {
            summary.text(row: totalRow + 3 + report.matchLines.count, column: 0, Catalogue.journalHeadLine(head).text, strong: false)
        }
        summary.autofilter(row: 1, lastRow: totalRow - 1, columns: summaryColumns)
        summary.freeze(rows: 2)
        summary.widths(first: 0, last: 0, 30)
        summary.widths(first: 1, last: summaryColumns - 1, 14)

        // 网格进度
        let gridSheet = try book.sheet(Catalogue.sheetGrid.text)
        let gridColumns = 3 + Self.figures.count
        gridSheet.title(row: 0, columns: gridColumns, title(Catalogue.sheetGrid))
        for (column, word) in [Catalogue.district, Catalogue.street, Catalogue.community].enumerated() { gridSheet.header(row: 1, column: column, word.text) }
        for (offset, figure) in Self.figures.enumerated() { gridSheet.header(row: 1, column: 3 + offset, figure.title.text) }
        for (index, line) in grid.enumerated() {
            let row = index + 2
            let strong = line.level != .community
            switch line.level {
            case .community:
                gridSheet.text(row: row, column: 0, line.district)
                gridSheet.text(row: row, column: 1, line.street)
                gridSheet.text(row: row, column: 2, line.community)
            case .street:
                gridSheet.text(row: row, column: 0, line.district, strong: true)
                gridSheet.text(row: row, column: 1, line.street, strong: true)
                gridSheet.text(row: row, column: 2, Catalogue.subtotal.text, strong: true)
            case .district:
                gridSheet.text(row: row, column: 0, line.district, strong: true)
                gridSheet.text(row: row, column: 1, Catalogue.subtotal.text, strong: true)
            case .total:
                gridSheet.text(row: row, column: 0, Catalogue.total.text, strong: true)
            }
            Self.writeFigures(line.row, on: gridSheet, row: row, from: 3, strong: strong)
            if line.level.rawValue > 0 { gridSheet.outline(row: row, level: line.level.rawValue) }
        }
        gridSheet.autofilter(row: 1, lastRow: grid.count, columns: gridColumns)
        gridSheet.freeze(rows: 2)
        gridSheet.widths(first: 0, last: 2, 16)
        gridSheet.widths(first: 3, last: gridColumns - 1, 13)

        // 失败明细
        let failureSheet = try book.sheet(Catalogue.sheetFailures.text)
        let failureHeaders = [Catalogue.bank, Catalogue.file, Catalogue.collectionDate, Catalogue.payer, Catalogue.name, Catalogue.phone,
                              Catalogue.district, Catalogue.street, Catalogue.community, Catalogue.account, Catalogue.amountYuan,
                              Catalogue.outcome, Catalogue.bankCode, Catalogue.bankText, Catalogue.attempts, Catalogue.nextStep]
        failureSheet.title(row: 0, columns: failureHeaders.count, title(Catalogue.sheetFailures))
        for (column, word) in failureHeaders.enumerated() { failureSheet.header(row: 1, column: column, word.text) }
        for (index, failure) in failures.enumerated() {
            let row = index + 2, f = failure.record
            failureSheet.text(row: row, column: 0, bankName(f.bank))
            failureSheet.text(row: row, column: 1, f.fileName)
            failureSheet.text(row: row, column: 2, f.attemptDate.description)
            failureSheet.literal(row: row, column: 3, f.idNumber.masked)
            failureSheet.text(row: row, column: 4, Masking.name(f.name))
            failureSheet.literal(row: row, column: 5, Masking.text(f.phone))
            failureSheet.text(row: row, column: 6, f.district)
            failureSheet.text(row: row, column: 7, f.street)
            failureSheet.text(row: row, column: 8, f.community)
            failureSheet.literal(row: row, column: 9, f.account.masked)
            failureSheet.yuan(row: row, column: 10, fen: f.amount.fen)
            failureSheet.text(row: row, column: 11, Catalogue.outcome(f.outcome).text)
            failureSheet.literal(row: row, column: 12, f.bankCode)
            failureSheet.text(row: row, column: 13, f.bankText)
            failureSheet.number(row: row, column: 14, Int64(f.attempts))
            failureSheet.text(row: row, column: 15, Catalogue.nextStep(failure.next).text)
        }
        failureSheet.autofilter(row: 1, lastRow: failures.count + 1, columns: failureHeaders.count)
        failureSheet.freeze(rows: 2)
        failureSheet.widths(first: 0, last: failureHeaders.count - 1, 14)

        // 异常
        let exceptionSheet = try book.sheet(Catalogue.sheetExceptions.text)
        let exceptionHeaders = [Catalogue.bank, Catalogue.returnFile, Catalogue.line, Catalogue.kind, Catalogue.detail, Catalogue.state]
        exceptionSheet.title(row: 0, columns: exceptionHeaders.count, title(Catalogue.sheetExceptions))
        for (column, word) in exceptionHeaders.enumerated() { exceptionSheet.header(row: 1, column: column, word.text) }
        for (index, exception) in report.exceptions.enumerated() {
            let row = index + 2
            exceptionSheet.text(row: row, column: 0, bankName(exception.bank))
            exceptionSheet.text(row: row, column: 1, exception.returnFile)
            exceptionSheet.number(row: row, column: 2, Int64(exception.line))
            exceptionSheet.text(row: row, column: 3, Catalogue.exceptionKind(exception.kind).text)
            exceptionSheet.text(row: row, column: 4, exception.detail.text)
            exceptionSheet.text(row: row, column: 5, (exception.resolved ? Catalogue.resolved : Catalogue.open).text)
        }
        exceptionSheet.autofilter(row: 1, lastRow: report.exceptions.count + 1, columns: exceptionHeaders.count)
        exceptionSheet.freeze(rows: 2)
        exceptionSheet.widths(first: 0, last: exceptionHeaders.count - 1, 22)

        // 三方对账: the four legs of each bank.
        let chainSheet = try book.sheet(Catalogue.sheetChain.text)
        let chainHeaders = AfterBankCatalogue.columns
        chainSheet.title(row: 0, columns: chainHeaders.count, title(Catalogue.sheetChain))
        for (column, word) in chainHeaders.enumerated() { chainSheet.header(row: 1, column: column, word.text) }
        for (index, chain) in report.chain.enumerated() {
            let row = index + 2
            chainSheet.text(row: row, column: 0, bankName(chain.legs.bank))
            for (offset, amount) in [chain.legs.listed, chain.legs.succeeded, chain.legs.credited, chain.legs.booked].enumerated() {
                if let amount { chainSheet.yuan(row: row, column: 1 + offset, fen: amount.fen) } else { chainSheet.text(row: row, column: 1 + offset, LegState.noData.label.text) }
            }
            for (offset, state) in [chain.bankState, chain.accountState, chain.treasuryState, chain.overall].enumerated() {
                chainSheet.text(row: row, column: 5 + offset, state.label.text, strong: offset == 3)
            }
        }
        chainSheet.text(row: report.chain.count + 3, column: 0, AfterBankCatalogue.verdictLine(report.verdict).text, strong: true)
        chainSheet.freeze(rows: 2)
        chainSheet.widths(first: 0, last: chainHeaders.count - 1, 16)

        // 失败原因
        let failed = outcomes.filter { $0.group != Outcome.succeeded.rawValue && $0.group != "pending" }
        let outcomeSheet = try book.sheet(Catalogue.sheetOutcomes.text)
        outcomeSheet.title(row: 0, columns: 3, title(Catalogue.sheetOutcomes))
        for (column, word) in [Catalogue.outcome, Catalogue.lines, Catalogue.amountYuan].enumerated() { outcomeSheet.header(row: 1, column: column, word.text) }
        for (index, row) in failed.enumerated() {
            outcomeSheet.text(row: index + 2, column: 0, Outcome(rawValue: row.group).map { Catalogue.outcome($0).text } ?? row.group)
            outcomeSheet.number(row: index + 2, column: 1, Int64(row.lines))
            outcomeSheet.yuan(row: index + 2, column: 2, fen: row.linesFen)
        }
        outcomeSheet.freeze(rows: 2)
        outcomeSheet.widths(first: 0, last: 2, 18)
        if !failed.isEmpty {
            book.barChart(on: outcomeSheet, title: title(Catalogue.sheetOutcomes), series: Catalogue.failed.text,
                          sheetName: Catalogue.sheetOutcomes.text, firstRow: 3, rows: failed.count, at: (1, 4))
        }
        try book.close()
    }
}
