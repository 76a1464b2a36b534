public import PikouCore

/// One line of a bank file: a debit request, and in a return file also the bank's result.
///
/// Values are kept as the file carries them (text, not validated newtypes): the format engine
/// moves bytes; validation of IDs and accounts happens before a line is composed.
public struct DebitLine: Sendable, Hashable {
    /// The line's 1-based sequence number in its debit file; a return line echoes it.
    public var sequence: Int
    public var payerIDNumber: String
    public var payerName: String
    public var account: String
    /// The three-party agreement number (三方协议号).
    public var agreementNo: String
    public var amount: Money
    /// The contribution period(s) covered, `YYYYMM`.
    public var period: String
    /// A memo, e.g. a resubmission mark.
    public var memo: String
    /// The bank's own result code (return files).
    public var resultCode: String
    /// The bank's own result text (return files).
    public var resultText: String
    /// The bank's serial number for the transaction (return files).
    public var bankSerial: String
    /// What the line refers to (statements: the debit file an entry settles; reconciliations: the
    /// treasury's booking number).
    public var reference: String = ""
    /// The day the line takes effect (statements and reconciliations), when the file gives one.
    public var valueDate: CivilDate?

    public init(
        sequence: Int, payerIDNumber: String, payerName: String, account: String, agreementNo: String,
        amount: Money, period: String, memo: String = "", resultCode: String = "", resultText: String = "",
        bankSerial: String = ""
    ) {
        self.sequence = sequence
        self.payerIDNumber = payerIDNumber
        self.payerName = payerName
        self.account = account
        self.agreementNo = agreementNo
        self.amount = amount
        self.period = period
        self.memo = memo
        self.resultCode = resultCode
        self.resultText = resultText
        self.bankSerial = bankSerial
    }

    /// The text value for a detail source (amounts excluded).
    func text(for source: FieldSource) -> String {
        switch source {
        case .payerIDNumber: payerIDNumber
        case .payerName: payerName
        case .account: account
        case .agreementNo: agreementNo
        case .period: period
        case .memo: memo
        case .resultCode: resultCode
        case .resultText: resultText
        case .bankSerial: bankSerial
        case .reference: reference
        case .amount: amount.yuanText
        case .valueDate, .collector, .collectorAccount, .bankCode, .batchNo, .fileDate, .collectionDate, .balance: ""
        }
    }

    mutating func setText(_ value: String, for source: FieldSource) {
        switch source {
        case .payerIDNumber: payerIDNumber = value
        case .payerName: payerName = value
        case .account: account = value
        case .agreementNo: agreementNo = value
        case .period: period = value
        case .memo: memo = value
        case .resultCode: resultCode = value
        case .resultText: resultText = value
        case .bankSerial: bankSerial = value
        case .reference: reference = value
        case .valueDate, .amount, .collector, .collectorAccount, .bankCode, .batchNo, .fileDate, .collectionDate, .balance: break
        }
    }
}

/// The values a file carries once: in its header or trailer, or repeated on each line.
public struct FileContext: Sendable, Hashable {
    /// The collecting authority's code at the bank (委托单位代码).
    public var collector: String
    /// The collector's own account that receives the money.
    public var collectorAccount: String
    /// The bank's code.
    public var bankCode: String
    /// The batch number within the day.
    public var batchNo: Int
    /// The day the file was made.
    public var fileDate: CivilDate
    /// The day the bank is asked to debit.
    public var collectionDate: CivilDate
    /// A statement's balance, when one is written.
    public var balance: Money?

    public init(
        collector: String, collectorAccount: String = "", bankCode: String, batchNo: Int, fileDate: CivilDate,
        collectionDate: CivilDate
    ) {
        self.collector = collector
        self.collectorAccount = collectorAccount
        self.bankCode = bankCode
        self.batchNo = batchNo
        self.fileDate = fileDate
        self.collectionDate = collectionDate
    }

    func text(for source: FieldSource) -> String? {
        switch source {
        case .collector: collector
        case .collectorAccount: collectorAccount
        case .bankCode: bankCode
        case .batchNo: String(batchNo)
        default: nil
        }
    }

    func date(for source: FieldSource) -> CivilDate? {
        switch source {
        case .fileDate: fileDate
        case .collectionDate: collectionDate
        default: nil
        }
    }
}
