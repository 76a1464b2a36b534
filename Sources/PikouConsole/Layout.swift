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
        ("/reports", Catalogue.Page.downloads, .downloadReports),
        ("/audit", Catalogue.Page.auditLog, .audit),
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

    /// A share as a percentage with two decimals, as the CLI and the report print it, or a dash when
    /// there is nothing to divide by.
    static func rate(_ part: Int, _ whole: Int) -> String {
        guard part <= whole else { return "—" }
        return Percentage.text(Int64(part), of: Int64(whole)).map { $0 + "%" } ?? "—"
    }

    /// A table: header cells, then rows; cells whose column is numeric are right-aligned.
    static func table(_ header: [String], numeric: Set<Int>, _ rows: [[HTML]], caption: String? = nil) -> HTML {
        let head = header.enumerated().map { index, title -> HTML in
            numeric.contains(index) ? "<th class=\"n\">\(title)</th>" : "<th>\(title)</th>"
        }
        let body = rows.map { cells -> HTML in
            let tds = cells.enumerated().map { index, cell -> HTML in numeric.contains(index) ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>" }
            return "<tr>\(tds)</tr>"
        }
        let caption: HTML = caption.map { "<caption>\($0)</caption>" } ?? ""
        return "<table>\(caption)<thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
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
        """
}
