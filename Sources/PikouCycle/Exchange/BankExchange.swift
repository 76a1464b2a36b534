import BankFormats
import Foundation
public import PikouCore
import PikouCrypto
public import ReconStore

/// Sending written files to the banks and fetching their return files, over each bank's SFTP server
/// (``SFTPConfig``), through the OpenSSH client.
///
/// - `send`: every debit file written and every cancel message, not sent before, is uploaded to the
///   bank's `outbox` folder under a temporary name and renamed (never over a file already there),
///   then recorded in the store with its digest. A file whose bytes differ from what the store
///   recorded is not sent; a file sent once is never sent again; a debit file cancelled before it
///   was sent is never sent (nor its cancel message).
/// - `fetch`: every file in the bank's `inbox` folder is downloaded into `inbox/<BANK>/` and recorded
///   by its digest; a file already fetched with the same bytes is left; a different file under a
///   name the local inbox holds already is refused, never overwritten.
public struct BankExchange: Sendable {
    public let workspace: Workspace
    let store: any ReconStore

    public init(workspace: Workspace, store: any ReconStore) {
        self.workspace = workspace
        self.store = store
    }

    /// What one bank's exchange did.
    public struct Report: Sendable {
        public var bank: String
        public var server: String
        /// Files sent or fetched now (paths in the workspace).
        public var moved: [String] = []
        /// Files already sent or fetched before.
        public var already = 0
        /// Files left, and why (a cancelled file never sent, a changed file, a name taken).
        public var skipped: [(name: String, why: Message)] = []
        /// Files that could not be moved, and why; the others went on.
        public var failed: [(name: String, why: Message)] = []
    }

    /// Why a file could not be moved, in both languages: an exchange's own words, or the failure's
    /// message and fix (a file gone, a digest that cannot be taken, the store).
    static func why(_ error: any Error) -> Message {
        if let error = error as? ExchangeError { return error.message }
        let failure = PikouError(error)
        guard let fix = failure.fix else { return failure.message }
        return Message(zh: failure.message.zh + "\n" + fix.zh, en: failure.message.en + "\n" + fix.en)
    }

    /// The banks with an SFTP server (of `bank`, when given).
    ///
    /// - Throws: ``ExchangeError`` when `bank` has none.
    public func servers(bank: String?) throws(ExchangeError) -> [SFTPConfig] {
        if let bank {
            guard let config = workspace.sftp[bank] else {
                throw ExchangeError(.setup, Message(zh: "\(workspace.configPath) 中没有为 \(bank) 配置 SFTP 服务器（'banks.\(bank).sftp'）",
                                                    en: "\(bank) has no SFTP server in \(workspace.configPath) (banks.\(bank).sftp)"))
            }
            return [config]
        }
        let all = workspace.sftp.keys.sorted().compactMap { workspace.sftp[$0] }
        guard !all.isEmpty else {
            throw ExchangeError(.setup, Message(zh: "\(workspace.configPath) 中没有任何银行配置了 SFTP 服务器（'banks.<银行代码>.sftp'）",
                                                en: "no bank has an SFTP server in \(workspace.configPath) (banks.<CODE>.sftp)"))
        }
        return all
    }

    func scratch() throws -> String {
        let folder = workspace.directory + "/.exchange"
        try FileIO.makePrivateDirectory(folder)
        return folder
    }

    /// Uploads what `config`'s bank has not been sent yet.
    public func send(_ config: SFTPConfig, actor: String, each: (String) -> Void = { _ in }) async throws -> Report {
        var report = Report(bank: config.bank, server: config.server)
        let client = try SFTPClient(config: config, scratch: try scratch())
        let transfers = try await store.transfers(bank: config.bank)
        let sent = Set(transfers.filter { $0.direction == .sent }.map { "\($0.name)\u{1F}\($0.digest)" })
        let sentNames = Set(transfers.filter { $0.direction == .sent }.map(\.name))
        let files = try await store.allDebitFiles().filter { $0.bank == config.bank && $0.state == .written }
        let cancellations = try await store.allReturnFiles().filter { $0.bank == config.bank && $0.isCancellation }
        let cancelled = Set(cancellations.map(\.debitFileID))
        // Cancel messages first: a bank must hear of a stop before it gets the next run's files.
        var queue: [(name: String, digest: String)] = []
        var filesToSend: [(name: String, digest: String)] = []
        for file in files {
            guard let digest = file.digest else { continue }
            if sent.contains("\(file.name)\u{1F}\(digest)") { report.already += 1; continue }
            if cancelled.contains(file.id) {
                report.skipped.append((file.name, Message(zh: "发送前已撤销", en: "cancelled before it was sent")))
                continue
            }
            filesToSend.append((file.name, digest))
        }
        for cancellation in cancellations {
            let path = workspace.outbox + "/" + config.bank + "/" + cancellation.name
            guard FileManager.default.fileExists(atPath: path) else { continue }  // no cancel message: told otherwise
            if sent.contains("\(cancellation.name)\u{1F}\(cancellation.digest)") { report.already += 1; continue }
            guard let debit = files.first(where: { $0.id == cancellation.debitFileID }), sentNames.contains(debit.name) else {
                report.skipped.append((cancellation.name, Message(zh: "对应的扣款文件从未发送，无需撤销",
                                                                  en: "its debit file was never sent, so there is nothing to stop")))
                continue
            }
            queue.append((cancellation.name, cancellation.digest))
        }
        queue += filesToSend
        for (name, digest) in queue {
            let path = workspace.outbox + "/" + config.bank + "/" + name
            do {
                guard FileIO.isPlainName(name), SFTPConfig.isPlain(path) else { throw ExchangeError(.setup, Self.notPlain) }
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ExchangeError(.setup, Message(zh: "\(path) 已不存在（请运行 `pikou check`）", en: "\(path) is gone (pikou check)"))
                }
                let bytes = [UInt8](data)
                guard Digest.hex(try Digest.hash(bytes, .sm3)) == digest else {
                    throw ExchangeError(.setup, Message(
                        zh: "\(path) 不是对账库记录的那个文件（SM3 摘要不同）：未发送；请运行 `pikou check`",
                        en: "\(path) is not the file the store recorded (its SM3 digest differs): not sent; run pikou check"))
                }
                // The detached signature first: the bank takes the file once its name appears.
                for suffix in SignatureSpec.detachedSuffixes where FileManager.default.fileExists(atPath: path + suffix) {
                    try placeOnce(client, local: path + suffix, folder: config.outbox, name: name + suffix)
                }
                try placeOnce(client, local: path, folder: config.outbox, name: name)
                _ = try await store.recordTransfer(Transfer(bank: config.bank, name: name, direction: .sent, digest: digest, byteCount: bytes.count,
                                                            remote: config.location(config.outbox, name), actor: actor))
                report.moved.append(path)
                each(path)
            } catch let error as ExchangeError where error.kind == .hostKeyChanged || error.kind == .hostKeyUnknown || error.kind == .authentication || error.kind == .unreachable {
                throw error  // the server itself: nothing else will go either
            } catch {
                report.failed.append((name, Self.why(error)))
            }
        }
        return report
    }

    /// A name sftp cannot be given as it is.
    static let notPlain = Message(zh: "不是普通的文件名（不能以 '.' 开头，不能含 '/'、引号、反斜杠、控制字符或 *?[]）", en: "not a plain file name")

    /// Puts `local` at `folder/name` unless the very same bytes are there already; a different file
    /// under that name is an error, never overwritten.
    func placeOnce(_ client: SFTPClient, local: String, folder: String, name: String) throws {
        if try client.upload(local, folder: folder, name: name) { return }
        // The name is taken: by this file (a run cut off after the rename), or by another.
        let copy = client.scratch + "/check-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try client.download(folder: folder, name: name, to: copy)
        let there = try Digest.hash(fileAt: copy, .sm3), here = try Digest.hash(fileAt: local, .sm3)
        client.removeQuietly(folder: folder, name: "." + name + ".part")
        guard there == here else {
            throw ExchangeError(.transfer, Message(
                zh: "银行的文件夹 \(folder) 中已有另一个同名文件 \(name)：未覆盖；请联系银行",
                en: "the bank's folder \(folder) already holds another file named \(name): not overwritten; ask the bank"))
        }
    }

    /// Downloads what `config`'s bank offers that was not fetched before; returns the new files.
    public func fetch(_ config: SFTPConfig, actor: String, each: (String) -> Void = { _ in }) async throws -> Report {
        var report = Report(bank: config.bank, server: config.server)
        let client = try SFTPClient(config: config, scratch: try scratch())
        let fetched = Set(try await store.transfers(bank: config.bank).filter { $0.direction == .fetched }.map { "\($0.name)\u{1F}\($0.digest)" })
        let folder = workspace.inbox + "/" + config.bank
        try FileIO.makePrivateDirectory(workspace.inbox)
        try FileIO.makePrivateDirectory(folder)
        for entry in try client.list(config.inbox) {
            // A name fetch cannot take is said and left at the bank; the bank's other files still come.
            if entry.nameBroken {
                report.skipped.append((entry.name, Message(
                    zh: "文件名中有换行符，无法交给 SFTP：请银行为它改名",
                    en: "its name holds a line break: sftp cannot be given it; ask the bank to rename it")))
                continue
            }
            guard FileIO.isPlainName(entry.name), SFTPConfig.isPlain(entry.name), !entry.name.hasSuffix(".part") else {
                report.skipped.append((entry.name, Self.notPlain))
                continue
            }
            // Kept locally as .NAME.part, then NAME: both within the file system's 255 bytes.
            guard entry.name.utf8.count + ".part".utf8.count + 1 <= 255 else {
                let length = entry.name.utf8.count
                report.skipped.append((entry.name, Message(
                    zh: "文件名长 \(length) 字节，超过本地文件名的上限：请银行缩短文件名",
                    en: "its name is \(length) bytes, longer than a local file name can be; ask the bank to shorten it")))
                continue
            }
            let temporary = folder + "/." + entry.name + ".part"
            let path = folder + "/" + entry.name
            guard SFTPConfig.isPlain(temporary) else {
                throw ExchangeError(.setup, Message(
                    zh: "工作区的收件文件夹 \(folder) 的路径中有引号、反斜杠或控制字符，无法交给 SFTP",
                    en: "the workspace's inbox folder \(folder) holds a quote, a backslash or a control character: sftp cannot be given it"))
            }
            do {
                defer { try? FileManager.default.removeItem(atPath: temporary) }
                try client.download(folder: config.inbox, name: entry.name, to: temporary)
                let bytes = [UInt8](FileManager.default.contents(atPath: temporary) ?? Data())
                let digest = Digest.hex(try Digest.hash(bytes, .sm3))
                if fetched.contains("\(entry.name)\u{1F}\(digest)") { report.already += 1; continue }
                if let existing = FileManager.default.contents(atPath: path) {
                    guard Digest.hex(try Digest.hash([UInt8](existing), .sm3)) == digest else {
                        report.skipped.append((entry.name, Message(
                            zh: "\(path) 已有同名但内容不同的文件：未覆盖；请把它移走后再取回",
                            en: "\(path) holds other bytes under that name: not overwritten; move it away and fetch again")))
                        continue
                    }
                } else {
                    try FileIO.writeAtomically(bytes, to: path)
                }
                _ = try await store.recordTransfer(Transfer(bank: config.bank, name: entry.name, direction: .fetched, digest: digest, byteCount: bytes.count,
                                                            remote: config.location(config.inbox, entry.name), actor: actor))
                report.moved.append(path)
                each(path)
            } catch let error as ExchangeError where error.kind != .transfer {
                throw error
            } catch {
                report.failed.append((entry.name, Self.why(error)))
            }
        }
        return report
    }
}

extension BankExchange {
    /// The regular files an `ls -ln` listing shows, as (name, size) (for tests).
    public static func listing(_ output: String) -> [[String]] {
        SFTPClient.parseListing(output).map { [$0.name, String($0.size)] }
    }
}
