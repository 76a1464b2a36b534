public import PikouCore

/// The catalogue's entries for the cycle's own types.
extension Catalogue {
    /// Why a due was left out of a file.
    public static func exclusion(_ reason: Exclusion) -> Message {
        switch reason {
        case .paidElsewhere: Message(zh: "已在其他渠道缴费", en: "paid elsewhere")
        case .alreadyPending: Message(zh: "已在扣款中", en: "already pending")
        case .triedThisCycle: Message(zh: "本期已扣过", en: "tried this cycle")
        case .suspended: Message(zh: "已停保", en: "suspended")
        case .agreementRevoked: Message(zh: "协议已撤销", en: "agreement revoked")
        case .noAgreement: Message(zh: "无协议", en: "no agreement")
        case .terminalFailure: Message(zh: "待更正协议", en: "terminal failure")
        case .awaitingOperator: Message(zh: "待人工判断", en: "awaiting operator")
        case .preflight: Message(zh: "预检未通过", en: "pre-flight failed")
        case .bankNotEnabled: Message(zh: "银行未启用", en: "bank not enabled")
        case .overFileLimit: Message(zh: "超出文件上限", en: "over file limit")
        }
    }

    /// What happens next to a failed debit.
    public static func nextStep(_ step: RetryPolicy.NextStep) -> Message {
        switch step {
        case .retryableNow: Message(zh: "可立即重扣", en: "retryable now")
        case .retryFrom(let date): Message(zh: "\(date.year)年\(date.month)月\(date.day)日起可重扣", en: "retryable from \(date)")
        case .nextCycle: Message(zh: "下期扣款", en: "next cycle")
        case .needsAgreementCorrection: Message(zh: "需更正协议", en: "needs agreement correction")
        case .operatorDecides: Message(zh: "需人工判断", en: "operator decides")
        case .operatorReview: Message(zh: "需人工核实返回码", en: "operator review")
        case .attemptsExhausted: Message(zh: "重扣次数已满", en: "attempts exhausted")
        case .paidElsewhere: Message(zh: "已在其他渠道缴费", en: "paid elsewhere")
        case .agreementInactive: Message(zh: "协议已撤销", en: "agreement revoked")
        case .suspended: Message(zh: "已停保", en: "suspended")
        }
    }

    public static let preflightFailed = Message(zh: "预检未通过", en: "pre-flight failed")

    // MARK: cycle run

    public static func cycleHeadline(_ period: Period, dryRun: Bool, planned: Int) -> Message {
        Message(zh: "\(period.chinese)扣款\(dryRun ? "（试算：未预留、未写出任何文件）" : "")：新计划欠费 \(planned) 笔",
                en: "cycle \(period)\(dryRun ? " (dry run: nothing reserved or written)" : ""): \(planned) new dues planned")
    }

    public static let payers = Message(zh: "缴费人数", en: "PAYERS")
    public static let files = Message(zh: "文件数", en: "FILES")
    public static let excludedCountDues = Message(zh: "（排除的各列按欠费笔数计）", en: "(excluded columns count dues)")

    public static func wrote(_ path: String) -> Message { Message(zh: "已写出 \(path)", en: "wrote \(path)") }

    public static func nothingNew(_ period: Period) -> Message {
        Message(zh: "没有新文件：\(period.chinese)可扣的欠费都已在文件中", en: "no new file: every collectable due of \(period) is already in a file")
    }

    // MARK: resubmit

    public static func resubmitHeadline(dryRun: Bool, lines: Int, yuan: String) -> Message {
        Message(zh: "重扣\(dryRun ? "（试算）" : "")：\(lines) 笔，\(yuan) 元", en: "resubmit\(dryRun ? " (dry run)" : ""): \(lines) lines, \(yuan) yuan")
    }

    public static let takenConcurrently = Message(
        zh: "（同时运行的另一次重扣先取走了部分欠费）", en: "(another resubmission running at the same time took some dues first)")
}
