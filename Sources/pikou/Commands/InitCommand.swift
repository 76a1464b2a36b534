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
        discussion: """
            Writes DIR/pikou.yaml (collector code, store path, folders, enabled banks, and for each bank
            the signing key and the bank's certificate) and creates the SQLite store. Every bank in
            the Formats folder is enabled; edit pikou.yaml to change that.

            --test-keys copies the TEST keys of Fixtures/keys into DIR/keys and configures them, so
            that a demo can sign, simulate banks and verify at once. Never use them in production:
            generate real keys with `pikou keys generate`.
            """
    )

    @Argument(help: "The workspace folder (created if missing).")
    var directory: String = "."

    @Option(name: .customLong("formats"), help: ArgumentHelp("The Formats folder to use.", valueName: "DIR"))
    var formats: String?

    @Option(help: "The collector's code at the banks.")
    var collector: String = "420100000001"

    @Flag(help: "Configure the TEST keys of Fixtures/keys (demos and tests only).")
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
            printError("\(Catalogue.error.text): " + Catalogue.noBanks(formatsDirectory).text)
            throw ExitCode(1)
        }
        let keys = testKeys ? URL(fileURLWithPath: formatsDirectory).deletingLastPathComponent().appendingPathComponent("Fixtures/keys").path : nil
        if let keys, !FileManager.default.fileExists(atPath: keys) {
            printError("\(keys): error: no TEST keys there (--test-keys needs a checkout's Fixtures/keys)")
            throw ExitCode(1)
        }
        let created = try await reporting {
            try await Workspace.create(directory: directory, formatsDirectory: formatsDirectory, banks: specs, testKeysFrom: keys, collector: collector)
        }
        for path in created { print(Catalogue.created(path).text) }
        print(Catalogue.workspaceReady(banks: specs.map(\.code), testKeys: testKeys).text)
        print(Catalogue.nextRosterImport(directory).text)
    }
}
