public import ArgumentParser
import Foundation
import PikouCore
import PikouCycle
public import PikouCrypto

/// `pikou keys`: signing keys and certificates.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: Catalogue.Help.keys.text,
        subcommands: [Generate.self, Show.self]
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
                guard let data = FileManager.default.contents(atPath: passphraseFile) else {
                    printError("\(passphraseFile): error: cannot read the passphrase file")
                    throw ExitCode(1)
                }
                passphrase = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            } else if let env = ProcessInfo.processInfo.environment["PIKOU_KEY_PASSPHRASE"], !env.isEmpty {
                passphrase = env
            } else {
                throw ValidationError("no passphrase: give --passphrase-file FILE or set PIKOU_KEY_PASSPHRASE")
            }
            guard passphrase.count >= 8 else { throw ValidationError("the passphrase must have at least 8 characters") }
            let base = out + "/" + (name ?? algorithm.rawValue)
            let paths = [base + ".key.pem", base + ".pub.pem", base + ".cert.pem"]
            for path in paths where FileManager.default.fileExists(atPath: path) {
                printError("\(path): error: already exists; not overwritten")
                throw ExitCode(1)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            do {
                let key = try PrivateKey.generate(algorithm)
                let certificate = try Certificate.selfSigned(key: key, subject: subject, days: days)
                try writePrivate(try key.encryptedPEM(passphrase: passphrase), to: paths[0])
                try writeAtomically(try key.publicKey.pem(), to: paths[1])
                try writeAtomically(try certificate.pem(), to: paths[2])
                print("\(paths[0]): \(key) (encrypted, mode 0600)")
                print("\(paths[1]): public key")
                print("\(paths[2]): \(certificate)")
            } catch let error as CryptoError {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }

        /// Creates the file with mode 0600 before a single byte of the key is written.
        private func writePrivate(_ bytes: [UInt8], to path: String) throws {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else {
                printError("\(path): error: cannot create (\(String(cString: strerror(errno))))")
                throw ExitCode(1)
            }
            defer { close(descriptor) }
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(descriptor) == 0 else {
                printError("\(path): error: cannot write (\(String(cString: strerror(errno))))")
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
                print("subject:    \(certificate.subject)")
                print("valid from: \(Certificate.format(epoch: certificate.notBefore))")
                print("valid to:   \(Certificate.format(epoch: certificate.notAfter))")
                print("key:        \(certificate.publicKey)")
                do { try certificate.checkValidity() } catch { print("status:     \(error)"); throw ExitCode(1) }
                print("status:     valid")
            } catch let error as CryptoError {
                printError("\(path): error: \(error)")
                throw ExitCode(1)
            }
        }
    }
}

extension KeyAlgorithm: ExpressibleByArgument {}
