import Foundation
import PikouCore
import ReconStore
import Testing

/// Existing workspaces keep working: a store made by the first schema opens with today's code
/// (migrated in place) and answers exactly as it did.
@Suite struct StoreMigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/stores/v1")

    /// What the store answers, one stable line per fact.
    static func render(_ store: any ReconStore) async throws -> String {
        var lines: [String] = []
        let december = try Period(year: 2026, month: 12)
        for file in try await store.status(period: nil) {
            let s = file.totals
            lines.append("status \(file.bank) \(file.fileName) \(file.period) \(file.state) submitted \(s.submitted)/\(s.submittedFen) ok \(s.succeeded)/\(s.succeededFen) failed \(s.failed)/\(s.failedFen) pending \(s.pending)/\(s.pendingFen) exceptions \(s.exceptions)")
        }
        for f in try await store.failures(FailureFilter()) {
            lines.append("failure \(f.debitID) \(f.period) \(f.bank) \(f.fileName) \(f.idNumber.masked) \(f.amount) \(f.outcome) \(f.bankCode) attempts \(f.attempts) version \(f.agreementVersionAtDebit)/\(f.agreement.version) dues \(f.dues.map { "\($0.dueID):\($0.amount)\($0.paidElsewhere ? "*" : "")" }.joined(separator: ","))")
        }
        for r in try await store.report(period: december, by: .bank) {
            lines.append("report \(r.group) owing \(r.payersOwing)/\(r.owingFen) paid \(r.payersPaid)/\(r.paidFen) lines \(r.lines)/\(r.linesFen) ok \(r.succeeded)/\(r.succeededFen) failed \(r.failed)/\(r.failedFen) pending \(r.pending)/\(r.pendingFen)")
        }
        for e in try await store.exceptions(period: nil) { lines.append("exception \(e.bank) \(e.returnFile):\(e.line) \(e.kind) \(e.resolved)") }
        for v in try await store.invariantViolations() { lines.append("violation \(v)") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aV1StoreOpensAndAnswersAsBefore() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pikou-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent("pikou.sqlite"), to: folder.appendingPathComponent("pikou.sqlite"))
        let store = try await StoreLocation("pikou.sqlite", relativeTo: folder.path).open()
        let rendered = try await Self.render(store)
        let expectedPath = Self.fixture.appendingPathComponent("expected.txt")
        if ProcessInfo.processInfo.environment["PIKOU_RECORD"] == "1" {
            try rendered.write(to: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedPath, encoding: .utf8)
        #expect(rendered == expected)
        #expect(rendered.contains("failure "), "the fixture has failures to compare")
        #expect(rendered.contains("status ") && !rendered.contains("violation "))
    }
}
