public import PikouCore

/// One record type: an ordered list of fields.
public struct RecordSpec: Sendable, Hashable {
    /// `header`, `detail` or `trailer`.
    public var role: String
    public var fields: ContiguousArray<FieldSpec>

    public init(role: String, fields: ContiguousArray<FieldSpec>) {
        self.role = role
        self.fields = fields
    }

    /// The byte length of a fixed-width record.
    public var fixedLength: Int { fields.reduce(0) { $0 + $1.width } }
}
