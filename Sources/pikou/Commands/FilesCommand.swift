import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou files release`.
struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "files", abstract: Catalogue.Help.files.text, subcommands: [Release.self])

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.filesRelease.text, discussion: Catalogue.filesReleaseDiscussion.text)

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.releaseFile.text, valueName: "BANK/FILE"))
        var file: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.releaseReason.text))
        var reason: String
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let parts = file.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains("/") else {
                throw usageError(Message(zh: "文件写作 银行/文件名，如 BOC/BOC_DK_420100000001_20261201_001.txt",
                                         en: "name the file as BANK/FILE, e.g. BOC/BOC_DK_420100000001_20261201_001.txt"))
            }
            let note = try requiredReason(reason)
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "files release", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let released = try await reporting {
                try await pikou.releaseUnwrittenFile(bank: parts[0].uppercased(), name: parts[1], reason: note, actor: options.actorName)
            }
            RunLog.info("released \(released.bank)/\(released.name): \(released.count) debits, \(released.total.yuanText) yuan; \(note)")
            print(Catalogue.fileReleased(bank: released.bank, name: released.name, lines: released.count, yuan: released.total.groupedYuanText).text)
        }
    }
}


/// A `--reason` with something in it (it goes into the journal).
func requiredReason(_ reason: String) throws -> String {
    let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !note.isEmpty else { throw usageError(Message(zh: "--reason 须写明原因（会记入日志）", en: "--reason must say why (it goes into the journal)")) }
    return note
}

/// A file named BANK/NAME or by a path whose folder is the bank's (outbox/BOC/NAME, inbox/BOC/NAME):
/// the folder's name (nil for a bare name) and the file's. The name never reaches a path: the store
/// is asked for it.
func bankAndName(_ text: String) throws -> (bank: String?, name: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    guard let name = parts.last, !name.isEmpty, name != ".", name != ".." else {
        throw usageError(Message(zh: "'\(text)' 没有指明文件", en: "'\(text)' names no file"))
    }
    return (parts.count >= 2 ? parts[parts.count - 2] : nil, name)
}
