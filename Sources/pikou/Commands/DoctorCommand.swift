import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou doctor`: is everything a month needs in place, with the fix for each red line.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: Catalogue.Help.doctor.text,
        discussion: Catalogue.Help.Discussion.doctor.text
    )

    @OptionGroup var options: StoreOptions

    @Option(help: ArgumentHelp(Catalogue.Help.Option.doctorPeriod.text), transform: periodArgument)
    var period: Period?

    @Option(help: ArgumentHelp(Catalogue.Help.Option.doctorYear.text))
    var year: Int?

    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text))
    var bank: String?

    @Flag(help: ArgumentHelp(Catalogue.Help.Option.offline.text))
    var offline = false

    func run() async throws {
        let workspace = try options.load()
        let code = try bankArgument(bank, in: workspace)
        let findings = await Doctor(workspace: workspace).run(
            period: period ?? (try? Period(year: todayInChina().year, month: todayInChina().month)), residentsYear: year, bank: code, offline: offline)
        for line in Doctor.Finding.lines(findings) { print(line) }
        let failed = findings.filter { $0.status == .failure }.count
        print(failed == 0 ? Catalogue.Doctor.allGood.text : Catalogue.Doctor.someFailed(failed).text)
        if failed > 0 { throw ExitCode(1) }
    }
}

/// The pre-flight of a command that writes, signs or sends (`cycle run`, `resubmit`, `send`): the
/// doctor's checks for `scope`, offline. A red line stops the command before anything is reserved,
/// written or sent; a dry run prints them and goes on — the caller then exits 1 (`true` returned).
func preflight(_ workspace: Workspace, scope: Doctor.Scope, period: Period?, residentsYear: Int? = nil, bank: String?,
               command: String, dryRun: Bool = false) async throws -> Bool {
    let findings = await Doctor(workspace: workspace).run(scope: scope, period: period, residentsYear: residentsYear,
                                                          bank: bank?.uppercased(), offline: true)
    let red = findings.filter { $0.status == .failure }
    guard !red.isEmpty else { return false }
    printError((dryRun ? Catalogue.Doctor.dryRunWouldStop(command) : Catalogue.Doctor.preflightFailed(command)).text)
    for line in Doctor.Finding.lines(red) { printError(line) }
    if !dryRun { throw ExitCode(1) }
    return true
}
