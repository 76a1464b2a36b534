import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// `pikou init [DIR]`.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: Catalogue.Help.initWorkspace.text,
        discussion: Catalogue.Help.Discussion.initWorkspace.text
    )

    @Argument(help: ArgumentHelp(Catalogue.Help.Option.initDirectory.text))
    var directory: String = "."

    @Option(name: .customLong("formats"), help: ArgumentHelp(Catalogue.Help.Option.initFormats.text, valueName: "DIR"))
    var formats: String?

    @Option(help: ArgumentHelp(Catalogue.Help.Option.initCollector.text))
    var collector: String = "420100000001"

    @Option(help: ArgumentHelp(Catalogue.Help.Option.initStore.text, valueName: "URL"))
    var store: String = "pikou.sqlite"

    @Flag(help: ArgumentHelp(Catalogue.Help.Option.testKeys.text))
    var testKeys = false

    func run() async throws {
        let formatsDirectory = URL(fileURLWithPath: FormatRepository.locate(explicit: formats)).standardizedFileURL.path
        let repository = FormatRepository(directory: formatsDirectory)
        var specs: [BankSpec] = []
        for code in repository.bankCodes() {
            do { specs.append(try repository.spec(code)) } catch {
                printDiagnostics(error.diagnostics)
                throw ExitCode(1)
            }
        }
        guard !specs.isEmpty else {
            printError(PikouError("init.noBanks", Catalogue.noBanks(formatsDirectory)).rendered)
            throw ExitCode(1)
        }
        guard Workspace.isCollectorCode(collector) else {
            throw usageError(Message(zh: "--collector 须为社保经办机构的委托单位代码：1 到 32 位字母或数字",
                                     en: "--collector must be the bureau's collector code (委托单位代码): 1 to 32 letters and digits"))
        }
        if let problem = Workspace.storeProblemMessage(store) { throw usageError(Message(zh: "--store：\(problem.zh)", en: "--store: \(problem.en)")) }
        // The TEST keys beside the Formats: a checkout's Fixtures/keys, an install's share/pikou/test-keys.
        let parent = URL(fileURLWithPath: formatsDirectory).deletingLastPathComponent()
        let candidates = ["Fixtures/keys", "test-keys"].map { parent.appendingPathComponent($0).path }
        let keys = testKeys ? candidates.first { FileManager.default.fileExists(atPath: $0 + "/passphrase.txt") } : nil
        if testKeys, keys == nil {
            printError(PikouError("init.testKeys", Message(zh: "\(candidates.joined(separator: "、")): 错误：\(Catalogue.noTestKeys.zh)",
                                                          en: "\(candidates.joined(separator: ", ")): error: \(Catalogue.noTestKeys.en)")).rendered)
            throw ExitCode(1)
        }
        let created = try await reporting {
            try await Workspace.create(directory: directory, formatsDirectory: formatsDirectory, banks: specs, testKeysFrom: keys, collector: collector, store: store)
        }
        for path in created { print(Catalogue.created(path).text) }
        print(Catalogue.workspaceReady(banks: specs.map(\.code), testKeys: testKeys).text)
        print(Catalogue.nextRosterImport(directory).text)
    }
}
