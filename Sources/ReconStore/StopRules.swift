import PikouCore

/// What both backends decide alike when a file is cancelled or an ingest undone: when it is
/// refused, and what the journal says.
enum StopRules {
    /// Refuses to cancel `file` unless it was written and nothing answers it yet.
    static func checkCancel(_ file: StoredFile, answers: [(name: String, cancel: Bool, at: String, actor: String)]) throws {
        guard file.state == .written else {
            throw StoreError.conflict(Message(
                zh: "\(file.bank)/\(file.name) 从未写出，银行没有这个文件：请改用 `pikou files release` 放弃它",
                en: "\(file.bank)/\(file.name) was never written, so no bank has it: give it up with `pikou files release` instead"))
        }
        if let cancelled = answers.first(where: \.cancel) {
            throw StoreError.conflict(Message(zh: "\(file.bank)/\(file.name) 已于 \(cancelled.at) 由 \(cancelled.actor) 撤销",
                                              en: "\(file.bank)/\(file.name) was cancelled already, at \(cancelled.at) by \(cancelled.actor)"))
        }
        if let answer = answers.first {
            throw StoreError.conflict(Message(
                zh: "银行已执行 \(file.bank)/\(file.name)：其回盘文件 \(answer.name) 已于 \(answer.at) 入账，来不及撤销"
                    + "（若那次入账有误，先用 `pikou returns undo` 撤回）",
                en: "the bank has run \(file.bank)/\(file.name): its return file \(answer.name) was ingested at \(answer.at), too late to stop it "
                    + "(if that ingest was a mistake, undo it first with `pikou returns undo`)"))
        }
    }

    static func cancelDetail(_ file: StoredFile, _ cancellation: FileCancellation, seal: String) -> String {
        "cancelled before the bank ran it: \(file.count) debits, \(file.total) yuan closed cancelled, their dues open for the next batch; "
            + "recorded as \(cancellation.recordName) (sm3 \(cancellation.digest)); \(seal); \(cancellation.reason)"
    }

    /// What depends on a posted return file.
    struct Dependants {
        /// A return file for the same debit file posted after it.
        var laterReturn: String?
        /// Its exceptions resolved or reopened since.
        var workedExceptions: Int
        /// A debit file that debits again a due one of its lines failed.
        var laterDebitFile: String?
    }

    /// Refuses to undo `returned` when it is a cancellation or something depends on it.
    static func checkUndo(_ returned: StoredReturnFile, debitFileName: String, _ dependants: Dependants) throws {
        let subject = "\(returned.bank)/\(returned.name)"
        if returned.isCancellation {
            throw StoreError.conflict(Message(
                zh: "\(subject) 记录的是 \(debitFileName) 的撤销，不是银行回盘：已撤销的文件始终保持撤销",
                en: "\(subject) records the cancellation of \(debitFileName), not a bank's return: a cancelled file stays cancelled"))
        }
        if let later = dependants.laterReturn {
            throw StoreError.conflict(Message(
                zh: "同一扣款文件 \(debitFileName) 的回盘文件 \(later) 在 \(subject) 之后入账，且以它入账的结果为准：请先撤回 \(later)",
                en: "return file \(later) for the same debit file \(debitFileName) was posted after \(subject), against what it posted: "
                    + "undo \(later) first"))
        }
        if dependants.workedExceptions > 0 {
            throw StoreError.conflict(Message(
                zh: "\(subject) 不能撤回：入账后其异常已被处理或重新打开 \(dependants.workedExceptions) 次",
                en: "\(subject) cannot be undone: its exceptions were resolved or reopened \(dependants.workedExceptions) times since it was posted"))
        }
        if let later = dependants.laterDebitFile {
            throw StoreError.conflict(Message(
                zh: "\(subject) 不能撤回：扣款文件 \(later) 对它判为失败的欠费再次扣款（重扣或之后的扣款以它为依据）",
                en: "\(subject) cannot be undone: debit file \(later) debits again dues whose debits it failed "
                    + "(a resubmission or a later cycle stands on it)"))
        }
    }

    /// What the journal says of return file `id`'s seal, as `LIKE` finds its entries.
    static func sealPattern(id: Int64) -> String { "%return file #\(id), lines sha256 %" }

    /// Refuses to undo rows that no longer match the seal the journal holds for them: removing them
    /// would remove the evidence. `entries` are the journal's sealing entries naming the file.
    static func checkSealed(_ returned: StoredReturnFile, seal: String, entries: [(id: Int64, action: String, detail: String)]) throws {
        let standing = Seal.standing(entries)
        guard let recorded = standing.sealed[.returnFile]?[returned.id] else {
            throw StoreError.conflict(Message(zh: "\(returned.bank)/\(returned.name) 在日志中没有封印：请运行 `pikou check`；未撤回",
                                              en: "\(returned.bank)/\(returned.name) has no seal in the journal: run pikou check; not undone"))
        }
        guard recorded.seal == seal else {
            throw StoreError.conflict(Message(
                zh: "\(returned.bank)/\(returned.name) 的记录与其封印（日志第 \(recorded.entry) 条）不再相符：记录被改动过；请运行 `pikou check`；未撤回",
                en: "\(returned.bank)/\(returned.name)'s rows no longer match their seal (journal entry \(recorded.entry)): they were changed; "
                    + "run pikou check; not undone"))
        }
        if let again = standing.replaced.first(where: { $0.subject == .returnFile && $0.id == returned.id }) {
            throw StoreError.conflict(Message(
                zh: "\(returned.bank)/\(returned.name) 在日志第 \(again.first) 条之后又被第 \(again.entry) 条再次封印：请运行 `pikou check`；未撤回",
                en: "\(returned.bank)/\(returned.name) was sealed again by journal entry \(again.entry) after entry \(again.first): "
                    + "run pikou check; not undone"))
        }
    }

    static func undoDetail(_ undone: UndoneReturn, digest: String, seal: String, reason: String) -> String {
        "ingest undone against \(undone.debitFileName): sm3 \(digest); \(seal) removed: \(undone.lines) lines, "
            + "\(undone.posted) debits pending again, \(undone.exceptions) exceptions withdrawn; \(reason)"
    }
}
