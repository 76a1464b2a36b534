
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

    public var description: String {
        switch self {
        case .fileTotalsDisagree(let bank, let file, let count, let total, let debitCount, let debitTotal):
            "file \(bank)/\(file): recorded \(count) lines, \(total) yuan, but its debits are \(debitCount) lines, \(debitTotal) yuan"
        case .fileNotWritten(let bank, let file):
            "file \(bank)/\(file) was reserved but never written (a run cut short, or a write that failed): `pikou cycle run` or `pikou resubmit` writes it; `pikou files release \(bank)/\(file) --reason …` gives it up"
        case .dueCollectedTwice(let due, let times): "due \(due) was collected \(times) times"
        case .dueCollectedAndPaidElsewhere(let due): "due \(due) was collected by debit and also paid through another channel: refund one"
        case .payerTwiceInFile(let file, let payer): "payer \(payer) appears twice in file \(file)"
        case .dueDebitedAfterCollection(let due, let debit): "due \(due) was collected and then debited again (debit \(debit))"
        case .returnFileTotalsDisagree(let bank, let file): "return file \(bank)/\(file): lines or totals disagree with its trailer"
        case .returnLineUnaccounted(let file, let line):
            "return line \(line) of return file \(file) was neither posted nor raised as an exception"
        case .journalBroken(let entry): "journal entry \(entry) does not chain to the one before: the journal was altered"
        case .debitFileMissing(let path): "debit file \(path) is recorded as written but is not in the outbox"
        case .debitFileChanged(let path): "debit file \(path) was changed after it was written: its SM3 digest differs from the store's"
        case .debitFileUnreadable(let path, let reason): "debit file \(path) does not read back cleanly: \(reason)"
        case .debitFileDisagrees(let path, let lines, let total, let recordedLines, let recordedTotal):
            "debit file \(path) holds \(lines) lines, \(total) yuan; the store recorded \(recordedLines) lines, \(recordedTotal) yuan"
        case .debitFileTrailerDisagrees(let path, let declared, let lines):
            "debit file \(path): its trailer says \(declared) yuan, its lines \(lines) yuan"
        case .debitFilePayerTwice(let path): "debit file \(path) has a payer twice"
        case .sealBroken(let subject, let entry):
            "\(subject) was changed in the store after it was sealed (journal entry \(entry)): its rows no longer hash to the seal"
        case .sealReplaced(let subject, let entry, let first):
            "journal entry \(entry) seals \(subject) again, after entry \(first) sealed it: a record is sealed once, where it is written; the later seal was appended to make an edit hold"
        case .userSealBroken(let name, let entry):
            "console user \(name) is not as journal entry \(entry) sealed them (role, password, disabled, second factor): console/users.json was edited outside `pikou users`; if the change is the bureau's, `pikou users seal` accepts it"
        case .sealChainBroken(let subject, let entry, let previous):
            "journal entry \(entry) seals \(subject) anew, replacing a seal it did not have after journal entry \(previous): an entry appended to make an edit hold"
        case .schemaDiffers(let kind, let name, let finding):
            "the store's \(kind) \(name) is not the one its migrations make (\(finding)): the schema was changed outside Pikou"
        case .sealMissing(let subject): "\(subject) has no seal in the journal: journal entries were deleted, or its rows were added outside Pikou"
        case .sealedRowsGone(let subject, let entry): "\(subject), sealed by journal entry \(entry), is no longer in the store"
        case .appendOnlyGuardMissing(let name): "the store's append-only guard \(name) was dropped: the ledger can be rewritten"
        case .referenceBroken(let table, let column, let references, let rows):
            "\(rows) rows of \(table) name a \(column) that \(references) does not have: rows were deleted or added outside Pikou"
        case .anchorBroken(let anchor, let source, let found):
            "the anchor \(anchor) (\(source)) does not hold: the journal \(found.map { "has \($0) there" } ?? "has no such entry"); entries were deleted or rewritten"
        case .returnArchiveMissing(let path):
            "the archived return file \(path) is missing: `pikou returns ingest` of the bank's file puts it back (nothing is posted twice)"
        case .returnArchiveChanged(let path): "the archived return file \(path) is not the file that was posted: its SM3 digest differs"
        }
    }
}
