import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou payer show`.
struct PayerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payer", abstract: Catalogue.Help.payer.text, subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.payerShow.text, discussion: Catalogue.Help.payerShowDiscussion.text)

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var id: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerPeriod.text), transform: periodArgument) var period: Period?
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.payerShowIDs.text)) var showIds = false
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.wide.text)) var wide = false

        func run() async throws {
            let idNumber = try idNumberArgument(id, option: "ID")
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            guard let payer = try await reporting({ try await pikou.payer(idNumber) }) else {
                printError(PikouError("payer.notFound", Catalogue.noSuchPayer(idNumber.masked)).rendered)
                throw ExitCode(1)
            }
            let account = { (account: BankAccount) in showIds ? account.number : account.masked }
            print(Catalogue.payerHeadline(id: showIds ? idNumber.value : idNumber.masked, name: showIds ? payer.name : Masking.name(payer.name),
                                          phone: payer.phone, place: "\(payer.district) \(payer.street) \(payer.community)").text)

            section(Catalogue.agreementsTitle, columns: [.init(Catalogue.bank.text), .init(Catalogue.account.text), .init(Catalogue.accountName.text),
                                                          .init(Catalogue.state.text), .init(Catalogue.version.text, .right)],
                    rows: payer.agreements.map {
                        [$0.bank, account($0.account), showIds ? $0.accountName : Masking.name($0.accountName),
                         ($0.active ? Catalogue.active : Catalogue.revoked).text, String($0.version)]
                    })
            section(Catalogue.enrollmentsTitle, columns: [.init(Catalogue.insuranceColumn.text), .init(Catalogue.tier.text), .init(Catalogue.bank.text),
                                                           .init(Catalogue.from.text), .init(Catalogue.until.text), .init(Catalogue.state.text)],
                    rows: payer.enrollments.map {
                        [Catalogue.insurance($0.insurance).text, Catalogue.tierName($0.tier).text, $0.bank, $0.start.description, $0.end?.description ?? "",
                         ($0.suspended ? Catalogue.suspendedState : Catalogue.active).text]
                    })
            section(Catalogue.duesTitle, columns: [.init(Catalogue.period.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.amountYuan.text, .right),
                                                    .init(Catalogue.state.text)],
                    rows: payer.dues.filter { period == nil || $0.period == period }.map {
                        [Catalogue.duePeriod($0.period, annual: $0.annual).text, Catalogue.insurance($0.insurance).text, $0.amount.groupedYuanText, Catalogue.dueState($0.state).text]
                    })
            let residents = try await reporting { try await pikou.residentDues(idNumber) }
            if !residents.isEmpty {
                section(Catalogue.residentDuesTitle, columns: [
                    .init(Catalogue.coverYearColumn.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.dueSeq.text, .right), .init(Catalogue.tier.text, .right),
                    .init(Catalogue.standardPart.text, .right), .init(Catalogue.personalPart.text, .right), .init(Catalogue.subsidyPart.text, .right),
                    .init(Catalogue.governmentPart.text, .right), .init(Catalogue.state.text), .init(Catalogue.why.text, shrinks: true),
                ], rows: residents.map { due, why in
                    [String(due.year), Catalogue.insurance(due.insurance).text, String(due.seq), due.parts.tier?.groupedYuanText ?? "",
                     due.parts.standard.groupedYuanText, due.parts.personal.groupedYuanText, due.parts.subsidy.groupedYuanText,
                     due.parts.government.groupedYuanText,
                     (due.parts.personal == .zero ? Catalogue.paidByPublicFunds : Catalogue.dueState(due.state)).text, why?.text ?? due.parts.rule]
                })
                // Each explanation whole (the table's column may cut it): every public part and the rule, said once.
                for (due, why) in residents {
                    guard let why else { continue }
                    print("  " + Catalogue.residentDueWhy(year: due.year, insurance: due.insurance, seq: due.seq, why: why).text)
                }
            }
            section(Catalogue.debitsTitle, columns: [.init(Catalogue.period.text), .init(Catalogue.bank.text), .init(Catalogue.file.text),
                                                      .init(Catalogue.collectionDate.text, drop: 2), .init(Catalogue.amountYuan.text, .right),
                                                      .init(Catalogue.outcome.text), .init(Catalogue.bankText.text, shrinks: true),
                                                      .init(Catalogue.returnFile.text, drop: 1)],
                    rows: payer.debits.filter { period == nil || $0.period == period }.map {
                        [Catalogue.duePeriod($0.period, annual: $0.annual).text, $0.bank, $0.fileName + ($0.written ? "" : Catalogue.notWritten.text), $0.collectionDate.description,
                         $0.amount.groupedYuanText, $0.outcome.map { Catalogue.outcome($0).text } ?? Catalogue.awaitingReturn.text,
                         $0.bankText.isEmpty ? $0.bankCode : "\($0.bankCode) \($0.bankText)", $0.returnFile]
                    })
            section(Catalogue.paymentsTitle, columns: [.init(Catalogue.period.text), .init(Catalogue.insuranceColumn.text), .init(Catalogue.amountYuan.text, .right),
                                                        .init(Catalogue.channel.text), .init(Catalogue.reference.text)],
                    rows: payer.payments.filter { period == nil || $0.period == period }.map {
                        [$0.period.description, Catalogue.insurance($0.insurance).text, $0.amount.groupedYuanText, Catalogue.paymentChannel($0.channel).text, $0.reference]
                    })
            section(Catalogue.journalTitle, columns: [.init(Catalogue.at.text), .init(Catalogue.by.text), .init(Catalogue.action.text), .init(Catalogue.detail.text, shrinks: true)],
                    rows: payer.journal.map { [$0.at, $0.actor, Catalogue.journalAction($0.action).text, Catalogue.journalDetail($0.detail).text] })
        }

        /// A titled table, or the title and "none".
        private func section(_ title: Message, columns: [TextTable.Column], rows: [[String]]) {
            print("\n" + title.text + (rows.isEmpty ? Catalogue.none.text : ""))
            guard !rows.isEmpty else { return }
            var table = TextTable(columns)
            for row in rows { table.add(row) }
            // Indented by two: the tables fit the screen's width less the indent.
            for line in table.lines(width: wide ? nil : TextTable.screenWidth - 2) { print("  " + line) }
        }
    }
}
