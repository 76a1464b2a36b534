public import PikouCore
import ReconStore

/// Matches a return file's lines to the debits of the file they answer: which line closes which
/// debit, and which becomes an exception for people. A pure function over typed values: no store,
/// no I/O, the same on every backend.
///
/// The rules, in order, for each line:
/// 1. a sequence already seen in this file → `duplicateLine` (the first one counts);
/// 2. no debit with the line's sequence → `unmatched`; a debit whose file was cancelled (its
///    result `cancelled`) → `afterCancel`, whatever the line says: the bank ran a stopped file;
/// 3. an amount other than the debit's → `amountMismatch`; an account or an ID number (when the
///    bank returns one) other than the debit's → `accountMismatch`, `idNumberMismatch` — never
///    posted, whatever the result says;
/// 4. a debit that already has a result: the same result is a harmless repeat (counted as already
///    posted), a different one → `conflictingResult` (never an overwrite);
/// 5. otherwise the line's result closes the debit; a result the bank's table does not know
///    (`unknown`) closes it as failed and raises `unknownCode` for an operator's review.
public enum ReturnMatcher {
    /// The decision for every line, in order, and what they add up to.
    public struct Match: Sendable, Hashable {
        public var decisions: [LineDecision]
        public var summary: PostingSummary
    }

    /// Decides every line of a return file against `debits` (the debit file's, as the store holds them).
    ///
    /// - Throws: ``Money/OverflowError`` if the posted amounts' sum leaves 64-bit fen.
    public static func match(_ lines: [ReturnLineInput], against debits: [DebitToMatch]) throws(Money.OverflowError) -> Match {
        var bySequence: [Int: Int] = [:]
        bySequence.reserveCapacity(debits.count)
        for (index, debit) in debits.enumerated() { bySequence[debit.sequence] = index }
        var seen = Set<Int>(minimumCapacity: lines.count)
        var summary = PostingSummary()
        var decisions: [LineDecision] = []
        decisions.reserveCapacity(lines.count)
        for index in lines.indices {
            let decision = decide(lines[index], debitIndex: bySequence[lines[index].sequence], debits: debits, seen: &seen)
            let line = lines[index]
            if decision.posts {
                summary.posted += 1
                if line.outcome == .succeeded {
                    summary.succeeded += 1
                    summary.succeededFen = try Money(fen: summary.succeededFen).adding(line.amount).fen
                } else {
                    summary.failed += 1
                    summary.failedFen = try Money(fen: summary.failedFen).adding(line.amount).fen
                }
            } else if decision.exception == nil {
                summary.alreadyPosted += 1
            }
            if let exception = decision.exception { summary.exceptions[exception.kind, default: 0] += 1 }
            decisions.append(decision)
        }
        return Match(decisions: decisions, summary: summary)
    }

    /// The bank's own answer on a line: its code and text, as the bank wrote them.
    static func answer(_ line: ReturnLineInput, _ language: Language) -> String {
        switch language {
        case .zh: line.bankCode.isEmpty ? "银行说明 '\(line.bankText)'" : "银行返回码 '\(line.bankCode)'" + (line.bankText.isEmpty ? "" : " '\(line.bankText)'")
        case .en: line.bankCode.isEmpty ? "bank text '\(line.bankText)'" : "bank code '\(line.bankCode)'" + (line.bankText.isEmpty ? "" : " '\(line.bankText)'")
        }
    }

    static func decide(_ line: ReturnLineInput, debitIndex: Int?, debits: [DebitToMatch], seen: inout Set<Int>) -> LineDecision {
        let debitID = debitIndex.map { debits[$0].id }
        guard seen.insert(line.sequence).inserted else {
            return LineDecision(debitID: debitID, posts: false, exception: MatchException(.duplicateLine, Message(
                zh: "序号 \(line.sequence) 在回盘文件中重复出现", en: "sequence \(line.sequence) appears again in the return file")))
        }
        guard let debitIndex else {
            return LineDecision(debitID: nil, posts: false, exception: MatchException(.unmatched, Message(
                zh: "扣款文件中没有序号为 \(line.sequence) 的扣款", en: "no debit with sequence \(line.sequence) in the debit file")))
        }
        let debit = debits[debitIndex]
        if debit.result == .cancelled {
            return LineDecision(debitID: debit.id, posts: false, exception: MatchException(
                .afterCancel, Message(
                    zh: "该文件在银行执行前已撤销，银行却对 \(line.amount) 元回复“\(line.outcome.label)”：请向银行核实是否已扣款",
                    en: "the file was cancelled before the bank ran it, yet the bank answers \(line.outcome.rawValue) for \(line.amount) yuan: ask the bank whether money was taken")))
        }
        if line.amount != debit.amount {
            return LineDecision(debitID: debit.id, posts: false, exception: MatchException(
                .amountMismatch, Message(zh: "银行回盘金额 \(line.amount) 元，扣款金额为 \(debit.amount) 元",
                                         en: "bank returned \(line.amount) yuan, the debit was \(debit.amount) yuan")))
        }
        if !line.account.isEmpty && line.account != debit.account {
            return LineDecision(debitID: debit.id, posts: false, exception: MatchException(
                .accountMismatch, Message(zh: "银行回盘账号 \(Masking.account(line.account))，扣款账号为 \(Masking.account(debit.account))",
                                          en: "bank returned account \(Masking.account(line.account)), the debit was on \(Masking.account(debit.account))")))
        }
        if !line.idNumber.isEmpty && !debit.idNumber.isEmpty && line.idNumber.uppercased() != debit.idNumber.uppercased() {
            return LineDecision(debitID: debit.id, posts: false, exception: MatchException(
                .idNumberMismatch, Message(zh: "银行回盘证件号 \(Masking.idNumber(line.idNumber))，扣款对象为 \(Masking.idNumber(debit.idNumber))",
                                           en: "bank returned ID number \(Masking.idNumber(line.idNumber)), the debit was for \(Masking.idNumber(debit.idNumber))")))
        }
        if let result = debit.result {
            if result == line.outcome { return LineDecision(debitID: debit.id, posts: false, exception: nil) }
            return LineDecision(debitID: debit.id, posts: false, exception: MatchException(
                .conflictingResult, Message(zh: "该扣款已有结果“\(result.label)”，本行却为“\(line.outcome.label)”（\(Self.answer(line, .zh))）",
                                            en: "the debit already has the result \(result.rawValue) (\(result.label)); this line says \(line.outcome.rawValue) (\(line.outcome.label); \(Self.answer(line, .en)))")))
        }
        if line.outcome == .unknown {
            // A bank answering in words has no code: its text is what the table lacks.
            let answer = line.bankCode.isEmpty ? "bank text '\(line.bankText)' "
                : "bank code '\(line.bankCode)' " + (line.bankText.isEmpty ? "" : "('\(line.bankText)') ")
            let answerZh = line.bankCode.isEmpty ? "银行说明 '\(line.bankText)'"
                : "银行返回码 '\(line.bankCode)'" + (line.bankText.isEmpty ? "" : "（'\(line.bankText)'）")
            return LineDecision(debitID: debit.id, posts: true, exception: MatchException(.unknownCode, Message(
                zh: "\(answerZh)不在该行格式定义的返回码表中：需人工核实", en: answer + "is not in the spec's table: operator review")))
        }
        return LineDecision(debitID: debit.id, posts: true, exception: nil)
    }
}
