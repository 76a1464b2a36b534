public import PikouCore

/// The journal as people read it (审计日志, `pikou payer show`). An entry's action and detail are kept
/// as their writers wrote them — the hash chain covers them, and `pikou check` reads the seals in
/// them — so they are put into words when shown: an action by its name here, a detail by the
/// glossary of the words journal writers use. What is no writer's word (a note an operator typed, a
/// bank's own text, an ID or a hash) is shown as it is.
extension Catalogue {
    /// An action in words: `file.written` → 文件已写出. An action no version of Pikou wrote is shown as it is.
    public static func journalAction(_ action: String) -> Message {
        guard let zh = journalActions[action] else { return Message(zh: action, en: action) }
        return Message(zh: zh, en: action)
    }

    /// The actions' names, for a choice of them (审计日志's filter): action → Chinese name.
    public static let journalActions: [String: String] = [
        "roster.import": "导入名册",
        "payments.import": "登记其他渠道缴费",
        "groups.import": "导入特殊群体名单",
        "dues.plan": "计划欠费",
        "dues.reprice": "重新核定欠费",
        "file.reserve": "预留扣款文件",
        "file.written": "扣款文件已写出",
        "file.sealed": "封印扣款文件",
        "file.released": "放弃预留文件",
        "file.cancelled": "撤销扣款文件（止付）",
        "return.ingest": "回盘入账",
        "return.sealed": "封印回盘文件",
        "return.undone": "撤销回盘入账",
        "exception.resolve": "办结异常",
        "exception.reopen": "重新打开异常",
        "exception.confirm": "按银行确认的结果入账",
        "agreement.update": "更正协议",
        "agreement.revoke": "撤销协议",
        "agreement.move": "变更协议银行",
        "enrollment.update": "更正参保",
        "household.update": "更正户号或与户主关系",
        "notices.plan": "生成短信通知",
        "notices.export": "导出短信通知",
        "notices.send": "发送短信通知",
        "notices.retry": "重发失败的短信通知",
        "notice.optout": "退订通知",
        "notice.optin": "恢复接收通知",
        "statement.ingest": "读入账户对账单",
        "treasury.ingest": "读入国库对账文件",
        "refund.write": "写出退费文件",
        "refund.ingest": "读入退费回盘",
        "afterbank.review": "复核到账与入库异常",
        "certificate.issue": "开具缴费凭证",
        "keys.import": "导入银行证书",
        "failure.note": "失败扣款备注",
        "console.login": "登录工作台",
        "console.logout": "退出工作台",
        "console.download": "工作台下载",
        "console.user.add": "新增用户",
        "console.user.passwd": "重设密码",
        "console.user.totp": "设置两步验证",
        "console.user.disable": "停用用户",
        "console.user.enable": "启用用户",
        "console.user.sealed": "封印用户",
    ]

    /// A detail in the reader's language: in Chinese, every journal writer's word put into Chinese
    /// (`5 debits, 5836.96 yuan` → `5 笔扣款, 5836.96 元`); in English, as written.
    public static func journalDetail(_ detail: String) -> Message {
        Message(zh: JournalGlossary.chinese(detail), en: detail)
    }
}

extension Catalogue {
    /// An enrollment's tier as people say it: `standard` (medical's one tier) → 标准档; a pension
    /// tier (its percentage of the base, or a residents' yearly amount) as it is.
    public static func tierName(_ tier: String) -> Message {
        tier == "standard" ? Message(zh: "标准档", en: "standard") : Message(zh: tier, en: tier)
    }

    /// `pikou bank simulate`'s line for each return file it wrote.
    public static func simulatedReturn(_ path: String, lines: Int, yuan: String) -> Message {
        Message(zh: "\(path)：\(lines) 笔，\(yuan) 元", en: "\(path): \(lines) lines, \(yuan) yuan")
    }

    /// A bank named on the command line that the workspace does not enable.
    public static func bankNotEnabled(_ bank: String, config: String) -> Message {
        Message(zh: "银行 \(bank) 未在 \(config) 中启用", en: "bank \(bank) is not enabled in \(config)")
    }

    // MARK: pikou formats list

    public static let formatEncoding = Message(zh: "编码", en: "ENCODING")
    public static let formatDebit = Message(zh: "扣款文件", en: "DEBIT")
    public static let formatReturn = Message(zh: "回盘文件", en: "RETURN")
    public static let formatMaxPerFile = Message(zh: "每文件笔数上限", en: "MAX/FILE")
    public static let formatSignature = Message(zh: "签名", en: "SIGNATURE")
    public static let fixedWidth = Message(zh: "定长", en: "fixed")
    public static let unsigned = Message(zh: "不签名", en: "none")

    public static func delimitedBy(_ separator: String) -> Message {
        Message(zh: "分隔符 '\(separator)'", en: "delimited'\(separator)'")
    }

    /// Where a file's signature is: beside it, in its last line, inside the XML.
    public static func signaturePlacement(_ placement: String) -> Message {
        switch placement {
        case "detached": Message(zh: "（.sig 文件）", en: "/detached")
        case "trailer": Message(zh: "（文件尾行）", en: "/trailer")
        default: Message(zh: "（XML 内）", en: "/\(placement)")
        }
    }

    public static func formatInvalid(_ path: String) -> Message {
        Message(zh: "格式定义有误：运行 `pikou formats check \(path)`", en: "invalid: run `pikou formats check \(path)`")
    }

    // MARK: results operators confirmed with the banks

    public static func confirmedByOperators(succeeded: Int, succeededYuan: String, failed: Int, failedYuan: String) -> Message {
        Message(zh: "其中经办人员向银行核实后确认：成功 \(succeeded) 笔 \(succeededYuan) 元，失败 \(failed) 笔 \(failedYuan) 元（见异常处理）",
                en: "of which operators confirmed with the banks: \(succeeded) succeeded, \(succeededYuan) yuan; \(failed) failed, \(failedYuan) yuan (see the exceptions)")
    }

    public static func exceptionConfirmed(id: Int64, place: String, outcome: Message, actor: String) -> Message {
        Message(zh: "异常 \(id)（\(place)）已由 \(actor) 按银行确认的结果办结：\(outcome.zh)；该笔扣款按此入账",
                en: "exception \(id) (\(place)) resolved by \(actor) with the result the bank confirmed: \(outcome.en); the debit is closed by it")
    }

    public static let confirmNeedsReason = Message(zh: "请写明核实的情况（与银行哪位、何时确认），2 至 200 字",
                                                   en: "say how it was confirmed (with whom at the bank, when), 2 to 200 characters")
    public static let confirmNeedsOutcome = Message(zh: "请选择银行确认的结果：成功，或失败的原因",
                                                    en: "choose the result the bank confirmed: succeeded, or why it failed")

    /// A file written by a command that prints nothing else.
    public static func bytesWritten(_ path: String, bytes: Int) -> Message {
        Message(zh: "已写出 \(path)：\(bytes) 字节", en: "\(path): \(bytes) bytes")
    }

    /// Where a payment made outside the debit was paid (the payments file's `channel`).
    public static func paymentChannel(_ channel: String) -> Message {
        switch channel {
        case "app": Message(zh: "手机 App", en: "app")
        case "counter": Message(zh: "柜面", en: "counter")
        case "etax": Message(zh: "电子税务局", en: "etax")
        case "bank": Message(zh: "银行网点", en: "bank")
        case "other": Message(zh: "其他", en: "other")
        default: Message(zh: channel, en: channel)
        }
    }
}

/// The words journal writers use (Sources/ReconStore/Ledger, the CLI's users and keys commands, the
/// console), longest first, each whole (never inside a longer word).
enum JournalGlossary {
    static let words: [(String, String)] = [
        ("reserved, never written", "已预留未写出"),
        ("their dues to plan again", "其欠费重新计划"),
        ("as the users file holds it", "按用户文件现状"),
        ("agreement revoked", "协议已撤销"),
        ("reason", "原因"),
        ("confirmed", "经核实确认"),
        ("confirmations", "确认的结果"),
        ("already there", "已在名单"),
        ("for a difference", "笔补差额"),
        ("re-priced", "笔重新核定"),
        ("residents-annual", "城乡居民两险"),
        ("flexible-monthly", "灵活就业按月缴费"),
        ("no rows", "无名单行"),
        ("dues planned", "笔欠费已计划"),
        ("dues repriced", "笔欠费已重新核定"),
        ("payments recorded", "笔缴费已登记"),
        ("new password", "新密码"),
        ("given up", "已放弃"),
        ("valid to", "有效期至"),
        ("debit file", "扣款文件"),
        ("return file", "回盘文件"),
        ("rows", "行"),
        ("lines", "行"),
        ("bytes", "字节"),
        ("file", "文件"),
        ("debits", "笔扣款"),
        ("yuan", "元"),
        ("succeeded", "成功"),
        ("failed", "失败"),
        ("exceptions", "异常"),
        ("exception", "异常"),
        ("was", "原为"),
        ("account", "账号"),
        ("name", "户名"),
        ("role", "角色"),
        ("user", "用户"),
        ("off", "关闭"),
        ("on", "开启"),
        ("from", "来自"),
        ("cycle", "批扣"),
        ("resubmit", "重扣"),
        ("payers", "缴费人"),
        ("agreements", "协议"),
        ("enrollments", "参保"),
        ("dues", "欠费"),
        ("resident_dues", "居民欠费"),
        ("payments", "缴费"),
        ("group_memberships", "群体名单"),
        ("households", "户号关联"),
        ("notices planned", "条通知已生成"),
        ("already planned", "条已生成过"),
        ("opted out", "人已退订"),
        ("notices exported", "条通知已导出"),
        ("notices sent", "条通知已发送"),
        ("failed notices planned again", "条发送失败的通知已放回待发送"),
        ("confirmed delivered before", "条此前已送达（经短信平台确认）"),
        ("to retry", "条留待重发"),
        ("gateway", "短信网关"),
        ("debit_failed", "扣款失败"),
        ("debit_succeeded", "扣款成功"),
        ("round_reminder", "居民缴费提醒"),
        ("lapsed", "断缴提醒"),
        ("all", "全部"),
        ("household", "户号"),
        ("relation", "与户主关系"),
        ("added", "新增"),
        ("removed", "移出"),
        ("unchanged", "未变"),
        ("operator", "经办人员"),
        ("finance", "财务"),
        ("auditor", "审计"),
        ("admin", "管理员"),
        ("notice", "公示清册"),
        ("failures", "失败明细"),
        ("interrupted", "断缴提醒名单"),
        ("refunds", "退费清册"),
        ("debit", "扣款"),
        ("return", "回盘"),
        ("cancel", "撤销"),
        ("refused", "笔拒绝"),
        ("round", "轮次"),
        ("residents", "城乡居民"),
        ("pension", "养老保险"),
        ("medical", "医疗保险"),
        ("tier", "档次"),
        ("standard", "标准档"),
        ("suspended", "暂停"),
        ("at", "于"),
        ("new", "新"),
        ("digest", "摘要"),
        ("statement_entry", "对账单明细"),
        ("treasury_line", "国库对账明细"),
    ] + ExceptionKind.allCases.map { ($0.rawValue, Catalogue.exceptionKind($0).zh) }
      + EntryState.allCases.map { ($0.rawValue, AfterBankCatalogue.entryState($0.rawValue).zh) }
      + TreasuryState.allCases.map { ($0.rawValue, AfterBankCatalogue.treasuryState($0.rawValue).zh) }
      + Outcome.allCases.map { ($0.rawValue, $0.label) }
      + RefundState.allCases.map { ($0.rawValue, RefundCatalogue.state($0.rawValue).zh) }

    static let table: [String: String] = Dictionary(words, uniquingKeysWith: { first, _ in first })

    /// `detail` with each glossary word in Chinese; every other character as it is.
    static func chinese(_ detail: String) -> String {
        var result = ""
        var index = detail.startIndex
        while index < detail.endIndex {
            guard detail[index].isASCII && detail[index].isLetter else {
                result.append(detail[index])
                index = detail.index(after: index)
                continue
            }
            // The longest glossary phrase starting here and ending at a word's end.
            let wordEnd = detail[index...].firstIndex { !($0.isASCII && ($0.isLetter || $0 == "_")) } ?? detail.endIndex
            var matched: (String, String.Index)?
            let startsWord = index == detail.startIndex || !detail[detail.index(before: index)].isASCII
                || !(detail[detail.index(before: index)].isLetter || detail[detail.index(before: index)].isNumber)
            for (english, zh) in words where startsWord && detail[index...].hasPrefix(english) {
                let end = detail.index(index, offsetBy: english.count)
                let endsWord = end == detail.endIndex || !(detail[end].isASCII && (detail[end].isLetter || detail[end] == "_" || detail[end].isNumber))
                if endsWord, english.count > (matched.map { detail.distance(from: index, to: $0.1) } ?? 0) { matched = (zh, end) }
            }
            if let (zh, end) = matched {
                result += zh
                index = end
            } else {
                result += detail[index..<wordEnd]
                index = wordEnd
            }
        }
        return result
    }
}
