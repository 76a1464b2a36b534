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
        case .unreadable: PikouError("keys.passphraseFile", Catalogue.passphraseFileUnreadable)
        case .readableByOthers(let mode): PikouError("keys.passphraseFile", Catalogue.passphraseFileReadableByOthers(mode: mode), fix: Catalogue.passphraseFileFix)
        case .empty: PikouError("keys.passphraseFile", Catalogue.passphraseFileEmpty)
        }
    }
}

extension FileSignature.EncodingProblem: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("file.signature", text) }
}
