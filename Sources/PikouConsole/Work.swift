import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// The operators' work: a payer's whole story, resubmission (preview, then confirm), agreement
/// corrections and exceptions. Every change goes through the use cases the CLI calls, journaled
/// with the signed-in user's name.
extension Console {
    /// A query parameter, '+' read as a space (a browser's GET form), empty as absent.
    func parameter(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map { String($0).replacingOccurrences(of: "+", with: " ") }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A failure's outcome named in a filter (never `succeeded`), or a page error saying it is not one.
    func failedOutcome(_ text: String?, title: Message) throws -> Outcome? {
        guard let text else { return nil }
        guard let outcome = Outcome(rawValue: text), outcome != .succeeded else {
            throw PageError(title: title, message: Message(zh: "结果“\(text)”无效", en: "outcome '\(text)' is not valid"))
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

    func masked(_ id: IDNumber, _ viewer: Viewer) -> String { viewer.role.may(.wholeIDs) ? id.value : id.masked }
    func masked(_ account: BankAccount, _ viewer: Viewer) -> String { viewer.role.may(.wholeIDs) ? account.number : account.masked }

    // MARK: - 缴费人

    /// The form that looks a payer up by ID number, for `path`.
    func searchForm(path: String) -> HTML {
        """
        <form method="get" action="\(path)" class="filters">
        <label>\(Message(zh: "身份证号（18 位）", en: "ID number (18 characters)").text(language))<input name="id" maxlength="18" size="22" required autocomplete="off"></label>
        <button>\(Message(zh: "查询", en: "Look up").text(language))</button></form>
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
            let missing = Layout.problem(Message(zh: "名册中没有 \(id.masked)", en: "\(id.masked) is not in the roster").text(language))
            return (Layout.frame(title: title, viewer: viewer, language: language, current: path, body: "\(search)\(missing)"), nil)
        }
        return (search, history)
    }

    /// Everything about one payer: agreements and their versions, enrollments, dues, debits with
    /// the banks' answers, payments elsewhere and the journal lines about them.
    func payer(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "缴费人查询", en: "Payer")
        let (search, found) = try await lookUpPayer(request, viewer, path: "/payer", title: title)
        guard let history = found else { return search }
        let id = history.idNumber
        let whole = viewer.role.may(.wholeIDs)
        let notice = doneBanner(parameter(request, "done"), agreements: history.agreements)
        let agreements = history.agreements.map { a -> [HTML] in
            ["\(a.bank)", "\(masked(a.account, viewer))", "\(whole ? a.accountName : Masking.name(a.accountName))", "\(a.agreementNo)", "\(a.version)",
             "\((a.active ? Catalogue.active : Catalogue.revoked).text(language))"]
        }
        let enrollments = history.enrollments.map { e -> [HTML] in
            ["\(Catalogue.insurance(e.insurance).text(language))", "\(e.tier)", "\(e.bank)", "\(e.start.description)", "\(e.end?.description ?? "—")",
             "\((e.suspended ? Catalogue.yes : Catalogue.no).text(language))"]
        }
        let dues = history.dues.map { d -> [HTML] in
            ["\(d.period.description)", "\(Catalogue.insurance(d.insurance).text(language))", "\(Layout.yuan(d.amount.fen))", "\(Catalogue.dueState(d.state).text(language))"]
        }
        let debits = history.debits.map { d -> [HTML] in
            ["\(d.period.description)", "\(d.bank)", "\(d.fileName)", "\(d.collectionDate.description)", "\(Layout.yuan(d.amount.fen))",
             "\(d.outcome.map { Catalogue.outcome($0).text(language) } ?? Catalogue.awaitingReturn.text(language))", "\(d.bankText)", "\(d.memo)"]
        }
        let payments = history.payments.map { p -> [HTML] in
            ["\(p.period.description)", "\(Catalogue.insurance(p.insurance).text(language))", "\(Layout.yuan(p.amount.fen))", "\(p.channel)", "\(p.reference)"]
        }
        let journal = history.journal.map { j -> [HTML] in ["\(Layout.time(j.at))", "\(j.actor)", "\(j.action)", "\(j.detail)"] }
        // The residents' yearly dues: the parts, and which rule applied and why (the most favourable of the person's groups).
        let residents = try await useCases.residentDues(id).map { due, why -> [HTML] in
            let state = due.parts.personal == .zero ? Catalogue.paidByPublicFunds : Catalogue.dueState(due.state)
            return ["\(due.year)", "\(Catalogue.insurance(due.insurance).text(language))", "\(due.seq)", "\(due.parts.tier.map { Layout.yuan($0.fen) } ?? "")",
                    "\(Layout.yuan(due.parts.standard.fen))", "\(Layout.yuan(due.parts.personal.fen))", "\(Layout.yuan(due.parts.subsidy.fen))",
                    "\(Layout.yuan(due.parts.government.fen))", "\(state.text(language))", "\(why?.text(language) ?? due.parts.rule)"]
        }
        let correct: HTML = viewer.role.may(.correctAgreements)
            ? "<p><a href=\"/agreements\(query([("id", id.value)]))\">\(Message(zh: "更正或撤销协议", en: "Correct or revoke an agreement").text(language))</a></p>" : ""
        func section(_ heading: Message, _ header: [Message], numeric: Set<Int>, _ rows: [[HTML]]) -> HTML {
            rows.isEmpty ? "<h2>\(heading.text(language))\(Catalogue.none.text(language))</h2>"
                : "<h2>\(heading.text(language))</h2>\(Layout.table(header.map { $0.text(language) }, numeric: numeric, rows))"
        }
        let body: HTML = """
            \(search)\(notice)
            <p><strong>\(whole ? history.name : Masking.name(history.name))</strong> · \(masked(history.idNumber, viewer)) · \(whole ? history.phone : Masking.phone(history.phone)) ·
            \(history.district) / \(history.street) / \(history.community)</p>
            \(correct)
            \(section(Catalogue.agreementsTitle, [Catalogue.bank, Catalogue.account, Catalogue.accountName, Message(zh: "协议号", en: "Agreement no."), Catalogue.version, Catalogue.state], numeric: [4], agreements))
            \(section(Catalogue.enrollmentsTitle, [Catalogue.insuranceColumn, Catalogue.tier, Catalogue.bank, Catalogue.from, Catalogue.until, Catalogue.suspendedState], numeric: [], enrollments))
            \(section(Catalogue.duesTitle, [Catalogue.period, Catalogue.insuranceColumn, Catalogue.amountYuan, Catalogue.state], numeric: [2], dues))
            \(residents.isEmpty ? "" : section(Catalogue.residentDuesTitle, [Catalogue.coverYearColumn, Catalogue.insuranceColumn, Catalogue.dueSeq, Catalogue.tier,
                Catalogue.standardPart, Catalogue.personalPart, Catalogue.subsidyPart, Catalogue.governmentPart, Catalogue.state, Catalogue.why], numeric: [2, 3, 4, 5, 6, 7], residents))
            \(section(Catalogue.debitsTitle, [Catalogue.period, Catalogue.bank, Catalogue.file, Catalogue.collectionDate, Catalogue.amountYuan, Catalogue.outcome, Catalogue.bankText, Message(zh: "附言", en: "Memo")], numeric: [4], debits))
            \(section(Catalogue.paymentsTitle, [Catalogue.period, Catalogue.insuranceColumn, Catalogue.amountYuan, Catalogue.channel, Catalogue.reference], numeric: [2], payments))
            \(section(Catalogue.journalTitle, [Catalogue.at, Catalogue.by, Catalogue.action, Catalogue.detail], numeric: [], journal))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/payer", body: body)
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
                ? Message(zh: "已撤销 \(agreement.bank) 协议（版本 \(agreement.version)）", en: "revoked the \(agreement.bank) agreement (version \(agreement.version))")
                : Message(zh: "已更正：\(agreement.bank) 协议现为版本 \(agreement.version)", en: "corrected: the \(agreement.bank) agreement is now version \(agreement.version)")
        case "resolved", "reopened":
            guard let id = Int64(value) else { return "" }
            message = kind == "resolved" ? Message(zh: "异常 \(id) 已处理", en: "exception \(id) resolved") : Message(zh: "异常 \(id) 已重新打开", en: "exception \(id) reopened")
        default:
            return ""
        }
        return "<p class=\"done\" role=\"status\">\(message.text(language))</p>"
    }

    // MARK: - 重扣

    /// The failures a resubmission is for, from a query or a form.
    func resubmitFilter(period: String?, bank: String?, outcome: String?, title: Message) throws -> FailureFilter {
        var filter = FailureFilter()
        if let period {
            do { filter.period = try Period(period) } catch {
                throw PageError(title: title, message: Message(zh: "期间“\(period)”无效：写成 2026-12 这样的年-月", en: "period '\(period)' is not valid: write it as 2026-12"))
            }
        }
        if let bank {
            let code = bank.uppercased()
            guard useCases.workspace.enabledBanks.contains(code) else {
                throw PageError(title: title, message: Message(zh: "银行“\(bank)”未启用；已启用：\(useCases.workspace.enabledBanks.sorted().joined(separator: "、"))",
                                                               en: "bank '\(bank)' is not enabled; enabled: \(useCases.workspace.enabledBanks.sorted().joined(separator: ", "))"))
            }
            filter.bank = code
        }
        filter.outcome = try failedOutcome(outcome, title: title)
        return filter
    }

    /// The resubmission use case on today's date, with the enabled banks' specs and calendar.
    func resubmission(title: Message) throws -> (Resubmission, CivilDate) {
        let today = today()
        do {
            let loaded = try Cycle.load(workspace: useCases.workspace, years: [today.year])
            return (useCases.resubmission(specs: loaded.specs, calendar: loaded.calendar, policy: useCases.workspace.retry), today)
        } catch {
            throw PageError(title: title, message: Message(zh: "无法读取银行格式或日历：\(error)", en: "cannot read the bank formats or calendar: \(error)"),
                            status: .internalServerError)
        }
    }

    func resubmitForm(_ filter: FailureFilter, _ viewer: Viewer) -> HTML {
        return """
            <form method="get" action="/resubmit" class="filters">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="\(Message(zh: "全部", en: "all").text(language))"></label>
            <label>\(Catalogue.bank.text(language))<input name="bank" value="\(filter.bank ?? "")" placeholder="\(Message(zh: "全部", en: "all").text(language))"></label>
            <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: Message(zh: "按重扣规则", en: "as the retry policy says").text(language), selected: filter.outcome))</select></label>
            <button>\(Message(zh: "预览", en: "Preview").text(language))</button></form>
            """
    }

    /// What a resubmission would send: by bank, and what is held back and why.
    func previewTables(_ report: Resubmission.Report) -> HTML {
        let banks = report.byBank.map { b -> [HTML] in
            ["\(b.period.description)", "\(b.bank)", "\(Layout.count(b.lines))", "\(Layout.yuan(b.total.fen))", "\(b.files)"]
        }
        let steps = report.steps.sorted { $0.key.zh < $1.key.zh }.map { step, count -> [HTML] in ["\(step.text(language))", "\(Layout.count(count))"] }
        return """
            <h2>\(Message(zh: "将写出", en: "Would be written").text(language))：\(Layout.count(report.lines)) \(Message(zh: "笔", en: "lines").text(language))，\(Layout.yuan(report.total.fen)) \(Message(zh: "元", en: "yuan").text(language))</h2>
            \(Layout.table([Catalogue.period, Catalogue.bank, Catalogue.lines, Catalogue.amountYuan, Catalogue.files].map { $0.text(language) }, numeric: [2, 3, 4], banks))
            <h2>\(Message(zh: "失败明细按下一步", en: "Failures by next step").text(language))</h2>
            \(Layout.table([Catalogue.nextStep, Catalogue.lines].map { $0.text(language) }, numeric: [1], steps))
            """
    }

    /// 重扣: the preview of exactly what would be sent, and the button that sends it.
    func resubmitPreview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "重扣", en: "Resubmit")
        var filter = try resubmitFilter(period: parameter(request, "period"), bank: parameter(request, "bank"), outcome: parameter(request, "outcome"), title: title)
        guard parameter(request, "period") != nil || parameter(request, "bank") != nil || parameter(request, "outcome") != nil else {
            // Opened from the navigation: the form on the latest period, no dry run over every period's failures yet.
            filter.period = try await chosenPeriod(request)
            return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit",
                                body: "\(resubmitForm(filter, viewer))<p>\(Message(zh: "选好期间、银行或结果后点“预览”。", en: "Choose a period, bank or outcome, then Preview.").text(language))</p>")
        }
        let (resubmission, today) = try resubmission(title: title)
        let report = try await resubmission.run(filter: filter, actor: viewer.name, dryRun: true, today: today)
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit",
                            body: "\(resubmitForm(filter, viewer))\(previewTables(report))\(try await confirmForm(filter, report, viewer))")
    }

    func confirmForm(_ filter: FailureFilter, _ report: Resubmission.Report, _ viewer: Viewer) async throws -> HTML {
        let unwritten = try await useCases.unwrittenFiles()
        guard unwritten.isEmpty else {
            // A resubmission writes those first: the operator would sign files this preview never showed.
            return Layout.problem(Message(
                zh: "有 \(unwritten.count) 个扣款文件已预留但未写出（\(unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: "、"))）：先在命令行运行 `pikou cycle run` 写出，或用 `pikou files release` 放弃，再来重扣",
                en: "\(unwritten.count) debit files are reserved but not written (\(unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: ", "))): write them with `pikou cycle run`, or give them up with `pikou files release`, before resubmitting").text(language))
        }
        guard report.lines > 0 else {
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

    /// Sends the resubmission the user previewed, under the workspace's writing lock; when what
    /// would be sent changed since the preview (another operator, a return file ingested), sends
    /// nothing and shows the new preview.
    func resubmit(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Message(zh: "重扣", en: "Resubmit")
        let filter = try resubmitFilter(period: form["period"].flatMap { $0.isEmpty ? nil : $0 }, bank: form["bank"].flatMap { $0.isEmpty ? nil : $0 },
                                        outcome: form["outcome"].flatMap { $0.isEmpty ? nil : $0 }, title: title)
        guard form["lines"].flatMap(Int.init) != nil, form["fen"].flatMap(Int64.init) != nil, let plan = form["plan"], !plan.isEmpty else {
            throw PageError(title: title, message: Message(zh: "缺少预览的笔数和金额：请先预览", en: "the preview's lines and yuan are missing: preview first"))
        }
        let lock: WorkspaceLock
        do {
            lock = try WorkspaceLock.acquire(useCases.workspace, command: "console resubmit", actor: viewer.name, wait: false)
            try await lock.holdStore(useCases.workspace, wait: false)
        } catch let busy as WorkspaceLock.Busy {
            throw PageError(title: title, message: Message(zh: "工作区正忙：\(busy.holder?.text ?? "另一个命令")正在写入。稍后再预览、确认",
                                                           en: "the workspace is busy: \(busy.holder?.text ?? "another command") is writing. Preview and confirm again shortly"),
                            status: .conflict)
        }
        defer { lock.release() }
        let (resubmission, today) = try resubmission(title: title)
        let current = try await resubmission.run(filter: filter, actor: viewer.name, dryRun: true, today: today)
        // The very debits previewed (the same dues of the same payers for the same amounts), and no
        // file left reserved and unwritten that this run would write first without having shown it.
        let unwritten = try await useCases.unwrittenFiles()
        guard current.planDigest == plan, unwritten.isEmpty else {
            let changed = Layout.problem(Message(
                zh: "预览之后情况有变（其他人已重扣，或回盘已入账）：未写出任何文件。下面是现在的预览，请核对后再确认",
                en: "things changed since the preview (someone else resubmitted, or a return was ingested): no file was written. Below is the preview as it is now; check it and confirm again").text(language))
            return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit",
                                     body: "\(changed)\(resubmitForm(filter, viewer))\(previewTables(current))\(try await confirmForm(filter, current, viewer))"), status: .conflict)
        }
        let report: Resubmission.Report
        do {
            report = try await resubmission.run(filter: filter, actor: viewer.name, dryRun: false, today: today)
        } catch {
            throw PageError(title: title, message: Message(
                zh: "重扣未完成：\(error)。已写出的文件见 `pikou status`；已预留未写出的文件下次 `pikou resubmit` 会写出",
                en: "the resubmission did not finish: \(error). Files already written: `pikou status`; reserved ones are written by the next `pikou resubmit`"),
                            status: .internalServerError)
        }
        _ = try? await useCases.anchorJournal()
        let files = report.written.map { path -> [HTML] in ["\((path as NSString).lastPathComponent)"] }
        let warnings = report.warnings.map { warning -> HTML in "<li>\(warning.description)</li>" }
        let warningList: HTML = warnings.isEmpty ? "" : "<ul class=\"warnings\">\(warnings)</ul>"
        let body: HTML = """
            <p class="done" role="status">\(Message(zh: "已写出并签名 \(Layout.count(report.lines)) 笔、\(Layout.yuan(report.total.fen)) 元，共 \(report.written.count) 个文件：送银行前请核对",
                                                    en: "wrote and signed \(Layout.count(report.lines)) lines, \(Layout.yuan(report.total.fen)) yuan, in \(report.written.count) files: check them before sending").text(language))</p>
            \(Layout.table([Catalogue.file.text(language)], numeric: [], files))
            \(warningList)
            <p><a href="/">\(Message(zh: "回到总览", en: "Back to the overview").text(language))</a></p>
            """
        return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/resubmit", body: body))
    }

    // MARK: - 协议更正

    /// 协议更正: a payer's agreements with a form to correct the account or name, move it to
    /// another bank, or revoke it.
    func agreements(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "协议更正", en: "Agreements")
        let (page, found) = try await lookUpPayer(request, viewer, path: "/agreements", title: title)
        guard let history = found else { return page }
        let search = searchForm(path: "/agreements")
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/agreements",
                            body: "\(search)\(agreementForms(history, viewer, problem: nil))")
    }

    func agreementForms(_ history: PayerHistory, _ viewer: Viewer, problem: Message?) -> HTML {
        let banks = Layout.options(none: Message(zh: "不变", en: "unchanged").text(language),
                                   useCases.workspace.enabledBanks.sorted().map { ($0, $0) }, selected: nil)
        let forms = history.agreements.filter(\.active).map { a -> HTML in
            """
            <section class="agreement"><h2>\(a.bank) · \(Catalogue.version.text(language)) \(a.version)</h2>
            <p>\(Catalogue.account.text(language))：\(a.account.number) · \(Catalogue.accountName.text(language))：\(a.accountName) · \(Message(zh: "协议号", en: "Agreement no.").text(language))：\(a.agreementNo)</p>
            <form method="post" action="/agreements" class="filters">\(csrfField(viewer))
            <input type="hidden" name="id" value="\(history.idNumber.value)"><input type="hidden" name="bank" value="\(a.bank)">
            <label>\(Message(zh: "新账号", en: "New account").text(language))<input name="account" inputmode="numeric" autocomplete="off" maxlength="32"></label>
            <label>\(Message(zh: "新户名", en: "New account name").text(language))<input name="account_name" autocomplete="off" maxlength="40"></label>
            <label>\(Message(zh: "改到银行", en: "Move to bank").text(language))<select name="to_bank">\(banks)</select></label>
            <button name="do" value="update">\(Message(zh: "更正", en: "Correct").text(language))</button>
            <button name="do" value="revoke" class="danger">\(Message(zh: "撤销协议", en: "Revoke").text(language))</button>
            </form></section>
            """
        }
        let notice: HTML = problem.map { Layout.problem($0.text(language)) } ?? ""
        let none: HTML = forms.isEmpty ? "<p>\(Message(zh: "没有有效的代扣协议。", en: "No active agreement.").text(language))</p>" : ""
        return """
            \(notice)
            <p><strong>\(history.name)</strong> · \(history.idNumber.value) · <a href="/payer\(query([("id", history.idNumber.value)]))">\(Message(zh: "缴费人详情", en: "Payer page").text(language))</a></p>
            \(none)\(forms)
            """
    }

    /// Applies an agreement correction or revocation (``UseCases/changeAgreement(_:actor:)``),
    /// then shows the payer page with the new version.
    func changeAgreement(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Message(zh: "协议更正", en: "Agreements")
        guard let id = try idNumber(form["id"], title: title) else {
            throw PageError(title: title, message: Message(zh: "缺少身份证号", en: "no ID number"))
        }
        let revoke = form["do"] == "revoke"
        var change = AgreementChange(idNumber: id, bank: form["bank"].flatMap { $0.isEmpty ? nil : $0.uppercased() }, revoke: revoke)
        if !revoke {
            if let text = form["account"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                do { change.account = try BankAccount(text) } catch { return try await agreementProblem(id, viewer, error.message) }
            }
            if let name = form["account_name"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
                guard name.count <= 40, name.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }) else {
                    return try await agreementProblem(id, viewer, Message(zh: "户名过长或含控制字符", en: "the account name is too long or holds control characters"))
                }
                change.accountName = name
            }
            if let bank = form["to_bank"], !bank.isEmpty {
                guard useCases.workspace.enabledBanks.contains(bank.uppercased()) else {
                    return try await agreementProblem(id, viewer, Message(zh: "银行 \(bank) 未启用", en: "bank \(bank) is not enabled"))
                }
                change.newBank = bank.uppercased()
            }
            guard change.account != nil || change.accountName != nil || change.newBank != nil else {
                return try await agreementProblem(id, viewer, Message(zh: "请填写新账号、新户名或改到的银行", en: "give a new account, a new name or another bank"))
            }
        }
        let agreement: AgreementSnapshot
        do { agreement = try await useCases.changeAgreement(change, actor: viewer.name) } catch let refusal as AgreementRules.Refusal {
            return try await agreementProblem(id, viewer, Message(zh: "未能更正：\(refusal.description)", en: "not changed: \(refusal.description)"))
        }
        _ = try? await useCases.anchorJournal()
        // The banner is named by a code, its words made here: a link cannot make the console say anything else.
        return Self.redirect(to: "/payer" + query([("id", id.value), ("done", (revoke ? "revoked-" : "corrected-") + agreement.bank)]))
    }

    func agreementProblem(_ id: IDNumber, _ viewer: Viewer, _ message: Message) async throws -> Response {
        let title = Message(zh: "协议更正", en: "Agreements")
        guard let history = try await useCases.payer(id) else { throw PageError(title: title, message: message) }
        return html(Layout.frame(title: title, viewer: viewer, language: language, current: "/agreements", body: agreementForms(history, viewer, problem: message)),
                    status: .badRequest)
    }

    // MARK: - 异常处理

    /// 异常处理: exceptions as work items, filtered by state and bank; operators resolve or reopen
    /// each with a note.
    func exceptions(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "异常处理", en: "Exceptions")
        let stateText = parameter(request, "state") ?? "open"
        guard let state = ExceptionFilter.State(rawValue: stateText) else {
            throw PageError(title: title, message: Message(zh: "状态“\(stateText)”无效：open、resolved 或 all", en: "state '\(stateText)' is not valid: open, resolved or all"))
        }
        let bank = parameter(request, "bank")?.uppercased()
        let records = try await useCases.exceptions(period: nil, filter: ExceptionFilter(state: state, bank: bank))
        let may = viewer.role.may(.handleExceptions)
        let rows = records.map { e -> [HTML] in
            let last: HTML = e.lastAction.map { "\($0.note)（\($0.actor)，\(Layout.time($0.at))）" } ?? "—"
            let act: HTML = may ? """
                <form method="post" action="/exceptions" class="inline">\(csrfField(viewer))<input type="hidden" name="id" value="\(String(e.id))">
                <input type="hidden" name="resolve" value="\(e.resolved ? "0" : "1")">
                <input name="note" required maxlength="200" placeholder="\(Catalogue.note.text(language))">
                <button>\((e.resolved ? Message(zh: "重新打开", en: "Reopen") : Message(zh: "处理完毕", en: "Resolve")).text(language))</button></form>
                """ : ""
            return ["\(String(e.id))", "\(e.bank)", "\(e.returnFile):\(e.line)", "\(Catalogue.exceptionKind(e.kind).text(language))", "\(e.detail)",
                    "\((e.resolved ? Catalogue.resolved : Catalogue.open).text(language))", last, act]
        }
        let states = ExceptionFilter.State.allCases.map { s -> HTML in
            let label: Message = switch s {
            case .open: Catalogue.open
            case .resolved: Catalogue.resolved
            case .all: Message(zh: "全部", en: "all")
            }
            return s == state ? "<option value=\"\(s.rawValue)\" selected>\(label.text(language))</option>" : "<option value=\"\(s.rawValue)\">\(label.text(language))</option>"
        }
        let notice = doneBanner(parameter(request, "done"), agreements: [])
        let body: HTML = """
            <form method="get" action="/exceptions" class="filters">
            <label>\(Catalogue.state.text(language))<select name="state">\(states)</select></label>
            <label>\(Catalogue.bank.text(language))<input name="bank" value="\(bank ?? "")"></label>
            <button>\(Message(zh: "筛选", en: "Filter").text(language))</button></form>\(notice)
            <p>\(Message(zh: "共 \(Layout.count(records.count)) 条", en: "\(Layout.count(records.count)) exceptions").text(language))</p>
            \(Layout.table([Catalogue.id, Catalogue.bank, Catalogue.returnFile, Catalogue.kind, Catalogue.detail, Catalogue.state, Catalogue.note, Catalogue.action]
                .map { $0.text(language) }, numeric: [0], rows))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/exceptions", body: body)
    }

    /// Resolves or reopens an exception with the user's note (journaled by the store).
    func setException(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Message(zh: "异常处理", en: "Exceptions")
        guard let id = form["id"].flatMap(Int64.init) else { throw PageError(title: title, message: Message(zh: "缺少异常编号", en: "no exception number")) }
        let resolve = form["resolve"] != "0"
        let record: ExceptionRecord
        do {
            record = try await useCases.setException(id: id, resolved: resolve, note: form["note"] ?? "", actor: viewer.name)
        } catch is ExceptionFilter.EmptyNote {
            throw PageError(title: title, message: Message(zh: "请填写处理意见：查到了什么、做了什么", en: "write a note: what was found or done"))
        } catch {
            // An unknown number, or already in that state (the store says by whom, when and why).
            throw PageError(title: title, message: Message(zh: "未能更改：\(error)", en: "not changed: \(error)"), status: .conflict)
        }
        _ = try? await useCases.anchorJournal()
        return Self.redirect(to: "/exceptions" + query([("state", "all"), ("done", (record.resolved ? "resolved-" : "reopened-") + String(id))]))
    }
}
