import ArgumentParser

/// The `pikou` command: Pikou's batch-debit tool.
@main
struct Pikou: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pikou",
        abstract: "Pikou (批扣): batch-debit files for social-insurance collection.",
        discussion: """
            Pikou writes each cooperating bank's debit files from one declarative spec per bank
            (Formats/banks/<CODE>.yaml) and reads the banks' return files back, checking every line.

            Try a bank without a store:
              pikou formats list
              pikou formats check
              pikou file write --bank BOC --in debits.csv --out out/ --date 2026-12-01
              pikou file read --bank BOC --kind debit out/BOC_DK_....txt

            Every command finds the bank specs in --formats DIR, else $PIKOU_FORMATS, else ./Formats,
            else the Formats folder of the checkout the pikou binary was built in.
            """,
        version: "0.1.0",
        subcommands: [FormatsCommand.self, FileCommand.self, KeysCommand.self]
    )
}
