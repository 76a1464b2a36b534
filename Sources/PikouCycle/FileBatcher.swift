import BankFormats
import PikouCore
import Foundation
import PikouCrypto
import ReconStore

/// Turns composed debits into files the way every run does (the monthly cycle and resubmission
/// alike): split at each bank's limits, named by its patterns when the store numbers them, reserved
/// in one transaction, then written, signed, fsynced and renamed one file at a time and recorded.
struct FileBatcher {
    let workspace: Workspace
    let store: any ReconStore
    let specs: [String: BankSpec]

    /// Splits a bank's debits into files within its limits of records and total per file.
    func split(_ debits: [PlannedDebit], spec: BankSpec, summary: inout CycleBankSummary) -> [[PlannedDebit]] {
        var splitter = FileSplitter(spec: spec)
        for debit in debits { splitter.add(debit, summary: &summary) }
        return splitter.finish()
    }

    /// A file of `debits` for `spec`'s bank; the store numbers it and names it by the bank's patterns
    /// (the debit file and the return it expects) when it reserves it.
    func plannedFile(spec: BankSpec, fileDate: CivilDate, collectionDate: CivilDate, debits: [PlannedDebit]) -> PlannedFile {
        let (collector, collectorAccount) = workspace.collector(for: spec.code)
        let naming = FileNaming(maxBatchNo: (try? FileNamePattern(spec.fileNamePattern))?.maxBatchNo) { batchNo in
            let context = FileContext(collector: collector, collectorAccount: collectorAccount, bankCode: spec.code,
                                      batchNo: batchNo, fileDate: fileDate, collectionDate: collectionDate)
            return (FileWriter(spec: spec, kind: .debit).fileName(context: context), FileWriter(spec: spec, kind: .return).fileName(context: context))
        }
        return PlannedFile(bank: spec.code, fileDate: fileDate, collectionDate: collectionDate, collector: collector,
                           collectorAccount: collectorAccount, naming: naming, debits: debits)
    }

    /// Loads every key `banks`' files need (its passphrase tried) and checks each bank's collector
    /// code, throwing them all together: a wrong passphrase must not leave a month of debits
    /// reserved and unwritten, so this runs before anything is reserved.
    func checkKeys(banks: some Sequence<String>) throws {
        var keyFailures: [Message] = []
        for bank in Set(banks).sorted() {
            // The collector code must fit the bank's files as it is (never cut, never zero-padded).
            if let spec = specs[bank], let problem = workspace.collectorProblemMessage(spec) { keyFailures.append(problem) }
            guard specs[bank]?.signature.isSigned == true else { continue }
            do { _ = try workspace.signing.signingKey(bank: bank, kind: .debit) } catch {
                let reason = Self.words(error)
                keyFailures.append(Message(zh: "\(bank)：无法载入签名密钥：\(reason.zh)", en: "\(bank): cannot load the signing key: \(reason.en)"))
            }
        }
        guard keyFailures.isEmpty else {
            throw PikouError("cycle.refused", Message(
                zh: keyFailures.map(\.zh).joined(separator: "\n") + "\n未预留任何文件：请在 \(workspace.configPath) 中改正，或用 --bank 只处理其他银行",
                en: keyFailures.map(\.en).joined(separator: "\n")
                    + "\nnothing was reserved: fix it in \(workspace.configPath), or leave the bank out with --bank"))
        }
    }

    /// Reserves `plan`, saying what to do when a bank's file names run out of batch numbers.
    @discardableResult
    func reserve(_ plan: BatchPlan) async throws -> [ReservedFile] {
        try checkKeys(banks: plan.files.map(\.bank))
        do {
            return try await store.reserve(plan)
        } catch StoreError.batchNumbersExhausted(let bank, let date, let needed, let limit) {
            let files = plan.files.filter { $0.bank == bank }.count
            let pattern = specs[bank]?.fileNamePattern ?? "?"
            let records = specs[bank].map { String($0.maxRecordsPerFile) } ?? "?"
            throw PikouError("cycle.refused", Message(
                zh: "\(bank) 在 \(date) 需要第 \(needed) 个批次号，但其文件名模式 \(pattern) 每天最多只允许 \(limit) 个（共 \(files) 个文件，"
                    + "每个最多 \(records) 笔）；未预留任何文件。请把部分扣款改到另一天发送（--bank 和 --date），或与银行商定更宽的批次号",
                en: "\(bank) would need batch number \(needed) on \(date), but its file name pattern \(pattern) allows \(limit) a day "
                    + "(\(files) files of at most \(records) lines); nothing was reserved. Send part of the batch another day (--bank and --date), "
                    + "or agree a wider batch number with the bank"))
        }
    }

    /// Writes and signs every reserved file not yet written, then records each as written.
    ///
    /// Two files are formatted and signed at once (the CPU-heavy part, on its own task); each is
    /// then written, fsynced, renamed and recorded in file order, one at a time, so a crash leaves
    /// the same state as before: files written up to some point, the rest still reserved. Runs at
    /// once take turns (a lock in the outbox), so each file is written once. A file that cannot be
    /// written (a bank's key, its schema, the disk) stops neither the other banks' files nor the
    /// bank's next ones; the failures are thrown together at the end, the files left reserved for
    /// the next run to finish.
    func writeReserved(bank: String?, fileIDs: [Int64]? = nil, warnings: inout [Diagnostic], progress: (WorkProgress) -> Void = { _ in }) async throws -> [String] {
        try FileIO.makePrivateDirectory(workspace.outbox)
        let lock = try FileIO.lock(workspace.outbox + "/.writing.lock")
        defer { lock.release() }
        var written: [String] = []
        var failures: [Message] = []
        var keys: [String: Result<PrivateKey, any Error>] = [:]
        var cleaned: Set<String> = []
        var inFlight: [(file: FileToWrite, rendered: Task<Rendered, any Error>)] = []
        defer { for entry in inFlight { entry.rendered.cancel() } }

        func finishOldest() async throws {
            let (file, rendered) = inFlight.removeFirst()
            let output: Rendered
            do { output = try await rendered.value } catch {
                let reason = Self.words(error)
                failures.append(Message(zh: "\(file.bank)/\(file.name)：\(reason.zh)", en: "\(file.bank)/\(file.name): \(reason.en)"))
                return
            }
            let folder = workspace.outbox + "/" + file.bank
            let path = folder + "/" + file.name
            // Names come from the bank's pattern and the workspace's values: never a path of their own.
            guard FileIO.isPlainName(file.name), FileIO.isPlainName(file.bank) else {
                failures.append(Message(
                    zh: "\(file.bank)/\(file.name)：不是普通文件名（含 '/'、以 '.' 开头或含控制字符）；请检查该行格式定义中的 'file_name' 模式"
                        + "和 pikou.yaml 中的 'collector'",
                    en: "\(file.bank)/\(file.name): not a plain file name (a '/', a leading '.' or a control character); check the bank's file_name "
                        + "pattern and collector in pikou.yaml"))
                return
            }
            do {
                if cleaned.insert(folder).inserted {
                    try FileIO.makePrivateDirectory(folder)
                    FileIO.removeLeftovers(in: folder)
                }
                if let detached = output.signed.detached {
                    try FileIO.writeAtomically(detached, to: path + (specs[file.bank]?.signature.detachedSuffix ?? ".sig"))
                }
                try FileIO.writeAtomically(output.signed.file, to: path)
            } catch {
                let reason = Self.words(error)
                failures.append(Message(zh: "\(file.bank)/\(file.name)：\(reason.zh)", en: "\(file.bank)/\(file.name): \(reason.en)"))
                return
            }
            warnings += output.warnings.map { $0.inFile(file.name) }
            CrashHook.point("after-rename")
            try await store.markWritten(fileID: file.fileID, digest: Digest.hex(try Digest.hash(output.signed.file, .sm3)), byteCount: output.signed.file.count)
            written.append(path)
            progress(WorkProgress(.writing, done: written.count + failures.count, total: total))
        }

        // One or two files' lines in memory at a time. Read under the lock: a file another run
        // wrote meanwhile is no longer reserved and is skipped.
        let reserved = try await store.reservedFileIDs(bank: bank, fileIDs: fileIDs)
        let total = reserved.count
        if total > 0 { progress(WorkProgress(.writing, done: 0, total: total)) }
        for fileID in reserved {
            guard let file = try await store.fileToWrite(id: fileID) else { continue }
            guard let spec = specs[file.bank] else {
                failures.append(Message(zh: "\(file.bank)/\(file.name)：\(workspace.configPath) 中未启用 \(file.bank) 银行",
                                        en: "\(file.bank)/\(file.name): bank \(file.bank) is not enabled in \(workspace.configPath)"))
                continue
            }
            var key: PrivateKey?
            if spec.signature.isSigned {
                let loaded = keys[file.bank] ?? Result { try workspace.signing.signingKey(bank: file.bank, kind: .debit) }
                keys[file.bank] = loaded
                do { key = try loaded.get() } catch {
                    let reason = Self.words(error)
                    failures.append(Message(zh: "\(file.bank)/\(file.name)：无法载入签名密钥：\(reason.zh)",
                                            en: "\(file.bank)/\(file.name): cannot load the signing key: \(reason.en)"))
                    continue
                }
            }
            let signingKey = key
            inFlight.append((file, Task { try Self.render(file, spec: spec, key: signingKey) }))
            if inFlight.count == 2 { try await finishOldest() }
        }
        while !inFlight.isEmpty { try await finishOldest() }
        if !failures.isEmpty {
            let listed: (zh: String, en: String) = (failures.map { "  " + $0.zh }.joined(separator: "\n"),
                                                    failures.map { "  " + $0.en }.joined(separator: "\n"))
            throw PikouError("cycle.refused", Message(
                zh: "\(failures.count) 个文件未写出（已写出 \(written.count) 个）；它们仍保持预留，原因排除后，下一次 `pikou cycle run` 或 "
                    + "`pikou resubmit` 会写出它们：\n" + listed.zh,
                en: "\(failures.count) file(s) not written (\(written.count) written); they stay reserved, and the next `pikou cycle run` or "
                    + "`pikou resubmit` writes them once the cause is fixed:\n" + listed.en))
        }
        return written
    }

    /// `error` in both languages: a ``PikouError``'s message (its fix beneath), a format writer's
    /// diagnostics, anything else (the system's, a library's) in its own words.
    static func words(_ error: any Error) -> Message {
        switch error {
        case let failure as PikouError:
            return Message(zh: failure.fix.map { failure.message.zh + "\n" + $0.zh } ?? failure.message.zh,
                           en: failure.fix.map { failure.message.en + "\n" + $0.en } ?? failure.message.en)
        case let failure as FormatWriteError:
            return Message(zh: failure.diagnostics.map { $0.description(.zh) }.joined(separator: "\n"),
                           en: failure.diagnostics.map { $0.description(.en) }.joined(separator: "\n"))
        default:
            return Message(zh: "\(error)", en: "\(error)")
        }
    }

    /// A file formatted and signed, ready to write.
    struct Rendered: Sendable {
        var signed: FileSignature.Signed
        var total: Money
        var warnings: [Diagnostic]
    }

    /// What a stored file's records are written under: its collector, batch number and dates.
    static func context(of file: FileToWrite) -> FileContext {
        FileContext(collector: file.collector, collectorAccount: file.collectorAccount, bankCode: file.bank,
                    batchNo: file.batchNo, fileDate: file.fileDate, collectionDate: file.collectionDate)
    }

    /// Formats `file` by its bank's spec as a debit file (or its cancel message) and signs it (a
    /// pure function of its inputs).
    static func render(_ file: FileToWrite, spec: BankSpec, key: PrivateKey?, kind: FileKind = .debit) throws -> Rendered {
        let lines = file.lines.map {
            DebitLine(sequence: $0.sequence, payerIDNumber: $0.idNumber.value, payerName: $0.name, account: $0.account.number,
                      agreementNo: $0.agreementNo, amount: $0.amount, period: $0.period.compact, memo: $0.memo)
        }
        let context = Self.context(of: file)
        let output: WrittenFile
        do { output = try FileWriter(spec: spec, kind: kind).write(lines, context: context) } catch {
            let reason = words(error)
            throw PikouError("cycle.refused", Message(
                zh: "无法写出 \(file.bank)/\(file.name)\(kind == .cancel ? " 的撤销报文" : "")：\n\(reason.zh)",
                en: "cannot write \(kind == .cancel ? "the cancel message of " : "")\(file.bank)/\(file.name):\n\(reason.en)"))
        }
        let signed = try key.map { try FileSignature.sign(output.bytes, spec: spec, key: $0) }
            ?? FileSignature.Signed(file: output.bytes, detached: nil)
        // A message sent in the bank's envelope: the file as sent, valid under the envelope's schema.
        let issues = XMLSignature.envelopeIssues(signed.file, spec: spec, fileName: file.name)
        if !issues.isEmpty {
            throw PikouError("cycle.refused", Message(
                zh: "无法写出 \(file.bank)/\(file.name)：\n" + issues.map { $0.description(.zh) }.joined(separator: "\n"),
                en: "cannot write \(file.bank)/\(file.name):\n" + issues.map { $0.description(.en) }.joined(separator: "\n")))
        }
        return Rendered(signed: signed, total: output.total, warnings: output.warnings)
    }
}
