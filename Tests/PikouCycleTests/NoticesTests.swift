import Foundation
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Notices to payers (issue 36, items 1 and 2, the outbox and the export): templates checked, a
/// month's failures giving exactly one notice each whatever reruns happen, opt-outs honoured, the
/// export an office's platform takes, and no notice printing a whole ID or account.
@Suite struct NoticesTests {
    static let shipped = Fixture.formatsDirectory + "/notices.yaml"

    @Test func theShippedTemplatesReadAndBadOnesAreRefusedByLine() throws {
        let text = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let templates = try NoticeTemplates.parse(text, path: "notices.yaml")
        #expect(templates.signature == "示范市税务局" && templates.maxPerSecond == 20)
        #expect(Set(templates.templates.keys) == Set(NoticeKind.allCases))
        // Quiet hours across midnight: 21:00 to 08:00.
        #expect(templates.isQuiet(minute: 21 * 60) && templates.isQuiet(minute: 7 * 60 + 59) && !templates.isQuiet(minute: 8 * 60) && !templates.isQuiet(minute: 12 * 60))
        let rendered = templates.render(.debitFailed, ["姓名": "张三", "期间": "2026年12月", "险种": "社会保险", "金额": "300.00", "银行": "中国银行",
                                                       "账号尾号": "1234", "原因": "账户余额不足", "下一步": "请通过办税服务厅或手机 APP 缴纳"])
        #expect(rendered == "【示范市税务局】张三您好：您2026年12月的社会保险费 300.00 元，由中国银行尾号1234的账户代扣未成功，原因：账户余额不足。请通过办税服务厅或手机 APP 缴纳。")
        for (edit, says) in [(("{下一步}。", "{证件号}。"), "{证件号} 不是 debit_failed 可用的"),
                             (("尾号{账号尾号}", "账号6222020000000000001"), "11 位以上的数字"),
                             (("  lapsed:", "  lapse:"), "未知的通知类型 'lapse'"),
                             (("\"21:00\"", "\"9pm\""), "quiet_hours"),
                             (("{月数}", "{月数"), "没有配对的 '}'"),
                             (("  lapsed:\n    enabled: true", "  lapsed:\n    params: {months: 月数}\n    enabled: true"), "与 template_code 一起写"),
                             (("  lapsed:\n    enabled: true", "  lapsed:\n    template_code: SMS_1\n    params: {months: 原因}\n    enabled: true"), "lapsed 可用的变量之一"),
                             (("  lapsed:\n    enabled: true", "  lapsed:\n    template_code: SMS_1\n    params: {月数: 月数}\n    enabled: true"), "参数名只用英文字母"),
                             (("  lapsed:\n    enabled: true", "  lapsed:\n    template_code: \"SMS 1\"\n    enabled: true"), "模板代码")] {
            let broken = text.replacingOccurrences(of: edit.0, with: edit.1)
            #expect(broken != text, "\(edit)")
            do {
                _ = try NoticeTemplates.parse(broken, path: "notices.yaml")
                Issue.record("accepted: \(edit.1)")
            } catch {
                let message = PikouError(error).message.zh
                #expect(message.contains(says) && message.hasPrefix("notices.yaml:") && !message.hasPrefix("notices.yaml:0:"), "\(message)")
            }
        }
        // enabled must be a real true or false; full-width braces (an input method's) are refused.
        for (edit, says) in [(("  lapsed:\n    enabled: true", "  lapsed:\n    enabled: \"false\""), "只能写 true"),
                             (("{月数}", "｛月数｝"), "全角括号")] {
            let broken = text.replacingOccurrences(of: edit.0, with: edit.1)
            #expect(broken != text)
            #expect(throws: PikouError.self) { try NoticeTemplates.parse(broken, path: "n.yaml") }
            do { _ = try NoticeTemplates.parse(broken, path: "n.yaml") } catch { #expect(PikouError(error).message.zh.contains(says), "\(error)") }
        }
        // A template code and its parameters for 阿里云短信.
        let coded = try NoticeTemplates.parse(text.replacingOccurrences(of: "  lapsed:\n    enabled: true", with: "  lapsed:\n    template_code: SMS_123456789\n    params: {months: 月数, amount: 金额}\n    enabled: true"), path: "n.yaml")
        #expect(coded.templates[.lapsed]?.templateCode == "SMS_123456789" && coded.templates[.lapsed]?.params == ["months": "月数", "amount": "金额"])
        #expect(templates.templates[.debitSucceeded]?.enabled == false, "扣款成功 is the office's choice: off as shipped")
        // A kind turned off renders nothing.
        let off = try NoticeTemplates.parse(text.replacingOccurrences(of: "  lapsed:\n    enabled: true", with: "  lapsed:\n    enabled: false"), path: "n.yaml")
        #expect(off.render(.lapsed, [:]) == nil)
    }

    @Test func theWordsForAPayer() {
        #expect(NoticeWords.nextStep(.retryFrom(CivilDate(year: 2026, month: 12, day: 21)!)) == "12月21日起将再次扣款，请保持账户余额充足")
        #expect(NoticeWords.nextStep(.paidElsewhere) == nil && NoticeWords.nextStep(.suspended) == nil)
        #expect(Outcome.allCases.allSatisfy { !NoticeWords.reason($0).isEmpty })
        #expect(NoticeWords.isMobile("13800000000") && !NoticeWords.isMobile("027-88886666") && !NoticeWords.isMobile("12345678901") && !NoticeWords.isMobile("1380000000"))
    }

    @Test(arguments: TestBackend.all) func aMonthsFailuresGiveOneNoticeEachWhateverReruns(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 40)
        let december = try Period("2026-12")
        let failures = try await ws.useCases.failures(FailureFilter(period: december), today: TestWorkspace.fileDate)
        let failedPayers = Set(failures.filter { NoticeWords.nextStep($0.next) != nil }.map(\.record.idNumber))
        #expect(!failedPayers.isEmpty)
        // A dry run stores nothing.
        let dry = try await ws.useCases.planNotices(kind: .debitFailed, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: true, actor: "t")
        #expect(dry.stored == nil && dry.notices.count == failedPayers.count)
        #expect(try await ws.store.notices(NoticeFilter()).isEmpty)
        // One opted out of failure notices beforehand.
        let refusing = try #require(failedPayers.sorted { $0.value < $1.value }.first)
        #expect(try await ws.useCases.setNoticeOptOut(idNumber: refusing, kind: .debitFailed, optedOut: true, actor: "t"))
        #expect(try await ws.useCases.setNoticeOptOut(idNumber: refusing, kind: .debitFailed, optedOut: true, actor: "t") == false)
        let first = try await ws.useCases.planNotices(kind: .debitFailed, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        #expect(first.stored == NoticePlanning(planned: failedPayers.count - 1, already: 0, optedOut: 1))
        // Again, and again after the payer takes notices back: only that payer's is new.
        let again = try await ws.useCases.planNotices(kind: .debitFailed, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        #expect(again.stored == NoticePlanning(planned: 0, already: failedPayers.count - 1, optedOut: 1))
        #expect(try await ws.useCases.setNoticeOptOut(idNumber: refusing, kind: nil, optedOut: false, actor: "t"))
        let third = try await ws.useCases.planNotices(kind: .debitFailed, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        #expect(third.stored?.planned == 1)
        let notices = try await ws.store.notices(NoticeFilter(kind: .debitFailed))
        #expect(notices.count == failedPayers.count && Set(notices.map(\.idNumber)) == failedPayers)
        #expect(notices.allSatisfy { $0.state == .planned && $0.subject == "2026-12" })
        for notice in notices {
            // Never a whole ID or account: no run of 11 digits or more; the reason and the next step in words.
            var run = 0, longest = 0
            for character in notice.text { run = character.isASCII && character.isNumber ? run + 1 : 0; longest = max(longest, run) }
            #expect(longest < 11, "\(notice.text)")
            #expect(notice.text.hasPrefix("【示范市税务局】") && notice.text.contains("2026年12月") && notice.text.contains("原因："), "\(notice.text)")
        }
        // The export: what an SMS platform takes, cell by cell; exported notices are not exported (or sent) again.
        let path = try temporaryDirectory() + "/notices.csv"
        #expect(try await ws.useCases.exportNotices(NoticeFilter(kind: .debitFailed), to: path, actor: "t") == notices.count)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a BOM, for Excel")
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "手机号码,短信内容,身份证号（脱敏）,通知类型,期间/轮次")
        #expect(lines.count == notices.count + 1)
        let firstRow = lines[1]
        // (A tab before the number keeps Excel from turning it into 1.38E+10, as in every CSV Pikou writes.)
        #expect(firstRow.hasPrefix("\t" + notices[0].phone + ",") && firstRow.contains(notices[0].idNumber.masked) && firstRow.hasSuffix(",扣款失败,2026-12"), "\(firstRow)")
        #expect(!firstRow.contains(notices[0].idNumber.value))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(try await ws.store.notices(NoticeFilter(state: .exported)).count == notices.count)
        #expect(try await ws.useCases.exportNotices(NoticeFilter(), to: path + "2", actor: "t") == 0)
        // An export never overwrites a file (its notices were marked exported).
        await #expect { _ = try await ws.useCases.exportNotices(NoticeFilter(), to: path, actor: "t") } throws: { ($0 as? PikouError)?.message.zh.contains("已存在") == true }
        // The list masks the name inside the text too.
        let cells = NoticeList.cells(notices[0])
        #expect(!cells[6].screen.contains(notices[0].name) || notices[0].name.count < 2)
        #expect(try await ws.check.violations() == [])
    }

    @Test func aReminderAfterTheWindowIsRefused() async throws {
        let ws = try await TestWorkspace(backend: .sqlite)
        await #expect {
            _ = try await ws.useCases.planNotices(kind: .roundReminder, period: nil, months: 2, year: 2027, today: CivilDate(year: 2026, month: 12, day: 21)!, dryRun: true, actor: "t")
        } throws: { ($0 as? PikouError)?.message.zh.contains("集中征缴期已于 2026-12-20 结束") == true }
    }
}

/// A gateway in memory: one message per client reference, whatever the retries; a number it
/// refuses, a number of answers it is busy for, a token it does not take.
actor FakeGateway: NoticeGateway {
    var delivered: [String: String] = [:]
    var requests = 0
    var refuse: String?
    var busy = 0
    var wrongToken = false

    init(refuse: String? = nil, busy: Int = 0, wrongToken: Bool = false) {
        (self.refuse, self.busy, self.wrongToken) = (refuse, busy, wrongToken)
    }

    func send(_ notice: OutgoingNotice) async throws(GatewayError) -> String {
        let (clientRef, mobile) = (notice.clientRef, notice.mobile)
        requests += 1
        if wrongToken { throw .misconfigured("HTTP 401 令牌无效") }
        if busy > 0 { busy -= 1; throw .unavailable("HTTP 503 网关繁忙") }
        if mobile == refuse { throw .refused("HTTP 400 空号") }
        if let id = delivered[clientRef] { return id }
        delivered[clientRef] = "M\(delivered.count + 1)"
        return delivered[clientRef]!
    }
    func configure(refuse: String?, busy: Int, wrongToken: Bool) { (self.refuse, self.busy, self.wrongToken) = (refuse, busy, wrongToken) }
}

extension NoticesTests {
    @Test(arguments: TestBackend.all) func sendingSendsEachOnceKeepsFailuresAndHonoursQuietHours(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 40)
        let planned = try await ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let count = try #require(planned.stored?.planned)
        #expect(count > 2)
        // Quiet hours (the shipped 21:00 to 08:00): nothing goes.
        let gateway = FakeGateway(wrongToken: true)
        #expect(try await ws.useCases.sendNotices(through: gateway, minute: { 22 * 60 }, actor: "t").quiet)
        #expect(await gateway.requests == 0)
        // A token the gateway does not take: stopped at once, no attempt counted.
        var report = try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, actor: "t")
        #expect(report.stopped?.contains("401") == true && report.sent == 0)
        #expect(try await ws.store.notices(NoticeFilter()).allSatisfy { $0.attempts == 0 && $0.state == .planned })
        // Busy twice: the first notice waits (attempts 1, then 2); then everything goes, one message each.
        await gateway.configure(refuse: nil, busy: 1, wrongToken: false)
        report = try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, actor: "t")
        #expect(report.later == 1 && report.sent == 0)
        await gateway.configure(refuse: nil, busy: 1, wrongToken: false)
        report = try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, limit: 1, actor: "t")
        #expect(report.later == 1)
        report = try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, actor: "t")
        #expect(report.sent == count && report.failed == 0, "\(report)")
        let sent = try await ws.store.notices(NoticeFilter())
        #expect(sent.allSatisfy { $0.state == .sent && !$0.gatewayID.isEmpty })
        #expect(sent.first?.attempts == 3)
        #expect(await gateway.delivered.count == count)
        // A payer who opts out after planning is not texted: planned again for a new kind, then refused.
        _ = try await ws.useCases.planNotices(kind: .lapsed, period: try Period("2026-12"), months: 1, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let lapsed = try await ws.store.notices(NoticeFilter(kind: .lapsed, state: .planned))
        if let refusing = lapsed.first {
            _ = try await ws.useCases.setNoticeOptOut(idNumber: refusing.idNumber, kind: nil, optedOut: true, actor: "t")
            report = try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, actor: "t")
            #expect(report.sent == lapsed.count - 1)
            #expect(try await ws.store.notices(NoticeFilter(kind: .lapsed, state: .planned)).map(\.id) == [refusing.id])
        }
        // Nothing left: a rerun sends nothing.
        #expect(try await ws.useCases.sendNotices(through: gateway, minute: { 10 * 60 }, actor: "t").sent == 0)
        #expect(try await ws.check.violations() == [])
    }

    @Test func aRefusedNumberFailsWithItsReasonAndABusyGatewayGivesUpAfterThreeTries() async throws {
        let ws = try await TestWorkspace.month(backend: .sqlite, payers: 40)
        _ = try await ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let first = try #require(try await ws.store.notices(NoticeFilter()).first)
        let gateway = FakeGateway(refuse: first.phone)
        let report = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, limit: 1, actor: "t")
        #expect(report.failed == 1 && report.reasons.first?.contains("空号") == true)
        let failed = try #require(try await ws.store.notices(NoticeFilter(state: .failed)).first)
        #expect(failed.id == first.id && failed.lastError.contains("空号"))
        // The next one, busy three times: failed after its third try.
        await gateway.configure(refuse: nil, busy: 3, wrongToken: false)
        for _ in 0..<3 { _ = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, limit: 1, actor: "t") }
        #expect(try await ws.store.notices(NoticeFilter(state: .failed)).count == 2)
        // Kept for retry: the payer gave a new number, the platform came back. Put back, sent, journaled.
        await gateway.configure(refuse: nil, busy: 0, wrongToken: false)
        #expect(try await ws.useCases.retryFailedNotices(NoticeFilter(idNumber: first.idNumber), actor: "t") == 1)
        let again = try #require(try await ws.store.notices(NoticeFilter(idNumber: first.idNumber)).first { $0.id == first.id })
        #expect(again.state == .planned && again.attempts == 0 && again.lastError.contains("空号"), "the last reason kept")
        #expect(try await ws.useCases.retryFailedNotices(NoticeFilter(), actor: "t") == 1)
        _ = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, limit: 2, actor: "t")
        #expect(try await ws.store.notices(NoticeFilter(state: .failed)).isEmpty)
        #expect(try await ws.useCases.journal(JournalFilter(action: "notices.retry")).entries.count == 2)
    }
}

extension NoticesTests {
    /// notify.gateway: https, or plain http to this machine only — read as Foundation reads it.
    @Test func theGatewayAddressKeepsTheTokenOffTheNetwork() async throws {
        let ws = try await TestWorkspace(backend: .sqlite)
        let config = try String(contentsOfFile: ws.workspace.directory + "/pikou.yaml", encoding: .utf8)
        func parse(_ url: String) throws -> String? {
            try (config + "\nnotify:\n  gateway: {url: \"\(url)\", token_file: sms-token}\n").write(toFile: ws.workspace.directory + "/pikou.yaml", atomically: true, encoding: .utf8)
            do {
                let loaded = try Workspace(directory: ws.workspace.directory, defaultFormats: Fixture.formatsDirectory)
                #expect(loaded.smsGateway?.tokenFile == ws.workspace.directory + "/sms-token")
                return nil
            } catch {
                return PikouError(error).message.zh
            }
        }
        #expect(try parse("https://sms.example.cn/send") == nil)
        #expect(try parse("http://127.0.0.1:9000/sms") == nil)
        for bad in ["http://sms.example.cn/send", "http://127.0.0.1:1@evil.example/sms", "https://user:pw@sms.example.cn/", "ftp://127.0.0.1/"] {
            #expect(try parse(bad)?.contains("https://") == true, "\(bad)")
        }
    }
}

/// A gateway in memory that, like 阿里云短信, sends a second request under the same reference as a
/// second message, and answers the question whether a reference reached it.
actor ForgetfulGateway: NoticeGateway {
    var messages: [String] = []
    var asked = 0
    nonisolated var dedupsByClientRef: Bool { false }
    nonisolated var settleSeconds: Int { 600 }
    var limited: String?
    func limit(_ clientRef: String?) { limited = clientRef }
    func send(_ notice: OutgoingNotice) async throws(GatewayError) -> String {
        if notice.clientRef == limited { throw .deferred("isv.BUSINESS_LIMIT_CONTROL") }
        messages.append(notice.clientRef)
        return "B\(messages.count)"
    }
    func find(_ notice: OutgoingNotice, on days: [CivilDate]) async throws(GatewayError) -> String? {
        asked += 1
        return messages.contains(notice.clientRef) ? "OutId:" + notice.clientRef : nil
    }
    func take(_ ref: String) { messages.append(ref) }
}

extension NoticesTests {
    /// 阿里云短信's request signature, as its documentation's worked example gives it (AccessKey
    /// secret `testSecret`, GET): `zJDF+Lrzhj/ThnlvIToysFRq6t4=`.
    @Test func theAliyunSignatureIsTheDocumentedOne() throws {
        let parameters = [
            "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou",
            "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": "{\"customer\":\"test\"}", "Timestamp": "2017-07-12T02:42:19Z",
            "Version": "2017-05-25",
        ]
        #expect(try AliyunSMSGateway.signature(method: "GET", parameters: parameters, secret: "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
        #expect(AliyunSMSGateway.percentEncode("a b*~/") == "a%20b%2A~%2F")
        // Its error codes: the account's (and any Pikou does not know) stop the run, the platform's wait,
        // a number's own limit waits for that number alone, only the number's own fault fails the notice.
        func kind(_ code: String, _ status: Int = 200) -> String {
            switch AliyunSMSGateway.error(code: code, status: status, said: code) {
            case .misconfigured: "stop"
            case .unavailable: "wait"
            case .deferred: "later"
            case .refused: "fail"
            }
        }
        #expect(kind("SignatureDoesNotMatch", 400) == "stop" && kind("InvalidAccessKeyId.NotFound", 404) == "stop" && kind("isv.AMOUNT_NOT_ENOUGH") == "stop")
        #expect(kind("isv.PARAM_LENGTH_LIMIT") == "stop" && kind("isv.SOMETHING_NEW") == "stop" && kind("", 400) == "stop", "never fails a whole outbox")
        #expect(kind("isp.SYSTEM_ERROR") == "wait" && kind("isp.GATEWAY_ERROR") == "wait" && kind("Throttling.User", 400) == "wait" && kind("", 502) == "wait")
        #expect(kind("isv.DAY_LIMIT_CONTROL") == "wait" && kind("isv.BUSINESS_LIMIT_CONTROL") == "later")
        #expect(kind("isv.MOBILE_NUMBER_ILLEGAL") == "fail")
        // The attempt's day in China and the next once it has come.
        let late = try #require(CivilDate(year: 2026, month: 12, day: 21))
        #expect(UseCases.attemptDays("2026-12-20T15:59:59.000Z", today: late).map(\.description) == ["2026-12-20", "2026-12-21"])
        #expect(UseCases.attemptDays("2026-12-20T16:00:01.000Z", today: late).map(\.description) == ["2026-12-21"])
    }

    /// A gateway that does not dedup: a notice whose attempt has no recorded answer is asked about
    /// first — recorded as sent when it reached the gateway, sent again only when it did not.
    @Test(arguments: TestBackend.all) func aGatewayThatDoesNotDedupIsAskedBeforeSendingAgain(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 40)
        _ = try await ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let notices = try await ws.store.notices(NoticeFilter())
        #expect(notices.count >= 3)
        // Two attempts begun and never answered (a crash, a timeout): the first reached the gateway, the second did not.
        let gateway = ForgetfulGateway()
        for notice in notices.prefix(2) { _ = try await ws.store.beginNoticeAttempt(id: notice.id) }
        await gateway.take(notices[0].clientRef)
        // Too soon to ask (the platform may still be taking them): both wait, the rest go.
        var report = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, actor: "t")
        #expect(report.sent == notices.count - 2 && report.later == 2 && report.confirmed == 0, "\(report)")
        #expect(await gateway.asked == 0)
        // Twenty minutes on: asked, the first recorded as sent, the second sent.
        report = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, now: { Date().addingTimeInterval(1200) }, actor: "t")
        #expect(report.sent == 2 && report.confirmed == 1, "\(report)")
        #expect(await gateway.asked == 2)
        #expect(await gateway.messages.count == notices.count, "one message per notice")
        let stored = try await ws.store.notices(NoticeFilter())
        #expect(stored.first?.gatewayID == "OutId:" + notices[0].clientRef && stored.allSatisfy { $0.state == .sent })
        #expect(stored.allSatisfy { !$0.values.isEmpty && $0.values["姓名"] == $0.name }, "the variables are kept for a template gateway")
    }
}

extension NoticesTests {
    /// 扣款成功: off as shipped (nothing planned); turned on in the workspace's notices.yaml, one per
    /// payer whose December debit succeeded, with the bank and only the account's last four digits.
    @Test(arguments: TestBackend.all) func successNoticesAreTheOfficesChoice(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 40)
        let december = try Period("2026-12")
        let off = try await ws.useCases.planNotices(kind: .debitSucceeded, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        #expect(off.disabled && off.stored == nil)
        let shipped = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        try shipped.replacingOccurrences(of: "  debit_succeeded:\n    enabled: false", with: "  debit_succeeded:\n    enabled: true")
            .write(toFile: ws.workspace.directory + "/notices.yaml", atomically: true, encoding: .utf8)
        let successes = try await ws.store.debitSuccesses(period: december)
        #expect(!successes.isEmpty)
        let on = try await ws.useCases.planNotices(kind: .debitSucceeded, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        #expect(on.stored?.planned == successes.filter { NoticeWords.isMobile($0.phone) }.count)
        let notices = try await ws.store.notices(NoticeFilter(kind: .debitSucceeded))
        #expect(notices.allSatisfy { $0.text.contains("成功代扣") && $0.subject == "2026-12" })
        for notice in notices {
            let line = try #require(successes.first { $0.idNumber == notice.idNumber })
            #expect(notice.text.contains(line.amount.groupedYuanText + " 元") && notice.text.contains("尾号\(line.accountTail)") && line.accountTail.count == 4)
        }
        // Again: nothing new.
        #expect(try await ws.useCases.planNotices(kind: .debitSucceeded, period: december, months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t").stored?.planned == 0)
    }
}

extension NoticesTests {
    /// 断缴提醒 tells only who has not paid: a payer whose December debit failed but who paid December
    /// at the counter since is not lapsed (the list, and so the notice).
    @Test(arguments: TestBackend.all) func aPayerWhoPaidElsewhereIsNotLapsed(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 40)
        let december = try Period("2026-12")
        let before = try await ws.store.interrupted(months: 1, through: december)
        let payer = try #require(before.first)
        // Pension paid at the counter, medical still owed: still lapsed.
        _ = try await ws.store.importPayments([PaymentRecord(line: 2, idNumber: payer.idNumber, insurance: .pension, period: december, amount: Money(fen: 1),
                                                             channel: "counter", reference: "C1")], actor: "t", source: "p.csv")
        #expect(try await ws.store.interrupted(months: 1, through: december).contains { $0.idNumber == payer.idNumber })
        _ = try await ws.store.importPayments([PaymentRecord(line: 3, idNumber: payer.idNumber, insurance: .medical, period: december, amount: Money(fen: 1),
                                                             channel: "counter", reference: "C2")], actor: "t", source: "p2.csv")
        let after = try await ws.store.interrupted(months: 1, through: december)
        #expect(after.count == before.count - 1 && !after.contains { $0.idNumber == payer.idNumber })
        let run = try await ws.useCases.planNotices(kind: .lapsed, period: december, months: 1, year: nil, today: TestWorkspace.fileDate, dryRun: true, actor: "t")
        #expect(!run.notices.contains { $0.idNumber == payer.idNumber })
    }
}

extension NoticesTests {
    /// The edges of asking before sending again: an attempt older than the platform's records is failed,
    /// never sent again; a crash on the last attempt is settled by asking, not left planned for ever; a
    /// number's own limit holds back that notice alone.
    @Test func aNoticeThatCannotBeCheckedIsFailedNotSentTwice() async throws {
        let ws = try await TestWorkspace.month(backend: .sqlite, payers: 40)
        _ = try await ws.useCases.planNotices(kind: .debitFailed, period: try Period("2026-12"), months: 2, year: nil, today: TestWorkspace.fileDate, dryRun: false, actor: "t")
        let notices = try await ws.store.notices(NoticeFilter())
        #expect(notices.count >= 4)
        let gateway = ForgetfulGateway()
        // 0: attempted, unanswered, now 31 days ago; 1: its number limited for now.
        _ = try await ws.store.beginNoticeAttempt(id: notices[0].id)
        await gateway.limit(notices[1].clientRef)
        let month = Date().addingTimeInterval(31 * 86_400)
        var report = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, now: { month }, actor: "t")
        var stored = Dictionary(uniqueKeysWithValues: try await ws.store.notices(NoticeFilter()).map { ($0.id, $0) })
        #expect(stored[notices[0].id]?.state == .failed && stored[notices[0].id]?.lastError.contains("为免重复不再发送") == true)
        #expect(stored[notices[1].id]?.state == .planned && stored[notices[1].id]?.attempts == 1, "held back, tried again by the next run")
        #expect(report.sent == notices.count - 2 && report.failed == 1 && report.later == 1, "\(report)")
        // 1 again, its third attempt unanswered (a crash): asked, not there, failed — no fourth.
        for _ in 0..<2 { _ = try await ws.store.beginNoticeAttempt(id: notices[1].id) }
        await gateway.limit(nil)
        report = try await ws.useCases.sendNotices(through: gateway, minute: { 12 * 60 }, now: { Date().addingTimeInterval(1200) }, actor: "t")
        stored = Dictionary(uniqueKeysWithValues: try await ws.store.notices(NoticeFilter()).map { ($0.id, $0) })
        #expect(stored[notices[1].id]?.state == .failed && stored[notices[1].id]?.lastError.contains("已发送 3 次仍无结果") == true)
        #expect(report.failed == 1 && report.sent == 0)
        let messages = await gateway.messages
        #expect(!messages.contains(notices[0].clientRef) && !messages.contains(notices[1].clientRef))
        #expect(try await ws.store.notices(NoticeFilter(state: .planned)).isEmpty, "nothing left planned for ever")
        // A notice without its variables is never sent as a template with blanks.
        let templates = try NoticeTemplates.parse(String(contentsOfFile: Self.shipped, encoding: .utf8)
            .replacingOccurrences(of: "  lapsed:\n    enabled: true", with: "  lapsed:\n    template_code: SMS_1\n    params: {months: 月数}\n    enabled: true"), path: "n.yaml")
        let yaml = try String(contentsOfFile: ws.workspace.configPath, encoding: .utf8)
        try (yaml + "\nnotify:\n  gateway: {type: aliyun, access_key_id: LTAItest, url: \"http://127.0.0.1:9/\", token_file: secret}\n")
            .write(toFile: ws.workspace.configPath, atomically: true, encoding: .utf8)
        let config = try #require(try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory).smsGateway)
        #expect(config.kind == .aliyun && config.settleSeconds == 600 && config.url == "http://127.0.0.1:9/")
        do {
            _ = try await AliyunSMSGateway(config: config, templates: templates).send(OutgoingNotice(clientRef: "PK-1", mobile: "13800000000", text: "x", kind: .lapsed))
            Issue.record("sent without its variables")
        } catch {
            guard case .refused(let why) = error else { Issue.record("\(error)"); return }
            #expect(why.contains("没有保存模板变量（月数）"))
        }
    }
}
