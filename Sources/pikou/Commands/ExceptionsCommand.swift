import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou exceptions list|resolve|reopen`: exceptions as work items.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions", abstract: Catalogue.Help.exceptions.text,
        discussion: Catalogue.Help.Discussion.exceptions.text,
        subcommands: [List.self, Resolve.self, Reopen.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsList.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.exceptionKind(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")).text, valueName: "KIND")) var kind: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.exceptionState.text)) var state: String = "open"
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            guard let stateValue = ExceptionFilter.State(rawValue: state) else {
                let states = ExceptionFilter.State.allCases.map(\.rawValue)
                throw usageError(Message(zh: "--state '\(state)' 无效；可选：\(states.map { "'\($0)'" }.joined(separator: "、"))",
                                         en: "--state '\(state)' is not one of \(states.joined(separator: ", "))"))
            }
            let kindValue = try kind.map { text -> ExceptionKind in
                guard let value = ExceptionKind(rawValue: text) else {
                    let kinds = ExceptionKind.allCases
                    let named = kinds.map { "'\($0.rawValue)'（\(Catalogue.exceptionKind($0).zh)）" }.joined(separator: "、")
                    let known = kinds.map(\.rawValue).joined(separator: ", ")
                    throw usageError(Message(zh: "--kind '\(text)' 不是异常类型；可选：\(named)",
                                             en: "--kind '\(text)' is not a kind of exception; known: \(known)"))
                }
                return value
            }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let records = try await reporting {
                try await pikou.exceptions(period: period, filter: ExceptionFilter(state: stateValue, bank: bankArgument(bank, in: workspace), kind: kindValue))
            }
            let columns = [ListColumn("id", Catalogue.id, .right), ListColumn("bank", Catalogue.bank), ListColumn("return_file", Catalogue.returnFile),
                           ListColumn("line", Catalogue.line, .right), ListColumn("kind", Catalogue.kind), ListColumn("detail", Catalogue.detail, shrinks: true),
                           ListColumn("state", Catalogue.state), ListColumn("note", Catalogue.note, drop: 3), ListColumn("by", Catalogue.by, drop: 2),
                           ListColumn("at", Catalogue.at, drop: 1)]
            printRows(columns, records.map { x in
                [ListCell(String(x.id)), ListCell(x.bank), ListCell(x.returnFile), ListCell(String(x.line)),
                 ListCell(Catalogue.exceptionKind(x.kind), code: x.kind.rawValue), ListCell(x.detail, code: x.detail.en),
                 x.resolved ? ListCell(Catalogue.resolved, code: "resolved") : ListCell(Catalogue.open, code: "open"),
                 ListCell(x.lastAction?.note ?? ""), ListCell(x.lastAction?.actor ?? ""), ListCell(x.lastAction?.at ?? "")]
            }, format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table {
                let state = stateValue == .all ? Message(zh: "", en: "") : stateValue == .open ? Catalogue.open : Catalogue.resolved
                print(Catalogue.exceptionsCount(records.count, state: state.text).text)
            }
        }
    }

    /// Resolves or reopens exception `id`, saying which it is now.
    static func set(_ id: Int64, resolved: Bool, note: String, options: StoreOptions) async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let record = try await reporting { try await pikou.setException(id: id, resolved: resolved, note: note, actor: options.actorName) }
        let place = "\(record.bank)/\(record.returnFile):\(record.line)"
        let kind = Catalogue.exceptionKind(record.kind).text
        print((resolved ? Catalogue.exceptionResolved(id: record.id, place: place, kind: kind, actor: options.actorName)
                        : Catalogue.exceptionReopened(id: record.id, place: place, kind: kind)).text)
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsResolve.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.exceptionIDFromList.text)) var id: Int64
        @Option(help: ArgumentHelp(Catalogue.Help.Option.resolveNote.text)) var note: String
        @Option(name: .customLong("confirmed-outcome"), help: ArgumentHelp(Catalogue.Help.Option.confirmedOutcome.text, valueName: "OUTCOME"))
        var confirmedOutcome: String?

        func run() async throws {
            guard let confirmedOutcome else { return try await ExceptionsCommand.set(id, resolved: true, note: note, options: options) }
            // The result the operator confirmed with the bank closes the debit; the note says how it was confirmed.
            guard let outcome = Outcome(codeOrLabel: confirmedOutcome), outcome != .cancelled, outcome != .unknown else {
                throw usageError(Message(zh: "--confirmed-outcome '\(confirmedOutcome)' 不是一种结果", en: "--confirmed-outcome '\(confirmedOutcome)' is not an outcome"),
                                 fix: Message(zh: "写 'succeeded'（成功）或失败的原因，如 'insufficientFunds'（余额不足）",
                                              en: "write 'succeeded' or why it failed, e.g. 'insufficientFunds'"))
            }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let record = try await reporting { try await pikou.confirmException(id: id, outcome: outcome, reason: note, actor: options.actorName) }
            print(Catalogue.exceptionConfirmed(id: record.id, place: "\(record.bank)/\(record.returnFile):\(record.line)", outcome: Catalogue.outcome(outcome),
                                               actor: options.actorName).text)
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsReopen.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.exceptionID.text)) var id: Int64
        @Option(help: ArgumentHelp(Catalogue.Help.Option.reopenNote.text)) var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: false, note: note, options: options) }
    }
}
