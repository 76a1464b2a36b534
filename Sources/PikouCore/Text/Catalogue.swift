/// Every text a person reads from Pikou, in Simplified Chinese and English: one catalogue shared by
/// the command line and the console. Codes that machines read (outcome codes, JSON keys, exit
/// codes) are not here; their labels are.
///
/// The entries the cycle's own types need (exclusions, next steps) extend it in PikouCycle.
public enum Catalogue {
    // MARK: Words used in many places

    public static let period = Message(zh: "期间", en: "PERIOD")
    public static let bank = Message(zh: "银行", en: "BANK")
    public static let file = Message(zh: "文件", en: "FILE")
    public static let payer = Message(zh: "证件号", en: "PAYER")
    public static let name = Message(zh: "姓名", en: "NAME")
    public static let phone = Message(zh: "电话", en: "PHONE")
    public static let account = Message(zh: "账号", en: "ACCOUNT")
    public static let amountYuan = Message(zh: "金额(元)", en: "YUAN")
    public static let outcome = Message(zh: "结果", en: "OUTCOME")
    public static let bankCode = Message(zh: "银行返回码", en: "BANK CODE")
    public static let bankText = Message(zh: "银行说明", en: "BANK TEXT")
    public static let attempts = Message(zh: "已扣次数", en: "ATTEMPTS")
    public static let nextStep = Message(zh: "下一步", en: "NEXT")
    public static let district = Message(zh: "区", en: "DISTRICT")
    public static let street = Message(zh: "街道", en: "STREET")
    public static let community = Message(zh: "社区", en: "COMMUNITY")
    public static let total = Message(zh: "合计", en: "TOTAL")
    public static let lines = Message(zh: "笔数", en: "LINES")
    public static let submitted = Message(zh: "提交笔数", en: "SUBMITTED")
    public static let submittedYuan = Message(zh: "提交金额", en: "YUAN")
    public static let succeeded = Message(zh: "成功笔数", en: "SUCCEEDED")
    public static let succeededYuan = Message(zh: "成功金额", en: "YUAN")
    public static let failed = Message(zh: "失败笔数", en: "FAILED")
    public static let failedYuan = Message(zh: "失败金额", en: "YUAN")
    public static let pending = Message(zh: "待回盘笔数", en: "PENDING")
    public static let pendingYuan = Message(zh: "待回盘金额", en: "YUAN")
    public static let exceptionsColumn = Message(zh: "异常", en: "EXCEPT")
    public static let notWritten = Message(zh: "（已预留未写出）", en: " (NOT WRITTEN)")
    public static let state = Message(zh: "状态", en: "STATE")
    public static let detail = Message(zh: "说明", en: "DETAIL")
    public static let note = Message(zh: "处理意见", en: "NOTE")
    public static let by = Message(zh: "处理人", en: "BY")
    public static let at = Message(zh: "时间", en: "AT")
    public static let id = Message(zh: "编号", en: "ID")
    public static let line = Message(zh: "行", en: "LINE")
    public static let kind = Message(zh: "类型", en: "KIND")
    public static let returnFile = Message(zh: "回盘文件", en: "RETURN FILE")
    public static let open = Message(zh: "待处理", en: "open")
    public static let resolved = Message(zh: "已处理", en: "resolved")
    public static let yes = Message(zh: "是", en: "yes")
    public static let no = Message(zh: "否", en: "no")

    /// `… N more rows (--limit N shows more; csv and json list all)`.
    public static func rowsLeftOut(_ count: Int, limit: Int) -> Message {
        Message(zh: "……另有 \(count) 行未显示（--limit 调整显示行数；csv、json 格式输出全部）",
                en: "... \(count) more rows not shown (--limit sets how many; csv and json list all)")
    }

    /// Under a table fitted to the screen: the columns it left out.
    public static func columnsLeftOut(_ titles: [String]) -> Message {
        Message(zh: "（为适应屏幕宽度未显示：\(titles.joined(separator: "、"))；--wide 显示全部列）",
                en: "(left out to fit the screen: \(titles.joined(separator: ", ")); --wide shows every column)")
    }

    // MARK: report

    public static let group = Message(zh: "分组", en: "GROUP")
    public static let payersOwing = Message(zh: "应缴人数", en: "OWING")
    public static let owingYuan = Message(zh: "应缴金额", en: "OWING YUAN")
    public static let payersPaid = Message(zh: "已缴人数", en: "PAID")
    public static let paidYuan = Message(zh: "已缴金额", en: "PAID YUAN")
    public static let paidRate = Message(zh: "缴费率", en: "RATE")
    public static let successRate = Message(zh: "成功率", en: "SUCCESS")
    public static let paidTwice = Message(zh: "重复缴费", en: "PAID TWICE")

    public static func reportExceptions(_ count: Int) -> Message { Message(zh: "异常（\(count) 条）：", en: "exceptions (\(count)):") }

    public static func moreExceptions(_ count: Int) -> Message {
        Message(zh: "……另有 \(count) 条（`pikou exceptions list` 或 --format json 列出全部）",
                en: "... \(count) more (`pikou exceptions list` or --format json lists all)")
    }

    // MARK: Outcomes and exceptions

    /// An outcome's label: Chinese as operators know it, the stable code in English.
    public static func outcome(_ outcome: Outcome) -> Message { Message(zh: outcome.label, en: outcome.rawValue) }

    /// An exception kind in words.
    public static func exceptionKind(_ kind: ExceptionKind) -> Message {
        switch kind {
        case .unmatched: Message(zh: "无对应扣款", en: "unmatched")
        case .amountMismatch: Message(zh: "金额不符", en: "amountMismatch")
        case .accountMismatch: Message(zh: "账号不符", en: "accountMismatch")
        case .idNumberMismatch: Message(zh: "证件号不符", en: "idNumberMismatch")
        case .duplicateLine: Message(zh: "重复回盘行", en: "duplicateLine")
        case .conflictingResult: Message(zh: "结果冲突", en: "conflictingResult")
        case .unknownCode: Message(zh: "未知返回码", en: "unknownCode")
        case .afterCancel: Message(zh: "撤销后回盘", en: "afterCancel")
        }
    }

    // MARK: status

    public static func successRates(lines: String, yuan: String) -> Message {
        Message(zh: "成功率：笔数 \(lines)%，金额 \(yuan)%", en: "success rate: \(lines)% of lines, \(yuan)% of yuan")
    }

    // MARK: failures

    public static func failedDebits(_ count: Int, yuan: String, steps: String) -> Message {
        Message(zh: "失败扣款 \(count) 笔，合计 \(yuan) 元：\(steps)", en: "\(count) failed debits, \(yuan) yuan: \(steps)")
    }

    public static func unwrittenNote(lines: Int, files: Int, names: String) -> Message {
        Message(zh: "注意：\(files) 个已预留的文件（\(names)）中的 \(lines) 笔扣款从未写出，其欠费未列在上面。`pikou resubmit` 会先写出它们。",
                en: "note: \(lines) debits in \(files) reserved files were never written (\(names)); their dues are not listed above. `pikou resubmit` writes them first.")
    }

    // MARK: exceptions

    public static func exceptionsCount(_ count: Int, state: String) -> Message {
        Message(zh: "\(state)异常 \(count) 条", en: "\(count) \(state.isEmpty ? "" : state + " ")exceptions")
    }

    public static func exceptionResolved(id: Int64, place: String, kind: String, actor: String) -> Message {
        Message(zh: "异常 \(id)（\(place) \(kind)）已由 \(actor) 处理", en: "exception \(id) (\(place) \(kind)) resolved by \(actor)")
    }

    public static func exceptionReopened(id: Int64, place: String, kind: String) -> Message {
        Message(zh: "异常 \(id)（\(place) \(kind)）已重新打开", en: "exception \(id) (\(place) \(kind)) open again")
    }

    // MARK: check

    public static let checkOK = Message(
        zh: "核查通过：每个文件及总体金额平衡，无重复缴费，文件内无重复缴费人，每条回盘行已入账或已列为异常，日志链完整，封印、归档与锚点相符",
        en: "check: OK — money balances per file and overall, no due paid twice, no payer twice in a file, every return line posted or raised, journal intact, seals, archive and anchors hold")

    public static func checkViolations(_ count: Int) -> Message {
        Message(zh: "核查发现 \(count) 处违反", en: "check: \(count) violation(s)")
    }

    public static func symbolicLinkInWorkspace(path: String, target: String) -> Message {
        Message(zh: "警告：工作区内的 \(path) 是符号链接（指向 \(target)）：写入的个人信息和证据会落到工作区之外；换成真实的文件夹或文件",
                en: "warning: \(path) inside the workspace is a symbolic link (to \(target)): what is written there lands outside the workspace; make it a real folder or file")
    }

    public static func widePermission(path: String, mode: String) -> Message {
        Message(zh: "警告：\(path) 的权限为 \(mode)，其他用户可读取个人信息；用 `chmod -R go-rwx \(path)` 收紧（目录 0700，文件 0600）",
                en: "warning: \(path) has mode \(mode): others may read personal data; tighten it with chmod -R go-rwx (folders 0700, files 0600)")
    }

    public static let violation = Message(zh: "违反", en: "VIOLATION")

    // MARK: roster import

    public static func rosterImported(file: String, imported: Int, rejected: Int) -> Message {
        Message(zh: "\(file)：导入 \(imported) 行，拒绝 \(rejected) 行", en: "\(file): \(imported) rows imported, \(rejected) rejected")
    }

    /// A roster import's counts; the households' line only when the roster links any.
    public static func rosterCounts(payers: (Int, Int), agreements: (Int, Int), enrollments: (Int, Int), households: (Int, Int) = (0, 0), unchanged: Int) -> [Message] {
        [
            Message(zh: "  缴费人：新增 \(payers.0)，更新 \(payers.1)", en: "  payers:      +\(payers.0) new, \(payers.1) updated"),
            Message(zh: "  协议：  新增 \(agreements.0)，更新 \(agreements.1)", en: "  agreements:  +\(agreements.0) new, \(agreements.1) updated"),
            Message(zh: "  参保：  新增 \(enrollments.0)，更新 \(enrollments.1)", en: "  enrollments: +\(enrollments.0) new, \(enrollments.1) updated"),
            households.0 + households.1 > 0
                ? Message(zh: "  户号：  新增 \(households.0)，更新 \(households.1)", en: "  households:  +\(households.0) new, \(households.1) updated") : nil,
            Message(zh: "  未变化：\(unchanged) 行", en: "  unchanged:   \(unchanged) rows"),
        ].compactMap { $0 }
    }

    /// Household numbers the store links to too many payers after a roster import.
    public static func oversizedHouseholds(_ count: Int) -> Message {
        Message(zh: "警告：对账库中有 \(count) 个户号各关联了 \(Household.maxSize) 人以上，不是一户：这些户号不按夫妻或全户认定群体政策；请检查各乡镇的户号是否重号（户号须在全县唯一）",
                en: "warning: \(count) household numbers link more than \(Household.maxSize) payers each in the store, which no household does: group rules for spouses or households do not read them; check whether towns number their households alike (a number must be unique in the county)")
    }

    public static func rejectsFile(_ path: String) -> Message {
        Message(zh: "  被拒绝的行：  \(path)（每行附原因，改正后可再次导入）", en: "  rejects:     \(path)")
    }

    // MARK: passphrase files

    public static let passphraseFileUnreadable = Message(zh: "口令文件无法读取", en: "the passphrase file cannot be read")
    public static func passphraseFileReadableByOthers(mode: String) -> Message {
        Message(zh: "口令文件权限为 \(mode)，他人可读", en: "the passphrase file's mode is \(mode): others can read it")
    }
    public static let passphraseFileFix = Message(zh: "chmod 600 该文件", en: "chmod 600 the file")
    public static let passphraseFileEmpty = Message(zh: "口令文件为空", en: "the passphrase file is empty")

    /// A payment above the due it pays, set aside.
    public static func paymentAboveDue(file: String, line: Int, due: String) -> Message {
        Message(zh: "\(file):\(line)：错误：缴费金额高于该月应缴 \(due) 元，未登记（核对 amount_fen 是否以分为单位、是否串行）",
                en: "\(file):\(line): error: the payment is more than the month's due of \(due) yuan; not recorded (check amount_fen is in fen and the row is the right one)")
    }

    public static func paymentsImported(file: String, recorded: Int, known: Int, unknownPayers: Int, rejected: Int) -> Message {
        Message(zh: "\(file)：登记缴费 \(recorded) 笔，已登记过 \(known) 笔，名册中无此缴费人 \(unknownPayers) 笔，拒绝 \(rejected) 行",
                en: "\(file): \(recorded) payments recorded, \(known) already known, \(unknownPayers) for unknown payers, \(rejected) rejected")
    }

    // MARK: returns ingest

    public static func returnPosted(path: String, debitFile: String, succeeded: Int, succeededYuan: String, failed: Int, failedYuan: String,
                                    exceptions: Int) -> Message {
        Message(zh: "\(path)：已入账到 \(debitFile)：成功 \(succeeded) 笔（\(succeededYuan) 元），失败 \(failed) 笔（\(failedYuan) 元），异常 \(exceptions) 条",
                en: "\(path): posted to \(debitFile): \(succeeded) succeeded (\(succeededYuan) yuan), \(failed) failed (\(failedYuan) yuan), \(exceptions) exceptions")
    }

    public static func alreadyIngested(path: String, bank: String, at: String) -> Message {
        Message(zh: "\(path)：\(bank) 已于 \(at) 导入过，未作任何改动", en: "\(path): already ingested for \(bank) at \(at); nothing changed")
    }

    // MARK: init

    public static func created(_ path: String) -> Message { Message(zh: "已创建 \(path)", en: "created \(path)") }

    public static func workspaceReady(banks: [String], testKeys: Bool) -> Message {
        let list = banks.joined(separator: ", ")
        return Message(zh: "工作区已就绪：启用 \(banks.count) 家银行（\(list)）\(testKeys ? "，测试密钥（仅供演示）" : "")",
                       en: "workspace ready: \(banks.count) banks enabled (\(list))\(testKeys ? ", TEST keys" : "")")
    }

    public static func noBanks(_ directory: String) -> Message {
        Message(zh: "\(directory)/banks 中没有银行格式定义，工作区未创建：用 --formats DIR 或 PIKOU_FORMATS 指定 Formats 目录（`make install` 安装在 PREFIX/share/pikou/Formats）",
                en: "no bank specs in \(directory)/banks, so no workspace was made: name the Formats folder with --formats DIR or PIKOU_FORMATS (`make install` puts it in PREFIX/share/pikou/Formats)")
    }

    public static func nextRosterImport(_ directory: String) -> Message {
        Message(zh: "下一步：pikou roster import 名册.csv --workspace \(directory)", en: "next: pikou roster import ROSTER.csv --workspace \(directory)")
    }

    // MARK: lists

    public static func payersPaid(_ count: Int, yuan: String) -> Message {
        Message(zh: "已缴费 \(count) 人，合计 \(yuan) 元", en: "\(count) payers, \(yuan) yuan")
    }

    public static func payersInterrupted(_ count: Int, months: Int, through period: Period) -> Message {
        Message(zh: "截至 \(period.chinese) 连续 \(months) 期扣款失败 \(count) 人", en: "\(count) payers failed \(months) cycle(s) in a row through \(period)")
    }

    public static func payersToRefund(_ count: Int, yuan: String) -> Message {
        Message(zh: "需退费 \(count) 人，合计 \(yuan) 元", en: "\(count) payers to refund, \(yuan) yuan")
    }

    // MARK: payer show

    public static func payerHeadline(id: String, name: String, phone: String, place: String) -> Message {
        Message(zh: "缴费人 \(id) \(name)，电话 \(phone.isEmpty ? "无" : phone)，\(place)", en: "payer \(id) \(name), phone \(phone.isEmpty ? "none" : phone), \(place)")
    }

    public static func noSuchPayer(_ masked: String) -> Message {
        Message(zh: "名册中没有缴费人 \(masked)（先用 `pikou roster import` 导入）", en: "no payer \(masked) in the roster (import it with `pikou roster import`)")
    }

    public static let agreementsTitle = Message(zh: "代扣协议", en: "Agreements")
    public static let enrollmentsTitle = Message(zh: "参保", en: "Enrollments")
    public static let duesTitle = Message(zh: "欠费", en: "Dues")
    public static let debitsTitle = Message(zh: "扣款", en: "Debits")
    public static let paymentsTitle = Message(zh: "其他渠道缴费", en: "Payments elsewhere")
    public static let journalTitle = Message(zh: "日志", en: "Journal")
    public static let none = Message(zh: "：无", en: ": none")
    public static let accountName = Message(zh: "户名", en: "ACCOUNT NAME")
    public static let version = Message(zh: "版本", en: "VERSION")
    public static let active = Message(zh: "有效", en: "active")
    public static let revoked = Message(zh: "已撤销", en: "revoked")
    public static let suspendedState = Message(zh: "停保", en: "suspended")
    public static let insuranceColumn = Message(zh: "险种", en: "INSURANCE")
    public static let tier = Message(zh: "档次", en: "TIER")
    public static let from = Message(zh: "起始期", en: "FROM")
    public static let until = Message(zh: "终止期", en: "UNTIL")
    public static let collectionDate = Message(zh: "扣款日", en: "COLLECTION")
    public static let awaitingReturn = Message(zh: "待回盘", en: "pending")
    public static let channel = Message(zh: "渠道", en: "CHANNEL")
    public static let reference = Message(zh: "流水号", en: "REFERENCE")
    public static let action = Message(zh: "操作", en: "ACTION")

    /// An insurance by name.
    public static func insurance(_ insurance: Insurance) -> Message {
        switch insurance {
        case .pension: Message(zh: "养老保险", en: "pension")
        case .medical: Message(zh: "医疗保险", en: "medical")
        }
    }

    /// A due's state.
    public static func dueState(_ state: DueState) -> Message {
        switch state {
        case .open: Message(zh: "未缴", en: "open")
        case .pending: Message(zh: "扣款中", en: "pending at the bank")
        case .paid: Message(zh: "已扣款", en: "paid by debit")
        case .paidElsewhere: Message(zh: "已在其他渠道缴费", en: "paid elsewhere")
        }
    }

    // MARK: agreements

    public static func agreementNow(id: String, bank: String, account: String, name: String, version: Int64) -> Message {
        Message(zh: "缴费人 \(id) 在 \(bank) 的协议：账号 \(account)，户名 \(name)，版本 \(version)",
                en: "agreement of \(id) at \(bank): account \(account), \(name), version \(version)")
    }

    public static func agreementRevoked(id: String, bank: String, version: Int64) -> Message {
        Message(zh: "缴费人 \(id) 在 \(bank) 的协议已撤销（版本 \(version)）", en: "agreement of \(id) at \(bank) revoked (version \(version))")
    }

    // MARK: errors around the commands

    public static let seeHelp = Message(zh: "（该命令的 --help 列出可用选项及取值）", en: "(the command's --help lists its options and values)")
    public static let error = Message(zh: "错误", en: "error")
}

extension Period {
    /// The period as Chinese write it: `2026年12月`.
    public var chinese: String { "\(year)年\(month)月" }
}
