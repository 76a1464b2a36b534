public import PikouCore

/// How the records of one file are laid out.
public struct Layout: Sendable, Hashable {
    /// Fixed byte widths, or separated fields.
    public enum Kind: Sendable, Hashable {
        case fixed
        case delimited(Delimiting)
        /// An XML document: header and trailer fields are elements below the document element, each
        /// detail record one repeated element (``XMLShape``).
        case xml(XMLShape)

        /// The XML shape, when the layout is XML.
        public var xmlShape: XMLShape? {
            if case .xml(let shape) = self { return shape }
            return nil
        }
    }

    /// The XML shape, when the layout is XML.
    public var xml: XMLShape? { kind.xmlShape }

    public var kind: Kind
    /// The first line, if the file has one (汇总 / header).
    public var header: RecordSpec?
    /// One line per debit (明细).
    public var detail: RecordSpec
    /// The last line, if the file has one.
    public var trailer: RecordSpec?
    /// The bank's result codes and texts mapped to outcomes (return layouts only).
    public var outcomes: OutcomeTable?
    /// The file's entry codes mapped to what each line says (statements and reconciliations).
    public var entryCodes: [String: EntryKind] = [:]
    /// How a statement's entries name the debit file they settle (`file_reference`, placeholders as
    /// in file names: `DK{collector}{date:yyyyMMdd}{batch:3}`), when the bank gives a reference.
    public var fileReference: String?

    public init(
        kind: Kind, header: RecordSpec? = nil, detail: RecordSpec, trailer: RecordSpec? = nil,
        outcomes: OutcomeTable? = nil
    ) {
        self.kind = kind
        self.header = header
        self.detail = detail
        self.trailer = trailer
        self.outcomes = outcomes
    }
}
