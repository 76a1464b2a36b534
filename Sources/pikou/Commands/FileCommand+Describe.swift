import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
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
            print(Message(zh: "\(path)：\(spec.code)（\(spec.name)），\(kind.inWords.zh)，编码 \(spec.encoding.rawValue)",
                          en: "\(path): \(spec.code) (\(spec.name)), \(kind.rawValue), \(spec.encoding.rawValue)").text)
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
            for line in table.lines(limit: limit.value, width: limit.width) { print(line) }
            if !parsed.refusingErrors.isEmpty { throw ExitCode(1) }
        }
    }
}
