import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 上门催缴名单: a village's (community's) residents whose dues of the year are not yet paid, for the
/// grid worker — on screen, printed (the print stylesheet: the title, the window, a 公示期 to fill,
/// the table, the signature lines; nothing of the console around it), and as an XLSX. Reached from
/// 网格进度's residents' view, one link per village.
extension Console {
    /// The village `unit` (`district street community`) of the year asked, or a page error.
    private func chosenVillage(_ request: Request) async throws -> (DoorToDoorList, DoorToDoorList.Village?, String) {
        let title = Catalogue.Page.doorToDoorLists
        let year = parameter(request, "year").flatMap { Int($0) }
        guard let unit = parameter(request, "unit"), !unit.isEmpty else {
            throw PageError(title: title, message: Catalogue.Page.noVillageChosen)
        }
        let useCases = useCases
        let lists = try await cached("door-to-door|\(year.map(String.init) ?? "")") { try await useCases.doorToDoor(year: year) }
        return (lists, lists.village(unit), unit)
    }

    func unpaidList(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let (lists, found, unit) = try await chosenVillage(request)
        let year = lists.year
        let names = useCases.workspace.bankNames()
        let place = unit.split(separator: " ").joined(separator: " ")
        let title = Catalogue.doorToDoorTitle(place: place, year: year).text(language)
        guard let village = found else {
            return Layout.frame(title: Catalogue.Page.doorToDoorLists, viewer: viewer, language: language, current: "/grid",
                                body: "<h1 class=\"printonly\">\(title)</h1><p>\(Catalogue.doorNone.text(language))</p>")
        }
        let rows = village.rows.enumerated().map { index, row -> [HTML] in
            DoorToDoorList.cells(row, number: index + 1, bankName: { names[$0] ?? $0 }, language: language).map { "\($0)" }
        }
        let footer: [[HTML]] = [["\(Catalogue.total.text(language))", "\(Catalogue.doorCount(persons: village.persons, lines: village.rows.count).text(language))",
                                 "", "", "", "", "\(village.total.map { Layout.yuan($0.fen) } ?? "—")", "", ""]]
        let back: HTML = "<a href=\"/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year)), ("level", "community")]))\">\(Catalogue.Page.residentsParticipation(year).text(language))</a>"
        let download = viewer.role.may(.downloadReports)
            ? " · <a href=\"/grid/unpaid.xlsx\(query([("year", String(year)), ("unit", unit)]))\">\(Catalogue.doorDownload.text(language))</a>" as HTML : ""
        return Layout.frame(title: Catalogue.Page.doorToDoorLists, viewer: viewer, language: language, current: "/grid", body: """
            <p class="tabs noprint">\(back)\(download) · \(Catalogue.doorPrintHint.text(language))</p>
            <h1 class="printonly">\(title)</h1>
            <h2 class="noprint">\(title)</h2>
            <p>\(Catalogue.doorWindow(from: lists.window.from, to: lists.window.to).text(language))</p>
            <p>\(Catalogue.doorPublicity.text(language))</p>
            \(Layout.table(DoorToDoorList.columns.map { $0.text(language) }, numeric: [0, 5, 6], rows, footer: footer))
            <p class="signatures">\(Catalogue.doorSignatures.text(language))</p>
            """)
    }

    func unpaidListDownload(_ request: Request, _ viewer: Viewer) async throws -> Download {
        let (lists, found, unit) = try await chosenVillage(request)
        guard let village = found else { throw PageError(title: Catalogue.Page.doorToDoorLists, message: Catalogue.doorNone, status: .notFound) }
        let names = useCases.workspace.bankNames()
        let bytes = try workbookBytes { try lists.writeXLSX(village, to: $0, bankName: { names[$0] ?? $0 }, language: language) }
        try await useCases.journal(actor: viewer.name, action: "console.download", subject: "上门催缴名单", detail: "\(lists.year) \(unit) \(village.rows.count) lines")
        return Download(name: DoorToDoorList.fileName(village, year: lists.year), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: bytes)
    }
}
