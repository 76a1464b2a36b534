import BankFormats
import Foundation
import PikouCore
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// The retry policy, outcome by outcome, attempts by attempts, day by day.
@Suite struct RetryPolicyTests {
    static let attempt = CivilDate(year: 2026, month: 12, day: 15)!

    func failure(_ outcome: Outcome, attempts: Int, corrected: Bool = false, paidElsewhere: Bool = false, active: Bool = true) -> FailureRecord {
        FailureRecord(
            debitID: 1, period: try! Period("202612"), bank: "BOC", fileName: "f", attemptDate: Self.attempt, payerID: 1,  // literal
            idNumber: IDNumber(stored: "34052419800101001X"), name: "测", phone: "", district: "", street: "", community: "", account: BankAccount(stored: "6225768888888888"),
            amount: Money(fen: 100), outcome: outcome, bankCode: "", bankText: "", attempts: attempts, agreementVersionAtDebit: 1,
            agreement: AgreementSnapshot(id: 1, bank: "BOC", account: BankAccount(stored: "6225768888888888"), accountName: "测", agreementNo: "A", active: active,
                                         version: corrected ? 2 : 1),
            suspended: false, dues: [FailedDue(dueID: 1, period: try! Period("202612"), amount: Money(fen: 100), paidElsewhere: paidElsewhere)])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let outcome: Outcome
        let attempts: Int
        let days: Int
        let corrected: Bool
        let operatorChose: Bool
        let expected: RetryPolicy.NextStep
        var testDescription: String { "\(outcome) after \(attempts) attempt(s), \(days) day(s)\(corrected ? ", corrected" : "")\(operatorChose ? ", operator chose" : "")" }
    }

    static let day3 = attempt.adding(days: 3)
    static let cases: [Case] = [
        Case(outcome: .insufficientFunds, attempts: 1, days: 3, corrected: false, operatorChose: false, expected: .retryableNow),
        Case(outcome: .insufficientFunds, attempts: 1, days: 2, corrected: false, operatorChose: false, expected: .retryFrom(day3)),
        Case(outcome: .insufficientFunds, attempts: 2, days: 10, corrected: false, operatorChose: false, expected: .retryableNow),
        Case(outcome: .insufficientFunds, attempts: 3, days: 10, corrected: false, operatorChose: false, expected: .attemptsExhausted),
        Case(outcome: .bankSystemError, attempts: 1, days: 3, corrected: false, operatorChose: false, expected: .retryableNow),
        Case(outcome: .accountFrozen, attempts: 1, days: 30, corrected: false, operatorChose: false, expected: .nextCycle),
        Case(outcome: .exceedsLimit, attempts: 1, days: 30, corrected: false, operatorChose: false, expected: .operatorDecides),
        Case(outcome: .exceedsLimit, attempts: 1, days: 30, corrected: false, operatorChose: true, expected: .retryableNow),
        Case(outcome: .exceedsLimit, attempts: 3, days: 30, corrected: false, operatorChose: true, expected: .attemptsExhausted),
        Case(outcome: .unknown, attempts: 1, days: 30, corrected: false, operatorChose: false, expected: .operatorReview),
        Case(outcome: .unknown, attempts: 1, days: 1, corrected: false, operatorChose: true, expected: .retryFrom(day3)),
        Case(outcome: .accountClosed, attempts: 1, days: 30, corrected: false, operatorChose: false, expected: .needsAgreementCorrection),
        Case(outcome: .accountClosed, attempts: 1, days: 30, corrected: true, operatorChose: false, expected: .retryableNow),
        Case(outcome: .nameMismatch, attempts: 1, days: 0, corrected: true, operatorChose: false, expected: .retryFrom(day3)),
        Case(outcome: .idMismatch, attempts: 1, days: 30, corrected: false, operatorChose: true, expected: .needsAgreementCorrection),
        Case(outcome: .agreementMissing, attempts: 3, days: 30, corrected: true, operatorChose: false, expected: .attemptsExhausted),
        Case(outcome: .accountNotFound, attempts: 1, days: 30, corrected: false, operatorChose: false, expected: .needsAgreementCorrection),
    ]

    @Test("next step", arguments: cases)
    func nextStep(_ c: Case) {
        let policy = RetryPolicy()
        let step = policy.next(for: failure(c.outcome, attempts: c.attempts, corrected: c.corrected), today: Self.attempt.adding(days: c.days),
                               operatorChose: c.operatorChose)
        #expect(step == c.expected)
    }

    @Test func paidElsewhereAndRevokedAreNeverRetried() {
        let policy = RetryPolicy()
        let later = Self.attempt.adding(days: 30)
        #expect(policy.next(for: failure(.insufficientFunds, attempts: 1, paidElsewhere: true), today: later) == .paidElsewhere)
        #expect(policy.next(for: failure(.insufficientFunds, attempts: 1, active: false), today: later) == .agreementInactive)
    }

    @Test func configuredPolicyIsRead() async throws {
        let path = try temporaryDirectory() + "/pikou.yaml"
        try "collector: \"1\"\nretry:\n  max_attempts: 5\n  min_days_between: 1\n  retry_outcomes: [insufficientFunds, accountFrozen]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let policy = try RetryPolicy.load(configPath: path)
        #expect(policy.maxAttempts == 5)
        #expect(policy.minDaysBetween == 1)
        #expect(policy.retryOutcomes == [.insufficientFunds, .accountFrozen])
        try "retry:\n  max_attempt: 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Workspace.ConfigError.self) { try RetryPolicy.load(configPath: path) }
    }

    @Test func dayArithmetic() {
        let date = CivilDate(year: 2026, month: 12, day: 30)!
        #expect(date.adding(days: 3) == CivilDate(year: 2027, month: 1, day: 2)!)
        #expect(CivilDate(year: 2024, month: 2, day: 28)!.adding(days: 1) == CivilDate(year: 2024, month: 2, day: 29)!)
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(CivilDate(year: 2026, month: 11, day: 23)!.days(to: CivilDate(year: 2026, month: 12, day: 25)!) == 32)
    }
}

/// Resubmission, report and lists over a cycle with failures.
@Suite struct OperationsTests {
    /// A workspace after one cycle where about half the lines failed.
    func afterFailures(payers: Int = 40) async throws -> TestWorkspace {
        let ws = try await TestWorkspace()
        var options = SyntheticRoster.Options(payers: payers)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 9, banks: ws.specs.keys.sorted()), actor: "t", source: "r.csv")
        try await ws.runCycle()
        try await ws.simulateAndIngest(seed: 21, failRate: 0.6)
        return ws
    }

    func resubmission(_ ws: TestWorkspace) -> Resubmission {
        Resubmission(workspace: ws.workspace, store: ws.store, specs: ws.specs, calendar: ws.calendar, policy: RetryPolicy())
    }

    @Test func resubmitsOnlyWhatThePolicyAllowsAndMarksTheLines() async throws {
        let ws = try await afterFailures()
        let today = CivilDate(year: 2026, month: 12, day: 21)!
        let failures = try await ws.store.failures(FailureFilter())
        let allowed = failures.filter { RetryPolicy().next(for: $0, today: today) == .retryableNow }
        #expect(!allowed.isEmpty)
        let report = try await resubmission(ws).run(filter: FailureFilter(), actor: "张经办", dryRun: false, today: today)
        #expect(report.lines == allowed.count)
        #expect(report.total.fen == allowed.reduce(0) { $0 + $1.amount.fen })
        // The BOC resubmission file marks its lines in the memo field.
        if let file = report.written.first(where: { $0.contains("/BOC/") }) {
            let parsed = FileReader(spec: ws.specs["BOC"]!, kind: .debit).read([UInt8](FileManager.default.contents(atPath: file)!), fileName: file)
            #expect(parsed.lines.allSatisfy { $0.line.memo == Resubmission.memo })
        }
        // Again right away: everything retried is pending now.
        #expect(try await resubmission(ws).run(filter: FailureFilter(), actor: "t", dryRun: false, today: today).lines == 0)
        #expect(try await ws.check.violations() == [])
    }

    @Test func aCorrectedAgreementMakesATerminalFailureEligible() async throws {
        let ws = try await afterFailures()
        let today = CivilDate(year: 2026, month: 12, day: 21)!
        let terminal = try #require(try await ws.store.failures(FailureFilter()).first { $0.outcome.isTerminal })
        #expect(RetryPolicy().next(for: terminal, today: today) == .needsAgreementCorrection)
        _ = try await ws.useCases.changeAgreement(AgreementChange(idNumber: terminal.idNumber, account: BankAccount(stored: "6225768888888888")), actor: "张经办")
        let corrected = try #require(try await ws.store.failures(FailureFilter(idNumber: terminal.idNumber)).first)
        #expect(RetryPolicy().next(for: corrected, today: today) == .retryableNow)
        let report = try await resubmission(ws).run(filter: FailureFilter(idNumber: terminal.idNumber), actor: "张经办", dryRun: false, today: today)
        #expect(report.lines == 1)
        let file = try #require(report.written.first)
        let bank = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let payload = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: file)!), spec: ws.specs[bank]!)
        let parsed = FileReader(spec: ws.specs[bank]!, kind: .debit).read(payload, fileName: file)
        #expect(parsed.lines.first?.line.account == "6225768888888888", "the corrected account is debited")
    }

    @Test func reportTotalsEqualTheStoreAndTheFilesAndMatch() async throws {
        let ws = try await afterFailures()
        let report = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: .bank)
        let status = try await ws.store.status(period: TestWorkspace.december).map(\.totals)
        #expect(report.total.lines == status.reduce(0) { $0 + $1.submitted })
        #expect(report.total.linesFen == status.reduce(0) { $0 + $1.submittedFen })
        #expect(report.total.succeededFen == status.reduce(0) { $0 + $1.succeededFen })
        // The files' own totals.
        var filesFen: Int64 = 0
        for path in ws.outboxFiles() {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let payload = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: path)!), spec: ws.specs[bank]!)
            filesFen += FileReader(spec: ws.specs[bank]!, kind: .debit).read(payload, fileName: path).total.fen
        }
        #expect(report.total.linesFen == filesFen)
        #expect(report.matches, "\(report.matchLines)")
        #expect(report.matchLines.first?.hasPrefix("钱表相符: 相符 MATCH") == true)
        for grouping in ReportGrouping.allCases {
            let grouped = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: grouping)
            #expect(grouped.total.linesFen == report.total.linesFen, "\(grouping) groups add up to the same total")
            #expect(grouped.total.lines == report.total.lines)
        }
    }

    @Test func csvRoundTripsThroughACSVReader() async throws {
        let ws = try await afterFailures(payers: 12)
        let report = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: .district)
        let bytes = report.csv(encoding: .utf8BOM)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let table = try CSVTable(text: String(decoding: bytes, as: UTF8.self), fileName: "r.csv")
        #expect(table.columns == ReconciliationReport.columns)
        let expected = (report.rows + [report.total]).map(ReconciliationReport.cells)
        #expect(Array(table.rows.prefix(expected.count).map(\.values)) == expected)
        let gbk = report.csv(encoding: .gbk)
        #expect(FileEncoding.gbk.decode(gbk)?.contains("钱表相符") == true)
    }

    @Test func xlsxIsAValidWorkbookWithTheRightSums() async throws {
        let ws = try await afterFailures(payers: 20)
        let report = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: .bank)
        let path = try temporaryDirectory() + "/report.xlsx"
        try report.xlsx(path: path, outcomes: try await ws.store.report(period: TestWorkspace.december, by: .outcome))
        // An independent reader: Python's zipfile and XML parser, summing the yuan column as decimals.
        let script = """
            import sys, zipfile, xml.etree.ElementTree as ET
            from decimal import Decimal
            ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            names = set(z.namelist())
            assert 'xl/workbook.xml' in names and 'xl/charts/chart1.xml' in names, names
            book = ET.fromstring(z.read('xl/workbook.xml'))
            print('sheets', ','.join(s.get('name') for s in book.find('m:sheets', ns)))
            sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
            pane = sheet.find('.//m:pane', ns)
            print('frozen', pane.get('state'), pane.get('topLeftCell'))
            rows = sheet.findall('.//m:sheetData/m:row', ns)
            def cell(row, col):
                for c in row.findall('m:c', ns):
                    if c.get('r').rstrip('0123456789') == col:
                        v = c.find('m:v', ns)
                        return v.text if v is not None else None
            total = sum(Decimal(cell(r, 'H')) for r in rows[1:] if cell(r, 'H') is not None and cell(r, 'A') is not None)
            print('lines_yuan', total)
            """
        let scriptPath = try temporaryDirectory() + "/read.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let result = try shell("python3", [scriptPath, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sheets Summary,Exceptions,Outcomes"))
        #expect(result.stdout.contains("frozen frozen A2"))
        // Groups plus the TOTAL row: twice the period's total.
        let expected = Money(fen: report.total.linesFen * 2)
        let printed = result.stdout.split(separator: "\n").first { $0.hasPrefix("lines_yuan") }.map { String($0.dropFirst(11)) } ?? ""
        #expect((try? Money(yuan: printed)) == expected, "workbook sums \(printed), expected \(expected)")
    }

    @Test func listsAreMasked() async throws {
        let ws = try await afterFailures(payers: 10)
        let failures = try await ws.store.failures(FailureFilter())
        let notice = try await ws.store.paidList(period: TestWorkspace.december, community: nil)
        #expect(!notice.isEmpty && !failures.isEmpty)
        // Through the CLI, every list format: no whole ID number or account leaves the machine.
        let ids = Set((failures.map(\.idNumber.value) + notice.map(\.idNumber.value)))
        let accounts = Set(failures.map(\.account.number))
        for arguments in [
            ["failures", "list", "--format", "csv"], ["failures", "list", "--format", "json"], ["failures", "list"],
            ["lists", "notice", "--period", "2026-12", "--format", "csv"], ["lists", "refunds", "--period", "2026-12"],
            ["lists", "interrupted", "--months", "1", "--period", "2026-12", "--format", "json"],
        ] {
            let result = try runPikou(arguments + ["--workspace", ws.directory])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            for id in ids { #expect(!result.stdout.contains(id), "\(arguments) printed a whole ID") }
            for account in accounts { #expect(!result.stdout.contains(account), "\(arguments) printed a whole account") }
        }
    }
}
