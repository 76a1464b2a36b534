import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 总览: the period at a glance — per bank lines and yuan, the files and their states, 钱表相符, and
/// the certificates about to expire.
extension Console {
    func addOverviewRoutes(to router: Router<ConsoleContext>) {
        router.get("/") { request, context in try await page(request, context, .view) { viewer in try await overview(request, viewer) } }
    }

    func overview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "总览", en: "Overview")
        let certificates = certificateNotice()
        guard let period = try await chosenPeriod(request) else { return noData(title, viewer, current: "/", notice: certificates) }
        let useCases = useCases
        let overview = try await cached("overview|\(period)") { try await useCases.overview(period: period) }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/",
                            body: "\(certificates)\(periodPicker(period, path: "/"))\(renderOverview(overview, period: period))")
    }

    func renderOverview(_ overview: PeriodOverview, period: Period) -> HTML {
        let bankRows = overview.banks.map { bank, t -> [HTML] in
            ["\(bank)", "\(Layout.count(t.submitted))", "\(Layout.yuan(t.submittedFen))", "\(Layout.count(t.succeeded))", "\(Layout.yuan(t.succeededFen))",
             "<a href=\"/failures\(query([("period", period.description), ("bank", bank)]))\">\(Layout.count(t.failed))</a>",
             "\(Layout.yuan(t.failedFen))", "\(Layout.count(t.pending))", "\(Layout.yuan(t.pendingFen))",
             "\(Layout.rate(t.succeeded, t.succeeded + t.failed))", "\(Layout.count(t.exceptions))"]
        }
        let state = overview.report.check.state
        let findings = overview.report.check.lines(language).map { line -> HTML in "<li>\(line)</li>" }
        let fileRows = overview.files.map { file -> [HTML] in
            let state: HTML = file.state == .reserved
                ? "<span class=\"stuck\">\(Message(zh: "已预留未写出", en: "reserved, not written").text(language))</span>"
                : (file.totals.pending == file.totals.submitted
                    ? "\(Message(zh: "已写出，待回盘", en: "written, awaiting return").text(language))"
                    : "\(Message(zh: "已回盘", en: "returned").text(language))")
            return ["\(file.bank)", "\(file.fileName)", state, "\(Layout.count(file.totals.submitted))", "\(Layout.yuan(file.totals.submittedFen))",
                    "\(Layout.count(file.totals.succeeded))", "\(Layout.count(file.totals.failed))", "\(Layout.count(file.totals.pending))"]
        }
        let stuck = overview.unwritten.count
        let stuckNote: HTML = stuck == 0 ? "" : Layout.problem(Message(
            zh: "\(stuck) 个文件已在库中预留但未写出：下次 `pikou cycle run` 或 `pikou resubmit` 会写出，或用 `pikou files release` 放弃",
            en: "\(stuck) files are reserved in the store but not written: the next `pikou cycle run` or `pikou resubmit` writes them, or `pikou files release` gives them up").text(language))
        return """
            <p>\(Layout.period(period, language)) · \(Message(zh: "钱表相符", en: "Money matches the list").text(language))：<span class="state \(state.rawValue)">\(Self.stateLabel(state).text(language))</span></p>
            \(findings.isEmpty ? "" : "<ul>\(findings)</ul>" as HTML)
            \(stuckNote)
            <h2>\(Message(zh: "各银行", en: "By bank").text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded, Catalogue.succeededYuan, Catalogue.failed,
                            Catalogue.failedYuan, Catalogue.pending, Catalogue.pendingYuan, Catalogue.successRate, Catalogue.exceptionsColumn].map { $0.text(language) },
                           numeric: Set(1...10), bankRows))
            \(Layout.bars(overview.banks.map { (label: $0.bank, succeeded: $0.totals.succeeded, failed: $0.totals.failed, pending: $0.totals.pending) }, language: language))
            <h2>\(Message(zh: "文件", en: "Files").text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.file, Catalogue.state, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded,
                            Catalogue.failed, Catalogue.pending].map { $0.text(language) }, numeric: [3, 4, 5, 6, 7], fileRows))
            """
    }

    static func stateLabel(_ state: MoneyCheck.State) -> Message {
        switch state {
        case .match: Message(zh: "相符", en: "MATCH")
        case .pending: Message(zh: "未结清", en: "PENDING")
        case .mismatch: Message(zh: "不符", en: "MISMATCH")
        case .noData: Message(zh: "无数据", en: "NO DATA")
        }
    }
}
