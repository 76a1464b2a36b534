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
                printError(noSpecs(repository.banksDirectory).rendered)
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
            // Every bank's spec and every treasury's, unless files are named.
            let repository = formats.repository
            let paths = files.isEmpty ? repository.specPaths() + repository.authorityCodes().map { repository.directory + "/treasury/" + $0 + ".yaml" } : files
            guard !paths.isEmpty else {
                printError(noSpecs(formats.repository.banksDirectory).rendered)
                throw ExitCode(1)
            }
            var failed = 0
            for path in paths {
                let (spec, diagnostics) = FormatRepository.check(path: path)
                printDiagnostics(diagnostics)
                if let spec, !diagnostics.hasErrors, let reconciliation = spec.reconciliation {
                    let (fields, codes) = (reconciliation.detail.fields.count, reconciliation.entryCodes.count)
                    print(Message(zh: "\(path)：通过（\(spec.code)：国库对账文件 \(fields) 个字段，\(codes) 个状态码）",
                                  en: "\(path): OK (\(spec.code): treasury reconciliation \(fields) fields, \(codes) entry codes)").text)
                } else if let spec, !diagnostics.hasErrors {
                    let (debit, returns) = (spec.debit.detail.fields.count, spec.returns.detail.fields.count)
                    let codes = spec.returns.outcomes?.codes.count ?? 0
                    let statements = spec.statements.isEmpty ? Message(zh: "", en: "")
                        : Message(zh: "，对账单版式 \(spec.statements.count) 个", en: ", \(spec.statements.count) statement layouts")
                    let refunds = spec.refund == nil ? Message(zh: "", en: "") : Message(zh: "，可写退费文件", en: ", refund files")
                    print(Message(zh: "\(path)：通过（\(spec.code)：扣款文件 \(debit) 个字段，回盘文件 \(returns) 个字段，\(codes) 个返回码\(statements.zh)\(refunds.zh)）",
                                  en: "\(path): OK (\(spec.code): debit \(debit) fields, return \(returns) fields, \(codes) result codes\(statements.en)\(refunds.en))").text)
                } else {
                    failed += 1
                    let errors = diagnostics.filter { $0.severity == .error }.count
                    print(Message(zh: "\(path)：未通过（\(errors) 个错误）", en: "\(path): FAILED (\(errors) errors)").text)
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
                throw usageError(Message(zh: "银行代码 '\(self.code)' 无效：须为 2 到 16 位大写字母或数字，以字母开头（如 'ABC'）",
                                         en: "bank code '\(self.code)': 2 to 16 capital letters or digits, starting with a letter (e.g. ABC)"))
            }
            guard SpecTemplate.validCode(like) else {
                throw usageError(Message(zh: "--like '\(self.like)' 不是银行代码（如 BOC）", en: "--like '\(self.like)' is not a bank code (e.g. BOC)"))
            }
            let repository = formats.repository
            guard let model = repository.specPaths().first(where: { ($0 as NSString).lastPathComponent.hasPrefix(like + ".") }),
                  let data = FileManager.default.contents(atPath: model) else {
                let (folder, codes) = (repository.banksDirectory, repository.bankCodes())
                throw usageError(Message(zh: "--like '\(like)'：\(folder) 中没有该银行的格式定义；已有：\(codes.joined(separator: "、"))",
                                         en: "--like \(like): no such spec in \(folder); there: \(codes.joined(separator: ", "))"))
            }
            let target = out ?? repository.banksDirectory + "/" + code + ".yaml"
            guard !FileManager.default.fileExists(atPath: target) else {
                let there = Message(zh: "\(target): 错误：文件已存在，未写出", en: "\(target): error: already there; nothing written")
                printError(PikouError("formats.exists", there, fix: Message(zh: "先删除该文件，或用 --out 另指定文件", en: "remove it or give --out")).rendered)
                throw ExitCode(1)
            }
            let text = try reporting { try SpecTemplate.copy(String(decoding: data, as: UTF8.self), modelCode: like, as: code) }
            try reporting { try FileIO.writeAtomically(Array(text.utf8), to: target) }
            let (spec, diagnostics) = FormatRepository.check(path: target)
            printDiagnostics(diagnostics)
            print(Message(zh: "已写出 \(target)（\(spec?.code ?? code)，以 \(like) 为样板）：按文件头的说明修改，再运行 `pikou formats check \(target)`",
                          en: "wrote \(target) (\(spec?.code ?? code), from \(like)): edit it as its header says, then run pikou formats check \(target)").text)
        }
    }
}

/// A Formats folder with no bank specs in its banks folder.
private func noSpecs(_ banksDirectory: String) -> PikouError {
    PikouError("formats.empty", Message(zh: "\(banksDirectory): 错误：该目录中没有银行格式定义", en: "\(banksDirectory): error: no bank specs found (*.yaml)"))
}
