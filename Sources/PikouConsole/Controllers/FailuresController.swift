import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 失败明细: failed debits with filters (by bank, outcome, grid, next step, attempts) and pages; whole
/// IDs and accounts only for roles that may see them. Each failure's next step is the rulebook's.
extension Console {
    func addFailuresRoutes(to router: Router<ConsoleContext>) {
        router.get("/failures") { request, context in try await page(request, context, .view) { viewer in try await failures(request, viewer) } }
    }

    static let failuresPerPage = 50

    func failures(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.failures
        let query = try await failureQuery(request, title: title)
        let (useCases, today) = (useCases, today())
        // The latest period unless another is asked for (all periods at once would read every failure ever).
        let ids = query.filter.period == nil ? [] : try await cached("failures|\(query)|\(today)") { try await useCases.failureIDs(query, today: today) }
        let pages = max(1, (ids.count + Self.failuresPerPage - 1) / Self.failuresPerPage)
        let page = min(max(1, Int(parameter(request, "page") ?? "1") ?? 1), pages)
        var pageFilter = query.filter
        pageFilter.debitIDs = Array(ids.dropFirst((page - 1) * Self.failuresPerPage).prefix(Self.failuresPerPage))
        let shown = pageFilter.debitIDs?.isEmpty != false ? [] : try await useCases.failures(pageFilter, today: today)
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/failures",
                            body: renderFailures(shown, query: query, count: ids.count, page: page, pages: pages, viewer: viewer))
    }

    /// The list's query from the address bar, or a page error naming what is not valid.
    func failureQuery(_ request: Request, title: Message) async throws -> FailureQuery {
        var filter = FailureFilter()
        filter.period = try await chosenPeriod(request)
        filter.bank = parameter(request, "bank")?.uppercased()
        filter.outcome = try failedOutcome(parameter(request, "outcome"), title: title)
        (filter.district, filter.street, filter.community) = (parameter(request, "district"), parameter(request, "street"), parameter(request, "community"))
        var query = FailureQuery(filter: filter)
        if let text = parameter(request, "step") {
            guard let kind = NextStep.Kind(rawValue: text) else {
                throw PageError(title: title, message: Catalogue.Page.invalidNextStep(text))
            }
            query.step = kind
        }
        if let text = parameter(request, "attempts") {
            guard let value = Int(text), value >= 1 else {
                throw PageError(title: title, message: Catalogue.Page.invalidAttempts(text))
            }
            query.minimumAttempts = value
        }
        return query
    }

    func renderFailures(_ shown: [FailureStep], query: FailureQuery, count: Int, page: Int, pages: Int, viewer: Viewer) -> HTML {
        let filter = query.filter
        let whole = viewer.role.may(.wholeIDs)
        let rows = shown.map { failure -> [HTML] in
            let f = failure.record
            let payer: HTML = whole ? "<a href=\"/payer\(PikouConsole.query([("id", f.idNumber.value)]))\">\(f.idNumber.value)</a>" : "\(f.idNumber.masked)"
            return ["\(f.period.description)", "\(f.bank)", "\(whole ? f.name : Masking.name(f.name))", payer, "\(masked(f.account, viewer))",
                    "\(Layout.yuan(f.amount.fen))", "\(Catalogue.outcome(f.outcome).text(language))", "\(f.bankText)", "\(f.attempts)",
                    "\(Catalogue.nextStep(failure.next).text(language))", "\(f.district) / \(f.street) / \(f.community)"]
        }
        let all = Catalogue.Page.all.text(language)
        let kept: [(String, String?)] = [("period", filter.period?.description), ("bank", filter.bank), ("outcome", filter.outcome?.rawValue),
                                         ("district", filter.district), ("street", filter.street), ("community", filter.community),
                                         ("step", query.step?.rawValue), ("attempts", query.minimumAttempts.map(String.init))]
        let steps = Layout.options(none: all, NextStep.Kind.allCases.map { ($0.rawValue, $0.label.text(language)) }, selected: query.step?.rawValue)
        return """
            <form method="get" action="/failures" class="filters">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="2026-12"></label>
            <label>\(Catalogue.bank.text(language))<input name="bank" value="\(filter.bank ?? "")"></label>
            <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: all, selected: filter.outcome))</select></label>
            <label>\(Catalogue.district.text(language))<input name="district" value="\(filter.district ?? "")"></label>
            <label>\(Catalogue.street.text(language))<input name="street" value="\(filter.street ?? "")"></label>
            <label>\(Catalogue.community.text(language))<input name="community" value="\(filter.community ?? "")"></label>
            <label>\(Catalogue.nextStep.text(language))<select name="step">\(steps)</select></label>
            <label>\(Catalogue.Page.attemptsAtLeast.text(language))<input name="attempts" value="\(query.minimumAttempts.map(String.init) ?? "")" size="3" inputmode="numeric"></label>
            <button>\(Catalogue.Page.filter.text(language))</button></form>
            <p>\(Catalogue.Page.failuresCount(Layout.count(count)).text(language))</p>
            \(Layout.table([Catalogue.period, Catalogue.bank, Catalogue.name, Catalogue.payer, Catalogue.account, Catalogue.amountYuan, Catalogue.outcome,
                            Catalogue.bankText, Catalogue.attempts, Catalogue.nextStep, Catalogue.Page.districtStreetCommunity].map { $0.text(language) },
                           numeric: [5, 8], rows))
            \(Layout.pager(path: "/failures", kept: kept, page: page, pages: pages, language: language))
            """
    }
}
