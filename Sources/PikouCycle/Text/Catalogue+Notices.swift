public import PikouCore

/// The catalogue's entries for notices to payers (短信通知).
extension Catalogue {
    public static func noticeKind(_ kind: NoticeKind) -> Message {
        switch kind {
        case .debitFailed: Message(zh: "扣款失败", en: "debit failed")
        case .lapsed: Message(zh: "断缴提醒", en: "lapsed")
        case .roundReminder: Message(zh: "居民缴费提醒", en: "residents' reminder")
        case .debitSucceeded: Message(zh: "扣款成功", en: "debit succeeded")
        }
    }

    /// Why a notice was failed without being sent again: the gateway could not say whether its
    /// earlier attempt arrived.
    public static func noticeNotResent(_ why: String) -> Message {
        Message(zh: "无法向短信平台核实上次发送是否送达，为免重复不再发送：\(why)",
                en: "the SMS platform could not say whether the last attempt arrived; not sent again lest it arrive twice: \(why)")
    }

    public static func noticeUncheckable(days: Int) -> Message {
        Message(zh: "上次发送已超过 \(days) 天，短信平台查不到", en: "the last attempt is more than \(days) days old; the platform keeps no record that far back")
    }

    public static func noticeTriedOut(_ attempts: Int) -> Message {
        Message(zh: "已发送 \(attempts) 次仍无结果，不再发送", en: "no answer after \(attempts) attempts; not sent again")
    }

    public static func noticeWithoutValues(_ variable: String) -> Message {
        Message(zh: "这条通知生成时没有保存模板变量（\(variable)）：不能按平台模板发送，请用 pikou notify export 导出后由本单位平台发送",
                en: "this notice was planned without its template's variables (\(variable)): it cannot go as the platform's template; export it with pikou notify export")
    }

    /// Every kind with its Chinese name, for help and errors: `debit_failed（扣款失败）、…`.
    public static var noticeKinds: Message {
        Message(zh: NoticeKind.allCases.map { "\($0.rawValue)（\(noticeKind($0).zh)）" }.joined(separator: "、"),
                en: NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))
    }

    public static func noticeState(_ state: NoticeState) -> Message {
        switch state {
        case .planned: Message(zh: "待发送", en: "planned")
        case .sent: Message(zh: "已发送", en: "sent")
        case .failed: Message(zh: "发送失败", en: "failed")
        case .exported: Message(zh: "已导出", en: "exported")
        }
    }

    public static let noticeKindColumn = Message(zh: "通知类型", en: "kind")
    public static let noticeSubjectColumn = Message(zh: "期间/轮次", en: "period/round")
    public static let noticeTextColumn = Message(zh: "短信内容", en: "text")
    public static let exportPhone = Message(zh: "手机号码", en: "mobile")
    public static let exportText = Message(zh: "短信内容", en: "text")
    public static let noticesSheet = Message(zh: "短信通知", en: "notices")

    /// What `pikou notify plan` did, line by line.
    public static func noticesPlanned(kind: NoticeKind, subject: String, made: Int, planning: NoticePlanning?, noMobile: Int, settled: Int, disabled: Bool) -> [Message] {
        let name = noticeKind(kind)
        if disabled {
            return [Message(zh: "\(name.zh)通知在模板中已关闭（enabled: false）：未生成", en: "\(name.en) notices are turned off in the templates (enabled: false): none planned")]
        }
        var lines: [Message] = []
        if let planning {
            lines.append(Message(zh: "\(name.zh)（\(subject)）：新增 \(planning.planned) 条待发送，已有 \(planning.already) 条，\(planning.optedOut) 人已退订",
                                 en: "\(name.en) (\(subject)): \(planning.planned) planned, \(planning.already) already planned, \(planning.optedOut) opted out"))
            if planning.unknown > 0 {
                lines.append(Message(zh: "  对账库中没有的缴费人：\(planning.unknown) 人", en: "  payers the store does not have: \(planning.unknown)"))
            }
        } else {
            lines.append(Message(zh: "\(name.zh)（\(subject)）：将生成 \(made) 条（试运行，未保存）", en: "\(name.en) (\(subject)): \(made) would be planned (dry run, nothing stored)"))
        }
        if noMobile > 0 {
            lines.append(Message(zh: "  没有手机号码、无法发短信：\(noMobile) 人（请在名册中补充手机号码）",
                                 en: "  without a mobile number, no text possible: \(noMobile) (add mobile numbers to the roster)"))
        }
        if settled > 0 {
            lines.append(Message(zh: "  已在其他渠道缴纳或已停保、无需通知：\(settled) 人", en: "  paid elsewhere or suspended, no notice needed: \(settled)"))
        }
        return lines
    }

    public static func noGateway(_ config: String) -> Message {
        Message(zh: "\(config)：没有短信网关（notify.gateway: {url, token_file}）：请先配置，或用 pikou notify export 交本单位的平台发送",
                en: "\(config): no SMS gateway (notify.gateway: {url, token_file}): set one, or hand the notices to the office's platform with pikou notify export")
    }

    /// What `pikou notify send` did.
    public static func noticesSent(sent: Int, confirmed: Int = 0, failed: Int, later: Int, quiet: Bool, stopped: String?, reasons: [String]) -> [Message] {
        if quiet { return [Message(zh: "现在是免打扰时段（notices.yaml 的 quiet_hours）：未发送，到点后再运行", en: "quiet hours (quiet_hours in notices.yaml): nothing sent; run again after them")] }
        var lines = [Message(zh: "已发送 \(sent) 条，发送失败 \(failed) 条，留待下次 \(later) 条", en: "\(sent) sent, \(failed) failed, \(later) to retry")]
        if confirmed > 0 {
            lines.append(Message(zh: "  其中 \(confirmed) 条上次已送达网关（向网关查询确认），未重复发送",
                                 en: "  of them \(confirmed) had reached the gateway on the last run (asked and confirmed), not sent again"))
        }
        if let stopped {
            lines.append(Message(zh: "错误：短信网关拒绝了本机的设置，已停止：\(stopped)；请检查 notify.gateway 的地址和令牌（阿里云短信还要检查 notices.yaml 的 template_code）",
                                 en: "error: the gateway refused this setting, stopped: \(stopped); check notify.gateway's address and token (for 阿里云短信 also template_code in notices.yaml)"))
        }
        lines += reasons.map { Message(zh: "  \($0)", en: "  \($0)") }
        return lines
    }

    public static func noticesRetried(_ count: Int) -> Message {
        count == 0 ? Message(zh: "没有符合条件的发送失败的通知", en: "no failed notices to retry")
            : Message(zh: "已将 \(count) 条发送失败的通知放回待发送：用 pikou notify send 发送", en: "\(count) failed notices planned again: pikou notify send sends them")
    }

    /// A list's count line: `共 12 条`.
    public static func countLine(_ count: Int) -> Message { Message(zh: "共 \(count) 条", en: "\(count) in all") }

    public static func noticesExported(_ count: Int, path: String) -> Message {
        count == 0 ? Message(zh: "没有待发送的通知可导出", en: "no planned notices to export")
            : Message(zh: "已导出 \(count) 条通知到 \(path)（含完整手机号码，权限 0600）；这些通知由本单位的平台发送，Pikou 不再发送",
                      en: "\(count) notices exported to \(path) (whole mobile numbers, mode 0600); the office's platform sends them, Pikou never will")
    }

    public static func noticeOptOut(_ masked: String, kind: NoticeKind?, optedOut: Bool, changed: Bool) -> Message {
        let what = kind.map { noticeKind($0) } ?? Message(zh: "所有", en: "all")
        guard changed else {
            return optedOut ? Message(zh: "\(masked) 已退订\(what.zh)通知，无变化", en: "\(masked) had opted out of \(what.en) notices already")
                : Message(zh: "\(masked) 没有退订\(what.zh)通知，无变化", en: "\(masked) had not opted out of \(what.en) notices")
        }
        return optedOut ? Message(zh: "\(masked) 已退订\(what.zh)通知：此后不再生成", en: "\(masked) opted out of \(what.en) notices: none planned from now on")
            : Message(zh: "\(masked) 已恢复接收\(what.zh)通知", en: "\(masked) takes \(what.en) notices again")
    }
}
