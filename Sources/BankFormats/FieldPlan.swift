/// A field reduced to what the per-line loops need, with no reference-counted member.
///
/// Reading or writing a million lines visits every field of every line; copying a ``FieldSpec``
/// there retains and releases its strings each time (a fifth of the profile). The loops copy these
/// instead and go back to the ``FieldSpec`` (by `index`) only for a message or a rare value.
struct FieldPlan {
    /// The field's position in its record's `fields`.
    let index: Int
    let type: FieldSpec.FieldType
    let source: FieldSource?
    /// Byte width (fixed layouts).
    let width: Int
    /// Byte offset in the record (fixed layouts).
    let offset: Int
    let alignment: FieldSpec.Alignment
    let pad: UInt8
    /// An amount written in integer fen (a `fen` field, or a `total` in fen).
    let inFen: Bool
    /// An amount that may carry a leading `-`.
    let signed: Bool

    /// The plans of `record`'s fields, in order.
    static func plans(_ record: RecordSpec) -> [FieldPlan] {
        var offset = 0
        return record.fields.indices.map { index in
            let field = record.fields[index]
            defer { offset += field.width }
            return FieldPlan(index: index, type: field.type, source: field.source, width: field.width, offset: offset,
                             alignment: field.alignment, pad: field.pad,
                             inFen: field.type == .fen || (field.type == .total && field.unit == .fen), signed: field.signed)
        }
    }
}
