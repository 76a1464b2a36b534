public import PikouCore
import ReconStore

/// The money after the bank: statements, the treasury's reconciliation, the four legs.
extension UseCases {
    public var afterBankIngest: AfterBankIngest {
        let workspace = workspace
        return AfterBankIngest(store: store, signing: workspace.signing, collectionAccount: { workspace.collector(for: $0).account })
    }

    /// Refunds end to end (退费): instruction files, the bank's results.
    public var refunds: Refunds {
        let workspace = workspace
        return Refunds(store: store, signing: workspace.signing, collector: { workspace.collector(for: $0) })
    }

    /// Payment certificates (缴费凭证), keyed by the workspace's certificate key.
    public var certificates: PaymentCertificates {
        PaymentCertificates(store: store, keyPath: workspace.directory + "/keys/certificate-hmac.key")
    }

    /// Each bank's four legs for `period`, judged.
    public func chainLegs(period: Period) async throws -> [ChainLegs] {
        try await store.afterBankLegs(period: period).map(ChainLegs.init)
    }

    /// The statement entries and treasury lines of `period` in an exception state.
    public func afterBankExceptions(period: Period) async throws -> [AfterBankException] {
        try await store.afterBankExceptions(period: period)
    }

    /// Records finance's review of an exception line (`S12`: statement entry 12, `T34`: treasury line 34).
    public func reviewAfterBank(_ subject: AfterBankException.Subject, id: Int64, note: String, actor: String) async throws -> Bool {
        try await store.reviewAfterBank(subject, id: id, note: note, actor: actor)
    }

    /// `bank`'s debit files with what they should bring and what statements credited so far.
    public func settlementFiles(bank: String) async throws -> [SettlementFile] { try await store.settlementFiles(bank: bank) }

    /// `bank`'s answered debits of the files collected on `date`.
    public func treasuryCandidates(bank: String, date: CivilDate) async throws -> [TreasuryCandidate] {
        try await store.treasuryCandidates(bank: bank, date: date)
    }

    /// The refunds `bank` paid in its refund files of `date` (what the treasury's file of that day lists as 退库).
    public func treasuryRefunds(bank: String, date: CivilDate) async throws -> [TreasuryRefund] {
        try await store.treasuryRefunds(bank: bank, date: date)
    }
}
