import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 三方对账: a period's four legs per bank, and the account and treasury exceptions finance reviews.
extension Console {
    func addReconcileRoutes(to router: Router<ConsoleContext>) {
        router.get("/reconcile") { request, context in try await page(request, context, .view) { viewer in try await reconcile(request, viewer) } }
        router.post("/reconcile") { request, context in
            try await action(request, context, .reviewMoney) { viewer, form in try await reviewAfterBank(form, viewer) }
        }
    }

    func reconcile(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.threeWay
        guard let period = try await chosenPeriod(request) else { return noData(title, viewer, current: "/reconcile", notice: "") }
        let chains = try await useCases.chainLegs(period: period)
        let exceptions = try await useCases.afterBankExceptions(period: period)
        let notice = doneBanner(parameter(request, "done"), agreements: [])
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/reconcile",
                            body: "\(notice)\(periodPicker(period, path: "/reconcile"))\(renderChains(chains))\(renderAfterBankExceptions(exceptions, period: period, viewer))")
    }

    /// The four legs per bank, each leg's state beside its amount.
    func renderChains(_ chains: [ChainLegs]) -> HTML {
        let rows = chains.map { chain -> [HTML] in
            let legs = chain.legs
            func leg(_ state: LegState) -> HTML { "<span class=\"state \(Self.legClass(state))\">\(state.label.text(language))</span>" }
            return ["\(bankName(legs.bank))", "\(Layout.yuan(legs.listed.fen))", "\(Layout.yuan(legs.succeeded.fen))",
                    "\(legs.credited.map { Layout.yuan($0.fen) } ?? "—")", "\(legs.booked.map { Layout.yuan($0.fen) } ?? "—")",
                    leg(chain.bankState), leg(chain.accountState), leg(chain.treasuryState), leg(chain.overall)]
        }
        let none: HTML = chains.contains { $0.legs.credited != nil || $0.legs.booked != nil } ? "" : "<p>\(Catalogue.Page.noAfterBankYet.text(language))</p>"
        return """
            <p>\(Catalogue.Page.threeWayIntro.text(language))</p>\(none)
            \(Layout.table(AfterBankCatalogue.columns.map { $0.text(language) }, numeric: Set(1...4), rows))
            """
    }

    /// The CSS class of a leg's state, as 总览 colours 钱表相符.
    static func legClass(_ state: LegState) -> String {
        switch state {
        case .matched: "match"
        case .unsettled: "pending"
        case .mismatched: "mismatch"
        case .noData: "noData"
        }
    }

    func renderAfterBankExceptions(_ exceptions: [AfterBankException], period: Period, _ viewer: Viewer) -> HTML {
        let may = viewer.role.may(.reviewMoney)
        let rows = exceptions.map { e -> [HTML] in
            let id = (e.subject == .statementEntry ? "S" : "T") + String(e.id)
            let state = e.subject == .statementEntry ? AfterBankCatalogue.entryState(e.state) : AfterBankCatalogue.treasuryState(e.state)
            // A treasury line names a payer: whole for who may call payers, masked for the rest.
            let what = e.subject == .statementEntry ? e.reference : (viewer.role.may(.wholeIDs) ? e.reference : Masking.idNumber(e.reference))
            let ours: String = e.ourAmount.map { " (" + Layout.yuan($0.fen) + ")" } ?? ""
            let review: HTML = e.review.map { "\(AfterBankCatalogue.reviewedMark.text(language))：\($0)" as HTML } ?? (may ? """
                <form method="post" action="/reconcile" class="inline">\(csrfField(viewer))<input type="hidden" name="id" value="\(id)">
                <input type="hidden" name="period" value="\(period.description)">
                <input name="note" required minlength="2" maxlength="200" placeholder="\(Catalogue.Page.reviewNote.text(language))">
                <button>\(Catalogue.Page.review.text(language))</button></form>
                """ : "\(AfterBankCatalogue.openMark.text(language))")
            return ["\(id)", "\(bankName(e.bank))", "\(e.source)\(e.lineNo.map { ":" + String($0) } ?? "")", "\(e.date.description)", "\(state.text(language))",
                    "\(Layout.yuan(e.amount.fen))\(ours)", "\(what)", "\(e.debitFile ?? "—")", review]
        }
        let header = [Catalogue.id, Catalogue.bank, Catalogue.Page.sourceColumn, Catalogue.Page.dateColumn, Catalogue.state, AfterBankCatalogue.exceptionColumns[4],
                      AfterBankCatalogue.exceptionColumns[5], Catalogue.Page.debitFileColumn, AfterBankCatalogue.exceptionColumns[6]]
        return """
            <h2>\(AfterBankCatalogue.exceptionsHeading.text(language))</h2>
            \(exceptions.isEmpty ? "<p>\(AfterBankCatalogue.noExceptions.text(language))</p>" as HTML : Layout.table(header.map { $0.text(language) }, numeric: [5], rows))
            """
    }

    /// Records finance's review of one exception (journaled by the store).
    func reviewAfterBank(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.threeWay
        let id = form["id"] ?? ""
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let subject: AfterBankException.Subject? = id.hasPrefix("S") ? .statementEntry : id.hasPrefix("T") ? .treasuryLine : nil
        guard let subject, let number = Int64(id.dropFirst()), number > 0, (2...200).contains(note.count),
              !note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PageError(title: title, message: Catalogue.Page.badReview)
        }
        let changed: Bool
        do {
            changed = try await useCases.reviewAfterBank(subject, id: number, note: note, actor: viewer.name)
        } catch {
            throw PageError(title: title, message: Catalogue.Page.exceptionNotChanged("\(error)"), status: .conflict)
        }
        _ = try? await useCases.anchorJournal()
        let period = form["period"].flatMap { try? Period($0) }
        return Self.redirect(to: "/reconcile" + query([("period", period?.description), ("done", (changed ? "reviewed-" : "reviewed0-") + id)]))
    }
}
