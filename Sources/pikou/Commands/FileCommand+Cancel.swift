import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou file cancel`.
extension FileCommand {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.fileCancel.text, discussion: Catalogue.fileCancelDiscussion.text)

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.cancelFile.text, valueName: "FILE"))
        var file: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.cancelReason.text))
        var reason: String
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let note = try requiredReason(reason)
            let (folder, name) = try bankAndName(file)
            guard let bank = folder?.uppercased() else {
                throw usageError(Message(zh: "文件写作 银行/文件名 或 outbox/银行/文件名，如 BOC/BOC_DK_420100000001_20261201_001.txt",
                                         en: "name the file as BANK/FILE or outbox/BANK/FILE, e.g. BOC/BOC_DK_420100000001_20261201_001.txt"))
            }
            let workspace = try options.load()
            let (specs, _) = try options.specs(workspace)
            let lock = try await locking.lock(workspace, command: "file cancel", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let result = try await reporting {
                try await pikou.cancelFile(bank: bank, name: name, reason: note, specs: specs, actor: options.actorName)
            }
            let file = result.cancelled.file
            RunLog.info("cancelled \(file.bank)/\(file.name): \(file.count) debits, \(file.total.yuanText) yuan; \(note)")
            print(Catalogue.fileCancelled(bank: file.bank, name: file.name, lines: file.count, yuan: file.total.groupedYuanText,
                                          message: result.messagePath).text)
        }
    }
}
