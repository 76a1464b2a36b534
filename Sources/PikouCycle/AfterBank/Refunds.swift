public import BankFormats
public import PikouCore
import Foundation
import PikouCrypto
public import ReconStore

/// Refunds end to end (退费): the 退费 list becomes signed refund instructions, a file per bank in
/// the bank's `refund` layout; the bank's result files are verified, matched line by line and
/// posted; the treasury's 退库 lines are matched by ``TreasuryMatcher``.
public struct Refunds: Sendable {
    let store: any ReconStore
    let signing: SigningConfig
    /// The collector code and collection account each bank knows the bureau by.
    let collector: @Sendable (String) -> (code: String, account: String)

    public init(store: any ReconStore, signing: SigningConfig, collector: @escaping @Sendable (String) -> (code: String, account: String)) {
        self.store = store
        self.signing = signing
        self.collector = collector
    }

    /// One refund file written.
    public struct Written: Sendable, Hashable {
        public var bank: String
        public var path: String
        public var lines: Int
        public var total: Money
    }

    /// What `write` did: the files, and the refunds of banks whose spec has no refund layout.
    public struct WriteOutcome: Sendable {
        public var written: [Written] = []
        /// By bank: the refunds left unwritten (paid at the counter, or once the spec has `refund:`).
        public var withoutLayout: [String: Int] = [:]
    }

    /// Writes `period`'s refund instructions (of `bank`, or of every bank) dated `date` into
    /// `outputDirectory`, each file signed and recorded; a due paid back or held by a refund already
    /// is left out, so running it again writes only what is new.
    /// `written` is told of each file as soon as it is recorded (a later bank's failure leaves the
    /// earlier files said).
    public func write(period: Period, specs: [String: BankSpec], bank: String?, date: CivilDate, outputDirectory: String, actor: String,
                      written: (Written) -> Void = { _ in }) async throws -> WriteOutcome {
        let candidates = try await store.refundCandidates(period: period, bank: bank)
        var outcome = WriteOutcome()
        let byBank = Dictionary(grouping: candidates, by: \.bank)
        for bankCode in byBank.keys.sorted() {
            let planned = RefundRules.plan(byBank[bankCode]!)
            guard !planned.isEmpty else { continue }
            guard let spec = specs[bankCode], spec.refund != nil else {
                outcome.withoutLayout[bankCode] = planned.count
                continue
            }
            for lines in RefundRules.files(planned, perFile: spec.maxRecordsPerFile, maxTotal: spec.maxTotalPerFile) {
                let file = try await writeFile(lines, spec: spec, period: period, date: date, outputDirectory: outputDirectory, actor: actor)
                outcome.written.append(file)
                written(file)
            }
        }
        return outcome
    }

    private func writeFile(_ lines: [RefundInstruction], spec: BankSpec, period: Period, date: CivilDate, outputDirectory: String, actor: String) async throws -> Written {
        let (code, account) = collector(spec.code)
        let batch = try await store.nextRefundBatch(bank: spec.code, date: date)
        let context = FileContext(collector: code, collectorAccount: account, bankCode: spec.code, batchNo: batch, fileDate: date, collectionDate: date)
        let debitLines = lines.map { line in
            DebitLine(sequence: line.sequence, payerIDNumber: line.idNumber, payerName: line.name, account: line.account, agreementNo: line.agreementNo,
                      amount: line.amount, period: line.period.compact, memo: RefundCatalogue.memo(line.insurance))
        }
        let writer = FileWriter(spec: spec, kind: .refund)
        let written: WrittenFile
        do { written = try writer.write(debitLines, context: context) } catch {
            throw PikouError("refund.write", Message(zh: "无法写出 \(spec.code) 的退费文件：\n\(error.description)", en: "cannot write \(spec.code)'s refund file:\n\(error.description)"))
        }
        let signed = spec.signature.isSigned
            ? try FileSignature.sign(written.bytes, spec: spec, key: try signing.signingKey(bank: spec.code, kind: .refund),
                                     certificate: try? signing.certificate(bank: spec.code, kind: .refund))
            : FileSignature.Signed(file: written.bytes, detached: nil)
        let name = writer.fileName(context: context)
        let path = outputDirectory + "/" + name
        try FileIO.makePrivateDirectory(outputDirectory)
        // Written first, then recorded: a file the ledger refuses (another run took its batch, a due
        // would be paid back twice) is removed, and nothing is recorded for one never written.
        if let detached = signed.detached { try FileIO.writeAtomically(detached, to: path + spec.signature.detachedSuffix) }
        try FileIO.writeAtomically(signed.file, to: path)
        do {
            _ = try await store.recordRefundFile(RefundFileRecord(
                bank: spec.code, name: name, digest: Digest.hex(try Digest.hash(signed.file, .sm3)), period: period, fileDate: date,
                batchNo: batch, lines: lines, total: written.total), actor: actor)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + spec.signature.detachedSuffix)
            throw error
        }
        return Written(bank: spec.code, path: path, lines: lines.count, total: written.total)
    }

    /// Ingests `spec`'s bank's result file for one of its refund files: verified, every line matched
    /// to its refund and checked, posted whole or refused whole.
    public func ingest(path: String, spec: BankSpec, actor: String, today: CivilDate = FileIO.todayInChina()) async throws -> AfterBankIngest.Outcome {
        guard spec.refundReturn != nil else { return AfterBankIngest.refused(path, RefundCatalogue.noLayout(spec.code)) }
        let name = (path as NSString).lastPathComponent
        let values = try FileNamePattern(spec.fileNamePattern).parse(name, bank: spec.code)
        // (Its name says what it is before anything reads it: a debit's return file given by mistake.)
        if let kind = values?.kind, kind != .refundReturn { return AfterBankIngest.refused(path, RefundCatalogue.notAnAnswer(name)) }
        let reader = AfterBankIngest(store: store, signing: signing, collectionAccount: { _ in "" })
        guard let (bytes, _, parsed) = try reader.read(path, spec: spec, kind: .refundReturn, certificateOf: spec.code, today: today) else {
            return AfterBankIngest.refused(path, Message(zh: "无法读取该文件", en: "cannot read the file"))
        }
        if let refused = AfterBankIngest.refusedWhole(path, parsed) { return refused }
        guard let date = values?.date ?? parsed.summary.fileDate, let batch = values?.batchNo ?? parsed.summary.batchNo.flatMap({ Int($0) }) else {
            return AfterBankIngest.refused(path, RefundCatalogue.unnamed(name, pattern: spec.fileNamePattern))
        }
        guard let file = try await store.refundFile(bank: spec.code, fileDate: date, batchNo: batch) else {
            return AfterBankIngest.refused(path, RefundCatalogue.noInstruction(spec.code, date: date, batch: batch))
        }
        let digest = Digest.hex(try Digest.hash(bytes, .sm3))
        if file.resultDigests.contains(digest) { return .alreadyRecorded }
        let (results, problems) = RefundRules.results(parsed.lines, file: file, fileName: path)
        if !problems.isEmpty {
            return .rejected(problems + [Diagnostic(.error, .ingestRejected, file: path, Message(zh: "整个文件拒收，未记录任何一行", en: "the file is rejected whole; nothing recorded"))])
        }
        let record = RefundResultRecord(bank: spec.code, name: name, digest: digest, instructionFileID: file.id, results: results)
        switch try await store.recordRefundResults(record, actor: actor) {
        case .recorded(let states): return .recorded(bank: spec.code, date: date, states: states)
        case .alreadyRecorded: return .alreadyRecorded
        }
    }

    /// `period`'s refunds with their states.
    public func lines(period: Period) async throws -> [RefundLine] { try await store.refundLines(period: period) }
}

/// What refunds say to people.
public enum RefundCatalogue {
    /// The memo a refund line carries to the bank: 退费 and the insurance.
    static func memo(_ insurance: String) -> String {
        switch Insurance(insurance) {
        case .pension?: "退费养老"
        case .medical?: "退费医疗"
        case nil: "退费"
        }
    }
    public static let kind = Message(zh: "退费回盘", en: "refund result file")
    public static func state(_ state: String) -> Message {
        switch RefundState(rawValue: state) {
        case .pending: Message(zh: "待银行处理", en: "pending")
        case .paid: Message(zh: "已退款", en: "paid")
        case .failed: Message(zh: "退款失败", en: "failed")
        case nil: Message(zh: "未知", en: "unknown")
        }
    }
    static func noLayout(_ code: String) -> Message {
        Message(zh: "\(code) 的规格没有退费版式（refund 与 refund_return）：在 Formats/banks/\(code).yaml 中加这两节，或到柜面办理退费",
                en: "\(code)'s spec has no refund layouts (refund and refund_return): add both to Formats/banks/\(code).yaml, or refund at the counter")
    }
    static func unnamed(_ name: String, pattern: String) -> Message {
        Message(zh: "文件名 \(name) 不符合命名规则 \(pattern)，头记录也没有给出日期和批次号：无法找到它回复的退费文件",
                en: "the name \(name) does not follow \(pattern) and the header gives no date and batch number: the refund file it answers cannot be found")
    }
    static func notAnAnswer(_ name: String) -> Message {
        Message(zh: "\(name) 不是退费回盘（其文件名的类型不是 TH）：扣款回盘用 pikou returns ingest 读入",
                en: "\(name) is not a refund result file (its name's kind is not TH): a debit's return file is read by pikou returns ingest")
    }
    static func noInstruction(_ bank: String, date: CivilDate, batch: Int) -> Message {
        Message(zh: "没有 \(bank) 在 \(date) 的第 \(batch) 批退费文件：先运行 pikou refunds write，或检查文件是否来自本工作区",
                en: "there is no refund file of \(bank) of \(date), batch \(batch): run pikou refunds write first, or check that the file answers this workspace")
    }
    static func unknownSequence(_ sequence: Int, file: String) -> Message {
        Message(zh: "序号 \(sequence) 不在退费文件 \(file) 中", en: "sequence \(sequence) is not a line of the refund file \(file)")
    }
    static func sequenceTwice(_ sequence: Int) -> Message {
        Message(zh: "序号 \(sequence) 在本文件中出现两次", en: "sequence \(sequence) appears twice in the file")
    }
    static func answeredBefore(_ sequence: Int) -> Message {
        Message(zh: "序号 \(sequence) 的退费已有银行结果（之前的回盘）", en: "the refund of sequence \(sequence) has the bank's result already (an earlier result file)")
    }
    static func otherAccount(_ sequence: Int) -> Message {
        Message(zh: "序号 \(sequence) 的账号与退费指令不符", en: "sequence \(sequence): the account is not the refund instruction's")
    }
    static func otherAmount(_ sequence: Int, theirs: Money, ours: Money) -> Message {
        Message(zh: "序号 \(sequence) 的金额 \(theirs.yuanText) 元与退费指令的 \(ours.yuanText) 元不符",
                en: "sequence \(sequence): \(theirs.yuanText) yuan, the instruction says \(ours.yuanText) yuan")
    }
    static func noOutcome(_ sequence: Int, code: String) -> Message {
        Message(zh: "序号 \(sequence) 的结果码 '\(code)' 不在规格 refund_return 的 result_codes 中：向银行问清其含义并加入规格，再读入（不当作退款失败，以免重复退款）",
                en: "sequence \(sequence): result code '\(code)' is not in the spec's refund_return result_codes: ask the bank what it means and add it, then ingest again (not taken for a failure, which could refund twice)")
    }
    public static func written(_ path: String, lines: Int, total: Money) -> Message {
        Message(zh: "已写出退费文件 \(path)：\(lines) 笔，合计 \(total.yuanText) 元", en: "wrote the refund file \(path): \(lines) refunds, \(total.yuanText) yuan")
    }
    public static func withoutLayout(_ bank: String, count: Int) -> Message {
        Message(zh: "\(bank)：\(count) 笔退费未写出，因其规格没有退费版式（到柜面办理，或在 Formats/banks/\(bank).yaml 加 refund 与 refund_return）",
                en: "\(bank): \(count) refunds not written, its spec has no refund layouts (refund at the counter, or add refund and refund_return to Formats/banks/\(bank).yaml)")
    }
    public static let nothingToWrite = Message(zh: "没有需要写出的退费", en: "no refund to write")
    public static let columns = [
        Message(zh: "编号", en: "ID"), Message(zh: "银行", en: "Bank"), Message(zh: "缴费人", en: "Payer"), Message(zh: "险种", en: "Insurance"),
        Message(zh: "金额（元）", en: "Amount (yuan)"), Message(zh: "状态", en: "State"), Message(zh: "国库退库", en: "Treasury"), Message(zh: "退费文件", en: "Refund file"),
    ]
    public static let confirmed = Message(zh: "已确认", en: "confirmed")
    public static let notConfirmed = Message(zh: "未见", en: "not seen")
    public static let noRefunds = Message(zh: "本期没有退费", en: "no refunds this period")
}
