public import PikouCore

/// One field of a record.
public struct FieldSpec: Sendable, Hashable {
    /// How a value is written and read.
    public enum FieldType: String, Sendable, Hashable, CaseIterable {
        /// Text in the file's encoding, cut on a character boundary if too wide.
        case text
        /// ASCII digits, zero-padded on the left by default.
        case digits
        /// An amount in integer fen, zero-padded.
        case fen
        /// An amount in yuan with two decimals (`1234.56`).
        case yuan
        /// A date written with `pattern` (`yyyyMMdd`, `yyyy-MM-dd`, ...).
        case date
        /// A fixed value (`value`), checked on read.
        case constant
        /// Computed: the number of detail records in the file.
        case count
        /// Computed: the total amount of the detail records, in `unit` (fen or yuan).
        case total
        /// Computed: the record's 1-based sequence number in the file.
        case sequence
        /// Reserved bytes, written as pad characters and ignored on read.
        case filler
        /// Text made from file values by `value`, a pattern like a file name's
        /// (`{collector}{date:yyyyMMdd}{batch:3}`); written, not checked on read (a message id).
        case formatted
        /// An ISO 8601 date-time from a date source: the date, `T`, and `value` as the time
        /// (default `00:00:00`); read back as its date.
        case datetime
    }

    /// Where pad characters go.
    public enum Alignment: String, Sendable, Hashable {
        /// Value on the left, padding on the right (text default).
        case left
        /// Value on the right, padding on the left (number default).
        case right
    }

    public var name: String
    public var type: FieldType
    /// The record value the field carries (for text, digits, fen, yuan, date).
    public var source: FieldSource?
    /// Byte width in the file's encoding (fixed layouts only; 0 in delimited ones).
    public var width: Int
    public var alignment: Alignment
    /// The pad byte (ASCII).
    public var pad: UInt8
    /// A pad character that is not ASCII (the full-width space 　 many Chinese bank files pad text
    /// with), as its bytes in the file's encoding; `pad` then fills what is left narrower than it.
    public var widePad: [UInt8]?
    /// The constant's value.
    public var value: String?
    /// The date pattern.
    public var pattern: String?
    /// For `total`: written as fen or yuan.
    public var unit: FieldType
    /// Whether the value is personal data, masked in every diagnostic.
    public var personal: Bool
    /// XML layouts: the element path below the document element (header, trailer) or below the
    /// record element (detail); empty for text layouts.
    public var path: [String]
    /// XML layouts: the attribute of the path's element that carries the value, if not its text.
    public var attribute: String?
    /// XML layouts: an empty value leaves the element out instead of writing it empty.
    public var optional: Bool
    /// Amounts (fen, yuan, total): whether a leading `-` is allowed. Off by default: a debit and its
    /// result are never negative, and a sign where none belongs rejects the line.
    public var signed: Bool
    /// Text too wide for a fixed-width field: cut on a character boundary with a warning (`overflow:
    /// cut`, the default for names and other free text) or refused as an error (`overflow: error`,
    /// the default for identifying values: account, ID number, agreement number).
    public var cutsOverflow: Bool
    /// Amounts (fen, yuan, total): the declared number form (`number:`), or nil for the plain one.
    public var number: NumberFormat?
    /// Delimited layouts: when this field's value is put in double quotes (`quoting:`), or nil for
    /// the layout's own quoting.
    public var quoting: Delimiting.Quoting?
    /// A result code's form (`code_pattern:`, a regular expression the whole code matches): a code not
    /// in this form is a line error; a well-formed code the table does not map is a line for review.
    public var codePattern: String?

    public init(
        name: String, type: FieldType, source: FieldSource? = nil, width: Int = 0, alignment: Alignment? = nil,
        pad: UInt8? = nil, value: String? = nil, pattern: String? = nil, unit: FieldType = .fen,
        personal: Bool? = nil, path: [String] = [], attribute: String? = nil, optional: Bool = false, signed: Bool = false,
        cutsOverflow: Bool? = nil, widePad: [UInt8]? = nil, number: NumberFormat? = nil, quoting: Delimiting.Quoting? = nil,
        codePattern: String? = nil
    ) {
        self.widePad = widePad
        self.number = number
        self.quoting = quoting
        self.codePattern = codePattern
        self.cutsOverflow = cutsOverflow ?? !(source?.isIdentifying ?? false)
        self.name = name
        self.type = type
        self.source = source
        self.width = width
        let numeric = type.isNumeric
        self.alignment = alignment ?? (numeric ? .right : .left)
        self.pad = pad ?? (numeric ? UInt8(ascii: "0") : UInt8(ascii: " "))
        self.value = value
        self.pattern = pattern
        self.unit = unit
        self.personal = personal ?? (source?.isPersonal ?? false)
        self.path = path
        self.attribute = attribute
        self.optional = optional
        self.signed = signed
    }
}

extension FieldSpec.FieldType {
    /// Whether values are numbers (right-aligned and zero-padded by default).
    public var isNumeric: Bool {
        switch self {
        case .digits, .fen, .yuan, .count, .total, .sequence: true
        case .text, .date, .constant, .filler, .formatted, .datetime: false
        }
    }
}
