import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou lists notice|interrupted|refunds`.
struct ListsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists", abstract: Catalogue.Help.lists.text, subcommands: [Notice.self, Interrupted.self, Refunds.self])

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.listsNotice.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period
        @Option(help: ArgumentHelp(Catalogue.Help.Option.community.text)) var community: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.paidList(period: period, community: community) }
            printRows(PayerList.notice.columns, lines.map { PayerList.notice.cells($0) },
                      format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table { print(Catalogue.payersPaid(lines.count, yuan: total(lines)).text) }
        }
    }

    struct Interrupted: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.listsInterrupted.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.months.text)) var months: Int = 2
        @Option(help: ArgumentHelp(Catalogue.Help.Option.lastPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            guard months >= 1 else { throw usageError(Message(zh: "--months 至少为 1", en: "--months must be 1 or more")) }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let today = todayInChina()
            let last = try period ?? Period(year: today.year, month: today.month)
            let lines = try await reporting { try await pikou.interrupted(months: months, through: last) }
            printRows(PayerList.interrupted.columns, lines.map { PayerList.interrupted.cells($0) },
                      format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table { print(Catalogue.payersInterrupted(lines.count, months: months, through: last).text) }
        }
    }

    struct Refunds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.listsRefunds.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.refunds(period: period) }
            printRows(PayerList.refunds.columns, lines.map { PayerList.refunds.cells($0) },
                      format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table { print(Catalogue.payersToRefund(lines.count, yuan: total(lines)).text) }
        }
    }
}

/// The money of `lines`, grouped for the screen (or a note when it passes 64-bit fen).
private func total(_ lines: [PayerLine]) -> String {
    (try? lines.map(\.amount).checkedSum())?.groupedYuanText ?? Message(zh: "（超出 64 位分的范围）", en: "(more than 64-bit fen)").text
}
