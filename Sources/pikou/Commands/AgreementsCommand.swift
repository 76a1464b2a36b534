import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou agreements update|revoke`.
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: Catalogue.Help.agreements.text, subcommands: [Update.self, Revoke.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.agreementsUpdate.text,
            discussion: Catalogue.Help.Discussion.agreementsUpdate.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var payer: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.agreementBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.newAccount.text)) var account: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.newAccountName.text)) var accountName: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.toBank.text)) var toBank: String?

        func run() async throws {
            guard account != nil || accountName != nil || toBank != nil else {
                throw usageError(Message(zh: "请给出 --account、--account-name 或 --to-bank 中的至少一项", en: "give --account, --account-name or --to-bank"))
            }
            let idNumber = try idNumberArgument(payer)
            let newAccount = try account.map { try accountArgument($0) }
            let workspace = try options.load()
            if let toBank, !workspace.enabledBanks.contains(toBank.uppercased()) {
                throw usageError(Message(zh: "--to-bank \(toBank) 未在 \(workspace.configPath) 中启用", en: "--to-bank \(toBank) is not enabled"))
            }
            let pikou = try await options.open(workspace)
            let agreement = try await reporting {
                try await pikou.changeAgreement(AgreementChange(idNumber: idNumber, bank: bank?.uppercased(), account: newAccount,
                                                          accountName: accountName, newBank: toBank?.uppercased()), actor: options.actorName)
            }
            print(Catalogue.agreementNow(id: idNumber.masked, bank: agreement.bank, account: agreement.account.masked,
                                         name: Masking.name(agreement.accountName), version: agreement.version).text)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.agreementsRevoke.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var payer: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.agreementBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.revokeReason.text)) var reason: String?

        func run() async throws {
            let idNumber = try idNumberArgument(payer)
            let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let reason, !(2...200).contains(reason.count) || reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw usageError(Message(zh: "--reason 须为 2 至 200 个字，不含控制字符", en: "--reason is 2 to 200 characters, without control characters"))
            }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let agreement = try await reporting {
                try await pikou.changeAgreement(AgreementChange(idNumber: idNumber, bank: bank?.uppercased(), revoke: true, reason: reason), actor: options.actorName)
            }
            print(Catalogue.agreementRevoked(id: idNumber.masked, bank: agreement.bank, version: agreement.version).text)
        }
    }
}
