import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 趋势: the last twelve periods — success rate by bank, failures by reason, resubmissions'
/// success — drawn on the server as SVG (no script), each chart's numbers in a table beneath.
extension Console {
    func addTrendsRoutes(to router: Router<ConsoleContext>) {
        router.get("/trends") { request, context in try await page(request, context, .view) { viewer in try await trends(request, viewer) } }
    }

    static let trendMonths = 12

    func trends(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.trends
        let asked = parameter(request, "period") == nil ? nil : try await chosenPeriod(request)
        let useCases = useCases
        let found = try await cached("trends|\(asked?.description ?? "")") { try await useCases.trends(through: asked, months: Self.trendMonths) }
        guard let trends = found else {
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/trends",
                                body: "<p>\(Catalogue.Page.noDebitFilesYet.text(language))</p>")
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/trends", body: renderTrends(trends))
    }

    func renderTrends(_ trends: Trends) -> HTML {
        let periods = trends.periods.map { $0.description }
        let rate = { (permille: Int?) -> String in permille.map { Percentage.text(permille: Int64($0)) + "%" } ?? "—" }
        let banks = trends.banks.keys.sorted()
        // Success rate by bank: one line each, all banks together in bold.
        let lines = [(label: Catalogue.Page.allBanks.text(language), values: trends.total.map(\.successPermille), strong: true)]
            + banks.map { (label: bankName($0), values: trends.banks[$0]!.map(\.successPermille), strong: false) }
        let rateRows = lines.map { line -> [HTML] in ["\(line.label)"] + line.values.map { "\(rate($0))" } }
        // Failures by reason, stacked per period.
        let reasons = trends.reasons
        let stacks = trends.total.map { month in reasons.map { month.failures[$0] ?? 0 } }
        let reasonRows = reasons.enumerated().map { index, outcome -> [HTML] in
            ["\(Catalogue.outcome(outcome).text(language))"] + stacks.map { "\(Layout.count($0[index]))" }
        }
        let retryRows: [[HTML]] = [
            ["\(Catalogue.Page.resubmittedAnswered.text(language))"] + trends.total.map { "\(Layout.count($0.retried))" },
            ["\(Catalogue.Page.resubmittedSucceeded.text(language))"] + trends.total.map { "\(Layout.count($0.retrySucceeded))" },
            ["\(Catalogue.Page.retrySuccessRate.text(language))"] + trends.total.map { "\(rate($0.retryPermille))" },
        ]
        let header = [""] + periods
        let numeric = Set(1...periods.count)
        return """
            <p>\(Catalogue.Page.trendsAbout(periods.first ?? "", periods.last ?? "").text(language))</p>
            <h2>\(Catalogue.Page.successRateByBank.text(language))</h2>
            \(Layout.lineChart(periods: periods, lines: lines, label: Catalogue.Page.successRateByBank.text(language)))
            \(Layout.table(header, numeric: numeric, rateRows, compact: true))
            <h2>\(Catalogue.Page.failuresByReason.text(language))</h2>
            \(Layout.stackedBars(periods: periods, series: reasons.map { Catalogue.outcome($0).text(language) }, stacks: stacks,
                                 label: Catalogue.Page.failuresByReason.text(language)))
            \(Layout.table(header, numeric: numeric, reasonRows, compact: true))
            <h2>\(Catalogue.Page.retrySuccess.text(language))</h2>
            \(Layout.lineChart(periods: periods, lines: [(label: Catalogue.Page.retrySuccessRate.text(language), values: trends.total.map(\.retryPermille), strong: true)],
                               label: Catalogue.Page.retrySuccess.text(language)))
            \(Layout.table(header, numeric: numeric, retryRows, compact: true))
            """
    }
}
