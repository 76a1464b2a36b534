
/// A broken invariant of DESIGN.md, as the store or the files on disk show it. Typed, so that tests
/// assert on the case and each surface (CLI, console) says it in its reader's words.
public enum InvariantViolation: Sendable, Hashable, CustomStringConvertible {
    /// A file's recorded count or total differs from its debits'.
    case fileTotalsDisagree(bank: String, file: String, recordedCount: Int, recordedTotal: Money, debitCount: Int, debitTotal: Money)
    /// A file was reserved and never written (a crash, or a write that failed).
    case fileNotWritten(bank: String, file: String)
    /// A due has more than one successful debit.
    case dueCollectedTwice(dueID: Int64, times: Int)
    /// A due was collected by debit and also paid through another channel.
    case dueCollectedAndPaidElsewhere(dueID: Int64)
    /// A due's refunds (paid and pending) take back more than its debits collected.
    case refundExceedsCollected(dueID: Int64)
    /// A payer has two lines in one file.
    case payerTwiceInFile(fileID: Int64, payerID: Int64)
    /// A due was debited again after a debit collected it.
    case dueDebitedAfterCollection(dueID: Int64, debitID: Int64)
    /// A return file's lines or totals disagree with its trailer.
    case returnFileTotalsDisagree(bank: String, file: String)
    /// A return line was neither posted nor raised as an exception.
    case returnLineUnaccounted(returnFileID: Int64, line: Int)
    /// The journal's hash chain is broken at this entry.
    case journalBroken(entryID: Int64)
    /// A written debit file is not in the outbox.
    case debitFileMissing(path: String)
    /// A written debit file's bytes are not those recorded.
    case debitFileChanged(path: String)
    /// A written debit file does not read back (signature, layout): the reader's words.
    case debitFileUnreadable(path: String, reason: String)
    /// A written debit file's lines differ from the store's record of it.
    case debitFileDisagrees(path: String, lines: Int, total: Money, recordedLines: Int, recordedTotal: Money)
    /// A written debit file's trailer disagrees with its lines.
    case debitFileTrailerDisagrees(path: String, declared: Money, lines: Money)
    /// A written debit file has a payer twice.
    case debitFilePayerTwice(path: String)
    /// The rows a posting or a write fixed no longer hash to the seal its journal entry recorded:
    /// a result, an exception or a debit row was edited in the store.
    case sealBroken(subject: String, journalEntry: Int64)
    /// A journal entry seals a record that an earlier entry sealed (or an undo retired): records are
    /// sealed once, where they are written, so a second seal is an entry appended to make an edit hold.
    case sealReplaced(subject: String, journalEntry: Int64, sealedBy: Int64)
    /// A table, view, index or trigger of the store is not the one its migrations make (a guard
    /// re-created with `WHEN 0`, a view redefined, an index or a trigger added or dropped).
    case schemaDiffers(kind: String, name: String, finding: String)
    /// A posted return file or written debit file has no seal in the journal (journal entries
    /// deleted, or rows added behind Pikou's back).
    case sealMissing(subject: String)
    /// The journal seals a return file or debit file the store no longer has.
    case sealedRowsGone(subject: String, journalEntry: Int64)
    /// A guard that keeps the ledger append-only (a trigger) is missing.
    case appendOnlyGuardMissing(name: String)
    /// Rows name a row that is not there (`table.column` → `references`): a reference the store keeps
    /// by construction rather than by a foreign key was broken outside Pikou.
    case referenceBroken(table: String, column: String, references: String, rows: Int)
    /// An anchor kept outside the store names a journal entry that is gone or different.
    case anchorBroken(anchor: String, source: String, found: String?)
    /// A console user's record (role, password, disabled, second factor) is not what the last journal
    /// entry about them sealed: console/users.json was edited outside `pikou users`.
    case userSealBroken(name: String, journalEntry: Int64)
    /// A journal entry seals a record changed in place (a payer, an agreement, a due) anew, naming
    /// as the seal it replaces one the record did not have after `previous`.
    case sealChainBroken(subject: String, journalEntry: Int64, previous: Int64)
    /// A posted return file's archived copy is missing.
    case returnArchiveMissing(path: String)
    /// A posted return file's archived copy is not the bytes that were posted.
    case returnArchiveChanged(path: String)

    /// Work left to finish rather than a broken invariant: a reserved file the next `cycle run` or
    /// `resubmit` writes (or `files release` gives up). `check` reports it apart, with its own exit code.
    public var isPendingWork: Bool {
        if case .fileNotWritten = self { true } else { false }
    }

    /// What a person reads: the broken invariant in both languages. ``description`` is its English
    /// (tests and logs match on it).
    public var message: Message {
        switch self {
        case .fileTotalsDisagree(let bank, let file, let count, let total, let debitCount, let debitTotal):
            Message(zh: "文件 \(bank)/\(file)：记录为 \(count) 笔、\(total) 元，但其扣款为 \(debitCount) 笔、\(debitTotal) 元",
                    en: "file \(bank)/\(file): recorded \(count) lines, \(total) yuan, but its debits are \(debitCount) lines, \(debitTotal) yuan")
        case .fileNotWritten(let bank, let file):
            Message(zh: "文件 \(bank)/\(file) 已预留未写出（运行中断或写出失败）：`pikou cycle run` 或 `pikou resubmit` 会写出它；"
                        + "无法写出时用 `pikou files release \(bank)/\(file) --reason …` 放弃",
                    en: "file \(bank)/\(file) was reserved but never written (a run cut short, or a write that failed): `pikou cycle run` or "
                        + "`pikou resubmit` writes it; `pikou files release \(bank)/\(file) --reason …` gives it up")
        case .dueCollectedTwice(let due, let times):
            Message(zh: "欠费 \(due) 被收取了 \(times) 次", en: "due \(due) was collected \(times) times")
        case .dueCollectedAndPaidElsewhere(let due):
            Message(zh: "欠费 \(due) 已扣款成功，又在其他渠道缴过：退还其中一笔（pikou refunds write）",
                    en: "due \(due) was collected by debit and also paid through another channel: refund one (pikou refunds write)")
        case .refundExceedsCollected(let due):
            Message(zh: "欠费 \(due) 的退费（已退加在途）超过扣款实收", en: "due \(due) is refunded (paid and pending) more than its debits collected")
        case .payerTwiceInFile(let file, let payer):
            Message(zh: "缴费人 \(payer) 在文件 \(file) 中出现两次", en: "payer \(payer) appears twice in file \(file)")
        case .dueDebitedAfterCollection(let due, let debit):
            Message(zh: "欠费 \(due) 已收取后又被扣款（扣款 \(debit)）", en: "due \(due) was collected and then debited again (debit \(debit))")
        case .returnFileTotalsDisagree(let bank, let file):
            Message(zh: "回盘文件 \(bank)/\(file)：明细或合计与其汇总行不符", en: "return file \(bank)/\(file): lines or totals disagree with its trailer")
        case .returnLineUnaccounted(let file, let line):
            Message(zh: "回盘文件 \(file) 的第 \(line) 行既未入账，也未列为异常",
                    en: "return line \(line) of return file \(file) was neither posted nor raised as an exception")
        case .journalBroken(let entry):
            Message(zh: "日志第 \(entry) 条与前一条的哈希链接不上：日志被改动过",
                    en: "journal entry \(entry) does not chain to the one before: the journal was altered")
        case .debitFileMissing(let path):
            Message(zh: "扣款文件 \(path) 记录为已写出，但不在发件箱中", en: "debit file \(path) is recorded as written but is not in the outbox")
        case .debitFileChanged(let path):
            Message(zh: "扣款文件 \(path) 写出后被改动：其 SM3 摘要与对账库记录的不同",
                    en: "debit file \(path) was changed after it was written: its SM3 digest differs from the store's")
        case .debitFileUnreadable(let path, let reason):
            Message(zh: "扣款文件 \(path) 无法完整读回：\(Self.chinese(reason: reason))", en: "debit file \(path) does not read back cleanly: \(reason)")
        case .debitFileDisagrees(let path, let lines, let total, let recordedLines, let recordedTotal):
            Message(zh: "扣款文件 \(path) 有 \(lines) 笔、\(total) 元；对账库记录为 \(recordedLines) 笔、\(recordedTotal) 元",
                    en: "debit file \(path) holds \(lines) lines, \(total) yuan; the store recorded \(recordedLines) lines, \(recordedTotal) yuan")
        case .debitFileTrailerDisagrees(let path, let declared, let lines):
            Message(zh: "扣款文件 \(path)：汇总行为 \(declared) 元，明细合计 \(lines) 元",
                    en: "debit file \(path): its trailer says \(declared) yuan, its lines \(lines) yuan")
        case .debitFilePayerTwice(let path):
            Message(zh: "扣款文件 \(path) 中有缴费人出现两次", en: "debit file \(path) has a payer twice")
        case .sealBroken(let subject, let entry):
            Message(zh: "\(Self.chinese(subject: subject)) 在封印（日志第 \(entry) 条）后于对账库中被改动：其记录的哈希与封印不再相符",
                    en: "\(subject) was changed in the store after it was sealed (journal entry \(entry)): its rows no longer hash to the seal")
        case .sealReplaced(let subject, let entry, let first):
            Message(zh: "日志第 \(entry) 条再次封印 \(Self.chinese(subject: subject))，而第 \(first) 条已封印过它：记录只在写入时封印一次；"
                        + "后来的封印是为使改动生效而追加的",
                    en: "journal entry \(entry) seals \(subject) again, after entry \(first) sealed it: a record is sealed once, "
                        + "where it is written; the later seal was appended to make an edit hold")
        case .userSealBroken(let name, let entry):
            Message(zh: "工作台用户 \(name) 与日志第 \(entry) 条封印的不符（角色、密码、停用、两步验证）：console/users.json 在 `pikou users` 之外被改动；"
                        + "若改动出自本单位，用 `pikou users seal` 认可",
                    en: "console user \(name) is not as journal entry \(entry) sealed them (role, password, disabled, second factor): "
                        + "console/users.json was edited outside `pikou users`; if the change is the bureau's, `pikou users seal` accepts it")
        case .sealChainBroken(let subject, let entry, let previous):
            Message(zh: "日志第 \(entry) 条重新封印 \(Self.chinese(subject: subject))，所替换的封印却不是它在日志第 \(previous) 条之后的封印："
                        + "这是为使改动生效而追加的条目",
                    en: "journal entry \(entry) seals \(subject) anew, replacing a seal it did not have after journal entry \(previous): "
                        + "an entry appended to make an edit hold")
        case .schemaDiffers(let kind, let name, let finding):
            Message(zh: "对账库的\(Self.chinese(schemaKind: kind)) '\(name)' 与 Pikou 建立的不同（\(Self.chinese(finding: finding))）：其结构在 Pikou 之外被改动",
                    en: "the store's \(kind) \(name) is not the one its migrations make (\(finding)): the schema was changed outside Pikou")
        case .sealMissing(let subject):
            Message(zh: "\(Self.chinese(subject: subject)) 在日志中没有封印：日志条目被删除，或其记录是在 Pikou 之外添加的",
                    en: "\(subject) has no seal in the journal: journal entries were deleted, or its rows were added outside Pikou")
        case .sealedRowsGone(let subject, let entry):
            Message(zh: "\(Self.chinese(subject: subject))（由日志第 \(entry) 条封印）已不在对账库中",
                    en: "\(subject), sealed by journal entry \(entry), is no longer in the store")
        case .appendOnlyGuardMissing(let name):
            Message(zh: "\(Self.chinese(guardName: name))：账目可被改写",
                    en: "the store's append-only guard \(name) was dropped: the ledger can be rewritten")
        case .referenceBroken(let table, let column, let references, let rows):
            Message(zh: "\(Self.chinese(table: table))中有 \(rows) 行的 '\(column)' 指向\(Self.chinese(table: references))中没有的记录："
                        + "有记录在 Pikou 之外被删除或添加",
                    en: "\(rows) rows of \(table) name a \(column) that \(references) does not have: rows were deleted or added outside Pikou")
        case .anchorBroken(let anchor, let source, let found):
            Self.anchorBrokenMessage(anchor: anchor, source: source, found: found)
        case .returnArchiveMissing(let path):
            Message(zh: "归档的回盘文件 \(path) 缺失：对银行的该文件运行 `pikou returns ingest` 即可放回（不会重复入账）",
                    en: "the archived return file \(path) is missing: `pikou returns ingest` of the bank's file puts it back "
                        + "(nothing is posted twice)")
        case .returnArchiveChanged(let path):
            Message(zh: "归档的回盘文件 \(path) 不是入账时的文件：其 SM3 摘要不同",
                    en: "the archived return file \(path) is not the file that was posted: its SM3 digest differs")
        }
    }

    /// The English of ``message``, as tests, logs and `--lang en` read it.
    public var description: String { message.en }

    // MARK: Chinese for the words the store and the checks pass in English

    /// The kinds of record the store names subjects by (`return file BOC/x.txt`, `payer #12`, `dues #3..9`,
    /// `exception action #4 (…)`), in Chinese; the longer of two that share a start comes first.
    private static let subjectWords: [(en: String, zh: String)] = [
        ("return file ", "回盘文件 "), ("debit file ", "扣款文件 "), ("exception action ", "异常处理记录 "), ("exception ", "异常 "),
        ("payers ", "缴费人 "), ("payer ", "缴费人 "), ("agreements ", "协议 "), ("agreement ", "协议 "),
        ("enrollments ", "参保 "), ("enrollment ", "参保 "), ("resident_dues ", "居民欠费 "), ("residents' due ", "居民欠费 "),
        ("dues ", "欠费 "), ("due ", "欠费 "), ("payments ", "其他渠道缴费 "), ("payment made elsewhere ", "其他渠道缴费 "),
        ("group_memberships ", "特殊群体名单 "), ("group membership ", "特殊群体名单 "),
        ("households ", "户号关联 "), ("household link ", "户号关联 "),
        ("confirmations ", "确认的结果 "), ("result confirmed by an operator ", "确认的结果 "),
    ]

    /// A subject of a seal in Chinese: its kind of record in words, its ids and names as they are.
    static func chinese(subject: String) -> String {
        guard let word = subjectWords.first(where: { subject.hasPrefix($0.en) }) else { return subject }
        var text: String = word.zh + String(subject.dropFirst(word.en.count))
        // `exception action #4 (exception 3, resolve by 张经办)`, `exception 3's reopen by 张经办`.
        let said: [(en: String, zh: String)] = if text.hasSuffix(")") && text.contains(" (exception ") {
            [(" (exception ", "（异常 "), (", resolve by ", "，办结，处理人 "), (", reopen by ", "，重新打开，处理人 ")]
        } else {
            [("'s resolve by ", " 的办结（处理人 "), ("'s reopen by ", " 的重新打开（处理人 ")]
        }
        guard said.contains(where: { text.contains($0.en) }) else { return text }
        if text.hasSuffix(")") { text.removeLast() }
        for phrase in said { text = text.replacing(phrase.en, with: phrase.zh) }
        return text + "）"
    }

    /// A table of the store in Chinese, its name quoted after it.
    static func chinese(table: String) -> String {
        let word: String? = switch table {
        case "payers": "缴费人"
        case "agreements": "协议"
        case "enrollments": "参保"
        case "dues": "欠费"
        case "resident_dues": "居民欠费"
        case "payments": "其他渠道缴费"
        case "group_memberships": "特殊群体名单"
        case "households": "户号关联"
        case "confirmations": "确认的结果"
        case "files": "扣款文件"
        case "debit_rows", "debits": "扣款"
        case "return_files": "回盘文件"
        case "results": "回盘结果"
        case "exceptions": "异常"
        case "exception_actions": "异常处理记录"
        case "journal": "日志"
        default: nil
        }
        return word.map { "\($0)（'\(table)'）" } ?? "'\(table)'"
    }

    /// A kind of schema object (SQLite's `type`, the kinds PostgreSQL's catalogue is read as) in Chinese.
    static func chinese(schemaKind kind: String) -> String {
        switch kind {
        case "table": "表"
        case "view": "视图"
        case "index": "索引"
        case "trigger": "触发器"
        case "constraint": "约束"
        case "rule": "规则"
        case "function": "函数"
        default: " '\(kind)'"
        }
    }

    /// How a schema object departs from the one Pikou makes, in Chinese; definitions stay in the database's own words.
    static func chinese(finding: String) -> String {
        if finding == "missing" { return "缺失" }
        let extra = "no migration makes it: "
        if finding.hasPrefix(extra) { return "Pikou 不会建立它：" + String(finding.dropFirst(extra.count)) }
        let defined: String = finding.replacing("defined as «", with: "定义为 «")
        return defined.replacing("» where the migrations make «", with: "»，Pikou 建立的是 «")
    }

    /// A missing append-only guard, said in Chinese: a trigger by its name, or a leftover undo mark.
    static func chinese(guardName name: String) -> String {
        let mark = "return_undo_marks (a leftover mark lets return file #"
        guard name.hasPrefix(mark) else { return "对账库的只追加保护（触发器 '\(name)'）已被删除" }
        let id = name.dropFirst(mark.count).prefix { $0.isASCII && $0.isNumber }
        return "对账库 'return_undo_marks' 中遗留了一个标记，回盘文件 #\(id) 的记录因此可被删除，只追加保护对它不起作用"
    }

    /// ``anchorBroken(anchor:source:found:)`` in words; the anchor as `第 N 条 sha256 …` in Chinese.
    static func anchorBrokenMessage(anchor: String, source: String, found: String?) -> Message {
        let shown: String = JournalHead(parsing: anchor)?.shown.zh ?? anchor
        let zh: String = found.map { "中该条为 \($0)" } ?? "中已没有该条"
        let en: String = found.map { "has \($0) there" } ?? "has no such entry"
        return Message(zh: "锚点 \(shown)（\(source)）不成立：日志\(zh)；有条目被删除或改写",
                       en: "the anchor \(anchor) (\(source)) does not hold: the journal \(en); entries were deleted or rewritten")
    }

    /// Why a written file does not read back: the reader's words (already in the reader's language), or the check's own.
    static func chinese(reason: String) -> String {
        reason == "the lines add up past 64-bit fen" ? "明细合计超出 64 位分的范围" : reason
    }
}
