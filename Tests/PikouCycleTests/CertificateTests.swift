import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// 缴费凭证 (issue 35, item 5): a payer's certificate lists their succeeded debits with the treasury's
/// booking number once matched; its code verifies against the ledger as it is, and no other code
/// does — a changed letter, another workspace's key, a forged one naming a real payer.
@Suite struct CertificateTests {
    @Test(arguments: TestBackend.all) func aCertificatesCodeVerifiesAndNothingElseDoes(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace.month(backend: backend, payers: 30, failRate: 0.2)
        let december = try Period("2026-12")
        let certificates = ws.useCases.certificates
        // The first payer with a succeeded debit in December.
        var found: (CertificatePayer, PaymentCertificate)?
        for id in Int64(1)...30 where found == nil {
            guard let payer = try await ws.store.certificatePayer(idNumber: nil, id: id) else { continue }
            if let certificate = try? await certificates.issue(idNumber: payer.idNumber, scope: .period(december)) { found = (payer, certificate) }
        }
        let (payer, certificate) = try #require(found)
        #expect(certificate.entries.allSatisfy { $0.voucher == nil }, "before the treasury's file: 待国库对账")
        #expect(certificate.code.count == 34 && certificate.code.split(separator: "-").count == 7, "\(certificate.code)")
        guard case .valid(let again) = try await certificates.verify(certificate.code.lowercased().replacingOccurrences(of: "-", with: "")) else {
            Issue.record("its own code, typed in lower case without hyphens, did not verify")
            return
        }
        #expect(again == certificate)
        // One letter changed, a code naming the payer with another MAC, and the year: none verifies.
        var letters = Array(certificate.code)
        letters[letters.count - 1] = letters.last == "0" ? "1" : "0"
        if case .valid = try await certificates.verify(String(letters)) { Issue.record("a changed code verified") }
        if case .valid = try await certificates.verify("not a code") { Issue.record("garbage verified") }
        let year = try #require(try await certificates.issue(idNumber: payer.idNumber, scope: .year(2026)))
        #expect(year.code != certificate.code && year.entries == certificate.entries)
        // The page: the name, the ID masked, the code; nothing loaded from outside.
        let page = CertificatePrint.html(certificate, bankName: { $0 }, issued: TestWorkspace.fileDate)
        #expect(page.contains(certificate.code) && page.contains(payer.idNumber.masked) && !page.contains(payer.idNumber.value) && !page.contains("http"))
        // Another workspace's key: the same ledger's code does not verify there.
        let other = PaymentCertificates(store: ws.store, keyPath: try temporaryDirectory() + "/other.key")
        _ = try await other.issue(idNumber: payer.idNumber, scope: .period(december))
        if case .valid = try await other.verify(certificate.code) { Issue.record("a code verified under another key") }
        #expect((try FileManager.default.attributesOfItem(atPath: ws.workspace.directory + "/keys/certificate-hmac.key")[.posixPermissions] as? Int) == 0o600)
        // The treasury books the debit: the certificate now carries its voucher, and the old code, made
        // over the ledger before, no longer verifies (issue it again).
        let entry = try #require(certificate.entries.first)
        let authority = try ws.workspace.formats.authority("TIPSX")
        let written = try AfterBankSimulator(signing: ws.workspace.signing).treasury(
            authority: authority, bank: entry.bank, collector: ws.workspace.collector(for: entry.bank).code, date: entry.collectionDate,
            candidates: try await ws.useCases.treasuryCandidates(bank: entry.bank, date: entry.collectionDate), twists: .init(), outputDirectory: try temporaryDirectory())
        _ = try await ws.useCases.afterBankIngest.ingestTreasury(path: written.path, authority: authority, banks: Set(ws.specs.keys), actor: "t", today: entry.collectionDate)
        if case .valid = try await certificates.verify(certificate.code) { Issue.record("a code made before the ledger changed still verified") }
        let booked = try #require(try await certificates.issue(idNumber: payer.idNumber, scope: .period(december)))
        #expect(booked.entries.allSatisfy { $0.voucher?.hasPrefix("TV") == true } && booked.code != certificate.code)
        guard case .valid = try await certificates.verify(booked.code) else { Issue.record("the new code did not verify"); return }
    }

    @Test func codesReadAloudSurviveTheirTypos() {
        let bytes: [UInt8] = (0..<17).map { UInt8($0 * 15 % 256) }
        let code = CrockfordBase32.grouped(CrockfordBase32.encode(bytes))
        #expect(CrockfordBase32.decode(code) == bytes)
        #expect(CrockfordBase32.decode(code.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")) == bytes)
        #expect(CrockfordBase32.decode("U") == nil, "U is not in the alphabet")
    }
}
