import ArgumentParser
import Foundation
import PikouConsole
import PikouCore
import PikouCycle

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
        var violations = try await reporting { try await pikou.check(specs: specs, anchors: outside) }
        // The console's users, held to the seals their `pikou users` changes journaled.
        let userJournal = try await reporting { try await pikou.journal(JournalFilter(action: "console.user.", limit: Int(Int32.max))).entries }
        let users = try await reporting { try await UserBook(workspaceDirectory: workspace.directory).sealFindings(userJournal) }
        violations += users.changed.map { .userSealBroken(name: $0.name, journalEntry: $0.entry) }
        for name in users.unsealed { printError(Catalogue.userUnsealed(name).text) }
        for (path, mode) in pikou.widePermissions() { printError(Catalogue.widePermission(path: path, mode: String(mode, radix: 8)).text) }
        for (path, target) in pikou.symbolicLinks() { printError(Catalogue.symbolicLinkInWorkspace(path: path, target: target).text) }
        let unvouched = try await reporting { try await pikou.anchorWarnings(anchors: outside) }
        for copy in unvouched.missingCopies { printError(Catalogue.anchorCopyMissing(copy).text) }
        if let after = unvouched.after {
            printError(Catalogue.entriesAfterAnchor(newest: after.newest.entryID, source: after.source, head: after.head.entryID).text)
        }
        // Certificates (ours and the banks') that expire within 30 days: a warning, not a violation.
        let expiring = Doctor(workspace: workspace).expiringCertificates()
        for finding in expiring { printError(Catalogue.Doctor.sentence(finding).text) }
        for problem in Notifier(workspace: workspace).certificatesExpiring(expiring, command: "check") { RunLog.warning(problem) }
        let pending = violations.filter(\.isPendingWork), broken = violations.filter { !$0.isPendingWork }
        if violations.isEmpty {
            print(Catalogue.checkOK.text)
            return
        }
        let colon = Language.current == .zh ? "：" : ": "
        for item in pending { print("\(Catalogue.pendingWork.text)\(colon)\(Catalogue.pendingWorkItem(item).text)") }
        for violation in broken { print("\(Catalogue.violation.text)\(colon)\(violation.message.text)") }
        if broken.isEmpty {
            print(Catalogue.checkPending(pending.count).text)
            throw ExitCode(3)
        }
        print(Catalogue.checkViolations(broken.count).text)
        throw ExitCode(1)
    }
}
