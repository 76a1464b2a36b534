import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// What every page shares: the address bar's parameters, the period a page shows, its picker, the
/// filters' options, masking by role, the payer look-up and the banners.
extension Console {
    /// The period a page shows: `?period=YYYY-MM`, else the latest period with files.
    func chosenPeriod(_ request: Request) async throws -> Period? {
        if let text = request.uri.queryParameters["period"], !text.isEmpty {
            do { return try Period(String(text)) } catch {
                throw PageError(title: Catalogue.Page.invalidPeriod,
                                message: Catalogue.Page.invalidPeriod(String(text)))
            }
        }
        let useCases = useCases
        return try await cached("periods") { try await useCases.latestMonthlyPeriod() }
    }

    func periodPicker(_ period: Period, path: String, extra: [(String, String?)] = []) -> HTML {
        let hidden = extra.compactMap { name, value -> HTML? in value.map { "<input type=\"hidden\" name=\"\(name)\" value=\"\($0)\">" } }
        return """
            <form method="get" action="\(path)" class="filters">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(period.description)" pattern="[0-9]{4}-[0-9]{2}"></label>\(hidden)
            <button>\(Catalogue.Page.show.text(language))</button></form>
            """
    }

    func noData(_ title: Message, _ viewer: Viewer, current: String, notice: HTML = "") -> HTML {
        Layout.frame(title: title, viewer: viewer, language: language, current: current,
                     body: "\(notice)<p>\(Catalogue.Page.noDebitFilesRunCycle.text(language))</p>")
    }

    /// A banner per certificate (ours or a bank's) expiring within 30 days, with what to do: an
    /// office sees it on 总览 a month before signing or verifying stops.
    func certificateNotice() -> HTML {
        let warnings = Doctor(workspace: useCases.workspace).expiringCertificates()
        return HTML.join(warnings.map { "<p class=\"warning\" role=\"status\">\(Catalogue.Doctor.sentence($0).text(language))</p>" })
    }

    /// A query parameter, '+' read as a space (a browser's GET form), empty as absent.
    func parameter(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map { String($0).replacingOccurrences(of: "+", with: " ") }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A failure's outcome named in a filter (never `succeeded`), or a page error saying it is not one.
    func failedOutcome(_ text: String?, title: Message) throws -> Outcome? {
        guard let text else { return nil }
        guard let outcome = Outcome(rawValue: text), outcome != .succeeded else {
            throw PageError(title: title, message: Catalogue.Page.invalidOutcome(text))
        }
        return outcome
    }

    /// The options of an outcome filter (every failure's outcome, in the catalogue's words).
    func outcomeOptions(none: String, selected: Outcome?) -> HTML {
        Layout.options(none: none, Outcome.allCases.filter { $0 != .succeeded }.map { ($0.rawValue, Catalogue.outcome($0).text(language)) },
                       selected: selected?.rawValue)
    }

    /// The hidden CSRF field every form of a signed-in page carries.
    func csrfField(_ viewer: Viewer) -> HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(viewer.session.csrf)\">" }

    /// An ID number typed into a form, or a page error saying what is wrong with it (masked).
    func idNumber(_ text: String?, title: Message) throws -> IDNumber? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        do { return try IDNumber(text.uppercased()) } catch {
            throw PageError(title: title, message: error.message)
        }
    }

    /// The form that looks a payer up by ID number, for `path`.
    func searchForm(path: String) -> HTML {
        """
        <form method="get" action="\(path)" class="filters">
        <label>\(Catalogue.Page.idNumber18Characters.text(language))<input name="id" maxlength="18" size="22" required autocomplete="off"></label>
        <button>\(Catalogue.Page.lookUp.text(language))</button></form>
        """
    }

    /// The payer `?id=` names: their history, or (nil) the page to show instead (the search form
    /// alone, or with "not in the roster"). An ID that is not valid is a page error.
    func lookUpPayer(_ request: Request, _ viewer: Viewer, path: String, title: Message) async throws -> (page: HTML, history: PayerHistory?) {
        let search = searchForm(path: path)
        guard let id = try idNumber(parameter(request, "id"), title: title) else {
            return (Layout.frame(title: title, viewer: viewer, language: language, current: path, body: search), nil)
        }
        guard let history = try await useCases.payer(id) else {
            let missing = Layout.problem(Catalogue.Page.notInRoster(id.masked).text(language))
            return (Layout.frame(title: title, viewer: viewer, language: language, current: path, body: "\(search)\(missing)"), nil)
        }
        return (search, history)
    }

    /// The banner after a change, from the code the change redirected with (`corrected-BOC`,
    /// `revoked-BOC`, `resolved-12`, `reopened-12`); anything else shows nothing.
    func doneBanner(_ code: String?, agreements: [AgreementSnapshot]) -> HTML {
        guard let code, let dash = code.firstIndex(of: "-") else { return "" }
        let (kind, value) = (code[..<dash], String(code[code.index(after: dash)...]))
        let message: Message
        switch kind {
        case "corrected", "revoked":
            guard let agreement = agreements.first(where: { $0.bank == value }) else { return "" }
            message = kind == "revoked"
                ? Catalogue.Page.agreementRevoked(agreement.bank, version: agreement.version)
                : Catalogue.Page.agreementCorrected(agreement.bank, version: agreement.version)
        case "resolved", "reopened":
            guard let id = Int64(value) else { return "" }
            message = kind == "resolved" ? Catalogue.Page.exceptionResolved(id) : Catalogue.Page.exceptionReopened(id)
        case "reviewed", "reviewed0":
            message = AfterBankCatalogue.reviewed(value, changed: kind == "reviewed")
        case "optout", "optin", "optout0", "optin0":
            guard value == "all" || NoticeKind(rawValue: value) != nil else { return "" }
            message = Catalogue.Page.optOutDone(NoticeKind(rawValue: value), optedOut: kind.hasPrefix("optout"), changed: !kind.hasSuffix("0"))
        default:
            return ""
        }
        return "<p class=\"done\" role=\"status\">\(message.text(language))</p>"
    }

    func masked(_ id: IDNumber, _ viewer: Viewer) -> String { viewer.role.may(.wholeIDs) ? id.value : id.masked }
    func masked(_ account: BankAccount, _ viewer: Viewer) -> String { viewer.role.may(.wholeIDs) ? account.number : account.masked }
}
