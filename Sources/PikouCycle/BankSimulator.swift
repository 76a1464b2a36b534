public import BankFormats
public import PikouCore
import Foundation
public import PikouCrypto

/// Plays a bank: verifies a debit file with the collector's certificate, decides each line's outcome
/// deterministically from a seed, and writes the bank's signed return file with the same format engine.
public struct BankSimulator {
    public let spec: BankSpec
    public let signing: SigningConfig

    /// Relative weights of the failure outcomes (most failures are insufficient funds).
    public static let failureWeights: [(Outcome, Int)] = [
        (.insufficientFunds, 45), (.accountFrozen, 10), (.bankSystemError, 8), (.exceedsLimit, 5), (.accountClosed, 8),
        (.accountNotFound, 7), (.nameMismatch, 7), (.idMismatch, 5), (.agreementMissing, 4), (.unknown, 1),
    ]

    /// What the simulator wrote.
    public struct Result: Sendable {
        /// What was answered: a debit file, or a refund instruction (`.refund`).
        public var kind: FileKind = .debit
        public var path: String
        public var outcomes: [Outcome: Int]
        public var lines: Int
        public var total: Money
    }

    /// The key the return files are signed with: the bank's own (a test key the bank handed over,
    /// outside the workspace), or nil for the workspace's `bank_key`.
    public let returnKey: PrivateKey?

    public init(spec: BankSpec, signing: SigningConfig, returnKey: PrivateKey? = nil) {
        self.spec = spec
        self.signing = signing
        self.returnKey = returnKey
    }

    /// The outcome of line `sequence`: a failure with probability `failRate`, spread by the weights.
    public static func outcome(seed: UInt64, sequence: Int, account: String, failRate: Double) -> Outcome {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in Array(account.utf8) + withUnsafeBytes(of: UInt64(sequence).littleEndian, Array.init) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        let unit = Double(hash >> 11) / Double(1 << 53)
        guard unit < failRate else { return .succeeded }
        let total = failureWeights.reduce(0) { $0 + $1.1 }
        var pick = Int((unit / failRate) * Double(total))
        for (outcome, weight) in failureWeights {
            if pick < weight { return outcome }
            pick -= weight
        }
        return .insufficientFunds
    }

    /// Simulates the bank for the debit file at `path` (or the refund instruction: a name whose
    /// {kind} is TK), writing the return file (or the refund's result file) into `outputDirectory`.
    public func simulate(debitFile path: String, outputDirectory: String, seed: UInt64, failRate: Double, allowExpired: Bool = false) throws -> Result {
        guard let data = FileManager.default.contents(atPath: path) else { throw PikouError("bank.simulate", "\(path): cannot read the debit file") }
        let bytes = [UInt8](data)
        let name = (path as NSString).lastPathComponent
        let pattern = try FileNamePattern(spec.fileNamePattern)
        let values = pattern.parse(name, bank: spec.code)
        let kind: FileKind = values?.kind == .refund && spec.refund != nil ? .refund : .debit
        let answer: FileKind = kind == .refund ? .refundReturn : .return
        let certificate = spec.signature.isSigned ? try signing.certificate(bank: spec.code, kind: kind) : nil
        try certificate?.checkValidity(allowExpired: allowExpired)
        let detached = FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
        let parsed = try FileReader(spec: spec, kind: kind).readVerified(bytes, detached: detached, certificate: certificate, fileName: path)
        guard parsed.isValid else {
            throw PikouError("bank.simulate", "the bank refuses \(path):\n" + parsed.diagnostics.map(\.description).joined(separator: "\n"))
        }
        // The return file's name answers the debit file's: same collector, date and batch, kind HP (TH for a refund's).
        guard let values, let fileDate = values.date ?? parsed.summary.fileDate,
            let collectionDate = parsed.summary.collectionDate ?? values.date
        else {
            throw PikouError("bank.simulate", "\(name): the name does not follow \(spec.code)'s pattern \(spec.fileNamePattern), so the bank cannot name its return file")
        }
        let context = FileContext(
            collector: values.collector ?? parsed.summary.collector ?? "", collectorAccount: parsed.summary.collectorAccount ?? "",
            bankCode: spec.code, batchNo: values.batchNo ?? parsed.summary.batchNo.flatMap { Int($0) } ?? 1,
            fileDate: fileDate, collectionDate: collectionDate)
        let table = spec.layout(answer).outcomes ?? OutcomeTable(codes: [:])
        var outcomes: [Outcome: Int] = [:]
        var lines: [DebitLine] = []
        for parsedLine in parsed.lines {
            var line = parsedLine.line
            var outcome = Self.outcome(seed: seed, sequence: line.sequence, account: line.account, failRate: failRate)
            // A refund's answer is always a code of the bank's table (an unknown one is refused whole, never a failure).
            if kind == .refund, outcome == .unknown { outcome = .bankSystemError }
            // A bank with a code for 协议已解约 says it for every other agreement it does not hold (the
            // payer ended it); the banks without one answer 无协议, as before.
            if outcome == .agreementMissing, line.sequence % 2 == 0, table.representation(of: .agreementRevoked) != nil { outcome = .agreementRevoked }
            let representation: (code: String, text: String)
            if outcome == .unknown {
                representation = table.codes.isEmpty ? (table.textResultCode ?? "", Self.unmappedText(table, spec: spec))
                    : (Self.unmappedCode(table), "模拟未知错误")
            } else if let mapped = table.representation(of: outcome) {
                representation = mapped
            } else {
                outcome = .succeeded  // the bank's table has no code for it
                representation = table.representation(of: .succeeded) ?? ("", "")
            }
            outcomes[outcome, default: 0] += 1
            line.resultCode = representation.code
            line.resultText = representation.text
            line.bankSerial = String(format: "S%08X%06d", UInt32(truncatingIfNeeded: seed), line.sequence)
            lines.append(line)
        }
        let written = try FileWriter(spec: spec, kind: answer).write(lines, context: context)
        let signed: FileSignature.Signed
        if spec.signature.isSigned {
            // (A bank's own key handed over alone: its certificate is the one the workspace trusts, for a CMS .p7s.)
            signed = try FileSignature.sign(written.bytes, spec: spec, key: try returnKey ?? signing.signingKey(bank: spec.code, kind: answer),
                                            certificate: try? signing.certificate(bank: spec.code, kind: answer))
        } else {
            signed = FileSignature.Signed(file: written.bytes, detached: nil)
        }
        try FileIO.makePrivateDirectory(outputDirectory)
        let output = outputDirectory + "/" + FileWriter(spec: spec, kind: answer).fileName(context: context)
        if let detachedSignature = signed.detached { try FileIO.writeAtomically(detachedSignature, to: output + spec.signature.detachedSuffix) }
        try FileIO.writeAtomically(signed.file, to: output)
        return Result(kind: kind, path: output, outcomes: outcomes, lines: lines.count, total: written.total)
    }

    /// A text the table of a bank answering in words does not map, for the rare unknown outcome: whole
    /// words that fit the spec's result_text field in its encoding (never a character cut in two).
    static func unmappedText(_ table: OutcomeTable, spec: BankSpec) -> String {
        let width = spec.returns.detail.fields.first { $0.source == .resultText }?.width
        let bytesPerCharacter = spec.encoding == .utf8 ? 3 : 2
        for candidate in ["模拟未知错误", "未知错误", "未知", "?"] where table.texts[candidate] == nil {
            if let width, candidate.count * (candidate == "?" ? 1 : bytesPerCharacter) > width { continue }
            return candidate
        }
        return "?"
    }

    /// A code the bank's table does not map, for the rare unknown outcome, shaped like the bank's
    /// own failure codes (same length and characters, last character changed) so that the file stays
    /// valid for a format that constrains its codes (an XML schema's code list, say).
    static func unmappedCode(_ table: OutcomeTable) -> String {
        // Only codes of ASCII are reshaped: a Chinese word changed in its last character is no code at all (余额不9).
        let failures = table.codes.filter { $0.value != .succeeded && $0.key.unicodeScalars.allSatisfy(\.isASCII) }.keys.sorted()
        for code in failures {
            for replacement in "9876543210ZYX" {
                let candidate = String(code.dropLast()) + String(replacement)
                if table.codes[candidate] == nil && candidate != table.textResultCode { return candidate }
            }
        }
        let width = table.codes.keys.map(\.count).max() ?? 4
        for candidate in ["9999", "99", "XX", "ZZ", "E999", "X"] where table.codes[candidate] == nil && candidate != table.textResultCode {
            if candidate.count <= width { return candidate }
        }
        return String(repeating: "9", count: width)
    }
}
