import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou groups import`: the departments' lists of special groups (residents' scheme).
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "groups", abstract: Catalogue.Help.groups.text, subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.groupsImport.text, discussion: Catalogue.groupsImportDiscussion.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.group.text))
        var group: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.department.text))
        var department: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.coverYear.text))
        var year: Int?
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.groupFile.text))
        var file: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.csvEncoding.text))
        var encoding: CSVInput.Encoding = .auto
        @Option(help: ArgumentHelp(Catalogue.Help.Option.rejects.text, valueName: "PATH"))
        var rejects: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.groupFeedback.text, valueName: "PATH"))
        var feedback: String?
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "groups import", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let report: UseCases.GroupImportReport
            do {
                report = try await pikou.importGroupList(file: file, encoding: encoding, group: group, department: department, year: year, actor: options.actorName)
            } catch let error as DiagnosticError {
                printError(PikouError(error).rendered)
                throw ExitCode(1)
            } catch {
                printError(PikouError(error).rendered)
                throw ExitCode(1)
            }
            print(Catalogue.groupsImported(file: file, group: report.group, department: report.department, added: report.counts.added,
                                           unchanged: report.counts.unchanged, rejected: report.rejected.count).text)
            RunLog.info("groups import \(file) (\(report.group)): \(report.counts.added) added, \(report.counts.unchanged) already there, \(report.rejected.count) rejected")
            // The department's feedback: every row, imported or returned and why, IDs masked.
            let feedbackPath = feedback ?? ((file as NSString).deletingPathExtension + ".feedback.xlsx")
            try GroupFeedback.write(report.feedback, to: feedbackPath, group: report.group, department: report.department,
                                    list: (file as NSString).lastPathComponent, today: FileIO.todayInChina())
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: feedbackPath)
            print(Catalogue.feedbackWritten(feedbackPath, returned: report.rejected.count).text)
            try reportRejects(report.rejected, columns: report.columns, input: file, to: rejects)
            if !report.rejected.isEmpty { throw ExitCode(2) }
        }
    }
}
