public import PikouCore

/// What the money after the bank says to people: statements, the treasury's reconciliation, the four legs.
public enum AfterBankCatalogue {
    static func noStatementLayout(_ code: String) -> Message {
        Message(zh: "\(code) 的规格没有对账单版式（statement）：在 Formats/banks/\(code).yaml 中加一节 statement，或用 --format ISO20022 按 camt.053/054 读取",
                en: "\(code)'s spec has no statement layout: add a statement section to Formats/banks/\(code).yaml, or read camt.053/054 with --format ISO20022")
    }
    static let noStatementDate = Message(zh: "文件没有给出日期（头记录的 file_date，或明细的 value_date）", en: "the file gives no date (file_date in its header, or value_date on its lines)")
    static func notAuthority(_ code: String) -> Message {
        Message(zh: "\(code) 不是国库对账规格（Formats/treasury/ 下以 authority: 开头的文件）", en: "\(code) is not a treasury spec (a file under Formats/treasury/ starting with authority:)")
    }
    static func unknownTreasuryBank(_ code: String, known: [String]) -> Message {
        Message(zh: "对账文件所列银行 '\(code)' 未在本工作区启用（已启用：\(known.joined(separator: "、"))）",
                en: "the reconciliation's bank '\(code)' is not enabled in this workspace (enabled: \(known.joined(separator: ", ")))")
    }

    /// An entry state as finance says it.
    public static func entryState(_ state: String) -> Message {
        switch EntryState(rawValue: state) {
        case .settled: Message(zh: "已到账", en: "settled")
        case .short: Message(zh: "短款", en: "short")
        case .over: Message(zh: "长款", en: "over")
        case .late: Message(zh: "迟到账", en: "late")
        case .unmatched: Message(zh: "无法匹配", en: "unmatched")
        case .ambiguous: Message(zh: "匹配不唯一", en: "ambiguous")
        case .reversed: Message(zh: "冲正", en: "reversed")
        case .other, nil: Message(zh: "其他", en: "other")
        }
    }

    /// A treasury state as finance says it.
    public static func treasuryState(_ state: String) -> Message {
        switch TreasuryState(rawValue: state) {
        case .same: Message(zh: "双方成功，金额一致", en: "both succeeded, same amount")
        case .different: Message(zh: "双方成功，金额不一致", en: "both succeeded, different amount")
        case .oursOnly: Message(zh: "我方成功，国库无记录", en: "ours only: the treasury has no record")
        case .theirsOnly: Message(zh: "国库成功，我方无成功记录", en: "theirs only: we have no success")
        case .bothFailed: Message(zh: "双方失败", en: "both failed")
        case .refunded: Message(zh: "已退库，与退费一致", en: "refunded, as our refund")
        case .refundDifferent: Message(zh: "退库金额与退费不一致", en: "refunded, a different amount than our refund")
        case .refundTheirsOnly: Message(zh: "国库退库，我方无退费记录", en: "refunded by the treasury, no refund of ours")
        case .refundOursOnly: Message(zh: "我方已退费，国库无退库记录", en: "our refund paid, the treasury has no record")
        case nil: Message(zh: "未知", en: "unknown")
        }
    }

    public static func recorded(_ path: String, kind: Message, bank: String, date: CivilDate) -> Message {
        Message(zh: "\(path)：已记录\(kind.zh)（\(bank)，\(date)）", en: "\(path): \(kind.en) recorded (\(bank), \(date))")
    }
    public static func alreadyRecorded(_ path: String) -> Message {
        Message(zh: "\(path)：此前已记录（同一摘要），未作改动", en: "\(path): recorded before (same digest); nothing changed")
    }
    public static func simulated(_ path: String, lines: Int) -> Message {
        Message(zh: "\(path)：\(lines) 行", en: "\(path): \(lines) lines")
    }
    static func otherAccount(_ account: String, expected: String) -> Message {
        Message(zh: "对账单的账户是 \(Masking.account(account))，不是本单位在该行的收款账户 \(Masking.account(expected))（pikou.yaml 的 collector_account）",
                en: "the statement is of account \(Masking.account(account)), not the collection account at this bank, \(Masking.account(expected)) (collector_account in pikou.yaml)")
    }
    public static let statementKind = Message(zh: "账户对账单", en: "account statement")
    public static let treasuryKind = Message(zh: "国库对账文件", en: "treasury reconciliation")
    public static func reviewed(_ id: String, changed: Bool) -> Message {
        changed ? Message(zh: "\(id)：已记下复核意见", en: "\(id): review recorded")
            : Message(zh: "\(id)：此前已复核，未作改动", en: "\(id): reviewed before; nothing changed")
    }
    public static let legsHeading = Message(zh: "三方对账（钱表相符：应扣清单 = 银行回盘 = 账户到账 = 国库入库）",
                                            en: "Three-way reconciliation (listed = bank results = account credits = treasury booked)")
    public static let columns = [
        Message(zh: "银行", en: "Bank"), Message(zh: "应扣", en: "Listed"), Message(zh: "银行扣款成功", en: "Bank succeeded"),
        Message(zh: "账户到账", en: "Credited"), Message(zh: "国库入库", en: "Booked"), Message(zh: "回盘", en: "Results"),
        Message(zh: "到账", en: "Account"), Message(zh: "入库", en: "Treasury"), Message(zh: "结论", en: "Chain"),
    ]
    public static let exceptionColumns = [
        Message(zh: "编号", en: "ID"), Message(zh: "银行", en: "Bank"), Message(zh: "日期", en: "Date"), Message(zh: "状态", en: "State"),
        Message(zh: "金额", en: "Amount"), Message(zh: "参考号/证件号", en: "Reference / ID"), Message(zh: "处理", en: "Review"),
    ]
    public static let exceptionsHeading = Message(zh: "到账与入库异常", en: "Account and treasury exceptions")
    public static let noExceptions = Message(zh: "（无）", en: "(none)")
    public static let reviewedMark = Message(zh: "已复核", en: "reviewed")
    public static let openMark = Message(zh: "待处理", en: "open")
    /// The whole chain's verdict, as the report's last line says it.
    public static func verdictLine(_ state: MoneyCheck.State) -> Message {
        Message(zh: "全链条（应扣、回盘、到账、入库）：\(state.label.zh)", en: "The whole chain (listed, results, credits, booked): \(state.label.en)")
    }
    static func nothingToCertify(_ idNumber: IDNumber, scope: String) -> Message {
        Message(zh: "缴费人 \(idNumber.masked) 在 \(scope) 没有扣款成功的记录，无可开具的缴费凭证", en: "payer \(idNumber.masked) has no succeeded debit in \(scope): no certificate to issue")
    }
    public static let awaitingTreasury = Message(zh: "待国库对账", en: "awaiting the treasury")
    public static func certificateWritten(_ path: String, code: String, entries: Int, total: String) -> Message {
        Message(zh: "\(path)：缴费凭证（\(entries) 笔，合计 \(total) 元），验证码 \(code)", en: "\(path): payment certificate (\(entries) debits, \(total) yuan), code \(code)")
    }
    public static func certificateValid(_ certificate: PaymentCertificate) -> Message {
        let total = certificate.total?.groupedYuanText ?? "—"
        return Message(zh: "验证码有效：缴费人 \(Masking.name(certificate.payer.name))（\(certificate.payer.idNumber.masked)），所属期 \(certificate.scope)，\(certificate.entries.count) 笔，合计 \(total) 元",
                       en: "valid: payer \(Masking.name(certificate.payer.name)) (\(certificate.payer.idNumber.masked)), \(certificate.scope), \(certificate.entries.count) debits, \(total) yuan")
    }
    public static let certificateInvalid = Message(
        zh: "验证码无效：不是本系统开具的缴费凭证、输入有误，或开具后该缴费人的扣款记录已更正（请重新开具）",
        en: "not valid: not a certificate this system issued, mistyped, or issued before the payer's debits were corrected (issue it again)")
    public static let noLegs = Message(zh: "该期没有已写出的扣款文件", en: "no debit file of the period was written")
}
