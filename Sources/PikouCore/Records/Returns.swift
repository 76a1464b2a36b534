// Return files: parsed lines, what matching decided, what posting did.

/// A debit as return matching sees it.
public struct DebitToMatch: Sendable, Hashable {
    public var id: Int64
    public var sequence: Int
    public var account: String
    public var amount: Money
    /// The result already posted for it (nil while pending).
    public var result: Outcome?
    /// The payer's ID number the debit was sent with.
    public var idNumber: String

    public init(id: Int64, sequence: Int, account: String, amount: Money, result: Outcome?, idNumber: String = "") {
        self.id = id
        self.sequence = sequence
        self.account = account
        self.amount = amount
        self.result = result
        self.idNumber = idNumber
    }
}

/// One parsed line of a return file, as ingest posts it.
public struct ReturnLineInput: Sendable, Hashable {
    public var lineNumber: Int
    public var sequence: Int
    /// Empty when the bank's return layout has no account.
    public var account: String
    public var amount: Money
    public var outcome: Outcome
    public var bankCode: String
    public var bankText: String
    public var bankSerial: String
    /// The payer's ID number as the bank returned it (empty when the layout carries none).
    public var idNumber: String

    public init(lineNumber: Int, sequence: Int, account: String, amount: Money, outcome: Outcome, bankCode: String, bankText: String,
                bankSerial: String, idNumber: String = "") {
        self.idNumber = idNumber
        self.lineNumber = lineNumber
        self.sequence = sequence
        self.account = account
        self.amount = amount
        self.outcome = outcome
        self.bankCode = bankCode
        self.bankText = bankText
        self.bankSerial = bankSerial
    }
}

/// What matching decided for one return line.
public struct LineDecision: Sendable, Hashable {
    /// The debit the line answers (nil when it answers none).
    public var debitID: Int64?
    /// The line's result closes its (pending) debit.
    public var posts: Bool
    /// Raised for people to review.
    public var exception: MatchException?

    public init(debitID: Int64?, posts: Bool, exception: MatchException?) {
        self.debitID = debitID
        self.posts = posts
        self.exception = exception
    }
}

/// An exception raised by matching: its kind and what a person reads.
public struct MatchException: Sendable, Hashable {
    public var kind: ExceptionKind
    /// What the operator reads, in both languages (kept in the store as ``Message/stored``).
    public var detail: Message
    public init(_ kind: ExceptionKind, _ detail: Message) {
        self.kind = kind
        self.detail = detail
    }
}

/// A verified, parsed and matched return file, ready to post: every line with its decision.
public struct ReturnFilePosting: Sendable, Hashable {
    public var bank: String
    public var name: String
    /// SM3 of the file's bytes, hex.
    public var digest: String
    public var debitFileID: Int64
    public var declaredCount: Int?
    public var declaredTotal: Money?
    public var lines: [ReturnLineInput]
    /// One per line, in the same order.
    public var decisions: [LineDecision]
    /// What the decisions add up to (the store fills in the return file's id).
    public var summary: PostingSummary
    public var actor: String

    public init(
        bank: String, name: String, digest: String, debitFileID: Int64, declaredCount: Int?, declaredTotal: Money?,
        lines: [ReturnLineInput], decisions: [LineDecision], summary: PostingSummary, actor: String
    ) {
        precondition(lines.count == decisions.count, "one decision per line")
        self.bank = bank
        self.name = name
        self.digest = digest
        self.debitFileID = debitFileID
        self.declaredCount = declaredCount
        self.declaredTotal = declaredTotal
        self.lines = lines
        self.decisions = decisions
        self.summary = summary
        self.actor = actor
    }
}

/// Why a return line was not simply posted.
public enum ExceptionKind: String, Sendable, Hashable, CaseIterable {
    /// No debit in the file has the line's sequence.
    case unmatched
    /// The amount differs from the debit's.
    case amountMismatch
    /// The account differs from the debit's.
    case accountMismatch
    /// The ID number (where the bank returns one) differs from the debit's.
    case idNumberMismatch
    /// The same debit appears twice in the return file.
    case duplicateLine
    /// The debit already has a different result.
    case conflictingResult
    /// The bank's code is not in its spec's table.
    case unknownCode
    /// The bank answered a debit of a file that was cancelled (止付) before it ran: money may have
    /// been taken although the bureau stopped the file. Never posted.
    case afterCancel
}

/// What posting one return file did.
public struct PostingSummary: Sendable, Hashable {
    public var returnFileID: Int64
    public var posted = 0
    public var succeeded = 0
    public var succeededFen: Int64 = 0
    public var failed = 0
    public var failedFen: Int64 = 0
    public var alreadyPosted = 0
    public var exceptions: [ExceptionKind: Int] = [:]
    public init(returnFileID: Int64 = 0) { self.returnFileID = returnFileID }
}
