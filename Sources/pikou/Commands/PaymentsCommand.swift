import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou payments import`.
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments", abstract: Catalogue.Help.payments.text, subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.paymentsImport.text,
            discussion: Catalogue.Help.Discussion.paymentsImport.text
        )

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.paymentsFile.text))
        var file: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.csvEncoding.text))
        var encoding: CSVInput.Encoding = .auto

        @Option(help: ArgumentHelp(Catalogue.Help.Option.rejects.text, valueName: "PATH"))
        var rejects: String?

        @OptionGroup var locking: LockOptions

        func run() async throws {
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "payments import", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let imported: UseCases.PaymentsImportReport
            do {
                imported = try await pikou.importPayments(file: file, encoding: encoding, actor: options.actorName)
            } catch {
                report(error)  // the file unreadable as payments (its line and field), or the store's failure
                throw ExitCode(1)
            }
            let (counts, checked) = (imported.counts, (rejects: imported.rejected, columns: imported.columns))
            print(Catalogue.paymentsImported(file: file, recorded: counts.inserted, known: counts.alreadyKnown, unknownPayers: counts.unknownPayers.count,
                                             rejected: checked.rejects.count).text)
            for line in counts.unknownPayers.prefix(10) {
                printError(Message(zh: "\(file):\(line): 警告：名册中没有该缴费人，此笔缴费未登记",
                                   en: "\(file):\(line): warning: no such payer in the roster; payment not recorded").text)
            }
            for (line, due) in counts.aboveDue.prefix(10) { printError(Catalogue.paymentAboveDue(file: file, line: line, due: due.groupedYuanText).text) }
            try reportRejects(checked.rejects, columns: checked.columns, input: file, to: rejects)
            // As roster import: 2 when rows were set aside (or named a payer the roster lacks, or paid above the due).
            if !checked.rejects.isEmpty || !counts.unknownPayers.isEmpty || !counts.aboveDue.isEmpty { throw ExitCode(2) }
        }
    }
}
