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

    static let resubmitTitle = Message(zh: "重扣", en: "Resubmit")

    func resubmitPreview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Self.resubmitTitle
        var filter = try resubmitFilter(period: parameter(request, "period"), bank: parameter(request, "bank"), outcome: parameter(request, "outcome"), title: title)
        guard parameter(request, "period") != nil || parameter(request, "bank") != nil || parameter(request, "outcome") != nil else {
            // Opened from the navigation: the form on the latest period, no dry run over every period's failures yet.
            filter.period = try await chosenPeriod(request)
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit",
                                body: "\(resubmitForm(filter))<p>\(Message(zh: "选好期间、银行或结果后点“预览”。", en: "Choose a period, bank or outcome, then Preview.").text(language))</p>")
        }
        let preview = try await resubmitting(title) { try await useCases.previewResubmission(filter, actor: viewer.name, today: today()) }
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: renderPreview(filter, preview, viewer))
    }

    /// Sends the resubmission the user previewed; when what would be sent changed since, sends
    /// nothing and shows the new preview.
    func resubmit(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Self.resubmitTitle
        func field(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = try resubmitFilter(period: field("period"), bank: field("bank"), outcome: field("outcome"), title: title)
        guard let plan = field("plan") else {
            throw PageError(title: title, message: Message(zh: "缺少预览的笔数和金额：请先预览", en: "the preview's lines and yuan are missing: preview first"))
        }
        let outcome = try await resubmitting(title) { try await useCases.resubmitAsPreviewed(filter, plan: plan, actor: viewer.name, today: today()) }
        switch outcome {
        case .changed(let preview):
            let changed = Layout.problem(Message(
                zh: "预览之后情况有变（其他人已重扣，或回盘已入账）：未写出任何文件。下面是现在的预览，请核对后再确认",
                en: "things changed since the preview (someone else resubmitted, or a return was ingested): no file was written. Below is the preview as it is now; check it and confirm again").text(language))
            return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: "\(changed)\(renderPreview(filter, preview, viewer))"),
                        status: .conflict)
        case .written(let report):
            return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: renderWritten(report)))
        }
    }

    /// `body`, with a busy workspace and a resubmission that cannot run said in the page's words.
    func resubmitting<T>(_ title: Message, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let busy as WorkspaceLock.Busy {
            throw PageError(title: title, message: Message(zh: "工作区正忙：\(busy.holder?.text ?? "另一个命令")正在写入。稍后再预览、确认",
                                                           en: "the workspace is busy: \(busy.holder?.text ?? "another command") is writing. Preview and confirm again shortly"),
                            status: .conflict)
        } catch let error as PageError {
            throw error
        } catch {
            throw PageError(title: title, message: Message(
                zh: "重扣未完成：\(error)。已写出的文件见 `pikou status`；已预留未写出的文件下次 `pikou resubmit` 会写出",
                en: "the resubmission did not finish: \(error). Files already written: `pikou status`; reserved ones are written by the next `pikou resubmit`"),
                            status: .internalServerError)
        }
    }

    /// The failures a resubmission is for, from a query or a form.
    func resubmitFilter(period: String?, bank: String?, outcome: String?, title: Message) throws -> FailureFilter {
        var filter = FailureFilter()
        if let period {
            do { filter.period = try Period(period) } catch {
                throw PageError(title: title, message: Message(zh: "期间“\(period)”无效：写成 2026-12 这样的年-月", en: "period '\(period)' is not valid: write it as 2026-12"))
            }
        }
        if let bank {
            let code = bank.uppercased(), enabled = useCases.workspace.enabledBanks.sorted()
            guard enabled.contains(code) else {
                throw PageError(title: title, message: Message(zh: "银行“\(bank)”未启用；已启用：\(enabled.joined(separator: "、"))",
                                                               en: "bank '\(bank)' is not enabled; enabled: \(enabled.joined(separator: ", "))"))
            }
            filter.bank = code
        }
        filter.outcome = try failedOutcome(outcome, title: title)
        return filter
    }

    func resubmitForm(_ filter: FailureFilter) -> HTML {
        """
        <form method="get" action="/resubmit" class="filters">
        <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="\(Message(zh: "全部", en: "all").text(language))"></label>
        <label>\(Catalogue.bank.text(language))<input name="bank" value="\(filter.bank ?? "")" placeholder="\(Message(zh: "全部", en: "all").text(language))"></label>
        <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: Message(zh: "按重扣规则", en: "as the retry policy says").text(language), selected: filter.outcome))</select></label>
        <button>\(Message(zh: "预览", en: "Preview").text(language))</button></form>
        """
    }

    /// The form, what a resubmission would send (by bank, and what is held back and why), and the
    /// button that sends it — or why it cannot be confirmed.
    func renderPreview(_ filter: FailureFilter, _ preview: ResubmitPreview, _ viewer: Viewer) -> HTML {
        let report = preview.report
        let banks = report.byBank.map { b -> [HTML] in
            ["\(b.period.description)", "\(b.bank)", "\(Layout.count(b.lines))", "\(Layout.yuan(b.total.fen))", "\(b.files)"]
        }
        let steps = report.steps.sorted { $0.key.zh < $1.key.zh }.map { step, count -> [HTML] in ["\(step.text(language))", "\(Layout.count(count))"] }
        return """
            \(resubmitForm(filter))
            <h2>\(Message(zh: "将写出", en: "Would be written").text(language))：\(Layout.count(report.lines)) \(Message(zh: "笔", en: "lines").text(language))，\(Layout.yuan(report.total.fen)) \(Message(zh: "元", en: "yuan").text(language))</h2>
            \(Layout.table([Catalogue.period, Catalogue.bank, Catalogue.lines, Catalogue.amountYuan, Catalogue.files].map { $0.text(language) }, numeric: [2, 3, 4], banks))
            <h2>\(Message(zh: "失败明细按下一步", en: "Failures by next step").text(language))</h2>
            \(Layout.table([Catalogue.nextStep, Catalogue.lines].map { $0.text(language) }, numeric: [1], steps))
            \(confirmForm(filter, preview, viewer))
            """
    }

    func confirmForm(_ filter: FailureFilter, _ preview: ResubmitPreview, _ viewer: Viewer) -> HTML {
        let (report, unwritten) = (preview.report, preview.unwritten)
        guard unwritten.isEmpty else {
            // A resubmission writes those first: the operator would sign files this preview never showed.
            return Layout.problem(Message(
                zh: "有 \(unwritten.count) 个扣款文件已预留但未写出（\(unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: "、"))）：先在命令行运行 `pikou cycle run` 写出，或用 `pikou files release` 放弃，再来重扣",
                en: "\(unwritten.count) debit files are reserved but not written (\(unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: ", "))): write them with `pikou cycle run`, or give them up with `pikou files release`, before resubmitting").text(language))
        }
        guard preview.confirmable else {
            return "<p>\(Message(zh: "现在没有可重扣的失败。", en: "Nothing can be resubmitted now.").text(language))</p>"
        }
        return """
            <form method="post" action="/resubmit" class="confirm">\(csrfField(viewer))
            <input type="hidden" name="period" value="\(filter.period?.description ?? "")"><input type="hidden" name="bank" value="\(filter.bank ?? "")">
            <input type="hidden" name="outcome" value="\(filter.outcome?.rawValue ?? "")">
            <input type="hidden" name="lines" value="\(report.lines)"><input type="hidden" name="fen" value="\(String(report.total.fen))">
            <input type="hidden" name="plan" value="\(report.planDigest)">
            <button>\(Message(zh: "确认重扣：写出并签名 \(Layout.count(report.lines)) 笔、\(Layout.yuan(report.total.fen)) 元",
                               en: "Confirm: write and sign \(Layout.count(report.lines)) lines, \(Layout.yuan(report.total.fen)) yuan").text(language))</button></form>
            """
    }

    func renderWritten(_ report: Resubmission.Report) -> HTML {
        let files = report.written.map { path -> [HTML] in ["\((path as NSString).lastPathComponent)"] }
        let warnings = report.warnings.map { warning -> HTML in "<li>\(warning.description)</li>" }
        return """
            <p class="done" role="status">\(Message(zh: "已写出并签名 \(Layout.count(report.lines)) 笔、\(Layout.yuan(report.total.fen)) 元，共 \(report.written.count) 个文件：送银行前请核对",
                                                    en: "wrote and signed \(Layout.count(report.lines)) lines, \(Layout.yuan(report.total.fen)) yuan, in \(report.written.count) files: check them before sending").text(language))</p>
            \(Layout.table([Catalogue.file.text(language)], numeric: [], files))
            \(warnings.isEmpty ? "" : "<ul class=\"warnings\">\(warnings)</ul>" as HTML)
            <p><a href="/">\(Message(zh: "回到总览", en: "Back to the overview").text(language))</a></p>
            """
    }
}
