public import BankFormats
public import PikouCore
public import Foundation
import PikouCrypto
public import ReconStore

/// Ingests a bank's return file: verify signature → parse → check totals → match each line to its
/// debit → post in one transaction, raising exceptions for what does not match. A file that fails
/// verification, parsing or its totals is rejected whole; the same file twice is a no-op.
public struct ReturnIngest: Sendable {
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
        FileIO.removeLeftoversOfDeadWriters(in: workspace.archive)
        switch try await prepare(path: path, bank: explicitBank, debitFileName: debitFileName, allowExpired: allowExpired) {
        case .decided(let outcome): return outcome
        case .ready(let file): return try await post(file, actor: actor)
        }
    }

    /// Ingests `paths` in order, handing each file's outcome (or error) to `each` as it is decided.
    ///
    /// The next file is verified and parsed (the CPU-heavy part, on its own task) while this one is
    /// archived, matched and posted; files are posted one at a time, in the order given, as
    /// `ingest(path:)` would.
    public func ingest(
        paths: [String], bank explicitBank: String?, debitFileName: String?, actor: String, allowExpired: Bool = false,
        each: (String, Result<Outcome, any Error>) async throws -> Void
    ) async throws {
        // Temporary files a killed run left in the archive.
        FileIO.removeLeftoversOfDeadWriters(in: workspace.archive)
        func preparing(_ path: String) -> Task<Prepared, any Error> {
            Task { try await prepare(path: path, bank: explicitBank, debitFileName: debitFileName, allowExpired: allowExpired) }
        }
        var next = paths.first.map(preparing)
        defer { next?.cancel() }
        for (index, path) in paths.enumerated() {
            guard let current = next else { break }
            next = index + 1 < paths.count ? preparing(paths[index + 1]) : nil
            let result: Result<Outcome, any Error>
            do {
                switch try await current.value {
                case .decided(let outcome): result = .success(outcome)
                case .ready(let file): result = .success(try await post(file, actor: actor))
                }
            } catch {
                result = .failure(error)
            }
            try await each(path, result)
        }
    }

    /// A return file read, verified and parsed, or already decided (rejected, or ingested before).
    enum Prepared: Sendable {
        case ready(VerifiedReturn)
        case decided(Outcome)
    }

    /// What posting a verified return file needs.
    struct VerifiedReturn: Sendable {
        var path: String
        var name: String
        var bank: String
        var debitFile: StoredFile
        var bytes: [UInt8]
        var detached: [UInt8]?
        var digest: String
        var declaredCount: Int?
        var declaredTotal: Money?
        var lines: [ReturnLineInput]
    }

    /// Reads, identifies, verifies and parses the file at `path` (reads the store; writes nothing).
    func prepare(path: String, bank explicitBank: String?, debitFileName: String?, allowExpired: Bool) async throws -> Prepared {
        func reject(_ message: Message, code: Diagnostic.Code = .ingestRejected, line: Int? = nil) -> Prepared {
            let said = Message(zh: message.zh + "；未入账任何一行", en: message.en + "; nothing posted")
            return .decided(.rejected([Diagnostic(.error, code, file: path, line: line, said)]))
        }
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else { return reject(Message(zh: "无法读取该文件", en: "cannot read the file")) }
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
            let banks = candidates.joined(separator: "/")
            return reject(Message(zh: "\(banks) 没有哪个扣款文件对应名为 \(name) 的回盘文件（请用 --debit-file 指定扣款文件名）",
                                  en: "no debit file of \(banks) expects a return file named \(name) (give --debit-file NAME)"))
        }
        guard let spec = specs[bank] else { return reject(Message(zh: "\(bank) 银行未启用", en: "bank \(bank) is not enabled")) }
        // Verify and parse; any error rejects the whole file.
        let certificate: Certificate?
        if spec.signature.isSigned {
            // The newest certificate in force, or an earlier one the file verifies with (a bank that
            // changed its key may answer a file sent before with the old one).
            let trusted = try workspace.signing.returnCertificates(bank: bank, today: FileIO.todayInChina())
            var loaded = trusted[0]
            if trusted.count > 1 {
                let detached = FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
                for candidate in trusted {
                    if case .success? = try? FileSignature.verify(bytes, detached: detached, spec: spec, certificate: candidate, fileName: path) {
                        loaded = candidate
                        break
                    }
                }
            }
            try loaded.checkValidity(allowExpired: allowExpired)
            certificate = loaded
        } else {
            certificate = nil
        }
        let detached = FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
        let parsed = try FileReader(spec: spec, kind: .return).readVerified(bytes, detached: detached, certificate: certificate, fileName: path)
        let fatal = parsed.refusingErrors
        if !fatal.isEmpty {
            let whole = Message(zh: "整个文件拒收，未入账任何一行", en: "the file is rejected whole; nothing posted")
            return .decided(.rejected(fatal + [Diagnostic(.error, .ingestRejected, file: path, whole)]))
        }
        let digest = Digest.hex(try Digest.hash(bytes, .sm3))
        let lines = parsed.lines.map { parsedLine in
            ReturnLineInput(
                lineNumber: parsedLine.lineNumber, sequence: parsedLine.line.sequence, account: parsedLine.line.account,
                amount: parsedLine.line.amount, outcome: parsedLine.outcome ?? .unknown, bankCode: parsedLine.line.resultCode,
                bankText: parsedLine.line.resultText, bankSerial: parsedLine.line.bankSerial, idNumber: parsedLine.line.payerIDNumber)
        }
        return .ready(VerifiedReturn(
            path: path, name: name, bank: bank, debitFile: debitFile, bytes: bytes, detached: detached, digest: digest,
            declaredCount: parsed.summary.declaredCount, declaredTotal: parsed.summary.declaredTotal, lines: lines))
    }

    /// Archives a verified return file by its digest, then matches and posts it.
    func post(_ file: VerifiedReturn, actor: String) async throws -> Outcome {
        // Keep the raw file and its signature by digest before posting, each on its own: a run killed
        // between the two leaves one of them, and the next run writes the other.
        try FileIO.makePrivateDirectory(workspace.archive)
        let archived = workspace.archive + "/" + file.digest + "-" + file.name
        if !FileManager.default.fileExists(atPath: archived) { try FileIO.writeAtomically(file.bytes, to: archived) }
        let suffix = specs[file.bank]?.signature.detachedSuffix ?? ".sig"
        if let detached = file.detached, !FileManager.default.fileExists(atPath: archived + suffix) {
            try FileIO.writeAtomically(detached, to: archived + suffix)
        }
        if let earlier = try await store.postedReturnFile(debitFileID: file.debitFile.id, digest: file.digest) {
            return .alreadyIngested(bank: file.bank, at: earlier.at)
        }
        // Match against the debits as they stand, then post; if another ingest closed one of them in
        // between, the store refuses the whole file and it is matched again against the new state.
        var attempt = 1
        while true {
            let match = try ReturnMatcher.match(file.lines, against: try await store.debitsToMatch(fileID: file.debitFile.id))
            let posting = ReturnFilePosting(
                bank: file.bank, name: file.name, digest: file.digest, debitFileID: file.debitFile.id, declaredCount: file.declaredCount,
                declaredTotal: file.declaredTotal, lines: file.lines, decisions: match.decisions, summary: match.summary, actor: actor)
            do {
                switch try await store.post(posting) {
                case .alreadyIngested(_, let at): return .alreadyIngested(bank: file.bank, at: at)
                case .posted(let summary): return .posted(bank: file.bank, debitFile: file.debitFile.name, summary: summary)
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
