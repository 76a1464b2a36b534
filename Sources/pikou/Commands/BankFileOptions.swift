import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

/// How `file read`, `file describe` and `file diff` read a bank file: its bank and kind, signature checking, masking.
struct BankFileOptions: ParsableArguments {
    @OptionGroup var formats: FormatsOptions
    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text)) var bank: String
    @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text)) var kind: FileKind = .return
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.skipVerify.text)) var skipVerify = false
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.allowExpired.text)) var allowExpired = false
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.showPersonal.text)) var showPersonal = false

    func spec() throws -> BankSpec { try formats.spec(bank, config: workspace.configPath) }

    func parse(_ path: String, spec: BankSpec) throws -> ParsedFile {
        try parseBankFile(path, spec: spec, kind: kind, skipVerify: skipVerify, allowExpired: allowExpired, workspace: workspace)
    }
}
