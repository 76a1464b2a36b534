public import BankFormats
import Foundation
public import PikouCore
import PikouCrypto
public import ReconStore

/// `pikou check`: every invariant of DESIGN.md, against the store and the files on disk.
public struct InvariantCheck: Sendable {
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]

    public init(workspace: Workspace, store: any ReconStore, specs: [String: BankSpec]) {
        self.workspace = workspace
        self.store = store
        self.specs = specs
    }

    /// Each violation, named; empty when every invariant holds. `anchors` are journal heads kept
    /// outside the workspace (a printed report, `pikou journal head`), checked with the
    /// workspace's own anchors file.
    public func violations(anchors outside: [(source: String, head: JournalHead)] = []) async throws -> [InvariantViolation] {
        // The files on disk are read beside the store (two cores: on a 2,000,000-payer city each
        // takes tens of seconds).
        async let files = returnFileViolations() + debitFileViolations()
        var violations = try await store.invariantViolations()
        // Each anchor names an entry that must still be there, with the same hash.
        for anchor in JournalAnchors(workspace: workspace).all().anchors + outside {
            let found = try await store.journalHash(entryID: anchor.head.entryID)
            if found != anchor.head.hash {
                violations.append(.anchorBroken(anchor: anchor.head.text, source: anchor.source, found: found.map { "sha256 \($0)" }))
            }
        }
        violations += try await files
        return violations
    }

    /// What the anchors cannot vouch for, to warn about (not a violation): each of `anchor_copies`
    /// that is not there, and the journal's entries after the newest anchor — written by a command
    /// still running or cut short, or appended outside Pikou (an anchor proves what came before it).
    public func anchorWarnings(anchors outside: [(source: String, head: JournalHead)] = []) async throws
        -> (missingCopies: [String], after: (newest: JournalHead, source: String, head: JournalHead)?) {
        let (kept, missing) = JournalAnchors(workspace: workspace).all()
        guard let newest = (kept + outside).max(by: { $0.head.entryID < $1.head.entryID }),
              let head = try await store.journalHead(), head.entryID > newest.head.entryID else { return (missing, nil) }
        return (missing, (newest.head, newest.source, head))
    }

    /// Every posted return file's archived copy: there, and the bytes that were posted; a
    /// cancellation's message in the outbox, as recorded and signed.
    func returnFileViolations() async throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        for returned in try await store.allReturnFiles() {
            if returned.isCancellation {
                // A cancellation with a cancel message: the message in the outbox, as recorded and signed.
                let message = workspace.outbox + "/" + returned.bank + "/" + returned.name
                if let spec = specs[returned.bank], spec.cancel != nil {
                    guard let data = FileManager.default.contents(atPath: message) else {
                        violations.append(.debitFileMissing(path: message))
                        continue
                    }
                    let bytes = [UInt8](data)
                    if Digest.hex(try Digest.hash(bytes, .sm3)) != returned.digest {
                        violations.append(.debitFileChanged(path: message))
                        continue
                    }
                    let parsed = try readBack(bytes, at: message, spec: spec, kind: .cancel)
                    if !parsed.isValid {
                        violations.append(.debitFileUnreadable(path: message, reason: parsed.diagnostics.map(\.description).joined(separator: "; ")))
                    }
                }
                continue
            }
            let path = workspace.archive + "/" + returned.digest + "-" + returned.name
            guard FileManager.default.fileExists(atPath: path) else {
                violations.append(.returnArchiveMissing(path: path))
                continue
            }
            if Digest.hex(try Digest.hash(fileAt: path, .sm3)) != returned.digest {
                violations.append(.returnArchiveChanged(path: path))
            }
            // A bank that signs in a separate file: the signature is kept with it.
            if let signature = specs[returned.bank]?.signature, signature.isSigned, signature.placement == .detached,
               !FileManager.default.fileExists(atPath: path + signature.detachedSuffix) {
                violations.append(.returnArchiveMissing(path: path + signature.detachedSuffix))
            }
        }
        return violations
    }

    /// Every written debit file on disk: same digest as recorded, signature valid, trailer totals
    /// equal the sum of its lines and the store's totals. One task per file, so that the files share
    /// the cores with the store's checks; the violations in the files' order.
    func debitFileViolations() async throws -> [InvariantViolation] {
        let files = try await store.allDebitFiles().filter { $0.state == .written }
        return try await withThrowingTaskGroup(of: (Int, [InvariantViolation]).self) { group in
            for (index, file) in files.enumerated() { group.addTask { (index, try self.violations(of: file)) } }
            var found: [(Int, [InvariantViolation])] = []
            for try await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// One written debit file's violations (``debitFileViolations()``).
    func violations(of file: StoredFile) throws -> [InvariantViolation] {
        let path = workspace.outbox + "/" + file.bank + "/" + file.name
        guard let data = FileManager.default.contents(atPath: path) else { return [.debitFileMissing(path: path)] }
        guard let spec = specs[file.bank] else { return [] }
        var violations: [InvariantViolation] = []
        let bytes = [UInt8](data)
        if let digest = file.digest, digest != Digest.hex(try Digest.hash(bytes, .sm3)) {
            violations.append(.debitFileChanged(path: path))
        }
        let parsed = try readBack(bytes, at: path, spec: spec, kind: .debit)
        if !parsed.isValid {
            return violations + [.debitFileUnreadable(path: path, reason: parsed.diagnostics.map(\.description).joined(separator: "; "))]
        }
        guard let total = parsed.total else { return violations + [.debitFileUnreadable(path: path, reason: "the lines add up past 64-bit fen")] }
        if parsed.lines.count != file.count || total != file.total {
            violations.append(.debitFileDisagrees(path: path, lines: parsed.lines.count, total: total, recordedLines: file.count, recordedTotal: file.total))
        }
        if let declared = parsed.summary.declaredTotal, declared != total {
            violations.append(.debitFileTrailerDisagrees(path: path, declared: declared, lines: total))
        }
        let seqs = parsed.lines.map(\.line.payerIDNumber)
        if Set(seqs).count != seqs.count { violations.append(.debitFilePayerTwice(path: path)) }
        return violations
    }

    /// One of our own files in the outbox (a debit file or a cancel message) read back as its bank
    /// would: its signature, beside it or inside it, checked with our certificate.
    func readBack(_ bytes: [UInt8], at path: String, spec: BankSpec, kind: FileKind) throws -> ParsedFile {
        let certificate = spec.signature.isSigned ? try workspace.signing.certificate(bank: spec.code, kind: kind) : nil
        let detached = FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
        return try FileReader(spec: spec, kind: kind).readVerified(bytes, detached: detached, certificate: certificate, fileName: path)
    }
}
