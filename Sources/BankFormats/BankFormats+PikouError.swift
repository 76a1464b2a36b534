public import PikouCore

// How this module's typed errors read as a ``PikouError``: each keeps its own cases or diagnostics
// for the callers that match on them.

extension CSVError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError(diagnostic) }
}

extension DiagnosticError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError(diagnostic) }
}

extension FormatWriteError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError(diagnostics: diagnostics, code: "file.write") }
}

extension FormatRepository.LoadError: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError(diagnostics: diagnostics, code: "spec.invalid") }
}

extension SigningConfig.PassphraseFileError: PikouErrorConvertible {
    public var pikouError: PikouError {
        switch self {
        case .unreadable: PikouError("keys.passphraseFile", Message(zh: "口令文件无法读取", en: "the passphrase file cannot be read"))
        case .readableByOthers(let mode):
            PikouError("keys.passphraseFile", Message(zh: "口令文件权限为 \(mode)，他人可读", en: "the passphrase file's mode is \(mode): others can read it"),
                       fix: Message(zh: "chmod 600 该文件", en: "chmod 600 the file"))
        case .empty: PikouError("keys.passphraseFile", Message(zh: "口令文件为空", en: "the passphrase file is empty"))
        }
    }
}

extension FileSignature.EncodingProblem: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("file.signature", text) }
}
