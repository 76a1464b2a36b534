import Foundation
import PikouCore
import Yams

/// How Pikou reaches one bank's SFTP server (`banks.<CODE>.sftp` in `pikou.yaml`):
///
/// ```yaml
/// banks:
///   BOC:
///     sftp:
///       host: sftp.boc.example        # a host name or an IP address
///       port: 22
///       user: whtax01
///       key: keys/sftp-boc             # OpenSSH private key (ssh-keygen -t ed25519), mode 0600
///       passphrase_env: PIKOU_SFTP_PASSPHRASE   # when the key is encrypted (it should be)
///       known_hosts: keys/known_hosts  # the bank's pinned host key; default known_hosts
///       outbox: /upload                # the bank's folder Pikou puts debit files and cancel messages in
///       inbox: /download               # the bank's folder Pikou takes return files from
///       limit_kbit: 0                  # optional bandwidth limit (sftp -l), 0 for none
///       timeout: 20                    # seconds to connect
/// ```
///
/// Every value is checked before it reaches a command line or a batch file: a host, a user and the
/// folders are plain text without quotes, spaces at the ends or control characters.
public struct SFTPConfig: Sendable, Hashable {
    public var bank: String
    public var host: String
    public var port: Int
    public var user: String
    /// The private key, resolved against the workspace.
    public var key: String
    public var passphraseEnv: String?
    /// The pinned host keys, resolved against the workspace.
    public var knownHosts: String
    public var outbox: String
    public var inbox: String
    public var limitKbit: Int
    public var timeout: Int

    public init(bank: String, host: String, port: Int = 22, user: String, key: String, passphraseEnv: String? = nil, knownHosts: String,
                outbox: String, inbox: String, limitKbit: Int = 0, timeout: Int = 20) {
        (self.bank, self.host, self.port, self.user, self.key, self.passphraseEnv) = (bank, host, port, user, key, passphraseEnv)
        (self.knownHosts, self.outbox, self.inbox, self.limitKbit, self.timeout) = (knownHosts, outbox, inbox, limitKbit, timeout)
    }

    static let keys: Set<String> = ["host", "port", "user", "key", "passphrase_env", "known_hosts", "outbox", "inbox", "limit_kbit", "timeout"]

    /// `user@host:port`, as messages and the journal name the server.
    public var server: String { "\(user)@\(host):\(port)" }

    /// `sftp://user@host:port/folder/name`, as the journal records where a file went or came from.
    public func location(_ folder: String, _ name: String) -> String {
        let path = SFTPClient.remote(folder, name)
        return "sftp://\(server)" + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Reads `banks.<bank>.sftp` of the config at `path` (nil when the bank has none).
    ///
    /// - Throws: ``PikouError`` (`workspace.config`) naming the line and key of anything malformed.
    static func read(_ node: Node?, bank: String, path: String, workspace: String) throws(PikouError) -> SFTPConfig? {
        guard let node else { return nil }
        func fail(_ at: Node?, _ message: Message) -> PikouError {
            let line = at?.mark?.line ?? node.mark?.line ?? 0
            return PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：'banks.\(bank).sftp'：\(message.zh)",
                                                          en: "\(path):\(line): error: banks.\(bank).sftp: \(message.en)"))
        }
        guard let mapping = node.mapping else {
            throw fail(node, Message(zh: "必须是键值映射（'host'、'port'、'user'、'key'、'known_hosts'、'outbox'、'inbox'）",
                                     en: "must be a mapping (host, port, user, key, known_hosts, outbox, inbox)"))
        }
        for key in mapping.keys where !Self.keys.contains(key.string ?? "") {
            let name = key.string ?? ""
            throw fail(key, Message(zh: "未知的键 '\(name)'；允许的键：\(Self.keys.sorted().joined(separator: "、"))",
                                    en: "unknown key '\(name)'; allowed: \(Self.keys.sorted().joined(separator: ", "))"))
        }
        func text(_ key: String, default value: String? = nil) throws(PikouError) -> String {
            guard let node = mapping[key] else {
                if let value { return value }
                throw fail(nil, Message(zh: "缺少 '\(key)'", en: "'\(key)' is missing"))
            }
            guard let string = node.string, !string.isEmpty else { throw fail(node, Message(zh: "'\(key)' 必须是非空文本", en: "'\(key)' must be text")) }
            guard Self.isPlain(string) else {
                throw fail(node, Message(
                    zh: "'\(key)' 中不能有引号、反斜杠、控制字符或 *?[] 中的任何一个（SFTP 会把它们当作通配符），首尾也不能有空格",
                    en: "'\(key)' may not hold quotes, backslashes, control characters, any of *?[] (sftp globs them) or spaces at its ends"))
            }
            return string
        }
        func number(_ key: String, default value: Int, range: ClosedRange<Int>) throws(PikouError) -> Int {
            guard let node = mapping[key] else { return value }
            guard let string = node.string, let number = Int(string), range.contains(number) else {
                throw fail(node, Message(zh: "'\(key)' 必须是 \(range.lowerBound) 到 \(range.upperBound) 之间的整数",
                                         en: "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            }
            return number
        }
        func resolve(_ relative: String) -> String { relative.hasPrefix("/") ? relative : workspace + "/" + relative }
        let host = try text("host")
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) }), !host.hasPrefix("-") else {
            throw fail(mapping["host"], Message(zh: "'host' 必须是主机名或 IP 地址，不能是 '\(host)'",
                                                en: "host must be a host name or an IP address, not '\(host)'"))
        }
        let user = try text("user")
        guard user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }), !user.hasPrefix("-") else {
            throw fail(mapping["user"], Message(zh: "'user' 只能由字母、数字、'.'、'_' 或 '-' 组成，不能是 '\(user)'",
                                                en: "user must be letters, digits, '.', '_' or '-', not '\(user)'"))
        }
        let passphraseEnv = mapping["passphrase_env"]?.string
        if let passphraseEnv, passphraseEnv.isEmpty || !passphraseEnv.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw fail(mapping["passphrase_env"], Message(zh: "'passphrase_env' 必须是环境变量名", en: "passphrase_env must name an environment variable"))
        }
        // sftp reads a leading '-' in a command's path as an option: `rename -upload/…` fails after
        // the upload, leaving a .part file at the bank. Refused here, before anything is sent.
        func folder(_ key: String) throws(PikouError) -> String {
            let value = try text(key)
            guard !value.hasPrefix("-") else {
                throw fail(mapping[key], Message(
                    zh: "'\(key)' 不能以 '-' 开头（SFTP 会把它当作选项）：请写成 ./\(value) 或文件夹的绝对路径",
                    en: "'\(key)' may not start with '-' (sftp takes it for an option): write ./\(value) or the folder's absolute path"))
            }
            return value
        }
        return SFTPConfig(
            bank: bank, host: host, port: try number("port", default: 22, range: 1...65535), user: user,
            key: resolve(try text("key")), passphraseEnv: passphraseEnv, knownHosts: resolve(try text("known_hosts", default: "known_hosts")),
            outbox: try folder("outbox"), inbox: try folder("inbox"),
            limitKbit: try number("limit_kbit", default: 0, range: 0...10_000_000), timeout: try number("timeout", default: 20, range: 1...600))
    }

    /// Text that can stand between double quotes in an sftp batch line and as one argument: no
    /// quote, backslash or control character, and none of `*?[]`, which sftp globs even when quoted.
    static func isPlain(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || "\"\\*?[]".unicodeScalars.contains($0) }
            && text.trimmingCharacters(in: .whitespaces) == text
    }
}
