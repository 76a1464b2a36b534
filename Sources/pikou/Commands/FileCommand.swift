import ArgumentParser
import BankFormats
import Foundation
import PikouCycle
import PikouCore
import PikouCrypto

/// `pikou file`: write and read single bank files, without a store.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: Catalogue.Help.file.text,
        subcommands: [Write.self, Read.self, Describe.self, Diff.self, Sign.self, Verify.self, Cancel.self]
    )
}

/// Signs `bytes` as `spec` says, with the workspace's key for `kind` files; unsigned specs pass through.
func signFile(_ bytes: [UInt8], spec: BankSpec, kind: FileKind, workspace: WorkspaceOptions) throws -> FileSignature.Signed {
    guard spec.signature.isSigned else { return FileSignature.Signed(file: bytes, detached: nil) }
    let key = try workspace.signingKey(for: spec, kind: kind)
    let signed: FileSignature.Signed
    do {
        signed = try FileSignature.sign(bytes, spec: spec, key: key)
    } catch {
        let failure = PikouError(error)
        let message = Message(zh: "无法为 \(spec.code) 签名：\(failure.message.zh)", en: "cannot sign for \(spec.code): \(failure.message.en)")
        printError(PikouError(failure.code, message, fix: failure.fix).rendered)
        throw ExitCode(1)
    }
    // In the bank's envelope, the file as sent must be valid under the envelope's schema.
    let fileName = Message(zh: "\(spec.code) \(kind.inWords.zh)", en: "\(spec.code) \(kind.rawValue) file").text
    let issues = XMLSignature.envelopeIssues(signed.file, spec: spec, fileName: fileName)
    if !issues.isEmpty {
        printDiagnostics(issues)
        throw ExitCode(1)
    }
    return signed
}

/// Reads, verifies (unless `skipVerify`) and parses a bank file; a file refused outright (too big, a
/// bad signature) is reported and fails the command.
func parseBankFile(_ path: String, spec: BankSpec, kind: FileKind, skipVerify: Bool, allowExpired: Bool, workspace: WorkspaceOptions) throws -> ParsedFile {
    let bytes = try readBytes(path)
    let reader = FileReader(spec: spec, kind: kind)
    // Bounds first, before a signature check or libxml2 looks at the bytes.
    if let refused = reader.refusal(bytes, fileName: path) {
        printDiagnostics([refused])
        throw ExitCode(1)
    }
    let payload: [UInt8]
    if skipVerify {
        if spec.signature.isSigned {
            printError(Message(zh: "\(path): 警告：未核验签名（--skip-verify）", en: "\(path): warning: signature NOT checked (--skip-verify)").text)
        }
        payload = FileSignature.unverifiedPayload(bytes, spec: spec)
    } else {
        payload = try verifiedPayload(bytes, path: path, spec: spec, kind: kind, workspace: workspace, allowExpired: allowExpired)
    }
    return reader.read(payload, fileName: path)
}

extension FileKind {
    /// The kind in words, as a clerk names it: 扣款文件, 回盘文件, 撤销报文.
    var inWords: Message {
        switch self {
        case .debit: Message(zh: "扣款文件", en: "debit file")
        case .return: Message(zh: "回盘文件", en: "return file")
        case .cancel: Message(zh: "撤销报文", en: "cancel message")
        case .statement: Message(zh: "账户对账单", en: "account statement")
        case .reconciliation: Message(zh: "税库对账文件", en: "treasury reconciliation")
        case .refund: Message(zh: "退费文件", en: "refund instruction")
        case .refundReturn: Message(zh: "退费回盘", en: "refund result file")
        }
    }
}
