import Foundation
import ArgumentParser
import BankFormats
import PikouCore
import PikouCycle

/// `pikou formats`: the bank specs.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: Catalogue.Help.formats.text,
        subcommands: [List.self, Check.self, New.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.formatsList.text)

        @OptionGroup var formats: FormatsOptions

        func run() throws {
            let repository = formats.repository
            let paths = repository.specPaths()
            guard !paths.isEmpty else {
                printError("\(repository.banksDirectory): error: no bank specs found (*.yaml)")
                throw ExitCode(1)
            }
            var table = TextTable([
                .init(Catalogue.bank.text), .init(Catalogue.formatEncoding.text), .init(Catalogue.formatDebit.text), .init(Catalogue.formatReturn.text),
                .init(Catalogue.formatMaxPerFile.text, .right), .init(Catalogue.formatSignature.text), .init(Catalogue.name.text),
            ])
            for path in paths {
                let (spec, _) = FormatRepository.check(path: path)
                guard let spec else {
                    let name = String(path.split(separator: "/").last ?? "")
                    table.add([name, Catalogue.formatInvalid(path).text, "", "", "", "", ""])
                    continue
                }
                let signature = spec.signature.isSigned
                    ? "\(spec.signature.scheme.rawValue)\(Catalogue.signaturePlacement(spec.signature.placement.rawValue).text)" : Catalogue.unsigned.text
                table.add([spec.code, spec.encoding.rawValue, describe(spec.debit), describe(spec.returns), String(spec.maxRecordsPerFile), signature,
                           spec.name])
            }
            for line in table.lines() { print(line) }
        }

        private func describe(_ layout: Layout) -> String {
            switch layout.kind {
            case .fixed: Catalogue.fixedWidth.text
            case .delimited(let d): Catalogue.delimitedBy(String(UnicodeScalar(d.separator))).text
            case .xml: "XML"
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.formatsCheck.text,
            discussion: Catalogue.Help.Discussion.formatsCheck.text
        )

        @OptionGroup var formats: FormatsOptions

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.specFiles.text, valueName: "FILE"))
        var files: [String] = []

        func run() throws {
            let paths = files.isEmpty ? formats.repository.specPaths() : files
            guard !paths.isEmpty else {
                printError("\(formats.repository.banksDirectory): error: no bank specs found (*.yaml)")
                throw ExitCode(1)
            }
            var failed = 0
            for path in paths {
                let (spec, diagnostics) = FormatRepository.check(path: path)
                printDiagnostics(diagnostics)
                if let spec, !diagnostics.hasErrors {
                    print("\(path): OK (\(spec.code): debit \(spec.debit.detail.fields.count) fields, return \(spec.returns.detail.fields.count) fields, \(spec.returns.outcomes?.codes.count ?? 0) result codes)")
                } else {
                    failed += 1
                    print("\(path): FAILED (\(diagnostics.filter { $0.severity == .error }.count) errors)")
                }
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }

    /// `pikou formats new NEWBANK --like BOC`.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.formatsNew.text, discussion: Catalogue.Help.Discussion.formatsNew.text)

        @OptionGroup var formats: FormatsOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.newBankCode.text)) var code: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.likeBank.text)) var like: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.specOut.text, valueName: "FILE")) var out: String?

        func run() throws {
            let code = code.uppercased(), like = like.uppercased()
            // Both codes name files: checked before they reach a path.
            guard SpecTemplate.validCode(code) else {
                throw ValidationError("bank code '\(self.code)': 2 to 16 capital letters or digits, starting with a letter (e.g. ABC)")
            }
            guard SpecTemplate.validCode(like) else { throw ValidationError("--like '\(self.like)' is not a bank code (e.g. BOC)") }
            let repository = formats.repository
            guard let model = repository.specPaths().first(where: { ($0 as NSString).lastPathComponent.hasPrefix(like + ".") }),
                  let data = FileManager.default.contents(atPath: model) else {
                throw ValidationError("--like \(like): no such spec in \(repository.banksDirectory); there: \(repository.bankCodes().joined(separator: ", "))")
            }
            let target = out ?? repository.banksDirectory + "/" + code + ".yaml"
            guard !FileManager.default.fileExists(atPath: target) else {
                printError("\(target): error: already there; nothing written (remove it or give --out)")
                throw ExitCode(1)
            }
            let text = try reporting { try SpecTemplate.copy(String(decoding: data, as: UTF8.self), modelCode: like, as: code) }
            try reporting { try FileIO.writeAtomically(Array(text.utf8), to: target) }
            let (spec, diagnostics) = FormatRepository.check(path: target)
            printDiagnostics(diagnostics)
            print(Message(zh: "已写出 \(target)（\(spec?.code ?? code)，以 \(like) 为样板）：按文件头的说明修改，再运行 pikou formats check \(target)",
                          en: "wrote \(target) (\(spec?.code ?? code), from \(like)): edit it as its header says, then run pikou formats check \(target)").text)
        }
    }
}
