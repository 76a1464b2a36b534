import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou failures list`.
struct FailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "failures", abstract: Catalogue.Help.failures.text, subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.failuresList.text,
            discussion: Catalogue.Help.Discussion.failuresList.text
        )

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.failuresOutcome.text)) var outcome: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.district.text)) var district: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @Option(help: ArgumentHelp(Catalogue.Help.Option.retryDate.text)) var date: String?
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.failuresShowIDs.text)) var showIds = false
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            if showIds && format != .table {
                throw usageError(Message(zh: "--show-ids 只用于屏幕上的表格；导出的文件中证件号始终脱敏",
                                         en: "--show-ids is for the table on screen; exports keep IDs masked"))
            }
            let outcomeValue = try outcome.map(outcomeArgument)
            let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let failures = try await reporting {
                try await pikou.failures(FailureFilter(period: period, bank: bankArgument(bank, in: workspace), outcome: outcomeValue, district: district),
                                         today: today)
            }
            let columns = [
                ListColumn("period", Catalogue.period), ListColumn("bank", Catalogue.bank), ListColumn("payer", Catalogue.payer),
                ListColumn("name", Catalogue.name), ListColumn("account", Catalogue.account, drop: 4), ListColumn("amount_yuan", Catalogue.amountYuan, .right),
                ListColumn("outcome", Catalogue.outcome), ListColumn("bank_code", Catalogue.bankCode, drop: 2), ListColumn("bank_text", Catalogue.bankText, drop: 1),
                ListColumn("attempts", Catalogue.attempts, .right, drop: 3), ListColumn("next", Catalogue.nextStep),
            ]
            var steps: [Message: Int] = [:]
            let rows = failures.map { failure -> [ListCell] in
                let (f, step) = (failure.record, Catalogue.nextStep(failure.next))
                steps[step, default: 0] += 1
                return [ListCell(f.period.description), ListCell(f.bank), ListCell(showIds ? f.idNumber.value : f.idNumber.masked),
                        ListCell(Masking.name(f.name)), ListCell(f.account.masked), ListCell(f.amount),
                        ListCell(Catalogue.outcome(f.outcome), code: f.outcome.rawValue), ListCell(f.bankCode), ListCell(f.bankText),
                        ListCell(String(f.attempts)), ListCell(step, code: step.en)]
            }
            printRows(columns, rows, format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table {
                let total = (try? failures.map(\.record.amount).checkedSum())?.groupedYuanText
                    ?? Message(zh: "（超出 64 位分的范围）", en: "(more than 64-bit fen)").text
                let counted = steps.sorted { $0.key.en < $1.key.en }.map { "\($0.value) \($0.key.text)" }.joined(separator: Language.current == .zh ? "，" : ", ")
                print(Catalogue.failedDebits(failures.count, yuan: total, steps: counted).text)
            }
            // Debits reserved but never written cover their dues without having reached a bank.
            let unwritten = try await reporting { try await pikou.unwrittenFiles() }
            if !unwritten.isEmpty {
                let lines = unwritten.reduce(0) { $0 + $1.count }
                printError(Catalogue.unwrittenNote(lines: lines, files: unwritten.count, names: unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: ", ")).text)
            }
        }
    }
}
