import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou roster import`.
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: Catalogue.Help.roster.text, subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.rosterImport.text,
            discussion: Catalogue.Help.Discussion.rosterImport.text
        )

        @OptionGroup var options: StoreOptions

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.rosterFile.text))
        var file: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.csvEncoding.text))
        var encoding: CSVInput.Encoding = .auto

        @Option(help: ArgumentHelp(Catalogue.Help.Option.rejects.text, valueName: "PATH"))
        var rejects: String?

        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("roster import") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let lock = try await locking.lock(workspace, command: "roster import", actor: options.actorName)
                defer { lock.release() }
                let pikou = try await options.open(workspace)
                let report: UseCases.RosterImportReport
                do {
                    report = try await pikou.importRoster(file: file, encoding: encoding, specs: specs, actor: options.actorName, progress: meter.update)
                } catch let error as DiagnosticError {
                    meter.note(error.description)
                    throw ExitCode(1)
                } catch {
                    meter.note(placedFailure(error, at: "\(workspace.storeLocation)").rendered)
                    throw ExitCode(1)
                }
                meter.finish()
                let (counts, imported, rejected, warnings) = (report.counts, report.imported, report.rejected, report.warnings.count)
                printDiagnostics(Array(report.warnings.prefix(20)))
                if counts.oversizedHouseholds > 0 { printError(Catalogue.oversizedHouseholds(counts.oversizedHouseholds).text) }
                if warnings > 20 { printError(Message(zh: "……另有 \(warnings - 20) 条警告", en: "... and \(warnings - 20) more warnings").text) }
                print(Catalogue.rosterImported(file: file, imported: imported, rejected: rejected.count).text)
                for line in Catalogue.rosterCounts(payers: (counts.payersInserted, counts.payersUpdated),
                                                   agreements: (counts.agreementsInserted, counts.agreementsUpdated),
                                                   enrollments: (counts.enrollmentsInserted, counts.enrollmentsUpdated),
                                                   households: (counts.householdsInserted, counts.householdsUpdated), unchanged: counts.unchanged) {
                    print(line.text)
                }
                summary.counts = ["rows_imported": imported, "rows_rejected": rejected.count, "warnings": warnings,
                                  "payers_inserted": counts.payersInserted, "payers_updated": counts.payersUpdated,
                                  "agreements_inserted": counts.agreementsInserted, "agreements_updated": counts.agreementsUpdated,
                                  "enrollments_inserted": counts.enrollmentsInserted, "enrollments_updated": counts.enrollmentsUpdated,
                                  "households_inserted": counts.householdsInserted, "households_updated": counts.householdsUpdated,
                                  "unchanged": counts.unchanged]
                RunLog.info("roster import \(file): \(imported) rows imported, \(rejected.count) rejected")
                try reportRejects(rejected, columns: report.columns, input: file, to: rejects)
                if !rejected.isEmpty { throw ExitCode(2) }
            }
        }
    }
}

/// Writes rejected rows to the rejects file (default `INPUT.rejects.csv`) and shows the first ten.
func reportRejects(_ rejected: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String], input: String, to explicit: String?) throws {
    guard !rejected.isEmpty else { return }
    let path = explicit ?? input + ".rejects.csv"
    try reporting { try CSVInput.writeRejects(rejected, columns: columns, to: path) }
    for (_, diagnostics) in rejected.prefix(10) { printDiagnostics(diagnostics) }
    if rejected.count > 10 { printError(Message(zh: "……另有 \(rejected.count - 10) 行被拒绝", en: "... and \(rejected.count - 10) more").text) }
    print(Catalogue.rejectsFile(path).text)
}
