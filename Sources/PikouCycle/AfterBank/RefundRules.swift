public import BankFormats
public import PikouCore

/// Refunds' rules, pure: what may be paid back of a due, and what a bank's result file says of a
/// refund file's lines.
///
/// The one invariant: for every due, what refunds paid back plus what they hold (instructed, not
/// answered) never exceeds what its debits collected. A failed refund holds nothing and may be
/// instructed again; a paid one is never instructed twice.
public enum RefundRules {
    /// What is still open to refund of `candidate`: collected, less paid back and pending; nil when
    /// nothing is (or the figures are inconsistent: more held than collected).
    public static func open(_ candidate: RefundCandidate) -> Money? {
        guard let held = try? candidate.refunded.adding(candidate.pending), let open = try? candidate.collected.subtracting(held), open.fen > 0 else {
            return nil
        }
        return open
    }

    /// The instructions for `candidates`, one per due with something open, numbered from 1 in order.
    public static func plan(_ candidates: [RefundCandidate]) -> [RefundInstruction] {
        var lines: [RefundInstruction] = []
        for candidate in candidates {
            guard let amount = open(candidate) else { continue }
            lines.append(RefundInstruction(
                sequence: lines.count + 1, dueID: candidate.dueID, payerID: candidate.payerID, debitID: candidate.debitID,
                idNumber: candidate.idNumber, name: candidate.name, account: candidate.account, agreementNo: candidate.agreementNo,
                period: candidate.period, insurance: candidate.insurance, amount: amount))
        }
        return lines
    }

    /// Whether refunds of `amounts` in `states` would take back more than `collected` (a failed one
    /// holds nothing): the invariant, checked sums.
    public static func exceeds(collected: Money, refunds: [(amount: Money, state: RefundState)]) -> Bool {
        var held = Money.zero
        for refund in refunds where refund.state != .failed {
            guard let sum = try? held.adding(refund.amount) else { return true }
            held = sum
        }
        return held.fen > collected.fen
    }

    /// Lines in files of at most `perFile` lines and, where the bank sets one, at most `maxTotal`
    /// each (a line above it alone in its file, for the writer to refuse), renumbered from 1 in every file.
    public static func files(_ lines: [RefundInstruction], perFile: Int, maxTotal: Money? = nil) -> [[RefundInstruction]] {
        var files: [[RefundInstruction]] = []
        var current: [RefundInstruction] = []
        var total = Money.zero
        for line in lines {
            let sum = try? total.adding(line.amount)
            let fits = current.count < max(1, perFile) && sum != nil && (maxTotal.map { sum!.fen <= $0.fen } ?? true)
            if !fits, !current.isEmpty {
                files.append(current)
                current = []
                total = .zero
            }
            var numbered = line
            numbered.sequence = current.count + 1
            current.append(numbered)
            total = (try? total.adding(line.amount)) ?? line.amount
        }
        if !current.isEmpty { files.append(current) }
        return files
    }

    /// The bank's result lines for `file`, each matched by its sequence and checked against the
    /// instruction (account and amount); every problem named by line and field. Lines the file
    /// leaves out stay pending.
    public static func results(_ parsed: [ParsedLine], file: RefundFile, fileName: String) -> (results: [RefundResult], problems: [Diagnostic]) {
        var results: [RefundResult] = []
        var problems: [Diagnostic] = []
        var seen = Set<Int>()
        let bySequence = Dictionary(file.lines.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        for line in parsed {
            let answer = line.line
            func problem(_ field: String, _ message: Message) {
                problems.append(Diagnostic(.error, .ingestRejected, file: fileName, line: line.lineNumber, field: field, message))
            }
            guard let instruction = bySequence[answer.sequence], let refundID = file.refundIDs[answer.sequence] else {
                problem("seq", RefundCatalogue.unknownSequence(answer.sequence, file: file.name))
                continue
            }
            guard seen.insert(answer.sequence).inserted else {
                problem("seq", RefundCatalogue.sequenceTwice(answer.sequence))
                continue
            }
            if file.answered.contains(answer.sequence) {
                problem("seq", RefundCatalogue.answeredBefore(answer.sequence))
                continue
            }
            if !answer.account.isEmpty, answer.account != instruction.account {
                problem("account", RefundCatalogue.otherAccount(answer.sequence))
                continue
            }
            if answer.amount != instruction.amount {
                problem("amount", RefundCatalogue.otherAmount(answer.sequence, theirs: answer.amount, ours: instruction.amount))
                continue
            }
            // A code the spec's table lacks is not taken for a failure: were the refund paid, a failure
            // would let the next run pay it again.
            guard let outcome = line.outcome, outcome != .unknown else {
                problem("result_code", RefundCatalogue.noOutcome(answer.sequence, code: answer.resultCode.isEmpty ? answer.resultText : answer.resultCode))
                continue
            }
            results.append(RefundResult(refundID: refundID, outcome: outcome.rawValue, bankSerial: answer.bankSerial))
        }
        return (results, problems)
    }
}
