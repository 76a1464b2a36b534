import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
    /// `pikou file diff`: what changed between two files of one bank's layout.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.fileDiff.text, discussion: Catalogue.Help.Discussion.fileDiff.text)

        @OptionGroup var file: BankFileOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.diffOld.text)) var old: String
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.diffNew.text)) var new: String

        func run() throws {
            let spec = try file.spec()
            let before: ParsedFile, after: ParsedFile
            do {
                before = try file.parse(old, spec: spec)
                after = try file.parse(new, spec: spec)
            } catch {
                throw ExitCode(2)  // as diff(1): 2 is trouble, 1 is a difference
            }
            printDiagnostics(before.diagnostics + after.diagnostics)
            let diff = FileDiff(old: before.lines, new: after.lines, whole: file.showPersonal)
            for sequence in diff.duplicateSequences { printError(Catalogue.diffDuplicateSequence(sequence).text) }
            for record in diff.removed { print("- \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(old):\(record.oldLine ?? 0)") }
            for record in diff.added { print("+ \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(new):\(record.newLine ?? 0)") }
            for record in diff.changed {
                print("~ \(Message(zh: "序号", en: "seq").text) \(record.sequence)  \(old):\(record.oldLine ?? 0) → \(new):\(record.newLine ?? 0)")
                for change in record.changes { print("    \(change.field.padded(to: 13)) \(change.old.isEmpty ? "''" : change.old) → \(change.new.isEmpty ? "''" : change.new)") }
            }
            let totals = [before.total, after.total].map { $0.map(\.groupedYuanText) ?? "—" }
            print(Catalogue.diffSummary(added: diff.added.count, removed: diff.removed.count, changed: diff.changed.count,
                                        oldLines: before.lines.count, newLines: after.lines.count, oldTotal: totals[0], newTotal: totals[1]).text)
            if !before.refusingErrors.isEmpty || !after.refusingErrors.isEmpty { throw ExitCode(2) }
            if !diff.isEmpty { throw ExitCode(1) }
        }
    }
}
