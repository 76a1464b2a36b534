public import BankFormats
import Foundation
public import PikouCore
public import PikouCycle
public import ReconStore

/// The store a test workspace uses: SQLite always; PostgreSQL when `make test` started a server
/// (`PIKOU_TEST_POSTGRES`, see scripts/with-postgres.sh), each workspace in a schema of its own.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The test server (nil: none was started, and the PostgreSQL runs are skipped).
    public static let postgresServer = ProcessInfo.processInfo.environment["PIKOU_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    /// The backends there are to test on.
    public static let all: [TestBackend] = postgresServer == nil ? [.sqlite] : [.sqlite, .postgres]

    public var description: String { rawValue }

    /// A store location for a new workspace.
    public func newStore() -> String {
        switch self {
        case .sqlite: return "pikou.sqlite"
        case .postgres:
            let server = Self.postgresServer ?? "postgres://pikou@127.0.0.1:1/none"
            let schema = "w_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return server + (server.contains("?") ? "&" : "?") + "schema=" + schema
        }
    }
}

/// A throw-away workspace with the TEST keys, every bank of the checkout enabled.
public struct TestWorkspace {
    public let directory: String
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]
    public let calendar: BankCalendar

    /// Creates a workspace in a new temporary folder; `configure` may edit the specs (e.g. limits).
    public init(backend: TestBackend = .sqlite, configure: (inout [String: BankSpec]) -> Void = { _ in }) async throws {
        directory = try temporaryDirectory() + "/ws"
        let banks = try Fixture.bankCodes.map { try Fixture.spec($0) }
        _ = try await Workspace.create(directory: directory, formatsDirectory: Fixture.formatsDirectory, banks: banks,
                                 testKeysFrom: Fixture.path("keys"), store: backend.newStore())
        workspace = try Workspace(directory: directory, defaultFormats: Fixture.formatsDirectory)
        store = try await workspace.openStore()
        var specs = try workspace.banksAndCalendar(years: [2026]).specs
        configure(&specs)
        self.specs = specs
        calendar = try workspace.banksAndCalendar(years: [2026]).calendar
    }

    /// The use cases the CLI and the console call, over this workspace.
    public var useCases: UseCases { UseCases(workspace: workspace, store: store) }

    /// Every due candidate of `earliest...latest`, collected.
    public func candidates(from earliest: Period, through latest: Period, bank: String? = nil) async throws -> [DueCandidate] {
        try await store.dueCandidates(from: earliest, through: latest, bank: bank).collect()
    }

    /// Every reserved file not written yet, with its lines.
    public func filesToWrite(bank: String? = nil) async throws -> [FileToWrite] {
        var files: [FileToWrite] = []
        for id in try await store.reservedFileIDs(bank: bank, fileIDs: nil) {
            if let file = try await store.fileToWrite(id: id) { files.append(file) }
        }
        return files
    }

    public var cycle: Cycle { Cycle(workspace: workspace, store: store, specs: specs, calendar: calendar) }
    public var ingest: ReturnIngest { ReturnIngest(workspace: workspace, store: store, specs: specs) }
    public var check: InvariantCheck { InvariantCheck(workspace: workspace, store: store, specs: specs) }

    public static let december = try! Period("202612")  // a literal
    public static let fileDate = CivilDate(year: 2026, month: 12, day: 1)!

    /// Runs the cycle for December 2026 on 2026-12-01.
    @discardableResult
    public func runCycle(period: Period = december, bank: String? = nil) async throws -> CycleReport {
        try await cycle.run(period: period, bank: bank, dryRun: false, fileDate: Self.fileDate, actor: "test")
    }

    /// The debit files in the outbox (without .sig files), sorted.
    public func outboxFiles(_ bank: String? = nil) -> [String] {
        let banks = bank.map { [$0] } ?? specs.keys.sorted()
        return banks.flatMap { code -> [String] in
            let folder = workspace.outbox + "/" + code
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { !$0.hasSuffix(".sig") && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
        }
    }

    /// Simulates each bank for every debit file and ingests the return files; returns the return paths.
    @discardableResult
    /// A month debited and answered: `payers` synthetic payers at BOC and CCB (none suspended or
    /// revoked), the December cycle run, every file answered by the simulated bank (`failRate` of the
    /// lines failed) and ingested.
    public static func month(backend: TestBackend = .sqlite, payers: Int = 40, failRate: Double = 0.4) async throws -> TestWorkspace {
        let ws = try await TestWorkspace(backend: backend)
        var options = SyntheticRoster.Options(payers: payers)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 11, banks: ["BOC", "CCB"]), actor: "t", source: "r.csv")
        try await ws.runCycle()
        try await ws.simulateAndIngest(seed: 3, failRate: failRate)
        return ws
    }

    /// A workspace with `payers` synthetic BOC payers (none suspended or revoked), the December
    /// cycle run, and the path of its first BOC debit file.
    public static func withBOCFile(backend: TestBackend = .sqlite, payers: Int = 4) async throws -> (TestWorkspace, String) {
        let ws = try await TestWorkspace(backend: backend)
        var options = SyntheticRoster.Options(payers: payers)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 5, banks: ["BOC"]), actor: "t", source: "r.csv")
        try await ws.runCycle(bank: "BOC")
        guard let first = ws.outboxFiles("BOC").first else { throw FixtureError.missing("a BOC debit file") }
        return (ws, first)
    }

    public func simulateAndIngest(seed: UInt64, failRate: Double) async throws -> [String] {
        var returns: [String] = []
        for path in outboxFiles() {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let result = try BankSimulator(spec: specs[bank]!, signing: workspace.signing)
                .simulate(debitFile: path, outputDirectory: workspace.inbox + "/" + bank, seed: seed, failRate: failRate)
            returns.append(result.path)
        }
        for path in returns {
            guard case .posted = try await ingest.ingest(path: path, bank: nil, debitFileName: nil, actor: "test") else {
                throw FixtureError.missing("ingest of \(path) did not post")
            }
        }
        return returns
    }
}

extension TestWorkspace {
    /// Writes a BOC return file for `debitPath` from `lines`, signed with the TEST bank key, into
    /// the inbox under the name the store expects; returns its path.
    public func writeReturn(debitPath: String, lines: [DebitLine], tamperTotal: Bool = false) async throws -> String {
        let spec = specs["BOC"]!
        let debitName = (debitPath as NSString).lastPathComponent
        guard let file = try await store.debitFile(bank: "BOC", name: debitName) else { throw FixtureError.missing("debit file BOC/\(debitName)") }
        var output = try FileWriter(spec: spec, kind: .return).write(lines, context: FileContext(
            collector: "420100000001", bankCode: "BOC", batchNo: 1, fileDate: Self.fileDate, collectionDate: Self.fileDate))
        if tamperTotal {
            // Change the trailer's total digits (the bank signed a wrong total).
            let trailerStart = output.bytes[..<(output.bytes.count - 1)].lastIndex(of: 10)! + 1
            output.bytes[trailerStart + 23] = output.bytes[trailerStart + 23] == UInt8(ascii: "9") ? UInt8(ascii: "8") : output.bytes[trailerStart + 23] + 1
        }
        let signed = try FileSignature.sign(output.bytes, spec: spec, key: try workspace.signing.signingKey(bank: "BOC", kind: .return))
        let path = workspace.inbox + "/BOC/" + file.returnName
        try FileIO.writeAtomically(signed.file, to: path)
        if let detached = signed.detached { try FileIO.writeAtomically(detached, to: path + ".sig") }
        return path
    }

    /// The lines of BOC debit file `path`.
    public func debitLines(_ path: String) -> [DebitLine] {
        FileReader(spec: specs["BOC"]!, kind: .debit).read([UInt8](FileManager.default.contents(atPath: path)!), fileName: path).lines.map(\.line)
    }
}

/// A synthetic roster: valid IDs and cards, random banks, tiers, suspensions and revocations.
public enum SyntheticRoster {
    public struct Options: Sendable {
        public var payers: Int
        public var suspendedRate = 0.05
        public var revokedRate = 0.05
        public var medicalRate = 0.8
        public init(payers: Int) { self.payers = payers }
    }

    public static func make(_ options: Options, seed: UInt64, banks: [String]) -> [RosterRecord] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func chance(_ p: Double) -> Bool { Double(next(1_000_000)) < p * 1_000_000 }
        let tiers = ["60", "80", "100", "150", "200", "300"]
        let names = Array("王李张刘陈杨黄赵吴周徐孙马朱胡")
        var records: [RosterRecord] = []
        var line = 2
        for n in 0..<options.payers {
            let body = "420106" + String(1960 + next(40)) + "0" + String(1 + next(9)) + "1" + String(next(9)) + String(format: "%03d", n % 1000)
            let id = body + String(IDNumber.checkCharacter(body.map { Int(String($0))! }))
            var card = "621700" + (0..<12).map { _ in String(next(10)) }.joined()
            card += String((0...9).first { BankAccount.passesLuhn(card + String($0)) }!)
            let name = String(names[next(names.count)]) + String(names[next(names.count)]) + "测"
            let bank = banks[next(banks.count)]
            let suspended = chance(options.suspendedRate)
            let revoked = chance(options.revokedRate)
            var insurances: [Insurance] = [.pension]
            if chance(options.medicalRate) { insurances.append(.medical) }
            for insurance in insurances {
                records.append(RosterRecord(
                    line: line, idNumber: try! IDNumber(id), name: name, phone: "13800000000", district: "武昌区", street: "中华路街",
                    community: "社区\(n % 3)", insurance: insurance, tier: insurance == .pension ? tiers[next(tiers.count)] : "standard",
                    startPeriod: try! Period("202601"), endPeriod: nil, suspended: suspended, bank: bank, account: try! BankAccount(card),  // literal
                    accountName: name, agreementNo: "WH\(bank)\(n)", agreementActive: !revoked))
                line += 1
            }
        }
        return records
    }
}

extension AsyncSequence {
    /// Every element, in order.
    public func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}

/// Synthetic residents (scheme residents-annual) for the residents' annual collection.
public enum SyntheticResidents {
    /// A valid ID number born on `birth`.
    public static func id(born birth: CivilDate, woman: Bool, serial: Int) -> IDNumber {
        let body = String(format: "420104%04d%02d%02d%02d%d", birth.year, birth.month, birth.day, serial % 100, woman ? 2 : 1)
        return try! IDNumber(body + String(IDNumber.checkCharacter(body.map { $0.wholeNumberValue! })))  // built valid above
    }

    /// `count` residents aged 30, in 城关镇 (even) and 河口镇 (odd) of 示范县, each with pension at 300 and medical, at BOC.
    public static func roster(count: Int) -> [RosterRecord] {
        (0..<count).flatMap { n -> [RosterRecord] in
            let id = id(born: CivilDate(year: 1996, month: 1 + n % 12, day: 3)!, woman: n % 2 == 0, serial: n)
            var card = "621661" + String(format: "%012d", 200_000 + n * 7919)
            card += String((0...9).first { BankAccount.passesLuhn(card + String($0)) }!)
            return [(Insurance.pension, "300"), (.medical, "standard")].map { insurance, tier in
                RosterRecord(
                    line: n + 2, idNumber: id, name: "居民\(n)", phone: "13800000000", district: "示范县", street: n % 2 == 0 ? "城关镇" : "河口镇",
                    community: "东村", insurance: insurance, tier: tier, startPeriod: try! Period("202701"), endPeriod: nil, suspended: false,
                    bank: "BOC", account: try! BankAccount(card), accountName: "居民\(n)", agreementNo: "JMBOC\(n)", agreementActive: true, scheme: .residentsAnnual)
            }
        }
    }
}
