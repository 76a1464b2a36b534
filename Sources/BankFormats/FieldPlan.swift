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
    /// A multi-byte pad character's bytes (the first `widePadCount` of them; none when 0), inline so
    /// that the plan holds no reference.
    let widePad: (UInt8, UInt8, UInt8, UInt8)
    let widePadCount: Int
    /// An amount written in integer fen (a `fen` field, or a `total` in fen).
    let inFen: Bool
    /// An amount that may carry a leading `-`.
    let signed: Bool
    /// An amount's declared number form (``NumberFormat``), or nil for the plain one.
    let number: NumberFormat?
    /// Delimited layouts: the field's quoting (its own, else the layout's).
    let quoting: Delimiting.Quoting
    /// Delimited and XML layouts: a number written at a fixed width (`width`, padded with `pad`).
    let padded: Bool

    /// The plans of `record`'s fields, in order.
    static func plans(_ record: RecordSpec, layout: Layout.Kind = .fixed) -> [FieldPlan] {
        var offset = 0
        var layoutQuoting = Delimiting.Quoting.none
        if case .delimited(let delimiting) = layout { layoutQuoting = delimiting.quoting }
        let fixed = layout == .fixed
        return record.fields.indices.map { index in
            let field = record.fields[index]
            defer { offset += field.width }
            let wide = field.widePad ?? []
            func byte(_ i: Int) -> UInt8 { i < wide.count ? wide[i] : 0 }
            return FieldPlan(index: index, type: field.type, source: field.source, width: field.width, offset: offset,
                             alignment: field.alignment, pad: field.pad, widePad: (byte(0), byte(1), byte(2), byte(3)),
                             widePadCount: min(wide.count, 4),
                             inFen: field.type == .fen || (field.type == .total && field.unit == .fen), signed: field.signed,
                             number: field.number, quoting: field.quoting ?? layoutQuoting, padded: !fixed && field.width > 0)
        }
    }
}

extension FieldPlan {
    /// Whether the `widePadCount` bytes ending before `end` in `raw` are the wide pad.
    @inline(__always)
    func endsWithWidePad(_ raw: Slice<UnsafeBufferPointer<UInt8>>, before end: Int) -> Bool {
        guard widePadCount > 0, end - raw.startIndex >= widePadCount else { return false }
        return withUnsafeBytes(of: widePad) { pad in
            for k in 0..<widePadCount where raw[end - widePadCount + k] != pad[k] { return false }
            return true
        }
    }

    /// Whether the `widePadCount` bytes from `start` in `raw` are the wide pad.
    @inline(__always)
    func startsWithWidePad(_ raw: Slice<UnsafeBufferPointer<UInt8>>, at start: Int) -> Bool {
        guard widePadCount > 0, raw.endIndex - start >= widePadCount else { return false }
        return withUnsafeBytes(of: widePad) { pad in
            for k in 0..<widePadCount where raw[start + k] != pad[k] { return false }
            return true
        }
    }

    /// Appends `count` bytes of padding: whole wide pad characters, then ASCII pad bytes for what is
    /// left narrower than one (before them when right-aligned, so the characters touch the value).
    @inline(__always)
    func appendPadding(_ count: Int, into out: inout [UInt8], valueFollows: Bool) {
        guard widePadCount > 0 else {
            out.append(contentsOf: repeatElement(pad, count: count))
            return
        }
        let whole = count / widePadCount, rest = count % widePadCount
        if valueFollows { out.append(contentsOf: repeatElement(pad, count: rest)) }
        withUnsafeBytes(of: widePad) { bytes in
            for _ in 0..<whole { out.append(contentsOf: bytes.prefix(widePadCount)) }
        }
        if !valueFollows { out.append(contentsOf: repeatElement(pad, count: rest)) }
    }
}
