import Foundation
import Hummingbird
import PikouCore
import PikouCycle

extension Console {
    /// The period a page shows: `?period=YYYY-MM`, else the latest period with files.
    func chosenPeriod(_ request: Request) async throws -> Period? {
        if let text = request.uri.queryParameters["period"], !text.isEmpty {
            do { return try Period(String(text)) } catch {
                throw PageError(title: Message(zh: "期间无效", en: "Invalid period"),
                                message: Message(zh: "期间“\(text)”无效：写成 2026-12 这样的年-月", en: "period '\(text)' is not valid: write it as 2026-12"))
            }
        }
        let useCases = useCases
        return try await cached("periods") { try await useCases.status(period: nil).map(\.period).max() }
    }

    func periodPicker(_ period: Period, path: String, extra: [(String, String?)] = []) -> HTML {
        let hidden = extra.compactMap { name, value -> HTML? in value.map { "<input type=\"hidden\" name=\"\(name)\" value=\"\($0)\">" } }
        return """
            <form method="get" action="\(path)" class="filters">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(period.description)" pattern="[0-9]{4}-[0-9]{2}"></label>\(hidden)
            <button>\(Message(zh: "查看", en: "Show").text(language))</button></form>
            """
    }

    func noData(_ title: Message, _ viewer: Viewer, current: String, notice: HTML = "") -> HTML {
        Layout.frame(title: title, viewer: viewer, language: language, current: current,
                     body: "\(notice)<p>\(Message(zh: "还没有扣款文件：先运行 `pikou cycle run`", en: "no debit files yet: run `pikou cycle run` first").text(language))</p>")
    }

    /// A banner per certificate (ours or a bank's) expiring within 30 days, with what to do: an
    /// office sees it on 总览 a month before signing or verifying stops.
    func certificateNotice() -> HTML {
        let warnings = Doctor(workspace: useCases.workspace).expiringCertificates()
        return HTML.join(warnings.map { "<p class=\"warning\" role=\"status\">\(Catalogue.Doctor.sentence($0).text(language))</p>" })
    }

    // MARK: - 总览

    /// The period at a glance: per bank lines and yuan, the files and their states, and 钱表相符.
    func overview(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "总览", en: "Overview")
        let certificates = certificateNotice()
        guard let period = try await chosenPeriod(request) else { return noData(title, viewer, current: "/", notice: certificates) }
        let useCases = useCases
        // The per-bank sums too are made once per ledger version, not on every request.
        let (files, report, banks) = try await cached("overview|\(period)") {
            let files = try await useCases.status(period: period)
            var banks: [String: FileStatus.Totals] = [:]
            for file in files {
                var totals = banks[file.bank] ?? FileStatus.Totals()
                try totals.add(file.totals)
                banks[file.bank] = totals
            }
            return (files, try await useCases.report(period: period, by: .bank), banks)
        }
        let names = banks.keys.sorted()
        let bankRows = names.map { bank -> [HTML] in
            let t = banks[bank]!
            return ["\(bank)", "\(Layout.count(t.submitted))", "\(Layout.yuan(t.submittedFen))", "\(Layout.count(t.succeeded))", "\(Layout.yuan(t.succeededFen))",
                    "<a href=\"/failures\(query([("period", period.description), ("bank", bank)]))\">\(Layout.count(t.failed))</a>",
                    "\(Layout.yuan(t.failedFen))", "\(Layout.count(t.pending))", "\(Layout.yuan(t.pendingFen))",
                    "\(Layout.rate(t.succeeded, t.succeeded + t.failed))", "\(Layout.count(t.exceptions))"]
        }
        let state = report.check.state
        let stateLabel: Message = switch state {
        case .match: Message(zh: "相符", en: "MATCH")
        case .pending: Message(zh: "未结清", en: "PENDING")
        case .mismatch: Message(zh: "不符", en: "MISMATCH")
        case .noData: Message(zh: "无数据", en: "NO DATA")
        }
        let findings = report.check.lines(language).map { line -> HTML in "<li>\(line)</li>" }
        let findingList: HTML = findings.isEmpty ? "" : "<ul>\(findings)</ul>"
        let stuck = files.filter { $0.state == .reserved }
        let fileRows = files.map { file -> [HTML] in
            let state: HTML = file.state == .reserved
                ? "<span class=\"stuck\">\(Message(zh: "已预留未写出", en: "reserved, not written").text(language))</span>"
                : (file.totals.pending == file.totals.submitted
                    ? "\(Message(zh: "已写出，待回盘", en: "written, awaiting return").text(language))"
                    : "\(Message(zh: "已回盘", en: "returned").text(language))")
            return ["\(file.bank)", "\(file.fileName)", state, "\(Layout.count(file.totals.submitted))", "\(Layout.yuan(file.totals.submittedFen))",
                    "\(Layout.count(file.totals.succeeded))", "\(Layout.count(file.totals.failed))", "\(Layout.count(file.totals.pending))"]
        }
        let stuckNote: HTML = stuck.isEmpty ? "" : Layout.problem(Message(
            zh: "\(stuck.count) 个文件已在库中预留但未写出：下次 `pikou cycle run` 或 `pikou resubmit` 会写出，或用 `pikou files release` 放弃",
            en: "\(stuck.count) files are reserved in the store but not written: the next `pikou cycle run` or `pikou resubmit` writes them, or `pikou files release` gives them up").text(language))
        let body: HTML = """
            \(certificates)
            \(periodPicker(period, path: "/"))
            <p>\(Layout.period(period, language)) · \(Message(zh: "钱表相符", en: "Money matches the list").text(language))：<span class="state \(state.rawValue)">\(stateLabel.text(language))</span></p>
            \(findingList)
            \(stuckNote)
            <h2>\(Message(zh: "各银行", en: "By bank").text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded, Catalogue.succeededYuan, Catalogue.failed,
                            Catalogue.failedYuan, Catalogue.pending, Catalogue.pendingYuan, Catalogue.successRate, Catalogue.exceptionsColumn].map { $0.text(language) },
                           numeric: Set(1...10), bankRows))
            \(Layout.bars(names.map { (label: $0, succeeded: banks[$0]!.succeeded, failed: banks[$0]!.failed, pending: banks[$0]!.pending) }, language: language))
            <h2>\(Message(zh: "文件", en: "Files").text(language))</h2>
            \(Layout.table([Catalogue.bank, Catalogue.file, Catalogue.state, Catalogue.submitted, Catalogue.submittedYuan, Catalogue.succeeded,
                            Catalogue.failed, Catalogue.pending].map { $0.text(language) }, numeric: [3, 4, 5, 6, 7], fileRows))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/", body: body)
    }

    // MARK: - 网格进度

    /// Collection by grid level (区 → 街道 → 社区), the same figures as `pikou report --by`; a
    /// district opens its streets, a street its communities.
    func grid(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "网格进度", en: "Grid progress")
        if parameter(request, "scheme") == Scheme.residentsAnnual.rawValue { return try await residentsGrid(request, viewer, title: title) }
        guard let period = try await chosenPeriod(request) else { return noData(title, viewer, current: "/grid") }
        let district = parameter(request, "district"), street = district == nil ? nil : parameter(request, "street")
        let levels: [(ReportGrouping, Message)] = [(.district, Catalogue.district), (.street, Catalogue.street), (.community, Catalogue.community)]
        let levelText = parameter(request, "level") ?? (street != nil ? "community" : district != nil ? "street" : "district")
        guard let level = levels.first(where: { $0.0.rawValue == levelText }) else {
            throw PageError(title: title, message: Message(zh: "层级“\(levelText)”无效：district、street 或 community", en: "level '\(levelText)' is not valid: district, street or community"))
        }
        let useCases = useCases
        let report = try await cached("grid|\(period)|\(level.0.rawValue)") { try await useCases.report(period: period, by: level.0) }
        // Groups are keyed `D`, `D S` and `D S C`: the parent's key and a space start its children's.
        let parent = [district, level.0 == .community ? street : nil].compactMap { $0 }.joined(separator: " ")
        let prefix = parent.isEmpty ? "" : parent + " "
        let shown = report.rows.filter { prefix.isEmpty || $0.group.hasPrefix(prefix) }
        var total = report.total
        if !prefix.isEmpty {
            total = ReportRow(group: parent)
            for row in shown { try total.add(row) }
        }
        let periodText = period.description
        let crumbs: [HTML] = [
            "<a href=\"/grid\(query([("period", periodText)]))\">\(Message(zh: "全部区", en: "All districts").text(language))</a>",
        ] + (district.map { d -> [HTML] in ["<a href=\"/grid\(query([("period", periodText), ("district", d)]))\">\(d)</a>"] } ?? [])
          + (level.0 == .community ? street.map { s -> [HTML] in ["<strong>\(s)</strong>"] } ?? [] : [])
        let rows = (shown + [total]).enumerated().map { index, row -> [HTML] in
            let name = String(row.group.dropFirst(index == shown.count ? 0 : prefix.count))
            let group: HTML
            if index == shown.count {
                group = "<strong>\(prefix.isEmpty ? Catalogue.total.text(language) : Message(zh: "小计", en: "Subtotal").text(language))</strong>"
            } else if level.0 == .district {
                group = "<a href=\"/grid\(query([("period", periodText), ("district", name)]))\">\(name)</a>"
            } else if level.0 == .street, let district {
                group = "<a href=\"/grid\(query([("period", periodText), ("district", district), ("street", name)]))\">\(name)</a>"
            } else {
                group = "\(name)"
            }
            let failed: HTML = level.0 == .district && index < shown.count
                ? "<a href=\"/failures\(query([("period", periodText), ("district", name)]))\">\(Layout.count(row.failed))</a>" : "\(Layout.count(row.failed))"
            return [group, "\(Layout.count(row.payersOwing))", "\(Layout.count(row.payersPaid))", "\(Layout.rate(row.payersPaid, row.payersOwing))",
                    "\(Layout.yuan(row.owingFen))", "\(Layout.yuan(row.paidFen))", "\(Layout.count(row.succeeded))", failed,
                    "\(Layout.count(row.pending))"]
        }
        let tabs: HTML = prefix.isEmpty ? HTML.join(levels.map { item -> HTML in
            item.0 == level.0 ? "<strong>\(item.1.text(language))</strong> "
                : "<a href=\"/grid\(query([("period", periodText), ("level", item.0.rawValue)]))\">\(item.1.text(language))</a> "
        }) : ""
        let residents: HTML = useCases.latestResidentsYear().map { year in
            "<p class=\"tabs\"><a href=\"/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year))]))\">\(Message(zh: "城乡居民两险 \(year) 参保缴费进度", en: "Residents \(year): participation").text(language))</a></p>"
        } ?? ""
        let body: HTML = """
            \(residents)
            \(periodPicker(period, path: "/grid", extra: [("level", level.0.rawValue), ("district", district), ("street", street)]))
            <p class="crumbs">\(HTML.join(crumbs.enumerated().map { $0.offset == 0 ? $0.element : " → \($0.element)" }))</p>
            <p class="tabs">\(tabs)</p>
            \(Layout.table([level.1, Catalogue.payersOwing, Catalogue.payersPaid, Catalogue.paidRate, Catalogue.owingYuan, Catalogue.paidYuan,
                            Catalogue.succeeded, Catalogue.failed, Catalogue.pending].map { $0.text(language) }, numeric: Set(1...8), rows,
                           caption: Layout.period(period, language)))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/grid", body: body)
    }

    /// The residents' participation by grid (区 → 街道 → 社区): enrolled and paid against the targets'
    /// eligible counts and rates, the lowest rate first — the same figures as `pikou report --scheme
    /// residents-annual --by street`.
    func residentsGrid(_ request: Request, _ viewer: Viewer, title: Message) async throws -> HTML {
        guard let year = parameter(request, "year").flatMap({ Int($0) }) ?? useCases.latestResidentsYear() else {
            return noData(title, viewer, current: "/grid")
        }
        let levels: [(GridLevel, Message)] = [(.district, Catalogue.district), (.street, Catalogue.street), (.community, Catalogue.community)]
        let levelText = parameter(request, "level") ?? "street"
        guard let level = levels.first(where: { $0.0.rawValue == levelText }) else {
            throw PageError(title: title, message: Message(zh: "层级“\(levelText)”无效：district、street 或 community", en: "level '\(levelText)' is not valid: district, street or community"))
        }
        let useCases = useCases
        let report = try await cached("grid-residents|\(year)|\(level.0.rawValue)") {
            try await useCases.residentsReport(year: year, by: ResidentsGrouping(rawValue: level.0.rawValue) ?? .street, targets: nil)
        }
        let rows = report.participation.map { row -> [HTML] in
            ["\(row.unit)", "\(Catalogue.insurance(row.insurance).text(language))", "\(row.eligible.map { Layout.count($0) } ?? "—")",
             "\(Layout.count(row.enrolled))", "\(Layout.count(row.paid))", "\(ResidentsParticipation.percent(row.ratePermille))",
             "\(ResidentsParticipation.percent(row.targetPermille))",
             row.belowTarget ? "<strong>\(Message(zh: "未达目标", en: "below target").text(language))</strong>" : ""]
        }
        let tabs = HTML.join(levels.map { item -> HTML in
            item.0 == level.0 ? "<strong>\(item.1.text(language))</strong> "
                : "<a href=\"/grid\(query([("scheme", Scheme.residentsAnnual.rawValue), ("year", String(year)), ("level", item.0.rawValue)]))\">\(item.1.text(language))</a> "
        })
        let lines = report.check.lines(language)
        let findings = lines.dropFirst().map { line -> HTML in "<li>\(line.trimmingCharacters(in: .whitespaces))</li>" }
        let money: HTML = """
            <p class="\(report.check.state == .mismatch ? "bad" : "")">\(lines.first ?? "")</p>\(findings.isEmpty ? "" : "<ul>\(findings)</ul>" as HTML)
            """
        let body: HTML = """
            <p class="tabs"><a href="/grid">\(Message(zh: "灵活就业人员（按月）", en: "Flexible workers (monthly)").text(language))</a></p>
            <p class="tabs">\(tabs)</p>
            \(Layout.table([level.1, Catalogue.insuranceColumn, Catalogue.eligible, Catalogue.enrolled, Catalogue.paidPersons, Catalogue.participationRate,
                            Catalogue.target, Message(zh: "", en: "")].map { $0.text(language) }, numeric: Set(2...6), rows,
                           caption: "\(Catalogue.residentsTitle.text(language)) \(year)"))
            \(money)
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/grid", body: body)
    }

    // MARK: - 失败明细

    static let failuresPerPage = 50

    /// Failed debits with filters and pages; whole IDs and accounts only for roles that may see them.
    func failures(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Message(zh: "失败明细", en: "Failures")
        func parameter(_ name: String) -> String? { self.parameter(request, name) }
        var filter = FailureFilter()
        // The latest period unless another is asked for (all periods at once would read every failure ever).
        filter.period = try await chosenPeriod(request)
        filter.bank = parameter("bank")?.uppercased()
        filter.outcome = try failedOutcome(parameter("outcome"), title: title)
        filter.district = parameter("district")
        filter.street = parameter("street")
        filter.community = parameter("community")
        var step: NextStep.Kind?
        if let text = parameter("step") {
            guard let kind = NextStep.Kind(rawValue: text) else {
                throw PageError(title: title, message: Message(zh: "下一步“\(text)”无效", en: "next step '\(text)' is not valid"))
            }
            step = kind
        }
        var minimumAttempts: Int?
        if let text = parameter("attempts") {
            guard let value = Int(text), value >= 1 else {
                throw PageError(title: title, message: Message(zh: "已扣次数“\(text)”无效：写 1 或更大的整数", en: "attempts '\(text)' is not valid: 1 or more"))
            }
            minimumAttempts = value
        }
        let useCases = useCases, key = filter
        var ids = filter.period == nil ? [] : try await cached("failures|\(key)") { try await useCases.failureIDs(key) }
        if filter.period != nil, step != nil || minimumAttempts != nil {
            // Each failure's next step under the retry policy, today: read once per ledger version and day.
            let today = today()
            let stepOf: [Int64: (attempts: Int, step: NextStep)] = try await cached("failure-steps|\(key)|\(today)") {
                Dictionary(uniqueKeysWithValues: try await useCases.failures(key, today: today).map { ($0.record.debitID, ($0.record.attempts, $0.next)) })
            }
            ids = ids.filter { id in
                guard let known = stepOf[id] else { return false }
                return (step == nil || known.step.kind == step) && (minimumAttempts.map { known.attempts >= $0 } ?? true)
            }
        }
        let pages = max(1, (ids.count + Self.failuresPerPage - 1) / Self.failuresPerPage)
        let page = min(max(1, Int(parameter("page") ?? "1") ?? 1), pages)
        let pageIDs = Array(ids.dropFirst((page - 1) * Self.failuresPerPage).prefix(Self.failuresPerPage))
        var pageFilter = filter
        pageFilter.debitIDs = pageIDs
        let shown = pageIDs.isEmpty ? [] : try await useCases.failures(pageFilter, today: today())
        let whole = viewer.role.may(.wholeIDs)
        let rows = shown.map { failure -> [HTML] in
            let f = failure.record
            let payer: HTML = whole ? "<a href=\"/payer\(query([("id", f.idNumber.value)]))\">\(f.idNumber.value)</a>" : "\(f.idNumber.masked)"
            return ["\(f.period.description)", "\(f.bank)", "\(whole ? f.name : Masking.name(f.name))", payer, "\(masked(f.account, viewer))",
             "\(Layout.yuan(f.amount.fen))", "\(Catalogue.outcome(f.outcome).text(language))", "\(f.bankText)", "\(f.attempts)",
             "\(Catalogue.nextStep(failure.next).text(language))", "\(f.district) / \(f.street) / \(f.community)"]
        }
        let all = Message(zh: "全部", en: "all").text(language)
        let kept: [(String, String?)] = [("period", filter.period?.description), ("bank", filter.bank), ("outcome", filter.outcome?.rawValue),
                                         ("district", filter.district), ("street", filter.street), ("community", filter.community),
                                         ("step", step?.rawValue), ("attempts", minimumAttempts.map(String.init))]
        let steps = Layout.options(none: all, NextStep.Kind.allCases.map { ($0.rawValue, $0.label.text(language)) }, selected: step?.rawValue)
        let body: HTML = """
            <form method="get" action="/failures" class="filters">
            <label>\(Catalogue.period.text(language))<input name="period" value="\(filter.period?.description ?? "")" placeholder="2026-12"></label>
            <label>\(Catalogue.bank.text(language))<input name="bank" value="\(filter.bank ?? "")"></label>
            <label>\(Catalogue.outcome.text(language))<select name="outcome">\(outcomeOptions(none: all, selected: filter.outcome))</select></label>
            <label>\(Catalogue.district.text(language))<input name="district" value="\(filter.district ?? "")"></label>
            <label>\(Catalogue.street.text(language))<input name="street" value="\(filter.street ?? "")"></label>
            <label>\(Catalogue.community.text(language))<input name="community" value="\(filter.community ?? "")"></label>
            <label>\(Catalogue.nextStep.text(language))<select name="step">\(steps)</select></label>
            <label>\(Message(zh: "已扣次数至少", en: "Attempts at least").text(language))<input name="attempts" value="\(minimumAttempts.map(String.init) ?? "")" size="3" inputmode="numeric"></label>
            <button>\(Message(zh: "筛选", en: "Filter").text(language))</button></form>
            <p>\(Message(zh: "共 \(Layout.count(ids.count)) 笔", en: "\(Layout.count(ids.count)) failures").text(language))</p>
            \(Layout.table([Catalogue.period, Catalogue.bank, Catalogue.name, Catalogue.payer, Catalogue.account, Catalogue.amountYuan, Catalogue.outcome,
                            Catalogue.bankText, Catalogue.attempts, Catalogue.nextStep, Message(zh: "区 / 街道 / 社区", en: "district / street / community")].map { $0.text(language) },
                           numeric: [5, 8], rows))
            \(Layout.pager(path: "/failures", kept: kept, page: page, pages: pages, language: language))
            """
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/failures", body: body)
    }
}
