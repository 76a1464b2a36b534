import PikouCore
import PropertyBased
import Testing

@Suite struct MoneyTests {
    @Test("yuan text parses to exact fen", arguments: [
        ("0", 0), ("0.00", 0), ("1", 100), ("1.5", 150), ("1.05", 105), ("1234.56", 123456),
        ("-0.05", -5), ("92233720368547758.07", Int64.max), ("-92233720368547758.08", Int64.min),
    ] as [(String, Int64)])
    func parses(_ text: String, _ fen: Int64) throws {
        #expect(try Money(yuan: text).fen == fen)
        #expect(try Money(yuanBytes: Array(text.utf8)[...]).fen == fen, "a file's bytes parse as the text does")
    }

    @Test("bad yuan text is refused with its reason", arguments: [
        ("", Money.ParseError.empty), ("1.234", .tooManyDecimals("1.234")), ("12a", .invalidCharacter("12a")),
        ("1.2.3", .invalidCharacter("1.2.3")), (".", .invalidCharacter(".")), ("1,000.00", .invalidCharacter("1,000.00")),
        ("92233720368547758.08", .overflow("92233720368547758.08")),
        ("-92233720368547758.09", .overflow("-92233720368547758.09")),
        ("18446744073709551616", .overflow("18446744073709551616")),
    ])
    func refuses(_ text: String, _ error: Money.ParseError) {
        #expect(throws: error) { try Money(yuan: text) }
        #expect(throws: error) { try Money(yuanBytes: Array(text.utf8)[...]) }
    }

    @Test func printsTwoDecimals() {
        #expect(Money(fen: 123456).yuanText == "1234.56")
        #expect(Money(fen: 5).yuanText == "0.05")
        #expect(Money(fen: -5).yuanText == "-0.05")
        #expect(Money(fen: 100).yuanText == "1.00")
        #expect(Money(fen: .min).yuanText == "-92233720368547758.08")
    }

    @Test func arithmeticOverflowThrows() throws {
        #expect(throws: Money.OverflowError.self) { try Money(fen: .max).adding(Money(fen: 1)) }
        #expect(throws: Money.OverflowError.self) { try Money(fen: .min).subtracting(Money(fen: 1)) }
        #expect(throws: Money.OverflowError.self) { try Money(fen: .max / 2).multiplied(by: 3) }
        #expect(throws: Money.OverflowError.self) { try [Money(fen: .max), Money(fen: 1)].checkedSum() }
        #expect(try [Money(fen: 1), Money(fen: 2)].checkedSum() == Money(fen: 3))
    }

    @Test func printThenParseIsIdentity() async {
        await propertyCheck(input: Gen.int64(in: -1_000_000_000_000...1_000_000_000_000)) { fen in
            #expect((try? Money(yuan: Money(fen: fen).yuanText)) == Money(fen: fen))
        }
    }
}

@Suite struct PeriodTests {
    @Test func parsesBothForms() throws {
        #expect(try Period("202612") == Period(year: 2026, month: 12))
        #expect(try Period("2026-01").compact == "202601")
        #expect(try Period("202601").description == "2026-01")
    }

    @Test func refusesBadPeriods() {
        #expect(throws: Period.ParseError.monthOutOfRange("202613")) { try Period("202613") }
        #expect(throws: Period.ParseError.monthOutOfRange("2026-00")) { try Period("2026-00") }
        #expect(throws: Period.ParseError.malformed("2026")) { try Period("2026") }
        #expect(throws: Period.ParseError.malformed("2026/12")) { try Period("2026/12") }
        #expect(throws: Period.ParseError.yearOutOfRange("180001")) { try Period("180001") }
    }

    @Test func arithmeticByMonths() throws {
        let december = try Period("202612")
        #expect(december.advanced(by: 1) == (try Period("202701")))
        #expect(december.advanced(by: -12) == (try Period("202512")))
        #expect(december.advanced(by: -11).compact == "202601")
        #expect(try Period("202501").months(to: december) == 23)
        #expect(try Period("202501") < december)
    }
}
