import BankFormats
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
@testable import PikouConsole
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The operators' and finance's pages: what each role may open, resubmission, agreement
/// corrections, exceptions, downloads and the audit log.
@Suite struct ConsoleWorkTests {
    typealias Routes = ConsoleRouteTests

    static func logIn(_ client: some TestClientProtocol, _ role: ConsoleRole) async throws -> String {
        try #require(try await Routes.logIn(client, role.rawValue + "1", "password-\(role.rawValue)"))
    }

    @Test(arguments: TestBackend.all) func eachRoleGetsExactlyItsPages(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        let failure = try #require(try await fixture.ws.useCases.failures(FailureFilter(), today: TestWorkspace.fileDate).first?.record)
        let pages: [(String, ConsoleRole.Permission)] = [
            ("/payer?id=\(failure.idNumber.value)", .view), ("/resubmit", .resubmit), ("/agreements?id=\(failure.idNumber.value)", .correctAgreements),
            ("/exceptions?state=all", .view), ("/reports", .downloadReports), ("/reports/download?what=csv", .downloadReports),
            ("/files/download?kind=debit&id=1", .downloadBankFiles), ("/audit", .audit),
        ]
        try await fixture.app.test(.router) { client async throws in
            for role in ConsoleRole.allCases {
                let session = try await Self.logIn(client, role)
                for (path, permission) in pages {
                    let response = try await Routes.get(client, path, session: session)
                    #expect((response.status == .ok) == role.may(permission), "\(role) \(path): \(response.status)")
                    if !role.may(permission) { #expect(response.status == .forbidden, "\(role) \(path)") }
                }
                let nav = String(buffer: try await Routes.get(client, "/", session: session).body)
                #expect(nav.contains("href=\"/audit\"") == role.may(.audit), "\(role): the navigation shows only its pages")
                #expect(nav.contains("href=\"/resubmit\"") == role.may(.resubmit), "\(role)")
            }
        }
    }

    @Test(arguments: TestBackend.all) func aResubmissionIsPreviewedThenConfirmedOnceEvenWhenTwoOperatorsConfirmAtOnce(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .operator)
            let preview = try await Routes.get(client, "/resubmit?period=2026-12", session: session)
            let body = String(buffer: preview.body)
            #expect(preview.status == .ok && body.contains("将写出") && body.contains("可立即重扣"))
            let lines = try #require(Self.hidden("lines", in: body)), fen = try #require(Self.hidden("fen", in: body))
            #expect(Int(lines)! > 0)
            let csrf = try await Routes.csrf(client, session: session)
            let plan = try #require(Self.hidden("plan", in: body))
            let fields = [("csrf", csrf), ("period", "2026-12"), ("bank", ""), ("outcome", ""), ("lines", lines), ("fen", fen), ("plan", plan)]
            // Without the session's token: refused, nothing written.
            let forged = try await Routes.post(client, "/resubmit", session: session, [("csrf", "x")] + fields.dropFirst())
            #expect(forged.status == .forbidden)
            // Two operators confirm the same preview at once: one writes, the other is told.
            let other = try await Self.logIn(client, .admin)
            let otherCSRF = try await Routes.csrf(client, session: other)
            async let first = Routes.post(client, "/resubmit", session: session, fields)
            async let second = Routes.post(client, "/resubmit", session: other, [("csrf", otherCSRF)] + fields.dropFirst())
            let answers = try await [first, second]
            #expect(answers.map(\.status).filter { $0 == .ok }.count == 1, "\(answers.map(\.status))")
            #expect(answers.map(\.status).filter { $0 == .conflict }.count == 1, "\(answers.map(\.status))")
            let done = try #require(answers.first { $0.status == .ok })
            #expect(String(buffer: done.body).contains("已写出并签名 \(Layout.count(Int(lines)!)) 笔"))
            // The same confirmation again: what would be sent changed (nothing is left), nothing is sent.
            // (On PostgreSQL the first confirm's store lock is let go as its connection closes, a moment
            // after its answer: "busy, confirm again shortly" is then the right answer, and we do.)
            var again = try await Routes.post(client, "/resubmit", session: session, fields)
            // (Under a full test run's load the server can take seconds to end that session: up to 30 s.)
            for _ in 0..<300 where String(buffer: again.body).contains("工作区正忙") {
                try await Task.sleep(for: .milliseconds(100))
                again = try await Routes.post(client, "/resubmit", session: session, fields)
            }
            #expect(again.status == .conflict && String(buffer: again.body).contains("未写出任何文件"), "\(again.status) \(String(buffer: again.body).suffix(600))")
            // A preview of other debits with the same count and yuan is not this one.
            let otherPlan = try await Routes.post(client, "/resubmit", session: session, Array(fields.dropLast()) + [("plan", String(repeating: "0", count: 64))])
            #expect(otherPlan.status == .conflict)
            // Opened from the navigation: the form, and no dry run yet.
            let bare = String(buffer: try await Routes.get(client, "/resubmit", session: session).body)
            #expect(bare.contains("value=\"2026-12\"") && !bare.contains("将写出"))
        }
        #expect(try await fixture.ws.check.violations() == [], "no due in two live debits, files as recorded")
        let journal = try await fixture.ws.useCases.journal(JournalFilter(actor: "operator1")).entries.map(\.action)
            + (try await fixture.ws.useCases.journal(JournalFilter(actor: "admin1")).entries.map(\.action))
        #expect(journal.contains { $0.hasPrefix("file.") || $0.hasPrefix("resubmit") || $0.hasPrefix("debit") }, "\(journal)")
    }

    @Test func anAgreementCorrectionIsValidatedJournaledAndShownAsANewVersion() async throws {
        let fixture = try await Routes.Fixture()
        let failure = try #require(try await fixture.ws.useCases.failures(FailureFilter(), today: TestWorkspace.fileDate).first?.record)
        let id = failure.idNumber.value
        let bankName = fixture.console.bankName(failure.bank)
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .operator)
            let page = String(buffer: try await Routes.get(client, "/agreements?id=\(id)", session: session).body)
            #expect(page.contains("<h2>\(bankName) · 版本 \(failure.agreement.version)</h2>"))
            let csrf = try await Routes.csrf(client, session: session)
            let badCard = try await Routes.post(client, "/agreements", session: session,
                                                [("csrf", csrf), ("id", id), ("bank", failure.bank), ("account", "6217001234567890123"), ("do", "update")])
            #expect(badCard.status == .badRequest && String(buffer: badCard.body).contains("的末位校验码不对"))
            var card = "621700999988887777"
            card += String((0...9).first { BankAccount.passesLuhn(card + String($0)) }!)
            let good = try await Routes.post(client, "/agreements", session: session,
                                             [("csrf", csrf), ("id", id), ("bank", failure.bank), ("account", card), ("do", "update")])
            #expect(good.status == .seeOther)
            let location = try #require(good.headers[.location])
            #expect(location.hasPrefix("/payer?id=\(id)"))
            let payer = String(buffer: try await Routes.get(client, location, session: session).body)
            #expect(payer.contains("已更正") && payer.contains(card) && payer.contains("更正协议"))
            #expect(payer.contains("<td class=\"n\">\(failure.agreement.version + 1)</td>"), "the new version on the payer page")
            let finance = try await Self.logIn(client, .finance)
            let refused = try await Routes.post(client, "/agreements", session: finance,
                                                [("csrf", try await Routes.csrf(client, session: finance)), ("id", id), ("do", "revoke")])
            #expect(refused.status == .forbidden, "finance never changes an agreement")
        }
        let entries = try await fixture.ws.useCases.journal(JournalFilter(actor: "operator1", action: "agreement.")).entries
        #expect(entries.count == 1)
    }

    @Test func exceptionsAreResolvedWithANoteAndReopened() async throws {
        let fixture = try await Routes.Fixture()
        // January's BOC file answered with a code BOC's table does not know: an exception to work.
        try await fixture.ws.runCycle(period: try Period(year: 2027, month: 1), bank: "BOC")
        let january = try #require(fixture.ws.outboxFiles("BOC").last)
        let lines = fixture.ws.debitLines(january).map { line -> DebitLine in var l = line; l.resultCode = "7777"; return l }
        _ = try await fixture.ws.ingest.ingest(path: try await fixture.ws.writeReturn(debitPath: january, lines: lines), bank: nil, debitFileName: nil, actor: "t")
        let exception = try #require(try await fixture.ws.useCases.exceptions(period: nil, filter: ExceptionFilter(state: .all)).first)
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .operator)
            let csrf = try await Routes.csrf(client, session: session)
            let list = String(buffer: try await Routes.get(client, "/exceptions?state=all", session: session).body)
            #expect(list.contains("<td class=\"n\">\(exception.id)</td>"))
            let empty = try await Routes.post(client, "/exceptions", session: session, [("csrf", csrf), ("id", String(exception.id)), ("resolve", "1"), ("note", " ")])
            #expect(empty.status == .badRequest && String(buffer: empty.body).contains("请填写处理意见"))
            let resolved = try await Routes.post(client, "/exceptions", session: session,
                                                 [("csrf", csrf), ("id", String(exception.id)), ("resolve", "1"), ("note", "银行确认已扣款")])
            #expect(resolved.status == .seeOther)
            let after = String(buffer: try await Routes.get(client, try #require(resolved.headers[.location]), session: session).body)
            #expect(after.contains("已处理") && after.contains("银行确认已扣款（operator1，"))
            let twice = try await Routes.post(client, "/exceptions", session: session,
                                              [("csrf", csrf), ("id", String(exception.id)), ("resolve", "1"), ("note", "again")])
            #expect(twice.status == .conflict, "already resolved: said, not done twice")
            let auditor = try await Self.logIn(client, .auditor)
            let readOnly = try await Routes.post(client, "/exceptions", session: auditor,
                                                 [("csrf", try await Routes.csrf(client, session: auditor)), ("id", String(exception.id)), ("resolve", "0"), ("note", "x")])
            #expect(readOnly.status == .forbidden, "the auditor changes nothing")
        }
        #expect(try await fixture.ws.useCases.exceptions(period: nil, filter: ExceptionFilter(state: .resolved)).first?.lastAction?.actor == "operator1")
    }

    @Test(arguments: TestBackend.all) func downloadsComeByRoleAndFilesOnlyByTheStoresNumber(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        let debitFile = try #require(try await fixture.ws.useCases.debitFiles().first)
        let onDisk = try #require(FileManager.default.contents(atPath: fixture.ws.workspace.outbox + "/" + debitFile.bank + "/" + debitFile.name))
        try await fixture.app.test(.router) { client async throws in
            let finance = try await Self.logIn(client, .finance)
            let xlsx = try await Routes.get(client, "/reports/download?period=2026-12&what=xlsx", session: finance)
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8), "a zip: the workbook")
            #expect(xlsx.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let csv = try await Routes.get(client, "/reports/download?period=2026-12&what=csv", session: finance)
            #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with a BOM, for Excel")
            #expect(csv.headers[.contentDisposition]?.contains("filename*=UTF-8''pikou-2026-12-%E5%AF%B9%E8%B4%A6.csv") == true,
                    "the Chinese name percent-encoded as RFC 5987 asks: \(csv.headers[.contentDisposition] ?? "")")
            let notice = String(buffer: try await Routes.get(client, "/reports/download?period=2026-12&what=notice", session: finance).body)
            #expect(notice.contains("区,街道,社区,证件号,姓名,金额(元)") && notice.contains("********"), "masked IDs")
            #expect(try await Routes.get(client, "/reports/download?what=../../etc/passwd", session: finance).status == .notFound)
            #expect(try await Routes.get(client, "/files/download?kind=debit&id=\(debitFile.id)", session: finance).status == .forbidden)

            let operatorSession = try await Self.logIn(client, .operator)
            let file = try await Routes.get(client, "/files/download?kind=debit&id=\(debitFile.id)", session: operatorSession)
            #expect(file.status == .ok && Array(file.body.readableBytesView) == [UInt8](onDisk), "the file as written")
            for bad in ["kind=debit&id=../../pikou.yaml", "kind=debit&id=-1", "kind=../x&id=1", "kind=debit&id=%2Fetc%2Fpasswd"] {
                #expect(try await Routes.get(client, "/files/download?\(bad)", session: operatorSession).status == .badRequest, "\(bad)")
            }
            #expect(try await Routes.get(client, "/files/download?kind=return&id=99999", session: operatorSession).status == .notFound)
        }
        let downloads = try await fixture.ws.useCases.journal(JournalFilter(action: "console.download")).entries
        #expect(downloads.contains { $0.actor == "operator1" && $0.subject == debitFile.name }, "a bank file's download is journaled")
    }

    @Test(arguments: TestBackend.all) func theAuditLogIsFilteredPagedAndSaysWhetherItsChainHolds(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        try await fixture.app.test(.router) { client async throws in
            let auditor = try await Self.logIn(client, .auditor)
            let page = String(buffer: try await Routes.get(client, "/audit", session: auditor).body)
            #expect(page.contains("哈希链完整") && page.contains("<h1>审计日志</h1>"))
            let filtered = String(buffer: try await Routes.get(client, "/audit?action=return.", session: auditor).body)
            #expect(filtered.contains("return.ingest") && !filtered.contains("<td>file.written</td>"))
            let deep = try await Routes.get(client, "/audit?page=9999", session: auditor)
            #expect(deep.status == .ok && String(buffer: deep.body).contains("第 "), "a page past the end shows the last")
        }
    }

    @Test func theGridDrillsFromADistrictToItsStreets() async throws {
        let fixture = try await Routes.Fixture()
        let streets = try await fixture.ws.useCases.report(period: TestWorkspace.december, by: .street).rows
        let first = try #require(streets.first)
        let district = String(first.group.split(separator: " ")[0])
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .finance)
            let top = String(buffer: try await Routes.get(client, "/grid?period=2026-12", session: session).body)
            #expect(top.contains("/grid?period=2026-12&amp;district="), "districts link to their streets")
            let query = district.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let body = String(buffer: try await Routes.get(client, "/grid?period=2026-12&district=\(query)", session: session).body)
            let own = streets.filter { $0.group.hasPrefix(district + " ") }
            for street in own { #expect(body.contains(">\(street.group.dropFirst(district.count + 1))</a>")) }
            #expect(body.contains("小计"))
        }
    }

    @Test func theGridShowsTheResidentsParticipationAgainstTheTargets() async throws {
        let fixture = try await Routes.Fixture()
        let ws = fixture.ws
        _ = try await ws.store.importRoster(SyntheticResidents.roster(count: 6), actor: "t", source: "residents.csv")
        try """
            district,street,community,insurance,eligible,target_percent
            示范县,,,pension,,98
            示范县,城关镇,东村,pension,4,
            示范县,河口镇,东村,pension,3,

            """.write(toFile: ws.workspace.directory + "/residents-2027-targets.csv", atomically: true, encoding: .utf8)
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        _ = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: CivilDate(year: 2026, month: 10, day: 15)!, actor: "t")
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .finance)
            let monthly = String(buffer: try await Routes.get(client, "/grid?period=2026-12", session: session).body)
            #expect(monthly.contains("/grid?scheme=residents-annual&amp;year=2027"), "the monthly grid links to the residents' one")
            let body = String(buffer: try await Routes.get(client, "/grid?scheme=residents-annual&year=2027", session: session).body)
            // 城关镇: 3 enrolled of 4 eligible, none paid yet (the round's debits await the bank): 0.0 % against 98 %.
            #expect(body.contains("示范县 城关镇") && body.contains("示范县 河口镇"))
            #expect(body.contains("<td class=\"num\">4</td>") || body.contains(">4<"))
            #expect(body.contains("0.0%") && body.contains("98.0%") && body.contains("未达目标"))
            #expect(body.contains("钱表相符"))
            let villages = String(buffer: try await Routes.get(client, "/grid?scheme=residents-annual&year=2027&level=community", session: session).body)
            #expect(villages.contains("示范县 城关镇 东村"))
            let bad = try await Routes.get(client, "/grid?scheme=residents-annual&level=town", session: session)
            #expect(String(buffer: bad.body).contains("无效"))
            // The payer page: the yearly dues in parts and the rule's explanation.
            let resident = SyntheticResidents.roster(count: 1)[0].idNumber.value
            let page = String(buffer: try await Routes.get(client, "/payer?id=\(resident)", session: session).body)
            #expect(page.contains("城乡居民年度应缴") && page.contains("330.00") && page.contains("无适用的特殊群体或年龄规则"), "\(page)")
        }
    }

    /// A county's door-to-door list (上门催缴名单): the village's residents whose debit failed, from the
    /// residents' grid by village, printable (title, window, 公示期, signature lines) and as an XLSX;
    /// 总览 and 报表下载 for the residents' year.
    @Test func aVillagesDoorToDoorListIsPrintableAndDownloadable() async throws {
        let fixture = try await Routes.Fixture()
        let ws = fixture.ws
        _ = try await ws.store.importRoster(SyntheticResidents.roster(count: 6), actor: "t", source: "residents.csv")
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        _ = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: false, fileDate: CivilDate(year: 2026, month: 10, day: 15)!, actor: "t")
        // Every bank answers every line: failed (余额不足 and the like), so every due is still owed.
        for path in ws.outboxFiles() where (path as NSString).lastPathComponent.contains("20261015") || (path as NSString).lastPathComponent.contains("2026-10-15") {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let result = try BankSimulator(spec: ws.specs[bank]!, signing: ws.workspace.signing)
                .simulate(debitFile: path, outputDirectory: ws.workspace.inbox + "/" + bank, seed: 3, failRate: 1.0)
            _ = try await ws.ingest.ingest(path: result.path, bank: nil, debitFileName: nil, actor: "t")
        }
        let lists = try await ws.useCases.doorToDoor(year: 2027)
        let village = try #require(lists.villages.first)
        #expect(lists.villages.map(\.rows.count).reduce(0, +) > 0)
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .finance)
            let grid = String(buffer: try await Routes.get(client, "/grid?scheme=residents-annual&year=2027&level=community", session: session).body)
            let link = "/grid/unpaid?year=2027&amp;unit=" + village.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(grid.contains(link), "each village links to its list: \(grid)")
            let page = String(buffer: try await Routes.get(client, "/grid/unpaid?year=2027&unit=" + village.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, session: session).body)
            #expect(page.contains("\(village.unit) 2027年度城乡居民两险未缴费名单"))
            #expect(page.contains("集中缴费期：2026年10月1日 至 2026年12月20日") && page.contains("公示期："))
            #expect(page.contains("网格员（签字）") && page.contains("Ctrl+P") && page.contains("class=\"printonly\""))
            #expect(page.contains(village.rows[0].idNumber.masked) && !page.contains(village.rows[0].idNumber.value), "IDs masked on a list that is posted")
            #expect(page.contains("网点柜台"))
            let css = String(buffer: try await Routes.get(client, "/static/console.css", session: session).body)
            #expect(css.contains("@media print") && css.contains("@page{size:A4 landscape"))
            let xlsx = try await Routes.get(client, "/grid/unpaid.xlsx?year=2027&unit=" + village.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, session: session)
            #expect(xlsx.status == .ok && Array(String(buffer: xlsx.body).utf8.prefix(2)) == [0x50, 0x4B])
            let none = String(buffer: try await Routes.get(client, "/grid/unpaid?year=2027&unit=%E6%97%A0", session: session).body)
            #expect(none.contains("没有未缴费的人员"))
            // 总览 for a county without monthly files shows the residents' year; 报表下载 its workbook.
            let overview = String(buffer: try await Routes.get(client, "/", session: session).body)
            #expect(overview.contains("城乡居民两险 2027年度") && overview.contains("第 1 轮"), "\(overview)")
            let reports = String(buffer: try await Routes.get(client, "/reports", session: session).body)
            #expect(reports.contains("/reports/download?what=residents&amp;year=2027"))
            let workbook = try await Routes.get(client, "/reports/download?what=residents&year=2027", session: session)
            #expect(workbook.status == .ok && Array(String(buffer: workbook.body).utf8.prefix(2)) == [0x50, 0x4B])
            // The resident's page shows the annual due as its year, not a month.
            let resident = village.rows[0].idNumber.value
            let payer = String(buffer: try await Routes.get(client, "/payer?id=\(resident)", session: session).body)
            #expect(payer.contains("<td>2027年度</td>"), "\(payer)")
        }
    }

    @Test func failuresFilterByNextStepAndAttempts() async throws {
        let fixture = try await Routes.Fixture()
        let failures = try await fixture.ws.useCases.failures(FailureFilter(period: TestWorkspace.december), today: TestWorkspace.fileDate).map(\.record)
        let policy = fixture.ws.useCases.workspace.retry
        let today = CivilDate(year: 2026, month: 12, day: 20)!
        let correct = failures.filter { Eligibility.failure($0, policy: policy, today: today).kind == .needsAgreementCorrection }
        #expect(!correct.isEmpty, "the seeded month has failures that need an agreement correction")
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .operator)
            let body = String(buffer: try await Routes.get(client, "/failures?period=2026-12&step=needsAgreementCorrection", session: session).body)
            #expect(body.contains("共 \(correct.count) 笔"))
            for failure in correct { #expect(body.contains(failure.idNumber.value)) }
            #expect(body.contains("<option value=\"needsAgreementCorrection\" selected>"), "the filter stays chosen")
            let none = String(buffer: try await Routes.get(client, "/failures?period=2026-12&attempts=2", session: session).body)
            #expect(none.contains("共 0 笔"), "every failure of the month is a first attempt")
            #expect(try await Routes.get(client, "/failures?step=later", session: session).status == .badRequest)
            #expect(try await Routes.get(client, "/failures?attempts=0", session: session).status == .badRequest)
        }
    }

    /// The rulebook's promise: every failure of a month shows one next step, wherever it is read —
    /// the CLI's list (filtered by outcome or not), the console's 失败清单 and the finance workbook.
    @Test func theCLIConsoleAndWorkbookShowEveryFailureTheSameNextStep() async throws {
        let fixture = try await Routes.Fixture()
        let today = CivilDate(year: 2026, month: 12, day: 20)!  // the console fixture's day
        let useCases = fixture.ws.useCases
        let report = try await useCases.report(period: TestWorkspace.december, by: .bank)
        let workbook = try await useCases.workbook(report, today: today)
        #expect(workbook.failures.count >= 10, "the seeded month fails 40 % of its lines")
        @Sendable func key(_ period: String, _ bank: String, _ payer: String) -> String { "\(period)|\(bank)|\(payer)" }
        var expected: [String: NextStep] = [:]
        for failure in workbook.failures {
            expected[key(failure.record.period.description, failure.record.bank, failure.record.idNumber.masked)] = failure.next
        }
        #expect(expected.count == workbook.failures.count, "one failure per payer, bank and period in this month")
        #expect(Set(expected.values.map(\.kind)).count >= 3, "several kinds of next step, not one: \(Set(expected.values.map(\.kind)))")

        // The CLI, whole and filtered by each outcome (a filter is not an operator's decision).
        let outcomes = Set(workbook.failures.map(\.record.outcome))
        for outcome in [nil] + outcomes.map(Optional.some) {
            let arguments = ["failures", "list", "--period", "2026-12", "--date", "2026-12-20", "--format", "json", "--workspace", fixture.ws.directory]
                + (outcome.map { ["--outcome", $0.rawValue] } ?? [])
            let listed = try runPikou(arguments)
            #expect(listed.status == 0, "\(listed.stderr)")
            let rows = listed.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
            #expect(rows.count == workbook.failures.filter { outcome == nil || $0.record.outcome == outcome }.count)
            for row in rows {
                let step = try #require(expected[key(row["period"] ?? "", row["bank"] ?? "", row["payer"] ?? "")], "\(row)")
                #expect(row["next"] == Catalogue.nextStep(step).en, "CLI \(outcome?.rawValue ?? "all"): \(row)")
            }
        }

        // The console, page by page, as finance sees it (IDs masked as in the other two).
        let steps = expected
        // The console names banks as people say them (中国银行): back to their codes for the key.
        let codes = Dictionary(uniqueKeysWithValues: fixture.console.bankNames.map { ($0.value, $0.key) })
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .finance)
            var seen = 0
            for page in 1... {
                let body = String(buffer: try await Routes.get(client, "/failures?period=2026-12&page=\(page)", session: session).body)
                let rows = body.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first?
                    .components(separatedBy: "<tr>").dropFirst() ?? []
                for row in rows {
                    let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
                        let inner = cell.drop { $0 != ">" }.dropFirst()
                        return String(inner.prefix { $0 != "<" })
                    }
                    #expect(cells.count == 10, "\(row)")
                    guard cells.count == 10 else { continue }
                    let step = try #require(steps[key(cells[0], codes[cells[1]] ?? cells[1], cells[3])], "\(cells)")
                    #expect(cells[8] == Catalogue.nextStep(step).zh, "console: \(cells)")
                    seen += 1
                }
                if seen >= steps.count || rows.isEmpty || page > 20 { break }
            }
            #expect(seen == steps.count, "every failure on the console's pages")
        }
    }

    @Test func payerListsMaskNamesAndPhonesForRolesThatMayNotCallPayers() {
        let line = PayerLine(idNumber: IDNumber(stored: "420106199001010011"), name: "王小测", phone: "13800001234", district: "武昌区", street: "中华路街",
                             community: "社区1", amount: Money(fen: 12_345), detail: "insufficientFunds")
        let whole = PayerList.interrupted.cells(line, whole: true, language: .zh).map(\.data)
        let masked = PayerList.interrupted.cells(line, whole: false, language: .zh).map(\.data)
        #expect(whole.contains("13800001234") && whole.contains("王小测"))
        #expect(!masked.contains("13800001234") && masked.contains("138****1234") && masked.contains("王**"))
        #expect(!masked.contains { $0.contains("420106199001010011") } && !whole.contains { $0.contains("420106199001010011") }, "IDs always masked")
        #expect(!PayerList.refunds.cells(line, whole: false).map(\.data).contains("13800001234"))
    }

    /// The value of hidden input `name` in a page.
    static func hidden(_ name: String, in body: String) -> String? {
        guard let start = body.range(of: "name=\"\(name)\" value=\"")?.upperBound else { return nil }
        return String(body[start...].prefix { $0 != "\"" })
    }
}

/// The console's cache of figures, keyed by the journal's head.
@Suite struct ViewCacheTests {
    @Test func aMissingOptionalIsComputedNotReadAsAKeptNil() async throws {
        let cache = ViewCache()
        let value: Int? = try await cache.value("k", stamp: 1) { Optional(7) }
        #expect(value == 7, "a key not yet kept is computed, also when the value type is optional")
        let kept: Int? = try await cache.value("k", stamp: 1) { Optional(8) }
        #expect(kept == 7, "kept while the stamp stays")
        let fresh: Int? = try await cache.value("k", stamp: 2) { Optional(9) }
        #expect(fresh == 9, "computed again once the ledger moved")
    }

    @Test func requestsArrivingTogetherShareOneComputationAndAFailureIsNotKept() async throws {
        let cache = ViewCache()
        let counter = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try await cache.value("x", stamp: 1) { await counter.bump(); try await Task.sleep(for: .milliseconds(50)); return 1 } }
            }
            for try await value in group { #expect(value == 1) }
        }
        #expect(await counter.count == 1)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await cache.value("y", stamp: 1) { () async throws -> Int in throw Boom() } }
        #expect(try await cache.value("y", stamp: 1) { 5 } == 5, "the next request tries again")
    }

    actor Counter {
        var count = 0
        func bump() { count += 1 }
    }
}

extension ConsoleWorkTests {
    /// 短信通知: the outbox counted by kind, period and state with a filtered list (masked for roles
    /// that may not see whole IDs); the payer page shows a payer's notices, and an operator records an
    /// opt-out there (journaled, CSRF-checked; finance may not). The 总览 lists the staff alerts.
    @Test(arguments: TestBackend.all) func theNoticesPageCountsTheOutboxAndAnOperatorRecordsAnOptOut(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        let planned = try await fixture.ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil,
                                                                today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let count = try #require(planned.stored?.planned)
        let someone = try #require(try await fixture.ws.store.notices(NoticeFilter()).first)
        _ = Notifier(workspace: fixture.ws.workspace).returnPosted(bank: "BOC", debitFile: "DK.txt", succeeded: 9, failed: 1, command: "returns ingest")
        try await fixture.app.test(.router) { client async throws in
            let finance = try await Self.logIn(client, .finance)
            let page = String(buffer: try await Routes.get(client, "/notices", session: finance).body)
            #expect(page.contains("扣款失败") && page.contains("2026-12") && page.contains("待发送") && page.contains("共 \(count) 条"), "\(page.prefix(3000))")
            #expect(!page.contains(someone.idNumber.value) && !page.contains(someone.phone) && !page.contains(someone.name), "finance sees them masked")
            let filtered = String(buffer: try await Routes.get(client, "/notices?kind=debit_failed&state=sent", session: finance).body)
            #expect(filtered.contains("共 0 条"))
            let overview = String(buffer: try await Routes.get(client, "/", session: finance).body)
            #expect(overview.contains("提醒") && overview.contains("回盘文件已入账") && overview.contains("pikou failures --bank BOC"), "the staff alert on 总览")
            // The operator: the payer's notice on the payer page, then an opt-out recorded.
            let session = try await Self.logIn(client, .operator)
            let whole = String(buffer: try await Routes.get(client, "/notices?kind=debit_failed", session: session).body)
            #expect(whole.contains(someone.idNumber.value) && whole.contains(someone.text), "the operator, who calls payers, sees them whole")
            let payer = String(buffer: try await Routes.get(client, "/payer?id=\(someone.idNumber.value)", session: session).body)
            #expect(payer.contains("<h2>短信通知</h2>") && payer.contains("扣款失败") && payer.contains("action=\"/notices/optout\""))
            let forged = try await Routes.post(client, "/notices/optout", session: session, [("csrf", "x"), ("id", someone.idNumber.value), ("kind", "lapsed"), ("do", "optout")])
            #expect(forged.status == .forbidden)
            let csrf = try await Routes.csrf(client, session: session)
            let done = try await Routes.post(client, "/notices/optout", session: session, [("csrf", csrf), ("id", someone.idNumber.value), ("kind", "lapsed"), ("do", "optout")])
            #expect(done.status == .seeOther)
            let after = String(buffer: try await Routes.get(client, try #require(done.headers[.location]), session: session).body)
            #expect(after.contains("已记录退订：断缴提醒通知此后不再生成") && after.contains("该缴费人已退订：断缴提醒"), "\(after.suffix(2000))")
            let again = try await Routes.post(client, "/notices/optout", session: session, [("csrf", csrf), ("id", someone.idNumber.value), ("kind", "lapsed"), ("do", "optout")])
            let same = String(buffer: try await Routes.get(client, try #require(again.headers[.location]), session: session).body)
            #expect(same.contains("此前已退订断缴提醒通知：无变化"), "a second opt-out says nothing changed")
            let wrong = try await Routes.post(client, "/notices/optout", session: session, [("csrf", csrf), ("id", someone.idNumber.value), ("kind", "sms"), ("do", "optout")])
            #expect(wrong.status == .badRequest && String(buffer: wrong.body).contains("退订表单有误"))
            let refused = try await Routes.post(client, "/notices/optout", session: finance,
                                                [("csrf", try await Routes.csrf(client, session: finance)), ("id", someone.idNumber.value), ("kind", "all"), ("do", "optout")])
            #expect(refused.status == .forbidden, "finance records no opt-out")
        }
        #expect(try await fixture.ws.useCases.noticeOptOuts(someone.idNumber) == ["lapsed"])
        #expect(try await fixture.ws.useCases.journal(JournalFilter(actor: "operator1", action: "notice.optout")).entries.count == 1)
    }
}

extension ConsoleWorkTests {
    /// 三方对账: the four legs per bank on their page and on 总览 once a statement is recorded; finance
    /// reviews an exception there (journaled, CSRF-checked; an operator may not), and the leg follows.
    @Test(arguments: TestBackend.all) func theThreeWayPageShowsTheLegsAndFinanceReviewsAnException(_ backend: TestBackend) async throws {
        let fixture = try await Routes.Fixture(backend: backend)
        let ws = fixture.ws
        let december = try Period("2026-12")
        let folder = try temporaryDirectory()
        let day = try #require(try await ws.useCases.settlementFiles(bank: "BOC").map(\.collectionDate).max()).adding(days: 1)
        let spec = try #require(ws.specs["BOC"])
        let written = try AfterBankSimulator(signing: ws.workspace.signing).statement(
            bank: "BOC", format: spec, files: try await ws.useCases.settlementFiles(bank: "BOC"), collectorAccount: ws.workspace.collector(for: "BOC").account,
            date: day, twists: .init(foreign: Money(fen: 8_800)), outputDirectory: folder)
        _ = try await ws.useCases.afterBankIngest.ingestStatement(path: written.path, bank: "BOC", format: spec, actor: "t", today: day)
        let unmatched = try #require(try await ws.useCases.afterBankExceptions(period: december).first { $0.state == "unmatched" })
        try await fixture.app.test(.router) { client async throws in
            let finance = try await Self.logIn(client, .finance)
            let page = String(buffer: try await Routes.get(client, "/reconcile?period=2026-12", session: finance).body)
            #expect(page.contains("<h1>三方对账</h1>") && page.contains("无法匹配") && page.contains("88.00") && page.contains("action=\"/reconcile\""), "\(page.prefix(3000))")
            #expect(page.contains("不符") && page.contains("无数据"), "BOC's account leg is 不符, its treasury leg and CCB's have no data")
            let overview = String(buffer: try await Routes.get(client, "/?period=2026-12", session: finance).body)
            #expect(overview.contains("href=\"/reconcile?period=2026-12\""), "总览 links the legs once a statement is in")
            let forged = try await Routes.post(client, "/reconcile", session: finance, [("csrf", "x"), ("id", "S\(unmatched.id)"), ("note", "退回付款行")])
            #expect(forged.status == .forbidden)
            let csrf = try await Routes.csrf(client, session: finance)
            let bad = try await Routes.post(client, "/reconcile", session: finance, [("csrf", csrf), ("id", "X1"), ("note", "退回付款行")])
            #expect(bad.status == .badRequest)
            let done = try await Routes.post(client, "/reconcile", session: finance, [("csrf", csrf), ("id", "S\(unmatched.id)"), ("note", "非本单位款项，已退回付款行"), ("period", "2026-12")])
            #expect(done.status == .seeOther)
            let after = String(buffer: try await Routes.get(client, try #require(done.headers[.location]), session: finance).body)
            #expect(after.contains("已记下复核意见") && after.contains("非本单位款项，已退回付款行"), "\(after.suffix(2000))")
            let operatorSession = try await Self.logIn(client, .operator)
            let refused = try await Routes.post(client, "/reconcile", session: operatorSession,
                                                [("csrf", try await Routes.csrf(client, session: operatorSession)), ("id", "S\(unmatched.id)"), ("note", "试一下")])
            #expect(refused.status == .forbidden, "an operator reviews no money")
        }
        #expect(try await ws.useCases.journal(JournalFilter(actor: "finance1", action: "afterbank.review")).entries.count == 1)
    }
}

extension ConsoleWorkTests {
    /// 缴费凭证: the payer page links each month's certificate for who serves payers; the print page
    /// carries the code, which the 核验 page accepts and a changed one it refuses, telling nothing.
    @Test func aCertificateIsPrintedFromThePayerPageAndItsCodeChecked() async throws {
        let fixture = try await Routes.Fixture()
        var found: CertificatePayer?
        for id in Int64(1)...40 where found == nil {
            guard let payer = try await fixture.ws.store.certificatePayer(idNumber: nil, id: id) else { continue }
            if (try? await fixture.ws.useCases.certificates.issue(idNumber: payer.idNumber, scope: .period(try Period("2026-12")))) != nil { found = payer }
        }
        let payer = try #require(found)
        try await fixture.app.test(.router) { client async throws in
            let session = try await Self.logIn(client, .operator)
            let page = String(buffer: try await Routes.get(client, "/payer?id=\(payer.idNumber.value)", session: session).body)
            #expect(page.contains("打印缴费凭证") && page.contains("/certificate?id=\(payer.idNumber.value)&amp;period=2026-12") || page.contains("/certificate?id=\(payer.idNumber.value)&period=2026-12"), "\(page.suffix(3000))")
            let print = String(buffer: try await Routes.get(client, "/certificate?id=\(payer.idNumber.value)&period=2026-12", session: session).body)
            #expect(print.contains("社会保险费缴费凭证") && print.contains(payer.idNumber.masked) && !print.contains(payer.idNumber.value))
            let code = try #require(print.range(of: "<span class=\"code\">").map { String(print[$0.upperBound...].prefix(34)) })
            let finance = try await Self.logIn(client, .finance)
            let valid = String(buffer: try await Routes.get(client, "/certificate/verify?code=\(code)", session: finance).body)
            #expect(valid.contains("验证码有效") && valid.contains("2026-12"), "\(valid.suffix(2000))")
            let forged = String(buffer: try await Routes.get(client, "/certificate/verify?code=\(code.dropLast())Z", session: finance).body)
            #expect(forged.contains("验证码无效") && !forged.contains(payer.idNumber.masked))
            let refused = try await Routes.get(client, "/certificate?id=\(payer.idNumber.value)&period=2026-12", session: finance)
            #expect(refused.status == .forbidden, "finance prints no payer's certificate")
        }
        #expect(try await fixture.ws.useCases.journal(JournalFilter(actor: "operator1", action: "certificate.issue")).entries.count == 1)
    }
}
