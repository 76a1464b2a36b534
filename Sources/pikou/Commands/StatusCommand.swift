import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: Catalogue.Help.status.text)

    @OptionGroup var options: StoreOptions

    @Option(help: ArgumentHelp(Catalogue.Help.Option.periodOrAll.text), transform: periodArgument)
    var period: Period?

    @OptionGroup var limit: LimitOption

    func run() async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let rows = try await reporting { try await pikou.status(period: period) }
        var table = TextTable([
            // On a narrow screen the yuan of each state go first (the lines stay; 钱表相符 below has the yuan).
            .init(Catalogue.bank.text), .init(Catalogue.file.text), .init(Catalogue.submitted.text, .right), .init(Catalogue.submittedYuan.text, .right, drop: 5),
            .init(Catalogue.succeeded.text, .right), .init(Catalogue.succeededYuan.text, .right, drop: 2), .init(Catalogue.failed.text, .right),
            .init(Catalogue.failedYuan.text, .right, drop: 3), .init(Catalogue.pending.text, .right), .init(Catalogue.pendingYuan.text, .right, drop: 1),
            .init(Catalogue.exceptionsColumn.text, .right, drop: 4),
        ])
        var total = FileStatus.Totals()
        for row in rows {
            table.add(cells(row.bank, row.fileName + (row.state == .reserved ? Catalogue.notWritten.text : ""), row.totals))
            try reporting { try total.add(row.totals) }
        }
        table.addFooter(cells(Catalogue.total.text, "", total))
        for line in table.lines(limit: limit.value, width: limit.width) { print(line) }
        if total.submitted > 0 {
            let lines = Percentage.text(Int64(total.succeeded), of: Int64(total.submitted)) ?? "0.0"
            let yuan = Percentage.text(total.succeededFen, of: total.submittedFen) ?? "0.0"
            print(Catalogue.successRates(lines: lines, yuan: yuan).text)
        }
    }

    private func cells(_ bank: String, _ name: String, _ row: FileStatus.Totals) -> [String] {
        [bank, name, String(row.submitted), Money(fen: row.submittedFen).groupedYuanText, String(row.succeeded),
         Money(fen: row.succeededFen).groupedYuanText, String(row.failed), Money(fen: row.failedFen).groupedYuanText,
         String(row.pending), Money(fen: row.pendingFen).groupedYuanText, String(row.exceptions)]
    }
}
