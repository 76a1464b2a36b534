import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 网格进度: collection by grid level (区 → 街道 → 社区), the same figures as `pikou report --by`; a
/// district opens its streets, a street its communities. The residents' scheme: participation by grid.
extension Console {
    func addGridRoutes(to router: Router<ConsoleContext>) {
        router.get("/grid") { request, context in try await page(request, context, .view) { viewer in try await grid(request, viewer) } }
        router.get("/grid/unpaid") { request, context in try await page(request, context, .view) { viewer in try await unpaidList(request, viewer) } }
        router.get("/grid/unpaid.xlsx") { request, context in
            try await download(request, context, .downloadReports) { viewer in try await unpaidListDownload(request, viewer) }
        }
    }

    static let gridLevels: [(ReportGrouping, Message)] = [(.district, Catalogue.district), (.street, Catalogue.street), (.community, Catalogue.community)]

    func grid(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.gridProgress
        if parameter(request, "scheme") == Scheme.residentsAnnual.rawValue { return try await residentsGrid(request, viewer, title: title) }
        guard let period = try await chosenPeriod(request) else { return noData(title, viewer, current: "/grid") }
        let district = parameter(request, "district"), street = district == nil ? nil : parameter(request, "street")
        let levelText = parameter(request, "level") ?? (street != nil ? "community" : district != nil ? "street" : "district")
        guard let level = Self.gridLevels.first(where: { $0.0.rawValue == levelText })?.0 else {
            throw PageError(title: title, message: Catalogue.Page.invalidLevel(levelText))
        }
        let useCases = useCases
        let slice = try await cached("grid|\(period)|\(level.rawValue)|\(district ?? "")|\(street ?? "")") {
            try await useCases.grid(period: period, level: level, district: district, street: street)
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/grid",
                            body: renderGrid(slice, period: period, district: district, street: street))
    }

    func renderGrid(_ slice: GridSlice, period: Period, district: String?, street: String?) -> HTML {
        let level = slice.level, periodText = period.description
        let crumbs: [HTML] = [
            "<a href=\"/grid\(query([("period", periodText)]))\">\(Catalogue.Page.allDistricts.text(language))</a>",
        ] + (district.map { d -> [HTML] in ["<a href=\"/grid\(query([("period", periodText), ("district", d)]))\">\(d)</a>"] } ?? [])
          + (level == .community ? street.map { s -> [HTML] in ["<strong>\(s)</strong>"] } ?? [] : [])
        let rows = slice.rows.map { name, row -> [HTML] in
            let group: HTML = switch level {
            case .district: "<a href=\"/grid\(query([("period", periodText), ("district", name)]))\">\(name)</a>"
            case .street where district != nil: "<a href=\"/grid\(query([("period", periodText), ("district", district), ("street", name)]))\">\(name)</a>"
            default: "\(name)"
            }
            return [group] + gridFigures(row, failed: failuresLink(row.group, row.failed, period: periodText))
        }
        let totalName = slice.isSubtotal ? Catalogue.Page.subtotal : Catalogue.total
        let total = ["\(totalName.text(language))"] + gridFigures(slice.total, failed: failuresLink(slice.parent, slice.total.failed, period: periodText))
        let tabs: HTML = slice.isSubtotal ? "" : HTML.join(Self.gridLevels.map { item -> HTML in
            item.0 == level ? "<strong>\(item.1.text(language))</strong> "
                : "<a href=\"/grid\(query([("period", periodText), ("level", item.0.rawValue)]))\">\(item.1.text(language))</a> "
        })
        let residents: HTML = useCases.latestResidentsYear().map { year in
            "<p class=\"tabs\"><a href=\"/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year))]))\">\(Catalogue.Page.residentsParticipation(year).text(language))</a></p>"
        } ?? ""
        let levelTitle = Self.gridLevels.first { $0.0 == level }?.1 ?? Catalogue.district
        return """
            \(residents)
            \(periodPicker(period, path: "/grid", extra: [("level", level.rawValue), ("district", district), ("street", street)]))
            <p class="crumbs">\(HTML.join(crumbs.enumerated().map { $0.offset == 0 ? $0.element : " → \($0.element)" }))</p>
            <p class="tabs">\(tabs)</p>
            \(Layout.table([levelTitle, Catalogue.payersOwing, Catalogue.payersPaid, Catalogue.paidRate, Catalogue.owingYuan, Catalogue.paidYuan,
                            Catalogue.succeeded, Catalogue.failed, Catalogue.pending].map { $0.text(language) }, numeric: Set(1...8), rows,
                           caption: Layout.period(period, language), footer: [total]))
            """
    }

    /// A count of failures linking to 失败明细 filtered to the grid unit keyed `key` (`D`, `D S`,
    /// `D S C`; empty: the whole period).
    private func failuresLink(_ key: String, _ count: Int, period: String) -> HTML {
        let parts = key.split(separator: " ", maxSplits: 2).map(String.init)
        let place: [(String, String?)] = [("district", parts.first), ("street", parts.count > 1 ? parts[1] : nil), ("community", parts.count > 2 ? parts[2] : nil)]
        return "<a href=\"/failures\(query([("period", period)] + place))\">\(Layout.count(count))</a>"
    }

    private func gridFigures(_ row: ReportRow, failed: HTML) -> [HTML] {
        ["\(Layout.count(row.payersOwing))", "\(Layout.count(row.payersPaid))", "\(Layout.rate(row.payersPaid, row.payersOwing))",
         "\(Layout.yuan(row.owingFen))", "\(Layout.yuan(row.paidFen))", "\(Layout.count(row.succeeded))", failed, "\(Layout.count(row.pending))"]
    }

    /// The residents' participation by grid (区 → 街道 → 社区): enrolled and paid against the targets'
    /// eligible counts and rates, the lowest rate first — the same figures as `pikou report --scheme
    /// residents-annual --by street`.
    func residentsGrid(_ request: Request, _ viewer: Viewer, title: Message) async throws -> HTML {
        guard let year = parameter(request, "year").flatMap({ Int($0) }) ?? useCases.latestResidentsYear() else {
            return noData(title, viewer, current: "/grid")
        }
        let levelText = parameter(request, "level") ?? "street"
        guard let level = GridLevel(rawValue: levelText) else {
            throw PageError(title: title, message: Catalogue.Page.invalidLevel(levelText))
        }
        let useCases = useCases
        let report = try await cached("grid-residents|\(year)|\(level.rawValue)") {
            try await useCases.residentsReport(year: year, by: ResidentsGrouping(rawValue: level.rawValue) ?? .street, targets: nil)
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/grid", body: renderResidentsGrid(report, year: year, level: level))
    }

    func renderResidentsGrid(_ report: ResidentsReport, year: Int, level: GridLevel) -> HTML {
        let rows = report.participation.map { row -> [HTML] in
            // A village (community) opens its door-to-door list.
            let unit: HTML = level == .community
                ? "<a href=\"/grid/unpaid\(query([("year", String(year)), ("unit", row.unit)]))\">\(row.unit)</a>" : "\(row.unit)"
            return [unit, "\(Catalogue.insurance(row.insurance).text(language))", "\(row.eligible.map { Layout.count($0) } ?? "—")",
             "\(Layout.count(row.enrolled))", "\(Layout.count(row.paid))", "\(ResidentsParticipation.percent(row.ratePermille))",
             "\(ResidentsParticipation.percent(row.targetPermille))",
             row.belowTarget ? "<strong>\(Catalogue.Page.belowTarget.text(language))</strong>" : ""]
        }
        let tabs = HTML.join(Self.gridLevels.map { item -> HTML in
            item.0.rawValue == level.rawValue ? "<strong>\(item.1.text(language))</strong> "
                : "<a href=\"/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year)), ("level", item.0.rawValue)]))\">\(item.1.text(language))</a> "
        })
        let levelTitle = Self.gridLevels.first { $0.0.rawValue == level.rawValue }?.1 ?? Catalogue.street
        let lines = report.check.lines(language)
        let findings = lines.dropFirst().map { line -> HTML in "<li>\(line.trimmingCharacters(in: .whitespaces))</li>" }
        return """
            <p class="tabs"><a href="/grid">\(Catalogue.Page.flexibleWorkersMonthly.text(language))</a></p>
            <p class="tabs">\(tabs)</p>
            \(Layout.table([levelTitle, Catalogue.insuranceColumn, Catalogue.eligible, Catalogue.enrolled, Catalogue.paidPersons, Catalogue.participationRate,
                            Catalogue.target, Catalogue.Page.blank].map { $0.text(language) }, numeric: Set(2...6), rows,
                           caption: "\(Catalogue.residentsTitle.text(language)) \(year)"))
            <p class="muted">\(Catalogue.rateRule.text(language))</p>
            <p class="\(report.check.state == .mismatch ? "bad" : "")">\(lines.first ?? "")</p>\(findings.isEmpty ? "" : "<ul>\(findings)</ul>" as HTML)
            """
    }
}
