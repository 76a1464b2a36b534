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
        let operatorNamed: Bool
        let expected: NextStep
        var testDescription: String { "\(outcome) after \(attempts) attempt(s), \(days) day(s)\(corrected ? ", corrected" : "")\(operatorNamed ? ", operator named it" : "")" }
    }

    static let day3 = attempt.adding(days: 3)
    static let cases: [Case] = [
        Case(outcome: .insufficientFunds, attempts: 1, days: 3, corrected: false, operatorNamed: false, expected: .retryableNow),
        Case(outcome: .insufficientFunds, attempts: 1, days: 2, corrected: false, operatorNamed: false, expected: .retryFrom(day3)),
        Case(outcome: .insufficientFunds, attempts: 2, days: 10, corrected: false, operatorNamed: false, expected: .retryableNow),
        Case(outcome: .insufficientFunds, attempts: 3, days: 10, corrected: false, operatorNamed: false, expected: .attemptsExhausted),
        Case(outcome: .bankSystemError, attempts: 1, days: 3, corrected: false, operatorNamed: false, expected: .retryableNow),
        Case(outcome: .accountFrozen, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .nextCycle),
        Case(outcome: .exceedsLimit, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .operatorDecides),
        Case(outcome: .exceedsLimit, attempts: 1, days: 30, corrected: false, operatorNamed: true, expected: .retryableNow),
        Case(outcome: .exceedsLimit, attempts: 3, days: 30, corrected: false, operatorNamed: true, expected: .attemptsExhausted),
        Case(outcome: .unknown, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .operatorReview),
        Case(outcome: .unknown, attempts: 1, days: 1, corrected: false, operatorNamed: true, expected: .retryFrom(day3)),
        Case(outcome: .accountClosed, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .needsAgreementCorrection),
        Case(outcome: .accountClosed, attempts: 1, days: 30, corrected: true, operatorNamed: false, expected: .retryableNow),
        Case(outcome: .nameMismatch, attempts: 1, days: 0, corrected: true, operatorNamed: false, expected: .retryFrom(day3)),
        Case(outcome: .idMismatch, attempts: 1, days: 30, corrected: false, operatorNamed: true, expected: .needsAgreementCorrection),
        Case(outcome: .agreementMissing, attempts: 3, days: 30, corrected: true, operatorNamed: false, expected: .attemptsExhausted),
        Case(outcome: .accountNotFound, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .needsAgreementCorrection),
        // 协议已解约: not even an operator's word retries it; a new agreement (a new version) does.
        Case(outcome: .agreementRevoked, attempts: 1, days: 30, corrected: false, operatorNamed: false, expected: .needsNewAgreement),
        Case(outcome: .agreementRevoked, attempts: 1, days: 30, corrected: false, operatorNamed: true, expected: .needsNewAgreement),
        Case(outcome: .agreementRevoked, attempts: 1, days: 30, corrected: true, operatorNamed: false, expected: .retryableNow),
    ]

    @Test("next step", arguments: cases)
    func nextStep(_ c: Case) {
        let policy = RetryPolicy()
        let step = Eligibility.failure(failure(c.outcome, attempts: c.attempts, corrected: c.corrected), policy: policy, today: Self.attempt.adding(days: c.days),
                               operatorNamed: c.operatorNamed)
        #expect(step == c.expected)
    }

    @Test func paidElsewhereAndRevokedAreNeverRetried() {
        let policy = RetryPolicy()
        let later = Self.attempt.adding(days: 30)
        #expect(Eligibility.failure(failure(.insufficientFunds, attempts: 1, paidElsewhere: true), policy: policy, today: later) == .paidElsewhere)
        #expect(Eligibility.failure(failure(.insufficientFunds, attempts: 1, active: false), policy: policy, today: later) == .agreementInactive)
    }

    @Test func configuredPolicyIsRead() async throws {
        let folder = try temporaryDirectory()
        let path = folder + "/pikou.yaml"
        try "collector: \"1\"\nretry:\n  max_attempts: 5\n  min_days_between: 1\n  retry_outcomes: [insufficientFunds, accountFrozen]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let policy = try Workspace(directory: folder, defaultFormats: Fixture.formatsDirectory).retry
        #expect(policy.maxAttempts == 5)
        #expect(policy.minDaysBetween == 1)
        #expect(policy.retryOutcomes == [.insufficientFunds, .accountFrozen])
        try "retry:\n  max_attempt: 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try Workspace(directory: folder, defaultFormats: Fixture.formatsDirectory) } throws: { ($0 as? PikouError)?.code == "workspace.config" }
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
    func afterFailures(payers: Int = 40, backend: TestBackend = .sqlite) async throws -> TestWorkspace {
        let ws = try await TestWorkspace(backend: backend)
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

    @Test(arguments: TestBackend.all) func resubmitsOnlyWhatThePolicyAllowsAndMarksTheLines(_ backend: TestBackend) async throws {
        let ws = try await afterFailures(backend: backend)
        let today = CivilDate(year: 2026, month: 12, day: 21)!
        let failures = try await ws.store.failures(FailureFilter())
        let allowed = failures.filter { Eligibility.failure($0, policy: RetryPolicy(), today: today) == .retryableNow }
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

    @Test(arguments: TestBackend.all) func aCorrectedAgreementMakesATerminalFailureEligible(_ backend: TestBackend) async throws {
        let ws = try await afterFailures(backend: backend)
        let today = CivilDate(year: 2026, month: 12, day: 21)!
        let terminal = try #require(try await ws.store.failures(FailureFilter()).first { $0.outcome.isTerminal })
        #expect(Eligibility.failure(terminal, policy: RetryPolicy(), today: today) == .needsAgreementCorrection)
        _ = try await ws.useCases.changeAgreement(AgreementChange(idNumber: terminal.idNumber, account: BankAccount(stored: "6225768888888888")), actor: "张经办")
        let corrected = try #require(try await ws.store.failures(FailureFilter(idNumber: terminal.idNumber)).first)
        #expect(Eligibility.failure(corrected, policy: RetryPolicy(), today: today) == .retryableNow)
        let report = try await resubmission(ws).run(filter: FailureFilter(idNumber: terminal.idNumber), actor: "张经办", dryRun: false, today: today)
        #expect(report.lines == 1)
        let file = try #require(report.written.first)
        let bank = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let payload = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: file)!), spec: ws.specs[bank]!)
        let parsed = FileReader(spec: ws.specs[bank]!, kind: .debit).read(payload, fileName: file)
        #expect(parsed.lines.first?.line.account == "6225768888888888", "the corrected account is debited")
    }

    @Test(arguments: TestBackend.all) func reportTotalsEqualTheStoreAndTheFilesAndMatch(_ backend: TestBackend) async throws {
        let ws = try await afterFailures(backend: backend)
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
            filesFen += FileReader(spec: ws.specs[bank]!, kind: .debit).read(payload, fileName: path).total?.fen ?? 0
        }
        #expect(report.total.linesFen == filesFen)
        #expect(report.matches, "\(report.matchLines)")
        #expect(report.matchLines.first?.hasPrefix("钱表相符：相符") == true)
        for grouping in ReportGrouping.allCases {
            let grouped = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: grouping)
            #expect(grouped.total.linesFen == report.total.linesFen, "\(grouping) groups add up to the same total")
            #expect(grouped.total.lines == report.total.lines)
        }
    }

    @Test func csvRoundTripsThroughACSVReader() async throws {
        let ws = try await afterFailures(payers: 12)
        let report = try await ReconciliationReport.build(store: ws.store, period: TestWorkspace.december, by: .district)
        let bytes = report.csv(encoding: .utf8BOM, headers: .keys)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        // A person's CSV (the default): titles and 合计 in the reader's language, the same figures.
        let titled = String(decoding: report.csv(encoding: .utf8BOM), as: UTF8.self)
        #expect(titled.contains("分组,应缴人数,应缴金额") && titled.contains("\r\n合计,") && !titled.contains("TOTAL"), "\(titled.prefix(200))")
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
        let workbook = try await ws.useCases.workbook(report, today: CivilDate(year: 2026, month: 12, day: 20)!)
        #expect(!workbook.failures.isEmpty)
        let path = try temporaryDirectory() + "/report.xlsx"
        try workbook.write(path: path)
        // An independent reader: Python's zipfile and XML parser, summing the yuan columns as decimals.
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
            shared = [''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])) for si in ET.fromstring(z.read('xl/sharedStrings.xml'))]
            styles = ET.fromstring(z.read('xl/styles.xml'))
            formats = {f.get('numFmtId'): f.get('formatCode') for f in styles.findall('.//m:numFmts/m:numFmt', ns)}
            xfs = styles.findall('m:cellXfs/m:xf', ns)
            def sheet(n):
                return ET.fromstring(z.read('xl/worksheets/sheet%d.xml' % n))
            def cells(s):
                out = {}
                for c in s.findall('.//m:sheetData/m:row/m:c', ns):
                    v = c.find('m:v', ns)
                    if v is None: continue
                    out[c.get('r')] = (shared[int(v.text)] if c.get('t') == 's' else v.text, c.get('s'))
                return out
            def numfmt(style):
                xf = xfs[int(style or 0)]
                fid = xf.get('numFmtId')
                return formats.get(fid, fid)
            for n in range(1, 4):
                s = sheet(n)
                c = cells(s)
                print('sheet%d title' % n, c['A1'][0])
                print('sheet%d autofilter' % n, s.find('m:autoFilter', ns).get('ref'))
                print('sheet%d frozen' % n, s.find('.//m:pane', ns).get('topLeftCell'))
            summary = cells(sheet(1))
            rows = sorted({int(r.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')) for r in summary})
            # Column H is the submitted yuan; column O the success rate.
            print('rate_format', numfmt(summary['O3'][1]), 'rate', summary['O3'][0])
            total = sum(Decimal(summary['H%d' % r][0]) for r in rows if r >= 3 and 'H%d' % r in summary)
            print('lines_yuan', total)
            grid = cells(sheet(2))
            subtotals = [r for r, (v, _) in grid.items() if v in ('小计', 'subtotal')]
            print('grid_subtotals', len(subtotals))
            g = sheet(2)
            levels = [row.get('outlineLevel') for row in g.findall('.//m:sheetData/m:row', ns) if row.get('outlineLevel')]
            print('grid_levels', ','.join(sorted(set(levels))))
            def community_sum(col):
                return sum(Decimal(grid[col + r[1:]][0]) for r, (v, _) in grid.items()
                           if r.startswith('C') and int(r[1:]) >= 3 and v not in ('小计', 'subtotal') and col + r[1:] in grid)
            print('grid_communities_yuan', community_sum('J'))
            failures = cells(sheet(3))
            ids = [(v, s) for r, (v, s) in failures.items() if r.startswith('D') and int(r[1:]) >= 3]
            print('failure_rows', len(ids))
            print('id_text_format', ','.join(sorted({numfmt(s) for _, s in ids})))
            print('ids_masked', all('*' in v for v, _ in ids))
            """
        let scriptPath = try temporaryDirectory() + "/read.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let result = try shell("python3", [scriptPath, path])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout
        #expect(output.contains("sheets 汇总,网格进度,失败明细,异常,三方对账,失败原因") || output.contains("sheets Summary,Grid,Failures,Exceptions,Three-way,Outcomes"), "\(output)")
        #expect(output.contains("sheet1 title 2026年12月社保费批扣对账 — 汇总（金额单位：元）") || output.contains("sheet1 title Debit reconciliation 2026-12 — Summary (amounts in yuan)"), "\(output)")
        for n in 1...3 {
            #expect(output.contains("sheet\(n) frozen A3"), "\(output)")
            #expect(output.contains("sheet\(n) autofilter A2:"), "\(output)")
        }
        #expect(output.contains("rate_format 0.0%"), "\(output)")
        #expect(output.contains("id_text_format @"), "\(output)")
        #expect(output.contains("ids_masked True"), "\(output)")
        #expect(output.contains("failure_rows \(workbook.failures.count)"), "\(output)")
        // Subtotals: one per street and per district, at outline levels 1 and 2.
        let streets = workbook.grid.filter { $0.level == .street }.count, districts = workbook.grid.filter { $0.level == .district }.count
        #expect(streets > 0 && districts > 0)
        #expect(output.contains("grid_subtotals \(streets + districts)"), "\(output)")
        #expect(output.contains("grid_levels 1,2"), "\(output)")
        func figure(_ key: String) -> Money? {
            output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { try? Money(yuan: String($0.dropFirst(key.count + 1))) }
        }
        // Groups plus the total row: twice the period's total; the grid's communities: once.
        #expect(figure("lines_yuan") == Money(fen: report.total.linesFen * 2), "\(output)")
        #expect(figure("grid_communities_yuan") == Money(fen: report.total.linesFen), "\(output)")
    }

    @Test func gridNestsCommunitiesUnderStreetsUnderDistricts() {
        func row(_ group: String, _ lines: Int) -> ReportRow { var r = ReportRow(group: group); r.lines = lines; return r }
        let rows = GridRow.nest(
            districts: [row("江岸区", 3), row("武昌区", 2)],
            streets: [row("武昌区 水果湖街道", 2), row("江岸区 大智街道", 1), row("江岸区 百步亭街道", 2)],
            communities: [row("江岸区 百步亭街道 安居社区", 2), row("武昌区 水果湖街道 东湖社区", 2), row("江岸区 大智街道 一元社区", 1)],
            total: row("TOTAL", 5))
        // Keys sort by code point (武 U+6B66 before 江 U+6C5F), the order `report --by` prints.
        #expect(rows.map(\.level) == [.community, .street, .district, .community, .street, .community, .street, .district, .total])
        #expect(rows.map(\.community) == ["东湖社区", "", "", "一元社区", "", "安居社区", "", "", ""])
        #expect(rows.map(\.street) == ["水果湖街道", "水果湖街道", "", "大智街道", "大智街道", "百步亭街道", "百步亭街道", "", ""])
        #expect(rows[7].district == "江岸区" && rows[7].row.lines == 3)
        #expect(rows.last?.row.lines == 5)
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
