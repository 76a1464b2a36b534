import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileVerify.text,
            discussion: Catalogue.Help.Discussion.fileVerify.text
        )

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text))
        var kind: FileKind = .return

        @Flag(help: ArgumentHelp(Catalogue.Help.Option.allowExpired.text))
        var allowExpired = false

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text))
        var path: String

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            guard spec.signature.isSigned else {
                print(Message(zh: "\(path)：\(spec.code) 的文件不签名（签名方式为 'none'），无需核验",
                              en: "\(path): \(spec.code) files are not signed (signature scheme none): nothing to verify").text)
                return
            }
            let certificate = try workspace.certificate(for: spec, kind: kind, allowExpired: allowExpired)
            let result: Result<Int, DiagnosticError>
            do {
                // Hashed from disk in chunks, so a text file of any size is never loaded whole (an
                // XML file's enveloped signature is checked on its canonical tree, in memory).
                result = try FileSignature.verify(fileAt: path, detached: readDetachedSignature(path, spec: spec), spec: spec, certificate: certificate)
            } catch {
                printError(placedFailure(error, at: path).rendered)
                throw ExitCode(1)
            }
            let payload: Int
            switch result {
            case .success(let length): payload = length
            case .failure(let error):
                report(error)
                throw ExitCode(1)
            }
            let (scheme, placement) = (spec.signature.scheme.rawValue, spec.signature.placement.rawValue)
            let (from, to) = (Certificate.format(epoch: certificate.notBefore), Certificate.format(epoch: certificate.notAfter))
            print(Message(zh: "\(path)：签名核验通过，\(scheme)\(Catalogue.signaturePlacement(placement).zh)，覆盖 \(payload) 字节",
                          en: "\(path): signature OK — \(scheme) (\(placement)) over \(payload) bytes").text)
            print(Message(zh: "  签名者：\(certificate.subject)，有效期 \(from) 至 \(to)",
                          en: "  signer: \(certificate.subject), valid \(from) to \(to)").text)
        }
    }
}
