import BankFormats
import PikouCore

/// The yuan/fen parsers and Money's arithmetic. No input traps, and:
/// - the bytes parse the same as `Money(yuanBytes:)` and, as text, as `Money(yuan:)`;
/// - a parsed amount prints as yuan text that parses back to the same fen, grouped text too;
/// - the first 16 bytes as two fen amounts: each prints and parses back; adding, subtracting and
///   multiplying either give the exact result or throw, exactly when the result overflows;
/// - the bytes read in every declared number form (grouping, decimal mark, sign style) a spec may
///   give an amount: an accepted value is written back in the same form as the same bytes (or, for
///   a zero, reads back as zero), and every amount written in a form reads back as itself.
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
    numberForms(bytes)

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

/// Every number form a spec may declare, over yuan and fen.
let forms: [NumberFormat] = [UInt8(0), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "'")].flatMap { grouping in
    [UInt8(ascii: "."), UInt8(ascii: ",")].filter { $0 != grouping }.flatMap { decimal in
        NumberFormat.SignStyle.allCases.map { NumberFormat(grouping: grouping, decimal: decimal, sign: $0) }
    }
}

func numberForms(_ bytes: UnsafeBufferPointer<UInt8>) {
    for form in forms {
        for inFen in [false, true] {
            guard case .success(let money) = form.parse(bytes, inFen: inFen, signed: true) else { continue }
            var written: [UInt8] = []
            form.append(money, inFen: inFen, to: &written)
            precondition(written.elementsEqual(bytes) || money.fen == 0,
                         "\(form) read '\(String(decoding: bytes, as: UTF8.self))' as \(money.fen) fen but writes '\(String(decoding: written, as: UTF8.self))'")
            guard case .success(let again) = form.parse(written, inFen: inFen, signed: true), again == money else {
                preconditionFailure("\(form) wrote \(money.fen) fen as '\(String(decoding: written, as: UTF8.self))', which does not read back")
            }
        }
    }
    if bytes.count >= 8 {
        // (Int64.min has no positive counterpart: no file carries it, and reading refuses it as out of range.)
        let fen = max(UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: 0, as: Int64.self), -Int64.max)
        for form in forms {
            for inFen in [false, true] {
                var written: [UInt8] = []
                form.append(Money(fen: fen), inFen: inFen, to: &written)
                guard case .success(let back) = form.parse(written, inFen: inFen, signed: true), back.fen == fen else {
                    preconditionFailure("\(form) wrote \(fen) fen as '\(String(decoding: written, as: UTF8.self))', which does not read back")
                }
            }
        }
    }
}
