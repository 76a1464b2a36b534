import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 重扣: the preview of exactly what would be sent, and the confirmation that sends it as previewed
/// (``UseCases/resubmitAsPreviewed(_:plan:actor:today:command:)``: the lock and the comparison are the use case's).
extension Console {
    func addResubmitRoutes(to router: Router<ConsoleContext>) {
        router.get("/resubmit") { request, context in try await page(request, context, .resubmit) { viewer in try await resubmitPreview(request, viewer) } }
        router.post("/resubmit") { request, context in try await action(request, context, .resubmit) { viewer, form in try await resubmit(form, viewer) } }
    }

    static let resubmitTitle = Catalogue.Page.resubmit

    func resubmitPreview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Self.resubmitTitle
        var filter = try resubmitFilter(period: parameter(request, "period"), bank: parameter(request, "bank"), outcome: parameter(request, "outcome"),
                                        ids: parameter(request, "ids"), title: title)
        guard parameter(request, "period") != nil || parameter(request, "bank") != nil || parameter(request, "outcome") != nil || filter.debitIDs != nil else {
            // Opened from the navigation: the form on the latest period, no dry run over every period's failures yet.
            filter.period = try await chosenPeriod(request)
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit",
                                body: "\(resubmitForm(filter))<p>\(Catalogue.Page.choosePeriodBankOrOutcome.text(language))</p>")
        }
        let preview = try await resubmitting(title) { try await useCases.previewResubmission(filter, actor: viewer.name, today: today()) }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: renderPreview(filter, preview, viewer))
    }

    /// Sends the resubmission the user previewed; when what would be sent changed since, sends
    /// nothing and shows the new preview.
    func resubmit(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Self.resubmitTitle
        func field(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = try resubmitFilter(period: field("period"), bank: field("bank"), outcome: field("outcome"), ids: field("ids"), title: title)
        guard let plan = field("plan") else {
            throw PageError(title: title, message: Catalogue.Page.previewMissing)
        }
        let outcome = try await resubmitting(title) { try await useCases.resubmitAsPreviewed(filter, plan: plan, actor: viewer.name, today: today()) }
        switch outcome {
        case .changed(let preview):
            let changed = Layout.problem(Catalogue.Page.changedSincePreview.text(language))
            return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: "\(changed)\(renderPreview(filter, preview, viewer))"),
                        status: .conflict)
        case .written(let report):
            return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: renderWritten(report)))
        }
    }

    /// `body`, with a busy workspace and a resubmission that cannot run said in the page's words.
    func resubmitting<T>(_ title: Message, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let busy as WorkspaceLock.Busy {
            throw PageError(title: title, message: Catalogue.Page.workspaceBusy(busy.holder?.text),
                            status: .conflict)
        } catch let error as PageError {
            throw error
        } catch {
            throw PageError(title: title, message: Catalogue.Page.resubmissionUnfinished("\(error)"),
                            status: .internalServerError)
        }
    }

    /// The failures a resubmission is for, from a query or a form.
    func resubmitFilter(period: String?, bank: String?, outcome: String?, ids: String? = nil, title: Message) throws -> FailureFilter {
        var filter = FailureFilter()
        // The rows ticked on 失败明细: exactly those debits (a page at most).
        if let ids {
            let parsed = ids.split(separator: ",").map { Int64($0) }
            guard !parsed.isEmpty, parsed.count <= Self.failuresPerPage, parsed.allSatisfy({ $0 != nil }) else {
                throw PageError(title: title, message: Catalogue.Page.selectRows)
            }
            filter.debitIDs = parsed.compactMap { $0 }
        }
        if let period {
            do { filter.period = try Period(period) } catch {
                throw PageError(title: title, message: Catalogue.Page.invalidPeriod(period))
            }
        }
        if let bank {
            let code = bank.uppercased(), enabled = useCases.workspace.enabledBanks.sorted()
            guard enabled.contains(code) else {
                throw PageError(title: title, message: Catalogue.Page.bankNotEnabled(bank, enabled: enabled))
            }
            filter.bank = code
        }
        filter.outcome = try failedOutcome(outcome, title: title)
        return filter
    }

    func resubmitForm(_ filter: FailureFilter) -> HTML {
        // Ticked rows are previewed as they are: the form starts a new choice.
        let ticked: HTML = filter.debitIDs.map { "<p>\(Catalogue.Page.resubmitTicked($0.count).text(language))</p>" } ?? ""
        return """
        \(ticked)
        <form method="get" action="/resubmit" class="filters">
        <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="\(Catalogue.Page.all.text(language))"></label>
        <label>\(Catalogue.bank.text(language))<input name="bank" value="\(filter.bank ?? "")" placeholder="\(Catalogue.Page.all.text(language))"></label>
        <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: Catalogue.Page.asRetryPolicySays.text(language), selected: filter.outcome))</select></label>
        <button>\(Catalogue.Page.preview.text(language))</button></form>
        """
    }

    /// The form, what a resubmission would send (by bank, and what is held back and why), and the
    /// button that sends it — or why it cannot be confirmed.
    func renderPreview(_ filter: FailureFilter, _ preview: ResubmitPreview, _ viewer: Viewer) -> HTML {
        let report = preview.report
        let banks = report.byBank.map { b -> [HTML] in
            ["\(b.period.description)", "\(bankName(b.bank))", "\(Layout.count(b.lines))", "\(Layout.yuan(b.total.fen))", "\(b.files)"]
        }
        let steps = report.steps.sorted { $0.key.zh < $1.key.zh }.map { step, count -> [HTML] in ["\(step.text(language))", "\(Layout.count(count))"] }
        return """
            \(resubmitForm(filter))
            <h2>\(Catalogue.Page.wouldBeWritten.text(language))：\(Layout.count(report.lines)) \(Catalogue.Page.lines.text(language))，\(Layout.yuan(report.total.fen)) \(Catalogue.Page.yuan.text(language))</h2>
            \(Layout.table([Catalogue.period, Catalogue.bank, Catalogue.lines, Catalogue.amountYuan, Catalogue.files].map { $0.text(language) }, numeric: [2, 3, 4], banks))
            <h2>\(Catalogue.Page.failuresByNextStep.text(language))</h2>
            \(Layout.table([Catalogue.nextStep, Catalogue.lines].map { $0.text(language) }, numeric: [1], steps))
            \(confirmForm(filter, preview, viewer))
            """
    }

    func confirmForm(_ filter: FailureFilter, _ preview: ResubmitPreview, _ viewer: Viewer) -> HTML {
        let (report, unwritten) = (preview.report, preview.unwritten)
        guard unwritten.isEmpty else {
            // A resubmission writes those first: the operator would sign files this preview never showed.
            return Layout.problem(Catalogue.Page.unwrittenBeforeResubmit(unwritten.map { "\($0.bank)/\($0.name)" }).text(language))
        }
        guard preview.confirmable else {
            return "<p>\(Catalogue.Page.nothingCanBeResubmittedNow.text(language))</p>"
        }
        return """
            <form method="post" action="/resubmit" class="confirm">\(csrfField(viewer))
            <input type="hidden" name="period" value="\(filter.period?.description ?? "")"><input type="hidden" name="bank" value="\(filter.bank ?? "")">
            <input type="hidden" name="outcome" value="\(filter.outcome?.rawValue ?? "")">
            <input type="hidden" name="ids" value="\(filter.debitIDs.map { $0.map(String.init).joined(separator: ",") } ?? "")">
            <input type="hidden" name="lines" value="\(report.lines)"><input type="hidden" name="fen" value="\(String(report.total.fen))">
            <input type="hidden" name="plan" value="\(report.planDigest)">
            <button>\(Catalogue.Page.confirmResubmit(lines: Layout.count(report.lines), yuan: Layout.yuan(report.total.fen)).text(language))</button></form>
            """
    }

    func renderWritten(_ report: Resubmission.Report) -> HTML {
        let files = report.written.map { path -> [HTML] in ["\((path as NSString).lastPathComponent)"] }
        let warnings = report.warnings.map { warning -> HTML in "<li>\(warning.description)</li>" }
        return """
            <p class="done" role="status">\(Catalogue.Page.resubmitted(lines: Layout.count(report.lines), yuan: Layout.yuan(report.total.fen), files: report.written.count).text(language))</p>
            \(Layout.table([Catalogue.file.text(language)], numeric: [], files))
            \(warnings.isEmpty ? "" : "<ul class=\"warnings\">\(warnings)</ul>" as HTML)
            <p><a href="/">\(Catalogue.Page.backToOverview.text(language))</a></p>
            """
    }
}
