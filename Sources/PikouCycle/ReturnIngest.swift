public import BankFormats
public import PikouCore
public import Foundation
import PikouCrypto
public import ReconStore

/// Ingests a bank's return file: verify signature → parse → check totals → match each line to its
/// debit → post in one transaction, raising exceptions for what does not match. A file that fails
/// verification, parsing or its totals is rejected whole; the same file twice is a no-op.
public struct ReturnIngest {
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]

    /// What happened to one file.
    public enum Outcome: Sendable {
        case posted(bank: String, debitFile: String, summary: PostingSummary)
        case alreadyIngested(bank: String, at: Date)
        /// Rejected whole: nothing posted.
        case rejected([Diagnostic])
    }

    public init(workspace: Workspace, store: any ReconStore, specs: [String: BankSpec]) {
        self.workspace = workspace
        self.store = store
        self.specs = specs
    }

    /// Ingests the return file at `path`.
    ///
    /// - Parameters:
    ///   - bank: The bank; default: the folder's name (inbox/<BANK>/) or the bank whose debit file expects this name.
    ///   - debitFileName: The debit file it answers, when its name does not say.
    public func ingest(path: String, bank explicitBank: String?, debitFileName: String?, actor: String, allowExpired: Bool = false) async throws -> Outcome {
        func reject(_ message: String, code: Diagnostic.Code = .ingestRejected, line: Int? = nil) -> Outcome {
            .rejected([Diagnostic(.error, code, file: path, line: line, message + "; nothing posted")])
        }
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else { return reject("cannot read the file") }
        let bytes = [UInt8](data)
        // Which bank and which debit file.
        var candidates: [String]
        if let explicitBank {
            candidates = [explicitBank]
        } else {
            let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent.uppercased()
            candidates = specs[folder] != nil ? [folder] : specs.keys.sorted()
        }
        var found: (String, StoredFile)?
        for code in candidates {
            let file: StoredFile?
            if let debitFileName {
                file = try await store.debitFile(bank: code, name: debitFileName)
            } else {
                file = try await store.debitFile(bank: code, returnName: name)
            }
            if let file { found = (code, file); break }
        }
        guard let (bank, debitFile) = found else {
            return reject("no debit file of \(candidates.joined(separator: "/")) expects a return file named \(name) (give --debit-file NAME)")
        }
        guard let spec = specs[bank] else { return reject("bank \(bank) is not enabled") }
        // Verify and parse; any error rejects the whole file.
        let certificate: Certificate?
        if spec.signature.isSigned {
            let loaded = try workspace.signing.certificate(bank: bank, kind: .return)
            try loaded.checkValidity(allowExpired: allowExpired)
            certificate = loaded
        } else {
            certificate = nil
        }
        let detached = FileManager.default.contents(atPath: path + ".sig").map { [UInt8]($0) }
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(bytes, detached: detached, certificate: certificate, fileName: path)
        let lineLevel: Set<Diagnostic.Code> = [.unmappedResultCode, .duplicateSequence]
        let fatal = parsed.diagnostics.filter { $0.severity == .error && !lineLevel.contains($0.code) }
        if !fatal.isEmpty {
            return .rejected(fatal + [Diagnostic(.error, .ingestRejected, file: path, "the file is rejected whole; nothing posted")])
        }
        let digest = Digest.hex(try Digest.hash(bytes, .sm3))
        // Keep the raw file (and its signature) by digest before posting.
        try FileManager.default.createDirectory(atPath: workspace.archive, withIntermediateDirectories: true)
        let archived = workspace.archive + "/" + digest + "-" + name
        if !FileManager.default.fileExists(atPath: archived) {
            try FileIO.writeAtomically(bytes, to: archived)
            if let detached { try FileIO.writeAtomically(detached, to: archived + ".sig") }
        }
        let lines = parsed.lines.map { parsedLine in
            ReturnLineInput(
                lineNumber: parsedLine.lineNumber, sequence: parsedLine.line.sequence, account: parsedLine.line.account,
                amount: parsedLine.line.amount, outcome: parsedLine.outcome ?? .unknown, bankCode: parsedLine.line.resultCode,
                bankText: parsedLine.line.resultText, bankSerial: parsedLine.line.bankSerial)
        }
        if let earlier = try await store.postedReturnFile(bank: bank, digest: digest) { return .alreadyIngested(bank: bank, at: earlier.at) }
        // Match against the debits as they stand, then post; if another ingest closed one of them in
        // between, the store refuses the whole file and it is matched again against the new state.
        var attempt = 1
        while true {
            let match = try ReturnMatcher.match(lines, against: try await store.debitsToMatch(fileID: debitFile.id))
            let posting = ReturnFilePosting(
                bank: bank, name: name, digest: digest, debitFileID: debitFile.id, declaredCount: parsed.summary.declaredCount,
                declaredTotal: parsed.summary.declaredTotal, lines: lines, decisions: match.decisions, summary: match.summary, actor: actor)
            do {
                switch try await store.post(posting) {
                case .alreadyIngested(_, let at): return .alreadyIngested(bank: bank, at: at)
                case .posted(let summary): return .posted(bank: bank, debitFile: debitFile.name, summary: summary)
                }
            } catch StoreError.conflict where attempt < 3 {
                attempt += 1
            }
        }
    }
}

extension Diagnostic.Code {
    public static let ingestRejected = Self(rawValue: "ingest.rejected")
}
