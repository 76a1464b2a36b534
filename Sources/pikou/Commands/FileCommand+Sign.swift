import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

extension FileCommand {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.fileSign.text,
            discussion: Catalogue.Help.Discussion.fileSign.text
        )

        @OptionGroup var formats: FormatsOptions
        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.bankCodeExample.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.fileKind.text))
        var kind: FileKind = .debit

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.bankFile.text))
        var path: String

        func run() throws {
            let spec = try formats.spec(bank, config: workspace.configPath)
            guard spec.signature.isSigned else {
                let unsigned = Message(zh: "\(path): 错误：\(spec.code) 的文件不签名（签名方式为 'none'）",
                                       en: "\(path): error: \(spec.code) files are not signed (signature scheme none)")
                printError(PikouError("file.unsigned", unsigned).rendered)
                throw ExitCode(1)
            }
            // Hash the file from disk in chunks; only a trailer file is rewritten (to replace or append its line).
            let key = try workspace.signingKey(for: spec, kind: kind)
            let (scheme, placement) = (spec.signature.scheme.rawValue, spec.signature.placement.rawValue)
            if spec.signature.placement.isXML {
                // An XML file is signed whole: an existing signature (and envelope) is replaced.
                let bytes = try readBytes(path)
                let payload = FileSignature.unverifiedPayload(bytes, spec: spec)
                do {
                    try writeAtomically(try FileSignature.sign(payload, spec: spec, key: key).file, to: path)
                } catch let error as CryptoError {
                    printError(placedFailure(error, at: path, Message(zh: "无法签名", en: "cannot sign")).rendered)
                    throw ExitCode(1)
                }
                print(Message(zh: "\(path)：已签名，\(scheme)\(Catalogue.signaturePlacement(placement).zh)，覆盖规范化后的整个文档",
                              en: "\(path): signed \(scheme) (\(placement)) over the canonical document").text)
                return
            }
            let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            var payloadLength: Int? = nil
            if spec.signature.placement == .trailer, case .success(let found) = FileSignature.locate(fileAt: path, detached: nil, spec: spec) {
                payloadLength = found.payloadLength  // an existing signature line is replaced
            }
            let signature: [UInt8]
            do {
                signature = try FileSignature.signature(fileAt: path, length: payloadLength, spec: spec, key: key)
            } catch {
                printError(placedFailure(error, at: path, Message(zh: "无法签名", en: "cannot sign")).rendered)
                throw ExitCode(1)
            }
            switch spec.signature.placement {
            case .detached:
                try writeAtomically(signature, to: path + spec.signature.detachedSuffix)
            case .trailer:
                var bytes = try readBytes(path)
                if let payloadLength { bytes.removeSubrange(payloadLength...) }
                try writeAtomically(bytes + signature, to: path)
            case .xmlEnveloped, .xmlEnvelope:
                break
            }
            let payload = payloadLength ?? fileSize
            print(Message(zh: "\(path)：已签名，\(scheme)\(Catalogue.signaturePlacement(placement).zh)，覆盖 \(payload) 字节",
                          en: "\(path): signed \(scheme) (\(placement)) over \(payload) bytes").text)
        }
    }
}
