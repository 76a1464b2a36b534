import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 审计日志: the journal, newest first, with the state of its hash chain.
extension Console {
    func addAuditRoutes(to router: Router<ConsoleContext>) {
        router.get("/audit") { request, context in try await page(request, context, .audit) { viewer in try await audit(request, viewer) } }
    }

    static let journalPerPage = 50

    /// 审计日志: the journal newest first, filtered by who, what and about whom, with the state of
    /// its hash chain.
    func audit(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.auditLog
        let filter = JournalFilter(actor: parameter(request, "actor"), action: parameter(request, "action"), subject: parameter(request, "subject"))
        let (page, current, pages) = try await useCases.journal(filter, page: Int(parameter(request, "page") ?? "1") ?? 1, perPage: Self.journalPerPage)
        let useCases = useCases
        let head = try await useCases.journalHead()
        // Walked again once the journal grew and at least every minute: an entry changed in the middle
        // (by hand, outside Pikou) moves neither the head nor the ledger's version.
        let minute = Int(Date().timeIntervalSince1970 / 60)
        let broken = try await cached("journal-chain|\(head?.hash ?? "")|\(minute)") { try await useCases.journalBreak() }
        let chain: HTML = if let broken {
            "<p class=\"problem\" role=\"alert\">\(Catalogue.Page.chainBroken(at: broken).text(language))</p>"
        } else {
            "<p><span class=\"state match\">\(Catalogue.Page.chainIntact.text(language))</span> \(head.map { "\($0.shown.text(language))" } ?? "") \(Catalogue.Page.resultAtMostMinuteOld.text(language))</p>"
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/audit",
                            body: "\(chain)\(renderJournal(page, filter: filter, page: current, pages: pages))")
    }

    func renderJournal(_ page: JournalPage, filter: JournalFilter, page current: Int, pages: Int) -> HTML {
        let rows = page.entries.map { e -> [HTML] in
            ["\(String(e.id))", "\(Layout.time(e.at))", "\(e.actor)", "\(Catalogue.journalAction(e.action).text(language))",
             "\(Catalogue.journalDetail(e.subject).text(language))",
             "\(Catalogue.journalDetail(e.detail).text(language))"]
        }
        let kept: [(String, String?)] = [("actor", filter.actor), ("action", filter.action), ("subject", filter.subject)]
        // Each action by its name; the filter matches from the start, so a code the list lacks still filters by URL.
        let actions = Catalogue.journalActions.keys.sorted().map { (value: $0, label: Catalogue.journalAction($0).text(language)) }
        return """
            <form method="get" action="/audit" class="filters">
            <label>\(Catalogue.by.text(language))<input name="actor" value="\(filter.actor ?? "")"></label>
            <label>\(Catalogue.action.text(language))<select name="action">\(Layout.options(none: Catalogue.Page.all.text(language), actions, selected: filter.action))</select></label>
            <label>\(Catalogue.Page.subject.text(language))<input name="subject" value="\(filter.subject ?? "")"></label>
            <button>\(Catalogue.Page.filter.text(language))</button></form>
            <p>\(Catalogue.Page.entriesCount(Layout.count(page.total)).text(language))</p>
            \(Layout.table([Catalogue.id, Catalogue.at, Catalogue.by, Catalogue.action, Catalogue.Page.subject, Catalogue.detail].map { $0.text(language) },
                           numeric: [0], rows))
            \(Layout.pager(path: "/audit", kept: kept, page: current, pages: pages, language: language))
            """
    }
}
