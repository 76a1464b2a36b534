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
///     passphrase_file: keys/passphrase             # 0600; or passphrase_env: VAR, or
///                                                  # passphrase_credential: NAME (systemd LoadCredential=)
///     certificate: keys/collector-sm2.cert.pem
/// banks:
///   BOC:
///     signing_key: collector-sm2                   # signs BOC debit files
///     bank_certificate: keys/boc.cert.pem          # verifies BOC return files (and every certificate
///                                                  # `pikou keys import --bank BOC` put in keys/banks/BOC/)
///     bank_key: bank-sm2                           # bank simulator and tests only
/// ```
public struct SigningConfig: Sendable {
    /// A named key of the `keys:` section.
    public struct KeyEntry: Sendable, Hashable {
        public var privateKey: String?
        public var passphraseEnv: String?
        public var passphraseFile: String?
        /// A systemd credential's name: the passphrase is `$CREDENTIALS_DIRECTORY/NAME` (`LoadCredential=`).
        public var passphraseCredential: String?
        public var certificate: String?
    }

    /// What a workspace is for: `production` (the bureau's own keys only) or `test` (rehearsals,
    /// demos and tests, with the TEST keys Pikou ships). A config that names none is production.
    public enum Mode: String, Sendable, Hashable {
        case production
        case test
    }

    /// One certificate a bank's return files are verified with, and the day it took over.
    public struct TrustedCertificate: Sendable {
        /// The file.
        public var path: String
        /// The first day it verifies files sent on or after (nil: since always, `bank_certificate`).
        public var from: CivilDate?
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
    /// `mode:` of the config.
    public var mode: Mode = .production
    /// The environment passphrases are read from (the process's; tests give their own).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Reads the signing sections of a workspace config already parsed (`path` names it in messages).
    ///
    /// - Throws: ``PikouError`` naming the file and key for anything malformed.
    public init(root: Node?, path: String) throws(PikouError) {
        self.path = path
        func strings(_ node: Node?, _ context: String, allowed: Set<String>) throws(PikouError) -> [String: String] {
            guard let mapping = node?.mapping else {
                throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'\(context)' 必须是键值映射",
                                                           en: "\(path): error: '\(context)' must be a mapping"))
            }
            var result: [String: String] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard allowed.contains(name) else {
                    let line = key.mark?.line ?? 0
                    throw PikouError("workspace.keys", Message(
                        zh: "\(path):\(line): 错误：'\(context)' 中有未知的键 '\(name)'；允许的键：\(allowed.sorted().joined(separator: "、"))",
                        en: "\(path):\(line): error: unknown key '\(name)' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))"))
                }
                result[name] = value.string
            }
            return result
        }
        var keys: [String: KeyEntry] = [:]
        if let section = root?.mapping?["keys"]?.mapping {
            for (name, value) in section {
                let k = try strings(value, "keys.\(name.string ?? "")",
                                    allowed: ["private_key", "passphrase_env", "passphrase_file", "passphrase_credential", "certificate"])
                if let credential = k["passphrase_credential"], !Self.isCredentialName(credential) {
                    let (line, key) = (name.mark?.line ?? 0, "keys.\(name.string ?? "").passphrase_credential")
                    throw PikouError("workspace.keys", Message(
                        zh: "\(path):\(line): 错误：'\(key)' 必须是凭据名（字母、数字、'.'、'_'、'-'），不能是路径",
                        en: "\(path):\(line): error: \(key) must be a credential's name (letters, digits, '.', '_', '-'), not a path"))
                }
                keys[name.string ?? ""] = KeyEntry(privateKey: k["private_key"], passphraseEnv: k["passphrase_env"],
                                                   passphraseFile: k["passphrase_file"], passphraseCredential: k["passphrase_credential"],
                                                   certificate: k["certificate"])
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
        if let node = root?.mapping?["mode"] {
            guard let text = node.string, let mode = Mode(rawValue: text) else {
                let line = node.mark?.line ?? 0
                throw PikouError("workspace.keys", Message(zh: "\(path):\(line): 错误：'mode' 只能是 'production' 或 'test'",
                                                           en: "\(path):\(line): error: mode must be production or test"))
            }
            self.mode = mode
        }
    }

    /// Whether `name` can be a systemd credential's name (it becomes a file name).
    static func isCredentialName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.utf8.count <= 255
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// The folder `pikou keys import --bank CODE` puts a bank's certificates in.
    public func trustFolder(bank code: String) -> String { resolve("keys/banks/" + code) }

    /// Every certificate that verifies `bank`'s return files: `bank_certificate` (since always) and
    /// each imported one (`keys/banks/CODE/YYYY-MM-DD-….cert.pem`, from that day), oldest first.
    public func trustedCertificates(bank code: String) -> [TrustedCertificate] {
        var trusted: [TrustedCertificate] = []
        if let configured = banks[code]?.bankCertificate { trusted.append(TrustedCertificate(path: resolve(configured), from: nil)) }
        let folder = trustFolder(bank: code)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where name.hasSuffix(".cert.pem") {
            let date = Array(name.utf8.prefix(10))
            guard let from = DatePattern.parse(date, "yyyy-MM-dd") else { continue }
            trusted.append(TrustedCertificate(path: folder + "/" + name, from: from))
        }
        return trusted
    }

    /// The certificates a bank's return file may be signed with, in the order to try: the newest in
    /// force on `today` first, then the earlier ones (a bank that changed its key may still answer a
    /// file sent before with the old one). One imported for a later day is not tried yet.
    public func returnCertificates(bank code: String, today: CivilDate) throws -> [Certificate] {
        let trusted = trustedCertificates(bank: code).filter { $0.from.map { $0 <= today } ?? true }
        guard !trusted.isEmpty else {
            throw PikouError("workspace.keys", Message(
                zh: "\(path): 错误：没有受信任的 \(code) 银行证书：用 `pikou keys import --bank \(code) 证书.pem` 导入 \(code) 提供的证书"
                    + "（或设置 'banks.\(code).bank_certificate'）",
                en: "\(path): error: no certificate of bank \(code) is trusted: import the one \(code) gave with "
                    + "`pikou keys import --bank \(code) FILE` (or set banks.\(code).bank_certificate)"))
        }
        return try trusted.reversed().map { try Certificate(path: $0.path) }
    }

    /// The private key named `name` under `keys:`, opened with its configured passphrase.
    public func privateKey(named name: String) throws -> PrivateKey {
        let entry = try key(name, for: "keys")
        guard let keyPath = entry.privateKey else {
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：未设置 'keys.\(name).private_key'",
                                                       en: "\(path): error: keys.\(name).private_key is not set"))
        }
        return try PrivateKey(path: resolve(keyPath), passphrase: try passphrase(entry, name: name))
    }

    /// A path of the config, resolved against the config file's folder.
    public func resolve(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? relative : folder + "/" + relative
    }

    private func bank(_ code: String) throws(PikouError) -> BankEntry {
        guard let entry = banks[code] else {
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'banks:' 下没有 \(code) 银行的条目",
                                                       en: "\(path): error: no entry for bank \(code) under 'banks:'"))
        }
        return entry
    }

    private func key(_ name: String?, for what: String) throws(PikouError) -> KeyEntry {
        guard let name else {
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'\(what)' 没有指定密钥", en: "\(path): error: \(what) names no key"))
        }
        guard let entry = keys[name] else {
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'\(what)' 指定的密钥 '\(name)' 不在 'keys:' 下",
                                                       en: "\(path): error: \(what) names key '\(name)', which is not under 'keys:'"))
        }
        return entry
    }

    /// The name of the key that signs `kind` files of `bank`: ours for debit files, the bank's for returns.
    public func keyName(bank code: String, kind: FileKind) throws(PikouError) -> String {
        let entry = try bank(code)
        let name = kind.isOurs ? entry.signingKey : entry.bankKey
        guard let name else {
            let key = "banks.\(code).\(kind.isOurs ? "signing_key" : "bank_key")"
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：未设置 '\(key)'", en: "\(path): error: \(key) is not set"))
        }
        return name
    }

    /// The private key that signs `kind` files of `bank`.
    ///
    /// - Throws: ``PikouError`` for a missing entry or passphrase; ``CryptoError`` for an unreadable key.
    public func signingKey(bank code: String, kind: FileKind) throws -> PrivateKey {
        let name = try keyName(bank: code, kind: kind)
        let entry = try key(name, for: "banks.\(code)")
        guard let keyPath = entry.privateKey else {
            throw PikouError("workspace.keys", Message(zh: "\(path): 错误：未设置 'keys.\(name).private_key'",
                                                       en: "\(path): error: keys.\(name).private_key is not set"))
        }
        var key = try PrivateKey(path: resolve(keyPath), passphrase: try passphrase(entry, name: name))
        // Its certificate, when the config names one (a CMS signature carries it); unreadable, it is left out
        // here and said where a signature needs it.
        key.certificate = entry.certificate.flatMap { try? Certificate(path: resolve($0)) }
        if mode == .production, kind.isOurs, TestKeys.isTestKey(key.publicKey) {
            throw PikouError("workspace.keys", Message(
                zh: "\(path): 错误：'keys.\(name)'（\(resolve(keyPath))）是 Pikou 自带的演练用 TEST 密钥，生产工作区绝不用它签名："
                    + "用 `pikou keys generate` 生成本局自己的密钥；如是演练，设置 'mode: test'",
                en: "\(path): error: keys.\(name) (\(resolve(keyPath))) is one of the TEST keys Pikou ships for rehearsals; it never signs for a "
                    + "production workspace: make the bureau's own with `pikou keys generate`, or set mode: test for a rehearsal"))
        }
        return key
    }

    /// Today in China (UTC+8, no daylight saving), where the banks are.
    static func today() -> CivilDate {
        var now = time(nil) + 8 * 3600
        var parts = tm()
        gmtime_r(&now, &parts)
        return CivilDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)) ?? CivilDate(year: 2026, month: 1, day: 1)!
    }

    /// The certificate that verifies `kind` files of `bank`: the bank's for returns, ours for debits.
    public func certificate(bank code: String, kind: FileKind) throws -> Certificate {
        let certificatePath: String?
        switch kind {
        case .return, .refundReturn, .statement, .reconciliation:
            // Already resolved: the newest in force today. (A statement is the bank's, signed as its
            // return files are; a reconciliation the authority's, its certificate imported under its code.)
            if kind != .reconciliation { _ = try bank(code) }
            let today = Self.today()
            guard let newest = trustedCertificates(bank: code).last(where: { $0.from.map { $0 <= today } ?? true })?.path else {
                throw PikouError("workspace.keys", Message(
                    zh: "\(path): 错误：没有受信任的 \(code) 银行证书：用 `pikou keys import --bank \(code) 证书.pem` 导入 \(code) 提供的证书"
                        + "（或设置 'banks.\(code).bank_certificate'）",
                    en: "\(path): error: no certificate of bank \(code) is trusted: import the one \(code) gave with "
                        + "`pikou keys import --bank \(code) FILE` (or set banks.\(code).bank_certificate)"))
            }
            return try Certificate(path: newest)
        case .debit, .cancel, .refund:
            let name = try keyName(bank: code, kind: .debit)
            certificatePath = try key(name, for: "banks.\(code).signing_key").certificate
            guard certificatePath != nil else {
                throw PikouError("workspace.keys", Message(zh: "\(path): 错误：未设置 'keys.\(name).certificate'",
                                                           en: "\(path): error: keys.\(name).certificate is not set"))
            }
        }
        return try Certificate(path: resolve(certificatePath ?? ""))
    }

    /// A key's passphrase, from its environment variable or file (never from the command line).
    ///
    /// A file (`passphrase_file`, or a systemd credential's) must be readable by its owner alone: a
    /// passphrase others can read protects nothing.
    public func passphrase(_ entry: KeyEntry, name: String) throws(PikouError) -> String? {
        if let credential = entry.passphraseCredential {
            guard let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty else {
                throw PikouError("workspace.keys", Message(
                    zh: "\(path): 错误：'keys.\(name).passphrase_credential' 指定了服务凭据 \(credential)，但未设置 'CREDENTIALS_DIRECTORY'："
                        + "请作为系统服务运行，并在单元文件中写 'LoadCredential=\(credential):/etc/pikou/\(credential)'（或改用 'passphrase_file'）",
                    en: "\(path): error: keys.\(name).passphrase_credential names the systemd credential \(credential), but CREDENTIALS_DIRECTORY "
                        + "is not set: run under systemd with LoadCredential=\(credential):/etc/pikou/\(credential) (or use passphrase_file)"))
            }
            return try readPassphrase(folder + "/" + credential, what: "keys.\(name).passphrase_credential", checkMode: false)
        }
        if let variable = entry.passphraseEnv {
            guard let value = environment[variable], !value.isEmpty else {
                throw PikouError("workspace.keys", Message(
                    zh: "\(path): 错误：'keys.\(name).passphrase_env' 指定的环境变量 \(variable) 未设置"
                        + "（定时任务或系统服务中请改用 'passphrase_file' 或 'passphrase_credential'）",
                    en: "\(path): error: keys.\(name).passphrase_env names \(variable), which is not set in the environment "
                        + "(under cron or systemd, use passphrase_file or passphrase_credential)"))
            }
            return value
        }
        if let file = entry.passphraseFile {
            // The TEST keys' passphrase is public: a test workspace's file need not be private.
            return try readPassphrase(resolve(file), what: "keys.\(name).passphrase_file", checkMode: mode == .production)
        }
        return nil
    }

    private func readPassphrase(_ file: String, what: String, checkMode: Bool) throws(PikouError) -> String {
        do {
            return try Self.passphrase(atPath: file, requirePrivate: checkMode)
        } catch {
            switch error {
            case .unreadable:
                throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'\(what)' 的文件 \(file) 无法读取",
                                                           en: "\(path): error: \(what) \(file) cannot be read"))
            case .readableByOthers(let mode):
                throw PikouError("workspace.keys", Message(
                    zh: "\(path): 错误：'\(what)' 的文件 \(file) 其他用户可读（权限 \(mode)）：`chmod 600 \(file)`",
                    en: "\(path): error: \(what) \(file) can be read by others (mode \(mode)): chmod 600 \(file)"))
            case .empty:
                throw PikouError("workspace.keys", Message(zh: "\(path): 错误：'\(what)' 的文件 \(file) 为空",
                                                           en: "\(path): error: \(what) \(file) is empty"))
            }
        }
    }

    /// Why a passphrase file cannot be used.
    public enum PassphraseFileError: Error, Sendable, Hashable {
        case unreadable
        /// Its mode (octal) lets others read it.
        case readableByOthers(mode: String)
        case empty
    }

    /// The passphrase in `file` (its first line, line ends dropped); with `requirePrivate`, only from a
    /// file its owner alone can read (no group or other bits).
    public static func passphrase(atPath file: String, requirePrivate: Bool) throws(PassphraseFileError) -> String {
        var status = stat()
        guard stat(file, &status) == 0, let data = FileManager.default.contents(atPath: file) else { throw .unreadable }
        if requirePrivate, status.st_mode & 0o077 != 0 { throw .readableByOthers(mode: String(status.st_mode & 0o777, radix: 8)) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !text.isEmpty else { throw .empty }
        return text
    }
}
