public import BankFormats
public import PikouCore
import Foundation
public import PikouCrypto

/// Plays the bank's account statement and the treasury's daily reconciliation from the ledger, with
/// the same format engine (demos, fixtures, the bench): what should arrive, and on request the
/// differences a real month brings, so that each state is seen.
public struct AfterBankSimulator {
    /// Differences to put in a statement.
    public struct StatementTwists: Sendable {
        /// Credit the first file to settle this much short (短款); a later statement brings the rest.
        public var shortBy = Money.zero
        /// Credit the last file to settle this much over (长款); a later statement takes the excess back.
        public var overBy = Money.zero
        /// Add a credit no debit file explains (无法匹配).
        public var foreign: Money?
        /// Credit the last file to settle, take it back (冲正) and credit it again.
        public var reverse = false
        /// Credit the files with a value date this many days after the statement's date (迟到).
        public var lateDays = 0

        public init(shortBy: Money = .zero, overBy: Money = .zero, foreign: Money? = nil, reverse: Bool = false, lateDays: Int = 0) {
            self.shortBy = shortBy
            self.overBy = overBy
            self.foreign = foreign
            self.reverse = reverse
            self.lateDays = lateDays
        }
    }

    /// Differences to put in a treasury reconciliation.
    public struct TreasuryTwists: Sendable {
        /// Leave out this many of our successes (我方成功，国库无记录).
        public var drop = 0
        /// Add this many bookings of payers we did not debit (国库成功，我方无成功记录).
        public var extra = 0
        /// Book this many successes one yuan more than we debited (金额不一致).
        public var amountOff = 0
        /// List our failures too, as failed (双方失败).
        public var withFailures = true

        public init(drop: Int = 0, extra: Int = 0, amountOff: Int = 0, withFailures: Bool = true) {
            self.drop = drop
            self.extra = extra
            self.amountOff = amountOff
            self.withFailures = withFailures
        }
    }

    public let signing: SigningConfig
    /// The signing key of the statement's or reconciliation's owner, for a signed spec.
    public let key: PrivateKey?

    public init(signing: SigningConfig, key: PrivateKey? = nil) {
        self.signing = signing
        self.key = key
    }

    /// The code a layout's `entry_codes` gives `entry`, laid over its code fields: an optional field
    /// left empty when the code has fewer parts than there are fields.
    static func code(for entry: EntryKind, layout: Layout) -> String? {
        guard let code = layout.entryCodes.filter({ $0.value == entry }).keys.sorted(by: { $0.count < $1.count || $0.count == $1.count && $0 < $1 }).first else { return nil }
        let fields = layout.detail.fields.filter { $0.source == .resultCode }
        var parts = code.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var laid: [String] = []
        for field in fields {
            let remaining = fields.count - laid.count
            if parts.count < remaining, field.optional { laid.append(""); continue }
            laid.append(parts.isEmpty ? "" : parts.removeFirst())
        }
        return laid.joined(separator: "/")
    }

    /// Writes `bank`'s statement of `date` with `format`'s layout: a credit for every file collected
    /// by then with money outstanding, under the reference the layout names files by; the excess of a
    /// file credited over, taken back; and a bank fee.
    public func statement(bank: String, format: BankSpec, files: [SettlementFile], collectorAccount: String, date: CivilDate,
                          twists: StatementTwists, outputDirectory: String) throws -> (path: String, lines: Int) {
        guard let layout = format.statements.first else { throw PikouError("statement.noLayout", AfterBankCatalogue.noStatementLayout(format.code)) }
        let matcher = StatementMatcher(files: files, layout: layout, bank: bank)
        let credit = Self.code(for: .credit, layout: layout) ?? ""
        let valueDate = date.adding(days: twists.lateDays)
        var lines: [DebitLine] = []
        func entry(_ code: String, _ amount: Money, _ reference: String, _ serial: String) {
            var line = DebitLine(sequence: lines.count + 1, payerIDNumber: "", payerName: "", account: "", agreementNo: "", amount: amount, period: "",
                                 resultCode: code, bankSerial: serial)
            line.reference = reference
            line.valueDate = valueDate
            lines.append(line)
        }
        for file in files where (file.outstanding ?? .zero) < .zero {
            if let reversal = Self.code(for: .reversal, layout: layout), let excess = file.outstanding {
                entry(reversal, Money(fen: -excess.fen), matcher.reference(of: file) ?? "", "BACK\(file.id)")
            }
        }
        let due = files.filter { $0.collectionDate <= date && ($0.outstanding ?? .zero) > .zero }
        for (index, file) in due.enumerated() {
            var amount = file.outstanding ?? .zero
            if index == 0, twists.shortBy > .zero, twists.shortBy < amount { amount = try amount.subtracting(twists.shortBy) }
            if index == due.count - 1, twists.overBy > .zero { amount = try amount.adding(twists.overBy) }
            entry(credit, amount, matcher.reference(of: file) ?? "", "SER\(file.id)")
            if twists.reverse, index == due.count - 1, let reversal = Self.code(for: .reversal, layout: layout) {
                entry(reversal, amount, matcher.reference(of: file) ?? "", "REV\(file.id)")
                entry(credit, amount, matcher.reference(of: file) ?? "", "RE\(file.id)")
            }
        }
        if let foreign = twists.foreign { entry(credit, foreign, "", "FOREIGN\(date.description)") }
        if let fee = Self.code(for: .debit, layout: layout) { entry(fee, Money(fen: 1_500), "", "FEE\(date.description)") }
        var context = FileContext(collector: files.first?.collector ?? "", collectorAccount: collectorAccount, bankCode: bank, batchNo: 1,
                                  fileDate: date, collectionDate: date)
        // The closing balance: what came in less what went out, on an account that opened the day with
        // 1,000,000.00 yuan (a simulation's; never below zero for a day's fees and reversals).
        context.balance = try lines.reduce(Money(fen: 100_000_000)) { balance, line in
            line.resultCode == Self.code(for: .debit, layout: layout) || line.resultCode == Self.code(for: .reversal, layout: layout)
                ? try balance.subtracting(line.amount) : try balance.adding(line.amount)
        }
        let writer = FileWriter(spec: format, kind: .statement, layout: layout)
        var written = try writer.write(lines, context: context)
        let name = "\(bank)_ST_\(date.description.replacingOccurrences(of: "-", with: ""))\(layout.xml == nil ? ".txt" : ".xml")"
        try sign(&written, spec: format, owner: bank, to: outputDirectory + "/" + name)
        return (outputDirectory + "/" + name, lines.count)
    }

    /// Writes `authority`'s reconciliation of `bank`'s `date`: a booking for every success of ours,
    /// a failure for every failure, a 退库 for every refund it paid that day, with `twists`.
    public func treasury(authority: BankSpec, bank: String, collector: String, date: CivilDate, candidates: [TreasuryCandidate],
                         refunds: [TreasuryRefund] = [], twists: TreasuryTwists, outputDirectory: String) throws -> (path: String, lines: Int) {
        guard let layout = authority.reconciliation else { throw PikouError("treasury.notAuthority", AfterBankCatalogue.notAuthority(authority.code)) }
        let booked = Self.code(for: .booked, layout: layout) ?? ""
        let failed = Self.code(for: .failed, layout: layout) ?? ""
        var lines: [DebitLine] = []
        var dropped = 0, off = 0
        for candidate in candidates.sorted(by: { $0.debitID < $1.debitID }) {
            if candidate.succeeded, dropped < twists.drop { dropped += 1; continue }
            if !candidate.succeeded, !twists.withFailures { continue }
            var amount = candidate.amount
            if candidate.succeeded, off < twists.amountOff { amount = try amount.adding(Money(fen: 100)); off += 1 }
            var line = DebitLine(sequence: lines.count + 1, payerIDNumber: candidate.idNumber, payerName: "", account: "", agreementNo: "",
                                 amount: amount, period: candidate.period, resultCode: candidate.succeeded ? booked : failed, bankSerial: candidate.bankSerial)
            line.reference = candidate.succeeded ? "TV\(date.description.replacingOccurrences(of: "-", with: ""))\(candidate.debitID)" : ""
            line.valueDate = date
            lines.append(line)
        }
        // The refunds the bank paid that day, paid back out of the treasury (退库).
        if !refunds.isEmpty, let refunded = Self.code(for: .refunded, layout: layout) {
            for refund in refunds {
                var line = DebitLine(sequence: lines.count + 1, payerIDNumber: refund.idNumber, payerName: "", account: "", agreementNo: "",
                                     amount: refund.amount, period: refund.period, resultCode: refunded, bankSerial: refund.bankSerial)
                line.reference = "TK\(date.description.replacingOccurrences(of: "-", with: ""))\(refund.refundID)"
                line.valueDate = date
                lines.append(line)
            }
        }
        for index in 0..<twists.extra {
            // A payer nobody debited: a synthetic ID in the test range (area 999999), never a real one.
            var line = DebitLine(sequence: lines.count + 1, payerIDNumber: String(format: "99999919900101%03d", index) + "X", payerName: "", account: "",
                                 agreementNo: "", amount: Money(fen: 50_000), period: candidates.first?.period ?? "", resultCode: booked, bankSerial: "")
            line.reference = "TVX\(index)"
            line.valueDate = date
            lines.append(line)
        }
        let context = FileContext(collector: collector, bankCode: bank, batchNo: 1, fileDate: date, collectionDate: date)
        var written = try FileWriter(spec: authority, kind: .reconciliation).write(lines, context: context)
        let name = "\(authority.code)_\(bank)_DZ_\(date.description.replacingOccurrences(of: "-", with: ""))\(layout.xml == nil ? ".txt" : ".xml")"
        try sign(&written, spec: authority, owner: authority.code, to: outputDirectory + "/" + name)
        return (outputDirectory + "/" + name, lines.count)
    }

    private func sign(_ written: inout WrittenFile, spec: BankSpec, owner: String, to path: String) throws {
        try FileIO.makePrivateDirectory((path as NSString).deletingLastPathComponent)
        guard spec.signature.isSigned else {
            try FileIO.writeAtomically(written.bytes, to: path)
            return
        }
        let signed = try FileSignature.sign(written.bytes, spec: spec, key: try key ?? signing.signingKey(bank: owner, kind: .return),
                                            certificate: try? signing.certificate(bank: owner, kind: .return))
        if let detached = signed.detached { try FileIO.writeAtomically(detached, to: path + spec.signature.detachedSuffix) }
        try FileIO.writeAtomically(signed.file, to: path)
    }
}
