import PikouCycle
import PikouCore

/// `pikou notify`: notices to payers, their help in both languages.
extension Catalogue.Help {
    static let notify = Message(zh: "给缴费人的短信通知：按扣款结果和清册生成，导出给本单位的短信平台，记录退订。",
                                en: "Text messages to payers: planned from results and lists, exported for the office's SMS platform, opt-outs recorded.")
    static let notifyDiscussion = Message(
        zh: """
            通知先生成到对账库的发件箱（待发送），同一缴费人、同一种通知、同一期间（或轮次）最多一条：
            重复运行不会重复通知。模板在工作目录的 notices.yaml（没有时用 Formats/notices.yaml），中文，
            不能写出完整的证件号或账号。没有手机号码的人、已在其他渠道缴纳的、已退订的，不生成通知。
            例：
              pikou notify plan --kind debit_failed --period 2026-12 --workspace WS
              pikou notify plan --kind lapsed --months 2 --period 2026-12 --workspace WS
              pikou notify plan --kind round_reminder --year 2027 --date 2026-11-10 --workspace WS
              pikou notify opt-out 身份证号 --kind lapsed --workspace WS
              pikou notify list --state planned --workspace WS
              pikou notify export --out 2026-12-notices.xlsx --workspace WS
            """,
        en: """
            Notices go into the store's outbox first (planned); one payer gets at most one of a kind for one
            period (or round): running again notifies nobody twice. The templates are the workspace's
            notices.yaml (else Formats/notices.yaml), in Chinese, and may not print a whole ID or account.
            Nobody without a mobile number, nobody who paid elsewhere and nobody who opted out gets one.
            For example:
              pikou notify plan --kind debit_failed --period 2026-12 --workspace WS
              pikou notify plan --kind lapsed --months 2 --period 2026-12 --workspace WS
              pikou notify plan --kind round_reminder --year 2027 --date 2026-11-10 --workspace WS
              pikou notify opt-out ID --kind lapsed --workspace WS
              pikou notify list --state planned --workspace WS
              pikou notify export --out 2026-12-notices.xlsx --workspace WS
            """)
    static let notifyPlan = Message(zh: "生成一种通知到发件箱：扣款失败或扣款成功（某月）、断缴提醒（连续 N 月）、城乡居民缴费提醒（下一轮前）。",
                                    en: "Plan one kind of notice into the outbox: debit failed or succeeded (a month), lapsed (N months in a row), residents' reminder (before the next round).")
    static let notifySend = Message(zh: "把待发送的通知经短信网关（pikou.yaml 的 notify.gateway）发出：按模板限速，免打扰时段不发。",
                                    en: "Send the planned notices through the SMS gateway (notify.gateway in pikou.yaml): at the templates' rate, never in the quiet hours.")
    static let notifySendDiscussion = Message(
        zh: """
            每条通知有固定的客户端编号（client_ref，生成时给定，全局唯一）：超时、网关繁忙或进程中断后再运行，
            同一条通知以同一编号重发；通用网关须按该编号去重（请与短信平台确认），才能保证只发一次。
            阿里云短信（notify.gateway.type: aliyun）不按编号去重：上次未得到回答的通知，先向平台查询
            （QuerySendDetails，编号即 OutId）是否已送达，已送达的记为已发送，不再重发；每种通知须在
            notices.yaml 写平台审核通过的 template_code 和 params。
            网关拒绝的（如空号）记为发送失败并保留原因；网关繁忙或连不上的留待下次运行，最多试 3 次。
            令牌（阿里云：AccessKey Secret）放在 notify.gateway.token_file 指定的文件（权限 0600），不写进 pikou.yaml。
            例：
              pikou notify send --workspace WS
              pikou notify send --limit 100 --workspace WS
            退出码：0 全部发出（或免打扰时段、无待发送）；2 有发送失败或留待下次的；1 网关设置有误（令牌、地址、模板代码）。
            """,
        en: """
            Each notice has one client reference (given at planning, unique): after a timeout, a busy gateway or
            an interrupted run, the next run sends it again under the same reference; a generic gateway must
            dedup by it (ask the SMS platform) for the notice to go once. 阿里云短信 (notify.gateway.type:
            aliyun) does not: a notice whose last attempt got no answer is looked up first (QuerySendDetails,
            the reference being its OutId) and recorded as sent when it arrived; each kind then needs the
            platform's approved template_code and its params in notices.yaml. A notice the
            gateway refuses (an empty number) is failed with its reason; one it could not take waits for the
            next run, three tries at most. The token lives in notify.gateway.token_file (mode 0600), never in
            pikou.yaml (for 阿里云, the AccessKey secret). For example:
              pikou notify send --workspace WS
              pikou notify send --limit 100 --workspace WS
            Exit status: 0 all sent (or quiet hours, or nothing to send); 2 some failed or wait;
            1 the gateway's setting is wrong (token, address, template code).
            """)
    static let notifyRetry = Message(zh: "把发送失败的通知放回待发送（如缴费人更换了手机号码、平台的问题已解决）。",
                                     en: "Put failed notices back in the outbox (a payer gave a new number, the platform's problem is fixed).")
    static let notifyRetryDiscussion = Message(
        zh: """
            只处理“发送失败”的通知；放回后尝试次数清零，最近的失败原因保留，用 pikou notify send 发送。
            注意：因“无法核实上次是否送达”而失败的通知，放回前请先在短信平台确认它没有送达，以免重复。
            例：
              pikou notify retry --kind debit_failed --subject 2026-12 --workspace WS
            """,
        en: """
            Only failed notices; their attempts start again from nought and their last reason is kept;
            pikou notify send sends them. A notice failed because the platform could not say whether it
            arrived should be checked on the platform first, lest it arrive twice. For example:
              pikou notify retry --kind debit_failed --subject 2026-12 --workspace WS
            """)
    static let notifyList = Message(zh: "列出发件箱中的通知（手机号码、证件号已脱敏）。", en: "List the outbox's notices (mobile numbers and IDs masked).")
    static let notifyExport = Message(zh: "把待发送的通知导出为 CSV 或 XLSX，交本单位的短信平台发送；导出的通知 Pikou 不再发送。",
                                      en: "Export the planned notices as CSV or XLSX for the office's SMS platform; Pikou never sends what it exported.")
    static let notifyOptOut = Message(zh: "记录缴费人退订某种（或全部）通知。", en: "Record that a payer refuses a kind of notice (or all).")
    static let notifyOptIn = Message(zh: "取消缴费人的退订。", en: "Take a payer's refusal back.")
}

extension Catalogue.Help.Option {
    static let noticeKind = Message(zh: "通知类型：\(Catalogue.noticeKinds.zh)。", en: "The kind: \(Catalogue.noticeKinds.en).")
    static let noticeKindOptional = Message(zh: "只看这种通知：\(Catalogue.noticeKinds.zh)；不写：所有种类。",
                                            en: "Only this kind: \(Catalogue.noticeKinds.en); default: every kind.")
    static let noticeSubject = Message(zh: "只看这一期间或轮次（如 2026-12、2027-R2）。", en: "Only this period or round (2026-12, 2027-R2).")
    static let noticeState = Message(zh: "只看这一状态：planned（待发送）| sent | failed | exported。", en: "Only this state: planned | sent | failed | exported.")
    static let noticePeriod = Message(zh: "月份 YYYY-MM（扣款失败、扣款成功：该月的扣款；断缴提醒：截至该月）；不写：最近一次批扣的月份。",
                                      en: "The month YYYY-MM (debit failed or succeeded: its debits; lapsed: through it); default: the latest cycle's month.")
    static let noticeMonths = Message(zh: "断缴提醒：连续几个月扣款失败（默认 2）。", en: "lapsed: how many months in a row failed (default 2).")
    static let noticeOut = Message(zh: "导出文件：以 .xlsx 结尾为 Excel 工作簿，否则为 CSV（UTF-8）。", en: "The export file: an Excel workbook when it ends in .xlsx, else CSV (UTF-8).")
    static let noticeID = Message(zh: "缴费人的身份证号码。", en: "The payer's ID number.")
    static let noticeOptKind = Message(zh: "只退订（或恢复）这种通知；不写：所有种类。", en: "Only this kind; default: every kind.")
    static let noticePayer = Message(zh: "只看这位缴费人（身份证号）的通知：接电话时查询用。", en: "Only this payer's notices (ID number): for a payer's call.")
    static let noticeLimit = Message(zh: "本次最多发送的条数（默认全部）。", en: "The most notices to send this run (default: all).")
    static let noticeDate = Message(zh: "以这一天为准判断下一步和征缴期（默认今天）。", en: "The day the next steps and the window are judged on (default: today).")
    static let dryRun = Message(zh: "只显示将生成多少条，不保存。", en: "Only say how many would be planned; store nothing.")
}
