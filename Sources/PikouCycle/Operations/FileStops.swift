public import BankFormats
import Foundation
public import PikouCore
import PikouCrypto
import ReconStore

/// Stopping a debit file before its bank runs it (止付/撤销), and undoing an ingest.
extension UseCases {
    /// A cancelled debit file, and the cancel message written for its bank (where its spec has one).
    public struct Cancellation: Sendable {
        public var cancelled: CancelledFile
        /// The cancel message in the outbox, to send to the bank like a debit file.
        public var messagePath: String?
    }

    /// Cancels the written debit file `bank/name` before the bank runs it: its debits close
    /// `cancelled` (their dues go to the next batch or resubmission), the bank's cancel message is
    /// written and signed into the outbox where its spec has one, and a return the bank sends anyway
    /// becomes exceptions. Journaled with `reason`.
    ///
    /// The message is written before the store records the cancellation: a crash between the two
    /// leaves a message on disk that the store does not know (so `pikou send` leaves it), and the
    /// command run again writes the same message and records it.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown file; ``StoreError/conflict(_:)`` for a
    ///   file never written, cancelled already, or answered by its bank.
    public func cancelFile(bank: String, name: String, reason: String, specs: [String: BankSpec], actor: String) async throws -> Cancellation {
        guard let file = try await store.debitFile(bank: bank, name: name) else {
            throw StoreError.notFound(Message(zh: "扣款文件 \(bank)/\(name)", en: "debit file \(bank)/\(name)"))
        }
        var recordName = name + ".cancelled"
        var digest = Digest.hex(try Digest.hash(Array("cancel \(file.digest ?? name)\n\(reason)".utf8), .sm3))
        var messagePath: String?
        // The message only for a file the store will let go: nothing answers it yet (the store
        // refuses the rest with the reason, and no message is left to send).
        let answered = try await store.allReturnFiles().contains { $0.debitFileID == file.id }
        if file.state == .written, !answered, let spec = specs[bank], spec.cancel != nil,
           let contents = try await store.fileContents(id: file.id) {
            let key = spec.signature.isSigned ? try workspace.signing.signingKey(bank: bank, kind: .cancel) : nil
            let rendered = try FileBatcher.render(contents, spec: spec, key: key, kind: .cancel)
            recordName = FileWriter(spec: spec, kind: .cancel).fileName(context: FileBatcher.context(of: contents))
            guard FileIO.isPlainName(recordName), FileIO.isPlainName(bank) else {
                throw PikouError("cycle.refused", Message(
                    zh: "\(bank) 的撤销报文将被命名为 '\(recordName)'，不是普通文件名：请检查该行格式定义中的 'file_name' 模式",
                    en: "\(bank)'s cancel message would be named '\(recordName)', not a plain file name: check the bank's file_name pattern"))
            }
            let path = workspace.outbox + "/" + bank + "/" + recordName
            try FileIO.makePrivateDirectory(workspace.outbox + "/" + bank)
            if let detached = rendered.signed.detached { try FileIO.writeAtomically(detached, to: path + spec.signature.detachedSuffix) }
            try FileIO.writeAtomically(rendered.signed.file, to: path)
            digest = Digest.hex(try Digest.hash(rendered.signed.file, .sm3))
            messagePath = path
        }
        let cancelled = try await store.cancelWrittenFile(id: file.id, FileCancellation(actor: actor, reason: reason, recordName: recordName, digest: digest))
        return Cancellation(cancelled: cancelled, messagePath: messagePath)
    }

    /// Undoes the ingest of the return file `bank/name` while nothing depends on it (see
    /// ``ReconStore/undoReturnFile(id:actor:reason:)``): the debits it closed are pending again and
    /// the same file, or the bank's corrected one, may be ingested. The archived copy stays.
    ///
    /// - Throws: ``StoreError/notFound(_:)``; ``StoreError/conflict(_:)`` naming what depends on it,
    ///   or when the name was ingested against several debit files (give `debitFile`).
    public func undoIngest(bank: String, name: String, debitFile: String?, reason: String, actor: String) async throws -> UndoneReturn {
        var found = try await store.returnFiles(bank: bank, name: name).filter { !$0.isCancellation }
        if let debitFile {
            guard let file = try await store.debitFile(bank: bank, name: debitFile) else {
                throw StoreError.notFound(Message(zh: "扣款文件 \(bank)/\(debitFile)", en: "debit file \(bank)/\(debitFile)"))
            }
            found = found.filter { $0.debitFileID == file.id }
        }
        guard let returned = found.last else {
            throw StoreError.notFound(Message(zh: "已入账的回盘文件 \(bank)/\(name)", en: "a posted return file \(bank)/\(name)"))
        }
        guard found.count == 1 else {
            throw StoreError.conflict(Message(zh: "\(bank)/\(name) 已对应 \(found.count) 个扣款文件入账：请用 --debit-file 指定是哪一个",
                                              en: "\(bank)/\(name) was ingested against \(found.count) debit files: say which with --debit-file"))
        }
        return try await store.undoReturnFile(id: returned.id, actor: actor, reason: reason)
    }
}
