public import PikouCore
import ReconStore

/// The catalogue's entries for the residents' annual scheme (城乡居民两险).
extension Catalogue {
    public static func outsideWindow(_ policy: ResidentsPolicy, date: CivilDate) -> Message {
        if date < policy.windowFrom {
            return Message(zh: "\(policy.year) 年度城乡居民集中征缴期 \(policy.windowFrom) 至 \(policy.windowTo)，尚未开始（文件日期 \(date)）；不生成扣款文件",
                           en: "the residents' collection window for \(policy.year) runs \(policy.windowFrom) to \(policy.windowTo) and has not opened (file date \(date)); no debit file is written")
        }
        return Message(zh: "\(policy.year) 年度城乡居民集中征缴期已于 \(policy.windowTo) 结束（文件日期 \(date)）；不再批量扣款，未缴人员请到柜面、APP 或办事大厅缴纳（\(policy.medicalLateAfter) 后参加医保者全额缴纳，待遇等待期 \(policy.waitingDays) 天）",
                       en: "the residents' collection window for \(policy.year) closed on \(policy.windowTo) (file date \(date)); no more batch debits: the unpaid pay at a counter, an app or the service hall (joining medical after \(policy.medicalLateAfter): the full standard and a \(policy.waitingDays)-day wait)")
    }

    public static func roundAlreadyRun(year: Int, requested: Int, last: ResidentsRound) -> Message {
        Message(zh: "\(year) 年度第 \(requested) 轮已执行过（最近一轮为第 \(last.round) 轮，\(last.fileDate)，\(last.files) 个文件）；下一轮为第 \(last.round + 1) 轮",
                en: "round \(requested) of \(year) was run already (the last was round \(last.round) on \(last.fileDate), \(last.files) files); the next is round \(last.round + 1)")
    }

    public static func roundHeadline(year: Int, round: Int, dryRun: Bool) -> Message {
        Message(zh: "城乡居民 \(year) 年度 第 \(round) 轮\(dryRun ? "（试运行，不写文件）" : "")",
                en: "residents \(year), round \(round)\(dryRun ? " (dry run: no files written)" : "")")
    }

    public static func residentsPlanned(_ planning: ResidentPlanning) -> Message {
        Message(zh: "应缴：新增 \(planning.inserted)，档次变更补差 \(planning.differences)，重新核定 \(planning.repriced)，拒绝 \(planning.refused.count)",
                en: "dues: \(planning.inserted) new, \(planning.differences) for a tier change's difference, \(planning.repriced) re-priced, \(planning.refused.count) refused")
    }

    public static func pricingRefused(_ count: Int) -> Message {
        Message(zh: "\(count) 条参保登记无法核定应缴（见上），请更正花名册后重新执行", en: "\(count) enrollments could not be priced (above): correct the roster and run again")
    }

    public static let residentsTitle = Message(zh: "城乡居民两险", en: "residents' insurance")
    public static let notDebited = Message(zh: "（未经批扣）", en: "(not by debit)")
    public static let personalPart = Message(zh: "个人缴费", en: "personal")
    public static let collectedByDebit = Message(zh: "批扣到账", en: "by debit")
    public static let collectedElsewhere = Message(zh: "其他渠道", en: "elsewhere")
    public static let subsidyPart = Message(zh: "财政补贴", en: "subsidy")
    public static let governmentPart = Message(zh: "代缴", en: "paid for (代缴)")
    public static let standardPart = Message(zh: "筹资标准", en: "standard")
    public static let duesCount = Message(zh: "应缴笔数", en: "dues")
    public static let unpaidPart = Message(zh: "未缴", en: "unpaid")
    public static let payingDepartment = Message(zh: "承担部门", en: "department")
    public static let residentsRule = Message(zh: "政策", en: "rule")
    public static let tierSubsidy = Message(zh: "档次补贴", en: "tier subsidy")
    public static let medicalPublicPart = Message(zh: "财政补助", en: "public part")
    /// One yearly due's explanation, whole, under the payer page's table: `2027 养老保险 第 1 笔：档次补贴 30.00 元；…`.
    public static func residentDueWhy(year: Int, insurance: Insurance, seq: Int, why: Message) -> Message {
        Message(zh: "\(year) \(Catalogue.insurance(insurance).zh) 第 \(seq) 笔：\(why.zh)", en: "\(year) \(insurance) due \(seq): \(why.en)")
    }

    public static let residentDuesTitle = Message(zh: "城乡居民年度应缴（个人 + 财政补贴 + 代缴 = 筹资标准）", en: "residents' yearly dues (personal + subsidy + 代缴 = standard)")
    public static let coverYearColumn = Message(zh: "年度", en: "year")
    public static let dueSeq = Message(zh: "笔次", en: "no.")
    public static let paidByPublicFunds = Message(zh: "财政全额承担，不扣款", en: "public funds pay it all: not debited")
    public static let why = Message(zh: "说明", en: "why")
    public static let persons = Message(zh: "人数", en: "persons")
    public static let eligible = Message(zh: "应参保", en: "eligible")
    public static let enrolled = Message(zh: "已登记", en: "enrolled")
    public static let paidPersons = Message(zh: "已缴费", en: "paid")
    public static let participationRate = Message(zh: "参保率", en: "rate")
    /// The one rounding rule of every rate Pikou shows (``Percentage``), said where rates are read.
    public static let rateRule = Message(zh: "比率保留一位小数，四舍五入（如 95.55% 记为 95.6%，95.549% 记为 95.5%）",
                                         en: "rates have one decimal, rounded half up (95.55% shows as 95.6%, 95.549% as 95.5%)")
    public static let target = Message(zh: "目标", en: "target")
    public static let gap = Message(zh: "差距", en: "gap")
    public static let publicFundsTitle = Message(zh: "财政应拨付（按部门、政策）", en: "to be paid by public funds (per department and rule)")
    public static let participationTitle = Message(zh: "参保缴费进度（按网格）", en: "participation by grid")


}

extension Catalogue {
    // The feedback workbook that goes back to a department with its group list.
    public static let feedbackSheet = Message(zh: "名单反馈", en: "feedback")
    public static let feedbackLine = Message(zh: "行号", en: "line")
    public static let feedbackName = Message(zh: "姓名", en: "name")
    public static let feedbackID = Message(zh: "身份证号（脱敏）", en: "ID number (masked)")
    public static let feedbackResult = Message(zh: "结果", en: "result")
    public static let feedbackReason = Message(zh: "原因或说明", en: "reason or note")
    public static let feedbackImported = Message(zh: "已导入", en: "imported")
    public static let feedbackReturned = Message(zh: "退回", en: "returned")

    public static func feedbackTitle(group: String, department: String, list: String, date: CivilDate) -> Message {
        Message(zh: "\(group)名单导入反馈（\(department.isEmpty ? "部门未注明" : department)，\(list)，\(date.year)年\(date.month)月\(date.day)日）",
                en: "\(group) list: import feedback (\(department.isEmpty ? "no department" : department), \(list), \(date))")
    }

    public static func feedbackSummary(rows: Int, imported: Int, returned: Int) -> Message {
        Message(zh: "共 \(rows) 行：已导入 \(imported) 行，退回 \(returned) 行（请核实退回的行，更正后重新报送）",
                en: "\(rows) rows: \(imported) imported, \(returned) returned (check the returned rows, correct them and send them again)")
    }

    public static func feedbackWritten(_ path: String, returned: Int) -> Message {
        Message(zh: "已写出部门反馈 \(path)（退回 \(returned) 行，证件号已脱敏）", en: "wrote the department's feedback \(path) (\(returned) rows returned, IDs masked)")
    }
}

extension Catalogue {
    // 上门催缴名单: the door-to-door lists of the residents not yet paid.
    public static let doorToDoorSheet = Message(zh: "未缴费名单", en: "not yet paid")
    public static let doorToDoor = Message(zh: "上门催缴名单", en: "door-to-door list")
    public static let doorSeq = Message(zh: "序号", en: "no.")
    public static let doorPhone = Message(zh: "联系电话", en: "phone")
    public static let doorTier = Message(zh: "档次(元)", en: "tier (yuan)")
    public static let doorOwed = Message(zh: "应缴(元)", en: "owed (yuan)")
    public static let doorHowToPay = Message(zh: "缴费方式", en: "how to pay")
    public static let doorSignature = Message(zh: "本人签字/备注", en: "signature / note")
    public static let payAnyChannel = Message(zh: "银行网点柜台、手机银行或税务 App 缴纳", en: "at a bank counter, a bank's app or the tax app")
    public static let doorPublicity = Message(zh: "公示期：____年__月__日 至 ____年__月__日（公示期间如有异议，请向村（社区）或乡镇（街道）税务、医保经办窗口反映）",
                                              en: "Publicity period: ____-__-__ to ____-__-__ (objections during it: to the village (community) or the township's tax or medical insurance desk)")
    public static let doorSignatures = Message(zh: "网格员（签字）：____________    村（社区）负责人（签字）：____________    日期：______年____月____日",
                                               en: "Grid worker (signature): ____________    Village (community) head (signature): ____________    Date: ______-____-____")
    public static let doorNone = Message(zh: "本村（社区）没有未缴费的人员", en: "no one in this village (community) still owes")
    public static let doorPrintHint = Message(zh: "打印：用浏览器的打印（Ctrl+P）；打印出的只有标题、缴费期、公示期、名单和签字栏",
                                              en: "Print: the browser's print (Ctrl+P); the printout holds only the title, the window, the publicity period, the list and the signature lines")
    public static let doorDownload = Message(zh: "下载 XLSX", en: "Download XLSX")

    public static func payAtBank(_ bank: String) -> Message {
        Message(zh: "\(bank)网点柜台或手机银行缴纳；也可到税务 App 缴纳", en: "at a \(bank) counter or its app; or the tax app")
    }

    public static func doorToDoorTitle(place: String, year: Int) -> Message {
        Message(zh: "\(place) \(year)年度城乡居民两险未缴费名单", en: "\(place): residents not yet paid for \(year)")
    }

    public static func doorWindow(from: CivilDate, to: CivilDate) -> Message {
        Message(zh: "集中缴费期：\(from.year)年\(from.month)月\(from.day)日 至 \(to.year)年\(to.month)月\(to.day)日", en: "Collection window: \(from) to \(to)")
    }

    public static func doorCount(persons: Int, lines: Int) -> Message {
        Message(zh: "\(persons) 人，\(lines) 笔", en: "\(persons) persons, \(lines) dues")
    }

    public static func doorWritten(_ folder: String, villages: Int, persons: Int) -> Message {
        Message(zh: "已写出上门催缴名单 \(villages) 份（\(persons) 人）到 \(folder)", en: "wrote \(villages) door-to-door lists (\(persons) persons) to \(folder)")
    }
}

extension Catalogue {
    // The residents' workbook.
    public static let sheetByBank = Message(zh: "按银行", en: "by bank")
    public static let sheetByFile = Message(zh: "按文件", en: "by file")
    public static let sheetByGrid = Message(zh: "按网格", en: "by grid")
    public static let sheetPublicFunds = Message(zh: "财政资金", en: "public funds")
    public static let belowTargetMark = Message(zh: "低于目标", en: "below target")

    /// A cover year as people say it: `2027年度`, never a month.
    public static func coverYear(_ year: Int) -> Message { Message(zh: "\(year)年度", en: "cover year \(year)") }

    public static func residentsWorkbookWritten(_ path: String, year: Int) -> Message {
        Message(zh: "已写出 \(path)：\(year)年度城乡居民两险报表（按银行、文件、网格，财政资金，参保率）",
                en: "wrote \(path): the residents' report for \(year) (by bank, file and grid, public funds, participation)")
    }
}

extension Catalogue {
    /// A due's period as people read it: a month (`2026-12`), or a residents' cover year (`2027年度`;
    /// a later due of the year for a tier's difference: `2027年度（第 2 笔）`).
    public static func duePeriod(_ period: Period, annual: Bool) -> Message {
        guard annual else { return Message(zh: period.description, en: period.description) }
        return period.month == 1 ? coverYear(period.year)
            : Message(zh: "\(period.year)年度（第 \(period.month) 笔）", en: "cover year \(period.year) (due \(period.month))")
    }
}
