public import BankFormats
public import PikouCore
import Foundation
import PikouCrypto
public import ReconStore

/// Ingests the money after the bank: a bank's statements of the collection account and the
/// treasury's daily reconciliations. Each file is verified when its spec is signed, read whole
/// (any error refuses it: nothing recorded), matched by the pure rules (``StatementMatcher``,
/// ``TreasuryMatcher``) and recorded once by its digest.
public struct AfterBankIngest: Sendable {
    let store: any ReconStore
    let signing: SigningConfig
    /// The collection account at each bank (pikou.yaml's collector_account, the bank's own or the
    /// workspace's): a statement of another account is refused.
    let collectionAccount: @Sendable (String) -> String

    public init(store: any ReconStore, signing: SigningConfig, collectionAccount: @escaping @Sendable (String) -> String) {
        self.store = store
        self.signing = signing
        self.collectionAccount = collectionAccount
    }

    /// What ingesting one file did.
    public enum Outcome: Sendable {
        /// Recorded: the counts of lines in each state; and the file's bank and date.
        case recorded(bank: String, date: CivilDate, states: [String: Int])
        /// The same file was recorded before: nothing changed.
        case alreadyRecorded
        /// Refused whole, with every reason.
        case rejected([Diagnostic])
    }

    /// Reads, verifies and parses `path` with `spec`'s layout of `kind`; nil and the reasons when refused.
    func read(_ path: String, spec: BankSpec, kind: FileKind, certificateOf owner: String, today: CivilDate)
        throws -> (bytes: [UInt8], layout: Layout, parsed: ParsedFile)?
    {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        let layout = kind == .statement ? spec.statementLayout(for: bytes) ?? spec.returns : spec.layout(kind)
        let reader = FileReader(spec: spec, kind: kind, layout: layout)
        let detached = FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
        if spec.signature.isSigned {
            let certificate = try signing.returnCertificates(bank: owner, today: today)[0]
            return (bytes, layout, try reader.readVerified(bytes, detached: detached, certificate: certificate, fileName: path))
        }
        return (bytes, layout, reader.read(bytes, fileName: path))
    }

    static func refused(_ path: String, _ message: Message) -> Outcome {
        .rejected([Diagnostic(.error, .ingestRejected, file: path, Message(zh: message.zh + "；未记录任何一行", en: message.en + "; nothing recorded"))])
    }

    static func refusedWhole(_ path: String, _ parsed: ParsedFile) -> Outcome? {
        let fatal = parsed.refusingErrors
        guard !fatal.isEmpty else { return nil }
        return .rejected(fatal + [Diagnostic(.error, .ingestRejected, file: path, Message(zh: "整个文件拒收，未记录任何一行", en: "the file is rejected whole; nothing recorded"))])
    }

    /// The spec a statement of `bank` is read and written with: `format`'s layouts (the bank's own, or
    /// another's such as `ISO20022` for camt.053/054), signed as the bank signs its files, with the
    /// bank's key: detached (a `.sig` beside it) when the bank's own placement cannot go in that
    /// layout (a last line in an XML file, an XML signature in a text file).
    public static func statementSpec(bank: BankSpec, format: BankSpec?) -> BankSpec {
        guard let format, format.code != bank.code else { return bank }
        var spec = format
        spec.signature = bank.signature
        // The bank's own limits: a credit settles one of its debit files, whatever layout reads it.
        spec.maxRecordsPerFile = bank.maxRecordsPerFile
        spec.maxTotalPerFile = bank.maxTotalPerFile
        spec.maxAmountPerLine = bank.maxAmountPerLine
        let xml = format.statements.first?.xml != nil
        if bank.signature.isSigned, bank.signature.placement == .trailer ? xml : bank.signature.placement.isXML != xml {
            spec.signature.placement = .detached
            spec.signature.envelope = nil
        }
        return spec
    }

    /// Ingests `bank`'s statement (or credit notification) at `path`, read with `format`'s layouts
    /// (``statementSpec(bank:format:)``).
    public func ingestStatement(path: String, bank: String, format: BankSpec, actor: String, today: CivilDate = FileIO.todayInChina()) async throws -> Outcome {
        guard !format.statements.isEmpty else {
            return Self.refused(path, AfterBankCatalogue.noStatementLayout(format.code))
        }
        guard let (bytes, layout, parsed) = try read(path, spec: format, kind: .statement, certificateOf: bank, today: today) else {
            return Self.refused(path, Message(zh: "无法读取该文件", en: "cannot read the file"))
        }
        if let refused = Self.refusedWhole(path, parsed) { return refused }
        let expected = collectionAccount(bank)
        if let account = parsed.summary.collectorAccount, !account.isEmpty, !expected.isEmpty, account != expected {
            return Self.refused(path, AfterBankCatalogue.otherAccount(account, expected: expected))
        }
        guard let date = parsed.summary.fileDate ?? parsed.lines.compactMap(\.line.valueDate).max() else {
            return Self.refused(path, AfterBankCatalogue.noStatementDate)
        }
        var matcher = StatementMatcher(files: try await store.settlementFiles(bank: bank), layout: layout, bank: bank)
        let entries = matcher.match(parsed.lines, fileDate: date)
        let record = StatementRecord(
            bank: bank, format: format.code, name: (path as NSString).lastPathComponent, digest: Digest.hex(try Digest.hash(bytes, .sm3)),
            account: parsed.summary.collectorAccount ?? "", date: date, entries: entries)
        switch try await store.recordStatement(record, actor: actor) {
        case .recorded(let states): return .recorded(bank: bank, date: date, states: states)
        case .alreadyRecorded: return .alreadyRecorded
        }
    }

    /// Ingests the treasury's reconciliation at `path`, read with `authority`'s spec: its header names
    /// the bank and the day.
    public func ingestTreasury(path: String, authority: BankSpec, banks: Set<String>, actor: String, today: CivilDate = FileIO.todayInChina()) async throws -> Outcome {
        try await commitTreasury(try await prepareTreasury(path: path, authority: authority, banks: banks, today: today), actor: actor)
    }

    /// A treasury file read and matched, not yet recorded: what ``commitTreasury(_:actor:)`` keeps.
    public enum PreparedTreasury: Sendable {
        /// Refused, or nothing to record.
        case done(Outcome)
        case record(TreasuryRecord)
    }

    /// Reads, verifies and matches the treasury's file at `path` without writing anything: files of
    /// several banks are prepared side by side (each on a core of its own) and recorded in order.
    public func prepareTreasury(path: String, authority: BankSpec, banks: Set<String>, today: CivilDate = FileIO.todayInChina()) async throws -> PreparedTreasury {
        guard authority.isAuthority else { return .done(Self.refused(path, AfterBankCatalogue.notAuthority(authority.code))) }
        guard let (bytes, _, parsed) = try read(path, spec: authority, kind: .reconciliation, certificateOf: authority.code, today: today) else {
            return .done(Self.refused(path, Message(zh: "无法读取该文件", en: "cannot read the file")))
        }
        if let refused = Self.refusedWhole(path, parsed) { return .done(refused) }
        guard let bank = parsed.summary.bankCode, banks.contains(bank) else {
            return .done(Self.refused(path, AfterBankCatalogue.unknownTreasuryBank(parsed.summary.bankCode ?? "", known: banks.sorted())))
        }
        guard let date = parsed.summary.fileDate else { return .done(Self.refused(path, AfterBankCatalogue.noStatementDate)) }
        // (What it is matched against comes from the bank's results and refunds, which no treasury file changes.)
        let lines = TreasuryMatcher.match(parsed.lines, candidates: try await store.treasuryCandidates(bank: bank, date: date),
                                          refunds: try await store.treasuryRefunds(bank: bank, date: date))
        return .record(TreasuryRecord(
            authority: authority.code, bank: bank, name: (path as NSString).lastPathComponent, digest: Digest.hex(try Digest.hash(bytes, .sm3)),
            date: date, lines: lines, lineCount: parsed.lines.count, total: parsed.total ?? .zero))
    }

    /// Records a prepared treasury file (once by its digest); the latest recorded of a bank and day counts.
    public func commitTreasury(_ prepared: PreparedTreasury, actor: String) async throws -> Outcome {
        guard case .record(let record) = prepared else {
            if case .done(let outcome) = prepared { return outcome }
            return .alreadyRecorded
        }
        switch try await store.recordTreasury(record, actor: actor) {
        case .recorded(let states): return .recorded(bank: record.bank, date: record.date, states: states)
        case .alreadyRecorded: return .alreadyRecorded
        }
    }
}
