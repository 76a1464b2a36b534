import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle
import PikouXML

/// `pikou bench format`: the format engine's hot path, timed inside the process (used by `make bench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks of the format engine (used by make bench).", shouldDisplay: false, subcommands: [Format.self, XML.self])

    struct Format: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write+sign then read+verify N synthetic debit lines of a bank; print JSON timings.")

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchBank.text)) var bank: String = "BOC"
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchLines.text)) var lines: Int = 1_000_000
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchOut.text, valueName: "DIR")) var out: String

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            let generated = (0..<lines).map(syntheticLine)
            var spec1 = spec
            spec1.maxRecordsPerFile = max(spec.maxRecordsPerFile, lines)
            spec1.maxFileBytes = .max  // a bench file is larger than any the bank takes (its size bound follows the records' at load)
            spec1.maxTotalPerFile = nil
            let key = try workspace.signingKey(for: spec1, kind: .debit)
            let certificate = try workspace.certificate(for: spec1, kind: .debit, allowExpired: false)
            let context = FileContext(collector: "420100000001", bankCode: spec1.code, batchNo: 1,
                                      fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 15)!)
            let path = out + "/" + FileWriter(spec: spec1, kind: .debit).fileName(context: context)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)

            var clock = ContinuousClock.now
            let written = try FileWriter(spec: spec1, kind: .debit).write(generated, context: context)
            let formatSeconds = seconds(since: clock)
            let signed = try FileSignature.sign(written.bytes, spec: spec1, key: key)
            let signSeconds = seconds(since: clock) - formatSeconds
            if let detached = signed.detached { try FileIO.writeAtomically(detached, to: path + spec1.signature.detachedSuffix) }
            try FileIO.writeAtomically(signed.file, to: path)
            let writeSeconds = seconds(since: clock)

            clock = ContinuousClock.now
            guard let data = FileManager.default.contents(atPath: path) else { throw ExitCode(1) }
            let detached = FileManager.default.contents(atPath: path + spec1.signature.detachedSuffix).map { [UInt8]($0) }
            let parsed = try FileReader(spec: spec1, kind: .debit).readVerified([UInt8](data), detached: detached, certificate: certificate, fileName: path)
            let readSeconds = seconds(since: clock)
            guard parsed.isValid, parsed.lines.count == lines, parsed.total == written.total else {
                printError(notReadBack(parsed.diagnostics).rendered)
                throw ExitCode(1)
            }
            print("{\"bank\": \"\(spec1.code)\", \"lines\": \(lines), \"bytes\": \(signed.file.count), \"path\": \"\(path)\", \"write_sign_s\": \(writeSeconds), \"format_s\": \(formatSeconds), \"sign_s\": \(signSeconds), \"disk_s\": \(writeSeconds - formatSeconds - signSeconds), \"read_verify_s\": \(readSeconds), \"total_fen\": \(written.total.fen)}")
        }

    }

    struct XML: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream N synthetic debits into an XML bank's debit file and validate it against the schema; or read one back.")

        @OptionGroup var formats: FormatsOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchBank.text)) var bank: String = "ISO20022"
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchLines.text)) var lines: Int = 1_000_000
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchOut.text, valueName: "DIR")) var out: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.benchRead.text, valueName: "FILE")) var read: String?

        func run() throws {
            var spec = try formats.spec(bank)
            spec.maxRecordsPerFile = max(spec.maxRecordsPerFile, lines)
            spec.maxTotalPerFile = nil
            spec.maxFileBytes = .max
            if let read {
                let clock = ContinuousClock.now
                guard let data = FileManager.default.contents(atPath: read) else { throw ExitCode(1) }
                let parsed = FileReader(spec: spec, kind: .debit).read([UInt8](data), fileName: read)
                let readSeconds = seconds(since: clock)
                guard parsed.isValid else {
                    printError(notReadBack(parsed.diagnostics).rendered)
                    throw ExitCode(1)
                }
                print("{\"bank\": \"\(spec.code)\", \"lines\": \(parsed.lines.count), \"read_validate_s\": \(readSeconds), \"total_fen\": \(parsed.total?.fen ?? -1)}")
                return
            }
            guard let out else { throw usageError(Message(zh: "用 --out 指定写出的目录，或用 --read 指定要读回的文件", en: "give --out DIR to write, or --read FILE")) }
            let context = FileContext(collector: "420100000001", collectorAccount: "4201000000000000001", bankCode: spec.code, batchNo: 1,
                                      fileDate: CivilDate(year: 2026, month: 12, day: 1)!, collectionDate: CivilDate(year: 2026, month: 12, day: 15)!)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = out + "/" + FileWriter(spec: spec, kind: .debit).fileName(context: context)
            var total = Money.zero
            for n in 0..<lines { total = try total.adding(syntheticAmount(n)) }
            var clock = ContinuousClock.now
            let written = try FileWriter(spec: spec, kind: .debit).streamXML(
                to: path, lines: (0..<lines).lazy.map(syntheticLine), count: lines, total: total, context: context)
            let writeValidateSeconds = seconds(since: clock)
            clock = ContinuousClock.now
            let schema = try XMLSchema.load(path: spec.debit.xml?.schemaPath ?? "")
            let issues = schema.validate(fileAt: path)
            let validateSeconds = seconds(since: clock)
            guard issues.isEmpty else { throw ExitCode(1) }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("{\"bank\": \"\(spec.code)\", \"lines\": \(written.count), \"bytes\": \(bytes), \"path\": \"\(path)\", \"write_validate_s\": \(writeValidateSeconds), \"validate_s\": \(validateSeconds), \"total_fen\": \(written.total.fen)}")
        }
    }
}

/// A benchmark file that did not read back as written, with its first three diagnostics.
private func notReadBack(_ diagnostics: [Diagnostic]) -> PikouError {
    let shown = diagnostics.prefix(3)
    return PikouError("bench.readBack", Message(zh: "性能测试：文件未能原样读回：\(shown.map { $0.description(.zh) }.joined(separator: "\n"))",
                                                en: "bench: the file did not read back: \(shown)"))
}

private let syntheticNames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")

/// The amount of synthetic debit `n` (0-based).
private func syntheticAmount(_ n: Int) -> Money { Money(fen: 41_470 + Int64(n % 100_000)) }

/// Synthetic debit `n` (0-based): a valid ID number, a Chinese name, a card number.
private func syntheticLine(_ n: Int) -> DebitLine {
    let digits = [4, 2, 0, 1, 0, 6, 1, 9, 8, 0, (n % 12 + 1) / 10, (n % 12 + 1) % 10, (n % 28 + 1) / 10, (n % 28 + 1) % 10,
                  n % 1000 / 100, n % 100 / 10, n % 10]
    let id = String(decoding: digits.map { UInt8(48 + $0) }, as: UTF8.self) + String(IDNumber.checkCharacter(digits))
    let number = String(n)
    return DebitLine(
        sequence: n + 1, payerIDNumber: id,
        payerName: String(syntheticNames[n % syntheticNames.count]) + String(syntheticNames[(n / 20) % syntheticNames.count]) + "测",
        account: "621700" + String(repeating: "0", count: 13 - number.utf8.count) + number, agreementNo: "WH" + number,
        amount: syntheticAmount(n), period: "202612")
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
