import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 短信通知: the outbox by kind, period or round and state, with the opt-outs; the notices
/// themselves, filtered; a payer's opt-out recorded or taken back from the payer page.
extension Console {
    func addNoticesRoutes(to router: Router<ConsoleContext>) {
        router.get("/notices") { request, context in try await page(request, context, .view) { viewer in try await notices(request, viewer) } }
        router.post("/notices/optout") { request, context in
            try await action(request, context, .correctAgreements) { viewer, form in try await changeOptOut(form, viewer) }
        }
    }

    /// How many notices a page lists at most.
    static let noticesShown = 200

    func notices(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.notices
        let kind = parameter(request, "kind").flatMap(NoticeKind.init(rawValue:))
        let state = parameter(request, "state").flatMap(NoticeState.init(rawValue:))
        let subject = parameter(request, "subject")
        let (counts, optOuts) = try await useCases.noticeCounts()
        guard !counts.isEmpty else {
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/notices", body: "<p>\(Catalogue.Page.noNotices.text(language))</p>")
        }
        // One line per kind and subject, a column per state.
        var lines: [String: [NoticeState: Int]] = [:]
        var order: [(NoticeKind, String)] = []
        for count in counts {
            let key = "\(count.kind.rawValue)|\(count.subject)"
            if lines[key] == nil { order.append((count.kind, count.subject)) }
            lines[key, default: [:]][count.state] = count.count
        }
        let summary = order.map { kind, subject -> [HTML] in
            let line = lines["\(kind.rawValue)|\(subject)"] ?? [:]
            let link = "/notices" + query([("kind", kind.rawValue), ("subject", subject)])
            return ["<a href=\"\(link)\">\(Catalogue.noticeKind(kind).text(language))</a>", "\(subject)"]
                + NoticeState.allCases.map { state -> HTML in
                    let n = line[state] ?? 0
                    return n == 0 ? "0" : "<a href=\"\(link + "&state=" + state.rawValue)\">\(Layout.count(n))</a>"
                }
        }
        let optOutRows = (NoticeKind.allCases.map(\.rawValue) + ["all"]).compactMap { code -> [HTML]? in
            guard let n = optOuts[code], n > 0 else { return nil }
            let name = NoticeKind(rawValue: code).map { Catalogue.noticeKind($0) } ?? Catalogue.Page.allKinds
            return ["\(name.text(language))", "\(Layout.count(n))"]
        }
        let filter = NoticeFilter(kind: kind, subject: subject, state: state)
        let found = try await useCases.notices(filter)
        let whole = viewer.role.may(.wholeIDs)
        let rows = found.prefix(Self.noticesShown).map { notice -> [HTML] in
            // Whole for who may call payers (as 失败明细 shows them), masked for the rest, the name in the text too.
            let payer: HTML = whole ? "<a href=\"/payer\(query([("id", notice.idNumber.value)]))\">\(notice.idNumber.value)</a>" : "\(notice.idNumber.masked)"
            return ["\(Catalogue.noticeKind(notice.kind).text(language))", "\(notice.subject)", "\(whole ? notice.name : Masking.name(notice.name))", payer,
                    "\(whole ? notice.phone : Masking.phone(notice.phone))", "\(Catalogue.noticeState(notice.state).text(language))", "\(Layout.time(notice.plannedAt))",
                    "\(notice.sentAt.isEmpty ? "" : Layout.time(notice.sentAt))", "\(Layout.count(notice.attempts))", "\(Masking.numbers(in: notice.lastError))",
                    "\(whole ? notice.text : NoticeList.cells(notice)[6].screen)"]
        }
        let kinds = NoticeKind.allCases.map { (value: $0.rawValue, label: Catalogue.noticeKind($0).text(language)) }
        let states = NoticeState.allCases.map { (value: $0.rawValue, label: Catalogue.noticeState($0).text(language)) }
        let note: HTML = found.count > Self.noticesShown ? "<p>\(Catalogue.Page.firstNotices(Self.noticesShown, of: found.count).text(language))</p>"
            : "<p>\(Catalogue.countLine(found.count).text(language))</p>"
        let body: HTML = """
            \(Layout.table([Catalogue.noticeKindColumn.text(language), Catalogue.noticeSubjectColumn.text(language)] + NoticeState.allCases.map { Catalogue.noticeState($0).text(language) },
                           numeric: Set(2..<(2 + NoticeState.allCases.count)), summary))
            \(optOutRows.isEmpty ? "" : Layout.table([Catalogue.Page.optOutKind, Catalogue.Page.optedOutColumn].map { $0.text(language) }, numeric: [1], optOutRows))
            <form method="get" action="/notices" class="filters">
            <label>\(Catalogue.noticeKindColumn.text(language))<select name="kind">\(Layout.options(none: Catalogue.Page.all.text(language), kinds, selected: kind?.rawValue))</select></label>
            <label>\(Catalogue.noticeSubjectColumn.text(language))<input name="subject" value="\(subject ?? "")" placeholder="2026-12"></label>
            <label>\(Catalogue.state.text(language))<select name="state">\(Layout.options(none: Catalogue.Page.all.text(language), states, selected: state?.rawValue))</select></label>
            <button>\(Catalogue.Page.filter.text(language))</button></form>
            \(note)
            \(Layout.table([Catalogue.noticeKindColumn, Catalogue.noticeSubjectColumn, Catalogue.name, Catalogue.payer, Catalogue.doorPhone, Catalogue.state,
                            Catalogue.Page.plannedAtColumn, Catalogue.Page.sentAtColumn, Catalogue.Page.attemptsColumn, Catalogue.Page.lastErrorColumn,
                            Catalogue.noticeTextColumn].map { $0.text(language) }, numeric: [8], Array(rows)))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/notices", body: body)
    }

    /// A payer's notices and opt-outs, for the payer page; with the opt-out form for who may change it.
    func payerNotices(_ id: IDNumber, _ viewer: Viewer) async throws -> HTML {
        let notices = try await useCases.notices(NoticeFilter(idNumber: id))
        let optOuts = try await useCases.noticeOptOuts(id)
        let rows = notices.map { notice -> [HTML] in
            let cells = NoticeList.cells(notice)
            return ["\(Catalogue.noticeKind(notice.kind).text(language))", "\(notice.subject)", "\(Catalogue.noticeState(notice.state).text(language))", "\(Layout.time(notice.plannedAt))",
                    "\(notice.sentAt.isEmpty ? "" : Layout.time(notice.sentAt))", "\(Masking.numbers(in: notice.lastError))", "\(cells[6].screen)"]
        }
        let names = optOuts.map { code in (NoticeKind(rawValue: code).map { Catalogue.noticeKind($0) } ?? Catalogue.Page.allKinds).text(language) }
        let refused: HTML = optOuts.isEmpty ? "" : "<p>\(Catalogue.Page.payerOptedOut(names.joined(separator: language == .zh ? "、" : ", ")).text(language))</p>"
        var form: HTML = ""
        if viewer.role.may(.correctAgreements) {
            let choices = NoticeKind.allCases.map { (value: $0.rawValue, label: Catalogue.noticeKind($0).text(language)) }
            form = """
                <form method="post" action="/notices/optout" class="filters">\(csrfField(viewer))<input type="hidden" name="id" value="\(id.value)">
                <label>\(Catalogue.Page.optOutKind.text(language))<select name="kind">\(HTML.join(["<option value=\"all\">\(Catalogue.Page.allKinds.text(language))</option>"] + choices.map { "<option value=\"\($0.value)\">\($0.label)</option>" }))</select></label>
                <button name="do" value="optout">\(Catalogue.Page.optOut.text(language))</button>
                <button name="do" value="optin">\(Catalogue.Page.optIn.text(language))</button></form>
                """
        }
        let table: HTML = rows.isEmpty ? "" : Layout.table([Catalogue.noticeKindColumn, Catalogue.noticeSubjectColumn, Catalogue.state, Catalogue.Page.plannedAtColumn,
                                                             Catalogue.Page.sentAtColumn, Catalogue.Page.lastErrorColumn, Catalogue.noticeTextColumn].map { $0.text(language) },
                                                            numeric: [], rows)
        let heading: HTML = rows.isEmpty ? "<h2>\(Catalogue.Page.notices.text(language))\(Catalogue.none.text(language))</h2>"
            : "<h2>\(Catalogue.Page.notices.text(language))</h2>"
        return "\(heading)\(refused)\(table)\(form)"
    }

    /// Records or takes back a payer's opt-out (``UseCases/setNoticeOptOut(idNumber:kind:optedOut:actor:)``), then shows the payer page.
    func changeOptOut(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.notices
        guard let id = try idNumber(form["id"], title: title) else { throw PageError(title: title, message: Catalogue.Page.noIDNumber) }
        let code = form["kind"] ?? "all"
        guard code == "all" || NoticeKind(rawValue: code) != nil, ["optout", "optin"].contains(form["do"] ?? "") else {
            throw PageError(title: title, message: Catalogue.Page.optOutFormInvalid)
        }
        let optedOut = form["do"] == "optout"
        let changed = try await useCases.setNoticeOptOut(idNumber: id, kind: NoticeKind(rawValue: code), optedOut: optedOut, actor: viewer.name)
        _ = try? await useCases.anchorJournal()
        // The banner is named by a code, its words made on the payer page (whether anything changed included).
        return Self.redirect(to: "/payer" + query([("id", id.value), ("done", (optedOut ? "optout" : "optin") + (changed ? "" : "0") + "-" + code)]))
    }
}
