import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
@testable import PikouConsole
import PikouCore
import PikouCycle
import Testing
import TestSupport

/// Issue 31: the console's working pages — 失败明细's choices, search, export and ticked rows; 撤销协议
/// confirmed with a reason; 异常处理 naming whose debit; 用户管理; 趋势 — each action by every role.
@Suite struct OfficePagesRouteTests {
    typealias Routes = ConsoleRouteTests

    /// Each role's session on a fresh fixture.
    static func sessions(_ client: some TestClientProtocol) async throws -> [ConsoleRole: String] {
        var sessions: [ConsoleRole: String] = [:]
        for role in ConsoleRole.allCases {
            sessions[role] = try #require(try await Routes.logIn(client, role.rawValue + "1", "password-\(role.rawValue)"))
        }
        return sessions
    }

    @Test func theNewPagesOpenForTheRolesThatMayAndNoOthers() async throws {
        let fixture = try await Routes.Fixture()
        try await fixture.app.test(.router) { client async throws in
            for (role, session) in try await Self.sessions(client) {
                let trends = try await Routes.get(client, "/trends", session: session)
                #expect(trends.status == .ok && String(buffer: trends.body).contains("<h1>趋势</h1>") && String(buffer: trends.body).contains("<svg"), "\(role)")
                #expect(!String(buffer: trends.body).contains("<script"))
                let users = try await Routes.get(client, "/users", session: session)
                #expect(users.status == (role == .admin ? .ok : .forbidden), "\(role) /users")
                let export = try await Routes.get(client, "/failures/export?period=2026-12&format=csv", session: session)
                #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("text/csv") == true, "\(role) export")
                let xlsx = try await Routes.get(client, "/failures/export?period=2026-12&format=xlsx", session: session)
                #expect(xlsx.status == .ok && Array(String(buffer: xlsx.body).utf8.prefix(2)) == [0x50, 0x4B], "\(role) xlsx is a zip")
                let page = String(buffer: try await Routes.get(client, "/failures?period=2026-12", session: session).body)
                #expect(page.contains("<select name=\"bank\">") && page.contains("中国银行") && page.contains("<select name=\"district\">"), "\(role)")
                #expect(page.contains("form=\"bulk\"") == role.may(.resubmit), "\(role): ticks only for who may act on them")
                let csrf = try await Routes.csrf(client, session: session)
                let bulk = try await Routes.post(client, "/failures/bulk", session: session, [("csrf", csrf), ("id", "1"), ("do", "note"), ("note", "已电话通知")])
                #expect(bulk.status == (role.may(.resubmit) ? .seeOther : .forbidden), "\(role) bulk")
                let confirm = try await Routes.post(client, "/exceptions", session: session, [("csrf", csrf), ("id", "1"), ("outcome", "succeeded"),
                                                                                             ("note", "与银行柜面核实")])
                #expect((confirm.status == .forbidden) == !role.may(.handleExceptions), "\(role) confirm a result")
                let revoke = try await Routes.get(client, "/agreements/revoke?id=x", session: session)
                #expect((revoke.status == .forbidden) == !role.may(.correctAgreements), "\(role) revoke page")
                let add = try await Routes.post(client, "/users", session: session, [("csrf", csrf), ("do", "add"), ("name", "新人" + role.rawValue),
                                                                                   ("role", "finance"), ("password", "long-enough-1"), ("again", "long-enough-1")])
                #expect(add.status == (role == .admin ? .ok : .forbidden), "\(role) add user")
            }
        }
    }

    @Test func failuresAreSearchedByWhatEachRoleMaySeeExportedMaskedAndNotedInTheJournal() async throws {
        let fixture = try await Routes.Fixture()
        let failures = try await fixture.ws.useCases.failures(FailureFilter(period: TestWorkspace.december), today: CivilDate(year: 2026, month: 12, day: 20)!)
        let first = try #require(failures.first).record
        let useCases = fixture.ws.useCases
        try await fixture.app.test(.router) { client async throws in
            let sessions = try await Self.sessions(client)
            let (op, fin) = (sessions[.operator]!, sessions[.finance]!)
            // An operator finds a payer by name, phone, the account's last digits or the ID; finance by the ID only.
            let byName = String(buffer: try await Routes.get(client, "/failures?period=2026-12&q=\(first.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", session: op).body)
            #expect(byName.contains(first.idNumber.value), "by name")
            let byTail = String(buffer: try await Routes.get(client, "/failures?period=2026-12&q=\(first.account.number.suffix(6))", session: op).body)
            #expect(byTail.contains(first.idNumber.value), "by the account's last digits")
            let financeByName = String(buffer: try await Routes.get(client, "/failures?period=2026-12&q=\(first.account.number)", session: fin).body)
            #expect(financeByName.contains("共 0 笔") || !financeByName.contains(first.idNumber.masked), "finance cannot find by account")
            let financeByID = String(buffer: try await Routes.get(client, "/failures?period=2026-12&q=\(first.idNumber.value)", session: fin).body)
            let financeRows = financeByID.components(separatedBy: "<tbody>").last ?? ""
            #expect(financeRows.contains(first.idNumber.masked) && !financeRows.contains(first.idNumber.value), "finance finds by ID, masked")
            // Exports keep IDs and accounts masked; names whole only for the operator.
            let csv = String(buffer: try await Routes.get(client, "/failures/export?period=2026-12&format=csv&q=\(first.idNumber.value)", session: op).body)
            #expect(csv.hasPrefix("\u{FEFF}期间,银行,证件号") && csv.contains(first.idNumber.masked) && !csv.contains(first.idNumber.value) && csv.contains(first.name))
            #expect(!csv.contains(first.account.number) && csv.contains("中国银行") || !first.bank.hasPrefix("BOC"))
            // A note on ticked rows is journaled against each payer; ticked rows go to a preview of exactly them.
            let csrf = try await Routes.csrf(client, session: op)
            let noted = try await Routes.post(client, "/failures/bulk", session: op, [("csrf", csrf), ("id", String(first.debitID)), ("do", "note"), ("note", "已电话通知，本人称月底存钱")])
            #expect(noted.status == .seeOther && noted.headers[.location] == "/failures?noted=1")
            let journal = try await useCases.journal(JournalFilter(action: "failure.note"))
            #expect(journal.entries.first?.subject == first.idNumber.masked && journal.entries.first?.detail.contains("本人称月底存钱") == true)
            let empty = try await Routes.post(client, "/failures/bulk", session: op, [("csrf", csrf), ("id", String(first.debitID)), ("do", "note"), ("note", " ")])
            #expect(empty.status == .badRequest)
            let ticked = try await Routes.post(client, "/failures/bulk", session: op, [("csrf", csrf), ("id", String(first.debitID)), ("do", "resubmit")])
            #expect(ticked.status == .seeOther && ticked.headers[.location] == "/resubmit?ids=\(first.debitID)")
            let preview = String(buffer: try await Routes.get(client, "/resubmit?ids=\(first.debitID)", session: op).body)
            #expect(preview.contains("只预览在失败明细中勾选的 1 行"), "\(preview.prefix(2000))")
            // Exactly the ticked row, at most: not the period's other failures.
            let written = try #require(preview.firstMatch(of: /将写出：(\d+) 笔/)).output.1
            #expect(Int(written)! <= 1, "\(written)")
        }
    }

    @Test func aRevocationIsConfirmedWithAReasonThatIsJournaled() async throws {
        let fixture = try await Routes.Fixture()
        let failures = try await fixture.ws.useCases.failures(FailureFilter(period: TestWorkspace.december), today: CivilDate(year: 2026, month: 12, day: 20)!)
        let payer = try #require(failures.first).record
        let useCases = fixture.ws.useCases
        try await fixture.app.test(.router) { client async throws in
            let op = try #require(try await Routes.logIn(client, "operator1", "password-operator"))
            let confirm = String(buffer: try await Routes.get(client, "/agreements/revoke?id=\(payer.idNumber.value)&bank=\(payer.bank)", session: op).body)
            #expect(confirm.contains("<h1>确认撤销协议</h1>") && confirm.contains("不可撤回") && confirm.contains("name=\"reason\" required"), "\(confirm.prefix(3000))")
            let csrf = try await Routes.csrf(client, session: op)
            let without = try await Routes.post(client, "/agreements", session: op, [("csrf", csrf), ("id", payer.idNumber.value), ("bank", payer.bank), ("do", "revoke")])
            #expect(without.status == .badRequest && String(buffer: without.body).contains("须在确认页填写原因"))
            #expect(try await useCases.payer(payer.idNumber)?.agreements.contains { $0.bank == payer.bank && $0.active } == true, "nothing revoked without a reason")
            let with = try await Routes.post(client, "/agreements", session: op, [("csrf", csrf), ("id", payer.idNumber.value), ("bank", payer.bank), ("do", "revoke"),
                                                                                  ("reason", "本人来电要求解约")])
            #expect(with.status == .seeOther)
            let entry = try #require(try await useCases.journal(JournalFilter(action: "agreement.revoke")).entries.first)
            #expect(entry.detail.contains("agreement revoked; reason: 本人来电要求解约") && Catalogue.journalDetail(entry.detail).zh.contains("协议已撤销; 原因: 本人来电要求解约"),
                    "\(entry.detail)")
        }
    }

    @Test func anAdminManagesUsersByTheCommandLinesRulesAndEveryChangeIsSealed() async throws {
        let fixture = try await Routes.Fixture()
        let (useCases, book) = (fixture.ws.useCases, fixture.console.users)
        try await fixture.app.test(.router) { client async throws in
            let admin = try #require(try await Routes.logIn(client, "admin1", "password-admin"))
            let csrf = try await Routes.csrf(client, session: admin)
            func post(_ fields: [(String, String)]) async throws -> TestResponse { try await Routes.post(client, "/users", session: admin, [("csrf", csrf)] + fields) }
            let short = try await post([("do", "add"), ("name", "小王"), ("role", "operator"), ("password", "short"), ("again", "short")])
            #expect(short.status == .badRequest)
            let differ = try await post([("do", "add"), ("name", "小王"), ("role", "operator"), ("password", "long-enough-1"), ("again", "long-enough-2")])
            #expect(differ.status == .badRequest && String(buffer: differ.body).contains("两次输入的密码不同"))
            let added = try await post([("do", "add"), ("name", "小王"), ("role", "operator"), ("password", "long-enough-1"), ("again", "long-enough-1")])
            #expect(added.status == .ok && String(buffer: added.body).contains("已新增用户 小王（经办人员）"), "\(String(buffer: added.body).prefix(2000))")
            #expect(try await Routes.logIn(client, "小王", "long-enough-1") != nil)
            let totp = try await post([("do", "totp-on"), ("name", "小王")])
            #expect(String(buffer: totp.body).contains("otpauth://totp/"), "the address shown once")
            #expect(try await post([("do", "disable"), ("name", "小王")]).status == .ok)
            #expect(try await Routes.logIn(client, "小王", "long-enough-1") == nil, "a disabled user cannot log in")
            let selfDisable = try await post([("do", "disable"), ("name", "admin1")])
            #expect(selfDisable.status == .badRequest && String(buffer: selfDisable.body).contains("不能停用自己的账户"))
            // Each change sealed as `pikou users` seals it: the file agrees with the journal.
            let journal = try await useCases.journal(JournalFilter(action: "console.user.", limit: 100)).entries
            #expect(Set(journal.map(\.action)).isSuperset(of: ["console.user.add", "console.user.totp", "console.user.disable"]))
            let findings = try await book.sealFindings(journal)
            #expect(findings.changed.isEmpty && !findings.unsealed.contains("小王"), "\(findings)")
        }
    }

    @Test func anExceptionNamesWhoseDebitItIs() async throws {
        let fixture = try await Routes.Fixture()
        let exceptions = try await fixture.ws.useCases.exceptions(period: nil, filter: ExceptionFilter(state: .all))
        try await fixture.app.test(.router) { client async throws in
            let op = try #require(try await Routes.logIn(client, "operator1", "password-operator"))
            let page = String(buffer: try await Routes.get(client, "/exceptions?state=all", session: op).body)
            #expect(page.contains("扣款（缴费人、文件、金额）"))
            for exception in exceptions {
                if let debit = exception.debit { #expect(page.contains(debit.idNumber.value) && page.contains(debit.debitFile)) }
            }
        }
    }
}
