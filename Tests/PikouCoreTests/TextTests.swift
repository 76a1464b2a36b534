import PikouCore
import Testing

/// Issue 15, items 5 and 6: one catalogue in two languages; tables that line up with Chinese text.
@Suite struct TextTests {
    @Test func displayWidthCountsWideCharactersTwice() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("张伟") == 4)
        #expect(DisplayWidth.of("余额不足 ok") == 11)
        #expect(DisplayWidth.of("　") == 2, "the full-width space of Chinese bank files")
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1, "a combining accent takes no column")
        #expect("张".padded(to: 4) == "张  ")
        #expect("12".padded(left: 5) == "   12")
        #expect("张伟伟".padded(to: 2) == "张伟伟", "never cut")
    }

    @Test func tablesLineUpByDisplayWidthAndCountWhatTheyLeaveOut() {
        var table = TextTable([.init("姓名"), .init("金额(元)", .right), .init("说明")])
        table.add(["张三丰", "1,234.56", "余额不足"])
        table.add(["Li", "7.00", "ok"])
        table.add(["王五", "10.00", ""])
        table.addFooter(["合计", "1,251.56", ""])
        let all = table.lines()
        #expect(all.count == 5)
        // The amount column ends at the same display column on every line.
        let ends = all.map { line -> Int in
            let prefix = line.components(upTo: ".") 
            return DisplayWidth.of(prefix)
        }
        #expect(Set(ends.dropFirst()).count == 1, "\(all)")
        #expect(all.allSatisfy { $0.last != " " }, "no trailing spaces")
        let limited = table.lines(limit: 1, language: .zh)
        #expect(limited.count == 4)  // header, one row, footer, the count
        #expect(limited.last?.contains("另有 2 行未显示") == true, "\(limited)")
        #expect(table.lines(limit: 1, language: .en).last?.contains("2 more rows not shown") == true)
    }

    @Test func moneyForPeopleIsGroupedByThousands() {
        #expect(Money(fen: 0).groupedYuanText == "0.00")
        #expect(Money(fen: 99_999).groupedYuanText == "999.99")
        #expect(Money(fen: 100_000).groupedYuanText == "1,000.00")
        #expect(Money(fen: 3_192_676_818).groupedYuanText == "31,926,768.18")
        #expect(Money(fen: -123_456_789).groupedYuanText == "-1,234,567.89")
        #expect(Money(fen: .min).groupedYuanText == "-92,233,720,368,547,758.08")
    }

    @Test func percentagesAreIntegerAndNeverTrap() {
        // One decimal, rounded half up: the one rule of every rate (95.59 % is 95.6 %, not 95.5 %).
        #expect(Percentage.text(3, of: 4) == "75.0")
        #expect(Percentage.text(1, of: 3) == "33.3" && Percentage.text(2, of: 3) == "66.7")
        #expect(Percentage.text(9559, of: 10_000) == "95.6" && Percentage.text(95_549, of: 100_000) == "95.5" && Percentage.text(9555, of: 10_000) == "95.6")
        #expect(Percentage.text(5, of: 0) == nil && Percentage.text(-1, of: 3) == nil)
        #expect(Percentage.text(.max, of: .max) == "100.0", "divided first near 64 bits")
    }

    @Test func theLanguageComesFromTheOptionThenTheEnvironment() throws {
        func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws -> (Language, [String]) {
            try Language.parse(arguments: arguments, environment: environment)
        }
        #expect(try parse(["status", "--lang", "en", "--workspace", "w"]) == (.en, ["status", "--workspace", "w"]))
        #expect(try parse(["status", "--lang=zh"], ["PIKOU_LANG": "en"]) == (.zh, ["status"]))
        #expect(try parse(["status"], ["PIKOU_LANG": "en_US.UTF-8"]).0 == .en)
        #expect(try parse(["status"], ["PIKOU_LANG": ""]).0 == .zh, "Chinese by default")
        #expect(try parse(["status"]).0 == .zh, "Chinese by default")
        #expect(try parse(["file", "read", "--", "--lang"]) == (.zh, ["file", "read", "--", "--lang"]))
        #expect(throws: Language.LanguageError.self) { try parse(["--lang", "fr"]) }
        #expect(throws: Language.LanguageError.self) { try parse(["--lang"]) }
        #expect(throws: Language.LanguageError.self) { try parse([], ["PIKOU_LANG": "de"]) }
    }

    @Test func outcomesAreTypedAsCodesOrAsOperatorsSayThem() {
        #expect(Outcome(codeOrLabel: "insufficientFunds") == .insufficientFunds)
        #expect(Outcome(codeOrLabel: "余额不足") == .insufficientFunds)
        #expect(Outcome(codeOrLabel: "止付") == .accountFrozen)
        #expect(Outcome(codeOrLabel: "账户冻结/止付") == .accountFrozen)
        #expect(Outcome(codeOrLabel: "余额") == nil && Outcome(codeOrLabel: "") == nil)
        #expect(Catalogue.outcome(.accountClosed).text(.zh) == "账户已销户")
        #expect(Catalogue.outcome(.accountClosed).text(.en) == "accountClosed")
    }
}

private extension String {
    /// The text before the first `separator`.
    func components(upTo separator: Character) -> Substring {
        self[..<(firstIndex(of: separator) ?? endIndex)]
    }
}

/// Values quoted in logs.
@Suite struct LoggedValueTests {
    /// A value from outside quoted in a log line cannot forge a line of its own (issue 37).
    @Test func aLoggedValueKeepsToItsLine() {
        #expect(Masking.logged("admin\n2026-12-06 info console login: auditor1") == "admin\\u{a}2026-12-06 info console login: auditor1")
        #expect(Masking.logged("a\r\u{1B}[2J\u{2028}\u{202E}b") == "a\\u{d}\\u{1b}[2J\\u{2028}\\u{202e}b")
        #expect(Masking.logged("王小测") == "王小测")
        let long = Masking.logged(String(repeating: "x", count: 500))
        #expect(long.count == 81 && long.hasSuffix("…"))
    }

    /// Issue 31: a table fits the screen, leaving out columns by rank, then cutting free text, and says so.
    @Test func aTableFitsTheScreenByRankThenByCuttingAndSaysWhatItLeftOut() {
        var table = TextTable([.init("编号", .right), .init("说明", shrinks: true), .init("时间", drop: 1), .init("处理人", drop: 2), .init("金额", .right)])
        table.add(["1", String(repeating: "很长的说明", count: 10), "2026-12-07T10:00:00Z", "张经办", "1,310.02"])
        let wide = table.lines(language: .zh)
        #expect(wide.count == 2 && DisplayWidth.of(wide[1]) > 100)
        let fitted = table.lines(width: 40, language: .zh)
        #expect(fitted.dropLast().allSatisfy { DisplayWidth.of($0) <= 40 }, "\(fitted)")
        #expect(fitted[0].contains("编号") && fitted[0].contains("说明") && fitted[0].contains("金额") && !fitted[0].contains("时间") && !fitted[0].contains("处理人"))
        #expect(fitted[1].contains("…") && fitted[1].hasSuffix("1,310.02"))
        #expect(fitted.last == "（为适应屏幕宽度未显示：时间、处理人；--wide 显示全部列）")
        // Only as much is left out as needed: at 60 columns the clerk stays; at 100 every column does,
        // the free text cut instead.
        let roomier = table.lines(width: 60, language: .zh)
        #expect(roomier[0].contains("处理人") && !roomier[0].contains("时间") && roomier.dropLast().allSatisfy { DisplayWidth.of($0) <= 60 }, "\(roomier)")
        let widest = table.lines(width: 100, language: .zh)
        #expect(widest.count == 2 && widest[0].contains("时间") && widest[1].contains("…") && DisplayWidth.of(widest[1]) <= 100, "\(widest)")
    }
}
