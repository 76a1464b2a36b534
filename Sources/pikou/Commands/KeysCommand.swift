public import ArgumentParser
import Foundation
import PikouCore
import PikouCycle
import BankFormats
public import PikouCrypto

/// `pikou keys`: signing keys and certificates.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: Catalogue.Help.keys.text,
        subcommands: [Generate.self, Request.self, Import.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.keysGenerate.text,
            discussion: Catalogue.Help.Discussion.keysGenerate.text
        )

        @Option(help: ArgumentHelp(Catalogue.Help.Option.algorithm.text))
        var algorithm: KeyAlgorithm

        @Option(help: ArgumentHelp(Catalogue.Help.Option.keysOut.text, valueName: "DIR"))
        var out: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.keyName.text))
        var name: String?

        @Option(help: ArgumentHelp(Catalogue.Help.Option.subject.text))
        var subject: String = "/CN=Pikou collector"

        @Option(help: ArgumentHelp(Catalogue.Help.Option.days.text))
        var days: Int = 825

        @Option(help: ArgumentHelp(Catalogue.Help.Option.passphraseFile.text, valueName: "FILE"))
        var passphraseFile: String?

        func run() throws {
            let passphrase: String
            if let passphraseFile {
                passphrase = try reporting { try PassphraseFile.readOrCreate(passphraseFile) { print(Catalogue.Keys.passphraseCreated($0).text) } }
            } else if let env = ProcessInfo.processInfo.environment["PIKOU_KEY_PASSPHRASE"], !env.isEmpty {
                passphrase = env
            } else {
                throw usageError(Message(zh: "没有口令", en: "no passphrase"),
                                 fix: Message(zh: "用 --passphrase-file 指定口令文件，或设置环境变量 'PIKOU_KEY_PASSPHRASE'",
                                              en: "give --passphrase-file FILE or set PIKOU_KEY_PASSPHRASE"))
            }
            guard passphrase.count >= 8 else {
                throw usageError(Message(zh: "口令至少要有 8 个字符", en: "the passphrase must have at least 8 characters"))
            }
            let base = out + "/" + (name ?? algorithm.rawValue)
            let paths = [base + ".key.pem", base + ".pub.pem", base + ".cert.pem"]
            for path in paths where FileManager.default.fileExists(atPath: path) {
                let exists = Message(zh: "\(path): 错误：文件已存在，未覆盖", en: "\(path): error: already exists; not overwritten")
                printError(PikouError("keys.exists", exists).rendered)
                throw ExitCode(1)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            do {
                let key = try PrivateKey.generate(algorithm)
                let certificate = try Certificate.selfSigned(key: key, subject: subject, days: days)
                try writePrivate(try key.encryptedPEM(passphrase: passphrase), to: paths[0])
                try writeAtomically(try key.publicKey.pem(), to: paths[1])
                try writeAtomically(try certificate.pem(), to: paths[2])
                let (from, to) = (Certificate.format(epoch: certificate.notBefore), Certificate.format(epoch: certificate.notAfter))
                print(Message(zh: "\(paths[0])：\(key.algorithmName) 私钥（已加密，权限 0600）", en: "\(paths[0]): \(key) (encrypted, mode 0600)").text)
                print(Message(zh: "\(paths[1])：公钥", en: "\(paths[1]): public key").text)
                print(Message(zh: "\(paths[2])：证书 \(certificate.subject)，有效期 \(from) 至 \(to)，\(certificate.publicKey.algorithmName)",
                              en: "\(paths[2]): \(certificate)").text)
            } catch let error as CryptoError {
                report(error)
                throw ExitCode(1)
            }
        }

        /// Creates the file with mode 0600 before a single byte of the key is written.
        private func writePrivate(_ bytes: [UInt8], to path: String) throws {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                printError(PikouError("keys.write", Message(zh: "\(path): 错误：无法创建（\(reason)）",
                                                            en: "\(path): error: cannot create (\(reason))")).rendered)
                throw ExitCode(1)
            }
            defer { close(descriptor) }
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(descriptor) == 0 else {
                let reason = String(cString: strerror(errno))
                printError(PikouError("keys.write", Message(zh: "\(path): 错误：无法写入（\(reason)）",
                                                            en: "\(path): error: cannot write (\(reason))")).rendered)
                throw ExitCode(1)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.keysShow.text)

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.certificate.text))
        var path: String

        func run() throws {
            do {
                let certificate = try Certificate(path: path)
                for line in CertificateDetails.text(certificate) { print(line) }
                let label = Catalogue.Keys.status.text
                do { try certificate.checkValidity() } catch {
                    let (from, to) = (Certificate.format(epoch: certificate.notBefore), Certificate.format(epoch: certificate.notAfter))
                    print("\(label)  " + Message(zh: "无效：有效期 \(from) 至 \(to)", en: "\(error)").text)
                    throw ExitCode(1)
                }
                let expiring = certificate.expiresWithin(days: Doctor.expiryWarningDays)
                print("\(label)  " + (expiring ? Catalogue.Keys.expiresIn(certificate.daysLeft()) : Catalogue.Keys.valid).text)
            } catch let error as CryptoError {
                printError(placedFailure(error, at: path).rendered)
                throw ExitCode(1)
            }
        }
    }

    /// `pikou keys request`: a CSR for one of our keys.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.keysRequest.text)

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.requestKey.text, valueName: "NAME"))
        var key: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.requestSubject.text))
        var subject: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.requestOut.text, valueName: "FILE"))
        var out: String?

        func run() async throws {
            let workspace = try options.load()
            guard workspace.signing.keys[key] != nil else {
                throw ValidationError(Catalogue.Keys.unknownKey(key, known: workspace.signing.keys.keys.sorted(), config: workspace.configPath).text)
            }
            let privateKey = try reporting { try workspace.signing.privateKey(named: key) }
            let request = try reporting { try CertificateRequest(key: privateKey, subject: subject) }
            let path = out ?? workspace.directory + "/keys/" + key + ".csr.pem"
            try writeAtomically(request.pem, to: path)
            print("\(Catalogue.Keys.subject.text)  \(request.subjectText)")
            print("\(Catalogue.Keys.key.text)  \(privateKey.algorithmName)")
            print(Catalogue.Keys.requestWritten(path).text)
        }
    }

    /// `pikou keys import --bank BOC FILE`: trust a bank's certificate.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: Catalogue.Help.keysImport.text)

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp(Catalogue.Help.Option.importBank.text))
        var bank: String

        @Option(help: ArgumentHelp(Catalogue.Help.Option.importFrom.text, valueName: "YYYY-MM-DD"))
        var from: String?

        @Argument(help: ArgumentHelp(Catalogue.Help.Option.importFile.text))
        var file: String

        func run() async throws {
            let workspace = try options.load()
            guard let code = try bankArgument(bank, in: workspace) else { return }
            let since = try from.map { try parseDate($0, option: "--from") } ?? todayInChina()
            let (specs, _) = try options.specs(workspace)
            guard let spec = specs[code] else { return }
            let certificate: Certificate
            do { certificate = try Certificate(path: file) } catch {
                printError(placedFailure(error, at: file).rendered)
                throw ExitCode(1)
            }
            for line in CertificateDetails.text(certificate) { print(line) }
            let pikou = try await options.open(workspace)
            let result: CertificateImport
            do {
                result = try await pikou.importBankCertificate(certificate, bank: code, spec: spec, from: since, actor: options.actorName)
            } catch let refusal as PikouError {
                printError(placedFailure(refusal, at: file).rendered)
                throw ExitCode(1)
            }
            print(result.alreadyTrusted ? Catalogue.Keys.alreadyTrusted(result.path).text : Catalogue.Keys.imported(code, path: result.path, from: result.from).text)
            print(Catalogue.Keys.readBack.text)
        }
    }
}

extension KeyAlgorithm: ExpressibleByArgument {}
