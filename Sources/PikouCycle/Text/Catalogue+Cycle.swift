public import PikouCore
import Foundation

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
    public static func nextStep(_ step: NextStep) -> Message {
        switch step {
        case .retryableNow: Message(zh: "可立即重扣", en: "retryable now")
        case .retryFrom(let date): Message(zh: "\(date.year)年\(date.month)月\(date.day)日起可重扣", en: "retryable from \(date)")
        case .nextCycle: Message(zh: "下期扣款", en: "next cycle")
        case .needsAgreementCorrection: Message(zh: "需更正协议", en: "needs agreement correction")
        case .needsNewAgreement: Message(zh: "协议已解约，须重新签约", en: "agreement ended by the payer: needs a new agreement")
        case .operatorDecides: Message(zh: "需人工判断", en: "operator decides")
        case .operatorReview: Message(zh: "需人工核实返回码", en: "operator review")
        case .attemptsExhausted: Message(zh: "重扣次数已满", en: "attempts exhausted")
        case .paidElsewhere: Message(zh: "已在其他渠道缴费", en: "paid elsewhere")
        case .agreementInactive: Message(zh: "协议已撤销", en: "agreement revoked")
        case .suspended: Message(zh: "已停保", en: "suspended")
        }
    }

    public static func diffDuplicateSequence(_ sequence: Int) -> Message {
        Message(zh: "注意：序号 \(sequence) 在文件中出现不止一次，这些记录按出现顺序比较", en: "note: sequence \(sequence) occurs more than once; those records are compared in order")
    }

    public static func diffSummary(added: Int, removed: Int, changed: Int, oldLines: Int, newLines: Int, oldTotal: String, newTotal: String) -> Message {
        Message(zh: "新增 \(added)、删除 \(removed)、改动 \(changed) 条；前一个文件 \(oldLines) 笔 \(oldTotal) 元，后一个文件 \(newLines) 笔 \(newTotal) 元",
                en: "\(added) added, \(removed) removed, \(changed) changed; first file \(oldLines) lines \(oldTotal) yuan, second \(newLines) lines \(newTotal) yuan")
    }

    /// Resolving or reopening an exception needs a reason others can read.
    public static let noteRequired = Message(zh: "需要填写处理意见：写明查到了什么或做了什么（--note \"银行确认已扣款\"）",
                                             en: "a note is required: say what was found or done (--note \"银行确认已扣款\")")
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

    public static func provisionalCalendar(_ year: Int) -> Message {
        Message(zh: "警告：\(year) 年银行日历是暂定的（按法定节假日，未含调休）；国务院公布放假安排后请更新 Formats/calendar/\(year).yaml",
                en: "warning: the \(year) banking calendar is provisional (statutory holidays, no make-up workdays); update Formats/calendar/\(year).yaml once the State Council publishes the year's arrangement")
    }

    // MARK: 钱表相符

    public static let noDebitFile = Message(zh: "本期没有扣款文件", en: "no debit file for this period")

    public static func moneyHeadline(debitFiles: Int, returnFiles: Int, lines: Int, submitted: String, succeeded: String, failed: String,
                                     pending: String) -> Message {
        Message(zh: "扣款文件 \(debitFiles) 个，回盘文件 \(returnFiles) 个；提交 \(lines) 笔 \(submitted) 元 = 成功 \(succeeded) + 失败 \(failed) + 待回盘 \(pending) 元",
                en: "\(debitFiles) debit files, \(returnFiles) return files; submitted \(lines) lines \(submitted) yuan = "
                    + "succeeded \(succeeded) + failed \(failed) + pending \(pending) yuan")
    }

    public static func moreFindings(_ count: Int, kind: Message) -> Message {
        Message(zh: "……另有 \(count) 项\(kind.zh)（`pikou status` 列出每个文件）", en: "... \(count) more \(kind.en) (`pikou status` lists every file)")
    }

    /// A kind of 钱表相符 finding, as the count of those not listed names it.
    public static func findingKind(_ kind: MoneyCheck.Finding.Kind) -> Message {
        let zh = switch kind {
        case .trailerDiffers: "汇总行不符"
        case .negativeAmount: "负金额"
        case .fileUnbalanced: "文件不平"
        case .postedDiffers: "入账不符"
        case .openExceptions: "未处理异常"
        case .overflow: "金额溢出"
        case .notWritten: "未写出的文件"
        case .notAnswered: "未回盘的文件"
        case .linesPending: "待回盘"
        case .collectedDiffers: "个人部分不符"
        case .collectedOutsideRounds: "轮次外收取"
        }
        return Message(zh: zh, en: kind.rawValue)
    }

    public static func trailerDiffers(file: String, lines: (declared: Int, stored: Int)?, yuan: (declared: String, stored: String)?) -> Message {
        var zh: [String] = [], en: [String] = []
        if let lines {
            zh.append("汇总行 \(lines.declared) 笔，入账 \(lines.stored) 笔")
            en.append("trailer \(lines.declared) lines, stored \(lines.stored)")
        }
        if let yuan {
            zh.append("汇总行 \(yuan.declared) 元，入账明细 \(yuan.stored) 元")
            en.append("trailer \(yuan.declared) yuan, lines stored \(yuan.stored) yuan")
        }
        return Message(zh: "不符 \(file)：" + zh.joined(separator: "；"), en: "不符 \(file): " + en.joined(separator: "; "))
    }

    public static func negativeAmounts(file: String, stored: String) -> Message {
        Message(zh: "不符 \(file)：明细中有负金额（入账 \(stored) 元）", en: "不符 \(file): negative amounts in its lines (stored \(stored) yuan)")
    }

    public static func fileUnbalanced(file: String, submitted: String, accounted: String) -> Message {
        Message(zh: "不符 \(file)：提交 \(submitted) 元 ≠ 成功 + 失败 + 待回盘 \(accounted) 元",
                en: "不符 \(file): submitted \(submitted) yuan ≠ succeeded + failed + pending \(accounted) yuan")
    }

    public static func collectedDiffers(file: String, succeeded: String, collected: String) -> Message {
        Message(zh: "不符 \(file)：成功扣款 \(succeeded) 元 ≠ 所扣应缴的个人部分 \(collected) 元",
                en: "不符 \(file): succeeded debits \(succeeded) yuan ≠ personal parts collected \(collected) yuan")
    }

    public static func collectedOutsideRounds(file: String, yuan: String) -> Message {
        Message(zh: "不符 \(file)：个人部分 \(yuan) 元由一个不是本年度轮次的文件收取",
                en: "不符 \(file): personal parts \(yuan) yuan collected by a file that is not a round file of the year")
    }

    public static func postedDiffers(file: String, decided: String, posted: String) -> Message {
        Message(zh: "不符 \(file)：对账库判定 \(decided) 元，银行回盘入账 \(posted) 元",
                en: "不符 \(file): store decided \(decided) yuan, the banks' posted lines \(posted) yuan")
    }

    public static func openExceptionsFinding(_ count: Int, kinds: [(Message, Int)]) -> Message {
        Message(zh: "不符 尚有 \(count) 条异常未处理（\(kinds.map { "\($0.0.zh) \($0.1)" }.joined(separator: "，"))）：用 `pikou exceptions list` 查看，核实后办结或更正",
                en: "不符 \(count) exceptions still open (\(kinds.map { "\($0.0.en) \($0.1)" }.joined(separator: ", "))): see `pikou exceptions list`, resolve or correct them")
    }

    public static let totalsOverflow = Message(zh: "不符 合计超出 64 位分的范围：对账库中有不可能的金额",
                                               en: "不符 the totals leave 64-bit fen: the store holds impossible amounts")

    public static func fileNotWritten(_ file: String) -> Message {
        Message(zh: "未结清 \(file)：已预留但未写出（运行 `pikou cycle run` 或 `pikou resubmit` 完成）",
                en: "未结清 \(file): reserved but not written (run `pikou cycle run` or `pikou resubmit` to finish it)")
    }

    public static func fileNotAnswered(_ file: String) -> Message {
        Message(zh: "未结清 \(file)：尚无回盘文件", en: "未结清 \(file): no return file yet")
    }

    public static func linesPending(_ count: Int, yuan: String) -> Message {
        Message(zh: "未结清 \(count) 笔、\(yuan) 元仍在银行待回盘", en: "未结清 \(count) lines, \(yuan) yuan still pending at the banks")
    }

    // MARK: the report workbook

    public static let sheetSummary = Message(zh: "汇总", en: "Summary")
    public static let sheetChain = Message(zh: "三方对账", en: "Three-way")
    public static let sheetGrid = Message(zh: "网格进度", en: "Grid")
    public static let sheetFailures = Message(zh: "失败明细", en: "Failures")
    public static let sheetExceptions = Message(zh: "异常", en: "Exceptions")
    public static let sheetOutcomes = Message(zh: "失败原因", en: "Outcomes")
    public static let subtotal = Message(zh: "小计", en: "subtotal")

    /// A workbook sheet's title row: what, which period, and the unit.
    public static func workbookTitle(_ period: Period, sheet: Message) -> Message {
        Message(zh: "\(period.chinese)社保费批扣对账 — \(sheet.zh)（金额单位：元）", en: "Debit reconciliation \(period) — \(sheet.en) (amounts in yuan)")
    }

    /// The summary's first column: what its groups are.
    public static func groupTitle(_ grouping: ReportGrouping) -> Message {
        switch grouping {
        case .bank: bank
        case .file: file
        case .district: district
        case .street: Message(zh: "区 街道", en: "DISTRICT STREET")
        case .community: Message(zh: "区 街道 社区", en: "DISTRICT STREET COMMUNITY")
        case .outcome: outcome
        }
    }

    public static func workbookWritten(_ path: String, groups: Int, failures: Int, exceptions: Int, check: String) -> Message {
        Message(zh: "已写出 \(path)：\(groups) 个分组，\(failures) 笔失败明细，\(exceptions) 条异常；\(check)",
                en: "\(path): \(groups) groups, \(failures) failures, \(exceptions) exceptions; \(check)")
    }

    // MARK: progress

    /// A stage's name and what it counts.
    public static func stage(_ stage: WorkProgress.Stage) -> (name: Message, unit: Message) {
        switch stage {
        case .rosterImport: (Message(zh: "导入花名册", en: "importing the roster"), Message(zh: "行", en: "rows"))
        case .planning: (Message(zh: "计算本期欠费", en: "planning dues"), Message(zh: "笔", en: "dues"))
        case .composing: (Message(zh: "组合扣款", en: "composing debits"), Message(zh: "人", en: "payers"))
        case .reserving: (Message(zh: "在对账库中预留", en: "reserving in the store"), Message(zh: "个文件", en: "files"))
        case .writing: (Message(zh: "写出并签名扣款文件", en: "writing and signing debit files"), Message(zh: "个文件", en: "files"))
        case .simulating: (Message(zh: "模拟银行回盘", en: "simulating the bank"), Message(zh: "个文件", en: "files"))
        case .ingesting: (Message(zh: "入账回盘文件", en: "posting return files"), Message(zh: "个文件", en: "files"))
        case .reconciling: (Message(zh: "核对对账单和国库对账文件", en: "reconciling statements and treasury files"), Message(zh: "个文件", en: "files"))
        }
    }

    /// Seconds as `1:05:09`, `4:09` or `9 秒`.
    static func duration(_ seconds: Double) -> Message {
        let whole = Int(seconds.rounded())
        if whole < 60 { return Message(zh: "\(whole) 秒", en: "\(whole) s") }
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        let text = h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
        return Message(zh: text, en: text)
    }

    /// The parts every progress display shares: count (of total), rate, time left.
    private static func progressParts(_ progress: WorkProgress, elapsed: Double) -> (count: Message, rate: Message?, left: Message?) {
        let unit = stage(progress.stage).unit
        let done = progress.done.groupedText
        let count = progress.total.map { total in
            Message(zh: "\(done)/\(total.groupedText) \(unit.zh)", en: "\(done)/\(total.groupedText) \(unit.en)")
        } ?? Message(zh: "\(done) \(unit.zh)", en: "\(done) \(unit.en)")
        var rate: Message?
        if elapsed >= 1, progress.done > 0 {
            let perSecond = Int((Double(progress.done) / elapsed).rounded()).groupedText
            rate = Message(zh: "\(perSecond) \(unit.zh)/秒", en: "\(perSecond) \(unit.en)/s")
        }
        var left: Message?
        if let share = progress.share, share > 0, share < 1, elapsed >= 1, elapsed * (1 - share) / share >= 1 {
            let remaining = duration(elapsed * (1 - share) / share)
            left = Message(zh: "剩余约 \(remaining.zh)", en: "about \(remaining.en) left")
        }
        return (count, rate, left)
    }

    /// A progress bar for a terminal: `组合扣款 [█████░░░░░]  50% 12,000/24,000 个文件 · 3,100 个文件/秒 · 剩余约 4 秒`.
    public static func progressBar(_ progress: WorkProgress, elapsed: Double) -> Message {
        let name = stage(progress.stage).name
        guard progress.done > 0 || progress.total != nil else { return Message(zh: "\(name.zh)……", en: "\(name.en)...") }
        let parts = progressParts(progress, elapsed: elapsed)
        var bar = ""
        if let share = progress.share {
            let filled = Int((share * 20).rounded(.down))
            bar = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled) + "] "
                + String(format: "%3d%% ", Int((share * 100).rounded(.down)))
        }
        let tail = { (language: Language) in
            ([parts.count.text(language)] + [parts.rate, parts.left].compactMap { $0?.text(language) }).joined(separator: " · ")
        }
        return Message(zh: "\(name.zh) \(bar)\(tail(.zh))", en: "\(name.en) \(bar)\(tail(.en))")
    }

    /// A progress line as printed: in English after the command's name (`cycle run: …`); in Chinese
    /// alone, the stage already saying what is under way.
    public static func progressOf(_ command: String, _ line: Message) -> Message {
        Message(zh: line.zh, en: "\(command): \(line.en)")
    }

    /// The closing line of `pikou cycle run`.
    public static func cycleDone(seconds: Double) -> Message {
        let shown = String(format: "%.2f", seconds)
        return Message(zh: "批扣完成，用时 \(shown) 秒", en: "cycle: done in \(shown) s")
    }

    /// A plain progress line for a log or cron: `组合扣款：12,000 人，3,100 人/秒`.
    public static func progressLine(_ progress: WorkProgress, elapsed: Double) -> Message {
        let name = stage(progress.stage).name
        guard progress.done > 0 || progress.total != nil else { return Message(zh: "\(name.zh)……", en: "\(name.en)...") }
        let parts = progressParts(progress, elapsed: elapsed)
        let percent = progress.share.map { " (\(Int(($0 * 100).rounded(.down)))%)" } ?? ""
        let zh = ["\(parts.count.zh)\(percent)", parts.rate?.zh, parts.left?.zh].compactMap { $0 }.joined(separator: "，")
        let en = ["\(parts.count.en)\(percent)", parts.rate?.en, parts.left?.en].compactMap { $0 }.joined(separator: ", ")
        return Message(zh: "\(name.zh)：\(zh)", en: "\(name.en): \(en)")
    }

    // MARK: the workspace lock

    public static func workspaceBusy(_ holder: String?) -> Message {
        Message(zh: "另一个命令正在写这个工作区：\(holder ?? "（未知）")。等它结束后再运行，或加 --wait 排队等待",
                en: "another command holds the workspace: \(holder ?? "(unknown)"). Run again when it ends, or add --wait to wait for it")
    }

    /// Paths inside the workspace a writing command would write through that are symbolic links.
    public static func workspaceLinks(_ links: [(path: String, target: String)]) -> Message {
        let zh = links.map { "\($0.path) → \($0.target)" }.joined(separator: "；"), en = links.map { "\($0.path) → \($0.target)" }.joined(separator: "; ")
        return Message(zh: "工作区内以下路径是符号链接，Pikou 不经链接写入（否则银行文件、日志或锚点可被引到别处）：" + zh,
                       en: "these paths inside the workspace are symbolic links, and Pikou writes nothing through one (the bank's files, the logs or the anchors could be led elsewhere): " + en)
    }

    public static let workspaceLinksFix = Message(zh: "换成真实的文件夹或文件；要用别处的文件夹，就在 pikou.yaml 里写明（如 outbox: /srv/pikou/outbox）",
                                                  en: "replace each with a real folder or file; to use a folder elsewhere, name it in pikou.yaml (e.g. outbox: /srv/pikou/outbox)")

    public static func waitingForWorkspace(_ holder: String?) -> Message {
        Message(zh: "等待另一个命令结束：\(holder ?? "（未知）")……", en: "waiting for \(holder ?? "another command") to end...")
    }

    // MARK: files release and check's pending work

    public static let filesReleaseDiscussion = Message(
        zh: """
            扣款文件先在对账库中预留（其欠费随之被占用），再写出、签名、落盘。写出失败（某银行
            无法承载的姓名、缺失的密钥或 XML 模式）或运行中断时，文件停在"已预留未写出"：
            `pikou cycle run` 或 `pikou resubmit` 会先把它写完。原因一时无法排除时（例如姓名须先在
            花名册中更正），用本命令放弃该文件：它从未到达银行，其扣款记录删除，欠费在下一次
            `cycle run` 或 `resubmit` 中按当时的花名册重新计划。已写出的文件不能放弃（银行可能已收到）。
            日志记下文件名、笔数、金额、经办人和原因。
            """,
        en: """
            A debit file is first reserved in the store (its dues are then taken), then written, signed
            and put in place. When writing fails (a name the bank cannot carry, a missing key or XML
            schema) or a run is cut short, the file stays reserved and unwritten: `pikou cycle run` or
            `pikou resubmit` finish it first. When the cause cannot be removed now (the name must be
            corrected in the roster first, say), this command gives the file up: it never reached its
            bank, its debits are removed, and its dues are planned again by the next `cycle run` or
            `resubmit`, with the roster as it stands then. A written file cannot be given up (the bank
            may have it). The journal keeps the file's name, lines, total, the actor and the reason.
            """)

    public static let fileCancelDiscussion = Message(
        zh: """
            已写出的扣款文件可能已送到银行。银行执行之前（例如发现文件有误、协议批量变更、银行通知
            暂停），用本命令撤销它：文件中每笔扣款记为"已撤销"，其欠费由下一次 `cycle run` 或
            `resubmit` 重新扣款；银行规格中有撤销报文（cancel 段）的，同时写出并签名撤销报文到
            outbox/<银行>/，与扣款文件一样送交银行。银行已回盘的文件不能撤销（已执行）；撤销之后
            银行仍送来的回盘，每行都成为"撤销后回盘"异常，绝不入账，须与银行核实是否已扣款。
            日志记下文件名、笔数、金额、经办人和原因。
            FILE 写作 BANK/文件名，或 outbox 中的路径。
            """,
        en: """
            A written debit file may already be at its bank. Before the bank runs it (the file is wrong,
            agreements changed in bulk, the bank asks for a pause), this command cancels it: every debit
            in it is closed "cancelled" and its dues are debited again by the next `cycle run` or
            `resubmit`; where the bank's spec has a cancel message (a `cancel` section), it is written and
            signed into outbox/<BANK>/, to send like a debit file. A file the bank has answered cannot be
            cancelled (it ran); a return the bank sends after the cancellation becomes an "afterCancel"
            exception on every line, never a posting: ask the bank whether money was taken.
            The journal keeps the file's name, lines, total, the actor and the reason.
            FILE is BANK/NAME or the file's path in the outbox.
            """)

    public static func fileCancelled(bank: String, name: String, lines: Int, yuan: String, message: String?) -> Message {
        Message(zh: "已撤销 \(bank)/\(name)：\(lines) 笔、\(yuan) 元不再扣款，其欠费转入下次 cycle run 或 resubmit"
                    + (message.map { "；撤销报文：\($0)（请送交银行）" } ?? "；该银行无撤销报文，请按约定方式通知银行"),
                en: "cancelled \(bank)/\(name): \(lines) debits, \(yuan) yuan no longer to collect; their dues go to the next cycle run or resubmit"
                    + (message.map { "; cancel message: \($0) (send it to the bank)" } ?? "; the bank has no cancel message: tell it as agreed"))
    }

    public static let groupsImportDiscussion = Message(
        zh: """
            民政、残联、乡村振兴等部门提供的特殊群体名单，决定城乡居民两险中谁由财政代缴、谁另有补贴
            （见 Formats/policy/residents-<年>.yaml）。名单可以是 CSV（UTF-8 或 GBK）或 Excel/WPS 的 .xlsx
            （读第一个工作表），第一行是列名，中英文皆可：身份证号（id_number，必有）、姓名（name，便于核对，不入库）、
            起始日期（valid_from）、终止日期（valid_to，可空表示长期有效）；没有日期列的名单按整个年度计。
            日期可写 2027-01-01、2027/1/1、20270101、2027年1月1日。名册中没有的人不会被悄悄加入，而是退回部门：
            每次导入都在名单旁写出 名单.feedback.xlsx（逐行：是否导入、原因——名册中无此人、证件号校验错误、
            日期有误、名单内重复；已在其他群体的人照常导入并注明；证件号脱敏），另存 FILE.rejects.csv（行号、字段、
            原因），有退回的行时退出码为 2。同一名单再导入不会重复。一人属于多个群体时，按政策取最有利的一项
            （ResidentsPricing 给出所选规则及说明）。
            """,
        en: """
            The lists of special groups that civil affairs, the disability federation and rural
            revitalisation give decide who in the residents' scheme has the government pay (代缴) or gets
            a subsidy (see Formats/policy/residents-<year>.yaml). A list is a CSV (UTF-8 or GBK) or an Excel/WPS
            .xlsx (its first worksheet), a header row first, in English or Chinese: id_number (身份证号,
            required), name (姓名, to check by, never stored), valid_from (起始日期) and valid_to (终止日期,
            empty: no end); a list without dates covers the whole year. Dates may be 2027-01-01, 2027/1/1,
            20270101 or 2027年1月1日. A person the roster does not have is never added silently but goes back
            to the department: every import writes LIST.feedback.xlsx beside the list (each row: imported or
            returned, and why — not in the roster, a bad ID number, a bad date, twice in the list; someone
            also in another group is imported and noted; IDs masked), and FILE.rejects.csv (line, field,
            reason); exit status 2 when rows were returned. Importing the same list again adds nothing. A
            person in several groups gets the policy's most favourable rule (ResidentsPricing names the rule
            chosen and explains it).
            """)

    public static func groupsImported(file: String, group: String, department: String, added: Int, unchanged: Int, rejected: Int) -> Message {
        Message(zh: "\(file)：\(group)（\(department.isEmpty ? "部门未注明" : department)）新增 \(added) 人，已有 \(unchanged) 人，退回 \(rejected) 行",
                en: "\(file): \(group) (\(department.isEmpty ? "no department" : department)): \(added) added, \(unchanged) already there, \(rejected) rows rejected")
    }

    public static let exchangeDiscussion = Message(
        zh: """
            每家银行的 SFTP 服务器写在 pikou.yaml 的 banks.<银行>.sftp 中（host、port、user、key、
            known_hosts、outbox、inbox）。使用系统的 OpenSSH 客户端（sftp，批处理模式），只认
            known_hosts 中固定的银行主机公钥：公钥变化即拒绝连接，须先向银行核实指纹。
            send：每个已写出的扣款文件（及其 .sig）和撤销报文只发送一次：先以临时名上传，再改为正式名，
            绝不覆盖银行目录中已有的文件；与对账库记录的摘要不符的文件不发送；发送前已撤销的文件不发送。
            fetch：银行 inbox 目录中的文件下载到 inbox/<银行>/，按摘要去重，已取回的不再记录，
            本地同名但内容不同的文件不覆盖。--ingest 随即入账新取回的回盘。
            中断后重跑即可：未完成的上传只留下临时名，下次 send 补齐。
            """,
        en: """
            Each bank's SFTP server is in pikou.yaml under banks.<BANK>.sftp (host, port, user, key,
            known_hosts, outbox, inbox). The system's OpenSSH client (sftp, in batch mode) does the work,
            trusting only the bank's host key pinned in known_hosts: a changed key is refused, to be
            confirmed with the bank first.
            send: each written debit file (with its .sig) and each cancel message goes once: uploaded under
            a temporary name, then renamed, never over a file the bank's folder holds; a file whose digest
            differs from the store's is not sent; a file cancelled before it was sent is never sent.
            fetch: the files in the bank's inbox folder are downloaded into inbox/<BANK>/, by digest (a
            file fetched before is left), never over a different local file of that name. --ingest posts
            the return files fetched now. After a cut-off run, run it again: an unfinished upload leaves
            only its temporary name, and the next send completes it.
            """)

    public static func fileSent(_ path: String) -> Message { Message(zh: "已发送 \(path)", en: "sent \(path)") }
    public static func fileFetched(_ path: String) -> Message { Message(zh: "已取回 \(path)", en: "fetched \(path)") }
    public static func exchangeSummary(bank: String, server: String, sending: Bool, moved: Int, already: Int, skipped: Int, failed: Int) -> Message {
        Message(zh: "\(bank)（\(server)）：\(sending ? "发送" : "取回") \(moved) 个，此前已\(sending ? "发送" : "取回") \(already) 个，未处理 \(skipped) 个，失败 \(failed) 个",
                en: "\(bank) (\(server)): \(moved) \(sending ? "sent" : "fetched"), \(already) \(sending ? "sent" : "fetched") before, \(skipped) left, \(failed) failed")
    }
    public static let exchangeSkipped = Message(zh: "未处理", en: "left")
    public static let exchangeFailed = Message(zh: "失败", en: "failed")

    public static let returnsUndoDiscussion = Message(
        zh: """
            撤回一次回盘入账（例如导入了错的文件，或银行发来更正后的回盘）：该回盘的各行和异常从
            对账库移除，它结清的扣款恢复为待回盘，同一文件或更正文件可再导入。归档副本保留；日志记下
            被移除内容的封存值、经办人和原因。已有后续依赖的不能撤回：同一扣款文件之后又导入了
            回盘、它的异常已被办结或重开、或它失败的欠费已被再次扣款（重扣或下一周期）。
            """,
        en: """
            Undoes an ingest (the wrong file was ingested, or the bank sent a corrected return): the
            return's lines and exceptions leave the store, the debits it closed are pending again, and
            the same file or the corrected one may be ingested. The archived copy stays; the journal keeps
            the seal of what was removed, the actor and the reason. Refused once something depends on it:
            a later return for the same debit file, an exception resolved or reopened, or a due it failed
            debited again (a resubmission or the next cycle).
            """)

    public static func returnUndone(bank: String, name: String, debitFile: String, lines: Int, posted: Int, exceptions: Int) -> Message {
        Message(zh: "已撤回 \(bank)/\(name) 的入账（对应 \(debitFile)）：移除 \(lines) 行，\(posted) 笔扣款恢复为待回盘，撤下 \(exceptions) 条异常",
                en: "undid the ingest of \(bank)/\(name) (against \(debitFile)): \(lines) lines removed, \(posted) debits pending again, \(exceptions) exceptions withdrawn")
    }

    public static func fileReleased(bank: String, name: String, lines: Int, yuan: String) -> Message {
        Message(zh: "已放弃 \(bank)/\(name)：\(lines) 笔、\(yuan) 元未送银行，其欠费将在下次 cycle run 或 resubmit 中重新计划",
                en: "released \(bank)/\(name): \(lines) debits, \(yuan) yuan never sent; their dues are planned again by the next cycle run or resubmit")
    }

    public static let checkDiscussion = Message(
        zh: """
            核对设计中的各项不变量：每个文件及总体金额平衡、无重复扣款、文件内无重复缴费人、每条回盘行
            已入账或已列为异常、日志链完整、已写出的文件与对账库一致（SM3 摘要、笔数、金额、签名）。
            防篡改：每个已入账的回盘文件和已写出的扣款文件的数据行按日志中的封印（SHA-256）重新计算；
            归档的回盘文件按 SM3 摘要重新核对；只追加保护（触发器）逐一核对；日志链头与工作区
            journal-anchors.log 中每条锚点以及 --anchor 给出的外部副本（报表末行、`pikou journal head`）比对，
            可发现删除末尾日志或整条链被重算。
            退出码：0 全部通过；3 只有待完成的工作（已预留未写出的文件：`pikou cycle run` 或
            `pikou resubmit` 写出，或 `pikou files release` 放弃），没有违反；1 至少一处违反（逐条列出）。
            工作区中其他用户可读的目录和文件另以警告列出（不影响退出码）。
            """,
        en: """
            Checks every invariant of the design: money balances per file and overall, no due collected
            twice, no payer twice in a file, every return line posted or raised, the journal's chain, and
            each written file against the store (SM3 digest, lines, total, signature).
            Tamper evidence: the rows of every posted return file and written debit file are hashed
            again against the seal (SHA-256) their journal entry recorded; archived return files are
            re-verified by their SM3 digest; the append-only guards (triggers) must all be there; and
            the journal must still hold every anchor in the workspace's journal-anchors.log and every
            outside copy given with --anchor (a report's last line, `pikou journal head`), which shows
            the last entries deleted or the whole chain recomputed.
            Exit status: 0 all hold; 3 only pending work (files reserved and never written, which
            `pikou cycle run` or `pikou resubmit` write, or `pikou files release` gives up), nothing
            broken; 1 at least one violation, each named. Folders and files of the workspace that others
            may read are warned about apart (the exit status does not change).
            """)

    public static let pendingWork = Message(zh: "待完成", en: "PENDING")

    public static func pendingWorkItem(_ item: InvariantViolation) -> Message { item.message }

    public static func checkPending(_ count: Int) -> Message {
        Message(zh: "check: 无违反；\(count) 项待完成的工作（见上）", en: "check: nothing broken; \(count) item(s) of pending work (above)")
    }

    public static func journalHeadLine(_ head: JournalHead) -> Message {
        Message(zh: "日志链头（请另存一份，`pikou check --anchor` 可据此核对）：\(head.shown.zh)",
                en: "journal head (keep a copy elsewhere; `pikou check --anchor` verifies it): \(head.text)")
    }

    public static let journalEmpty = Message(zh: "日志为空：尚无任何操作记录", en: "the journal is empty: nothing recorded yet")

    public static func userUnsealed(_ name: String) -> Message {
        Message(zh: "警告：工作台用户 \(name) 在日志中没有封印（在用户封印之前加入，或在 Pikou 之外加入）：用 `pikou users list` 核对其角色后，`pikou users seal` 按现状封印",
                en: "warning: console user \(name) has no seal in the journal (added before users were sealed, or outside Pikou): check their role with `pikou users list`, then `pikou users seal` seals them as they stand")
    }

    public static func anchorCopyMissing(_ path: String) -> Message {
        Message(zh: "警告：anchor_copies 中的 \(path) 不存在（尚无写操作留下锚点，或已被删除）：下一条写操作会重新建立它；若它本该存在，请查明谁删除了它",
                en: "warning: \(path) of anchor_copies is not there (no writing command has anchored since it was named, or it was removed): the next writing command makes it again; if it should be there, find out who removed it")
    }

    public static func entriesAfterAnchor(newest: Int64, source: String, head: Int64) -> Message {
        Message(zh: "警告：日志第 \(newest + 1)–\(head) 条在最新锚点（第 \(newest) 条，\(source)）之后：它们由尚在运行或被中断的命令写入，或是在 Pikou 之外追加的；锚点只能证明它之前的内容。工作台的“审计日志”页列出这些条目",
                en: "warning: journal entries \(newest + 1)–\(head) come after the newest anchor (entry \(newest), \(source)): written by a command still running or cut short, or appended outside Pikou; an anchor vouches only for what came before it. The console's 审计日志 (audit log) page lists them")
    }

    public static func anchorUnreadable(_ text: String) -> Message {
        Message(zh: "--anchor \(text)：既不是含有 \"entry N sha256 HEX\" 的文件，也不是这样的锚点",
                en: "--anchor \(text): neither a file holding \"entry N sha256 HEX\" lines nor such an anchor")
    }
}
