import PikouCore
import PikouCycle
import Testing

/// 钱表相符 as a pure rule: each state, and each way the money can fail to match.
@Suite struct MoneyCheckTests {
    static let period = try! Period(year: 2026, month: 12)

    static func file(_ name: String, state: FileState = .written, submitted: Int64, succeeded: Int64 = 0, failed: Int64 = 0, pending: Int64 = 0) -> FileStatus {
        var totals = FileStatus.Totals()
        totals.submitted = 2
        totals.submittedFen = submitted
        totals.succeeded = succeeded > 0 ? 1 : 0
        totals.succeededFen = succeeded
        totals.failed = failed > 0 ? 1 : 0
        totals.failedFen = failed
        totals.pending = pending > 0 ? 1 : 0
        totals.pendingFen = pending
        return FileStatus(bank: "BOC", fileName: name, period: period, state: state, totals: totals)
    }

    static func answer(_ name: String, for debitFile: String, declared: Int64?, stored: Int64, lines: Int = 2, succeeded: Int64 = 0, failed: Int64 = 0) -> ReturnTotals {
        ReturnTotals(bank: "BOC", name: name, debitFile: debitFile, declaredCount: declared == nil ? nil : lines, declaredFen: declared,
                     storedCount: lines, storedFen: stored, succeededFen: succeeded, failedFen: failed)
    }

    @Test func nothingInThePeriodIsNoData() {
        let check = MoneyCheck.decide(files: [], returns: [], exceptions: [])
        #expect(check.state == .noData)
        #expect(check.state.exitCode == 4)
        #expect(check.lines.first?.hasPrefix("钱表相符：无数据") == true)
    }

    @Test func beforeAnyReturnItIsPendingNotMatch() {
        let check = MoneyCheck.decide(files: [Self.file("a", submitted: 300, pending: 300)], returns: [], exceptions: [])
        #expect(check.state == .pending)
        #expect(check.state.exitCode == 3)
        #expect(check.findings.contains(.notAnswered(debitFile: "BOC/a")))
        #expect(check.findings.contains(.linesPending(count: 1, fen: 300)))
    }

    @Test func aReservedFileNotWrittenIsPending() {
        let check = MoneyCheck.decide(files: [Self.file("a", state: .reserved, submitted: 300, pending: 300)], returns: [], exceptions: [])
        #expect(check.state == .pending)
        #expect(check.findings.contains(.notWritten(debitFile: "BOC/a")))
    }

    @Test func everyLineDecidedAndAnsweredMatches() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 300, succeeded: 100, failed: 200)],
            returns: [Self.answer("r", for: "a", declared: 300, stored: 300, succeeded: 100, failed: 200)], exceptions: [])
        #expect(check.state == .match, "\(check.lines)")
        #expect(check.findings.isEmpty)
        #expect(check.lines.first?.hasPrefix("钱表相符：相符") == true)
    }

    /// A partial return then the rest: the second file repeats the first's lines. The debit file's
    /// answer is its posted results (once each), not the sum of the two trailers.
    @Test func aDebitFileAnsweredTwiceIsCountedOnce() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 300, succeeded: 100, failed: 200)],
            returns: [
                Self.answer("r1", for: "a", declared: 100, stored: 100, lines: 1, succeeded: 100),
                Self.answer("r2", for: "a", declared: 300, stored: 300, lines: 2, failed: 200),  // repeats r1's line, posted once
            ], exceptions: [])
        #expect(check.state == .match, "\(check.lines)")
    }

    @Test func anOpenExceptionIsAMismatchAResolvedOneIsNot() {
        let files = [Self.file("a", submitted: 300, succeeded: 100, pending: 200)]
        let returns = [Self.answer("r", for: "a", declared: 300, stored: 300, succeeded: 100)]
        let open = ExceptionRecord(bank: "BOC", returnFile: "r", line: 3, kind: .amountMismatch, detail: "returned 180690, debited 190690", resolved: false)
        let check = MoneyCheck.decide(files: files, returns: returns, exceptions: [open])
        #expect(check.state == .mismatch)
        #expect(check.state.exitCode == 1)
        #expect(check.findings.contains(.openExceptions(count: 1, byKind: [.amountMismatch: 1])))
        var resolved = open
        resolved.resolved = true
        #expect(MoneyCheck.decide(files: files, returns: returns, exceptions: [resolved]).state == .pending)
    }

    @Test func aTrailerThatDiffersFromItsLinesIsAMismatch() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 300, succeeded: 300)],
            returns: [Self.answer("r", for: "a", declared: 301, stored: 300, succeeded: 300)], exceptions: [])
        #expect(check.state == .mismatch)
        #expect(check.lines(.en).contains { $0.contains("trailer 3.01 yuan, lines stored 3.00 yuan") })
    }

    @Test func aNegativeAmountIsAMismatch() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 300, succeeded: 300)],
            returns: [Self.answer("r", for: "a", declared: 299, stored: 299, succeeded: 300), Self.answer("r2", for: "b", declared: -1, stored: -1)],
            exceptions: [])
        #expect(check.state == .mismatch)
        #expect(check.findings.contains(.negativeAmount(returnFile: "BOC/r2", storedFen: -1)))
    }

    @Test func postedLinesThatDifferFromTheStoreAreAMismatch() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 300, succeeded: 300)],
            returns: [Self.answer("r", for: "a", declared: 300, stored: 300, succeeded: 200, failed: 0)], exceptions: [])
        #expect(check.findings.contains(.postedDiffers(debitFile: "BOC/a", decidedFen: 300, postedFen: 200)))
        #expect(check.state == .mismatch)
    }

    @Test func anUnbalancedFileIsAMismatch() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: 301, succeeded: 300)],
            returns: [Self.answer("r", for: "a", declared: 300, stored: 300, succeeded: 300)], exceptions: [])
        #expect(check.findings.contains(.fileUnbalanced(debitFile: "BOC/a", submittedFen: 301, accountedFen: 300)))
    }

    @Test func sumsPastSixtyFourBitsAreAMismatchNotATrap() {
        let check = MoneyCheck.decide(
            files: [Self.file("a", submitted: .max, succeeded: .max), Self.file("b", submitted: .max, succeeded: .max)],
            returns: [], exceptions: [])
        #expect(check.findings.contains(.overflow))
        #expect(check.state == .mismatch)
    }

    @Test func aCityOfFilesIsCountedNotListed() {
        let files = (1...8).map { Self.file("f\($0)", submitted: 100, pending: 100) }
        let lines = MoneyCheck.decide(files: files, returns: [], exceptions: []).lines(.en)
        #expect(lines.filter { $0.contains("no return file yet") }.count == 5)
        #expect(lines.contains("  ... 3 more notAnswered (`pikou status` lists every file)"), "\(lines)")
        // The same lines in Chinese, the default.
        let chinese = MoneyCheck.decide(files: files, returns: [], exceptions: []).lines(.zh)
        #expect(chinese.first?.hasPrefix("钱表相符：未结清 — 扣款文件 8 个，回盘文件 0 个") == true, "\(chinese)")
        #expect(chinese.filter { $0.hasSuffix("尚无回盘文件") }.count == 5)
    }

    /// The residents' 钱表相符 is the same typed verdict, on the personal part each round file collected.
    @Test func theResidentsYearIsAMoneyCheckVerdictToo() {
        func collected(_ name: String, _ fen: Int64) -> ResidentsReportRow {
            var row = ResidentsReportRow(group: "BOC " + name, insurance: .pension)
            row.debitedFen = fen
            return row
        }
        #expect(MoneyCheck.residents(files: [], collected: []).state == .noData)
        let answered = Self.file("r1", submitted: 50_000, succeeded: 30_000, failed: 20_000)
        let match = MoneyCheck.residents(files: [answered], collected: [collected("r1", 10_000), collected("r1", 20_000)])
        #expect(match.state == .match && match.findings.isEmpty, "\(match.findings)")
        let short = MoneyCheck.residents(files: [answered], collected: [collected("r1", 29_999)])
        #expect(short.state == .mismatch && short.state.exitCode == 1)
        #expect(short.findings == [.collectedDiffers(debitFile: "BOC/r1", succeededFen: 30_000, collectedFen: 29_999)])
        #expect(short.lines(.zh).contains { $0.contains("成功扣款 300.00 元 ≠ 所扣应缴的个人部分 299.99 元") }, "\(short.lines(.zh))")
        let stray = MoneyCheck.residents(files: [answered], collected: [collected("r1", 30_000), collected("other", 100)])
        #expect(stray.findings == [.collectedOutsideRounds(debitFile: "BOC other", fen: 100)] && stray.state == .mismatch)
        var unanswered = Self.file("r2", submitted: 50_000, pending: 50_000)
        unanswered.totals.pending = 2
        let waiting = MoneyCheck.residents(files: [unanswered], collected: [])
        #expect(waiting.state == .pending && waiting.state.exitCode == 3, "\(waiting.findings)")
        let overflowing = MoneyCheck.residents(files: [answered], collected: [collected("r1", .max), collected("r1", 1)])
        #expect(overflowing.findings.contains(.overflow) && overflowing.state == .mismatch, "a sum past 64-bit fen is a finding, never a trap")
    }
}
