import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle

/// Finds the workspace config that maps banks to keys and certificates.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Catalogue.Help.Option.workspace.text, valueName: "DIR"))
    var workspace: String?

    @Option(help: ArgumentHelp(Catalogue.Help.Option.config.text, valueName: "FILE"))
    var config: String?

    /// The config file's path.
    var configPath: String {
        if let config { return config }
        let folder = workspace ?? ProcessInfo.processInfo.environment["PIKOU_WORKSPACE"] ?? "."
        return folder + "/pikou.yaml"
    }

    /// The signing part of the config, or a clear failure.
    func signingConfig(reason: Message) throws -> SigningConfig {
        guard FileManager.default.fileExists(atPath: configPath) else {
            printError(PikouError("workspace.config",
                                  Message(zh: "\(configPath): 错误：找不到工作区配置，无法取得密钥设置：\(reason.zh)",
                                          en: "\(configPath): error: no workspace config, needed because \(reason.en)"),
                                  fix: Message(zh: "用 --workspace 指定工作区目录，或用 --config 指定配置文件", en: "give --workspace DIR or --config FILE")).rendered)
            throw ExitCode(1)
        }
        do {
            return try Workspace.signing(configPath: configPath)
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }

    /// The key that signs `kind` files of `spec`'s bank.
    func signingKey(for spec: BankSpec, kind: FileKind) throws -> PrivateKey {
        let scheme = spec.signature.scheme.rawValue
        let config = try signingConfig(reason: Message(zh: "\(spec.code) 的文件须用 \(scheme) 签名", en: "\(spec.code) files are signed (\(scheme))"))
        do {
            return try config.signingKey(bank: spec.code, kind: kind)
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }

    /// The certificate that verifies `kind` files of `spec`'s bank, checked for validity.
    func certificate(for spec: BankSpec, kind: FileKind, allowExpired: Bool) throws -> Certificate {
        let scheme = spec.signature.scheme.rawValue
        let config = try signingConfig(reason: Message(zh: "\(spec.code) 的文件带 \(scheme) 签名，须核验",
                                                       en: "\(spec.code) files are signed (\(scheme)) and must be verified"))
        do {
            let certificate = try config.certificate(bank: spec.code, kind: kind)
            try certificate.checkValidity(allowExpired: allowExpired)
            return certificate
        } catch {
            printError(placedFailure(error, at: configPath).rendered)
            throw ExitCode(1)
        }
    }
}

/// Reads the detached signature beside `path` (`<path>.sig`, or `<path>.p7s` for a CMS one) if it exists.
func readDetachedSignature(_ path: String, spec: BankSpec) -> [UInt8]? {
    FileManager.default.contents(atPath: path + spec.signature.detachedSuffix).map { [UInt8]($0) }
}

/// Verifies a file as its bank's spec says and returns the bytes to parse; prints and exits 1 on failure.
func verifiedPayload(
    _ bytes: [UInt8], path: String, spec: BankSpec, kind: FileKind, workspace: WorkspaceOptions, allowExpired: Bool,
    quiet: Bool = false
) throws -> [UInt8] {
    guard spec.signature.isSigned else { return bytes }
    let certificate = try workspace.certificate(for: spec, kind: kind, allowExpired: allowExpired)
    let result: Result<[UInt8], DiagnosticError>
    do {
        result = try FileSignature.verify(bytes, detached: readDetachedSignature(path, spec: spec), spec: spec, certificate: certificate, fileName: path)
    } catch {
        printError(placedFailure(error, at: path).rendered)
        throw ExitCode(1)
    }
    switch result {
    case .success(let payload):
        if !quiet {
            let (scheme, placement) = (spec.signature.scheme.rawValue, spec.signature.placement.rawValue)
            let (signer, until) = (certificate.subject, Certificate.format(epoch: certificate.notAfter))
            printError(Message(zh: "\(path)：签名核验通过，\(scheme)\(Catalogue.signaturePlacement(placement).zh)，签名者 \(signer)，有效期至 \(until)",
                               en: "\(path): signature OK (\(scheme), \(placement)) by \(signer), valid until \(until)").text)
        }
        return payload
    case .failure(let error):
        report(error)
        throw ExitCode(1)
    }
}
