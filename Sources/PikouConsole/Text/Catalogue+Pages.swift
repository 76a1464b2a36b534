public import PikouCore

/// The console's words (Chinese first), one entry per text a page shows.
extension Catalogue {
    public enum Page {
        public static let refused = Message(zh: "请求被拒绝", en: "Refused")
        public static let formExpired = Message(zh: "表单已过期，请刷新页面后再试", en: "the form expired; reload the page and try again")
        public static let loginPageExpired = Message(zh: "登录页已过期，请重新登录", en: "the login page expired; log in again")
        public static let agreements = Message(zh: "协议更正", en: "Agreements")
        public static let unchanged = Message(zh: "不变", en: "unchanged")
        public static let agreementNo = Message(zh: "协议号", en: "Agreement no.")
        public static let newAccount = Message(zh: "新账号", en: "New account")
        public static let newAccountName = Message(zh: "新户名", en: "New account name")
        public static let moveToBank = Message(zh: "改到银行", en: "Move to bank")
        public static let correct = Message(zh: "更正", en: "Correct")
        public static let revoke = Message(zh: "撤销协议", en: "Revoke")
        public static let noActiveAgreement = Message(zh: "没有有效的代扣协议。", en: "No active agreement.")
        public static let payerPage = Message(zh: "缴费人详情", en: "Payer page")
        public static let noIDNumber = Message(zh: "缺少身份证号", en: "no ID number")
        public static let giveAccountNameOrBank = Message(zh: "请填写新账号、新户名或改到的银行", en: "give a new account, a new name or another bank")
        public static let auditLog = Message(zh: "审计日志", en: "Audit log")
        public static let chainIntact = Message(zh: "哈希链完整", en: "chain intact")
        public static let resultAtMostMinuteOld = Message(zh: "（校验结果最多保留一分钟）", en: "(a result at most a minute old)")
        public static let subject = Message(zh: "对象", en: "Subject")
        public static let filter = Message(zh: "筛选", en: "Filter")
        public static let exceptions = Message(zh: "异常处理", en: "Exceptions")
        public static let reopen = Message(zh: "重新打开", en: "Reopen")
        public static let resolve = Message(zh: "处理完毕", en: "Resolve")
        public static let all = Message(zh: "全部", en: "all")
        // 失败明细: search, export, rows ticked
        public static let select = Message(zh: "选择", en: "Select")
        public static let search = Message(zh: "查找", en: "Search")
        public static let searchAnything = Message(zh: "证件号、姓名、电话或账号（后四位）", en: "ID, name, phone or account (last 4)")
        public static let searchByID = Message(zh: "完整证件号", en: "the whole ID number")
        public static let exportXLSX = Message(zh: "导出 Excel（XLSX）", en: "Export XLSX")
        public static let exportCSV = Message(zh: "导出 CSV", en: "Export CSV")
        public static let noteForSelected = Message(zh: "给所选各行的备注", en: "Note for the selected rows")
        public static let addNote = Message(zh: "添加备注", en: "Add the note")
        public static let resubmitSelected = Message(zh: "重扣所选（先预览）", en: "Resubmit the selected (preview first)")
        public static let selectRows = Message(zh: "请先勾选行（每次最多一页），再选择操作", en: "tick rows first (a page at most), then choose what to do")
        public static func resubmitTicked(_ count: Int) -> Message {
            Message(zh: "只预览在失败明细中勾选的 \(count) 行；用下面的表单另选。", en: "previewing only the \(count) rows ticked in Failures; choose anew below.")
        }
        public static let bankConfirmed = Message(zh: "银行确认的结果", en: "Result the bank confirmed")
        public static let confirmedHow = Message(zh: "与银行谁、何时核实", en: "Confirmed with whom, when")
        public static let postConfirmed = Message(zh: "按确认结果入账", en: "Post the confirmed result")
        public static let confirmedResult = Message(zh: "经办人员确认", en: "Confirmed by an operator")
        public static let whoseDebit = Message(zh: "扣款（缴费人、文件、金额）", en: "Debit (payer, file, amount)")
        public static let noDebitMatched = Message(zh: "未对应到扣款", en: "no debit matched")
        // 趋势
        public static let trends = Message(zh: "趋势", en: "Trends")
        public static let allBanks = Message(zh: "全部银行", en: "All banks")
        public static let successRateByBank = Message(zh: "各银行扣款成功率（已回盘笔数中成功的比例）", en: "Success rate by bank (of the lines answered)")
        public static let failuresByReason = Message(zh: "失败笔数（按原因）", en: "Failed lines by reason")
        public static let retrySuccess = Message(zh: "重扣成功率", en: "Resubmissions' success")
        public static let retrySuccessRate = Message(zh: "重扣成功率", en: "Resubmission success rate")
        public static let resubmittedAnswered = Message(zh: "重扣已回盘笔数", en: "Resubmitted lines answered")
        public static let resubmittedSucceeded = Message(zh: "重扣成功笔数", en: "Resubmitted lines succeeded")
        public static func trendsAbout(_ first: String, _ last: String) -> Message {
            Message(zh: "\(first) 至 \(last) 的按月扣款（含重扣，不含城乡居民征缴期轮次）；待回盘的笔数不计入比例。",
                    en: "Monthly debits \(first) to \(last) (resubmissions included, the residents' rounds not); lines awaiting their return are left out of the rates.")
        }
        // 用户管理
        public static let usersTitle = Message(zh: "用户管理", en: "Users")
        public static let userName = Message(zh: "用户", en: "User")
        public static let role = Message(zh: "角色", en: "Role")
        public static let secondFactor = Message(zh: "两步验证", en: "Two-step login")
        public static let enableOrDisable = Message(zh: "停用或启用", en: "Disable or enable")
        public static let setSecondFactor = Message(zh: "设置两步验证", en: "Set two-step login")
        public static let resetPassword = Message(zh: "重设密码", en: "Reset the password")
        public static let newPassword = Message(zh: "新密码", en: "New password")
        public static let passwordAgain = Message(zh: "再输一次", en: "Again")
        public static let initialPassword = Message(zh: "初始密码", en: "First password")
        public static let addUser = Message(zh: "新增用户", en: "Add a user")
        public static let chooseRole = Message(zh: "请选择角色", en: "choose a role")
        public static let userActive = Message(zh: "正常", en: "active")
        public static let userDisabled = Message(zh: "已停用", en: "disabled")
        public static let enableUser = Message(zh: "启用", en: "Enable")
        public static let disableUser = Message(zh: "停用", en: "Disable")
        public static let totpOn = Message(zh: "开启", en: "Turn on")
        public static let totpOff = Message(zh: "关闭", en: "Turn off")
        public static let passwordsDiffer = Message(zh: "两次输入的密码不同", en: "the two passwords differ")
        public static let cannotDisableSelf = Message(zh: "不能停用自己的账户（请另一位管理员操作）", en: "you cannot disable yourself (ask another admin)")
        public static let unknownUserAction = Message(zh: "未知的用户操作", en: "unknown action on a user")
        public static func usersRules(_ minimum: Int) -> Message {
            Message(zh: "规则与命令行 `pikou users` 相同：密码至少 \(minimum) 位；每次更改记入日志并封印，`pikou check` 据此核对用户文件。停用的用户下一次点击时退出。",
                    en: "The rules of `pikou users`: passwords of \(minimum) characters or more; each change is journaled and sealed, and `pikou check` holds the users file to it. A disabled user is logged out at their next click.")
        }
        public static func userAdded(_ name: String, role: Message) -> Message { Message(zh: "已新增用户 \(name)（\(role.zh)）", en: "added \(name) (\(role.en))") }
        public static func userDisabledDone(_ name: String) -> Message { Message(zh: "已停用 \(name)", en: "disabled \(name)") }
        public static func userEnabledDone(_ name: String) -> Message { Message(zh: "已启用 \(name)", en: "enabled \(name)") }
        public static func passwordResetDone(_ name: String) -> Message { Message(zh: "已为 \(name) 重设密码（同时解除锁定）", en: "new password set for \(name) (and unlocked)") }
        public static func totpOnDone(_ name: String) -> Message {
            Message(zh: "已为 \(name) 开启两步验证：请与其一起把下面的地址添加到手机验证器（此地址只显示这一次）",
                    en: "two-step login is on for \(name): add the address below to their authenticator app with them (it is shown this once)")
        }
        public static func totpOffDone(_ name: String) -> Message { Message(zh: "已为 \(name) 关闭两步验证", en: "two-step login is off for \(name)") }
        // 撤销协议, confirmed
        public static let revokeTitle = Message(zh: "确认撤销协议", en: "Confirm the revocation")
        public static let revokeReason = Message(zh: "撤销原因（必填，记入日志）", en: "Reason (required, journaled)")
        public static let confirmRevoke = Message(zh: "确认撤销", en: "Revoke")
        public static let cancel = Message(zh: "取消", en: "Cancel")
        public static let revokeNeedsReason = Message(zh: "撤销协议须在确认页填写原因（2 至 200 字）", en: "a revocation needs its reason, given on the confirmation page (2 to 200 characters)")
        public static func revokeWillChange(_ bank: String) -> Message {
            Message(zh: "撤销后 \(bank) 不再为该缴费人扣款，此操作不可撤回；已写出、待回盘的扣款照常入账。重新代扣须办理新协议（导入名册）。",
                    en: "After this, \(bank) debits this payer no more; it cannot be undone. Debits already written are posted as their returns come. A new agreement (a roster import) is needed to debit again.")
        }
        public static func failuresNoted(_ count: Int) -> Message {
            Message(zh: "已为 \(count) 笔失败扣款添加备注（记入日志，见各缴费人详情）", en: "noted \(count) failed debits (journaled; see each payer's page)")
        }
        public static let noExceptionNumber = Message(zh: "缺少异常编号", en: "no exception number")
        public static let writeNoteWhatWasFound = Message(zh: "请填写处理意见：查到了什么、做了什么", en: "write a note: what was found or done")
        public static let failures = Message(zh: "失败明细", en: "Failures")
        public static let attemptsAtLeast = Message(zh: "已扣次数至少", en: "Attempts at least")
        public static let districtStreetCommunity = Message(zh: "区 / 街道 / 社区", en: "district / street / community")
        public static let gridProgress = Message(zh: "网格进度", en: "Grid progress")
        public static let allDistricts = Message(zh: "全部区", en: "All districts")
        public static let subtotal = Message(zh: "小计", en: "Subtotal")
        public static let belowTarget = Message(zh: "未达目标", en: "below target")
        public static let flexibleWorkersMonthly = Message(zh: "灵活就业人员（按月）", en: "Flexible workers (monthly)")
        public static let blank = Message(zh: "", en: "")
        public static let overview = Message(zh: "总览", en: "Overview")
        public static let reservedNotWritten = Message(zh: "已预留未写出", en: "reserved, not written")
        public static let writtenAwaitingReturn = Message(zh: "已写出，待回盘", en: "written, awaiting return")
        public static let returned = Message(zh: "已回盘", en: "returned")
        public static let moneyMatchesList = Message(zh: "钱表相符", en: "Money matches the list")
        public static let byBank = Message(zh: "各银行", en: "By bank")
        public static let files = Message(zh: "文件", en: "Files")
        public static let round = Message(zh: "轮次", en: "Round")
        public static let fileDate = Message(zh: "文件日期", en: "File date")
        public static func roundNumber(_ n: Int) -> Message { Message(zh: "第 \(n) 轮", en: "round \(n)") }
        public static let doorToDoorLists = Message(zh: "上门催缴名单", en: "Door-to-door lists")
        public static let doorToDoorColumn = Message(zh: "未缴名单", en: "Unpaid list")
        public static let noVillageChosen = Message(zh: "请从网格进度（城乡居民两险，按社区）中选择一个村（社区）", en: "choose a village (community) on 网格进度's residents' view")
        public static let residentsWorkbook = Message(zh: "城乡居民两险报表（XLSX：按银行、文件、网格，财政资金，参保率）",
                                                      en: "Residents' report (XLSX: by bank, file and grid, public funds, participation)")
        public static let match = Message(zh: "相符", en: "MATCH")
        public static let pending = Message(zh: "未结清", en: "PENDING")
        public static let mismatch = Message(zh: "不符", en: "MISMATCH")
        public static let noData = Message(zh: "无数据", en: "NO DATA")
        public static let payerLookUp = Message(zh: "缴费人查询", en: "Payer")
        public static let correctOrRevokeAgreement = Message(zh: "更正或撤销协议", en: "Correct or revoke an agreement")
        public static let memo = Message(zh: "附言", en: "Memo")
        public static let downloads = Message(zh: "报表下载", en: "Downloads")
        public static let reconciliationWorkbookXLSX = Message(zh: "对账工作簿（XLSX）", en: "Reconciliation workbook (XLSX)")
        public static let workbookSheets = Message(zh: "汇总、网格进度、失败明细、异常、失败原因", en: "summary, grid, failures, exceptions, outcomes")
        public static let reconciliationCSVUTF8 = Message(zh: "对账表（CSV，UTF-8）", en: "Reconciliation (CSV, UTF-8)")
        public static let byBankNote = Message(zh: "按银行", en: "by bank")
        public static let reconciliationCSVGBK = Message(zh: "对账表（CSV，GBK）", en: "Reconciliation (CSV, GBK)")
        public static let forOlderExcel = Message(zh: "旧版 Excel", en: "for older Excel")
        public static let reconciliationJSON = Message(zh: "对账表（JSON）", en: "Reconciliation (JSON)")
        public static let forOtherSystems = Message(zh: "供其他系统读取", en: "for other systems")
        public static let whoPaidIDsAndNames = Message(zh: "本期已缴人员，证件号与姓名已脱敏", en: "who paid, IDs and names masked")
        public static let failedTwoPeriodsInRow = Message(zh: "连续两期扣款失败，附电话", en: "failed two periods in a row, with phones")
        public static let debitedAndAlsoPaidElsewhere = Message(zh: "银行扣款后又在其他渠道缴费", en: "debited and also paid elsewhere")
        public static let download = Message(zh: "下载", en: "Download")
        public static let debitAndReturnFiles = Message(zh: "扣款文件与回盘文件", en: "Debit and return files")
        public static let noDebitFilesYet = Message(zh: "还没有扣款文件", en: "no debit files yet")
        public static let workbookWasNotWritten = Message(zh: "工作簿未能写出", en: "the workbook was not written")
        public static let fileDownload = Message(zh: "文件下载", en: "File download")
        public static let kindMustBeDebitOrReturn = Message(zh: "kind 应为 debit 或 return", en: "kind must be debit or return")
        public static let fileNumberIsNotValid = Message(zh: "文件编号无效", en: "the file number is not valid")
        public static let noSuchFile = Message(zh: "没有这个文件", en: "no such file")
        public static let resubmit = Message(zh: "重扣", en: "Resubmit")
        public static let choosePeriodBankOrOutcome = Message(zh: "选好期间、银行或结果后点“预览”。", en: "Choose a period, bank or outcome, then Preview.")
        public static let previewMissing = Message(zh: "缺少预览的笔数和金额：请先预览", en: "the preview's lines and yuan are missing: preview first")
        public static let changedSincePreview = Message(zh: "预览之后情况有变（其他人已重扣，或回盘已入账）：未写出任何文件。下面是现在的预览，请核对后再确认", en: "things changed since the preview (someone else resubmitted, or a return was ingested): no file was written. Below is the preview as it is now; check it and confirm again")
        public static let asRetryPolicySays = Message(zh: "按重扣规则", en: "as the retry policy says")
        public static let preview = Message(zh: "预览", en: "Preview")
        public static let wouldBeWritten = Message(zh: "将写出", en: "Would be written")
        public static let lines = Message(zh: "笔", en: "lines")
        public static let yuan = Message(zh: "元", en: "yuan")
        public static let failuresByNextStep = Message(zh: "失败明细按下一步", en: "Failures by next step")
        public static let nothingCanBeResubmittedNow = Message(zh: "现在没有可重扣的失败。", en: "Nothing can be resubmitted now.")
        public static let backToOverview = Message(zh: "回到总览", en: "Back to the overview")
        public static let pikouConsole = Message(zh: "批扣工作台", en: "Pikou console")
        public static let payer = Message(zh: "缴费人", en: "Payer")
        public static let logOut = Message(zh: "退出", en: "Log out")
        public static let logIn = Message(zh: "登录", en: "Log in")
        public static let user = Message(zh: "用户名", en: "User")
        public static let password = Message(zh: "密码", en: "Password")
        public static let twoStepCode = Message(zh: "验证码（已开启两步验证时填写）", en: "Code (with two-step login on)")
        public static let notAllowed = Message(zh: "无权访问", en: "Not allowed")
        public static let previous = Message(zh: "上一页", en: "Previous")
        public static let next = Message(zh: "下一页", en: "Next")
        public static let succeeded = Message(zh: "成功", en: "succeeded")
        public static let failed = Message(zh: "失败", en: "failed")
        public static let linesAwaitingReturn = Message(zh: "待回盘", en: "pending")
        public static let linesPerBank = Message(zh: "各银行扣款笔数", en: "lines per bank")
        public static let invalidPeriod = Message(zh: "期间无效", en: "Invalid period")
        public static let show = Message(zh: "查看", en: "Show")
        public static let noDebitFilesRunCycle = Message(zh: "还没有扣款文件：先运行 `pikou cycle run`", en: "no debit files yet: run `pikou cycle run` first")
        public static let idNumber18Characters = Message(zh: "身份证号（18 位）", en: "ID number (18 characters)")
        public static let lookUp = Message(zh: "查询", en: "Look up")
        public static let operatorText = Message(zh: "经办人员", en: "operator")
        public static let finance = Message(zh: "财务", en: "finance")
        public static let auditor = Message(zh: "审计", en: "auditor")
        public static let admin = Message(zh: "管理员", en: "admin")
        public static let passwordTooLong = Message(zh: "密码最多 72 个字节", en: "a password has at most 72 bytes")

        public static func loginRefused(after wrong: Int, minutes: Int) -> Message {
            Message(zh: "用户名、密码或验证码不对，或账户已锁定、已停用。连续输错 \(wrong) 次锁定 \(minutes) 分钟；忘记密码请找管理员",
                    en: "wrong user name, password or code, or the account is locked or disabled. \(wrong) wrong passwords in a row lock it for \(minutes) minutes; an admin resets a forgotten password")
        }
        public static func agreementNotChanged(_ reason: String) -> Message { Message(zh: "未能更正：\(reason)", en: "not changed: \(reason)") }
        public static func chainBroken(at entry: Int64) -> Message {
            Message(zh: "哈希链在编号 \(entry) 的记录处断开：日志被改动过。运行 `pikou check` 并报告",
                    en: "the hash chain breaks at entry \(entry): the journal was changed. Run `pikou check` and report it")
        }
        public static func entriesCount(_ count: String) -> Message { Message(zh: "共 \(count) 条", en: "\(count) entries") }
        public static func invalidExceptionState(_ text: String) -> Message {
            Message(zh: "状态“\(text)”无效：open、resolved 或 all", en: "state '\(text)' is not valid: open, resolved or all")
        }
        public static func exceptionsCount(_ count: String) -> Message { Message(zh: "共 \(count) 条", en: "\(count) exceptions") }
        public static func exceptionNotChanged(_ reason: String) -> Message { Message(zh: "未能更改：\(reason)", en: "not changed: \(reason)") }
        public static func invalidNextStep(_ text: String) -> Message { Message(zh: "下一步“\(text)”无效", en: "next step '\(text)' is not valid") }
        public static func invalidAttempts(_ text: String) -> Message {
            Message(zh: "已扣次数“\(text)”无效：写 1 或更大的整数", en: "attempts '\(text)' is not valid: 1 or more")
        }
        public static func failuresCount(_ count: String) -> Message { Message(zh: "共 \(count) 笔", en: "\(count) failures") }
        public static func invalidLevel(_ text: String) -> Message {
            Message(zh: "层级“\(text)”无效：district、street 或 community", en: "level '\(text)' is not valid: district, street or community")
        }
        public static func residentsParticipation(_ year: Int) -> Message { Message(zh: "城乡居民两险 \(year) 参保缴费进度", en: "Residents \(year): participation") }
        public static func filesReservedNotWritten(_ count: Int) -> Message {
            Message(zh: "\(count) 个文件已在库中预留但未写出：下次 `pikou cycle run` 或 `pikou resubmit` 会写出，或用 `pikou files release` 放弃",
                    en: "\(count) files are reserved in the store but not written: the next `pikou cycle run` or `pikou resubmit` writes them, or `pikou files release` gives them up")
        }
        public static func noSuchDownload(_ what: String) -> Message { Message(zh: "没有“\(what)”这种报表", en: "there is no download '\(what)'") }
        public static func fileUnavailable(_ reason: String) -> Message { Message(zh: "文件不可下载：\(reason)", en: "the file cannot be downloaded: \(reason)") }
        public static func workspaceBusy(_ holder: String?) -> Message {
            Message(zh: "工作区正忙：\(holder ?? "另一个命令")正在写入。稍后再预览、确认",
                    en: "the workspace is busy: \(holder ?? "another command") is writing. Preview and confirm again shortly")
        }
        public static func resubmissionUnfinished(_ reason: String) -> Message {
            Message(zh: "重扣未完成：\(reason)。已写出的文件见 `pikou status`；已预留未写出的文件下次 `pikou resubmit` 会写出",
                    en: "the resubmission did not finish: \(reason). Files already written: `pikou status`; reserved ones are written by the next `pikou resubmit`")
        }
        public static func invalidPeriod(_ text: String) -> Message {
            Message(zh: "期间“\(text)”无效：写成 2026-12 这样的年-月", en: "period '\(text)' is not valid: write it as 2026-12")
        }
        public static func bankNotEnabled(_ bank: String, enabled: [String]) -> Message {
            Message(zh: "银行“\(bank)”未启用；已启用：\(enabled.joined(separator: "、"))", en: "bank '\(bank)' is not enabled; enabled: \(enabled.joined(separator: ", "))")
        }
        public static func unwrittenBeforeResubmit(_ files: [String]) -> Message {
            Message(zh: "有 \(files.count) 个扣款文件已预留但未写出（\(files.joined(separator: "、"))）：先在命令行运行 `pikou cycle run` 写出，或用 `pikou files release` 放弃，再来重扣",
                    en: "\(files.count) debit files are reserved but not written (\(files.joined(separator: ", "))): write them with `pikou cycle run`, or give them up with `pikou files release`, before resubmitting")
        }
        public static func confirmResubmit(lines: String, yuan: String) -> Message {
            Message(zh: "确认重扣：写出并签名 \(lines) 笔、\(yuan) 元", en: "Confirm: write and sign \(lines) lines, \(yuan) yuan")
        }
        public static func resubmitted(lines: String, yuan: String, files: Int) -> Message {
            Message(zh: "已写出并签名 \(lines) 笔、\(yuan) 元，共 \(files) 个文件：送银行前请核对",
                    en: "wrote and signed \(lines) lines, \(yuan) yuan, in \(files) files: check them before sending")
        }
        public static func roleMayNotOpen(_ role: Message) -> Message {
            Message(zh: "您的角色（\(role.zh)）不能打开此页；如需要，请管理员调整角色", en: "your role (\(role.en)) may not open this page; an admin can change roles")
        }
        public static func pageOf(_ page: Int, _ pages: Int) -> Message { Message(zh: "第 \(page) / \(pages) 页", en: "page \(page) of \(pages)") }
        public static func invalidOutcome(_ text: String) -> Message { Message(zh: "结果“\(text)”无效", en: "outcome '\(text)' is not valid") }
        public static func notInRoster(_ masked: String) -> Message { Message(zh: "名册中没有 \(masked)", en: "\(masked) is not in the roster") }
        public static func agreementRevoked(_ bank: String, version: Int64) -> Message {
            Message(zh: "已撤销 \(bank) 协议（版本 \(version)）", en: "revoked the \(bank) agreement (version \(version))")
        }
        public static func agreementCorrected(_ bank: String, version: Int64) -> Message {
            Message(zh: "已更正：\(bank) 协议现为版本 \(version)", en: "corrected: the \(bank) agreement is now version \(version)")
        }
        public static func exceptionResolved(_ id: Int64) -> Message { Message(zh: "异常 \(id) 已处理", en: "exception \(id) resolved") }
        public static func exceptionReopened(_ id: Int64) -> Message { Message(zh: "异常 \(id) 已重新打开", en: "exception \(id) reopened") }
        public static func usersFileUnreadable(_ path: String) -> Message {
            Message(zh: "\(path)：用户文件无法读取（权限？）", en: "\(path): the users file cannot be read (permissions?)")
        }
        public static func usersFileDamaged(_ path: String, reason: String) -> Message {
            Message(zh: "\(path)：用户文件无法读取（\(reason)）；请从备份恢复", en: "\(path): the users file cannot be read (\(reason)); restore it from a backup")
        }
        public static func passwordTooShort(_ characters: Int) -> Message {
            Message(zh: "密码至少 \(characters) 个字符", en: "a password has at least \(characters) characters")
        }
        public static func invalidUserName(_ name: String) -> Message {
            Message(zh: "用户名“\(name)”无效：1–32 个字母、数字、. _ -", en: "user name '\(name)' is not valid: 1-32 letters, digits, . _ -")
        }
        public static func userExists(_ name: String) -> Message {
            Message(zh: "用户 \(name) 已存在；改密码用 `pikou users passwd \(name)`", en: "user \(name) exists; change a password with `pikou users passwd \(name)`")
        }
        public static func noSuchUser(_ name: String) -> Message { Message(zh: "没有用户 \(name)；`pikou users list` 列出全部", en: "no user \(name); `pikou users list` lists them") }
    }
}
