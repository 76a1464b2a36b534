import Foundation
import PikouCore
import PikouCycle

/// The frame every page shares, the console's words, and the formats its figures take.
enum Layout {
    static let appName = Catalogue.Page.pikouConsole

    /// The pages in the navigation, with what each needs.
    static let navigation: [(path: String, title: Message, permission: ConsoleRole.Permission)] = [
        ("/", Catalogue.Page.overview, .view),
        ("/grid", Catalogue.Page.gridProgress, .view),
        ("/failures", Catalogue.Page.failures, .view),
        ("/payer", Catalogue.Page.payer, .view),
        ("/resubmit", Catalogue.Page.resubmit, .resubmit),
        ("/agreements", Catalogue.Page.agreements, .correctAgreements),
        ("/exceptions", Catalogue.Page.exceptions, .view),
        ("/reconcile", Catalogue.Page.threeWay, .view),
        ("/certificate/verify", Catalogue.Page.certificateVerify, .view),
        ("/reports", Catalogue.Page.downloads, .downloadReports),
        ("/trends", Catalogue.Page.trends, .view),
        ("/notices", Catalogue.Page.notices, .view),
        ("/audit", Catalogue.Page.auditLog, .audit),
        ("/users", Catalogue.Page.usersTitle, .manageUsers),
    ]

    static func frame(title: Message, viewer: Viewer, language: Language, current: String? = nil, body: HTML) -> HTML {
        let links = navigation.filter { viewer.role.may($0.permission) }.map { item -> HTML in
            item.path == current
                ? "<a href=\"\(item.path)\" aria-current=\"page\">\(item.title.text(language))</a>"
                : "<a href=\"\(item.path)\">\(item.title.text(language))</a>"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title.text(language)) · \(appName.text(language))</title>
            <link rel="stylesheet" href="/static/console.css"></head>
            <body><header><span class="brand">\(appName.text(language))</span><nav>\(links)</nav>
            <form method="post" action="/logout" class="who"><span>\(viewer.name)（\(viewer.role.label.text(language))）</span>
            <input type="hidden" name="csrf" value="\(viewer.session.csrf)"><button>\(Catalogue.Page.logOut.text(language))</button></form>
            </header><main><h1>\(title.text(language))</h1>
            \(body)
            </main></body></html>
            """
    }

    static func login(token: String, next: String, problem: String?, language: Language) -> HTML {
        let notice: HTML = problem.map { "<p class=\"problem\" role=\"alert\">\($0)</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Catalogue.Page.logIn.text(language)) · \(appName.text(language))</title>
            <link rel="stylesheet" href="/static/console.css"></head>
            <body class="login"><main><h1>\(appName.text(language))</h1>\(notice)
            <form method="post" action="/login">
            <input type="hidden" name="csrf" value="\(token)"><input type="hidden" name="next" value="\(next)">
            <label>\(Catalogue.Page.user.text(language))<input name="user" autocomplete="username" required autofocus></label>
            <label>\(Catalogue.Page.password.text(language))<input name="password" type="password" autocomplete="current-password" required></label>
            <label>\(Catalogue.Page.twoStepCode.text(language))<input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"></label>
            <button>\(Catalogue.Page.logIn.text(language))</button>
            </form></main></body></html>
            """
    }

    static func forbidden(_ viewer: Viewer, _ language: Language) -> HTML {
        frame(title: Catalogue.Page.notAllowed, viewer: viewer, language: language,
              body: problem(Catalogue.Page.roleMayNotOpen(viewer.role.label).text(language)))
    }

    static func problem(_ text: String) -> HTML { "<p class=\"problem\" role=\"alert\">\(text)</p>" }

    /// A select's options: a first one with an empty value (`none`, the "all" or "unchanged" choice),
    /// then `items`, the one whose value is `selected` marked so.
    static func options(none: String, _ items: [(value: String, label: String)], selected: String?) -> HTML {
        let first: HTML = "<option value=\"\">\(none)</option>"
        return HTML.join([first] + items.map { item -> HTML in
            item.value == selected ? "<option value=\"\(item.value)\" selected>\(item.label)</option>" : "<option value=\"\(item.value)\">\(item.label)</option>"
        })
    }

    /// Previous and next links around "page N of M", keeping the page's filters (`kept`).
    static func pager(path: String, kept: [(String, String?)], page: Int, pages: Int, language: Language) -> HTML {
        let previous: HTML = page > 1 ? "<a href=\"\(path)\(query(kept + [("page", String(page - 1))]))\">\(Catalogue.Page.previous.text(language))</a>" : ""
        let next: HTML = page < pages ? "<a href=\"\(path)\(query(kept + [("page", String(page + 1))]))\">\(Catalogue.Page.next.text(language))</a>" : ""
        return "<p class=\"pages\">\(previous)<span>\(Catalogue.Page.pageOf(page, pages).text(language))</span>\(next)</p>"
    }

    // MARK: - Figures

    /// Yuan with thousands separators and two decimals: `1,234,567.89` (as the CLI's tables show it).
    static func yuan(_ fen: Int64) -> String { Money(fen: fen).groupedYuanText }

    /// A count with thousands separators.
    static func count(_ value: Int) -> String { value.groupedText }

    /// `2026年12月` (Chinese) or `2026-12`.
    static func period(_ period: Period, _ language: Language) -> String {
        language == .zh ? "\(period.year)年\(period.month)月" : period.description
    }

    /// A journal time (ISO 8601, UTC) in China time, to the second: `2026-12-01 14:30:02`.
    static func time(_ iso: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: iso) ?? ISO8601DateFormatter().date(from: iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// A share as a percentage with one decimal, rounded half up as every rate (``Percentage``), or a dash when
    /// there is nothing to divide by.
    static func rate(_ part: Int, _ whole: Int) -> String {
        guard part <= whole else { return "—" }
        return Percentage.text(Int64(part), of: Int64(whole)).map { $0 + "%" } ?? "—"
    }

    /// A table: header cells, then rows; cells whose column is numeric are right-aligned.
    /// A table; `compact` for a long working list (失败明细): tighter rows, no cell wrapped, so a
    /// 1366×768 screen shows fifteen rows or more.
    static func table(_ header: [String], numeric: Set<Int>, _ rows: [[HTML]], caption: String? = nil, footer: [[HTML]] = [], compact: Bool = false) -> HTML {
        let head = header.enumerated().map { index, title -> HTML in
            numeric.contains(index) ? "<th class=\"n\">\(title)</th>" : "<th>\(title)</th>"
        }
        let body = rows.map { cells -> HTML in
            let tds = cells.enumerated().map { index, cell -> HTML in numeric.contains(index) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>" }
            return "<tr>\(tds)</tr>"
        }
        let caption: HTML = caption.map { "<caption>\($0)</caption>" } ?? ""
        // 合计 and subtotal rows: set apart beneath the rows they add up.
        let foot = footer.map { cells -> HTML in
            let tds = cells.enumerated().map { index, cell -> HTML in numeric.contains(index) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>" }
            return "<tr>\(tds)</tr>"
        }
        let tfoot: HTML = footer.isEmpty ? "" : "<tfoot>\(foot)</tfoot>"
        let open: HTML = compact ? "<table class=\"compact\">" : "<table>"
        return "\(open)\(caption)<thead><tr>\(head)</tr></thead><tbody>\(body)</tbody>\(tfoot)</table>"
    }

    /// A horizontal bar chart drawn on the server (SVG, no script): one bar per label, split into
    /// succeeded, failed and pending lines.
    static func bars(_ items: [(label: String, succeeded: Int, failed: Int, pending: Int)], language: Language) -> HTML {
        let widest = max(1, items.map { $0.succeeded + $0.failed + $0.pending }.max() ?? 1)
        let rowHeight = 26, labelWidth = 90, barWidth = 560
        var shapes: [HTML] = []
        for (index, item) in items.enumerated() {
            let y = index * rowHeight + 4
            var x = labelWidth
            shapes.append("<text x=\"0\" y=\"\(y + 15)\" class=\"label\">\(item.label)</text>")
            for (value, kind) in [(item.succeeded, "ok"), (item.failed, "bad"), (item.pending, "wait")] where value > 0 {
                let width = max(1, value * barWidth / widest)
                shapes.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"18\" class=\"\(kind)\"><title>\(count(value))</title></rect>")
                x += width
            }
        }
        let height = max(1, items.count) * rowHeight + 30
        let legendY = items.count * rowHeight + 20
        let legend: HTML = """
            <rect x="\(labelWidth)" y="\(legendY - 10)" width="10" height="10" class="ok"/><text x="\(labelWidth + 14)" y="\(legendY)" class="label">\(Catalogue.Page.succeeded.text(language))</text>
            <rect x="\(labelWidth + 90)" y="\(legendY - 10)" width="10" height="10" class="bad"/><text x="\(labelWidth + 104)" y="\(legendY)" class="label">\(Catalogue.Page.failed.text(language))</text>
            <rect x="\(labelWidth + 180)" y="\(legendY - 10)" width="10" height="10" class="wait"/><text x="\(labelWidth + 194)" y="\(legendY)" class="label">\(Catalogue.Page.linesAwaitingReturn.text(language))</text>
            """
        return """
            <svg class="chart" viewBox="0 0 \(labelWidth + barWidth + 10) \(height)" width="\(labelWidth + barWidth + 10)" height="\(height)" role="img" aria-label="\(Catalogue.Page.linesPerBank.text(language))">\(shapes)\(legend)</svg>
            """
    }

    /// Lines over the periods (趋势), values in per mille of 0…100 %, drawn on the server: a gap where
    /// a value is missing, each point's figure in its tooltip, a legend beneath.
    static func lineChart(periods: [String], lines: [(label: String, values: [Int?], strong: Bool)], label: String) -> HTML {
        let (left, top, width, height) = (44, 10, 700, 200)
        let step = periods.count > 1 ? width / (periods.count - 1) : width
        func x(_ index: Int) -> Int { left + index * step }
        func y(_ permille: Int) -> Int { top + height - permille * height / 1000 }
        var shapes: [HTML] = []
        for percent in stride(from: 0, through: 100, by: 25) {
            shapes.append("<line x1=\"\(left)\" y1=\"\(y(percent * 10))\" x2=\"\(left + width)\" y2=\"\(y(percent * 10))\" class=\"grid\"/>")
            shapes.append("<text x=\"0\" y=\"\(y(percent * 10) + 4)\" class=\"label\">\(percent)%</text>")
        }
        for (index, period) in periods.enumerated() where (periods.count - 1 - index) % 2 == 0 || periods.count <= 6 {
            shapes.append("<text x=\"\(x(index) - 22)\" y=\"\(top + height + 16)\" class=\"label\">\(period)</text>")
        }
        for (number, line) in lines.enumerated() {
            var segment: [String] = []
            func close() {
                if segment.count > 1 { shapes.append("<polyline points=\"\(segment.joined(separator: " "))\" class=\"s\(number % 8)\(line.strong ? " strong" : "")\"/>") }
                segment = []
            }
            for (index, value) in line.values.enumerated() {
                guard let value else { close(); continue }
                segment.append("\(x(index)),\(y(value))")
                shapes.append("<circle cx=\"\(x(index))\" cy=\"\(y(value))\" r=\"3\" class=\"s\(number % 8)\"><title>\(line.label) \(periods[index])：\(String(format: "%.1f%%", Double(value) / 10))</title></circle>")
            }
            close()
        }
        let legend = HTML.join(lines.enumerated().map { number, line -> HTML in "<span class=\"key s\(number % 8)\">\(line.label)</span>" })
        return """
            <figure class="trend"><svg class="chart" viewBox="0 0 \(left + width + 20) \(top + height + 24)" width="\(left + width + 20)" height="\(top + height + 24)" role="img" aria-label="\(label)">\(HTML.join(shapes))</svg>
            <figcaption class="legend">\(legend)</figcaption></figure>
            """
    }

    /// Stacked columns, one per period, a segment per series (failures by reason), drawn on the server.
    static func stackedBars(periods: [String], series: [String], stacks: [[Int]], label: String) -> HTML {
        let (left, top, width, height) = (44, 10, 700, 200)
        let tallest = max(1, stacks.map { $0.reduce(0, +) }.max() ?? 1)
        let slot = width / max(1, periods.count), bar = max(8, slot * 6 / 10)
        var shapes: [HTML] = ["<text x=\"0\" y=\"\(top + 10)\" class=\"label\">\(count(tallest))</text>"]
        for (index, stack) in stacks.enumerated() {
            var base = top + height
            let x = left + index * slot + (slot - bar) / 2
            for (number, value) in stack.enumerated() where value > 0 {
                let size = max(1, value * height / tallest)
                base -= size
                shapes.append("<rect x=\"\(x)\" y=\"\(base)\" width=\"\(bar)\" height=\"\(size)\" class=\"s\(number % 8)\"><title>\(periods[index]) \(series[number])：\(count(value))</title></rect>")
            }
            if (periods.count - 1 - index) % 2 == 0 || periods.count <= 6 {
                shapes.append("<text x=\"\(left + index * slot + slot / 2 - 22)\" y=\"\(top + height + 16)\" class=\"label\">\(periods[index])</text>")
            }
        }
        let legend = HTML.join(series.enumerated().map { number, name -> HTML in "<span class=\"key s\(number % 8)\">\(name)</span>" })
        return """
            <figure class="trend"><svg class="chart" viewBox="0 0 \(left + width + 20) \(top + height + 24)" width="\(left + width + 20)" height="\(top + height + 24)" role="img" aria-label="\(label)">\(HTML.join(shapes))</svg>
            <figcaption class="legend">\(legend)</figcaption></figure>
            """
    }

    /// The console's one style sheet (served from /static/console.css: the CSP allows no inline style).
    /// Sized for a 1366×768 office screen.
    static let css = """
        body{margin:0;font:14px/1.5 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1d2733;background:#f4f6f8}
        header{display:flex;align-items:center;gap:24px;background:#17324d;color:#fff;padding:8px 20px}
        header .brand{font-weight:bold;font-size:16px}
        header nav{display:flex;gap:4px;flex:1}
        header nav a{color:#dbe6f0;text-decoration:none;padding:6px 12px;border-radius:4px}
        header nav a[aria-current=page],header nav a:hover{background:#2b5177;color:#fff}
        header .who{display:flex;gap:8px;align-items:center;margin:0}
        header .who button{background:none;border:1px solid #8fa9c2;color:#fff;border-radius:4px;padding:2px 10px;cursor:pointer}
        main{max-width:1300px;margin:0 auto;padding:12px 20px}
        h1{font-size:20px;margin:8px 0 12px}
        h2{font-size:16px;margin:20px 0 8px}
        table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:12px}
        caption{text-align:left;font-weight:bold;padding:4px 0}
        th,td{border:1px solid #d5dde5;padding:4px 8px;text-align:left;white-space:nowrap}
        td{white-space:normal;max-width:420px;overflow-wrap:anywhere}
        td.n{white-space:nowrap}
        th{background:#e9eef3}
        table.compact{font-size:13px;line-height:1.25}
        table.compact th,table.compact td{padding:1px 6px;white-space:nowrap;max-width:none}
        table.compact input[type=checkbox]{margin:0 2px;vertical-align:middle}
        .listbar{display:flex;gap:16px;align-items:center;margin:4px 0 6px}
        .listbar form.inline{margin-left:auto}
        .filters.tight{gap:8px;margin-bottom:6px}
        .filters.tight input,.filters.tight select{min-width:0;max-width:150px;padding:3px}
        tfoot td{font-weight:bold;background:#f1f4f7;border-top:2px solid #9fb0c0}
        .n{text-align:right;font-variant-numeric:tabular-nums}
        .state{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:bold}
        .state.match{background:#d8f0dc;color:#1e6b2e}.state.pending{background:#fff1cc;color:#7a5600}
        .state.mismatch{background:#fbd9d7;color:#a12a21}.state.noData{background:#e9eef3;color:#4a5866}
        .stuck{color:#a12a21;font-weight:bold}
        .problem{background:#fbd9d7;color:#a12a21;padding:8px 12px;border-radius:4px}
        .warning{background:#fdf0c8;color:#6b4a00;padding:8px 12px;border-radius:4px}
        .filters{display:flex;gap:12px;align-items:end;flex-wrap:wrap;margin-bottom:12px}
        .filters label{display:flex;flex-direction:column;font-size:12px;color:#4a5866}
        .filters input,.filters select{padding:4px;border:1px solid #b8c4cf;border-radius:4px;min-width:120px}
        button{background:#17324d;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
        .pages{display:flex;gap:12px;align-items:center}
        .chart{background:#fff;border:1px solid #d5dde5;max-width:100%;height:auto}
        .chart .label{font-size:12px;fill:#1d2733}
        figure.trend{margin:0 0 8px}
        .chart .grid{stroke:#e1e7ed;stroke-width:1}
        .chart polyline{fill:none;stroke-width:2}.chart polyline.strong{stroke-width:4}
        .chart .s0{stroke:#17324d;fill:#17324d}.chart .s1{stroke:#c8473d;fill:#c8473d}.chart .s2{stroke:#3a8f4b;fill:#3a8f4b}
        .chart .s3{stroke:#d9a521;fill:#d9a521}.chart .s4{stroke:#6a4c93;fill:#6a4c93}.chart .s5{stroke:#1f8a9e;fill:#1f8a9e}
        .chart .s6{stroke:#8c564b;fill:#8c564b}.chart .s7{stroke:#7f7f7f;fill:#7f7f7f}
        .chart polyline.s0,.chart polyline.s1,.chart polyline.s2,.chart polyline.s3,.chart polyline.s4,.chart polyline.s5,.chart polyline.s6,.chart polyline.s7{fill:none}
        .legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px}
        .legend .key::before{content:"";display:inline-block;width:10px;height:10px;margin-right:4px;background:currentColor}
        .legend .s0{color:#17324d}.legend .s1{color:#c8473d}.legend .s2{color:#3a8f4b}.legend .s3{color:#d9a521}
        .legend .s4{color:#6a4c93}.legend .s5{color:#1f8a9e}.legend .s6{color:#8c564b}.legend .s7{color:#7f7f7f}
        .chart .ok{fill:#3a8f4b}.chart .bad{fill:#c8473d}.chart .wait{fill:#d9a521}
        .crumbs{margin-bottom:8px}
        .tabs a,.tabs strong{margin-right:12px}
        .done{background:#d8f0dc;color:#1e6b2e;padding:8px 12px;border-radius:4px}
        .warnings{color:#7a5600}
        button.danger{background:#a12a21}
        form.inline{display:flex;gap:6px;margin:0}
        form.inline input{padding:2px 4px;border:1px solid #b8c4cf;border-radius:4px;min-width:140px}
        form.inline button{padding:2px 10px}
        .confirm button{font-size:15px;padding:8px 18px}
        section.agreement{background:#fff;border:1px solid #d5dde5;border-radius:6px;padding:4px 16px 12px;margin-bottom:12px}
        td form.inline{white-space:nowrap}
        body.login main{max-width:340px;margin:12vh auto;background:#fff;padding:24px;border:1px solid #d5dde5;border-radius:6px}
        body.login form{display:flex;flex-direction:column;gap:12px}
        body.login label{display:flex;flex-direction:column;gap:4px}
        body.login input{padding:6px;border:1px solid #b8c4cf;border-radius:4px}
                .printonly{display:none}
        .signatures{margin-top:28px;white-space:pre-wrap}
        @media print{
          header,nav,.noprint,.tabs,.crumbs,form{display:none !important}
          body{background:#fff;font-size:12px}
          main{padding:0;max-width:none}
          .printonly{display:block}
          body:has(h1.printonly) h1:not(.printonly){display:none}
          h1{font-size:18px;text-align:center;margin:0 0 6px}
          table{border-collapse:collapse;width:100%}
          th,td{border:1px solid #333;padding:3px 4px}
          thead{display:table-header-group}
          tr{page-break-inside:avoid}
          @page{size:A4 landscape;margin:12mm}
        }
        """
}
