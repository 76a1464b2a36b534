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
            ConsoleCommand.self, UsersCommand.self, SendCommand.self, FetchCommand.self, GroupsCommand.self, NotifyCommand.self, StatementsCommand.self, TreasuryCommand.self, ReconcileCommand.self, CertificatesCommand.self, RefundsCommand.self,
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
        do { command = try parseAsRoot(arguments) } catch { exitInLanguage(error) }
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
            // A usage error carrying its own fix (a second line) is not followed by the generic pointer.
            let text = "\(error)"
            printError("\(Catalogue.error.text)\(Language.current == .zh ? "：" : ": ")\(text)" + (text.contains("\n") ? "" : "\n  \(Catalogue.seeHelp.text)"))
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
            exitInLanguage(error)
        }
    }

    /// Exits as ArgumentParser's `exit(withError:)` does (help, version, a usage error, an exit
    /// status), its words in Chinese when Chinese is chosen (``ParserWords``).
    static func exitInLanguage(_ error: any Error) -> Never {
        guard Language.current == .zh else { exit(withError: error) }
        let code = exitCode(for: error)
        let text = ParserWords.chinese(fullMessage(for: error))
        if !text.isEmpty {
            if code == .success { print(text) } else { printError(text) }
        }
        Foundation.exit(code.rawValue)
    }
}

/// ArgumentParser's own words (help's headings, usage errors) in Chinese: the library prints English
/// only, so its phrases are put into Chinese around the command's own text.
enum ParserWords {
    static let phrases: [(String, String)] = [
        ("OVERVIEW: ", "概述："), ("USAGE: ", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："), ("SUBCOMMANDS:", "子命令："),
        ("Show help information.", "显示帮助。"), ("Show the version.", "显示版本号。"),
        ("(default: ", "（默认："), ("(values: ", "（可选值："),
        ("Error: ", "错误："), ("Usage: ", "用法："), ("Help: ", "说明："),
        ("Unknown option ", "未知选项 "), ("Unexpected argument ", "多余的参数 "), ("Unexpected argument", "多余的参数"),
        ("Missing expected argument ", "缺少参数 "), ("Missing value for ", "缺少值："), ("Missing value", "缺少值"),
        ("is invalid for", "不是此项的有效值："), ("The value ", "值 "), ("Please provide one of ", "请从以下选择："),
        ("Duplicate exclusive value", "互斥的选项重复"),
        ("for more information.", "了解更多。"), ("for detailed help.", "查看详细帮助。"), ("See ", "运行 "),
    ]

    static func chinese(_ text: String) -> String {
        var result = text
        for (english, zh) in phrases { result = result.replacingOccurrences(of: english, with: zh) }
        // A default's or a choice's closing parenthesis, after the Chinese opening one.
        return result.replacingOccurrences(of: #"（(默认|可选值)：([^()\n]*)\)"#, with: "（$1：$2）", options: .regularExpression)
    }
}
