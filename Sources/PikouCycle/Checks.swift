public import BankFormats
import Foundation
import PikouCore
import PikouCrypto
public import ReconStore

/// `pikou check`: every invariant of DESIGN.md, against the store and the files on disk.
public struct InvariantCheck {
    public let workspace: Workspace
    public let store: any ReconStore
    public let specs: [String: BankSpec]

    public init(workspace: Workspace, store: any ReconStore, specs: [String: BankSpec]) {
        self.workspace = workspace
        self.store = store
        self.specs = specs
    }

    /// Each violation, named; empty when every invariant holds.
    public func violations() throws -> [String] {
        var violations = try store.invariantViolations()
        // Every written debit file on disk: same digest as recorded, signature valid, trailer totals
        // equal the sum of its lines and the store's totals.
        for file in try store.allDebitFiles() where file.status == "written" {
            let path = workspace.outbox + "/" + file.bank + "/" + file.name
            guard let data = FileManager.default.contents(atPath: path) else {
                violations.append("debit file \(path) is recorded as written but is not in the outbox")
                continue
            }
            guard let spec = specs[file.bank] else { continue }
            let bytes = [UInt8](data)
            if let digest = file.digest, digest != Digest.hex(try Digest.hash(bytes, .sm3)) {
                violations.append("debit file \(path) was changed after it was written: its SM3 digest differs from the store's")
            }
            let certificate = spec.signature.isSigned ? try workspace.signing.certificate(bank: file.bank, kind: .debit) : nil
            let detached = FileManager.default.contents(atPath: path + ".sig").map { [UInt8]($0) }
            let parsed = try FileReader(spec: spec, kind: .debit).readVerified(bytes, detached: detached, certificate: certificate, fileName: path)
            if !parsed.isValid {
                violations.append("debit file \(path) does not read back cleanly: " + parsed.diagnostics.map(\.description).joined(separator: "; "))
                continue
            }
            if parsed.lines.count != file.count || parsed.total != file.total {
                violations.append("debit file \(path) holds \(parsed.lines.count) lines, \(parsed.total) yuan; the store recorded \(file.count) lines, \(file.total) yuan")
            }
            if let declared = parsed.summary.declaredTotal, declared != parsed.total {
                violations.append("debit file \(path): its trailer says \(declared) yuan, its lines \(parsed.total) yuan")
            }
            let seqs = parsed.lines.map(\.line.payerIDNumber)
            if Set(seqs).count != seqs.count { violations.append("debit file \(path) has a payer twice") }
        }
        return violations
    }
}
