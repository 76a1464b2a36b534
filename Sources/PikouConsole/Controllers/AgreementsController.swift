import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 协议更正: a payer's agreements corrected, moved or revoked, as AgreementRules decides.
extension Console {
    func addAgreementsRoutes(to router: Router<ConsoleContext>) {
        router.get("/agreements") { request, context in try await page(request, context, .correctAgreements) { viewer in try await agreements(request, viewer) } }
        router.get("/agreements/revoke") { request, context in
            try await page(request, context, .correctAgreements) { viewer in try await revokeConfirmation(request, viewer) }
        }
        router.post("/agreements") { request, context in
            try await action(request, context, .correctAgreements) { viewer, form in try await changeAgreement(form, viewer) }
        }
    }

    /// 协议更正: a payer's agreements with a form to correct the account or name, move it to
    /// another bank, or revoke it.
    func agreements(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.agreements
        let (page, found) = try await lookUpPayer(request, viewer, path: "/agreements", title: title)
        guard let history = found else { return page }
        let search = searchForm(path: "/agreements")
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/agreements",
                            body: "\(search)\(agreementForms(history, viewer, problem: nil))")
    }

    func agreementForms(_ history: PayerHistory, _ viewer: Viewer, problem: Message?) -> HTML {
        let banks = Layout.options(none: Catalogue.Page.unchanged.text(language),
                                   useCases.workspace.enabledBanks.sorted().map { ($0, $0) }, selected: nil)
        let forms = history.agreements.filter(\.active).map { a -> HTML in
            """
            <section class="agreement"><h2>\(bankName(a.bank)) · \(Catalogue.version.text(language)) \(a.version)</h2>
            <p>\(Catalogue.account.text(language))：\(a.account.number) · \(Catalogue.accountName.text(language))：\(a.accountName) · \(Catalogue.Page.agreementNo.text(language))：\(a.agreementNo)</p>
            <form method="post" action="/agreements" class="filters">\(csrfField(viewer))
            <input type="hidden" name="id" value="\(history.idNumber.value)"><input type="hidden" name="bank" value="\(a.bank)">
            <label>\(Catalogue.Page.newAccount.text(language))<input name="account" inputmode="numeric" autocomplete="off" maxlength="32"></label>
            <label>\(Catalogue.Page.newAccountName.text(language))<input name="account_name" autocomplete="off" maxlength="40"></label>
            <label>\(Catalogue.Page.moveToBank.text(language))<select name="to_bank">\(banks)</select></label>
            <button name="do" value="update">\(Catalogue.Page.correct.text(language))</button>
            </form>
            <form method="get" action="/agreements/revoke" class="inline"><input type="hidden" name="id" value="\(history.idNumber.value)">
            <input type="hidden" name="bank" value="\(a.bank)"><button class="danger">\(Catalogue.Page.revoke.text(language))…</button></form></section>
            """
        }
        let notice: HTML = problem.map { Layout.problem($0.text(language)) } ?? ""
        let none: HTML = forms.isEmpty ? "<p>\(Catalogue.Page.noActiveAgreement.text(language))</p>" : ""
        return """
            \(notice)
            <p><strong>\(history.name)</strong> · \(history.idNumber.value) · <a href="/payer\(query([("id", history.idNumber.value)]))">\(Catalogue.Page.payerPage.text(language))</a></p>
            \(none)\(forms)
            """
    }

    /// Applies an agreement correction or revocation (``UseCases/changeAgreement(_:actor:)``),
    /// then shows the payer page with the new version.
    func changeAgreement(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.agreements
        guard let id = try idNumber(form["id"], title: title) else {
            throw PageError(title: title, message: Catalogue.Page.noIDNumber)
        }
        let revoke = form["do"] == "revoke"
        var change = AgreementChange(idNumber: id, bank: form["bank"].flatMap { $0.isEmpty ? nil : $0.uppercased() }, revoke: revoke)
        if revoke {
            // Irreversible: only from the confirmation page, with the reason it asks for.
            let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (2...200).contains(reason.count), !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw PageError(title: title, message: Catalogue.Page.revokeNeedsReason)
            }
            change.reason = reason
        }
        if !revoke {
            // Parsed here; whether a name or bank may be used is AgreementRules' (the CLI's too).
            if let text = form["account"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                do { change.account = try BankAccount(text) } catch { return try await agreementProblem(id, viewer, error.message) }
            }
            change.accountName = form["account_name"]?.trimmingCharacters(in: .whitespaces).nonEmpty
            change.newBank = form["to_bank"]?.uppercased().nonEmpty
            guard change.account != nil || change.accountName != nil || change.newBank != nil else {
                return try await agreementProblem(id, viewer, Catalogue.Page.giveAccountNameOrBank)
            }
        }
        let agreement: AgreementSnapshot
        do { agreement = try await useCases.changeAgreement(change, actor: viewer.name) } catch let refusal as PikouError {
            return try await agreementProblem(id, viewer, Catalogue.Page.agreementNotChanged(refusal.description))
        }
        _ = try? await useCases.anchorJournal()
        // The banner is named by a code, its words made here: a link cannot make the console say anything else.
        return Self.redirect(to: "/payer" + query([("id", id.value), ("done", (revoke ? "revoked-" : "corrected-") + agreement.bank)]))
    }

    /// 撤销协议, confirmed: what will change, and the reason the revocation is journaled with.
    func revokeConfirmation(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.revokeTitle
        guard let id = try idNumber(parameter(request, "id"), title: title), let history = try await useCases.payer(id) else {
            throw PageError(title: title, message: Catalogue.Page.noIDNumber, status: .notFound)
        }
        let bank = parameter(request, "bank")?.uppercased()
        guard let a = history.agreements.first(where: { $0.active && (bank == nil || $0.bank == bank) }) else {
            throw PageError(title: title, message: Catalogue.Page.noActiveAgreement, status: .notFound)
        }
        let whole = viewer.role.may(.wholeIDs)
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/agreements", body: """
            <section class="agreement">
            <p><strong>\(whole ? history.name : Masking.name(history.name))</strong> · \(masked(history.idNumber, viewer))</p>
            <p>\(Catalogue.bank.text(language))：\(bankName(a.bank)) · \(Catalogue.account.text(language))：\(masked(a.account, viewer)) · \(Catalogue.accountName.text(language))：\(whole ? a.accountName : Masking.name(a.accountName)) · \(Catalogue.Page.agreementNo.text(language))：\(a.agreementNo) · \(Catalogue.version.text(language)) \(a.version)</p>
            <p class="warning">\(Catalogue.Page.revokeWillChange(bankName(a.bank)).text(language))</p>
            <form method="post" action="/agreements" class="confirm filters">\(csrfField(viewer))
            <input type="hidden" name="id" value="\(history.idNumber.value)"><input type="hidden" name="bank" value="\(a.bank)">
            <label>\(Catalogue.Page.revokeReason.text(language))<input name="reason" required minlength="2" maxlength="200" autocomplete="off"></label>
            <button name="do" value="revoke" class="danger">\(Catalogue.Page.confirmRevoke.text(language))</button>
            <a href="/agreements\(query([("id", history.idNumber.value)]))">\(Catalogue.Page.cancel.text(language))</a></form></section>
            """)
    }

    func agreementProblem(_ id: IDNumber, _ viewer: Viewer, _ message: Message) async throws -> Response {
        let title = Catalogue.Page.agreements
        guard let history = try await useCases.payer(id) else { throw PageError(title: title, message: message) }
        return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/agreements", body: agreementForms(history, viewer, problem: message)),
                    status: .badRequest)
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
