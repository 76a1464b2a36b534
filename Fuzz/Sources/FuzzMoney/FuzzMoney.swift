import PikouCore

/// The yuan/fen parsers and Money's arithmetic. No input traps, and:
/// - the bytes parse the same as `Money(yuanBytes:)` and, as text, as `Money(yuan:)`;
/// - a parsed amount prints as yuan text that parses back to the same fen, grouped text too;
/// - the first 16 bytes as two fen amounts: each prints and parses back; adding, subtracting and
///   multiplying either give the exact result or throw, exactly when the result overflows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let fromBytes = try? Money(yuanBytes: bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    let fromText = try? Money(yuan: text)
    if String(validating: bytes, as: UTF8.self) != nil {
        precondition(fromBytes == fromText, "'\(text)': yuanBytes \(String(describing: fromBytes)), yuan \(String(describing: fromText))")
    } else {
        precondition(fromBytes == nil, "invalid UTF-8 parsed as \(String(describing: fromBytes))")
    }
    if let amount = fromBytes { roundTrip(amount) }

    if size >= 16 {
        let raw = UnsafeRawBufferPointer(bytes)
        let a = Money(fen: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        let b = Money(fen: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self))
        roundTrip(a)
        roundTrip(b)
        let (sum, o1) = a.fen.addingReportingOverflow(b.fen)
        precondition((try? a.adding(b)) == (o1 ? nil : Money(fen: sum)), "\(a) + \(b)")
        let (difference, o2) = a.fen.subtractingReportingOverflow(b.fen)
        precondition((try? a.subtracting(b)) == (o2 ? nil : Money(fen: difference)), "\(a) - \(b)")
        let (product, o3) = a.fen.multipliedReportingOverflow(by: b.fen)
        precondition((try? a.multiplied(by: b.fen)) == (o3 ? nil : Money(fen: product)), "\(a) × \(b.fen)")
        let (pair, o4) = a.fen.addingReportingOverflow(b.fen)
        precondition((try? [a, b].checkedSum()) == (o4 ? nil : Money(fen: pair)), "sum of \(a), \(b)")
    }
    return 0
}

/// `amount` printed as yuan (plain and grouped) parses back to the same fen.
func roundTrip(_ amount: Money) {
    let plain = amount.yuanText
    let back = try? Money(yuan: plain)
    precondition(back == amount, "\(amount.fen) fen printed as '\(plain)' parsed back as \(String(describing: back))")
    let grouped = amount.groupedYuanText
    let ungrouped = try? Money(yuan: grouped.filter { $0 != "," })
    precondition(ungrouped == amount, "\(amount.fen) fen grouped as '\(grouped)' parsed back as \(String(describing: ungrouped))")
}
