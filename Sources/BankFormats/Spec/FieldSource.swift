public import PikouCore

/// The record values a field may carry.
public enum FieldSource: String, Sendable, Hashable, CaseIterable {
    // Detail values.
    case payerIDNumber = "payer_id_number"
    case payerName = "payer_name"
    case account
    case agreementNo = "agreement_no"
    case amount
    case period
    case memo
    case resultCode = "result_code"
    case resultText = "result_text"
    case bankSerial = "bank_serial"
    /// The day an account entry or a treasury line takes effect (statements and reconciliations).
    case valueDate = "value_date"
    /// What an account entry or a treasury line refers to: the debit file it settles (a statement's
    /// entry), the treasury's own booking number (a reconciliation's line).
    case reference
    // File values (header, trailer, or repeated on detail lines).
    case collector
    case collectorAccount = "collector_account"
    case bankCode = "bank_code"
    case batchNo = "batch_no"
    case fileDate = "file_date"
    case collectionDate = "collection_date"
    /// A statement's balance (a yuan or fen field in its header or trailer): read and kept, not
    /// checked against the entries (a statement lists more than Pikou's collections).
    case balance

    /// Whether the value is personal data that diagnostics must mask.
    public var isPersonal: Bool {
        switch self {
        case .payerIDNumber, .payerName, .account: true
        default: false
        }
    }

    /// Whether the value identifies a payer or an agreement: cut to fit, it would name another
    /// account or person, so a value too wide for its field is an error unless the spec opts in.
    public var isIdentifying: Bool {
        switch self {
        case .payerIDNumber, .account, .agreementNo: true
        default: false
        }
    }

    /// Whether the value belongs to the file, not to one debit.
    public var isFileLevel: Bool {
        switch self {
        case .collector, .collectorAccount, .bankCode, .batchNo, .fileDate, .collectionDate, .balance: true
        default: false
        }
    }

    /// Whether a date field may carry it.
    public var isDate: Bool { self == .fileDate || self == .collectionDate || self == .valueDate }
}
