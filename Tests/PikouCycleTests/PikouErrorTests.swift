import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle
import PikouXML
import ReconStore
import Testing
import TestSupport

/// One failure shape (issue 33, item 4): every layer throws a ``PikouError`` or an error that reads
/// as one, and both faces render it from there.
@Suite struct PikouErrorTests {
    /// Each layer's typed errors keep their cases for their callers and read as a coded failure.
    @Test func everyLayersTypedErrorReadsAsACodedFailure() throws {
        let diagnostic = Diagnostic(.error, .init(rawValue: "csv.empty"), file: "roster.csv", line: 1, "the file is empty")
        let samples: [(any Error, PikouError.Code)] = [
            (StoreError.conflict(Message(zh: "payer twice", en: "payer twice")), "store.conflict"),
            (StoreError.busy(holder: "张经办"), "store.busy"),
            (CryptoError.wrongPassphrase(path: "keys/a.pem"), "keys.passphrase"),
            (CryptoError.badSignature("BOC_1.txt"), "file.signature"),
            (XMLError(.notWellFormed, "no root element", line: 3), "file.xml"),
            (DiagnosticError(diagnostic), "csv.empty"),
            (ExchangeError(.hostKeyChanged, "sftp.boc: host key changed"), "exchange.hostKeyChanged"),
            (Money.ParseError.tooManyDecimals("1.234"), "money.parse"),
            (IDNumber.ValidationError.wrongLength(5), "payer.idNumber"),
            (BankAccount.ValidationError.empty, "payer.account"),
            (Period.ParseError.malformed("2026-1"), "period.parse"),
            (SigningConfig.PassphraseFileError.readableByOthers(mode: "644"), "keys.passphraseFile"),
        ]
        for (error, code) in samples {
            let failure = PikouError(error)
            #expect(failure.code == code, "\(error)")
            #expect(!failure.message.zh.isEmpty && !failure.message.en.isEmpty)
        }
        #expect(PikouError(CocoaError(.fileNoSuchFile)).code == "internal", "an error no layer made stays recognisable as such")
    }

    /// The CLI's line: the label, the message, the code; the fix beneath. A diagnostic keeps its
    /// compiler shape and its code is not said twice.
    @Test func theRenderedLineCarriesLabelCodeAndFix() {
        let failure = PikouError("store.busy", Message(zh: "另一命令正在写入", en: "another command is writing"),
                                 fix: Message(zh: "稍后再运行", en: "run it again later"))
        #expect(failure.rendered(.zh) == "错误：另一命令正在写入 [store.busy]\n  处理：稍后再运行")
        #expect(failure.rendered(.en) == "error: another command is writing [store.busy]\n  fix: run it again later")
        let placed = PikouError(Diagnostic(.error, .init(rawValue: "csv.empty"), file: "roster.csv", line: 1, "the file is empty"))
        #expect(placed.rendered(.zh) == "roster.csv:1: 错误：the file is empty [csv.empty]")
        #expect(placed.rendered(.en) == "roster.csv:1: error: the file is empty [csv.empty]")
    }

    /// No error type in Sources escapes the shape: each is PikouError itself or converts to it,
    /// except the few that never reach a person as they are (each says why).
    @Test func noErrorTypeInSourcesEscapesTheShape() throws {
        let exempt: [String: String] = [
            "PikouError": "the shape itself",
            "NumberFormatProblem": "why one amount is not in its declared form: the reader turns it into a diagnostic naming the form",
            "PageError": "the console's page form, built from a PikouError",
            "CacheTypeMismatch": "a programming error inside the console's view cache",
            "LoginRefusal": "the login page answers without saying which of the three it was",
            "GatewayError": "an SMS gateway's answer: the sender records it on the notice and says it through the catalogue's send summary",
        ]
        let sources = Fixture.root + "/Sources"
        var texts: [String] = []
        for case let path as String in FileManager.default.enumerator(atPath: sources)! where path.hasSuffix(".swift") {
            texts.append(try String(contentsOfFile: sources + "/" + path, encoding: .utf8))
        }
        let all = texts.joined(separator: "\n")
        let declared = try Regex(#"(?:struct|enum) (\w+): Error\b"#)
        var names = Set<String>()
        for match in all.matches(of: declared) { names.insert(String(all[match.range].split(separator: " ")[1].dropLast())) }
        #expect(names.count >= 10, "the scan found the error types")
        let escaping = names.filter { name in
            exempt[name] == nil && !all.contains(name + ": PikouErrorConvertible")
        }
        #expect(escaping.isEmpty, "error types that are neither PikouError nor convert to it: \(escaping.sorted())")
    }
}
