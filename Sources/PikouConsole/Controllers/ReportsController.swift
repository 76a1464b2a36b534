import BankFormats
import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 报表下载: the period's reconciliation, the payer lists, and the bank files for roles that may have them.
extension Console {
    func addReportsRoutes(to router: Router<ConsoleContext>) {
        router.get("/reports") { request, context in try await page(request, context, .downloadReports) { viewer in try await reports(request, viewer) } }
        router.get("/reports/download") { request, context in
            try await download(request, context, .downloadReports) { viewer in try await reportDownload(request, viewer) }
        }
        router.get("/files/download") { request, context in
            try await download(request, context, .downloadBankFiles) { viewer in try await bankFileDownload(request, viewer) }
        }
    }

    /// What `/reports/download?what=` serves.
    enum ReportDownload: String, CaseIterable {
        case csv, csvGBK = "csv-gbk", json, xlsx, notice, interrupted, refunds
        /// The residents' workbook of the year (`year=`).
        case residents
    }

    /// The residents' download of the latest year, when a policy exists: the workbook for finance and 财政.
    func residentsDownloads() -> HTML {
        guard let year = useCases.latestResidentsYear() else { return "" }
        let rows: [[HTML]] = [["<a href=\"/reports/download\(query([("what", ReportDownload.residents.rawValue), ("year", String(year))]))\">\(Catalogue.residentsTitle.text(language)) \(Catalogue.coverYear(year).text(language)) XLSX</a>",
                               "\(Catalogue.Page.residentsWorkbook.text(language))"]]
        return """
            <h2>\(Catalogue.residentsTitle.text(language))</h2>
            \(Layout.table([Catalogue.Page.download, Catalogue.detail].map { $0.text(language) }, numeric: [], rows))
            """
    }

    /// 报表下载: the period's reconciliation (CSV, CSV in GBK, JSON, XLSX), the payer lists, and the
    /// debit and return files for roles that may have them.
    func reports(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.downloads
        guard let period = try await chosenPeriod(request) else {
            // A county collecting only the residents' scheme: its workbook.
            let residents = residentsDownloads()
            if residents.text.isEmpty { return noData(title, viewer, current: "/reports") }
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/reports", body: residents)
        }
        let p = period.description
        func link(_ what: ReportDownload, _ label: Message, _ note: Message) -> [HTML] {
            ["<a href=\"/reports/download\(query([("period", p), ("what", what.rawValue)]))\">\(label.text(language))</a>", "\(note.text(language))"]
        }
        let reports: [[HTML]] = [
            link(.xlsx, Catalogue.Page.reconciliationWorkbookXLSX,
                 Catalogue.Page.workbookSheets),
            link(.csv, Catalogue.Page.reconciliationCSVUTF8, Catalogue.Page.byBankNote),
            link(.csvGBK, Catalogue.Page.reconciliationCSVGBK, Catalogue.Page.forOlderExcel),
            link(.json, Catalogue.Page.reconciliationJSON, Catalogue.Page.forOtherSystems),
            link(.notice, PayerList.notice.title, Catalogue.Page.whoPaidIDsAndNames),
            link(.interrupted, PayerList.interrupted.title, Catalogue.Page.failedTwoPeriodsInRow),
            link(.refunds, PayerList.refunds.title, Catalogue.Page.debitedAndAlsoPaidElsewhere),
        ]
        var files: HTML = ""
        if viewer.role.may(.downloadBankFiles) {
            let useCases = useCases
            files = renderBankFiles(try await cached("bankfiles|\(period)") { try await useCases.bankFiles(period: period) })
        }
        let body: HTML = """
            \(periodPicker(period, path: "/reports"))
            \(Layout.table([Catalogue.Page.download, Catalogue.detail].map { $0.text(language) }, numeric: [], reports, caption: Layout.period(period, language)))
            \(files)
            \(residentsDownloads())
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/reports", body: body)
    }

    /// Each debit file of the period, linked for download, with the return files that answered it.
    func renderBankFiles(_ files: [BankFileRow]) -> HTML {
        let rows = files.map { row -> [HTML] in
            let file = row.status
            let debit: HTML = file.state == .reserved || row.debitFileID == nil ? "\(file.fileName) \(Catalogue.notWritten.text(language))"
                : "<a href=\"/files/download\(query([("kind", "debit"), ("id", String(row.debitFileID ?? 0))]))\">\(file.fileName)</a>"
            let returned = row.returns.map { r -> HTML in
                "<a href=\"/files/download\(query([("kind", "return"), ("id", String(r.id))]))\">\(r.name)</a> "
            }
            return ["\(bankName(file.bank))", debit, "\(Layout.count(file.totals.submitted))", "\(Layout.yuan(file.totals.submittedFen))", HTML.join(returned)]
        }
        return """
            <h2>\(Catalogue.Page.debitAndReturnFiles.text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.file, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.returnFile].map { $0.text(language) },
                           numeric: [2, 3], rows))
            """
    }

    func reportDownload(_ request: Request, _ viewer: Viewer) async throws -> Download {
        let title = Catalogue.Page.downloads
        let whatText = parameter(request, "what") ?? ""
        guard let what = ReportDownload(rawValue: whatText) else {
            throw PageError(title: title, message: Catalogue.Page.noSuchDownload(whatText), status: .notFound)
        }
        if what == .residents {
            guard let year = parameter(request, "year").flatMap({ Int($0) }) ?? useCases.latestResidentsYear() else {
                throw PageError(title: title, message: Catalogue.Page.noDebitFilesYet, status: .notFound)
            }
            let useCases = useCases, language = language
            let bytes = try await workbookBytes { path in
                _ = try await ResidentsWorkbook.write(useCases, year: year, level: .community, targets: nil, to: path, language: language)
            }
            try await useCases.journal(actor: viewer.name, action: "console.download", subject: "城乡居民两险报表", detail: "\(year)")
            return Download(name: "pikou-\(year)-城乡居民两险.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: bytes)
        }
        guard let period = try await chosenPeriod(request) else {
            throw PageError(title: title, message: Catalogue.Page.noDebitFilesYet, status: .notFound)
        }
        let stem = "pikou-\(period.description)"
        switch what {
        case .csv, .csvGBK, .json, .xlsx:
            let report = try await useCases.report(period: period, by: .bank)
            switch what {
            case .csv: return Download(name: "\(stem)-对账.csv", type: "text/csv; charset=utf-8", bytes: report.csv(encoding: .utf8BOM))
            case .csvGBK: return Download(name: "\(stem)-对账-gbk.csv", type: "text/csv; charset=gbk", bytes: report.csv(encoding: .gbk))
            case .json: return Download(name: "\(stem)-对账.json", type: "application/json", bytes: try report.json())
            default:
                let workbook = try await useCases.workbook(report, today: today())
                return Download(name: "\(stem)-对账.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                bytes: try workbookBytes(workbook))
            }
        case .residents:
            preconditionFailure("served above")
        case .notice, .interrupted, .refunds:
            let list = PayerList(rawValue: what.rawValue)!
            let lines = switch list {
            case .notice: try await useCases.paidList(period: period, community: nil)
            case .interrupted: try await useCases.interrupted(months: 2, through: period)
            case .refunds: try await useCases.refunds(period: period)
            }
            try await useCases.journal(actor: viewer.name, action: "console.download", subject: list.rawValue, detail: "\(period) \(lines.count) lines")
            return Download(name: "\(stem)-\(list.title.zh).csv", type: "text/csv; charset=utf-8",
                            bytes: ListCell.csv(list.columns, lines.map { list.cells($0, whole: viewer.role.may(.wholeIDs), language: language) }))
        }
    }

    /// The workbook's bytes: written to a private file of the workspace (0600), read, removed.
    func workbookBytes(_ workbook: ReportWorkbook) throws -> [UInt8] { try workbookBytes { try workbook.write(path: $0) } }

    /// A workbook's bytes, `write` writing it to the path it is given.
    func workbookBytes(_ write: (String) throws -> Void) throws -> [UInt8] {
        let path = try temporaryWorkbookPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(path)
        return try writtenWorkbook(path)
    }

    /// The same, for a writer that asks the store as it writes.
    func workbookBytes(_ write: (String) async throws -> Void) async throws -> [UInt8] {
        let path = try temporaryWorkbookPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await write(path)
        return try writtenWorkbook(path)
    }

    /// A fresh path in the workspace's private folder (0700) for a workbook to be read back and removed.
    private func temporaryWorkbookPath() throws -> String {
        let folder = useCases.workspace.directory + "/console/tmp"
        try FileIO.makePrivateDirectory(folder)
        return folder + "/" + UUID().uuidString + ".xlsx"
    }

    private func writtenWorkbook(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PageError(title: Catalogue.Page.downloads, message: Catalogue.Page.workbookWasNotWritten,
                            status: .internalServerError)
        }
        return [UInt8](data)
    }

    /// A debit file as written or a return file as archived, by the store's id only: no name or
    /// path from the request reaches the file system. Journaled: bank files carry whole accounts.
    func bankFileDownload(_ request: Request, _ viewer: Viewer) async throws -> Download {
        let title = Catalogue.Page.fileDownload
        guard let kind = parameter(request, "kind").flatMap(UseCases.BankFileKind.init(rawValue:)) else {
            throw PageError(title: title, message: Catalogue.Page.kindMustBeDebitOrReturn)
        }
        guard let text = parameter(request, "id"), let id = Int64(text), id > 0 else {
            throw PageError(title: title, message: Catalogue.Page.fileNumberIsNotValid)
        }
        let found: BankFileCopy?
        do { found = try await useCases.bankFile(kind, id: id) } catch let error as PikouError {
            throw PageError(title: title, message: Catalogue.Page.fileUnavailable("\(error)"), status: .conflict)
        }
        guard let copy = found else { throw PageError(title: title, message: Catalogue.Page.noSuchFile, status: .notFound) }
        try await useCases.journal(actor: viewer.name, action: "console.download", subject: copy.name, detail: "\(kind.rawValue) file \(copy.bank)")
        return Download(name: copy.name, type: "application/octet-stream", bytes: copy.bytes)
    }
}
