import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou report`.
struct ReportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument { case table, csv, xlsx, json }
    enum Encoding: String, ExpressibleByArgument { case utf8 = "utf-8", gbk }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: Catalogue.Help.report.text,
        discussion: Catalogue.Help.Discussion.report.text
    )

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.scheme.text)) var scheme: Scheme = .flexibleMonthly
    @Option(help: ArgumentHelp(Catalogue.Help.Option.coverYear.text)) var year: Int?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.targets.text, valueName: "CSV")) var targets: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportBy.text)) var by: String = "bank"
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportFormat.text)) var format: Format = .table
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportOut.text, valueName: "PATH")) var out: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportEncoding.text)) var encoding: Encoding = .utf8
    @Option(name: .customLong("door-to-door"), help: ArgumentHelp(Catalogue.Help.Option.doorToDoor.text, valueName: "DIR")) var doorToDoor: String?
    @OptionGroup var limit: LimitOption
    @OptionGroup var csv: CSVColumnsOption

    func validate() throws {
        try checkSchemeOptions(scheme, period: period, residentsOnly: [("--year", year != nil), ("--targets", targets != nil), ("--door-to-door", doorToDoor != nil)],
                               taking: Message(zh: "城乡居民两险报表用", en: "the residents' report takes"))
        if scheme == .residentsAnnual {
            if ResidentsGrouping(rawValue: by) == nil {
                let groupings = ResidentsGrouping.allCases.map(\.rawValue)
                throw usageError(Message(zh: "城乡居民两险报表的 --by 只能是：\(groupings.map { "'\($0)'" }.joined(separator: "、"))",
                                         en: "--by must be one of \(groupings.joined(separator: ", ")) for the residents' report"))
            }
            if format == .json {
                throw usageError(Message(zh: "城乡居民两险报表可输出表格、CSV 或 XLSX（--format 'table'、'csv' 或 'xlsx'）",
                                         en: "the residents' report is a table, a csv or an xlsx (--format table|csv|xlsx)"))
            }
            if format == .xlsx && out == nil {
                throw usageError(Message(zh: "--format xlsx 需要 --out 文件名", en: "--format xlsx needs --out FILE"))
            }
        }
    }

    /// `--scheme residents-annual`: the finance view, the public funds' list, participation by grid.
    func runResidents() async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let cover = try reporting { try year ?? pikou.residentsPolicy(year: nil).year }
        let grouping = ResidentsGrouping(rawValue: by) ?? .bank
        var report: ResidentsReport
        if format == .xlsx, let out {
            // The workbook: by bank, file and grid (the grid level of --by, streets otherwise), public funds, participation.
            let level = GridLevel(rawValue: grouping.rawValue) ?? .street
            report = try await reporting { try await ResidentsWorkbook.write(pikou, year: cover, level: level, targets: targets, to: out) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: out)
            print(Catalogue.residentsWorkbookWritten(out, year: cover).text)
        } else {
            report = try await reporting { try await pikou.residentsReport(year: cover, by: grouping, targets: targets) }
        }
        if let doorToDoor {
            // One list per village with someone still to pay, for the grid workers (printable XLSX).
            let lists = try await reporting { try await pikou.doorToDoor(year: cover) }
            try FileIO.makePrivateDirectory(doorToDoor)
            let names = workspace.bankNames()
            for village in lists.villages {
                let path = doorToDoor + "/" + DoorToDoorList.fileName(village, year: cover)
                try lists.writeXLSX(village, to: path, bankName: { names[$0] ?? $0 })
                try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
            print(Catalogue.doorWritten(doorToDoor, villages: lists.villages.count, persons: lists.villages.reduce(0) { $0 + $1.persons }).text)
        }
        switch format {
        case .xlsx:
            break
        case .csv:
            try emit(try reporting { try report.csv() })
        default:
            print("\(Catalogue.residentsTitle.text) \(cover)")
            for line in try reporting({ try report.financeTable() }).lines(limit: limit.value, width: limit.width) { print(line) }
            print("\n" + Catalogue.publicFundsTitle.text)
            for line in try reporting({ try report.publicFundsTable() }).lines(width: limit.width) { print(line) }
            if !report.participation.isEmpty {
                print("\n" + Catalogue.participationTitle.text)
                for line in report.participationTable().lines(limit: limit.value, width: limit.width) { print(line) }
                print(Catalogue.rateRule.text)
            }
            print()
            for line in report.check.lines { print(line) }
        }
        let state = report.check.state
        RunLog.verdict(state.rawValue, key: "residents-annual-\(cover)", exitCode: state.exitCode)
        if state.exitCode != 0 { throw ExitCode(state.exitCode) }
    }

    func run() async throws {
        guard let period else { return try await runResidents() }
        guard let grouping = ReportGrouping(rawValue: by) else {
            let groupings = ReportGrouping.allCases.map(\.rawValue)
            throw usageError(Message(zh: "--by 只能是：\(groupings.map { "'\($0)'" }.joined(separator: "、"))",
                                     en: "--by must be one of \(groupings.joined(separator: ", "))"))
        }
        if format == .xlsx && out == nil {
            throw usageError(Message(zh: "--format 'xlsx' 需要用 --out 指定输出文件", en: "--format xlsx needs --out PATH"))
        }
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let report = try await reporting { try await pikou.report(period: period, by: grouping) }
        switch format {
        case .table:
            var table = TextTable(ReconciliationReport.screenColumns)
            for row in report.rows { table.add(ReconciliationReport.screenCells(row)) }
            table.addFooter(ReconciliationReport.screenCells(report.total))
            for line in table.lines(limit: limit.value, width: limit.width) { print(line) }
            if !report.exceptions.isEmpty {
                print("\n" + Catalogue.reportExceptions(report.exceptions.count).text)
                for e in report.exceptions.prefix(20) {
                    print("  \(e.bank)/\(e.returnFile):\(e.line) \(Catalogue.exceptionKind(e.kind).text)\(Language.current == .zh ? "：" : ": ")\(e.detail.text)")
                }
                if report.exceptions.count > 20 { print("  " + Catalogue.moreExceptions(report.exceptions.count - 20).text) }
            }
            print()
            for line in report.matchLines { print(line) }
            if report.chain.contains(where: { $0.legs.credited != nil || $0.legs.booked != nil }) {
                print()
                for line in chainTable(report.chain) { print(line) }
                print(AfterBankCatalogue.verdictLine(report.verdict).text)
            }
            if let head = report.journalHead { print(Catalogue.journalHeadLine(head).text) }
        case .csv:
            let bytes = report.csv(encoding: encoding == .gbk ? .gbk : .utf8BOM, headers: csv.headers)
            try emit(bytes)
        case .json:
            try emit(try reporting { try report.json() })
        case .xlsx:
            let workbook = try await reporting { try await pikou.workbook(report, today: todayInChina()) }
            try reporting { try workbook.write(path: out!) }
            print(Catalogue.workbookWritten(out!, groups: report.rows.count, failures: workbook.failures.count,
                                            exceptions: report.exceptions.count, check: report.matchLines.first ?? "").text)
        }
        RunLog.verdict("\(report.verdict)", key: "flexible-monthly-\(period)", exitCode: report.verdict.exitCode)
        if report.verdict != .match { throw ExitCode(report.verdict.exitCode) }
    }

    private func emit(_ bytes: [UInt8]) throws {
        if let out {
            try reporting { try FileIO.writeAtomically(bytes, to: out) }
            print(Catalogue.bytesWritten(out, bytes: bytes.count).text)
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
