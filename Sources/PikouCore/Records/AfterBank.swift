/// The money after the bank (钱表相符's last two legs): credits on the collection account, matched
/// to the debit files they settle, and the treasury's daily reconciliation, matched to the bank's
/// posted results. The rules are pure functions in PikouCycle; the store keeps what they decided.

/// A debit file as a statement's entries settle it: what the bank said it collected, and what
/// earlier statements already credited.
public struct SettlementFile: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var name: String
    public var collector: String
    public var batchNo: Int
    public var fileDate: CivilDate
    public var collectionDate: CivilDate
    /// The period of the cycle or resubmission that wrote it.
    public var period: Period
    /// What the bank's return file says it debited.
    public var succeeded: Money
    /// Credits already matched to it, less reversals.
    public var credited: Money

    public init(id: Int64, bank: String, name: String, collector: String, batchNo: Int, fileDate: CivilDate, collectionDate: CivilDate,
                period: Period, succeeded: Money, credited: Money) {
        self.id = id
        self.bank = bank
        self.name = name
        self.collector = collector
        self.batchNo = batchNo
        self.fileDate = fileDate
        self.collectionDate = collectionDate
        self.period = period
        self.succeeded = succeeded
        self.credited = credited
    }

    /// What is still to arrive (negative when more came than the bank debited); nil past 64-bit fen.
    public var outstanding: Money? { try? succeeded.subtracting(credited) }
}

/// What one statement entry became.
public enum EntryState: String, Sendable, Hashable, CaseIterable {
    /// A credit that settles its file to the fen.
    case settled
    /// A credit for less than its file's outstanding amount (短款).
    case short
    /// A credit for more than its file's outstanding amount (长款).
    case over
    /// A credit that settles its file, later than the bank's settlement days allow (迟到).
    case late
    /// A credit that names no debit file of this bank and matches none by date and amount (无法匹配).
    case unmatched
    /// A credit without a reference that two or more files match by date and amount: never guessed (待确认).
    case ambiguous
    /// A credit taken back (冲正).
    case reversed
    /// Money out, or a line that is not a booking: kept, not matched.
    case other

    /// Whether finance must look at it.
    public var isException: Bool { ![.settled, .other].contains(self) }
}

/// One statement entry, matched.
public struct StatementEntry: Sendable, Hashable {
    public var lineNo: Int
    /// What the file's code says (credit, debit, reversal, ignore), as the spec's `entry_codes` map it.
    public var entry: String
    public var amount: Money
    public var valueDate: CivilDate
    public var reference: String
    public var bankSerial: String
    /// The debit file it settles, when matched.
    public var fileID: Int64?
    public var state: EntryState

    public init(lineNo: Int, entry: String, amount: Money, valueDate: CivilDate, reference: String, bankSerial: String, fileID: Int64?, state: EntryState) {
        self.lineNo = lineNo
        self.entry = entry
        self.amount = amount
        self.valueDate = valueDate
        self.reference = reference
        self.bankSerial = bankSerial
        self.fileID = fileID
        self.state = state
    }
}

/// A statement to record: its file and its entries, matched.
public struct StatementRecord: Sendable {
    public var bank: String
    /// The spec whose layout read it (the bank's own, or `ISO20022` for camt.053/054).
    public var format: String
    public var name: String
    public var digest: String
    public var account: String
    public var date: CivilDate
    public var entries: [StatementEntry]

    public init(bank: String, format: String, name: String, digest: String, account: String, date: CivilDate, entries: [StatementEntry]) {
        self.bank = bank
        self.format = format
        self.name = name
        self.digest = digest
        self.account = account
        self.date = date
        self.entries = entries
    }
}

/// One state of the treasury reconciliation's taxonomy, per line (the authority's list is the truth).
public enum TreasuryState: String, Sendable, Hashable, CaseIterable {
    /// Both succeeded, the same amount (双方成功，金额一致).
    case same
    /// Both succeeded, different amounts (双方成功，金额不一致).
    case different
    /// We posted a success the authority has no booking for (我方成功，对方无记录): for reversal review, never changed.
    case oursOnly = "ours_only"
    /// The authority booked what we have no success for (对方成功，我方无成功记录).
    case theirsOnly = "theirs_only"
    /// Both failed (双方失败).
    case bothFailed = "both_failed"
    /// Paid back out of the treasury (退库), matching a refund the bank paid, the same amount.
    case refunded
    /// Paid back out of the treasury, a different amount than the refund the bank paid (退库金额不一致).
    case refundDifferent = "refund_different"
    /// Paid back out of the treasury with no refund of ours paid for it (国库退库，我方无退费记录).
    case refundTheirsOnly = "refund_theirs_only"
    /// A refund the bank paid that the treasury's file of its day lacks (我方已退费，国库无退库记录).
    case refundOursOnly = "refund_ours_only"

    /// Whether finance must look at it.
    public var isException: Bool { [.different, .oursOnly, .theirsOnly, .refundDifferent, .refundTheirsOnly, .refundOursOnly].contains(self) }
}

/// A debit result of ours the treasury's file may list: a bank, a day, a payer and a period.
public struct TreasuryCandidate: Sendable, Hashable {
    public var debitID: Int64
    public var idNumber: String
    /// The periods as debit files carry them (`YYYYMM`).
    public var period: String
    public var amount: Money
    public var bankSerial: String
    public var succeeded: Bool

    public init(debitID: Int64, idNumber: String, period: String, amount: Money, bankSerial: String, succeeded: Bool) {
        self.debitID = debitID
        self.idNumber = idNumber
        self.period = period
        self.amount = amount
        self.bankSerial = bankSerial
        self.succeeded = succeeded
    }
}

/// One line of the treasury's file, or one success of ours it lacks (`lineNo` nil), matched.
public struct TreasuryLine: Sendable, Hashable {
    public var lineNo: Int?
    public var idNumber: String
    public var period: String
    /// The authority's amount (ours, for a success it lacks).
    public var amount: Money
    /// What the authority says (booked, failed, refunded); empty for a success it lacks.
    public var theirs: String
    public var bankSerial: String
    /// The treasury's own booking number (电子缴款书号 / 入库流水号).
    public var voucher: String
    public var debitID: Int64?
    /// The refund it was matched to (a 退库 line, or a paid refund the file lacks).
    public var refundID: Int64?
    public var ourAmount: Money?
    public var state: TreasuryState

    public init(lineNo: Int?, idNumber: String, period: String, amount: Money, theirs: String, bankSerial: String, voucher: String,
                debitID: Int64?, refundID: Int64? = nil, ourAmount: Money?, state: TreasuryState) {
        self.refundID = refundID
        self.lineNo = lineNo
        self.idNumber = idNumber
        self.period = period
        self.amount = amount
        self.theirs = theirs
        self.bankSerial = bankSerial
        self.voucher = voucher
        self.debitID = debitID
        self.ourAmount = ourAmount
        self.state = state
    }
}

/// A treasury reconciliation to record.
public struct TreasuryRecord: Sendable {
    public var authority: String
    public var bank: String
    public var name: String
    public var digest: String
    public var date: CivilDate
    public var lines: [TreasuryLine]
    /// The file's own lines and total (without the successes it lacks).
    public var lineCount: Int
    public var total: Money

    public init(authority: String, bank: String, name: String, digest: String, date: CivilDate, lines: [TreasuryLine], lineCount: Int, total: Money) {
        self.authority = authority
        self.bank = bank
        self.name = name
        self.digest = digest
        self.date = date
        self.lines = lines
        self.lineCount = lineCount
        self.total = total
    }
}

/// What recording a statement or a treasury file did.
public enum AfterBankPosting: Sendable, Hashable {
    /// Recorded: the count of lines in each state (EntryState or TreasuryState raw values).
    case recorded(states: [String: Int])
    /// The same file (by digest) was recorded before: nothing changed.
    case alreadyRecorded
}

/// One bank's four legs for a period (钱表相符 after the bank), in fen.
public struct AfterBankLegs: Sendable, Hashable {
    public var bank: String
    /// Dues listed: what the period's debit files asked for.
    public var listed: Money
    public var listedCount: Int
    /// Bank results: what the return files say succeeded; and what is still without an answer.
    public var succeeded: Money
    public var succeededCount: Int
    public var pendingCount: Int
    /// Account credits matched to the period's files, less reversals; nil when no statement was recorded for the bank.
    public var credited: Money?
    /// Statement entries in an exception state nobody reviewed: on the period's files, or unmatched within the bank's collection days.
    public var creditExceptions: Int
    /// What the treasury booked of the period's successes (same and different lines at their amount); nil when no file.
    public var booked: Money?
    public var bookedCount: Int
    /// Treasury lines in an exception state for the period's debits (different, ours only, theirs only).
    public var treasuryExceptions: Int

    public init(bank: String, listed: Money, listedCount: Int, succeeded: Money, succeededCount: Int, pendingCount: Int, credited: Money?,
                creditExceptions: Int, booked: Money?, bookedCount: Int, treasuryExceptions: Int) {
        self.bank = bank
        self.listed = listed
        self.listedCount = listedCount
        self.succeeded = succeeded
        self.succeededCount = succeededCount
        self.pendingCount = pendingCount
        self.credited = credited
        self.creditExceptions = creditExceptions
        self.booked = booked
        self.bookedCount = bookedCount
        self.treasuryExceptions = treasuryExceptions
    }
}

/// A statement entry or a treasury line in an exception state, for finance to look at.
public struct AfterBankException: Sendable, Hashable {
    public enum Subject: String, Sendable, Hashable {
        case statementEntry = "statement_entry"
        case treasuryLine = "treasury_line"
    }
    public var subject: Subject
    public var id: Int64
    public var bank: String
    /// The statement's or reconciliation's file name.
    public var source: String
    /// The line in that file (nil: a success of ours the treasury's file lacks).
    public var lineNo: Int?
    /// The entry's or line's day.
    public var date: CivilDate
    /// An ``EntryState`` or a ``TreasuryState`` raw value.
    public var state: String
    public var amount: Money
    /// Ours, where it differs (a treasury line of a different amount).
    public var ourAmount: Money?
    /// The entry's reference, or the treasury line's payer ID (whole: mask before showing).
    public var reference: String
    public var period: String
    /// The debit file the entry settles or the line's debit belongs to.
    public var debitFile: String?
    /// Finance's note, once reviewed.
    public var review: String?

    public init(subject: Subject, id: Int64, bank: String, source: String, lineNo: Int?, date: CivilDate, state: String, amount: Money,
                ourAmount: Money?, reference: String, period: String, debitFile: String?, review: String?) {
        self.subject = subject
        self.id = id
        self.bank = bank
        self.source = source
        self.lineNo = lineNo
        self.date = date
        self.state = state
        self.amount = amount
        self.ourAmount = ourAmount
        self.reference = reference
        self.period = period
        self.debitFile = debitFile
        self.review = review
    }
}

/// One succeeded debit on a payment certificate (缴费凭证).
public struct CertificateEntry: Sendable, Hashable {
    public var debitID: Int64
    public var period: Period
    public var amount: Money
    public var bank: String
    public var collectionDate: CivilDate
    public var debitFile: String
    public var bankSerial: String
    /// The treasury's booking number, once its reconciliation lists the debit as booked.
    public var voucher: String?

    public init(debitID: Int64, period: Period, amount: Money, bank: String, collectionDate: CivilDate, debitFile: String, bankSerial: String, voucher: String?) {
        self.debitID = debitID
        self.period = period
        self.amount = amount
        self.bank = bank
        self.collectionDate = collectionDate
        self.debitFile = debitFile
        self.bankSerial = bankSerial
        self.voucher = voucher
    }
}

/// A payer as a certificate names them: the store's number for them (carried in the verification
/// code), their ID and name.
public struct CertificatePayer: Sendable, Hashable {
    public var id: Int64
    public var idNumber: IDNumber
    public var name: String

    public init(id: Int64, idNumber: IDNumber, name: String) {
        self.id = id
        self.idNumber = idNumber
        self.name = name
    }
}
