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

/// 缴费凭证: a payer's certificate as a print page (for who serves payers), and checking a code (anyone).
extension Console {
    func addCertificateRoutes(to router: Router<ConsoleContext>) {
        router.get("/certificate") { request, context in
            try await page(request, context, .wholeIDs) { viewer in try await certificatePage(request, viewer) }
        }
        router.get("/certificate/verify") { request, context in try await page(request, context, .view) { viewer in try await verifyCertificate(request, viewer) } }
    }

    /// The certificate of `?id=` for `?period=` or `?year=`, as the page to print (no frame: it is handed over).
    func certificatePage(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.certificate
        guard let text = parameter(request, "id"), let idNumber = try? IDNumber(text) else { throw PageError(title: title, message: Catalogue.Page.certificateNeedsPayer) }
        let scope: PaymentCertificate.Scope
        if let period = parameter(request, "period").flatMap({ try? Period($0) }) {
            scope = .period(period)
        } else if let year = parameter(request, "year").flatMap(Int.init), (1900...9999).contains(year) {
            scope = .year(year)
        } else {
            throw PageError(title: title, message: Catalogue.Page.certificateNeedsPayer)
        }
        let certificate: PaymentCertificate?
        do {
            certificate = try await useCases.certificates.issue(idNumber: idNumber, scope: scope)
        } catch let error as PikouError {
            throw PageError(title: title, message: error.message, status: .notFound)
        }
        guard let certificate else { throw PageError(title: title, message: Catalogue.noSuchPayer(idNumber.masked), status: .notFound) }
        try? await useCases.journal(actor: viewer.name, action: "certificate.issue", subject: idNumber.masked, detail: "\(scope)")
        return HTML(trusted: CertificatePrint.html(certificate, bankName: bankName, issued: FileIO.todayInChina()))
    }

    func verifyCertificate(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.certificateVerify
        let code = parameter(request, "code") ?? ""
        var result: HTML = ""
        if !code.isEmpty {
            switch try await useCases.certificates.verify(code) {
            case .valid(let certificate):
                let rows = certificate.entries.map { e -> [HTML] in
                    ["\(e.period.description)", "\(Layout.yuan(e.amount.fen))", "\(bankName(e.bank))", "\(e.collectionDate.description)", "\(e.voucher ?? AfterBankCatalogue.awaitingTreasury.text(language))"]
                }
                result = """
                    <p class="done" role="status">\(AfterBankCatalogue.certificateValid(certificate).text(language))</p>
                    \(Layout.table([Catalogue.Page.periodColumn, AfterBankCatalogue.exceptionColumns[4], Catalogue.bank, Catalogue.Page.dateColumn, Catalogue.Page.voucherColumn]
                        .map { $0.text(language) }, numeric: [1], rows))
                    """
            case .invalid:
                result = "<p class=\"problem\" role=\"alert\">\(AfterBankCatalogue.certificateInvalid.text(language))</p>"
            }
        }
        return Layout.frame(title: title, viewer: viewer, language: language, current: nil, body: """
            <form method="get" action="/certificate/verify" class="filters">
            <label>\(Catalogue.Page.certificateCode.text(language))<input name="code" value="\(code)" required maxlength="40" autocomplete="off"></label>
            <button>\(Catalogue.Page.check.text(language))</button></form>
            \(result)
            """)
    }
}
