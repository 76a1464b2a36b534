import Foundation
import PikouCore
import PikouCrypto
import ReconStore

/// A debit file as written or a return file as archived, read back for a download.
public struct BankFileCopy: Sendable {
    public var bank: String
    public var name: String
    public var bytes: [UInt8]

}

extension UseCases {
    public enum BankFileKind: String, Sendable, CaseIterable { case debit, `return` }

    /// The debit file `id` as written (`.debit`) or the return file `id` as posted and archived
    /// (`.return`). Files are found by the store's id, never by a path a caller gives, and read only
    /// when their bytes still have the digest the store recorded.
    ///
    /// - Returns: nil for an unknown id or a debit file not written yet.
    /// - Throws: ``BankFileCopy/Unavailable`` when the copy on disk is gone or changed (`pikou check` says more).
    public func bankFile(_ kind: BankFileKind, id: Int64) async throws -> BankFileCopy? {
        let (bank, name, path, digest): (String, String, String, String?)
        switch kind {
        case .debit:
            guard let file = try await store.allDebitFiles().first(where: { $0.id == id }), file.state == .written else { return nil }
            (bank, name, digest) = (file.bank, file.name, file.digest)
            path = workspace.outbox + "/" + file.bank + "/" + file.name
        case .return:
            guard let file = try await store.allReturnFiles().first(where: { $0.id == id }) else { return nil }
            (bank, name, digest) = (file.bank, file.name, file.digest)
            // A cancellation's file is the cancel message it sent, in the outbox.
            path = file.isCancellation ? workspace.outbox + "/" + file.bank + "/" + file.name : workspace.archive + "/" + file.digest + "-" + file.name
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PikouError("file.unavailable", Message(zh: "工作区中已没有 \(bank)/\(name)；请运行 `pikou check`",
                                                         en: "\(bank)/\(name) is gone from the workspace; run `pikou check`"))
        }
        let bytes = [UInt8](data)
        guard let digest else {
            throw PikouError("file.unavailable", Message(zh: "对账库中没有 \(bank)/\(name) 的摘要记录；请运行 `pikou check`",
                                                         en: "\(bank)/\(name) has no digest on record; run `pikou check`"))
        }
        if Digest.hex(try Digest.hash(bytes, .sm3)) != digest {
            throw PikouError("file.unavailable", Message(zh: "\(bank)/\(name) 与对账库记录的文件不符；请运行 `pikou check`",
                                                         en: "\(bank)/\(name) is not the file the store recorded; run `pikou check`"))
        }
        return BankFileCopy(bank: bank, name: name, bytes: bytes)
    }
}
