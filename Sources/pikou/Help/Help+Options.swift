import PikouCore

/// The options' and arguments' help and the commands' longer discussions (`--help`), in the
/// catalogue's two languages. The one-line abstracts are in `Help.swift`.
///
/// The English texts are the ones the commands always had (tests read some of them). In the
/// Chinese ones, command names, option names, file names, codes, YAML keys and exit codes stay
/// as they are; discussions keep their line layout (at most about 100 display columns a line, a
/// CJK character counting as two).
extension Catalogue.Help {
    /// What an `@Option`, `@Flag` or `@Argument` is for.
    enum Option {
        // MARK: Shared by many commands

        static let workspace = Message(
            zh: "工作区目录（含 pikou.yaml）；默认：$PIKOU_WORKSPACE 或当前目录。",
            en: "The workspace folder (holding pikou.yaml); default: $PIKOU_WORKSPACE or the current folder.")
        /// `--formats` of the commands without a workspace.
        static let formats = Message(
            zh: "存放 banks/<CODE>.yaml 的 Formats 目录。",
            en: "The Formats folder holding banks/<CODE>.yaml.")
        /// `--formats` of the commands with a workspace.
        static let formatsUnlessConfigured = Message(
            zh: "Formats 目录（工作区配置未指定时使用）。",
            en: "The Formats folder, if the workspace config names none.")
        static let actor = Message(
            zh: "执行命令的人员，记入日志（默认：$USER）。",
            en: "Who runs the command, for the journal (default: $USER).")
        static let config = Message(
            zh: "工作区配置文件本身（代替 DIR/pikou.yaml）。",
            en: "The workspace config file itself (instead of DIR/pikou.yaml).")
        static let quiet = Message(
            zh: "不在 stderr 上显示进度（错误和警告照常显示）。",
            en: "No progress on stderr (errors and warnings still show).")
        static let summaryJSON = Message(
            zh: "另将本次运行的机读汇总写入此文件（供批处理作业使用）：命令、时间、退出码、计数。",
            en: "Also write a machine-readable summary of the run here (for a batch job): command, times, exit code, counts.")
        /// `--wait` (LockOptions on main since e79f43d; not on this branch's base, so not used here yet).
        static let wait = Message(
            zh: "如有其他命令正在写入此工作区，等待其结束，而不是直接停止。",
            en: "If another command is writing this workspace, wait for it to end instead of stopping.")
        static let revokeReason = Message(zh: "撤销的原因，与撤销一并记入日志（工作台上必填）。", en: "Why the agreement is revoked, journaled with it (required on the console).")
        static let confirmedOutcome = Message(
            zh: "银行核实后确认的结果：succeeded（成功）或失败的原因（如 insufficientFunds）；该笔扣款按此入账，记为经办人员的决定，报表中单列。--note 写明与银行谁、何时核实。",
            en: "The result the bank confirmed: succeeded, or why it failed (e.g. insufficientFunds); the debit is closed by it, journaled as the operator's decision and shown apart in the report. --note says with whom and when.")
        static let wide = Message(zh: "表格显示全部列（默认为适应 100 列宽的屏幕省略部分列，并在表下注明）。",
                                  en: "Show every column of a table (by default a table fits a 100-column screen, naming what it left out).")
        static let csvColumns = Message(
            zh: "CSV 的列名：titles（默认，本语言的列名和文字，供人打开）或 keys（固定的英文键和代码，供程序读取）。",
            en: "CSV columns: titles (the default: titles and words in the output language, for people) or keys (the stable keys and codes, for programs).")
        static let limit = Message(
            zh: "表格显示的行数（0：全部）；其余只计数。CSV 和 JSON 输出全部。",
            en: "Rows a table shows (0: all); the rest are counted. CSV and JSON list all.")
        static let period = Message(zh: "期间，YYYY-MM。", en: "The period, YYYY-MM.")
        static let onlyPeriod = Message(zh: "仅限此期间，YYYY-MM。", en: "Only this period, YYYY-MM.")
        static let onlyBank = Message(zh: "仅限此银行。", en: "Only this bank.")
        static let bankCode = Message(zh: "银行代码。", en: "The bank code.")
        static let bankCodeExample = Message(zh: "银行代码，如 BOC。", en: "The bank code, e.g. BOC.")
        static let listFormat = Message(zh: "输出格式：table、csv 或 json。", en: "table, csv or json.")
        static let fileDate = Message(
            zh: "文件日期，YYYY-MM-DD（默认：北京时间当天）。",
            en: "The file date, YYYY-MM-DD (default: today in China).")
        static let payerID = Message(zh: "缴费人证件号。", en: "The payer's ID number.")
        static let csvEncoding = Message(zh: "auto（按 UTF-8 读取，失败时改用 GBK）、utf-8 或 gbk。", en: "auto (UTF-8, else GBK), utf-8 or gbk.")
        static let rejects = Message(
            zh: "错误行写入的文件（默认：FILE.rejects.csv）。",
            en: "Where to write rejected rows (default: FILE.rejects.csv).")
        static let fileKind = Message(zh: "debit（扣款文件）或 return（回盘文件）。", en: "debit or return.")
        static let bankFile = Message(zh: "银行文件。", en: "The bank file.")
        static let allowExpired = Message(zh: "接受已过有效期的证书。", en: "Accept a certificate past its validity.")

        // MARK: init

        static let initDirectory = Message(zh: "工作区目录（不存在则创建）。", en: "The workspace folder (created if missing).")
        static let initFormats = Message(zh: "使用的 Formats 目录。", en: "The Formats folder to use.")
        static let initStore = Message(
            zh: "对账库：sqlite:文件（默认 pikou.sqlite，单机）或 postgres://用户@主机:端口/库（多名经办人员同时使用；密码放在 PGPASSWORD 或 ~/.pgpass，绝不写进地址）。",
            en: "The store: sqlite:FILE (default pikou.sqlite, one machine) or postgres://USER@HOST:PORT/DB (several operators at once; the password goes in PGPASSWORD or ~/.pgpass, never in the URL).")
        static let initCollector = Message(zh: "委托单位在各银行的代码。", en: "The collector's code at the banks.")
        static let testKeys = Message(
            zh: "配置 Fixtures/keys 中的 TEST 测试密钥（仅用于演示和测试）。",
            en: "Configure the TEST keys of Fixtures/keys (demos and tests only).")

        // MARK: roster import, payments import

        static let rosterFile = Message(zh: "名册 CSV 文件。", en: "The roster CSV.")
        static let paymentsFile = Message(zh: "其他渠道缴费 CSV 文件。", en: "The payments CSV.")

        // MARK: cycle run

        static let contributionPeriod = Message(zh: "费款所属期间，YYYY-MM。", en: "The contribution period, YYYY-MM.")
        static let cycleDryRun = Message(
            zh: "只显示将要发送的内容；不预留、不写出任何文件。",
            en: "Show what would be sent; reserve and write nothing.")

        // MARK: bank simulate

        static let debitFiles = Message(zh: "扣款文件。", en: "The debit files.")
        static let simulateOut = Message(zh: "回盘文件写入的目录。", en: "The folder to write the return file into.")
        static let seed = Message(zh: "决定扣款结果的随机种子。", en: "Seed of the outcomes.")
        static let simulateBankKey = Message(
            zh: "用这把银行私钥（银行交来的测试密钥，不在工作区内）签名回盘文件，而非 pikou.yaml 中的 bank_key。",
            en: "Sign the return files with this private key of the bank's (a test key the bank handed over, outside the workspace) instead of bank_key in pikou.yaml.")
        static let simulateBankPassphraseFile = Message(zh: "--bank-key 的口令文件（仅属主可读，取第一行）。",
                                                               en: "The passphrase file of --bank-key (readable by its owner alone; first line).")
        static let simulateBankPassphraseWithoutKey = Message(zh: "--bank-passphrase-file 须与 --bank-key 同用",
                                                                     en: "--bank-passphrase-file goes with --bank-key")
        static let failRate = Message(zh: "扣款失败的行所占比例，0 到 1。", en: "Share of lines that fail, 0 to 1.")

        // MARK: returns ingest

        static let returnsBank = Message(
            zh: "银行（默认：取所在目录 inbox/<BANK>/ 的名称，或正在等待该文件的银行）。",
            en: "The bank (default: the folder name, inbox/<BANK>/, or the bank expecting the file).")
        static let returnsDebitFile = Message(
            zh: "该回盘所应答的扣款文件（回盘文件名无法判断时指定）。",
            en: "The debit file the return answers, when its name does not say.")
        static let allowExpiredBank = Message(zh: "接受已过有效期的银行证书。", en: "Accept a bank certificate past its validity.")
        static let returnFiles = Message(
            zh: "回盘文件（在其旁边查找对应的 .sig 文件）。",
            en: "Return files (their .sig files are found beside them).")

        // MARK: files release
        static let releaseFile = Message(zh: "要放弃的文件，写法同 `pikou check` 或 `pikou status` 中的名称。",
                                                en: "The file, as `pikou check` or `pikou status` names it.")
        static let group = Message(zh: "名单所属群体，须是当年居民政策中的群体（如 低保）。", en: "The list's group, one of the year's residents' policy (e.g. 低保).")
        static let department = Message(zh: "出具名单的部门（默认：政策中该群体的部门）。", en: "The issuing department (default: the policy's for the group).")
        static let coverYear = Message(zh: "参保年度（默认：最新的 residents-<年>.yaml）。", en: "The cover year (default: the latest residents-<year>.yaml).")
        static let groupFile = Message(zh: "名单 CSV：id_number、valid_from、valid_to（可空），可另有 name。",
                                              en: "The list CSV: id_number, valid_from, valid_to (may be empty), and optionally name.")
        static let scheme = Message(zh: "征收方式：flexible-monthly（灵活就业人员，按月，默认）或 residents-annual（城乡居民两险，按年分轮次）。",
                                           en: "The scheme: flexible-monthly (flexible workers, monthly; the default) or residents-annual (residents, yearly, in rounds).")
        static let round = Message(zh: "城乡居民：征缴期内的轮次（默认：上一轮的下一轮）。", en: "Residents: the round of the window (default: the one after the last).")
        static let targets = Message(zh: "城乡居民：参保目标 CSV（district、street、community、insurance、eligible、target_percent；默认工作区的 residents-<年>-targets.csv，其次 Formats/policy/ 中的同名文件）。",
                                            en: "Residents: the participation targets CSV (district, street, community, insurance, eligible, target_percent; default: the workspace's residents-<year>-targets.csv, else the one in Formats/policy/).")
        static let fetchIngest = Message(zh: "取回后立即入账新取回的回盘文件。", en: "Ingest the return files fetched now.")
        static let cancelFile = Message(zh: "要撤销的扣款文件：BANK/文件名，或 outbox 中的路径。",
                                               en: "The debit file to cancel: BANK/NAME, or its path in the outbox.")
        static let cancelReason = Message(zh: "撤销的原因，记入日志和每笔扣款（必填）。", en: "Why it is cancelled, for the journal and every debit (required).")
        static let undoFile = Message(zh: "要撤回入账的回盘文件：其路径（inbox/<银行>/…）或 BANK/文件名。",
                                             en: "The return file whose ingest to undo: its path (inbox/<BANK>/...) or BANK/NAME.")
        static let undoReason = Message(zh: "撤回的原因，记入日志（必填）。", en: "Why the ingest is undone, for the journal (required).")
        static let releaseReason = Message(zh: "放弃的原因，记入日志（必填）。", en: "Why it is given up, for the journal (required).")

        // MARK: status, payer show

        static let periodOrAll = Message(zh: "期间，YYYY-MM（默认：全部）。", en: "The period, YYYY-MM (default: all).")
        static let payerPeriod = Message(
            zh: "只显示此期间的欠费和扣款，YYYY-MM。",
            en: "Only this period's dues and debits, YYYY-MM.")
        static let payerShowIDs = Message(
            zh: "显示完整证件号和账号（仅限屏幕显示）。",
            en: "Show the whole ID number and accounts (on screen only).")

        // MARK: failures list

        static let failuresOutcome = Message(
            zh: "仅限此结果：代码或中文名称（insufficientFunds 或 余额不足）。",
            en: "Only this outcome: its code or its Chinese label (insufficientFunds or 余额不足).")
        static let district = Message(zh: "仅限此区。", en: "Only this district.")
        static let retryDate = Message(
            zh: "判断能否重扣所依据的日期，YYYY-MM-DD（默认：北京时间当天）。",
            en: "The date to judge retries on, YYYY-MM-DD (default: today in China).")
        static let failuresShowIDs = Message(
            zh: "显示完整证件号，用于更正协议（仅限屏幕显示，切勿导出）。",
            en: "Show whole ID numbers, to correct an agreement (on screen only: never export them).")

        // MARK: resubmit

        static let resubmitOutcome = Message(
            zh: "仅限此结果（代码或中文名称）；指定 exceedsLimit/超限额 或 unknown 即重扣这些失败。",
            en: "Only this outcome (code or Chinese label); naming exceedsLimit/超限额 or unknown retries them.")
        static let resubmitPayer = Message(zh: "仅限此缴费人（证件号）。", en: "Only this payer (ID number).")
        static let resubmitOperator = Message(
            zh: "经办人员姓名，记入日志（默认：--actor 或 $USER）。",
            en: "The operator's name, for the journal (default: --actor or $USER).")
        static let resubmitDryRun = Message(
            zh: "只显示将要重扣的内容；不写出任何文件。",
            en: "Show what would be resubmitted; write nothing.")

        // MARK: agreements update, agreements revoke

        static let agreementBank = Message(
            zh: "协议所在银行（缴费人有多家银行的协议时指定）。",
            en: "The agreement's bank, when the payer has several.")
        static let newAccount = Message(zh: "新账号。", en: "The new account number.")
        static let newAccountName = Message(zh: "新户名。", en: "The new account holder's name.")
        static let toBank = Message(zh: "把协议（及参保）转到此银行。", en: "Move the agreement (and enrollments) to this bank.")

        // MARK: report

        static let reportBy = Message(
            zh: "分组方式：bank、file、district、street、community 或 outcome。",
            en: "bank, file, district, street, community or outcome.")
        static let reportFormat = Message(zh: "输出格式：table、csv、xlsx 或 json。", en: "table, csv, xlsx or json.")
        static let reportOut = Message(zh: "写入此文件（xlsx 格式必须指定）。", en: "Write to this file (required for xlsx).")
        static let reportEncoding = Message(zh: "CSV 编码：utf-8（带 BOM）或 gbk。", en: "CSV encoding: utf-8 (with BOM) or gbk.")

        // MARK: lists

        static let community = Message(zh: "仅限此社区。", en: "Only this community (社区).")
        static let months = Message(zh: "连续扣款失败的期数。", en: "Consecutive failed periods.")
        static let lastPeriod = Message(
            zh: "截至的期间，YYYY-MM（默认：本月）。",
            en: "The last period, YYYY-MM (default: this month).")

        // MARK: exceptions

        /// `--kind` of `exceptions list`, with the kinds there are (`unmatched, amountMismatch, ...`).
        static func exceptionKind(_ kinds: String) -> Message {
            Message(zh: "仅限此类型：\(kinds)。", en: "Only this kind: \(kinds).")
        }

        static let exceptionState = Message(
            zh: "open（待处理）、resolved（已处理）或 all（全部）。",
            en: "open, resolved or all.")
        static let exceptionIDFromList = Message(
            zh: "异常编号（见 `pikou exceptions list`）。",
            en: "The exception's id (from `pikou exceptions list`).")
        static let exceptionID = Message(zh: "异常编号。", en: "The exception's id.")
        static let resolveNote = Message(zh: "查明或处理的情况（必填；记入日志）。", en: "What was found or done (required; journaled).")
        static let reopenNote = Message(zh: "重新打开的原因（必填；记入日志）。", en: "Why it is open again (required; journaled).")

        // MARK: formats check

        static let specFiles = Message(zh: "要检查的银行格式定义文件。", en: "Spec files to check.")

        // MARK: file write, read, sign, verify

        static let fileKindExplained = Message(
            zh: "debit（Pikou 发出的扣款请求）或 return（银行的回盘文件）。",
            en: "debit (a request Pikou sends) or return (a bank's result file).")
        static let debitLinesCSV = Message(zh: "扣款明细 CSV 文件。", en: "The CSV of lines.")
        static let fileWriteOut = Message(zh: "要写出的文件，或写入的目录。", en: "The file to write, or a folder to write into.")
        static let fileCollector = Message(zh: "委托单位代码（委托单位在该银行的编号）。", en: "The collector's code at the bank (委托单位代码).")
        static let collectorAccount = Message(zh: "委托单位的收款账号。", en: "The collector's receiving account.")
        static let batch = Message(zh: "当日的批次号。", en: "The batch number of the day.")
        static let collectionDate = Message(
            zh: "请银行扣款的日期，YYYY-MM-DD（默认：文件日期）。",
            en: "The collection date asked of the bank, YYYY-MM-DD (default: the file date).")
        static let skipPreflight = Message(
            zh: "跳过证件号、账号和户名的预检（用于生成有错误的测试文件）。",
            en: "Skip the pre-flight checks of IDs, accounts and names (to make broken test files).")
        static let skipVerify = Message(
            zh: "不验签直接解析（仅供接入人员调试；入账时绝不可用）。",
            en: "Parse without checking the signature (integrators only; never for posting).")
        static let json = Message(
            zh: "每个明细行输出一个 JSON 对象（最后输出一个汇总对象），不输出汇总表。",
            en: "Print one JSON object per line (and a summary object last) instead of a summary.")
        static let anchor = Message(
            zh: "日志链头的外部副本：\"entry N sha256 HEX\"，或含有这样几行的文件（报表末行、`pikou journal head` 的输出）；可重复。",
            en: "An outside copy of the journal's head: \"entry N sha256 HEX\", or a file holding such lines (a report's last line, `pikou journal head`'s output); repeatable.")
        static let showPersonal = Message(
            zh: "在 JSON 输出中显示完整的证件号、姓名和账号（默认：脱敏）。",
            en: "Print ID numbers, names and accounts in full in JSON output (default: masked).")

        // MARK: keys generate, keys show

        static let algorithm = Message(zh: "sm2 或 rsa（2048 位）。", en: "sm2 or rsa (2048 bits).")
        static let keysOut = Message(zh: "写入的目录（不存在则创建）。", en: "The folder to write into (created if missing).")
        static let keyName = Message(zh: "文件的基本名（默认：算法名）。", en: "The base name of the files (default: the algorithm).")
        static let subject = Message(zh: "证书主体。", en: "The certificate subject.")
        static let days = Message(zh: "证书有效天数。", en: "Days the certificate is valid.")
        static let passphraseFile = Message(zh: "存放口令的文件（取第一行）。", en: "A file holding the passphrase (first line).")
        static let certificate = Message(zh: "PEM 格式的证书。", en: "A PEM certificate.")

        // MARK: bench (hidden)

        static let benchBank = Message(zh: "银行。", en: "The bank.")
        static let benchLines = Message(zh: "行数。", en: "Lines.")
        static let benchOut = Message(zh: "文件写入的目录。", en: "The folder to write the file into.")
        static let benchRead = Message(
            zh: "不写出，而是读回此文件（在内存中）并核对合计。",
            en: "Instead of writing: read this file back (in memory) and check its total.")
        static let diffOld = Message(zh: "较早的文件（例如上次发给银行的）。", en: "The earlier file (the one sent before, say).")
        static let diffNew = Message(zh: "较新的文件。", en: "The later file.")
        static let groupFeedback = Message(zh: "部门反馈文件（XLSX：每行是否导入及原因，证件号脱敏）；默认为名单旁的 名单.feedback.xlsx。",
                                           en: "The department's feedback (XLSX: each row, imported or returned and why, IDs masked); default: LIST.feedback.xlsx beside the list.")
        static let doorToDoor = Message(zh: "城乡居民两险：把各村（社区）尚未缴费人员的上门催缴名单（XLSX，可打印：标题、缴费期、公示期、签字栏）写到该文件夹，每村一份。",
                                        en: "Residents' scheme: write each village's (community's) door-to-door list of residents not yet paid (printable XLSX: title, window, publicity period, signature lines) into this folder, one per village.")
        static let likeBank = Message(zh: "作为样板的已有银行代码，如 BOC。", en: "The existing bank to copy, e.g. BOC.")
        static let newBankCode = Message(zh: "新银行的代码：2 至 16 个大写字母或数字，如 ABC。", en: "The new bank's code: 2 to 16 capital letters or digits, e.g. ABC.")
        static let specOut = Message(zh: "写到此文件（默认：格式目录下的 banks/代码.yaml）。已有的文件不覆盖。", en: "Write here (default: banks/CODE.yaml in the formats folder). An existing file is never overwritten.")
    }

    /// A command's longer description, after its abstract.
    enum Discussion {
        static let fileDescribe = Message(
            zh: """
                验签（除非 --skip-verify）并解析后，每条明细一行：行号、序号、证件号、姓名、账号、协议号、金额、
                期间、附言，回盘文件另有返回码、说明和扣款结果；最后一行是合计。证件号、姓名和账号已脱敏
                （--show-personal 显示全部，只用于屏幕）。默认最多列 100 行（--limit 0 列全部）。文件有错误时以 1 退出。
                """,
            en: """
                After the signature check (unless --skip-verify) and parsing, one row per detail record: line,
                sequence, ID number, name, account, agreement number, amount, period, memo, and for a return
                file the result code, text and outcome; a total row last. IDs, names and accounts are masked
                (--show-personal shows them, for the screen only). At most 100 rows by default (--limit 0: all).
                Exits 1 when the file has errors.
                """)
        static let fileDiff = Message(
            zh: """
                两个文件按记录序号对齐（银行也按序号对账）：- 只在前一个文件中，+ 只在后一个文件中，~ 两个文件都有但
                字段不同（列出每个不同的字段，旧值 → 新值；证件号、姓名、账号已脱敏）。最后一行是两边的笔数和合计。
                退出码同 diff：0 相同，1 有差异，2 文件无法读取或有错误。
                """,
            en: """
                Records are matched by sequence number, as the bank matches them: - only in the first file,
                + only in the second, ~ in both with fields that differ (each field, old → new; IDs, names and
                accounts masked). A last line gives both files' lines and totals. Exit status as diff(1):
                0 the same, 1 different, 2 a file unreadable or with errors.
                """)
        static let formatsNew = Message(
            zh: """
                复制样板银行的 YAML，改成新的银行代码和名称，并在文件头写明接下来要改的地方（编码、换行、文件名规则、
                签名、各字段的宽度和来源、返回码表）。然后用 `pikou formats check` 校验，用 `pikou file write` /
                `pikou file read` 和银行给的样例文件来回核对（见 Formats/README.md）。
                选与新银行最像的样板：定长 BOC；分隔 CCB、HKB、ICBC，HUBB（按字段加引号、千分位金额、补零序号、返回码格式）；
                XML ISO20022、WHRCB，HBNX（命名空间前缀的元素和属性、结果在属性里、.sig 分离签名）。
                """,
            en: """
                Copies the model bank's YAML under the new code and name, with a header saying what to change
                next (encoding, line ending, file name pattern, signature, each field's width and source, the
                result codes). Then check it with `pikou formats check` and round-trip the bank's sample files
                with `pikou file write` / `pikou file read` (see Formats/README.md).
                Pick the model most like the new bank: fixed width BOC; delimited CCB, HKB, ICBC, and HUBB (quoting per
                field, grouped amounts, zero-padded numbers, a result-code form); XML ISO20022, WHRCB, and HBNX
                (namespace-prefixed elements and attributes, results in attributes, a detached .sig).
                """)
        static let journalHead = Message(
            zh: """
                打印日志（只追加、逐条哈希相连）的最后一条：entry N sha256 HEX，并把它追加到工作区的
                journal-anchors.log。请另存一份在工作区之外（打印、邮件、另一台电脑）：链是公开算法，
                能改库的人也能重算整条链；外部副本能证明第 N 条及之前的记录没有被删改：
                  pikou check --anchor "entry N sha256 HEX"
                每份报表（表格、JSON、XLSX）末尾也印有当时的链头。
                """,
            en: """
                Prints the journal's last entry (append-only, each entry hashing the one before) as
                entry N sha256 HEX, and appends it to the workspace's journal-anchors.log. Keep a copy
                outside the workspace (printed, mailed, on another machine): the chain's algorithm is
                public, so whoever can edit the store can recompute it; an outside copy proves that
                entry N and everything before it are unchanged:
                  pikou check --anchor "entry N sha256 HEX"
                Every report (table, JSON, XLSX) ends with the head as it was, too.
                """)

        // MARK: pikou

        static let pikou = Message(
            zh: """
                Pikou 依据每家合作银行的一份声明式格式定义（Formats/banks/<CODE>.yaml）生成该行的
                扣款文件，并读回银行的回盘文件，逐行检查。

                每月批扣流程：
                  pikou init ws --test-keys                       # 创建工作区（TEST 测试密钥：仅供演示）
                  pikou roster import roster.csv --workspace ws
                  pikou payments import paid.csv --workspace ws
                  pikou cycle run --period 2026-12 --workspace ws
                  pikou bank simulate --bank BOC ws/outbox/BOC/F.txt --out ws/inbox/BOC --workspace ws
                  pikou returns ingest ws/inbox/BOC/* --workspace ws
                  pikou status --period 2026-12 --workspace ws
                  pikou check --workspace ws

                不建对账库，试用某家银行的格式：
                  pikou formats list
                  pikou formats check
                  pikou file write --bank BOC --in debits.csv --out out/ --date 2026-12-01
                  pikou file read --bank BOC --kind debit out/BOC_DK_....txt

                输出默认为简体中文；--lang en（或 PIKOU_LANG=en）输出英文。JSON、CSV 列名、
                文件格式和退出码在两种语言下相同。

                各命令依次在以下位置查找银行格式定义：--formats DIR、$PIKOU_FORMATS、./Formats，
                最后是构建 pikou 程序时所用源码目录中的 Formats 目录。
                """,
            en: """
                Pikou writes each cooperating bank's debit files from one declarative spec per bank
                (Formats/banks/<CODE>.yaml) and reads the banks' return files back, checking every line.

                The monthly cycle:
                  pikou init ws --test-keys                       # a workspace (TEST keys: demo only)
                  pikou roster import roster.csv --workspace ws
                  pikou payments import paid.csv --workspace ws
                  pikou cycle run --period 2026-12 --workspace ws
                  pikou bank simulate --bank BOC ws/outbox/BOC/F.txt --out ws/inbox/BOC --workspace ws
                  pikou returns ingest ws/inbox/BOC/* --workspace ws
                  pikou status --period 2026-12 --workspace ws
                  pikou check --workspace ws

                Try a bank without a store:
                  pikou formats list
                  pikou formats check
                  pikou file write --bank BOC --in debits.csv --out out/ --date 2026-12-01
                  pikou file read --bank BOC --kind debit out/BOC_DK_....txt

                Output is in Simplified Chinese; --lang en (or PIKOU_LANG=en) gives English. JSON, CSV
                column keys, file formats and exit codes are the same in both.

                Every command finds the bank specs in --formats DIR, else $PIKOU_FORMATS, else ./Formats,
                else the Formats folder of the checkout the pikou binary was built in.
                """)

        // MARK: init

        static let initWorkspace = Message(
            zh: """
                写出 DIR/pikou.yaml（委托单位代码、对账库路径、各目录、启用的银行，以及每家银行的
                签名密钥和银行证书），并创建 SQLite 对账库。Formats 目录中的银行全部启用；如需调整，
                请编辑 pikou.yaml。

                --test-keys 把 Fixtures/keys 中的 TEST 测试密钥复制到 DIR/keys 并写入配置，演示时
                即可直接签名、模拟银行和验签。切勿用于生产：正式密钥请用 `pikou keys generate` 生成。
                """,
            en: """
                Writes DIR/pikou.yaml (collector code, store path, folders, enabled banks, and for each bank
                the signing key and the bank's certificate) and creates the SQLite store. Every bank in
                the Formats folder is enabled; edit pikou.yaml to change that.

                --test-keys copies the TEST keys of Fixtures/keys into DIR/keys and configures them, so
                that a demo can sign, simulate banks and verify at once. Never use them in production:
                generate real keys with `pikou keys generate`.
                """)

        // MARK: roster import, payments import

        static let rosterImport = Message(
            zh: """
                每个缴费人的每个险种一行。各列（必须有列名行，顺序不限）：
                  id_number         18 位身份证号码（GB 11643，核验校验位）
                  name              缴费人姓名
                  phone             手机或固定电话，可为空
                  district, street, community   缴费人所属网格（区/街道/社区）
                  insurance         pension（养老）| medical（医疗）
                  tier              该险种在 Formats/policy/<year>.yaml 中的缴费档次
                  start_period      应缴起始月份，YYYYMM
                  end_period        应缴终止月份，YYYYMM，或为空
                  status            active（正常）| suspended（停保）
                  bank              已启用银行的代码
                  account           扣款账号或卡号（数字；银联卡做 Luhn 校验）
                  account_name      账户户名
                  agreement_no      三方代扣协议编号
                  agreement_status  active（有效）| revoked（已撤销）
                可选的列：
                  scheme            flexible-monthly（灵活就业，默认）| residents-annual（城乡居民两险）
                  joined            城乡居民的参保日期，YYYY-MM-DD（为空：在集中征缴期内）
                  household         户号：同一户的成员填同一个户号（按户或按夫妻享受的群体政策据此认定）
                  relation          与户主关系：户主 | 配偶 | 子女 | 父母 | 祖父母 | 孙子女 | 兄弟姐妹 | 其他
                有错误的行不导入：每行连同行号、字段和原因写入错误行文件（默认 FILE.rejects.csv；
                证件号和账号按文本保存，便于用 Excel 打开）。正确的行照常导入。重复导入同一文件
                不作任何改动；内容有变化的行会更新缴费人信息，并记入日志。
                退出码：0 全部导入；2 正确的行已导入，部分行被拒绝（见错误行文件）；1 未导入任何行
                （文件无法读取、缺少列或没有对账库）。
                """,
            en: """
                One row per payer and insurance. Columns (header line required, any order):
                  id_number         18-character GB 11643 ID number (checksum verified)
                  name              the payer's name
                  phone             mobile or landline, may be empty
                  district, street, community   the grid the payer belongs to (区/街道/社区)
                  insurance         pension | medical
                  tier              a tier of that insurance in Formats/policy/<year>.yaml
                  start_period      first month owed, YYYYMM
                  end_period        last month owed, YYYYMM, or empty
                  status            active | suspended (停保)
                  bank              the code of an enabled bank
                  account           the debit account or card (digits; UnionPay cards Luhn-checked)
                  account_name      the account holder's name
                  agreement_no      the three-party debit agreement number
                  agreement_status  active | revoked
                Optional columns:
                  scheme            flexible-monthly (the default) | residents-annual (城乡居民两险)
                  joined            when a resident joined, YYYY-MM-DD (empty: inside the window)
                  household         the household number (户号): one number for every member (a group
                                    rule for both spouses or a whole household reads it)
                  relation          to the head of the household: 户主 | 配偶 | 子女 | 父母 | 祖父母 |
                                    孙子女 | 兄弟姐妹 | 其他 (or head, spouse, child, parent, ...)
                Bad rows are not imported: each is written, with its line, field and reason, to the
                rejects file (default FILE.rejects.csv; ID numbers and accounts kept as text for
                Excel). Good rows are imported. Importing the same file again changes nothing; a
                changed row updates the payer and is journaled.
                Exit status: 0 every row imported; 2 the good rows imported, some rejected (see the
                rejects file); 1 nothing imported (an unreadable file, a missing column, no store).
                """)

        static let paymentsImport = Message(
            zh: """
                各列：id_number、insurance（pension|medical）、period（YYYYMM）、amount_fen、
                channel（app|counter|etax|bank|other）、reference（同一渠道内唯一）。
                已在其他渠道缴纳的欠费不会再扣款。重复导入同一文件不作任何改动。
                金额超过 10 万元、流水号超过 64 个字符或含控制字符的行被拒收，另存到 FILE.rejects.csv
                （行号、列、原因）；名册中无此缴费人的行逐行提示。有被拒收或无此缴费人的行时以 2 退出。
                """,
            en: """
                Columns: id_number, insurance (pension|medical), period (YYYYMM), amount_fen,
                channel (app|counter|etax|bank|other), reference (unique per channel).
                A due paid elsewhere is never debited. Importing the same file again changes nothing.
                A row over 100,000 yuan, or whose reference is longer than 64 characters or holds a
                control character, is set aside in FILE.rejects.csv (line, field, reason); a row naming a
                payer the roster lacks is said. Exit 2 when any row was set aside or names no payer.
                """)

        // MARK: cycle run

        static let cycleRun = Message(
            zh: """
                计算欠费（名册 × 缴费政策）→ 每个缴费人在每家银行一笔扣款，合并本期未缴欠费及此前
                政策允许补缴月数内的欠费（限同一年度）→ 排除已在其他渠道缴费、已停保、已在扣款中、
                协议已撤销、因失败须更正协议（协议更正前不再扣款）或预检未通过的欠费 → 按各银行的
                上限拆分文件 → 扣款日 = 配置的日期，非银行工作日顺延（Formats/calendar）→ 在对账库中
                预留文件和扣款（同一事务）→ 逐个写出、签名、fsync 并改名移入 outbox/<BANK>/，登记为已写出。
                再次运行不会写出新内容。中途崩溃后再次运行，会写出已预留的文件，
                任何一行都不重复，任何欠费都不遗漏。
                --dry-run 计算欠费（可重复执行）并打印汇总表，不预留也不写出文件。
                城乡居民两险：--scheme residents-annual --year 2027 [--round N]：按当年政策核定每人
                应缴（个人、财政补贴、代缴三部分，个人部分为 0 的不扣款；征缴期内改档重新核定未扣的
                应缴，已扣后改档另生成补差应缴），再对个人部分仍未缴的人员扣款，规则同上。文件日期
                须在政策的征缴期内，否则拒绝并说明；每轮只能执行一次，失败可重试的在下一轮再扣。
                """,
            en: """
                plan dues (roster × policy) → one debit per payer per bank, merging open dues of the
                period and up to the policy's arrears months before it (same year) → leave out what is
                paid elsewhere, suspended, already pending, revoked, blocked by a terminal failure until
                the agreement changes, or fails pre-flight → split at each bank's limits → collection
                date = the configured day or the next banking day (Formats/calendar) → reserve files
                and debits in the store (one transaction) → write, sign, fsync and rename each file
                into outbox/<BANK>/ and record it as written.
                Running it again writes nothing new. After a crash, running it again writes the files
                that were reserved, with no line twice and no due lost.
                --dry-run plans the dues (idempotent) and prints the table without reserving or writing.
                Residents: --scheme residents-annual --year 2027 [--round N] prices each resident's
                yearly dues under the year's policy (personal, subsidy and 代缴 parts; a zero personal
                part is never debited; a tier change inside the window re-prices an undebited due, after
                a debit it is a new due for the difference), then debits every personal part still
                unpaid under the rules above. The file date must be inside the policy's window, or the
                run is refused with the reason; each round runs once, and retryable failures are
                debited again by the next round.
                """)

        // MARK: bank simulate, returns ingest

        static let bankSimulate = Message(
            zh: """
                用委托单位的证书验证扣款文件的签名，按 --seed 决定每行的扣款结果（种子相同则结果
                相同），并把回盘文件写入 --out：文件按该银行的命名规则命名，用银行密钥（pikou.yaml
                中的 bank_key，或 --bank-key）签名。约 --fail-rate 比例的行扣款失败，分布在各种标准结果上（余额不足
                最多；另有少量该银行返回码表中没有的代码）。
                可一次给出多个扣款文件（其中的 .sig 文件会被跳过），每个文件各生成一个回盘文件。
                """,
            en: """
                Verifies the debit file's signature with the collector's certificate, decides each line's
                outcome from --seed (the same seed gives the same outcomes), and writes the return file,
                named by the bank's pattern and signed with the bank's key (bank_key in pikou.yaml, or
                --bank-key), into --out. About --fail-rate of the lines fail, spread over every canonical outcome
                (insufficient funds most often; a rare code the bank's table does not know).
                Several debit files may be given (their .sig files are skipped); each gets its return file.
                """)

        static let returnsIngest = Message(
            zh: """
                逐个文件：用银行证书验签 → 解析并检查每一行及尾记录合计 → 找到它所应答的扣款文件
                （按银行命名规则对应的回盘文件名，或 --debit-file）→ 按序号匹配每一行，核对金额和
                账号 → 在同一事务中入账全部结果。无法匹配的行、金额或账号不符、重复行、结果冲突和
                未知返回码均列为异常。
                验签、解析或合计核对不通过的文件整体拒收，不入账任何一行。
                重复导入同一文件不作任何改动，并给出提示。原始文件按其 SM3 摘要归档。
                有任何文件被拒收时以 1 退出；只有待人工核实的行（未知返回码、重复序号）的文件照常入账、列为异常，
                以 0 退出（与 file read 相同）。
                """,
            en: """
                For each file: verify its signature with the bank's certificate → parse and check every
                line and the trailer totals → find the debit file it answers (by the return-file name the
                bank's pattern gives, or --debit-file) → match each line by sequence, cross-check amount
                and account → post all results in one transaction. Unmatched lines, amount or account
                disagreements, duplicates, conflicting results and unknown codes become exceptions.
                A file that fails verification, parsing or totals is rejected whole, nothing posted.
                The same file again is a no-op that says so. The raw file is archived by its SM3 digest.
                Exits 1 if any file was rejected; a file whose only findings are lines for review (unknown
                codes, a sequence twice) is posted with those lines as exceptions and exits 0, as `file read`
                does for it.
                """)

        // MARK: failures list, resubmit, agreements update

        static let failuresList = Message(
            zh: """
                列出欠费尚未被之后的扣款覆盖的每笔失败扣款：缴费人（证件号和姓名已脱敏）、银行、
                脱敏账号、金额、标准扣款结果、银行自己的返回码和说明、已扣次数，以及按工作区重扣
                策略的下一步：可立即重扣、某日起可重扣、下期扣款、需更正协议、需人工判断/核实
                返回码、重扣次数已满。
                """,
            en: """
                Each failed debit no later debit covers: payer (masked ID and name), bank, masked account,
                amount, canonical outcome, the bank's own code and text, attempts so far, and the next
                step under the workspace's retry policy: retryable now, retryable from a date, next
                cycle, needs agreement correction, operator decides / review, attempts exhausted.
                """)

        static let resubmit = Message(
            zh: """
                按 pikou.yaml 中的 `retry:` 执行：哪些结果无需人工判断即可重扣、每笔欠费的扣款次数、
                两次扣款的间隔天数。已缴清（扣款或其他渠道）、扣款中或已达次数上限的欠费一律不纳入；
                须更正协议的失败结果，只有在协议更正后才纳入。指定 --outcome exceedsLimit 或 unknown，
                即表示经办人员决定重扣这些失败。银行格式有附言字段时，该行附言标记为 重扣RETRY。
                以 --operator 的名义记入日志。
                同时进行两次重扣，也不会把同一笔欠费放进两个文件。
                """,
            en: """
                Follows `retry:` in pikou.yaml: outcomes retried without a decision, attempts per due, days
                between attempts. Never includes a due already paid (by debit or elsewhere), pending, or
                over its attempts; a terminal outcome only after the agreement was corrected. Naming
                --outcome exceedsLimit or unknown is the operator's decision to retry those. Lines are marked
                重扣RETRY in the bank's memo field where its format has one. Journaled under --operator.
                Two resubmissions at once never put the same due in two files.
                """)

        static let agreementsUpdate = Message(
            zh: "更正后的协议生成新版本：该缴费人须更正协议的失败扣款可重新扣款。记入日志。",
            en: "A corrected agreement gets a new version: the payer's terminal failures become eligible again. Journaled.")

        // MARK: report

        static let report = Message(
            zh: """
                按每个分组列出：应缴人数及欠费、已缴清人数（扣款或其他渠道）及已收金额、扣款笔数、
                成功、失败、待回盘（笔数和金额）、比率；然后是异常和最后的钱表相符结论，为以下之一：
                  相符 MATCH      每笔都已有结果，每个扣款文件都已回盘，各回盘文件的
                                  尾记录与入库明细一致，各扣款文件的银行入账明细与
                                  对账库金额一致，没有待处理的异常             退出码 0
                  未结清 PENDING  没有不一致，但有文件未写出或尚未回盘，或仍有扣款
                                  在银行待回盘                                 退出码 3
                  不符 MISMATCH   有任何不一致，或仍有待处理的异常（逐条列出） 退出码 1
                  无数据 NO DATA  本期没有扣款文件                             退出码 4
                出错（没有工作区、选项有误）时同样以 1 退出，并在 stderr 输出说明。
                --by district|street|community 显示网格的征收进度。
                csv：带 BOM 的 UTF-8（Excel 可正确显示中文），或用 --encoding gbk。
                xlsx：工作表 汇总（各分组、合计、钱表相符结论）、网格进度（区 → 街道 → 社区，带小计，
                  可折叠）、失败明细（每笔失败扣款及下一步）、异常、失败原因（附条形图）；首行为
                  标题，注明期间和单位（元）；带自动筛选，比率为带 % 格式的数值，证件号和账号为脱敏文本。
                json：见 docs/report.schema.json，金额为以分为单位的整数。
                城乡居民两险：--scheme residents-annual [--year 2027] --by bank|file|district|street|community：
                各组的筹资标准、个人缴费（批扣到账、其他渠道、未缴）、财政补贴、代缴；财政应拨付清单
                （按部门、政策）；按网格时另列应参保、已登记、已缴费、参保率与目标（--targets）；
                最后是个人部分的钱表相符结论（相符退出码 0，不符 1）。格式：table 或 csv。
                """,
            en: """
                For each group: payers owing and their dues, payers fully paid (by debit or elsewhere) and
                what was collected, debited lines, succeeded, failed, pending (counts and yuan), rates;
                then the exceptions and the closing 钱表相符 line, one of:
                  相符 MATCH      every line decided, every debit file answered, each return file's
                                 trailer equal to its stored lines, the banks' posted lines equal to
                                 the store's money per debit file, no exception open     exit 0
                  未结清 PENDING  nothing differs, but a file is not written or not answered, or
                                 lines are still pending at a bank                       exit 3
                  不符 MISMATCH   any difference, or an exception still open (each named) exit 1
                  无数据 NO DATA  no debit file in the period                            exit 4
                An error (no workspace, a bad option) also exits 1, with a message on stderr.
                --by district|street|community shows the grid's collection progress.
                csv: UTF-8 with BOM (Excel opens the Chinese text), or --encoding gbk.
                xlsx: sheets 汇总 (the groups, the total, the 钱表相符 lines), 网格进度 (district →
                  street → community with subtotals, foldable), 失败明细 (each failed debit and its next
                  step), 异常, 失败原因 (with a bar chart); a title row with the period and the unit
                  (元), autofilters, rates as numbers with a % format, IDs and accounts as masked text.
                json: docs/report.schema.json, amounts in integer fen.
                Residents: --scheme residents-annual [--year 2027] --by bank|file|district|street|community:
                per group the standard, the personal part (by debit, elsewhere, unpaid), the subsidy and
                代缴; the list public funds pay from (per department and rule); by grid also eligible,
                enrolled, paid, the rate and the target (--targets); then 钱表相符 on the personal part
                (exit 0 when it matches, 1 when not). Format: table or csv.
                """)

        // MARK: exceptions

        static let exceptions = Message(
            zh: """
                导入回盘时，凡无法直接入账的回盘行都列为异常：无对应扣款、金额或账号不符、重复回盘行、
                同一笔出现相互冲突的第二个结果、格式定义中没有的返回码。
                只要有待处理的异常，报表的钱表相符结论就是 不符 MISMATCH。先查明情况（向银行核实、
                更正协议），再填写处理意见办结该异常；更正协议和办结异常均记入日志。
                """,
            en: """
                Ingest raises an exception for a return line it cannot simply post: unmatched, amount or
                account mismatch, a duplicate, a conflicting second result, a code the spec does not know.
                While any is open, the report's 钱表相符 says 不符 MISMATCH. Find out what happened (ask the
                bank, correct the agreement), then resolve it with a note saying so; both are journaled.
                """)

        // MARK: formats check

        static let formatsCheck = Message(
            zh: "未给出 FILE 时，检查 Formats/banks/ 中的全部银行格式定义。任何一个有错误时以 1 退出。",
            en: "With no FILE, checks every spec in Formats/banks/. Exits 1 if any spec has an error.")

        // MARK: file write, read, sign, verify

        static let fileWrite = Message(
            zh: """
                CSV 为 UTF-8 编码，首行为列名。各列（顺序不限）：
                  seq              1、2、3……按文件中的顺序（即该行的序号）
                  payer_id_number  18 位身份证号码（GB 11643）
                  payer_name       账户户名（可为中文）
                  account          付款人的账号或卡号（数字）
                  agreement_no     三方代扣协议编号
                  amount_fen       金额，以分为单位的整数（12345 = 123.45 元）
                  period           费款所属月份，YYYYMM
                  memo             可选：附言，银行格式中有此字段时写入
                用 --kind return（生成供测试用的银行回盘文件）时，还有：
                  result_code      银行自己的返回码
                  result_text      银行自己的返回说明
                  bank_serial      可选：银行交易流水号

                写出前逐行检查（证件号校验位、账号为数字及银联卡的 Luhn 校验、户名不为空）；
                错误会指明 CSV 的行和列。户名超出字段宽度时按字符边界截断，并给出警告。
                --out 可以是文件路径，也可以是已存在的目录；为目录时，文件按该银行的 file_name 规则命名。

                银行格式定义指定了签名算法时，用工作区配置（pikou.yaml）为该银行指定的密钥签名：
                扣款文件用我方的 signing_key，回盘文件用 bank_key。分离式签名写入 PATH.sig。
                """,
            en: """
                The CSV is UTF-8 with a header line. Columns (any order):
                  seq              1, 2, 3, ... in file order (the line's sequence number)
                  payer_id_number  18-character GB 11643 ID number
                  payer_name       the account holder's name (Chinese text is fine)
                  account          the debtor's account or card number (digits)
                  agreement_no     the three-party debit agreement number
                  amount_fen       the amount in whole fen (12345 = 123.45 yuan)
                  period           the contribution month, YYYYMM
                  memo             optional: a memo, where the bank's format has one
                With --kind return (to make a bank's return file for testing), also:
                  result_code      the bank's own result code
                  result_text      the bank's own result text
                  bank_serial      optional: the bank's transaction serial

                Each row is checked before writing (ID checksum, account digits and Luhn for
                UnionPay cards, name present); errors name the CSV line and column. A name wider
                than its field is cut on a character boundary and reported as a warning.
                --out may be a file path or an existing folder, in which case the file is named
                by the bank's file_name pattern.

                When the bank's spec names a signature scheme, the file is signed with the key the
                workspace config (pikou.yaml) gives for the bank: our signing_key for debit files,
                the bank_key for return files. A detached signature goes to PATH.sig.
                """)

        static let fileRead = Message(
            zh: """
                检查每行的字节长度（定长格式）或字段数（分隔符格式）、每个字段的值、头记录/尾记录中
                的笔数和合计金额是否与明细相符，并把每个返回码对应到扣款结果。发现的问题按
                FILE:LINE: error: field 'NAME': ... 的格式输出，个人信息已脱敏。文件有会使 returns ingest 整体拒收的错误时以 1 退出；
                只有待人工核实的行（未知返回码、重复序号）时以 0 退出，与 returns ingest 照常入账并列为异常一致。

                银行格式定义指定了签名算法时，先用工作区配置给出的证书验签（回盘文件用银行的证书，
                扣款文件用我方的证书）；验签不通过的文件不解析。
                """,
            en: """
                Checks every line's byte length (fixed layouts) or field count (delimited), every
                field's value, the header/trailer count and total against the lines, and maps each
                return code to its outcome. Problems are printed as FILE:LINE: error: field 'NAME': ...
                with personal values masked. Exits 1 if the file has an error that makes `returns ingest`
                refuse it whole; a line for operator review alone (an unknown result code, a sequence
                twice) does not change the exit status, as ingest posts such a line and lists it as an
                exception: both commands exit 0 for such a file.

                When the bank's spec names a signature scheme, the signature is verified first with
                the certificate the workspace config gives (the bank's for return files, ours for
                debit files); a file that fails verification is not parsed.
                """)

        static let fileSign = Message(
            zh: """
                detached: 对 PATH 的全部字节签名，写入 PATH.sig（base64 签名加一个换行符）。
                trailer:  对签名行之前的全部字节签名，在文件末尾追加签名行（格式定义中的
                          trailer_prefix、base64 签名、行结束符）；已有的签名行会被替换。
                扣款文件（--kind debit，默认）用工作区配置中的 signing_key 签名，回盘文件
                （--kind return，与银行模拟器相同）用 bank_key 签名。
                """,
            en: """
                detached: writes PATH.sig (base64 signature and a line feed) over every byte of PATH.
                trailer:  appends a signature line (the spec's trailer_prefix, base64, line ending)
                          over every byte before it; an existing signature line is replaced.
                The key is the workspace config's signing_key for debit files (--kind debit, the
                default) or bank_key for return files (--kind return, as the bank simulator does).
                """)

        static let fileVerify = Message(
            zh: """
                使用工作区配置给出的证书：回盘文件（--kind return，默认）用银行的证书
                （bank_certificate），扣款文件用我方的证书。签名错误、缺少 .sig 文件或签名行、
                密钥算法不符、证书已过期（未指定 --allow-expired 时）或证书无法读取，均验证失败。
                """,
            en: """
                Uses the certificate the workspace config gives: the bank's (bank_certificate) for
                return files (--kind return, the default), ours for debit files. Fails on a bad
                signature, a missing .sig or signature line, a key of the wrong algorithm, an
                expired certificate (unless --allow-expired) or an unreadable certificate.
                """)

        // MARK: keys generate

        static let keysGenerate = Message(
            zh: """
                在 DIR 中写出：
                  NAME.key.pem   私钥，PKCS#8 格式，用 AES-256-CBC 加密（权限 0600）
                  NAME.pub.pem   公钥
                  NAME.cert.pem  自签名 X.509 证书（SM2 密钥用 SM3 签名）
                口令取自 --passphrase-file FILE 或环境变量 PIKOU_KEY_PASSPHRASE，绝不从命令行读取。
                不覆盖已有文件。
                """,
            en: """
                Writes into DIR:
                  NAME.key.pem   the private key, PKCS#8 encrypted with AES-256-CBC (mode 0600)
                  NAME.pub.pem   the public key
                  NAME.cert.pem  a self-signed X.509 certificate (SM2 keys are signed with SM3)
                The passphrase comes from --passphrase-file FILE or the environment variable
                PIKOU_KEY_PASSPHRASE, never from the command line. Existing files are not overwritten.
                """)
    }
}
