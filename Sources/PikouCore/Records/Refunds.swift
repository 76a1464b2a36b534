/// A due the bank debited that was also paid through another channel (the 退费 list), with what is
/// already being paid back of it: what ``RefundRules`` plans an instruction from.
public struct RefundCandidate: Sendable, Hashable {
    public var dueID: Int64
    public var payerID: Int64
    /// The debit that collected it: the refund goes back to its account, through its bank.
    public var debitID: Int64
    public var bank: String
    public var idNumber: String
    public var name: String
    public var account: String
    public var agreementNo: String
    public var period: Period
    public var insurance: String
    /// What the debits collected for the due (its amount, once per successful debit of it).
    public var collected: Money
    /// What refunds paid back of it (the bank said so).
    public var refunded: Money
    /// What refunds instructed and not yet answered hold of it.
    public var pending: Money

    public init(dueID: Int64, payerID: Int64, debitID: Int64, bank: String, idNumber: String, name: String, account: String,
                agreementNo: String, period: Period, insurance: String, collected: Money, refunded: Money = .zero, pending: Money = .zero) {
        self.dueID = dueID
        self.payerID = payerID
        self.debitID = debitID
        self.bank = bank
        self.idNumber = idNumber
        self.name = name
        self.account = account
        self.agreementNo = agreementNo
        self.period = period
        self.insurance = insurance
        self.collected = collected
        self.refunded = refunded
        self.pending = pending
    }
}

/// One line of a refund instruction file: a due's money paid back to the account it came from.
public struct RefundInstruction: Sendable, Hashable {
    /// Its number in the file (1, 2, 3, ...): what the bank's result line echoes.
    public var sequence: Int
    public var dueID: Int64
    public var payerID: Int64
    public var debitID: Int64
    public var idNumber: String
    public var name: String
    public var account: String
    public var agreementNo: String
    public var period: Period
    public var insurance: String
    public var amount: Money

    public init(sequence: Int, dueID: Int64, payerID: Int64, debitID: Int64, idNumber: String, name: String, account: String,
                agreementNo: String, period: Period, insurance: String, amount: Money) {
        self.sequence = sequence
        self.dueID = dueID
        self.payerID = payerID
        self.debitID = debitID
        self.idNumber = idNumber
        self.name = name
        self.account = account
        self.agreementNo = agreementNo
        self.period = period
        self.insurance = insurance
        self.amount = amount
    }
}

/// A refund instruction file as written and signed, to record with its lines.
public struct RefundFileRecord: Sendable {
    public var bank: String
    public var name: String
    public var digest: String
    public var period: Period
    public var fileDate: CivilDate
    public var batchNo: Int
    public var lines: [RefundInstruction]
    public var total: Money

    public init(bank: String, name: String, digest: String, period: Period, fileDate: CivilDate, batchNo: Int, lines: [RefundInstruction], total: Money) {
        self.bank = bank
        self.name = name
        self.digest = digest
        self.period = period
        self.fileDate = fileDate
        self.batchNo = batchNo
        self.lines = lines
        self.total = total
    }
}

/// A refund instruction file the ledger holds: what a result file answers.
public struct RefundFile: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var name: String
    public var fileDate: CivilDate
    public var batchNo: Int
    public var lines: [RefundInstruction]
    /// The refund id of each line, by sequence.
    public var refundIDs: [Int: Int64]
    /// The sequences already answered (by an earlier result file).
    public var answered: Set<Int>
    /// The digests of the result files recorded for it: the same file again changes nothing.
    public var resultDigests: Set<String>

    public init(id: Int64, bank: String, name: String, fileDate: CivilDate, batchNo: Int, lines: [RefundInstruction], refundIDs: [Int: Int64], answered: Set<Int>,
                resultDigests: Set<String> = []) {
        self.resultDigests = resultDigests
        self.id = id
        self.bank = bank
        self.name = name
        self.fileDate = fileDate
        self.batchNo = batchNo
        self.lines = lines
        self.refundIDs = refundIDs
        self.answered = answered
    }
}

/// The bank's answer to one refund: paid, or failed with the bank's reason.
public struct RefundResult: Sendable, Hashable {
    public var refundID: Int64
    /// An ``Outcome`` raw value: `succeeded` is paid.
    public var outcome: String
    public var bankSerial: String

    public init(refundID: Int64, outcome: String, bankSerial: String) {
        self.refundID = refundID
        self.outcome = outcome
        self.bankSerial = bankSerial
    }
}

/// A refund result file to record.
public struct RefundResultRecord: Sendable {
    public var bank: String
    public var name: String
    public var digest: String
    public var instructionFileID: Int64
    public var results: [RefundResult]

    public init(bank: String, name: String, digest: String, instructionFileID: Int64, results: [RefundResult]) {
        self.bank = bank
        self.name = name
        self.digest = digest
        self.instructionFileID = instructionFileID
        self.results = results
    }
}

/// Where a refund stands.
public enum RefundState: String, Sendable, Hashable, CaseIterable {
    /// Instructed; the bank has not answered.
    case pending
    /// The bank paid it back.
    case paid
    /// The bank could not pay it (the account closed, say): it may be instructed again.
    case failed
}

/// A refund as finance follows it: the instruction, the bank's answer and the treasury's 退库.
public struct RefundLine: Sendable, Hashable {
    public var id: Int64
    public var bank: String
    public var fileName: String
    /// The refund file's date: the day the bank pays it, whose treasury file lists its 退库.
    public var fileDate: CivilDate
    public var idNumber: String
    public var name: String
    public var period: Period
    public var insurance: String
    public var amount: Money
    public var state: RefundState
    /// The bank's outcome when it failed (an ``Outcome`` raw value).
    public var outcome: String
    /// Whether the treasury's reconciliation lists it as refunded (退库) with the same amount.
    public var treasuryConfirmed: Bool

    public init(id: Int64, bank: String, fileName: String, fileDate: CivilDate, idNumber: String, name: String, period: Period, insurance: String,
                amount: Money, state: RefundState, outcome: String, treasuryConfirmed: Bool) {
        self.id = id
        self.bank = bank
        self.fileName = fileName
        self.fileDate = fileDate
        self.idNumber = idNumber
        self.name = name
        self.period = period
        self.insurance = insurance
        self.amount = amount
        self.state = state
        self.outcome = outcome
        self.treasuryConfirmed = treasuryConfirmed
    }
}

/// A refund the bank paid, as the treasury's file of its day may list it (退库).
public struct TreasuryRefund: Sendable, Hashable {
    public var refundID: Int64
    public var idNumber: String
    /// As debit files carry it (`YYYYMM`).
    public var period: String
    public var amount: Money
    public var bankSerial: String

    public init(refundID: Int64, idNumber: String, period: String, amount: Money, bankSerial: String) {
        self.refundID = refundID
        self.idNumber = idNumber
        self.period = period
        self.amount = amount
        self.bankSerial = bankSerial
    }
}
