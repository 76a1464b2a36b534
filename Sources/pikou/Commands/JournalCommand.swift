import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou journal head`: the journal's last entry, to keep outside the workspace.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: Catalogue.Help.journal.text,
        subcommands: [Head.self])

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "head",
            abstract: Catalogue.Help.journalHead.text,
            discussion: Catalogue.Help.Discussion.journalHead.text)

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            guard let head = try await reporting({ try await pikou.anchorJournal() }) else {
                print(Catalogue.journalEmpty.text)
                return
            }
            print(head.shown.text)
        }
    }
}
