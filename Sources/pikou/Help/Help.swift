import PikouCore

/// The commands' one-line descriptions (`--help`), in the catalogue's two languages.
extension Catalogue {
    enum Help {
        static let formats = Message(zh: "列出并检查 Formats/banks/ 中的银行格式定义。", en: "List and check the bank specs in Formats/banks/.")
        static let formatsList = Message(zh: "列出 Formats/banks/ 中的银行。", en: "List the banks found in Formats/banks/.")
        static let formatsCheck = Message(zh: "校验银行格式定义：未知键、宽度缺失或重叠、未知结果名称。", en: "Validate bank specs: unknown keys, missing or overlapping widths, unknown outcome names.")
        static let keys = Message(zh: "生成并查看签名密钥和证书。", en: "Generate and inspect signing keys and certificates.")
        static let keysGenerate = Message(zh: "生成密钥对和自签名证书。", en: "Generate a key pair and a self-signed certificate.")
        static let keysShow = Message(zh: "显示证书的主体、有效期和密钥。", en: "Show a certificate's subject, validity and key.")
        static let cycle = Message(zh: "每月批量扣款。", en: "The monthly debit cycle.")
        static let cycleRun = Message(zh: "计划本期欠费，生成各银行的已签名扣款文件。", en: "Plan the period's dues and write each bank's signed debit files.")
        static let file = Message(zh: "读写单个银行文件（供接入人员试用银行格式）。", en: "Write and read single bank files (for integrators trying a bank spec).")
        static let fileWrite = Message(zh: "由扣款明细 CSV 生成银行文件。", en: "Write a bank file from a CSV of debit lines.")
        static let fileRead = Message(zh: "解析并检查银行文件；输出汇总或 JSON 行。", en: "Parse and check a bank file; print a summary or JSON lines.")
        static let fileDescribe = Message(zh: "把银行文件逐行列成表（已脱敏），便于对照银行规格核对。", en: "A bank file's records as a readable table (masked), to check against the bank's spec.")
        static let fileDiff = Message(zh: "比较同一银行格式的两个文件：按序号列出新增、删除和改动的记录及改动的字段。", en: "Compare two files of one bank's layout: records added, removed and changed, by sequence, with the fields that changed.")
        static let formatsNew = Message(zh: "以已有银行为样板新建一个银行格式定义（带注释的副本，供修改）。", en: "Start a new bank's spec from an existing one (a commented copy to edit).")
        static let fileSign = Message(zh: "按银行格式定义就地签名银行文件。", en: "Sign a bank file in place, as its bank's spec says.")
        static let fileVerify = Message(zh: "验证银行文件签名；任何失败均指明文件并以 1 退出。", en: "Verify a bank file's signature; exit 1 naming the file on any failure.")
        static let status = Message(zh: "按银行和文件：提交、成功、失败、待回盘（笔数和金额）及异常。", en: "Per bank and file: submitted, succeeded, failed, pending (counts and yuan), exceptions.")
        static let check = Message(zh: "对照对账库和文件核查全部不变量；有违反时逐条列出并以 1 退出。", en: "Verify every invariant of the design against the store and the files; exit 1 naming each violation.")
        static let journal = Message(zh: "日志（只追加、哈希相连的操作记录）。", en: "The journal (append-only, hash-chained record of every action).")
        static let journalHead = Message(zh: "打印日志链头，供另存于工作区之外（`pikou check --anchor` 据此核对）。", en: "Print the journal's head, to keep outside the workspace (`pikou check --anchor` verifies it).")
        static let failures = Message(zh: "扣款失败明细，按原因。", en: "Failed debits, by reason.")
        static let failuresList = Message(zh: "列出欠费仍未缴清的失败扣款及下一步处理。", en: "List failed debits whose dues are still unpaid, with what happens next.")
        static let resubmit = Message(zh: "为重扣策略当前允许的失败扣款生成已签名的重扣文件。", en: "Write signed resubmission files for the failures the retry policy allows now.")
        static let agreements = Message(zh: "更正或撤销缴费人的代扣协议。", en: "Correct or revoke a payer's debit agreement.")
        static let agreementsUpdate = Message(zh: "更正缴费人协议的账号、户名或银行。", en: "Correct the account, account name or bank of a payer's agreement.")
        static let agreementsRevoke = Message(zh: "撤销缴费人协议：该银行不再扣款。记入日志。", en: "Revoke a payer's agreement: no more debits at that bank. Journaled.")
        static let report = Message(zh: "某期对账报表，含钱表相符核对。", en: "Reconciliation report of a period, with the 钱表相符 money check.")
        static let lists = Message(zh: "清册：公示、断缴提醒、退费。", en: "Lists for people: public notice, reminders, refunds.")
        static let listsNotice = Message(zh: "公示清册：本期已缴费人员，证件号和姓名已脱敏。", en: "The public notice list (公示清册): who paid for the period, IDs and names masked.")
        static let listsInterrupted = Message(zh: "连续 N 期扣款失败的缴费人及电话，用于断缴提醒。", en: "Payers whose cycle debits failed N periods in a row, with phone, for reminders (断缴提醒).")
        static let listsRefunds = Message(zh: "既已扣款又在其他渠道缴纳的欠费：需退费。", en: "Dues collected by debit and also paid elsewhere: to refund.")
        static let exceptions = Message(zh: "需要人工处理的回盘行：列出、填写处理意见后办结、重新打开。", en: "Return lines that need a person: list them, resolve them with a note, reopen them.")
        static let exceptionsList = Message(zh: "列出异常（默认只列待处理的）。", en: "List exceptions (open ones by default).")
        static let exceptionsResolve = Message(zh: "办结一条异常，并说明查明或处理的情况。", en: "Mark an exception resolved, saying what was found or done.")
        static let exceptionsReopen = Message(zh: "重新打开已办结的异常，并说明原因。", en: "Reopen a resolved exception, saying why.")
        static let files = Message(zh: "处理已预留、未写出的扣款文件。", en: "Deal with debit files reserved and never written.")
        static let filesRelease = Message(zh: "放弃一个已预留但写不出的扣款文件：其欠费重新计划。记入日志。",
                                                 en: "Give up a reserved debit file that cannot be written: its dues are planned again. Journaled.")
        static let bank = Message(zh: "模拟银行，用于测试和演示。", en: "Play a bank, for tests and demos.")
        static let bankSimulate = Message(zh: "以银行的已签名回盘文件应答扣款文件。", en: "Answer a debit file with the bank's signed return file.")
        static let returns = Message(zh: "导入银行回盘文件。", en: "Ingest the banks' return files.")
        static let returnsIngest = Message(zh: "验签、解析、匹配并入账回盘文件。", en: "Verify, parse, match and post return files.")
        static let groups = Message(zh: "城乡居民两险：各部门提供的特殊群体名单（低保、五保、重度残疾……）。",
                                           en: "Residents' scheme: the departments' lists of special groups (低保, 五保, 重度残疾 ...).")
        static let groupsImport = Message(zh: "导入一个特殊群体的名单 CSV（UTF-8 或 GBK）：有效期、出具部门；错误行另存。",
                                                 en: "Import one special group's list CSV (UTF-8 or GBK): validity and issuing department; bad rows set aside.")
        static let send = Message(zh: "把已写出、尚未发送的扣款文件和撤销报文经 SFTP 送交银行。",
                                          en: "Upload written debit files and cancel messages not sent yet to the banks over SFTP.")
        static let fetch = Message(zh: "经 SFTP 从银行取回新的回盘文件到 inbox/<银行>/，可随即入账。",
                                           en: "Download new return files from the banks over SFTP into inbox/<BANK>/, and ingest them if asked.")
        static let returnsUndo = Message(zh: "撤回一次尚无后续依赖的回盘入账：其扣款恢复为待回盘。记入日志。",
                                                en: "Undo the ingest of a return file nothing depends on yet: its debits are pending again. Journaled.")
        static let fileCancel = Message(zh: "在银行执行前撤销（止付）一个已写出的扣款文件：其欠费转入下一批。记入日志。",
                                               en: "Cancel (stop) a written debit file before its bank runs it: its dues go to the next batch. Journaled.")
        static let roster = Message(zh: "导入缴费人、协议和参保名册。", en: "Import the roster of payers, agreements and enrollments.")
        static let rosterImport = Message(zh: "导入名册 CSV（UTF-8 或 GBK）。", en: "Import a roster CSV (UTF-8 or GBK).")
        static let payments = Message(zh: "登记通过其他渠道缴纳的费款。", en: "Record contributions paid through other channels.")
        static let paymentsImport = Message(zh: "导入其他渠道（App、柜面、电子税务局）缴费的 CSV。", en: "Import a CSV of payments made elsewhere (app, counter, e-tax).")
        static let initWorkspace = Message(zh: "创建工作区：带注释的 pikou.yaml、outbox/inbox/archive 目录和对账库。", en: "Create a workspace: a commented pikou.yaml, outbox/inbox/archive folders and the store.")
        static let pikou = Message(zh: "批扣 Pikou：社保费批量代扣文件处理。", en: "Pikou (批扣): batch-debit files for social-insurance collection.")
        static let payer = Message(zh: "查询缴费人。", en: "Answer questions about one payer.")
        static let payerShow = Message(
            zh: "一个缴费人的全部情况：协议、参保、各期欠费、扣款及结果、其他渠道缴费、日志。",
            en: "Everything about one payer: agreements, enrollments, dues, debits and results, payments elsewhere, journal.")
        static let payerShowDiscussion = Message(
            zh: """
                用于电话咨询“我这个月扣款了吗？”。证件号和账号默认脱敏；--show-ids 在屏幕上显示完整号码（不要导出）。
                欠费状态：已扣款、扣款中、已在其他渠道缴费、未缴。日志按脱敏证件号匹配（日志从不保存完整证件号）。
                """,
            en: """
                For the phone enquiry "was I debited this month?". IDs and accounts are masked; --show-ids shows
                them whole on screen (never export them). A due is paid, pending at a bank, paid elsewhere or
                open. Journal lines are matched by the masked ID (the journal never holds a whole ID).
                """)
    }
}
