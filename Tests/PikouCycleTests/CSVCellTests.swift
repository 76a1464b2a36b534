import PikouCycle
import Testing

/// CSV cells that survive Excel: long numbers stay text, formulas never run.
@Suite struct CSVCellTests {
    @Test(arguments: [
        ("420106199001011234", "\t420106199001011234"),  // an ID: text, not 4.20106E+17
        ("11010519491231002X", "\t11010519491231002X"),
        ("6225768888888888", "\t6225768888888888"),  // an account
        ("1234567890", "1234567890"),  // short numbers stay numbers
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),  // quoted after neutralising
        ("+86 138", "'+86 138"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.50", "-12.50"),  // a plain negative number is not a formula
        ("武昌区,中华路街", "\"武昌区,中华路街\""),
        ("粮道社区1", "粮道社区1"),
    ])
    func cell(_ value: String, _ expected: String) {
        #expect(CSVCell.text(value) == expected)
    }
}
