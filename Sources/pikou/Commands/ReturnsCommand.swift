import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle

/// `pikou returns ingest`.
struct ReturnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "returns", abstract: Catalogue.Help.returns.text, subcommands: [Ingest.self, Undo.self])

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.returnsIngest.text,
            discussion: Catalogue.Help.Discussion.returnsIngest.text
        )

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.returnsBank.text))
        var bank: String?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.returnsDebitFile.text))
        var debitFile: String?

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.allowExpiredBank.text))
        var allowExpired = false

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.returnFiles.text))
        var files: [String]

        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("returns ingest") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let lock = try await locking.lock(workspace, command: "returns ingest", actor: options.actorName)
                defer { lock.release() }
                let ingest = try await options.open(workspace).returnIngest(specs: specs)
                var (posted, already, rejected) = (0, 0, 0)
                var (succeededYuan, failedYuan) = (Money.zero, Money.zero)
                var (succeeded, failed, exceptions) = (0, 0, 0)
                let paths = files.filter { file in !SignatureSpec.detachedSuffixes.contains { file.hasSuffix($0) } }
                meter.update(WorkProgress(.ingesting, done: 0, total: paths.count))
                try await ingest.ingest(paths: paths, bank: bank?.uppercased(), debitFileName: debitFile, actor: options.actorName, allowExpired: allowExpired) { path, result in
                    meter.finish()
                    let outcome = try reporting { try result.get() }
                    switch printIngest(path, outcome, workspace: workspace, command: "returns ingest") {
                    case .posted(let bank, let debitFile, let totals):
                        let count = totals.exceptions.values.reduce(0, +)
                        posted += 1
                        (succeeded, failed, exceptions) = (succeeded + totals.succeeded, failed + totals.failed, exceptions + count)
                        succeededYuan = try reporting { try succeededYuan.adding(Money(fen: totals.succeededFen)) }
                        failedYuan = try reporting { try failedYuan.adding(Money(fen: totals.failedFen)) }
                        RunLog.info("posted \(path) against \(bank)/\(debitFile): \(totals.succeeded) succeeded, \(totals.failed) failed, \(count) exceptions")
                    case .alreadyIngested:
                        already += 1
                    case .rejected(let diagnostics):
                        rejected += 1
                        RunLog.info("rejected \(path): \(diagnostics.first?.description ?? "")")
                    }
                    meter.update(WorkProgress(.ingesting, done: posted + already + rejected, total: paths.count))
                }
                summary.counts = ["files_posted": posted, "files_already_ingested": already, "files_rejected": rejected,
                                  "succeeded": succeeded, "failed": failed, "exceptions": exceptions]
                summary.amountsFen = ["succeeded": succeededYuan.fen, "failed": failedYuan.fen]
                if rejected > 0 { throw ExitCode(1) }
            }
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.returnsUndo.text, discussion: Catalogue.returnsUndoDiscussion.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.returnsBank.text))
        var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.returnsDebitFile.text))
        var debitFile: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.undoReason.text))
        var reason: String
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.undoFile.text, valueName: "RETURNFILE"))
        var file: String
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let note = try requiredReason(reason)
            let (folder, name) = try bankAndName(file)
            guard let code = (bank ?? folder)?.uppercased() else {
                throw usageError(Message(zh: "用 --bank 指明银行，或把文件写作 inbox/银行/文件名 或 银行/文件名",
                                         en: "say the bank with --bank, or give the file as inbox/<BANK>/NAME or BANK/NAME"))
            }
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "returns undo", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let undone = try await reporting {
                try await pikou.undoIngest(bank: code, name: name, debitFile: debitFile, reason: note, actor: options.actorName)
            }
            RunLog.info("undid the ingest of \(undone.bank)/\(undone.name) against \(undone.debitFileName): \(undone.lines) lines; \(note)")
            print(Catalogue.returnUndone(bank: undone.bank, name: undone.name, debitFile: undone.debitFileName, lines: undone.lines,
                                         posted: undone.posted, exceptions: undone.exceptions).text)
        }
    }
}

/// Prints what ingesting one return file did (posted with its counts and exceptions by kind, seen
/// before, or rejected with its diagnostics), tells the office of a file posted or refused (a staff
/// alert, ``Notifier``), and hands the outcome back.
@discardableResult
func printIngest(_ path: String, _ outcome: ReturnIngest.Outcome, workspace: Workspace, command: String) -> ReturnIngest.Outcome {
    let notifier = Notifier(workspace: workspace)
    var problem: String?
    defer { if let problem { RunLog.warning(problem) } }
    switch outcome {
    case .posted(let bank, let debitFile, let totals):
        problem = notifier.returnPosted(bank: bank, debitFile: debitFile, succeeded: totals.succeeded, failed: totals.failed, command: command)
        print(Catalogue.returnPosted(path: path, debitFile: "\(bank)/\(debitFile)", succeeded: totals.succeeded,
                                     succeededYuan: Money(fen: totals.succeededFen).groupedYuanText, failed: totals.failed,
                                     failedYuan: Money(fen: totals.failedFen).groupedYuanText, exceptions: totals.exceptions.values.reduce(0, +)).text)
        for (kind, count) in totals.exceptions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("  \(Catalogue.exceptionKind(kind).text)\(Language.current == .zh ? "：" : ": ")\(count)")
        }
    case .alreadyIngested(let bank, let at):
        print(Catalogue.alreadyIngested(path: path, bank: bank, at: "\(at)").text)
    case .rejected(let diagnostics):
        printDiagnostics(diagnostics)
        problem = notifier.returnRefused(path: path, diagnostic: diagnostics.first { $0.severity == .error } ?? diagnostics.first, command: command)
    }
    return outcome
}
