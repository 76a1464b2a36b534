import Foundation
import PikouCore
import ReconStore
import Testing

/// What every backend of ``ReconStore`` must do, written against the protocol only: each test runs
/// on every backend in ``Backend/all`` — the embedded SQLite store, and PostgreSQL when a server is
/// given in `PIKOU_TEST_POSTGRES` (`make test` starts a throwaway one: scripts/with-postgres.sh).
@Suite struct StoreConformanceTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite
        case postgres
        /// The server the PostgreSQL runs use (nil: none was started).
        static let postgresServer = ProcessInfo.processInfo.environment["PIKOU_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
        static let all: [Backend] = postgresServer == nil ? [.sqlite] : [.sqlite, .postgres]
        var testDescription: String { rawValue }

        /// A new, empty store (on PostgreSQL: a schema of its own in the test database).
        func makeStore() async throws -> any ReconStore {
            switch self {
            case .sqlite:
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pikou-conformance-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                return try await StoreLocation("store.sqlite", relativeTo: folder).open()
            case .postgres:
                return try await StoreLocation(Self.freshSchema(), relativeTo: "/").open()
            }
        }

        /// The test server's URL with a new schema of its own.
        static func freshSchema() throws -> String {
            let server = try #require(postgresServer)
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return server + (server.contains("?") ? "&" : "?") + "schema=" + schema
        }
    }

    @Test("the PostgreSQL runs happen wherever a server can be started")
    func postgresIsThere() {
        if Backend.postgresServer == nil {
            let required = ProcessInfo.processInfo.environment["PIKOU_REQUIRE_POSTGRES"] == "1"
            print("""
                ##############################################################################
                # NO PostgreSQL server (PIKOU_TEST_POSTGRES unset): the conformance suite ran #
                # on SQLite only. `make test` starts one (scripts/with-postgres.sh).          #
                ##############################################################################
                """)
            #expect(!required, "PIKOU_REQUIRE_POSTGRES=1, but no PostgreSQL server was started for the tests")
        }
    }

    static let december = try! Period(year: 2026, month: 12)  // a literal
    static let date = CivilDate(year: 2026, month: 12, day: 1)!

    /// `payers` payers at BOC with a pension enrollment, and December's dues planned.
    func seeded(_ backend: Backend, payers: Int) async throws -> any ReconStore {
        let store = try await backend.makeStore()
        let records = (0..<payers).map { n in
            RosterRecord(line: n + 2, idNumber: IDNumber(stored: String(format: "4201061990010100%02d", n)), name: "测\(n)", phone: "", district: "武昌区",
                         street: "中华路街", community: "社区1", insurance: .pension, tier: "100", startPeriod: Self.december, endPeriod: nil,
                         suspended: false, bank: "BOC", account: BankAccount(stored: "62257688888888\(String(format: "%02d", n))"), accountName: "测\(n)",
                         agreementNo: "WH\(n)", agreementActive: true)
        }
        _ = try await store.importRoster(records, actor: "t", source: "r.csv")
        let planning = try await store.planDues(period: Self.december, amounts: [.pension: ["100": Money(fen: 50_000)]], actor: "test")
        #expect(planning.inserted == payers)
        return store
    }

    func debits(_ store: any ReconStore) async throws -> [PlannedDebit] {
        var debits: [PlannedDebit] = []
        for try await candidate in store.dueCandidates(from: Self.december, through: Self.december, bank: nil) {
            let agreement = try #require(candidate.agreement)
            debits.append(PlannedDebit(payerID: candidate.payerID, agreementID: agreement.id, agreementVersion: agreement.version,
                                       amount: candidate.amount, period: candidate.period, dueIDs: [candidate.dueID]))
        }
        return debits
    }

    func plan(_ files: [[PlannedDebit]], maxBatchNo: Int? = nil, prefix: String = "F") -> BatchPlan {
        BatchPlan(period: Self.december, kind: .cycle, actor: "t", files: files.map { debits in
            PlannedFile(bank: "BOC", fileDate: Self.date, collectionDate: Self.date, collector: "420100000001", collectorAccount: "",
                        naming: FileNaming(maxBatchNo: maxBatchNo) { ("\(prefix)\($0).txt", "\(prefix)\($0).ret") }, debits: debits)
        })
    }

    /// `check` builds the schema the migrations make beside the store's: inside a rehearsal (a dry
    /// run's transaction on PostgreSQL) it undoes only its own work, and the store is as it was.
    @Test("check's reference schema inside a rehearsal leaves the rehearsal and the store as they were", arguments: Backend.all)
    func referenceSchemaInsideARehearsal(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let rehearsed = try await store.rehearse { rehearsal in
            try await rehearsal.appendJournal(actor: "t", action: "test.rehearsed", subject: "s", detail: "d")
            let found = try await rehearsal.invariantViolations()
            return (found, try await rehearsal.journalHead()?.entryID)
        }
        #expect(rehearsed.0.isEmpty, "\(rehearsed.0)")
        #expect(rehearsed.1 != nil, "the rehearsal's own entry was still there after the check")
        #expect(try await store.journalHead() == nil, "nothing of the rehearsal stays")
        #expect(try await store.invariantViolations().isEmpty)
    }

    @Test("a roster imported again changes nothing; a changed row is counted and journaled once", arguments: Backend.all)
    func rosterCounts(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        func records(phone: String = "", account: String? = nil) -> [RosterRecord] {
            (0..<4).flatMap { n in
                [Insurance.pension, .medical].map { insurance in
                    RosterRecord(line: n * 2 + (insurance == .pension ? 2 : 3), idNumber: IDNumber(stored: String(format: "4201061990010100%02d", n)),
                                 name: "测\(n)", phone: n == 1 ? phone : "", district: "武昌区", street: "中华路街", community: "社区1", insurance: insurance,
                                 tier: "100", startPeriod: Self.december, endPeriod: nil, suspended: false, bank: "BOC",
                                 account: BankAccount(stored: n == 2 ? (account ?? "6225768888888802") : "62257688888888\(String(format: "%02d", n))"),
                                 accountName: "测\(n)", agreementNo: "WH\(n)", agreementActive: true)
                }
            }
        }
        let first = try await store.importRoster(records(), actor: "t", source: "r.csv")
        #expect((first.payersInserted, first.agreementsInserted, first.enrollmentsInserted, first.unchanged) == (4, 4, 8, 0))
        let again = try await store.importRoster(records(), actor: "t", source: "r.csv")
        #expect(!again.changedAnything && again.unchanged == 8)
        let changed = try await store.importRoster(records(phone: "13800000000", account: "6225768888888899"), actor: "t", source: "r2.csv")
        #expect((changed.payersUpdated, changed.agreementsUpdated, changed.payersInserted, changed.agreementsInserted) == (1, 1, 0, 0))
        #expect(changed.unchanged == 6, "the two rows that carried the changes are not unchanged")
        let history = try #require(try await store.payerHistory(idNumber: IDNumber(stored: "420106199001010002")))
        #expect(history.agreements.first?.version == 2 && history.journal.map(\.action) == ["agreement.update"])
        #expect(try await store.invariantViolations().isEmpty)
    }

    @Test("candidates come ordered by payer, each with its agreement", arguments: Backend.all)
    func candidates(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 5)
        let debits = try await debits(store)
        #expect(debits.map(\.payerID) == debits.map(\.payerID).sorted())
        #expect(debits.count == 5)
    }

    @Test("reserve numbers files per bank and day, in its own transaction", arguments: Backend.all)
    func batchNumbers(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 3)
        let debits = try await debits(store)
        let first = try await store.reserve(plan([[debits[0]], [debits[1]]]))
        let second = try await store.reserve(plan([[debits[2]]]))
        #expect((first + second).map(\.batchNo) == [1, 2, 3])
        #expect((first + second).map(\.name) == ["F1.txt", "F2.txt", "F3.txt"])
        #expect(try await store.allDebitFiles().map(\.state) == [.reserved, .reserved, .reserved])
    }

    @Test("a run's later part joins its batch, numbered on; another run's batch is refused", arguments: Backend.all)
    func partsJoinTheBatch(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 3)
        let debits = try await debits(store)
        let first = try await store.reserve(plan([[debits[0]]]))
        var later = plan([[debits[1]]])
        later.batchID = first[0].batchID
        let second = try await store.reserve(later)
        #expect(second.map(\.batchID) == [first[0].batchID])
        #expect(second.map(\.batchNo) == [2])
        var wrong = plan([[debits[2]]])
        wrong.batchID = first[0].batchID
        wrong.kind = .resubmit
        await #expect(throws: StoreError.self) { try await store.reserve(wrong) }
        wrong.kind = .cycle
        wrong.batchID = first[0].batchID + 100
        await #expect(throws: StoreError.self) { try await store.reserve(wrong) }
        #expect(try await store.allDebitFiles().count == 2)
    }

    @Test("a name pattern out of batch numbers reserves nothing", arguments: Backend.all)
    func batchNumbersExhausted(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 2)
        let debits = try await debits(store)
        await #expect(throws: StoreError.batchNumbersExhausted(bank: "BOC", fileDate: Self.date, needed: 2, limit: 1)) {
            try await store.reserve(plan([[debits[0]], [debits[1]]], maxBatchNo: 1))
        }
        #expect(try await store.allDebitFiles().isEmpty)
    }

    @Test("a due is reserved once; the second reservation conflicts and leaves nothing", arguments: Backend.all)
    func dueOnce(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 2)
        let debits = try await debits(store)
        _ = try await store.reserve(plan([[debits[0]]]))
        await #expect(throws: StoreError.self) { try await store.reserve(plan([[debits[1], debits[0]]], prefix: "G")) }
        #expect(try await store.allDebitFiles().map(\.name) == ["F1.txt"])
        #expect(try await store.invariantViolations().filter { if case .fileNotWritten = $0 { false } else { true } }.isEmpty)
    }

    @Test("a reserved, never-written file can be released: its dues are candidates again; a written one cannot", arguments: Backend.all)
    func release(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 3)
        let all = try await debits(store)
        func open() async throws -> [Int64] {
            var dues: [Int64] = []
            for try await candidate in store.dueCandidates(from: Self.december, through: Self.december, bank: nil) where candidate.state == .open {
                dues.append(candidate.dueID)
            }
            return dues
        }
        let reserved = try await store.reserve(plan([[all[0], all[1]], [all[2]]]))
        #expect(try await open().isEmpty, "every due is in a file")
        try await store.markWritten(fileID: reserved[1].id, digest: "00", byteCount: 1)
        let released = try await store.releaseReservedFile(id: reserved[0].id, actor: "王经办", reason: "name the bank cannot carry")
        #expect(released.name == "F1.txt" && released.count == 2 && released.total == Money(fen: 100_000))
        #expect(try await open() == (Array(all[0].dueIDs) + Array(all[1].dueIDs)).sorted(), "their dues are planned again")
        #expect(try await store.allDebitFiles().map(\.name) == ["F2.txt"])
        await #expect(throws: StoreError.self) { try await store.releaseReservedFile(id: reserved[1].id, actor: "t", reason: "x") }
        await #expect(throws: StoreError.notFound(Message(zh: "扣款文件 \(reserved[0].id)", en: "debit file \(reserved[0].id)"))) {
            try await store.releaseReservedFile(id: reserved[0].id, actor: "t", reason: "again")
        }
        // Journaled, and the store is whole: reserving the dues again works and numbers on.
        #expect(try await store.invariantViolations().isEmpty)
        let again = try await store.reserve(plan([[all[0], all[1]]], prefix: "G"))
        #expect(again.map(\.name) == ["G3.txt"], "numbers go on after the last one used: \(again.map(\.name))")
    }

    @Test("two writers reserving the same dues at once: exactly one wins", arguments: Backend.all)
    func twoWriters(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 20)
        let debits = try await debits(store)
        let results = await withTaskGroup(of: Bool.self) { group in
            for prefix in ["A", "B"] {
                group.addTask { (try? await store.reserve(plan([debits], prefix: prefix))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        let files = try await store.allDebitFiles()
        #expect(files.count == 1 && files[0].count == 20)
    }

    @Test("posting: results close debits once; the same file again changes nothing; a stale match conflicts", arguments: Backend.all)
    func posting(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 2)
        let reserved = try await store.reserve(plan([try await debits(store)]))
        let fileID = try #require(reserved.first).id
        let toMatch = try await store.debitsToMatch(fileID: fileID)
        #expect(toMatch.map(\.sequence) == [1, 2] && toMatch.allSatisfy { $0.result == nil })
        func line(_ n: Int, _ outcome: Outcome) -> ReturnLineInput {
            ReturnLineInput(lineNumber: n + 1, sequence: n, account: "", amount: Money(fen: 50_000), outcome: outcome, bankCode: "X",
                            bankText: "", bankSerial: "")
        }
        func posting(_ digest: String, _ lines: [ReturnLineInput]) -> ReturnFilePosting {
            let decisions = lines.map { l in LineDecision(debitID: toMatch.first { $0.sequence == l.sequence }?.id, posts: true, exception: nil) }
            return ReturnFilePosting(bank: "BOC", name: "F1.ret", digest: digest, debitFileID: fileID, declaredCount: lines.count,
                                     declaredTotal: Money(fen: 50_000 * Int64(lines.count)), lines: lines, decisions: decisions,
                                     summary: PostingSummary(), actor: "t")
        }
        guard case .posted(let summary) = try await store.post(posting("d1", [line(1, .succeeded)])) else {
            Issue.record("first posting must post")
            return
        }
        #expect(summary.returnFileID > 0)
        guard case .alreadyIngested(let id, _) = try await store.post(posting("d1", [line(1, .succeeded)])) else {
            Issue.record("the same digest again must change nothing")
            return
        }
        #expect(id == summary.returnFileID)
        #expect(try await store.postedReturnFile(debitFileID: fileID, digest: "d1")?.id == id)
        #expect(try await store.postedReturnFile(debitFileID: fileID + 1, digest: "d1") == nil, "keyed by the debit file it answers")
        // A matcher that still saw debit 1 pending: the store refuses the whole file.
        await #expect(throws: StoreError.self) { try await store.post(posting("d2", [line(1, .insufficientFunds), line(2, .succeeded)])) }
        let after = try await store.debitsToMatch(fileID: fileID)
        #expect(after.map(\.result) == [.succeeded, nil])
        let status = try #require(try await store.status(period: Self.december).first).totals
        #expect(status.succeeded == 1 && status.pending == 1 && status.failed == 0)
    }

    @Test("journal appends from many tasks at once stay one unbroken chain", arguments: Backend.all)
    func journalChain(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<40 {
                group.addTask { try await store.appendJournal(actor: "t\(n % 4)", action: "test", subject: "s\(n)", detail: "d") }
            }
            try await group.waitForAll()
        }
        #expect(try await store.invariantViolations().isEmpty)
    }

    @Test("failures come a page at a time: the ids in order, then the records of a page's ids", arguments: Backend.all)
    func failurePages(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 5)
        let reserved = try await store.reserve(plan([try await debits(store)]))
        let fileID = try #require(reserved.first).id
        let toMatch = try await store.debitsToMatch(fileID: fileID)
        // Lines 1, 3 and 5 fail; 2 and 4 succeed.
        let lines = toMatch.map { debit in
            ReturnLineInput(lineNumber: debit.sequence + 1, sequence: debit.sequence, account: "", amount: Money(fen: 50_000),
                            outcome: debit.sequence % 2 == 1 ? .insufficientFunds : .succeeded, bankCode: "X", bankText: "", bankSerial: "")
        }
        let posting = ReturnFilePosting(bank: "BOC", name: "F1.ret", digest: "d", debitFileID: fileID, declaredCount: lines.count,
                                        declaredTotal: Money(fen: 50_000 * Int64(lines.count)), lines: lines,
                                        decisions: toMatch.map { LineDecision(debitID: $0.id, posts: true, exception: nil) }, summary: PostingSummary(), actor: "t")
        _ = try await store.post(posting)
        let all = try await store.failures(FailureFilter(period: Self.december))
        let ids = try await store.failureIDs(FailureFilter(period: Self.december))
        #expect(ids.count == 3 && ids == all.map(\.debitID), "the same failures, in the same order")
        let page = try await store.failures(FailureFilter(period: Self.december, debitIDs: Array(ids.dropFirst())))
        #expect(page.map(\.debitID) == Array(ids.dropFirst()) && page == Array(all.dropFirst()))
        #expect(try await store.failures(FailureFilter(period: Self.december, debitIDs: [])).isEmpty, "an empty page is empty, not everything")
        #expect(try await store.failureIDs(FailureFilter(period: Self.december, bank: "ICBC")).isEmpty)
        #expect(try await store.failureIDs(FailureFilter(period: Self.december, outcome: .accountFrozen)).isEmpty)
        #expect(try await store.failureIDs(FailureFilter(period: Self.december, district: "武昌区")) == ids)
        #expect(try await store.failureIDs(FailureFilter(period: Self.december, street: "中华路街", community: "社区1")) == ids)
        #expect(try await store.failureIDs(FailureFilter(period: Self.december, community: "社区2")).isEmpty)
    }

    @Test("the journal reads newest first, filtered and paged; the ledger's version leaves the console's own entries out", arguments: Backend.all)
    func journalPages(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        for n in 1...7 {
            try await store.appendJournal(actor: n % 2 == 0 ? "张经办" : "李财务", action: n <= 4 ? "file.written" : "exception.resolve",
                                          subject: "s\(n)", detail: "d\(n)")
        }
        let first = try await store.journalEntries(JournalFilter(limit: 3))
        #expect(first.total == 7 && first.entries.map(\.subject) == ["s7", "s6", "s5"])
        let second = try await store.journalEntries(JournalFilter(limit: 3, offset: 6))
        #expect(second.entries.map(\.subject) == ["s1"])
        let files = try await store.journalEntries(JournalFilter(action: "file."))
        #expect(files.total == 4 && files.entries.allSatisfy { $0.action == "file.written" })
        let byActor = try await store.journalEntries(JournalFilter(actor: "张经办", action: "exception"))
        #expect(byActor.entries.map(\.subject) == ["s6"])
        #expect(try await store.journalEntries(JournalFilter(subject: "s3")).entries.map(\.detail) == ["d3"])
        #expect(try await store.journalEntries(JournalFilter(action: "%")).total == 0, "a filter is text, not a pattern")
        #expect(try await store.journalBreak() == nil)
        #expect(first.entries.first?.hash == (try await store.journalHead())?.hash)
        // The ledger's version leaves the console's own entries out.
        let version = try await store.ledgerVersion()
        #expect(version == 7)
        try await store.appendJournal(actor: "张经办", action: "console.download", subject: "x", detail: "")
        #expect(try await store.ledgerVersion() == version, "a download changes no figure")
        try await store.appendJournal(actor: "张经办", action: "exception.resolve", subject: "s8", detail: "")
        #expect(try await store.ledgerVersion() == 9)
    }

    @Test("an agreement change applies at the version it was decided on, else conflicts", arguments: Backend.all)
    func agreementVersions(_ backend: Backend) async throws {
        let store = try await seeded(backend, payers: 1)
        let payer = try #require(try await store.agreements(idNumber: IDNumber(stored: "420106199001010000")))
        let agreement = try #require(payer.agreements.first)
        let update = AgreementWrite(payerID: payer.payerID, action: .update(agreementID: agreement.id, version: agreement.version,
                                                                           account: BankAccount(stored: "6225760000000001"), accountName: "测0"),
                                    journalAction: "agreement.update", journalSubject: "x", journalDetail: "y")
        let after = try await store.apply(update, actor: "t")
        #expect(after.version == agreement.version + 1 && after.account.number == "6225760000000001")
        await #expect(throws: StoreError.self) { try await store.apply(update, actor: "t") }
        #expect(try await store.agreements(idNumber: IDNumber(stored: "110101199001010011")) == nil)
    }
}

/// The paged reads every backend streams with.
@Suite struct PagedSequenceTests {
    @Test func pagesAreReadOnlyAsTheyAreTakenAndGapsAreSkipped() async throws {
        final class Pages: @unchecked Sendable {  // one iterator, one task
            var served = 0
            let pages: [[Int]?] = [[1, 2], [], [3], nil]
        }
        let pages = Pages()
        let sequence = PagedSequence<Int> { { defer { pages.served += 1 }; return pages.pages[pages.served] } }
        var iterator = sequence.makeAsyncIterator()
        #expect(try await iterator.next() == 1)
        #expect(pages.served == 1, "one page read for the first element")
        var rest: [Int] = []
        while let value = try await iterator.next() { rest.append(value) }
        #expect(rest == [2, 3])
        #expect(try await iterator.next() == nil)
        #expect(pages.served == 4)
    }
}
