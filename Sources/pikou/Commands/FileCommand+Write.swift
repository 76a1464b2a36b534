import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
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
                let notUTF8 = Message(zh: "\(input): 错误：CSV 文件须为 UTF-8 编码", en: "\(input): error: the CSV must be UTF-8")
                printError(PikouError("file.wrongEncoding", notUTF8).rendered)
                throw ExitCode(1)
            }
            let (lines, csvDiagnostics) = DebitLineCSV.parse(text: text, fileName: input, kind: kind, validate: !skipPreflight)
            printDiagnostics(csvDiagnostics)
            if csvDiagnostics.hasErrors {
                let bad = csvDiagnostics.filter { $0.severity == .error }.count
                printError(Message(zh: "\(input)：\(bad) 行有误，未写出文件", en: "\(input): \(bad) bad row(s); nothing written").text)
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
                printError(Message(zh: "\(input)：未写出文件", en: "\(input): nothing written").text)
                throw ExitCode(1)
            }
            printDiagnostics(written.warnings.map { $0.inFile(input) })
            var isDirectory: ObjCBool = false
            let path = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
                ? out + "/" + writer.fileName(context: context) : out
            let signed = try signFile(written.bytes, spec: spec, kind: kind, workspace: workspace)
            if let detached = signed.detached { try writeAtomically(detached, to: path + spec.signature.detachedSuffix) }
            try writeAtomically(signed.file, to: path)
            let (scheme, placement) = (spec.signature.scheme.rawValue, spec.signature.placement.rawValue)
            let signature = spec.signature.isSigned
                ? Message(zh: "，已签名 \(scheme)\(Catalogue.signaturePlacement(placement).zh)", en: ", signed \(scheme) (\(placement))")
                : Message(zh: "", en: "")
            let (count, total, fen, size, encoding) = (written.count, written.total, written.total.fen, signed.file.count, spec.encoding.rawValue)
            print(Message(zh: "\(path)：\(count) 笔，合计 \(total) 元（\(fen) 分），\(size) 字节，编码 \(encoding)\(signature.zh)",
                          en: "\(path): \(count) lines, total \(total) yuan (\(fen) fen), \(size) bytes, \(encoding)\(signature.en)").text)
        }
    }
}
