import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

/// `pikou file`: write and read single bank files, without a store.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: Catalogue.Help.file.text,
        subcommands: [Write.self, Read.self, Describe.self, Diff.self, Sign.self, Verify.self, Cancel.self]
    )

    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileWrite.text,
            discussion: Catalogue.Help.Discussion.fileWrite.text
        )

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKindExplained.text))
        var kind: FileKind = .debit

        @Option(name: .customLong("in"), help: ArgumentHelp(Catalogue.Help.Option.debitLinesCSV.text, valueName: "CSV"))
        var input: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileWriteOut.text, valueName: "PATH"))
        var out: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileCollector.text))
        var collector: String = "420100000001"

        @Option(help: ArgumentHelp(Catalogue.Help.Option.collectorAccount.text))
        var collectorAccount: String = "4201000000000000001"

        @Option(help: ArgumentHelp(Catalogue.Help.Option.batch.text))
        var batch: Int = 1

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileDate.text))
        var date: String?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.collectionDate.text))
        var collectionDate: String?

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.skipPreflight.text))
        var skipPreflight = false

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            let bytes = try readBytes(input)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                printError("\(input): error: the CSV must be UTF-8")
                throw ExitCode(1)
            }
            let (lines, csvDiagnostics) = DebitLineCSV.parse(text: text, fileName: input, kind: kind, validate: !skipPreflight)
            printDiagnostics(csvDiagnostics)
            if csvDiagnostics.hasErrors {
                printError("\(input): \(csvDiagnostics.filter { $0.severity == .error }.count) bad row(s); nothing written")
                throw ExitCode(1)
            }
            let fileDate = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let context = FileContext(
                collector: collector, collectorAccount: collectorAccount, bankCode: spec.code, batchNo: batch,
                fileDate: fileDate, collectionDate: try collectionDate.map { try parseDate($0, option: "--collection-date") } ?? fileDate)
            let writer = FileWriter(spec: spec, kind: kind)
            let written: WrittenFile
            do {
                written = try writer.write(lines, context: context)
            } catch {
                printDiagnostics(error.diagnostics.map { $0.inFile(input) })
                printError("\(input): nothing written")
                throw ExitCode(1)
            }
            printDiagnostics(written.warnings.map { $0.inFile(input) })
            var isDirectory: ObjCBool = false
            let path = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
                ? out + "/" + writer.fileName(context: context) : out
            let signed = try signFile(written.bytes, spec: spec, kind: kind, workspace: workspace)
            if let detached = signed.detached { try writeAtomically(detached, to: path + ".sig") }
            try writeAtomically(signed.file, to: path)
            let signature = spec.signature.isSigned ? ", signed \(spec.signature.scheme.rawValue) (\(spec.signature.placement.rawValue))" : ""
            print("\(path): \(written.count) lines, total \(written.total) yuan (\(written.total.fen) fen), \(signed.file.count) bytes, \(spec.encoding.rawValue)\(signature)")
        }
    }

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileRead.text,
            discussion: Catalogue.Help.Discussion.fileRead.text
        )

        @OptionGroup var file: BankFileOptions

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.json.text))
        var json = false

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text))
        var path: String

        var bank: String { file.bank }
        var kind: FileKind { file.kind }
        var showPersonal: Bool { file.showPersonal }

        func run() throws {
            let spec = try file.spec()
            let parsed = try file.parse(path, spec: spec)
            printDiagnostics(parsed.diagnostics)
            if json {
                try printJSON(parsed)
            } else {
                printSummary(parsed, spec: spec)
            }
            // As `returns ingest` decides: refusing errors exit 1; lines for review alone do not.
            if !parsed.refusingErrors.isEmpty { throw ExitCode(1) }
        }

        private func printSummary(_ parsed: ParsedFile, spec: BankSpec) {
            let errors = parsed.diagnostics.filter { $0.severity == .error }.count
            let warnings = parsed.diagnostics.count - errors
            print("file:     \(path)")
            print("bank:     \(spec.code) (\(spec.name)), \(kind.rawValue) file, \(spec.encoding.rawValue)")
            print("lines:    \(parsed.detailLineCount) detail lines, \(parsed.lines.count) parsed")
            if let total = parsed.total { print("total:    \(total) yuan (\(total.fen) fen)") } else { print("total:    past 64-bit fen (file.amountOverflow)") }
            if let count = parsed.summary.declaredCount { print("declared: \(count) lines" + (parsed.summary.declaredTotal.map { ", \($0) yuan" } ?? "")) }
            if kind == .return {
                let counts = parsed.outcomeCounts
                for outcome in Outcome.allCases where counts[outcome] != nil {
                    let amounts = parsed.lines.filter { $0.outcome == outcome }.map(\.line.amount)
                    let amount = try? amounts.checkedSum()
                    print("  \(outcome.rawValue.padded(to: 18)) \(String(counts[outcome]!).padded(to: 7)) \(amount.map { "\($0) yuan" } ?? "past 64-bit fen")")
                }
            }
            let refusing = parsed.refusingErrors.count, review = parsed.reviewFindings.count
            if refusing > 0 {
                print("result:   INVALID (\(errors) errors, \(warnings) warnings): returns ingest would refuse it whole")
            } else if review > 0 {
                print("result:   OK, \(review) line\(review == 1 ? "" : "s") for operator review (returns ingest posts \(review == 1 ? "it" : "them") and lists \(review == 1 ? "it as an exception" : "them as exceptions"))")
            } else {
                print("result:   OK (\(errors) errors, \(warnings) warnings)")
            }
        }

        private struct LineJSON: Encodable {
            let line: Int
            let seq: Int
            let payer_id_number: String
            let payer_name: String
            let account: String
            let agreement_no: String
            let amount_fen: Int64
            let amount_yuan: String
            let period: String
            let memo: String?
            let result_code: String?
            let result_text: String?
            let bank_serial: String?
            let outcome: String?
        }

        private struct SummaryJSON: Encodable {
            let summary = true
            let file: String
            let bank: String
            let kind: String
            let detail_lines: Int
            let parsed_lines: Int
            let total_fen: Int64?
            let declared_count: Int?
            let declared_total_fen: Int64?
            let errors: Int
            let warnings: Int
        }

        private func printJSON(_ parsed: ParsedFile) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            func emit<T: Encodable>(_ value: T) throws {
                print(String(decoding: try encoder.encode(value), as: UTF8.self))
            }
            for parsedLine in parsed.lines {
                let l = parsedLine.line
                let isReturn = kind == .return
                try emit(LineJSON(
                    line: parsedLine.lineNumber, seq: l.sequence,
                    payer_id_number: showPersonal ? l.payerIDNumber : Masking.idNumber(l.payerIDNumber),
                    payer_name: showPersonal ? l.payerName : Masking.name(l.payerName),
                    account: showPersonal ? l.account : Masking.account(l.account),
                    agreement_no: l.agreementNo, amount_fen: l.amount.fen, amount_yuan: l.amount.yuanText,
                    period: l.period, memo: l.memo.isEmpty ? nil : l.memo,
                    result_code: isReturn ? l.resultCode : nil, result_text: isReturn ? l.resultText : nil,
                    bank_serial: isReturn && !l.bankSerial.isEmpty ? l.bankSerial : nil,
                    outcome: parsedLine.outcome?.rawValue))
            }
            let errors = parsed.diagnostics.filter { $0.severity == .error }.count
            try emit(SummaryJSON(
                file: path, bank: bank.uppercased(), kind: kind.rawValue, detail_lines: parsed.detailLineCount,
                parsed_lines: parsed.lines.count, total_fen: parsed.total?.fen, declared_count: parsed.summary.declaredCount,
                declared_total_fen: parsed.summary.declaredTotal?.fen, errors: errors, warnings: parsed.diagnostics.count - errors))
        }
    }

    /// `pikou file describe`: a readable table of a bank file's records.
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.fileDescribe.text, discussion: Catalogue.Help.Discussion.fileDescribe.text)

        @OptionGroup var file: BankFileOptions
        @OptionGroup var limit: LimitOption
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text)) var path: String

        func run() throws {
            let (spec, kind, showPersonal) = (try file.spec(), file.kind, file.showPersonal)
            let parsed = try file.parse(path, spec: spec)
            printDiagnostics(parsed.diagnostics)
            print("\(path): \(spec.code) (\(spec.name)), \(kind.rawValue), \(spec.encoding.rawValue)")
            var columns = [TextTable.Column(Catalogue.line.text, .right), TextTable.Column(Message(zh: "序号", en: "SEQ").text, .right),
                           TextTable.Column(Catalogue.payer.text), TextTable.Column(Catalogue.name.text), TextTable.Column(Catalogue.account.text),
                           TextTable.Column(Message(zh: "协议号", en: "AGREEMENT").text), TextTable.Column(Catalogue.amountYuan.text, .right),
                           TextTable.Column(Catalogue.period.text), TextTable.Column(Message(zh: "附言", en: "MEMO").text)]
            if kind == .return {
                columns += [TextTable.Column(Catalogue.bankCode.text), TextTable.Column(Catalogue.bankText.text), TextTable.Column(Catalogue.outcome.text)]
            }
            var table = TextTable(columns)
            for parsedLine in parsed.lines {
                let l = parsedLine.line
                var cells = [String(parsedLine.lineNumber), String(l.sequence),
                             showPersonal ? l.payerIDNumber : Masking.idNumber(l.payerIDNumber), showPersonal ? l.payerName : Masking.name(l.payerName),
                             showPersonal ? l.account : Masking.account(l.account), l.agreementNo, l.amount.groupedYuanText, l.period, l.memo]
                if kind == .return { cells += [l.resultCode, l.resultText, parsedLine.outcome.map { Catalogue.outcome($0).text } ?? ""] }
                table.add(cells)
            }
            if let total = parsed.total {
                table.addFooter([Catalogue.total.text, String(parsed.lines.count), "", "", "", "", total.groupedYuanText, "", ""]
                                + (kind == .return ? ["", "", ""] : []))
            }
            for line in table.lines(limit: limit.value) { print(line) }
            if !parsed.refusingErrors.isEmpty { throw ExitCode(1) }
        }
    }

    /// `pikou file diff`: what changed between two files of one bank's layout.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.fileDiff.text, discussion: Catalogue.Help.Discussion.fileDiff.text)

        @OptionGroup var file: BankFileOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.diffOld.text)) var old: String
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.diffNew.text)) var new: String

        func run() throws {
            let spec = try file.spec()
            let before: ParsedFile, after: ParsedFile
            do {
                before = try file.parse(old, spec: spec)
                after = try file.parse(new, spec: spec)
            } catch {
                throw ExitCode(2)  // as diff(1): 2 is trouble, 1 is a difference
            }
            printDiagnostics(before.diagnostics + after.diagnostics)
            let diff = FileDiff(old: before.lines, new: after.lines, whole: file.showPersonal)
            for sequence in diff.duplicateSequences { printError(Catalogue.diffDuplicateSequence(sequence).text) }
            for record in diff.removed { print("- \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(old):\(record.oldLine ?? 0)") }
            for record in diff.added { print("+ \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(new):\(record.newLine ?? 0)") }
            for record in diff.changed {
                print("~ \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(old):\(record.oldLine ?? 0) → \(new):\(record.newLine ?? 0)")
                for change in record.changes { print("    \(change.field.padded(to: 13)) \(change.old.isEmpty ? "''" : change.old) → \(change.new.isEmpty ? "''" : change.new)") }
            }
            let totals = [before.total, after.total].map { $0.map(\.groupedYuanText) ?? "—" }
            print(Catalogue.diffSummary(added: diff.added.count, removed: diff.removed.count, changed: diff.changed.count,
                                        oldLines: before.lines.count, newLines: after.lines.count, oldTotal: totals[0], newTotal: totals[1]).text)
            if !before.refusingErrors.isEmpty || !after.refusingErrors.isEmpty { throw ExitCode(2) }
            if !diff.isEmpty { throw ExitCode(1) }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileSign.text,
            discussion: Catalogue.Help.Discussion.fileSign.text
        )

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text))
        var kind: FileKind = .debit

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text))
        var path: String

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            guard spec.signature.isSigned else {
                printError("\(path): error: \(spec.code) files are not signed (signature scheme none)")
                throw ExitCode(1)
            }
            // Hash the file from disk in chunks; only a trailer file is rewritten (to replace or append its line).
            let key = try workspace.signingKey(for: spec, kind: kind)
            if spec.signature.placement.isXML {
                // An XML file is signed whole: an existing signature (and envelope) is replaced.
                let bytes = try readBytes(path)
                let payload = FileSignature.unverifiedPayload(bytes, spec: spec)
                do {
                    try writeAtomically(try FileSignature.sign(payload, spec: spec, key: key).file, to: path)
                } catch let error as CryptoError {
                    printError("\(path): error: cannot sign: \(error)")
                    throw ExitCode(1)
                }
                print("\(path): signed \(spec.signature.scheme.rawValue) (\(spec.signature.placement.rawValue)) over the canonical document")
                return
            }
            let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            var payloadLength: Int? = nil
            if spec.signature.placement == .trailer, case .success(let found) = FileSignature.locate(fileAt: path, detached: nil, spec: spec) {
                payloadLength = found.payloadLength  // an existing signature line is replaced
            }
            let signature: [UInt8]
            do {
                signature = try FileSignature.signature(fileAt: path, length: payloadLength, spec: spec, key: key)
            } catch {
                printError("\(path): error: cannot sign: \(error)")
                throw ExitCode(1)
            }
            switch spec.signature.placement {
            case .detached:
                try writeAtomically(signature, to: path + ".sig")
            case .trailer:
                var bytes = try readBytes(path)
                if let payloadLength { bytes.removeSubrange(payloadLength...) }
                try writeAtomically(bytes + signature, to: path)
            case .xmlEnveloped, .xmlEnvelope:
                break
            }
            let payload = payloadLength ?? fileSize
            print("\(path): signed \(spec.signature.scheme.rawValue) (\(spec.signature.placement.rawValue)) over \(payload) bytes")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileVerify.text,
            discussion: Catalogue.Help.Discussion.fileVerify.text
        )

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text))
        var kind: FileKind = .return

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.allowExpired.text))
        var allowExpired = false

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text))
        var path: String

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            guard spec.signature.isSigned else {
                print("\(path): \(spec.code) files are not signed (signature scheme none): nothing to verify")
                return
            }
            let certificate = try workspace.certificate(for: spec, kind: kind, allowExpired: allowExpired)
            let result: Result<Int, DiagnosticError>
            do {
                // Hashed from disk in chunks, so a text file of any size is never loaded whole (an
                // XML file's enveloped signature is checked on its canonical tree, in memory).
                result = try FileSignature.verify(fileAt: path, detached: readDetachedSignature(path), spec: spec, certificate: certificate)
            } catch {
                printError("\(path): error: \(error)")
                throw ExitCode(1)
            }
            let payload: Int
            switch result {
            case .success(let length): payload = length
            case .failure(let error):
                report(error)
                throw ExitCode(1)
            }
            print("\(path): signature OK — \(spec.signature.scheme.rawValue) (\(spec.signature.placement.rawValue)) over \(payload) bytes")
            print("  signer: \(certificate.subject), valid \(Certificate.format(epoch: certificate.notBefore)) to \(Certificate.format(epoch: certificate.notAfter))")
        }
    }
}

/// Signs `bytes` as `spec` says, with the workspace's key for `kind` files; unsigned specs pass through.
func signFile(_ bytes: [UInt8], spec: BankSpec, kind: FileKind, workspace: WorkspaceOptions) throws -> FileSignature.Signed {
    guard spec.signature.isSigned else { return FileSignature.Signed(file: bytes, detached: nil) }
    let key = try workspace.signingKey(for: spec, kind: kind)
    let signed: FileSignature.Signed
    do {
        signed = try FileSignature.sign(bytes, spec: spec, key: key)
    } catch {
        printError("error: cannot sign for \(spec.code): \(error)")
        throw ExitCode(1)
    }
    // In the bank's envelope, the file as sent must be valid under the envelope's schema.
    let issues = XMLSignature.envelopeIssues(signed.file, spec: spec, fileName: "\(spec.code) \(kind.rawValue) file")
    if !issues.isEmpty {
        printDiagnostics(issues)
        throw ExitCode(1)
    }
    return signed
}

/// How `file read`, `file describe` and `file diff` read a bank file: its bank and kind, signature checking, masking.
struct BankFileOptions: ParsableArguments {
    @OptionGroup var formats: FormatsOptions
    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text)) var bank: String
    @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text)) var kind: FileKind = .return
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.skipVerify.text)) var skipVerify = false
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.allowExpired.text)) var allowExpired = false
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.showPersonal.text)) var showPersonal = false

    func spec() throws -> BankSpec { try formats.spec(bank, config: workspace.configPath) }

    func parse(_ path: String, spec: BankSpec) throws -> ParsedFile {
        try parseBankFile(path, spec: spec, kind: kind, skipVerify: skipVerify, allowExpired: allowExpired, workspace: workspace)
    }
}

/// Reads, verifies (unless `skipVerify`) and parses a bank file; a file refused outright (too big, a
/// bad signature) is reported and fails the command.
func parseBankFile(_ path: String, spec: BankSpec, kind: FileKind, skipVerify: Bool, allowExpired: Bool, workspace: WorkspaceOptions) throws -> ParsedFile {
    let bytes = try readBytes(path)
    let reader = FileReader(spec: spec, kind: kind)
    // Bounds first, before a signature check or libxml2 looks at the bytes.
    if let refused = reader.refusal(bytes, fileName: path) {
        printDiagnostics([refused])
        throw ExitCode(1)
    }
    let payload: [UInt8]
    if skipVerify {
        if spec.signature.isSigned { printError("\(path): warning: signature NOT checked (--skip-verify)") }
        payload = FileSignature.unverifiedPayload(bytes, spec: spec)
    } else {
        payload = try verifiedPayload(bytes, path: path, spec: spec, kind: kind, workspace: workspace, allowExpired: allowExpired)
    }
    return reader.read(payload, fileName: path)
}
