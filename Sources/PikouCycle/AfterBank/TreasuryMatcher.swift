public import BankFormats
public import PikouCore

/// Matches the treasury's daily reconciliation against the bank's results of that day: a pure rule.
///
/// The authority's list is the truth. Each of its lines is matched to our debit by the bank's serial
/// when both carry it and it names one debit of the day (every line so first), else by payer and
/// period (unique in a bank's day: a payer is once in a file and a due in one live attempt); each
/// gets one ``TreasuryState``. Every success of ours the list
/// lacks becomes an ``TreasuryState/oursOnly`` line, flagged for reversal review and never changed.
///
/// A 退库 line (entry `refunded`) is matched to a refund the bank paid that day, never to a debit: by
/// the bank's serial, else by payer, period and amount, else by payer and period when one refund is
/// left; every paid refund the list lacks becomes a ``TreasuryState/refundOursOnly`` line.
public enum TreasuryMatcher {
    public static func match(_ lines: [ParsedLine], candidates: [TreasuryCandidate], refunds: [TreasuryRefund] = []) -> [TreasuryLine] {
        // By serial first, every line; then, for the lines left, by payer and period (a dictionary
        // of 2,000,000 joined keys is made only when some line needs it).
        var bySerial: [String: Int] = [:]
        bySerial.reserveCapacity(candidates.count)
        // A serial counts only where it names one debit (a bank may number each file's lines from 1).
        var serialTwice = Set<String>()
        for (index, candidate) in candidates.enumerated() where !candidate.bankSerial.isEmpty {
            if bySerial.updateValue(index, forKey: candidate.bankSerial) != nil { serialTwice.insert(candidate.bankSerial) }
        }
        var used = [Bool](repeating: false, count: candidates.count)
        var found = [Int](repeating: -1, count: lines.count)
        var left: [Int] = []
        for (position, parsed) in lines.enumerated() where parsed.entry != .refunded {
            let serial = parsed.line.bankSerial
            if !serial.isEmpty, !serialTwice.contains(serial), let index = bySerial[serial], !used[index] {
                used[index] = true
                found[position] = index
            } else {
                left.append(position)
            }
        }
        if !left.isEmpty {
            var byPayer: [String: Int] = [:]
            var twice = Set<String>()
            for (index, candidate) in candidates.enumerated() where !used[index] {
                let key = candidate.idNumber + "|" + candidate.period
                if byPayer.updateValue(index, forKey: key) != nil { twice.insert(key) }
            }
            for position in left {
                let line = lines[position].line
                let key = line.payerIDNumber + "|" + line.period
                if !twice.contains(key), let index = byPayer[key], !used[index] {
                    used[index] = true
                    found[position] = index
                }
            }
        }
        var matched: [TreasuryLine] = []
        matched.reserveCapacity(lines.count)
        // 退库 lines the same way, against the day's paid refunds: serial first, every line; then payer,
        // period and amount; then payer and period where one refund is left.
        var refundBySerial: [String: Int] = [:]
        var refundSerialTwice = Set<String>()
        var refundsByPayer: [String: [Int]] = [:]
        for (index, refund) in refunds.enumerated() {
            if !refund.bankSerial.isEmpty, refundBySerial.updateValue(index, forKey: refund.bankSerial) != nil { refundSerialTwice.insert(refund.bankSerial) }
            refundsByPayer[refund.idNumber + "|" + refund.period, default: []].append(index)
        }
        var refundUsed = [Bool](repeating: false, count: refunds.count)
        var refundFound = [Int](repeating: -1, count: lines.count)
        var refundLeft: [Int] = []
        for (position, parsed) in lines.enumerated() where parsed.entry == .refunded {
            let serial = parsed.line.bankSerial
            if !serial.isEmpty, !refundSerialTwice.contains(serial), let index = refundBySerial[serial], !refundUsed[index] {
                refundUsed[index] = true
                refundFound[position] = index
            } else {
                refundLeft.append(position)
            }
        }
        for position in refundLeft {
            let line = lines[position].line
            let open = (refundsByPayer[line.payerIDNumber + "|" + line.period] ?? []).filter { !refundUsed[$0] }
            if let index = open.first(where: { refunds[$0].amount == line.amount }) ?? (open.count == 1 ? open[0] : nil) {
                refundUsed[index] = true
                refundFound[position] = index
            }
        }
        for (position, parsed) in lines.enumerated() {
            let line = parsed.line
            if parsed.entry == .refunded {
                let ours = refundFound[position] >= 0 ? refunds[refundFound[position]] : nil
                let state: TreasuryState = ours == nil ? .refundTheirsOnly : ours!.amount == line.amount ? .refunded : .refundDifferent
                matched.append(TreasuryLine(
                    lineNo: parsed.lineNumber, idNumber: line.payerIDNumber, period: line.period, amount: line.amount, theirs: EntryKind.refunded.rawValue,
                    bankSerial: line.bankSerial, voucher: line.reference, debitID: nil, refundID: ours?.refundID, ourAmount: ours?.amount, state: state))
                continue
            }
            let ours = found[position] >= 0 ? candidates[found[position]] : nil
            let state: TreasuryState
            switch (parsed.entry, ours?.succeeded) {
            case (.booked?, true?): state = ours!.amount == line.amount ? .same : .different
            case (.failed?, true?): state = .oursOnly
            case (.failed?, _): state = .bothFailed
            default: state = .theirsOnly
            }
            matched.append(TreasuryLine(
                lineNo: parsed.lineNumber, idNumber: line.payerIDNumber, period: line.period, amount: line.amount,
                theirs: parsed.entry?.rawValue ?? "", bankSerial: line.bankSerial, voucher: line.reference,
                debitID: ours?.debitID, ourAmount: ours?.amount, state: state))
        }
        for (index, candidate) in candidates.enumerated() where candidate.succeeded && !used[index] {
            matched.append(TreasuryLine(
                lineNo: nil, idNumber: candidate.idNumber, period: candidate.period, amount: candidate.amount, theirs: "",
                bankSerial: candidate.bankSerial, voucher: "", debitID: candidate.debitID, ourAmount: candidate.amount, state: .oursOnly))
        }
        for (index, refund) in refunds.enumerated() where !refundUsed[index] {
            matched.append(TreasuryLine(
                lineNo: nil, idNumber: refund.idNumber, period: refund.period, amount: refund.amount, theirs: "", bankSerial: refund.bankSerial,
                voucher: "", debitID: nil, refundID: refund.refundID, ourAmount: refund.amount, state: .refundOursOnly))
        }
        return matched
    }
}
