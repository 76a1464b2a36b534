import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

@Suite struct RosterImportTests {
    static let header = "id_number,name,phone,district,street,community,insurance,tier,start_period,end_period,status,bank,account,account_name,agreement_no,agreement_status"
    static let good = "34052419800101001X,测试甲,13800000000,武昌区,中华路街,社区1,pension,60,202601,,active,BOC,6225768888888888,测试甲,WH1,active"

    func check(_ rows: [String]) async throws -> RosterImport.Checked {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        let text = ([Self.header] + rows).joined(separator: "\n") + "\n"
        switch RosterImport.check(text: text, fileName: "roster.csv", banks: ["BOC", "CCB"], policy: policy) {
        case .success(let checked): return checked
        case .failure(let error): throw error
        }
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let field: String
        let from: String
        let to: String
        let says: String
        var testDescription: String { field }
    }

    static let bad: [Bad] = [
        Bad(field: "id_number", from: "34052419800101001X", to: "340524198001010012", says: "check character"),
        Bad(field: "account", from: "6225768888888888", to: "6225768888888889", says: "Luhn"),
        Bad(field: "bank", from: ",BOC,", to: ",XYZ,", says: "unknown bank 'XYZ'"),
        Bad(field: "tier", from: ",60,", to: ",61,", says: "unknown pension tier '61'"),
        Bad(field: "insurance", from: ",pension,", to: ",dental,", says: "not pension or medical"),
        Bad(field: "start_period", from: ",202601,", to: ",202613,", says: "month must be 01 to 12"),
        Bad(field: "status", from: ",active,BOC", to: ",paused,BOC", says: "not active or suspended"),
        Bad(field: "agreement_status", from: ",WH1,active", to: ",WH1,gone", says: "not active or revoked"),
        Bad(field: "name", from: "X,测试甲,", to: "X,,", says: "name is empty"),
        Bad(field: "agreement_no", from: ",WH1,", to: ",,", says: "agreement number is empty"),
        // Issue 17, item 12: invisible and direction-changing characters, and sizes no name has.
        Bad(field: "name", from: "X,测试甲,", to: "X,测\u{202E}试甲,", says: "invisible character U+202E"),
        Bad(field: "name", from: "X,测试甲,", to: "X,测\u{7}试甲,", says: "invisible character U+7"),
        Bad(field: "account_name", from: ",测试甲,WH1", to: ",测试\u{200F}甲,WH1", says: "invisible character U+200F"),
        Bad(field: "name", from: "X,测试甲,", to: "X,\(String(repeating: "测", count: 3_000_000)),", says: "is 3000000 characters long"),
        Bad(field: "community", from: ",社区1,", to: ",社\u{2066}区1,", says: "invisible character U+2066"),
    ]

    @Test("a bad row is rejected with its line and field; good rows still import", arguments: bad)
    func badRow(_ bad: Bad) async throws {
        #expect(Self.good.contains(bad.from))
        let second = "11010519491231002X,测试乙,13900000000,武昌区,中华路街,社区1,medical,standard,202601,,active,CCB,6225768888888888,测试乙,WH2,active"
        let checked = try await check([Self.good.replacingOccurrences(of: bad.from, with: bad.to), second])
        #expect(checked.records.map(\.line) == [3])
        let diagnostic = try #require(checked.rejects.first?.diagnostics.first)
        #expect(diagnostic.line == 2)
        #expect(diagnostic.field == bad.field)
        #expect(diagnostic.text.en.contains(bad.says), "\(diagnostic.text.en)")
        #expect(!diagnostic.text.en.contains("34052419800101001"), "IDs are masked")
    }

    /// The household columns (issue 34): optional; a relation in Chinese or English; a relation
    /// without a household, an unknown relation and a household number copied down a whole village
    /// each refused at their line and field, in Chinese.
    @Test func householdColumnsAreReadAndChecked() async throws {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        func rows(_ cells: [(String, String)]) throws -> RosterImport.Checked {
            let lines = cells.enumerated().map { index, cell in
                let body = "\(Self.good.prefix(17))"
                let check = IDNumber.checkCharacter(body.prefix(14).map { $0.wholeNumberValue! } + String(format: "%03d", index).map { $0.wholeNumberValue! })
                let id = String(body.prefix(14)) + String(format: "%03d", index) + String(check)
                return id + Self.good.dropFirst(18) + ",\(cell.0),\(cell.1)"
            }
            let text = ([Self.header + ",household,relation"] + lines).joined(separator: "\n") + "\n"
            return try RosterImport.check(text: text, fileName: "roster.csv", banks: ["BOC"], policy: policy).get()
        }
        // A 户口簿's words are read (妻, 长子, 母亲); an unknown one is warned of and kept as 其他 (the
        // person is still debited); a relation without a household and a number Excel wrote in
        // scientific notation are refused.
        var checked = try rows([("H-1", "户主"), ("H-1", "spouse"), ("", ""), ("H-1", "表亲"), ("", "子女"), ("H-2", "妻"), ("H-2", "长子"), ("H-2", "母亲"),
                                ("4.20102E+11", "户主")])
        #expect(checked.records.map(\.household) == ["H-1", "H-1", "", "H-1", "H-2", "H-2", "H-2"])
        #expect(checked.records.map(\.relation) == [.head, .spouse, nil, .other, .spouse, .child, .parent])
        #expect(checked.warnings.map(\.field) == ["relation"] && checked.warnings.first?.line == 5)
        #expect(checked.warnings.first?.text.zh.contains("按“其他”记录") == true, "\(checked.warnings)")
        #expect(checked.rejects.map { $0.diagnostics.first?.field } == ["household", "household"])
        #expect(checked.rejects.map { $0.diagnostics.first?.line } == [6, 10])
        #expect(checked.rejects.last?.diagnostics.first?.text.zh.contains("科学计数法") == true)
        // A payer's rows must agree on the household, as on the address.
        let body = String(Self.good.prefix(18)) + Self.good.dropFirst(18)
        let twoRows = [Self.header + ",household,relation", body + ",H-9,户主",
                       body.replacingOccurrences(of: ",pension,60,", with: ",medical,standard,") + ",,"].joined(separator: "\n") + "\n"
        let disagreeing = try RosterImport.check(text: twoRows, fileName: "roster.csv", banks: ["BOC"], policy: policy).get()
        #expect(disagreeing.rejects.first?.diagnostics.map(\.field) == ["household"], "\(disagreeing.rejects)")
        // A roster without the columns says nothing of households: nil, which leaves the links stored.
        #expect(try await check([Self.good]).records.first?.household == nil)
        let many = RosterImport.Checker.maxHouseholdSize
        checked = try rows((0...many).map { _ in ("V-07", "其他") })
        #expect(checked.records.count == many && checked.rejects.count == 1)
        #expect(checked.rejects.first?.diagnostics.first?.text.zh.contains("已有 \(many) 人") == true, "\(checked.rejects)")
    }

    @Test func duplicateEnrollmentAndMissingColumnAreReported() async throws {
        let checked = try await check([Self.good, Self.good])
        #expect(checked.rejects.first?.diagnostics.first?.text.en.contains("already on line 2") == true)
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        guard case .failure(let error) = RosterImport.check(text: "id_number,name\n1,2\n", fileName: "r.csv", banks: ["BOC"], policy: policy) else {
            Issue.record("expected a missing-column error")
            return
        }
        #expect(error.diagnostic.description(.en).contains("missing column"))
    }

    @Test func reimportChangesNothingAndAChangedRowUpdates() async throws {
        let ws = try await TestWorkspace()
        let records = try await check([Self.good]).records
        let first = try await ws.store.importRoster(records, actor: "t", source: "r.csv")
        #expect(first.payersInserted == 1 && first.enrollmentsInserted == 1 && first.agreementsInserted == 1)
        let again = try await ws.store.importRoster(records, actor: "t", source: "r.csv")
        #expect(!again.changedAnything)
        #expect(again.unchanged == 1)
        let moved = try await check([Self.good.replacingOccurrences(of: "社区1", with: "社区2").replacingOccurrences(of: "13800000000", with: "13800000001")]).records
        let changed = try await ws.store.importRoster(moved, actor: "t", source: "r2.csv")
        #expect(changed.payersUpdated == 1)
        #expect(changed.agreementsUpdated == 0)
        #expect(try await ws.store.invariantViolations() == [], "the journal chains")
    }

    @Test func gbkRosterIsDetected() async throws {
        let dir = try temporaryDirectory()
        let path = dir + "/roster.csv"
        let text = Self.header + "\n" + Self.good + "\n"
        try Data(FileEncoding.gbk.encode(text)!).write(to: URL(fileURLWithPath: path))
        let decoded = try CSVInput.read(path, encoding: .auto)
        #expect(decoded == text)
        #expect(throws: DiagnosticError.self) { try CSVInput.read(path, encoding: .utf8) }
    }
}

/// The roster is read in chunks of whole rows; line numbers and duplicate checks span chunks.
@Suite struct CSVChunkTests {
    @Test("chunks of any size give the same rows, lines and rejects", arguments: [40, 97, 300, 1 << 20])
    func chunking(_ size: Int) async throws {
        let header = RosterImportTests.header
        let good = RosterImportTests.good
        let second = "11010519491231002X,\"测试,乙\",13900000000,武昌区,中华路街,\"社区\n1\",medical,standard,202601,,active,CCB,6225768888888888,\"测试,乙\",WH2,active"
        // Line 2 good, lines 3-4 the quoted row (a line break inside quotes), line 5 the first row again.
        let text = [header, good, second, good].joined(separator: "\n") + "\n"
        let dir = try temporaryDirectory()
        let path = dir + "/roster.csv"
        try Data(FileEncoding.gbk.encode(text)!).write(to: URL(fileURLWithPath: path))
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        var checker = RosterImport.Checker(fileName: "roster.csv", banks: ["BOC", "CCB"], policy: policy)
        var records: [RosterRecord] = []
        var rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        try await CSVChunks(path: path, encoding: .auto, chunkBytes: size).forEach { chunk, firstLine, _ in
            let checked = try checker.check(text: chunk, firstLine: firstLine).get()
            records += checked.records
            rejects += checked.rejects
        }
        #expect(records.map(\.line) == [2, 3])
        #expect(records.last?.name == "测试,乙")
        #expect(records.last?.community == "社区\n1")
        #expect(rejects.map(\.row.line) == [5])
        #expect(rejects.first?.diagnostics.first?.text.en.contains("already on line 2") == true)
    }
}

/// The CSV reader works on UTF-8 bytes and the roster checker keeps one small entry per payer;
/// both must read exactly as before: quoting, line numbers, whitespace, duplicates across chunks.
@Suite struct CSVReadingTests {
    @Test func quotingLineBreaksAndByteOrderMark() async throws {
        let text = "\u{FEFF}a, B ,c\r\n1,\"x,\"\"y\"\"\",中文\r\n\n2,\"two\nlines\",z\n3,a\"b,\"q\"r\n4,,"
        let table = try CSVTable(text: text, fileName: "t.csv")
        #expect(table.columns == ["a", "b", "c"])
        #expect(table.rows.map(\.line) == [2, 4, 6, 7])
        #expect(table.rows[0].values == ["1", "x,\"y\"", "中文"])
        #expect(table.rows[1].values == ["2", "two\nlines", "z"])
        #expect(table.rows[2].values == ["3", "a\"b", "qr"], "a quote inside a value is kept; text after a closing quote joins it")
        #expect(table.rows[3].values == ["4", "", ""], "the last row needs no line feed")
        #expect(throws: CSVError.self) { try CSVTable(text: "a\n\"open", fileName: "t.csv") }
        #expect(throws: CSVError.self) { try CSVTable(text: "\n\n", fileName: "t.csv") }
    }

    @Test func valuesAreTrimmedOfEveryKindOfSpace() async throws {
        let table = try CSVTable(text: "a,b,c,d\n\u{3000}甲\u{3000}, \tx ,y,\u{00A0}z\u{2003}\n", fileName: "t.csv")
        let value = try #require(table.values(of: table.rows[0]))
        #expect(value("a") == "甲", "the full-width space of Chinese input")
        #expect(value("b") == "x")
        #expect(value("c") == "y")
        #expect(value("d") == "z", "no-break and em spaces are space separators too")
        #expect(value("missing") == "")
    }

    @Test func duplicatesAndDifferingDetailsAreFoundAcrossChunks() async throws {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        var checker = RosterImport.Checker(fileName: "roster.csv", banks: ["BOC", "CCB"], policy: policy)
        let header = RosterImportTests.header
        let pension = RosterImportTests.good
        let medical = pension.replacingOccurrences(of: ",pension,60,", with: ",medical,standard,")
        func chunk(_ rows: [String], firstLine: Int) async throws -> RosterImport.Checked {
            try checker.check(text: ([header] + rows).joined(separator: "\n") + "\n", firstLine: firstLine).get()
        }
        #expect(try await chunk([pension], firstLine: 1).records.map(\.line) == [2])
        // Next chunk: the medical row of the same payer is fine; its pension again is not; other details are not.
        let moved = medical.replacingOccurrences(of: "13800000000", with: "13811111111")
        let second = try await chunk([medical, pension, moved], firstLine: 2)
        #expect(second.records.map(\.line) == [3])
        #expect(second.rejects.map(\.row.line) == [4, 5])
        #expect(second.rejects[0].diagnostics.first?.text.en.contains("pension for this payer is already on line 2") == true)
        #expect(second.rejects[1].diagnostics.contains { $0.text.en.contains("medical for this payer is already on line 3") })
        #expect(second.rejects[1].diagnostics.contains { $0.text.en.contains("differs from line 2") })
    }
}

/// Issue 38: a province's roster keeps 12 bytes a payer in memory; a payer's rows two chunks apart
/// or more (a roster sorted by insurance: every pension row, then every medical row) are compared
/// with what the store holds of the payer, its first row being written by then.
@Suite struct FarApartRowsTests {
    static func row(_ n: Int, insurance: String, phone: String = "13800000000") -> String {
        let body = String(format: "34052419800101%03d", n)
        let id = body + String(IDNumber.checkCharacter(body.map { $0.wholeNumberValue! }))
        let tier = insurance == "pension" ? "60" : "standard"
        return "\(id),测试\(n),\(phone),武昌区,中华路街,社区1,\(insurance),\(tier),202601,,active,BOC,6225768888888888,测试\(n),WH\(n),active"
    }

    @Test(arguments: TestBackend.all) func rowsFarApartAreComparedWithTheStore(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        var rows = (1...40).map { Self.row($0, insurance: "pension") }                 // lines 2...41
        rows += (1...40).map { Self.row($0, insurance: "medical", phone: $0 == 7 ? "13911111111" : "13800000000") }  // 42...81
        rows.append(Self.row(3, insurance: "pension"))                                  // 82: pension again, first on line 4
        let path = ws.directory + "/roster.csv"
        try (([RosterImportTests.header] + rows).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await ws.useCases.importRoster(file: path, encoding: .auto, specs: ws.specs, actor: "t", chunkBytes: 1024)
        #expect(report.rejected.map(\.row.line) == [48, 82], "\(report.rejected.map(\.diagnostics))")
        #expect(report.rejected.first?.diagnostics.map(\.field) == ["phone"])
        #expect(report.rejected.first?.diagnostics.first?.text.en.contains("differs from line 8") == true)
        #expect(report.rejected.last?.diagnostics.first?.text.en.contains("pension for this payer is already on line 4") == true)
        #expect(report.imported == 79)
        // The same file in one chunk: the same rows set aside, for the same reasons.
        let whole = try await TestWorkspace(backend: backend)
        let once = try await whole.useCases.importRoster(file: path, encoding: .auto, specs: whole.specs, actor: "t")
        #expect(once.rejected.map(\.row.line) == [48, 82])
        #expect(once.rejected.map { $0.diagnostics.map(\.field) } == report.rejected.map { $0.diagnostics.map(\.field) })
    }

    /// The compact table against a dictionary: every payer found with its first line and insurances,
    /// through growth from the smallest table.
    @Test func theCompactTableAgreesWithADictionary() {
        var table = SeenPayers(expecting: 1)
        var reference: [UInt64: (line: Int, first: Insurance, pension: Bool, medical: Bool)] = [:]
        var generator = SystemRandomNumberGenerator()
        for line in 2..<60_000 {
            let digits = UInt64.random(in: 0..<20_000, using: &generator) * 5_000_000_011 % 100_000_000_000_000_000
            let insurance: Insurance = Bool.random(using: &generator) ? .pension : .medical
            table.add(digits, insurance: insurance, line: line)
            var entry = reference[digits] ?? (line, insurance, false, false)
            if insurance == .pension { entry.pension = true } else { entry.medical = true }
            reference[digits] = entry
        }
        #expect(table.count == reference.count)
        for (digits, entry) in reference {
            #expect(table.entry(digits) == SeenPayers.Entry(firstLine: entry.line, firstInsurance: entry.first, pension: entry.pension, medical: entry.medical))
        }
        #expect(table.entry(99_999_999_999_999_999) == nil)
    }
}

extension RosterImportTests {
    /// Issue 17, item 12: a duplicate header column refuses the file; a phone conflict is reported
    /// under phone; a '?' a GBK file left in a name is warned about; masking never splits a character.
    @Test func aDuplicateHeaderColumnRefusesTheFile() async throws {
        let policy = try Policy.load(formatsDirectory: Fixture.formatsDirectory, year: 2026)
        let text = Self.header.replacingOccurrences(of: "community,", with: "community,name,") + "\n" +
            Self.good.replacingOccurrences(of: "社区1,", with: "社区1,测试乙,") + "\n"
        guard case .failure(let error) = RosterImport.check(text: text, fileName: "roster.csv", banks: ["BOC"], policy: policy) else {
            Issue.record("a header naming a column twice must refuse the file")
            return
        }
        #expect(error.diagnostic.code == .csvDuplicateColumn && error.diagnostic.field == "name")
        #expect(error.diagnostic.text.en.contains("columns 2 and 7"), "\(error.diagnostic)")
    }

    @Test func aConflictIsReportedUnderTheFieldThatDiffers() async throws {
        let medical = Self.good.replacingOccurrences(of: ",pension,60,", with: ",medical,standard,")
        let checked = try await check([Self.good, medical.replacingOccurrences(of: "13800000000", with: "13900000000")])
        let diagnostic = try #require(checked.rejects.first?.diagnostics.first)
        #expect(diagnostic.field == "phone" && diagnostic.text.en.contains("phone differs from line 2"), "\(diagnostic)")
    }

    @Test func aQuestionMarkInANameIsWarned() async throws {
        let checked = try await check([Self.good.replacingOccurrences(of: "X,测试甲,", with: "X,测?甲,")])
        #expect(checked.records.count == 1)
        #expect(checked.warnings.contains { $0.field == "name" && $0.text.en.contains("encoding could not carry") })
    }

    @Test("masking keeps whole characters", arguments: ["王\u{0301}小明", "👨‍👩‍👧张三", "𠀀𠀁𠀂", "欧阳"])
    func maskingKeepsWholeCharacters(name: String) {
        let masked = Masking.name(name)
        #expect(masked.first == name.first)
        #expect(masked.dropFirst().allSatisfy { $0 == "*" })
        #expect(Masking.text(name + "路" + name).unicodeScalars.allSatisfy { $0.properties.isNoncharacterCodePoint == false })
    }
}
