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
        let title = Message(zh: "审计日志", en: "Audit log")
        let filter = JournalFilter(actor: parameter(request, "actor"), action: parameter(request, "action"), subject: parameter(request, "subject"))
        let (page, current, pages) = try await useCases.journal(filter, page: Int(parameter(request, "page") ?? "1") ?? 1, perPage: Self.journalPerPage)
        let useCases = useCases
        let head = try await useCases.journalHead()
        // Walked again once the journal grew and at least every minute: an entry changed in the middle
        // (by hand, outside Pikou) moves neither the head nor the ledger's version.
        let minute = Int(Date().timeIntervalSince1970 / 60)
        let broken = try await cached("journal-chain|\(head?.hash ?? "")|\(minute)") { try await useCases.journalBreak() }
        let chain: HTML = if let broken {
            "<p class=\"problem\" role=\"alert\">\(Message(zh: "哈希链在编号 \(broken) 的记录处断开：日志被改动过。运行 `pikou check` 并报告", en: "the hash chain breaks at entry \(broken): the journal was changed. Run `pikou check` and report it").text(language))</p>"
        } else {
            "<p><span class=\"state match\">\(Message(zh: "哈希链完整", en: "chain intact").text(language))</span> \(head.map { "\($0.text)" } ?? "") \(Message(zh: "（校验结果最多保留一分钟）", en: "(a result at most a minute old)").text(language))</p>"
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/audit",
                            body: "\(chain)\(renderJournal(page, filter: filter, page: current, pages: pages))")
    }

    func renderJournal(_ page: JournalPage, filter: JournalFilter, page current: Int, pages: Int) -> HTML {
        let rows = page.entries.map { e -> [HTML] in
            ["\(String(e.id))", "\(Layout.time(e.at))", "\(e.actor)", "\(e.action)", "\(e.subject)", "\(e.detail)"]
        }
        let kept: [(String, String?)] = [("actor", filter.actor), ("action", filter.action), ("subject", filter.subject)]
        return """
            <form method="get" action="/audit" class="filters">
            <label>\(Catalogue.by.text(language))<input name="actor" value="\(filter.actor ?? "")"></label>
            <label>\(Message(zh: "操作（前缀，如 file.）", en: "Action (prefix, e.g. file.)").text(language))<input name="action" value="\(filter.action ?? "")"></label>
            <label>\(Message(zh: "对象", en: "Subject").text(language))<input name="subject" value="\(filter.subject ?? "")"></label>
            <button>\(Message(zh: "筛选", en: "Filter").text(language))</button></form>
            <p>\(Message(zh: "共 \(Layout.count(page.total)) 条", en: "\(Layout.count(page.total)) entries").text(language))</p>
            \(Layout.table([Catalogue.id, Catalogue.at, Catalogue.by, Catalogue.action, Message(zh: "对象", en: "Subject"), Catalogue.detail].map { $0.text(language) },
                           numeric: [0], rows))
            \(Layout.pager(path: "/audit", kept: kept, page: current, pages: pages, language: language))
            """
    }
}
