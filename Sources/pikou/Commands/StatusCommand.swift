import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: Catalogue.Help.status.text)

    @OptionGroup var options: StoreOptions

    @Option(help: ArgumentHelp(Catalogue.Help.Option.periodOrAll.text), transform: periodArgument)
    var period: Period?

    @OptionGroup var limit: LimitOption

    func run() async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let rows = try await reporting { try await pikou.status(period: period) }
        var table = TextTable([
            .init(Catalogue.bank.text), .init(Catalogue.file.text), .init(Catalogue.submitted.text, .right), .init(Catalogue.submittedYuan.text, .right),
            .init(Catalogue.succeeded.text, .right), .init(Catalogue.succeededYuan.text, .right), .init(Catalogue.failed.text, .right),
            .init(Catalogue.failedYuan.text, .right), .init(Catalogue.pending.text, .right), .init(Catalogue.pendingYuan.text, .right),
            .init(Catalogue.exceptionsColumn.text, .right),
        ])
        var total = FileStatus.Totals()
        for row in rows {
            table.add(cells(row.bank, row.fileName + (row.state == .reserved ? Catalogue.notWritten.text : ""), row.totals))
            try reporting { try total.add(row.totals) }
        }
        table.addFooter(cells(Catalogue.total.text, "", total))
        for line in table.lines(limit: limit.value) { print(line) }
        if total.submitted > 0 {
            let lines = Percentage.text(Int64(total.succeeded), of: Int64(total.submitted)) ?? "0.00"
            let yuan = Percentage.text(total.succeededFen, of: total.submittedFen) ?? "0.00"
            print(Catalogue.successRates(lines: lines, yuan: yuan).text)
        }
    }

    private func cells(_ bank: String, _ name: String, _ row: FileStatus.Totals) -> [String] {
        [bank, name, String(row.submitted), Money(fen: row.submittedFen).groupedYuanText, String(row.succeeded),
         Money(fen: row.succeededFen).groupedYuanText, String(row.failed), Money(fen: row.failedFen).groupedYuanText,
         String(row.pending), Money(fen: row.pendingFen).groupedYuanText, String(row.exceptions)]
    }
}

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
            print(head.text)
        }
    }
}

/// `pikou check`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: Catalogue.Help.check.text,
        discussion: Catalogue.checkDiscussion.text)

    @OptionGroup var options: StoreOptions

    @Option(name: .customLong("anchor"), help: ArgumentHelp(Catalogue.Help.Option.anchor.text, valueName: "ANCHOR|FILE"))
    var anchors: [String] = []

    func run() async throws {
        let workspace = try options.load()
        let (specs, _) = try options.specs(workspace)
        var outside: [(source: String, head: JournalHead)] = []
        for text in anchors {
            guard let found = JournalAnchors.outside(text) else { throw ValidationError(Catalogue.anchorUnreadable(text).text) }
            outside += found
        }
        let pikou = try await options.open(workspace)
        let violations = try await reporting { try await pikou.check(specs: specs, anchors: outside) }
        for (path, mode) in pikou.widePermissions() { printError(Catalogue.widePermission(path: path, mode: String(mode, radix: 8)).text) }
        for (path, target) in pikou.symbolicLinks() { printError(Catalogue.symbolicLinkInWorkspace(path: path, target: target).text) }
        // Certificates (ours and the banks') that expire within 30 days: a warning, not a violation.
        for finding in Doctor(workspace: workspace).expiringCertificates() { printError(Catalogue.Doctor.sentence(finding).text) }
        let pending = violations.filter(\.isPendingWork), broken = violations.filter { !$0.isPendingWork }
        if violations.isEmpty {
            print(Catalogue.checkOK.text)
            return
        }
        for item in pending { print("\(Catalogue.pendingWork.text): \(Catalogue.pendingWorkItem(item).text)") }
        for violation in broken { print("\(Catalogue.violation.text): \(violation)") }
        if broken.isEmpty {
            print(Catalogue.checkPending(pending.count).text)
            throw ExitCode(3)
        }
        print(Catalogue.checkViolations(broken.count).text)
        throw ExitCode(1)
    }
}
