import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 总览: the period at a glance — per bank lines and yuan, the files and their states, 钱表相符, the
/// certificates about to expire, and the latest staff alerts (a job failed, a return file posted or
/// refused, a verdict changed), each with the command to look closer.
extension Console {
    func addOverviewRoutes(to router: Router<ConsoleContext>) {
        router.get("/") { request, context in try await page(request, context, .view) { viewer in try await overview(request, viewer) } }
    }

    func overview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.overview
        let certificates = certificateNotice()
        let residents = try await residentsOverview()
        let alerts = alertsSection()
        guard let period = try await chosenPeriod(request) else {
            // A county collecting only the residents' scheme: its year at a glance.
            if let residents { return Layout.frame(title: title, viewer: viewer, language: language, current: "/", body: "\(certificates)\(residents)\(alerts)") }
            return noData(title, viewer, current: "/", notice: "\(certificates)\(alerts)")
        }
        let useCases = useCases
        let overview = try await cached("overview|\(period)") { try await useCases.overview(period: period) }
        let chains = try await useCases.chainLegs(period: period)
        // Three-way 钱表相符, once the period has a statement or a treasury file: the legs, and the page that works them.
        let chain: HTML = chains.contains { $0.legs.credited != nil || $0.legs.booked != nil }
            ? "<h2><a href=\"/reconcile\(query([("period", period.description)]))\">\(Catalogue.Page.threeWay.text(language))</a></h2>\(renderChains(chains))" : ""
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/",
                            body: "\(certificates)\(periodPicker(period, path: "/"))\(renderOverview(overview, period: period))\(chain)\(residents ?? "")\(alerts)")
    }

    /// The latest staff alerts (the last 30 days, newest first), one line each with the command to
    /// look closer; nothing when there are none.
    func alertsSection() -> HTML {
        let alerts = useCases.staffAlerts()
        guard !alerts.isEmpty else { return "" }
        let rows = alerts.map { alert -> [HTML] in
            ["\(String(alert.at.prefix(16)).replacingOccurrences(of: "T", with: " "))", "\(Catalogue.Alerts.event(alert.event).text(language))",
             "\(alert.message.text(language))", "<code>\(alert.look)</code>"]
        }
        return """
            <h2 id="alerts">\(Catalogue.Alerts.heading.text(language))</h2>
            \(Layout.table([Catalogue.Alerts.time, Catalogue.Alerts.kind, Catalogue.Alerts.heading, Catalogue.Alerts.look].map { $0.text(language) }, numeric: [], rows, compact: true))
            """
    }

    /// The residents' year at a glance, when its rounds have files: the collection window, the rounds,
    /// 钱表相符 of the personal part, the personal parts by bank; nil before any round.
    func residentsOverview() async throws -> HTML? {
        guard let year = useCases.latestResidentsYear(), let policy = try? useCases.residentsPolicy(year: year) else { return nil }
        let useCases = useCases
        let (report, rounds) = try await cached("overview-residents|\(year)") {
            (try await useCases.residentsReport(year: year, by: .bank, targets: nil), try await useCases.residentsRounds(year: year))
        }
        guard !rounds.isEmpty else { return nil }
        let state = report.check.state
        let findings = report.check.lines(language).dropFirst().map { line -> HTML in "<li>\(line.trimmingCharacters(in: .whitespaces))</li>" }
        let roundRows = rounds.map { round -> [HTML] in
            ["\(Catalogue.Page.roundNumber(round.round).text(language))", "\(round.fileDate.description)", "\(Layout.count(round.files))", "\(Layout.count(round.lines))",
             "\(Layout.yuan(round.total.fen))"]
        }
        let bankRows = try report.rows.map { row -> [HTML] in
            let unpaid = try row.unpaid().fen
            return ["\(row.group.isEmpty ? Catalogue.notDebited.text(language) : bankName(row.group))", "\(Catalogue.insurance(row.insurance).text(language))",
                    "\(Layout.count(row.dues))", "\(Layout.yuan(row.personalFen))", "\(Layout.yuan(row.debitedFen))", "\(Layout.yuan(row.elsewhereFen))", "\(Layout.yuan(unpaid))"]
        }
        let window = Catalogue.doorWindow(from: policy.windowFrom, to: policy.windowTo).text(language)
        return """
            <h2>\(Catalogue.residentsTitle.text(language)) \(Catalogue.coverYear(year).text(language))</h2>
            <p>\(window) · \(Catalogue.Page.moneyMatchesList.text(language))（\(Catalogue.personalPart.text(language))）：<span class="state \(state.rawValue)">\(Self.stateLabel(state).text(language))</span></p>
            \(findings.isEmpty ? "" : "<ul>\(HTML.join(findings))</ul>" as HTML)
            \(Layout.table([Catalogue.Page.round, Catalogue.Page.fileDate, Catalogue.Page.files, Catalogue.submitted, Catalogue.submittedYuan].map { $0.text(language) },
                           numeric: [2, 3, 4], roundRows))
            \(Layout.table([Catalogue.bank, Catalogue.insuranceColumn, Catalogue.duesCount, Catalogue.personalPart, Catalogue.collectedByDebit,
                            Catalogue.collectedElsewhere, Catalogue.unpaidPart].map { $0.text(language) }, numeric: Set(2...6), bankRows))
            <p class="tabs"><a href="/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year)), ("level", "community")]))">\(Catalogue.Page.residentsParticipation(year).text(language))</a>
            · <a href="/reports">\(Catalogue.Page.downloads.text(language))</a></p>
            """
    }

    func renderOverview(_ overview: PeriodOverview, period: Period) -> HTML {
        func row(_ label: String, bank: String?, _ t: FileStatus.Totals) -> [HTML] {
            ["\(label)", "\(Layout.count(t.submitted))", "\(Layout.yuan(t.submittedFen))", "\(Layout.count(t.succeeded))", "\(Layout.yuan(t.succeededFen))",
             "<a href=\"/failures\(query([("period", period.description), ("bank", bank)]))\">\(Layout.count(t.failed))</a>",
             "\(Layout.yuan(t.failedFen))", "\(Layout.count(t.pending))", "\(Layout.yuan(t.pendingFen))",
             "\(Layout.rate(t.succeeded, t.succeeded + t.failed))", "\(Layout.count(t.exceptions))"]
        }
        let bankRows = overview.banks.map { bank, t in row(bankName(bank), bank: bank, t) }
        let totalRow = overview.banks.count > 1 ? [row(Catalogue.total.text(language), bank: nil, overview.total)] : []
        let state = overview.report.check.state
        let findings = overview.report.check.lines(language).map { line -> HTML in "<li>\(line)</li>" }
        let fileRows = overview.files.map { file -> [HTML] in
            let state: HTML = file.state == .reserved
                ? "<span class=\"stuck\">\(Catalogue.Page.reservedNotWritten.text(language))</span>"
                : (file.totals.pending == file.totals.submitted
                    ? "\(Catalogue.Page.writtenAwaitingReturn.text(language))"
                    : "\(Catalogue.Page.returned.text(language))")
            return ["\(bankName(file.bank))", "\(file.fileName)", state, "\(Layout.count(file.totals.submitted))", "\(Layout.yuan(file.totals.submittedFen))",
                    "\(Layout.count(file.totals.succeeded))", "\(Layout.count(file.totals.failed))", "\(Layout.count(file.totals.pending))"]
        }
        let stuck = overview.unwritten.count
        let stuckNote: HTML = stuck == 0 ? "" : Layout.problem(Catalogue.Page.filesReservedNotWritten(stuck).text(language))
        return """
            <p>\(Layout.period(period, language)) · \(Catalogue.Page.moneyMatchesList.text(language))：<span class="state \(state.rawValue)">\(Self.stateLabel(state).text(language))</span></p>
            \(findings.isEmpty ? "" : "<ul>\(findings)</ul>" as HTML)
            \(stuckNote)
            <h2>\(Catalogue.Page.byBank.text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded, Catalogue.succeededYuan, Catalogue.failed,
                            Catalogue.failedYuan, Catalogue.pending, Catalogue.pendingYuan, Catalogue.successRate, Catalogue.exceptionsColumn].map { $0.text(language) },
                           numeric: Set(1...10), bankRows, footer: totalRow))
            \(Layout.bars(overview.banks.map { (label: bankName($0.bank), succeeded: $0.totals.succeeded, failed: $0.totals.failed, pending: $0.totals.pending) }, language: language))
            <h2>\(Catalogue.Page.files.text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.file, Catalogue.state, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded,
                            Catalogue.failed, Catalogue.pending].map { $0.text(language) }, numeric: [3, 4, 5, 6, 7], fileRows))
            """
    }

    static func stateLabel(_ state: MoneyCheck.State) -> Message {
        switch state {
        case .match: Catalogue.Page.match
        case .pending: Catalogue.Page.pending
        case .mismatch: Catalogue.Page.mismatch
        case .noData: Catalogue.Page.noData
        }
    }
}
