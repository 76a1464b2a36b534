import ArgumentParser
import Foundation
import PikouCycle
import PikouCore

/// The `pikou` command: Pikou's batch-debit tool.
@main
struct Pikou: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pikou",
        abstract: Catalogue.Help.pikou.text,
        discussion: Catalogue.Help.Discussion.pikou.text,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, RosterCommand.self, PaymentsCommand.self, CycleCommand.self, BankCommand.self, ReturnsCommand.self,
            StatusCommand.self, CheckCommand.self, JournalCommand.self, FailuresCommand.self, ResubmitCommand.self, AgreementsCommand.self, ReportCommand.self,
            ExceptionsCommand.self, PayerCommand.self, FilesCommand.self, ListsCommand.self, FormatsCommand.self, FileCommand.self, KeysCommand.self, DoctorCommand.self, BenchCommand.self,
            ConsoleCommand.self, UsersCommand.self, SendCommand.self, FetchCommand.self, GroupsCommand.self,
        ]
    )

    /// Parses and runs like ArgumentParser's own `main`, except that a usage error found while a
    /// command runs (an unknown --bank, a bad --outcome) is printed as one line with where to look,
    /// not with the root command's usage.
    static func main() async {
        let arguments: [String]
        do {
            arguments = try Language.choose(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        } catch {
            report(error)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        let command: any ParsableCommand
        do { command = try parseAsRoot(arguments) } catch { exit(withError: error) }
        RunLog.start(command, arguments: arguments)
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
            await RunLog.anchorJournal()
            RunLog.finish(exitCode: 0)
        } catch let error as ValidationError {
            RunLog.finish(exitCode: ExitCode.validationFailure.rawValue, error: error)
            printError("\(Catalogue.error.text): \(error)\n  \(Catalogue.seeHelp.text)")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            await RunLog.anchorJournal()
            // A failure a command did not print itself reads like every other (``PikouError``);
            // exit statuses, --help and ArgumentParser's own errors go through ArgumentParser.
            let own = error is PikouError || error is any PikouErrorConvertible
            RunLog.finish(exitCode: own ? 1 : exitCode(for: error).rawValue, error: error)
            if own {
                report(error)
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}
