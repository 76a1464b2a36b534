public import PikouCore
import Foundation
import ReconStore

/// Which notices a kind gives, as pure functions of what the store says: a failed debit's reason in
/// plain words and the next step, a lapse, a resident not yet paid. A person without a mobile phone
/// gets none (counted); a failure already settled (paid elsewhere, suspended) gets none.
public enum NoticeWords {
    /// A failure's reason as a payer reads it.
    public static func reason(_ outcome: Outcome) -> String {
        switch outcome {
        case .insufficientFunds: "账户余额不足"
        case .accountFrozen: "账户冻结或止付"
        case .bankSystemError: "银行系统繁忙"
        case .exceedsLimit: "超过账户的扣款限额"
        case .accountClosed: "账户已销户"
        case .accountNotFound: "银行查无此账户"
        case .nameMismatch: "账户户名与登记的不一致"
        case .idMismatch: "证件号码与账户登记的不一致"
        case .agreementMissing: "银行没有您的代扣协议"
        case .agreementRevoked: "代扣协议已解约"
        case .unknown: "银行未说明原因"
        case .cancelled: "扣款已撤销"
        case .succeeded: "扣款成功"
        }
    }

    /// What the payer should do next (nil: nothing to tell — paid elsewhere, suspended).
    public static func nextStep(_ step: NextStep) -> String? {
        switch step {
        case .retryableNow, .nextCycle: "下次批量扣款时将再次扣款，请保持账户余额充足"
        case .retryFrom(let date): "\(date.month)月\(date.day)日起将再次扣款，请保持账户余额充足"
        case .needsAgreementCorrection: "请携带身份证和银行卡到银行网点或办税服务厅更正代扣协议，或通过办税服务厅、手机 APP 缴纳"
        case .needsNewAgreement: "如需继续代扣，请重新签订三方代扣协议；本期请通过办税服务厅或手机 APP 缴纳"
        case .operatorDecides, .operatorReview, .attemptsExhausted, .agreementInactive: "请通过办税服务厅或手机 APP 缴纳"
        case .paidElsewhere, .suspended: nil
        }
    }

    /// Whether `phone` can take a text message (a mainland mobile number, 11 digits from 13 to 19).
    public static func isMobile(_ phone: String) -> Bool {
        phone.count == 11 && phone.allSatisfy { $0.isASCII && $0.isNumber } && phone.hasPrefix("1") && !["10", "11", "12"].contains(String(phone.prefix(2)))
    }

    /// A month as a notice says it: `2026年12月`.
    public static func month(_ period: Period) -> String { "\(period.year)年\(period.month)月" }

    /// The last four digits of an account: all a notice may show of it.
    public static func accountTail(_ account: BankAccount) -> String { String(account.number.suffix(4)) }
}

extension UseCases {
    /// What planning one kind of notice found and did.
    public struct NoticeRun: Sendable {
        public var kind: NoticeKind
        public var subject: String
        /// The notices made (in a dry run, what would be planned).
        public var notices: [PlannedNotice] = []
        /// People left out for want of a mobile phone number.
        public var noMobile = 0
        /// Failures that need no notice (paid elsewhere, suspended).
        public var settled = 0
        /// The template of the kind is turned off (`enabled: false`): nothing planned.
        public var disabled = false
        /// What the store did (nil in a dry run).
        public var stored: NoticePlanning?
    }

    /// Plans the notices of `kind` into the outbox (nothing stored when `dryRun`):
    /// - `debit_failed`: one per payer whose debit of `period` failed (the latest), with the reason and the next step;
    /// - `debit_succeeded`: one per payer whose debits of `period` succeeded (their total);
    /// - `lapsed`: one per payer whose last `months` months through `period` all failed (断缴提醒);
    /// - `round_reminder`: one per resident still owing for cover year `year`, before the next round.
    public func planNotices(kind: NoticeKind, period: Period?, months: Int, year: Int?, today: CivilDate, dryRun: Bool, actor: String) async throws -> NoticeRun {
        let templates = try NoticeTemplates.load(workspace: workspace)
        guard templates.templates[kind] != nil else {
            throw PikouError("notices.templates", Message(
                zh: "通知模板中没有 \(kind.rawValue)（\(Catalogue.noticeKind(kind).zh)）一段：请从 Formats/notices.yaml 复制到工作目录的 notices.yaml",
                en: "the notice templates have no \(kind.rawValue) section: copy it from Formats/notices.yaml into the workspace's notices.yaml"))
        }
        var run = NoticeRun(kind: kind, subject: "")
        let given = period
        func month() async throws -> Period {
            if let given { return given }
            guard let latest = try await latestMonthlyPeriod() else {
                throw PikouError("notices.plan", Message(zh: "还没有任何批扣文件：用 --period YYYY-MM 指定月份", en: "no debit files yet: give --period YYYY-MM"))
            }
            return latest
        }
        func add(_ id: IDNumber, phone: String, _ values: [String: String]) {
            guard NoticeWords.isMobile(phone) else { run.noMobile += 1; return }
            guard let text = templates.render(kind, values) else { run.disabled = true; return }
            run.notices.append(PlannedNotice(idNumber: id, kind: kind, subject: run.subject, phone: phone, text: text, values: values))
        }
        switch kind {
        case .debitFailed:
            let month = try await month()
            run.subject = month.description
            var latest: [IDNumber: FailureStep] = [:]
            for step in try await failures(FailureFilter(period: month), today: today) where step.record.debitID > (latest[step.record.idNumber]?.record.debitID ?? 0) {
                latest[step.record.idNumber] = step
            }
            let names = workspace.bankNames()
            for step in latest.values.sorted(by: { $0.record.debitID < $1.record.debitID }) {
                let record = step.record
                guard let next = NoticeWords.nextStep(step.next), !record.dues.allSatisfy(\.paidElsewhere) else { run.settled += 1; continue }
                add(record.idNumber, phone: record.phone, [
                    "姓名": record.name, "期间": NoticeWords.month(record.period), "险种": "社会保险", "金额": record.amount.groupedYuanText,
                    "银行": names[record.bank] ?? record.bank, "账号尾号": NoticeWords.accountTail(record.account),
                    "原因": NoticeWords.reason(record.outcome), "下一步": next,
                ])
            }
        case .debitSucceeded:
            let month = try await month()
            run.subject = month.description
            let names = workspace.bankNames()
            for line in try await store.debitSuccesses(period: month) {
                add(line.idNumber, phone: line.phone, [
                    "姓名": line.name, "期间": NoticeWords.month(month), "险种": "社会保险", "金额": line.amount.groupedYuanText,
                    "银行": names[line.bank] ?? line.bank, "账号尾号": line.accountTail,
                ])
            }
        case .lapsed:
            let through = try await month()
            run.subject = through.description
            for line in try await interrupted(months: months, through: through) {
                add(line.idNumber, phone: line.phone, ["姓名": line.name, "期间": NoticeWords.month(through), "月数": String(months), "金额": line.amount.groupedYuanText])
            }
        case .roundReminder:
            let policy = try residentsPolicy(year: year)
            guard today <= policy.windowTo else {
                throw PikouError("notices.plan", Message(
                    zh: "\(policy.year) 年度的集中征缴期已于 \(policy.windowTo) 结束：不再发送缴费提醒（未缴人员见 report --door-to-door 的上门催缴名单）",
                    en: "cover year \(policy.year)'s window closed on \(policy.windowTo): no more reminders (report --door-to-door lists who is still owing)"))
            }
            let round = try await store.residentsRounds(year: policy.year).count + 1
            run.subject = "\(policy.year)-R\(round)"
            let rows = try await store.unpaidResidents(year: policy.year)
            let names = workspace.bankNames()
            var order: [IDNumber] = []
            var byPerson: [IDNumber: [UnpaidResident]] = [:]
            for row in rows {
                if byPerson[row.idNumber] == nil { order.append(row.idNumber) }
                byPerson[row.idNumber, default: []].append(row)
            }
            for id in order {
                guard let owed = byPerson[id], let first = owed.first else { continue }
                let total = try owed.map(\.personal).checkedSum()
                let insurances = Array(Set(owed.map(\.insurance))).sorted { $0.rawValue > $1.rawValue }.map { Catalogue.insurance($0).zh }
                add(id, phone: first.phone, [
                    "姓名": first.name, "年度": String(policy.year), "险种": insurances.joined(separator: "和"), "金额": total.groupedYuanText,
                    "截止日期": "\(policy.windowTo.month)月\(policy.windowTo.day)日",
                    "缴费方式": "可到" + DoorToDoorList.howToPay(first, bankName: { names[$0] ?? $0 }).zh,
                ])
            }
        }
        if run.disabled || dryRun { return run }
        run.stored = try await store.planNotices(run.notices, actor: actor, source: "\(kind.rawValue) \(run.subject)")
        return run
    }

    /// The notices in the outbox `filter` selects.
    public func notices(_ filter: NoticeFilter) async throws -> [NoticeRecord] { try await store.notices(filter) }

    /// Puts failed notices back in the outbox (``ReconStore/requeueFailedNotices(_:actor:)``).
    public func retryFailedNotices(_ filter: NoticeFilter, actor: String) async throws -> Int {
        try await store.requeueFailedNotices(filter, actor: actor)
    }

    /// The outbox counted by kind, subject and state, and the opt-outs by kind.
    public func noticeCounts() async throws -> (counts: [NoticeCount], optOuts: [String: Int]) { try await store.noticeCounts() }

    /// The kinds `idNumber` opted out of (`all` for every kind).
    public func noticeOptOuts(_ idNumber: IDNumber) async throws -> [String] { try await store.noticeOptOuts(idNumber: idNumber) }
}
