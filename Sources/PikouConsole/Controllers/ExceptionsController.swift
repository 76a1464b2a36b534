import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 异常处理: exceptions as work items, resolved or reopened with a note.
extension Console {
    func addExceptionsRoutes(to router: Router<ConsoleContext>) {
        router.get("/exceptions") { request, context in try await page(request, context, .view) { viewer in try await exceptions(request, viewer) } }
        router.post("/exceptions") { request, context in
            try await action(request, context, .handleExceptions) { viewer, form in try await setException(form, viewer) }
        }
    }

    /// 异常处理: exceptions as work items, filtered by state and bank; operators resolve or reopen
    /// each with a note.
    func exceptions(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.exceptions
        let stateText = parameter(request, "state") ?? "open"
        guard let state = ExceptionFilter.State(rawValue: stateText) else {
            throw PageError(title: title, message: Catalogue.Page.invalidExceptionState(stateText))
        }
        let bank = parameter(request, "bank")?.uppercased()
        let records = try await useCases.exceptions(period: nil, filter: ExceptionFilter(state: state, bank: bank))
        let notice = doneBanner(parameter(request, "done"), agreements: [])
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/exceptions",
                            body: "\(notice)\(renderExceptions(records, state: state, bank: bank, viewer))")
    }

    func renderExceptions(_ records: [ExceptionRecord], state: ExceptionFilter.State, bank: String?, _ viewer: Viewer) -> HTML {
        let may = viewer.role.may(.handleExceptions)
        let confirmedOutcomes = Layout.options(none: Catalogue.Page.bankConfirmed.text(language),
                                               Outcome.allCases.filter { $0 != .cancelled && $0 != .unknown }.map { ($0.rawValue, Catalogue.outcome($0).text(language)) },
                                               selected: nil)
        let rows = records.map { e -> [HTML] in
            let last: HTML = e.lastAction.map { "\($0.note)（\($0.actor)，\(Layout.time($0.at))）" } ?? "—"
            // While the debit has no result, the operator may close it with the result the bank confirmed.
            let confirm: HTML = may && !e.resolved && e.debit?.pending == true ? """
                <form method="post" action="/exceptions" class="inline confirm-result">\(csrfField(viewer))<input type="hidden" name="id" value="\(String(e.id))">
                <select name="outcome" required aria-label="\(Catalogue.Page.bankConfirmed.text(language))">\(confirmedOutcomes)</select>
                <input name="note" required minlength="2" maxlength="200" placeholder="\(Catalogue.Page.confirmedHow.text(language))">
                <button>\(Catalogue.Page.postConfirmed.text(language))</button></form>
                """ : ""
            let act: HTML = may ? """
                <form method="post" action="/exceptions" class="inline">\(csrfField(viewer))<input type="hidden" name="id" value="\(String(e.id))">
                <input type="hidden" name="resolve" value="\(e.resolved ? "0" : "1")">
                <input name="note" required maxlength="200" placeholder="\(Catalogue.note.text(language))">
                <button>\((e.resolved ? Catalogue.Page.reopen : Catalogue.Page.resolve).text(language))</button></form>\(confirm)
                """ : ""
            // Whose debit it is, so the operator can call the bank about it.
            let whose: HTML = e.debit.map { d -> HTML in
                let who: HTML = viewer.role.may(.wholeIDs)
                    ? "<a href=\"/payer\(query([("id", d.idNumber.value)]))\">\(d.name)</a> \(d.idNumber.value)" : "\(Masking.name(d.name)) \(d.idNumber.masked)"
                let confirmed: HTML = d.confirmed.map { c -> HTML in
                    "<br><strong>\(Catalogue.Page.confirmedResult.text(language))：\(Catalogue.outcome(c.outcome).text(language))</strong>（\(c.reason)）"
                } ?? ""
                return "\(who)<br>\(d.debitFile) · \(Layout.yuan(d.amount.fen)) \(Catalogue.Page.yuan.text(language))\(confirmed)"
            } ?? "\(Catalogue.Page.noDebitMatched.text(language))"
            return ["\(String(e.id))", "\(bankName(e.bank))", "\(e.returnFile):\(e.line)", whose, "\(Catalogue.exceptionKind(e.kind).text(language))",
                    "\(e.detail.text(language))", "\((e.resolved ? Catalogue.resolved : Catalogue.open).text(language))", last, act]
        }
        let states = ExceptionFilter.State.allCases.map { s -> HTML in
            let label: Message = switch s {
            case .open: Catalogue.open
            case .resolved: Catalogue.resolved
            case .all: Catalogue.Page.all
            }
            return s == state ? "<option value=\"\(s.rawValue)\" selected>\(label.text(language))</option>" : "<option value=\"\(s.rawValue)\">\(label.text(language))</option>"
        }
        return """
            <form method="get" action="/exceptions" class="filters">
            <label>\(Catalogue.state.text(language))<select name="state">\(states)</select></label>
            <label>\(Catalogue.bank.text(language))<select name="bank">\(Layout.options(none: Catalogue.Page.all.text(language),
                useCases.workspace.enabledBanks.sorted().map { ($0, bankName($0)) }, selected: bank))</select></label>
            <button>\(Catalogue.Page.filter.text(language))</button></form>
            <p>\(Catalogue.Page.exceptionsCount(Layout.count(records.count)).text(language))</p>
            \(Layout.table([Catalogue.id, Catalogue.bank, Catalogue.returnFile, Catalogue.Page.whoseDebit, Catalogue.kind, Catalogue.detail, Catalogue.state, Catalogue.note, Catalogue.action]
                .map { $0.text(language) }, numeric: [0], rows))
            """
    }

    /// Resolves or reopens an exception with the user's note (journaled by the store).
    func setException(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.exceptions
        guard let id = form["id"].flatMap(Int64.init) else { throw PageError(title: title, message: Catalogue.Page.noExceptionNumber) }
        let resolve = form["resolve"] != "0"
        let record: ExceptionRecord
        do {
            if let code = form["outcome"] {
                // The result the operator confirmed with the bank: it closes the debit (no result chosen: refused).
                guard let outcome = Outcome(rawValue: code) else { throw PageError(title: title, message: Catalogue.confirmNeedsOutcome) }
                record = try await useCases.confirmException(id: id, outcome: outcome, reason: form["note"] ?? "", actor: viewer.name)
            } else {
                record = try await useCases.setException(id: id, resolved: resolve, note: form["note"] ?? "", actor: viewer.name)
            }
        } catch let error as PageError {
            throw error
        } catch let error as PikouError where error.code == "exceptions.confirm" {
            throw PageError(title: title, message: error.message)
        } catch let error as PikouError where error.code == "exceptions.note" {
            throw PageError(title: title, message: Catalogue.Page.writeNoteWhatWasFound)
        } catch {
            // An unknown number, or already in that state (the store says by whom, when and why).
            throw PageError(title: title, message: Catalogue.Page.exceptionNotChanged("\(error)"), status: .conflict)
        }
        _ = try? await useCases.anchorJournal()
        return Self.redirect(to: "/exceptions" + query([("state", "all"), ("done", (record.resolved ? "resolved-" : "reopened-") + String(id))]))
    }
}
