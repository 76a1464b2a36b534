public import PikouCore
public import PikouCrypto
import Foundation
public import Yams

/// The keys and certificates of a workspace: which key signs each bank's files and which
/// certificate verifies them. Read from the `keys:` and `banks:` sections of the workspace config
/// (`pikou.yaml`); paths are relative to the config file's folder.
///
/// ```yaml
/// keys:
///   collector-sm2:
///     private_key: keys/collector-sm2.key.pem     # PKCS#8 PEM, encrypted
///     passphrase_env: PIKOU_KEY_PASSPHRASE         # or passphrase_file: keys/passphrase.txt
///     certificate: keys/collector-sm2.cert.pem
/// banks:
///   BOC:
///     signing_key: collector-sm2                   # signs BOC debit files
///     bank_certificate: keys/boc.cert.pem          # verifies BOC return files
///     bank_key: bank-sm2                           # bank simulator and tests only
/// ```
public struct SigningConfig: Sendable {
    /// A named key of the `keys:` section.
    public struct KeyEntry: Sendable, Hashable {
        public var privateKey: String?
        public var passphraseEnv: String?
        public var passphraseFile: String?
        public var certificate: String?
    }

    /// One bank's entry of the `banks:` section.
    public struct BankEntry: Sendable, Hashable {
        public var signingKey: String?
        public var bankCertificate: String?
        public var bankKey: String?
    }

    /// The config file.
    public let path: String
    public var keys: [String: KeyEntry]
    public var banks: [String: BankEntry]

    /// A config that cannot be used.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Reads the signing sections of a workspace config.
    ///
    /// - Throws: ``ConfigError`` naming the file and key for anything malformed.
    public init(path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(path): error: cannot read the workspace config")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw ConfigError("\(path): error: not valid YAML: \(error)") }
        try self.init(root: root, path: path)
    }

    /// Reads the signing sections of a workspace config already parsed (`path` names it in messages).
    ///
    /// - Throws: ``ConfigError`` naming the file and key for anything malformed.
    public init(root: Node?, path: String) throws(ConfigError) {
        self.path = path
        func strings(_ node: Node?, _ context: String, allowed: Set<String>) throws(ConfigError) -> [String: String] {
            guard let mapping = node?.mapping else { throw ConfigError("\(path): error: '\(context)' must be a mapping") }
            var result: [String: String] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard allowed.contains(name) else {
                    throw ConfigError("\(path):\(key.mark?.line ?? 0): error: unknown key '\(name)' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))")
                }
                result[name] = value.string
            }
            return result
        }
        var keys: [String: KeyEntry] = [:]
        if let section = root?.mapping?["keys"]?.mapping {
            for (name, value) in section {
                let k = try strings(value, "keys.\(name.string ?? "")", allowed: ["private_key", "passphrase_env", "passphrase_file", "certificate"])
                keys[name.string ?? ""] = KeyEntry(privateKey: k["private_key"], passphraseEnv: k["passphrase_env"],
                                                   passphraseFile: k["passphrase_file"], certificate: k["certificate"])
            }
        }
        var banks: [String: BankEntry] = [:]
        if let section = root?.mapping?["banks"]?.mapping {
            for (name, value) in section {
                let b = try strings(value, "banks.\(name.string ?? "")", allowed: ["signing_key", "bank_certificate", "bank_key", "enabled", "collector", "collector_account", "sftp"])
                banks[name.string ?? ""] = BankEntry(signingKey: b["signing_key"], bankCertificate: b["bank_certificate"], bankKey: b["bank_key"])
            }
        }
        self.keys = keys
        self.banks = banks
    }

    /// A path of the config, resolved against the config file's folder.
    public func resolve(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? relative : folder + "/" + relative
    }

    private func bank(_ code: String) throws(ConfigError) -> BankEntry {
        guard let entry = banks[code] else { throw ConfigError("\(path): error: no entry for bank \(code) under 'banks:'") }
        return entry
    }

    private func key(_ name: String?, for what: String) throws(ConfigError) -> KeyEntry {
        guard let name else { throw ConfigError("\(path): error: \(what) names no key") }
        guard let entry = keys[name] else { throw ConfigError("\(path): error: \(what) names key '\(name)', which is not under 'keys:'") }
        return entry
    }

    /// The name of the key that signs `kind` files of `bank`: ours for debit files, the bank's for returns.
    public func keyName(bank code: String, kind: FileKind) throws(ConfigError) -> String {
        let entry = try bank(code)
        let name = kind.isOurs ? entry.signingKey : entry.bankKey
        guard let name else {
            throw ConfigError("\(path): error: banks.\(code).\(kind.isOurs ? "signing_key" : "bank_key") is not set")
        }
        return name
    }

    /// The private key that signs `kind` files of `bank`.
    ///
    /// - Throws: ``ConfigError`` for a missing entry or passphrase; ``CryptoError`` for an unreadable key.
    public func signingKey(bank code: String, kind: FileKind) throws -> PrivateKey {
        let name = try keyName(bank: code, kind: kind)
        let entry = try key(name, for: "banks.\(code)")
        guard let keyPath = entry.privateKey else { throw ConfigError("\(path): error: keys.\(name).private_key is not set") }
        return try PrivateKey(path: resolve(keyPath), passphrase: try passphrase(entry, name: name))
    }

    /// The certificate that verifies `kind` files of `bank`: the bank's for returns, ours for debits.
    public func certificate(bank code: String, kind: FileKind) throws -> Certificate {
        let entry = try bank(code)
        let certificatePath: String?
        switch kind {
        case .return:
            certificatePath = entry.bankCertificate
            guard certificatePath != nil else { throw ConfigError("\(path): error: banks.\(code).bank_certificate is not set") }
        case .debit, .cancel:
            let name = try keyName(bank: code, kind: .debit)
            certificatePath = try key(name, for: "banks.\(code).signing_key").certificate
            guard certificatePath != nil else { throw ConfigError("\(path): error: keys.\(name).certificate is not set") }
        }
        return try Certificate(path: resolve(certificatePath ?? ""))
    }

    /// A key's passphrase, from its environment variable or file (never from the command line).
    func passphrase(_ entry: KeyEntry, name: String) throws(ConfigError) -> String? {
        if let variable = entry.passphraseEnv {
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                throw ConfigError("\(path): error: keys.\(name).passphrase_env names \(variable), which is not set in the environment")
            }
            return value
        }
        if let file = entry.passphraseFile {
            guard let data = FileManager.default.contents(atPath: resolve(file)) else {
                throw ConfigError("\(path): error: keys.\(name).passphrase_file \(resolve(file)) cannot be read")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return nil
    }
}
