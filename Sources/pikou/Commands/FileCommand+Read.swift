import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
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
            print(Message(zh: "文件：\(path)", en: "file:     \(path)").text)
            print(Message(zh: "银行：\(spec.code)（\(spec.name)），\(kind.inWords.zh)，编码 \(spec.encoding.rawValue)",
                          en: "bank:     \(spec.code) (\(spec.name)), \(kind.rawValue) file, \(spec.encoding.rawValue)").text)
            print(Message(zh: "笔数：明细 \(parsed.detailLineCount) 行，已解析 \(parsed.lines.count) 行",
                          en: "lines:    \(parsed.detailLineCount) detail lines, \(parsed.lines.count) parsed").text)
            if let total = parsed.total {
                print(Message(zh: "金额：\(total) 元（\(total.fen) 分）", en: "total:    \(total) yuan (\(total.fen) fen)").text)
            } else {
                print(Message(zh: "金额：合计超出 64 位分的范围 [file.amountOverflow]", en: "total:    past 64-bit fen (file.amountOverflow)").text)
            }
            if let count = parsed.summary.declaredCount {
                let declared = parsed.summary.declaredTotal
                print(Message(zh: "申报：\(count) 笔" + (declared.map { "，\($0) 元" } ?? ""),
                              en: "declared: \(count) lines" + (declared.map { ", \($0) yuan" } ?? "")).text)
            }
            if kind == .return {
                let counts = parsed.outcomeCounts
                for outcome in Outcome.allCases where counts[outcome] != nil {
                    let amounts = parsed.lines.filter { $0.outcome == outcome }.map(\.line.amount)
                    let amount = try? amounts.checkedSum()
                    let yuan = amount.map { Message(zh: "\($0) 元", en: "\($0) yuan") } ?? Message(zh: "超出 64 位分的范围", en: "past 64-bit fen")
                    print("  \(Catalogue.outcome(outcome).text.padded(to: 18)) \(String(counts[outcome]!).padded(to: 7)) \(yuan.text)")
                }
            }
            let refusing = parsed.refusingErrors.count, review = parsed.reviewFindings.count
            if refusing > 0 {
                print(Message(zh: "结论：无效（错误 \(errors) 个，警告 \(warnings) 个）：`pikou returns ingest` 会整个拒收",
                              en: "result:   INVALID (\(errors) errors, \(warnings) warnings): returns ingest would refuse it whole").text)
            } else if review > 0 {
                let one = review == 1
                let (plural, it, them) = (one ? "" : "s", one ? "it" : "them", one ? "it as an exception" : "them as exceptions")
                print(Message(zh: "结论：通过，\(review) 行需人工复核（`pikou returns ingest` 会将其入账并列为异常）",
                              en: "result:   OK, \(review) line\(plural) for operator review (returns ingest posts \(it) and lists \(them))").text)
            } else {
                print(Message(zh: "结论：通过（错误 \(errors) 个，警告 \(warnings) 个）", en: "result:   OK (\(errors) errors, \(warnings) warnings)").text)
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
}
