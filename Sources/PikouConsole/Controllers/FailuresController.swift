import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 失败明细: failed debits with filters (by bank, outcome, grid, next step, attempts) and pages; whole
/// IDs and accounts only for roles that may see them. Each failure's next step is the rulebook's.
extension Console {
    func addFailuresRoutes(to router: Router<ConsoleContext>) {
        router.get("/failures") { request, context in try await page(request, context, .view) { viewer in try await failures(request, viewer) } }
        router.get("/failures/export") { request, context in
            try await download(request, context, .view) { viewer in try await failuresExport(request, viewer) }
        }
        router.post("/failures/bulk") { request, context in
            try await action(request, context, .resubmit) { viewer, form in try await failuresBulk(form, viewer) }
        }
    }

    static let failuresPerPage = 50

    func failures(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.failures
        let query = try await failureQuery(request, title: title, viewer: viewer)
        let (useCases, today) = (useCases, today())
        // The latest period unless another is asked for (all periods at once would read every failure ever).
        let ids = query.filter.period == nil ? [] : try await cached("failures|\(query)|\(today)") { try await useCases.failureIDs(query, today: today) }
        let pages = max(1, (ids.count + Self.failuresPerPage - 1) / Self.failuresPerPage)
        let page = min(max(1, Int(parameter(request, "page") ?? "1") ?? 1), pages)
        var pageFilter = query.filter
        pageFilter.debitIDs = Array(ids.dropFirst((page - 1) * Self.failuresPerPage).prefix(Self.failuresPerPage))
        let shown = pageFilter.debitIDs?.isEmpty != false ? [] : try await useCases.failures(pageFilter, today: today)
        let units = try await gridUnits(query.filter.period)
        let done: HTML = parameter(request, "noted").flatMap(Int.init).map { "<p class=\"done\" role=\"status\">\(Catalogue.Page.failuresNoted($0).text(language))</p>" } ?? ""
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/failures",
                            body: "\(done)\(renderFailures(shown, query: query, count: ids.count, page: page, pages: pages, viewer: viewer, units: units))")
    }

    /// The list's query from the address bar, or a page error naming what is not valid.
    func failureQuery(_ request: Request, title: Message, viewer: Viewer) async throws -> FailureQuery {
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
        query.search = parameter(request, "q").flatMap { FailureSearch($0, personal: viewer.role.may(.wholeIDs)) }
        return query
    }

    /// The period's grid as the roster names it: district → street → community, for the filters' choices.
    func gridUnits(_ period: Period?) async throws -> [[String]] {
        guard let period else { return [] }
        let useCases = useCases
        return try await cached("grid-units|\(period)") {
            try await useCases.report(period: period, by: .community).rows.map { $0.group.split(separator: " ", maxSplits: 2).map(String.init) }
        }
    }

    func renderFailures(_ shown: [FailureStep], query: FailureQuery, count: Int, page: Int, pages: Int, viewer: Viewer, units: [[String]]) -> HTML {
        let filter = query.filter
        let whole = viewer.role.may(.wholeIDs), mayAct = viewer.role.may(.resubmit)
        let rows = shown.map { failure -> [HTML] in
            let f = failure.record
            let payer: HTML = whole ? "<a href=\"/payer\(PikouConsole.query([("id", f.idNumber.value)]))\">\(f.idNumber.value)</a>" : "\(f.idNumber.masked)"
            let tick: [HTML] = mayAct ? ["<input type=\"checkbox\" name=\"id\" value=\"\(String(f.debitID))\" form=\"bulk\" aria-label=\"\(Catalogue.Page.select.text(language))\">"] : []
            return tick + ["\(f.period.description)", "\(bankName(f.bank))", "\(whole ? f.name : Masking.name(f.name))", payer, "\(masked(f.account, viewer))",
                    "\(Layout.yuan(f.amount.fen))", "\(Catalogue.outcome(f.outcome).text(language))", "\(f.attempts)",
                    "\(Catalogue.nextStep(failure.next).text(language))", "<span title=\"\(f.district) / \(f.street)\">\(f.community)</span>"]
        }
        let all = Catalogue.Page.all.text(language)
        let kept: [(String, String?)] = [("period", filter.period?.description), ("bank", filter.bank), ("outcome", filter.outcome?.rawValue),
                                         ("district", filter.district), ("street", filter.street), ("community", filter.community),
                                         ("step", query.step?.rawValue), ("attempts", query.minimumAttempts.map(String.init)), ("q", query.search?.text)]
        let steps = Layout.options(none: all, NextStep.Kind.allCases.map { ($0.rawValue, $0.label.text(language)) }, selected: query.step?.rawValue)
        let banks = Layout.options(none: all, useCases.workspace.enabledBanks.sorted().map { ($0, bankName($0)) }, selected: filter.bank)
        // The grid's choices: every district; the chosen district's streets; the chosen street's communities.
        func names(_ level: Int, under parents: [String]) -> [(value: String, label: String)] {
            let found = units.filter { $0.count > level && Array($0.prefix(level)) == parents }.map { $0[level] }
            return Array(Set(found)).sorted().map { ($0, $0) }
        }
        let districts = Layout.options(none: all, names(0, under: []), selected: filter.district)
        let streets = Layout.options(none: all, filter.district.map { names(1, under: [$0]) } ?? [], selected: filter.street)
        let communities = Layout.options(none: all, filter.district.flatMap { d in filter.street.map { names(2, under: [d, $0]) } } ?? [], selected: filter.community)
        let searchHint = (whole ? Catalogue.Page.searchAnything : Catalogue.Page.searchByID).text(language)
        let export = kept.filter { $0.0 != "page" }
        let bulk: HTML = mayAct && !shown.isEmpty ? """
            <form method="post" action="/failures/bulk" id="bulk" class="inline">\(csrfField(viewer))
            <input name="note" maxlength="200" autocomplete="off" placeholder="\(Catalogue.Page.noteForSelected.text(language))" aria-label="\(Catalogue.Page.noteForSelected.text(language))">
            <button name="do" value="note">\(Catalogue.Page.addNote.text(language))</button>
            <button name="do" value="resubmit">\(Catalogue.Page.resubmitSelected.text(language))</button></form>
            """ : ""
        let headings = (mayAct ? [Catalogue.Page.select] : []) + [Catalogue.period, Catalogue.bank, Catalogue.name, Catalogue.payer, Catalogue.account,
                        Catalogue.amountYuan, Catalogue.outcome, Catalogue.attempts, Catalogue.nextStep, Catalogue.community]
        let offset = mayAct ? 1 : 0
        return """
            <form method="get" action="/failures" class="filters tight">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="2026-12" size="7"></label>
            <label>\(Catalogue.bank.text(language))<select name="bank">\(banks)</select></label>
            <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: all, selected: filter.outcome))</select></label>
            <label>\(Catalogue.district.text(language))<select name="district">\(districts)</select></label>
            <label>\(Catalogue.street.text(language))<select name="street">\(streets)</select></label>
            <label>\(Catalogue.community.text(language))<select name="community">\(communities)</select></label>
            <label>\(Catalogue.nextStep.text(language))<select name="step">\(steps)</select></label>
            <label>\(Catalogue.Page.attemptsAtLeast.text(language))<input name="attempts" value="\(query.minimumAttempts.map(String.init) ?? "")" size="2" inputmode="numeric"></label>
            <label>\(Catalogue.Page.search.text(language))<input name="q" value="\(query.search?.text ?? "")" placeholder="\(searchHint)" maxlength="40"></label>
            <button>\(Catalogue.Page.filter.text(language))</button></form>
            <div class="listbar"><span>\(Catalogue.Page.failuresCount(Layout.count(count)).text(language))</span>
            <a href="/failures/export\(PikouConsole.query(export + [("format", "xlsx")]))">\(Catalogue.Page.exportXLSX.text(language))</a>
            <a href="/failures/export\(PikouConsole.query(export + [("format", "csv")]))">\(Catalogue.Page.exportCSV.text(language))</a>
            \(bulk)</div>
            \(Layout.table(headings.map { $0.text(language) }, numeric: [offset + 5, offset + 7], rows, compact: true))
            \(Layout.pager(path: "/failures", kept: kept, page: page, pages: pages, language: language))
            """
    }

    /// The filtered rows as a file (XLSX or CSV): IDs and accounts masked, names and phones whole
    /// only for a role that calls payers. Journaled, like every download of payers' details.
    func failuresExport(_ request: Request, _ viewer: Viewer) async throws -> Download {
        let title = Catalogue.Page.failures
        let query = try await failureQuery(request, title: title, viewer: viewer)
        guard let period = query.filter.period else { throw PageError(title: title, message: Catalogue.Page.noDebitFilesYet, status: .notFound) }
        let failures = try await useCases.failures(query, today: today())
        let whole = viewer.role.may(.wholeIDs), names = bankNames
        try await useCases.journal(actor: viewer.name, action: "console.download", subject: "failures", detail: "\(period) \(failures.count) lines")
        let stem = "pikou-\(period.description)-失败明细"
        switch parameter(request, "format") ?? "xlsx" {
        case "csv":
            return Download(name: stem + ".csv", type: "text/csv; charset=utf-8",
                            bytes: FailureExport.csv(failures, whole: whole, bankNames: names, language: language))
        case "xlsx":
            let heading = "\(Catalogue.Page.failures.text(language)) \(Layout.period(period, language))"
            return Download(name: stem + ".xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            bytes: try workbookBytes { try FailureExport.xlsx(failures, whole: whole, bankNames: names, language: language, title: heading, path: $0) })
        case let other:
            throw PageError(title: title, message: Catalogue.Page.noSuchDownload(other), status: .notFound)
        }
    }

    /// The rows ticked on 失败明细: a note journaled against each, or a resubmission previewed for
    /// exactly them (the preview page confirms, as any resubmission).
    func failuresBulk(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.failures
        let ids = form.all("id").compactMap(Int64.init)
        guard !ids.isEmpty, ids.count <= Self.failuresPerPage else { throw PageError(title: title, message: Catalogue.Page.selectRows) }
        switch form["do"] {
        case "note":
            let noted = try await useCases.noteFailures(debitIDs: ids, note: form["note"] ?? "", actor: viewer.name, today: today())
            return Self.redirect(to: "/failures" + query([("noted", String(noted))]))
        case "resubmit":
            return Self.redirect(to: "/resubmit" + query([("ids", ids.map(String.init).joined(separator: ","))]))
        default:
            throw PageError(title: title, message: Catalogue.Page.selectRows)
        }
    }
}
