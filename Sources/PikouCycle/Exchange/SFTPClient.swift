import Foundation
public import PikouCore

/// Why an exchange with a bank's server failed, in words an operator can act on.
public struct ExchangeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The server's host key is not the pinned one: refused.
        case hostKeyChanged
        /// No host key is pinned for the server.
        case hostKeyUnknown
        /// The server refused our key.
        case authentication
        /// The server cannot be reached.
        case unreachable
        /// The connection broke, or a command failed.
        case transfer
        /// The workspace's configuration or files.
        case setup
    }
    public let kind: Kind
    /// What went wrong, in both languages (ssh's and sftp's own words kept as they are).
    public let message: Message
    /// The English text (logs and tests match on it).
    public var description: String { message.en }

    public init(_ kind: Kind, _ message: Message) {
        self.kind = kind
        self.message = message
    }

    /// A text the same in every language: a server's or a program's own words.
    public init(_ kind: Kind, _ text: String) {
        self.init(kind, Message(zh: text, en: text))
    }
}

/// The OpenSSH `sftp` client in batch mode, run once per operation (the most trusted SSH
/// implementation; Pikou has none of its own). Host keys are checked strictly against the pinned
/// `known_hosts` only; the user's own ssh config, agent and keys are never used.
///
/// An encrypted key (`passphrase_env`): each run is `ssh-agent sh -c 'ssh-add KEY && exec sftp …'`
/// — an agent of the run's own, holding that key alone, fed the passphrase from the environment by
/// an askpass helper (sftp's batch mode never asks for one), and gone when the run ends, even if
/// Pikou is killed meanwhile.
struct SFTPClient {
    let config: SFTPConfig
    /// Where batch files and the askpass helper go (private to the workspace).
    let scratch: String

    init(config: SFTPConfig, scratch: String) throws(ExchangeError) {
        self.config = config
        self.scratch = scratch
        for (key, path) in [("key", config.key), ("known_hosts", config.knownHosts)] where path.contains(where: { $0.isWhitespace || $0 == "%" || $0 == "~" }) {
            // ssh splits -o values at white space and expands % and ~ in them.
            throw ExchangeError(.setup, Message(
                zh: "'banks.\(config.bank).sftp.\(key)'：\(path) 中有空格、'%' 或 '~'，SSH 会把它们另作解释：请把文件移到没有这些字符的路径",
                en: "banks.\(config.bank).sftp.\(key): \(path) holds a space, '%' or '~', which ssh would read otherwise: move the file"))
        }
        guard let variable = config.passphraseEnv else { return }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw ExchangeError(.setup, Message(
                zh: "'banks.\(config.bank).sftp.passphrase_env' 指定的环境变量 '\(variable)' 未设置",
                en: "banks.\(config.bank).sftp.passphrase_env names \(variable), which is not set in the environment"))
        }
        do {
            // Once per run: ssh-add asks again after a wrong passphrase, and would loop for ever.
            try FileIO.writeAtomically(Array("""
                #!/bin/sh
                [ -e "$PIKOU_SFTP_ASKPASS_ONCE" ] && exit 1
                : > "$PIKOU_SFTP_ASKPASS_ONCE"
                printf '%s\\n' "$PIKOU_SFTP_ASKPASS"

                """.utf8), to: scratch + "/askpass")
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: scratch + "/askpass")
        } catch {
            throw ExchangeError(.setup, Message(zh: "无法写出提供口令的辅助脚本：\(PikouError(error).message.zh)", en: "cannot write the askpass helper: \(error)"))
        }
    }

    /// The exit status of the agent wrapper when the key does not open.
    static let keyRefused: Int32 = 97

    /// A directory listing entry: a regular file and its size.
    struct Entry: Sendable, Hashable {
        var name: String
        var size: Int
        /// The name holds a line break: the listing split it, and sftp cannot be given it back.
        var nameBroken = false
    }

    /// Runs `commands` as one sftp batch (any failing command ends it) and returns what it printed.
    func run(_ commands: [String]) throws(ExchangeError) -> String {
        guard let sftp = Self.executable("sftp") else {
            throw ExchangeError(.setup, Message(zh: "未安装 SSH 客户端 `sftp`：请运行 `apt-get install openssh-client`",
                                                en: "the OpenSSH client (sftp) is not installed: apt-get install openssh-client"))
        }
        guard FileManager.default.fileExists(atPath: config.key) else {
            throw ExchangeError(.setup, Message(zh: "'banks.\(config.bank).sftp.key'：\(config.key) 不存在",
                                                en: "banks.\(config.bank).sftp.key: \(config.key) does not exist"))
        }
        guard let pinned = FileManager.default.contents(atPath: config.knownHosts), !pinned.isEmpty else {
            throw ExchangeError(.hostKeyUnknown, Self.pinAdvice(config, Message(
                zh: "没有为 \(config.bank) 固定主机密钥（\(config.knownHosts) 不存在或为空）",
                en: "no host key is pinned for \(config.bank) (\(config.knownHosts) is missing or empty)")))
        }
        let batch = scratch + "/batch-\(UUID().uuidString)"
        let out = batch + ".out", err = batch + ".err"
        defer { for path in [batch, out, err, batch + ".asked"] { try? FileManager.default.removeItem(atPath: path) } }
        do {
            try FileIO.writeAtomically(Array((commands.joined(separator: "\n") + "\n").utf8), to: batch)
        } catch {
            throw ExchangeError(.setup, Message(zh: "无法写出 SFTP 批处理文件：\(PikouError(error).message.zh)",
                                                en: "cannot write the sftp batch file: \(error)"))
        }
        var arguments = ["-F", "/dev/null", "-b", batch, "-P", String(config.port),
                         "-o", "UserKnownHostsFile=\(config.knownHosts)", "-o", "GlobalKnownHostsFile=/dev/null",
                         "-o", "StrictHostKeyChecking=yes", "-o", "UpdateHostKeys=no", "-o", "BatchMode=yes",
                         "-o", "ConnectTimeout=\(config.timeout)", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=2",
                         "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no"]
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": scratch, "LC_ALL": "C"]
        var executable = sftp
        if let variable = config.passphraseEnv {
            guard let agent = Self.executable("ssh-agent") else {
                throw ExchangeError(.setup, Message(zh: "未安装 SSH 客户端的 `ssh-agent` 和 `ssh-add`：请运行 `apt-get install openssh-client`",
                                                    en: "the OpenSSH client (ssh-agent, ssh-add) is not installed: apt-get install openssh-client"))
            }
            // The agent runs the shell, the shell adds the key and becomes sftp; the agent ends with it.
            let script = "key=\"$1\"; shift; ssh-add -q \"$key\" </dev/null >/dev/null 2>&1 || exit \(Self.keyRefused); unset PIKOU_SFTP_ASKPASS PIKOU_SFTP_ASKPASS_ONCE; exec \"$@\""
            arguments = ["/bin/sh", "-c", script, "sh", config.key, sftp] + arguments + ["-o", "IdentitiesOnly=no"]
            executable = agent
            environment["PIKOU_SFTP_ASKPASS"] = ProcessInfo.processInfo.environment[variable] ?? ""
            environment["SSH_ASKPASS"] = scratch + "/askpass"
            environment["PIKOU_SFTP_ASKPASS_ONCE"] = batch + ".asked"
            environment["SSH_ASKPASS_REQUIRE"] = "force"
            environment["DISPLAY"] = ":0"
        } else {
            arguments += ["-i", config.key, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"]
        }
        if config.limitKbit > 0 { arguments += ["-l", String(config.limitKbit)] }
        arguments.append("\(config.user)@\(config.host)")
        let ended: Spawn.Ended
        do { ended = try Spawn.run(executable, arguments, environment: environment, stdout: out, stderr: err) } catch {
            throw ExchangeError(.setup, error.message)
        }
        if config.passphraseEnv != nil, !ended.signalled, ended.status == Self.keyRefused {
            let variable = config.passphraseEnv ?? ""
            throw ExchangeError(.authentication, Message(
                zh: "'banks.\(config.bank).sftp'：用环境变量 '\(variable)' 中的口令打不开密钥 \(config.key)",
                en: "banks.\(config.bank).sftp: the key \(config.key) does not open with the passphrase in \(variable)"))
        }
        let stdout = String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self).replacingOccurrences(of: "\r", with: "")
        if ended.succeeded { return stdout }
        throw classify(stderr, status: ended.status, signalled: ended.signalled)
    }

    /// Turns what ssh and sftp said into an error for the operator.
    func classify(_ stderr: String, status: Int32, signalled: Bool) -> ExchangeError {
        let said = stderr.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("@") && !$0.isEmpty }
        let last = said.suffix(3).joined(separator: " / ")
        if stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || stderr.contains("has changed and you have requested strict checking") {
            return ExchangeError(.hostKeyChanged, Message(
                zh: "\(config.server)（\(config.bank)）提供的主机密钥与 \(config.knownHosts) 中固定的不同：已拒绝连接，未发送也未取回任何文件。"
                    + "可能有人从中拦截，也可能银行换了密钥：请通过其他渠道向银行核对新密钥的指纹，核对无误后再固定",
                en: "\(config.server) (\(config.bank)) offers a host key other than the one pinned in \(config.knownHosts): "
                    + "refused, nothing sent or fetched. Someone may be in between, or the bank changed its key: "
                    + "confirm the new key's fingerprint with the bank by another channel before pinning it"))
        }
        if stderr.contains("host key is known for") || stderr.contains("Host key verification failed") {
            return ExchangeError(.hostKeyUnknown, Self.pinAdvice(config, Message(zh: "\(config.knownHosts) 中没有 \(config.server) 的主机密钥",
                                                                                 en: "\(config.knownHosts) pins no host key for \(config.server)")))
        }
        if stderr.contains("Permission denied") {
            return ExchangeError(.authentication, Message(
                zh: "\(config.server)（\(config.bank)）拒绝了密钥 \(config.key)：请把公钥（\(config.key).pub）交给银行，或检查用户名和口令",
                en: "\(config.server) (\(config.bank)) refused the key \(config.key): "
                    + "give the bank its public key (\(config.key).pub), or check user and passphrase"))
        }
        if stderr.contains("Connection refused") || stderr.contains("timed out") || stderr.contains("Could not resolve") || stderr.contains("No route to host") {
            return ExchangeError(.unreachable, Message(zh: "无法连接 \(config.server)（\(config.bank)）：\(last)",
                                                       en: "\(config.server) (\(config.bank)) cannot be reached: \(last)"))
        }
        let how = signalled ? Message(zh: "传输被中断（信号 \(status)）", en: "the transfer was cut off (signal \(status))")
            : Message(zh: "SFTP 程序以状态 \(status) 结束", en: "sftp ended with status \(status)")
        return ExchangeError(.transfer, Message(zh: "\(config.server)（\(config.bank)）：\(how.zh)" + (last.isEmpty ? "" : "：\(last)"),
                                                en: "\(config.server) (\(config.bank)): \(how.en)" + (last.isEmpty ? "" : ": \(last)")))
    }

    static func pinAdvice(_ config: SFTPConfig, _ problem: Message) -> Message {
        let target = config.port == 22 ? config.host : "[\(config.host)]:\(config.port)"
        let scan = "ssh-keyscan -p \(config.port) \(config.host) >> \(config.knownHosts)", list = "ssh-keygen -lf \(config.knownHosts)"
        return Message(
            zh: "\(problem.zh)：请向银行索取主机密钥的指纹，再固定它：`\(scan)`；`\(list)` 显示的 '\(target)' 的指纹必须与银行给的一致",
            en: "\(problem.en): ask the bank for its host key fingerprint, then pin it: \(scan); "
                + "\(list) must show the fingerprint the bank gave for \(target)")
    }

    // MARK: - Operations

    /// `folder/name` for a batch line, quoted.
    static func quoted(_ path: String) -> String { "\"" + path + "\"" }

    static func remote(_ folder: String, _ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }

    /// Uploads `local` as `folder/name`: to `.name.part`, then renamed without overwriting.
    /// - Returns: false when `name` was there already (the rename refused), nothing overwritten.
    func upload(_ local: String, folder: String, name: String) throws(ExchangeError) -> Bool {
        let part = Self.remote(folder, "." + name + ".part"), final = Self.remote(folder, name)
        do {
            _ = try run(["put \(Self.quoted(local)) \(Self.quoted(part))", "rename -l \(Self.quoted(part)) \(Self.quoted(final))"])
            return true
        } catch where error.kind == .transfer && error.description.contains("rename") {
            // "remote rename … Failure" (OpenSSH 9), "Couldn't rename file" (older): the name is taken.
            return false
        }
    }

    /// Downloads `folder/name` into `local`.
    func download(folder: String, name: String, to local: String) throws(ExchangeError) {
        _ = try run(["get \(Self.quoted(Self.remote(folder, name))) \(Self.quoted(local))"])
    }

    /// Removes `folder/name`, if it is there.
    func removeQuietly(folder: String, name: String) {
        _ = try? run(["-rm \(Self.quoted(Self.remote(folder, name)))"])
    }

    /// The regular files in `folder`, but for hidden ones (a `.part` still being written).
    func list(_ folder: String) throws(ExchangeError) -> [Entry] {
        let output = try run(["@cd \(Self.quoted(folder))", "@ls -ln"])
        return Self.parseListing(output)
    }

    /// `ls -ln` lines: `-rw-r--r--    ? 999  995  1234567 Dec  1 03:16 name with spaces`.
    ///
    /// sftp prints a name's bytes outside printable ASCII as `\ooo` (octal) and a backslash as `\\`:
    /// decoded back into the name's bytes (a bank's Chinese file name is fetched under that name).
    /// A line break in a name is printed as it is: the next line is then no `ls` line, and the
    /// entry is marked ``Entry/nameBroken`` — its name cannot be given back to sftp.
    static func parseListing(_ output: String) -> [Entry] {
        var entries: [Entry] = []
        var previousWasFile = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            guard isListingLine(line) else {
                // The rest of the name before it: a line break in that name.
                if previousWasFile, !line.isEmpty, !entries.isEmpty { entries[entries.count - 1].nameBroken = true }
                previousWasFile = false
                continue
            }
            previousWasFile = false
            guard line.hasPrefix("-") else { continue }
            var rest = Substring(line)
            // mode, links, uid, gid, size: five fields separated by spaces.
            var fields: [Substring] = []
            while fields.count < 5 {
                rest = rest.drop { $0 == " " }
                let field = rest.prefix { $0 != " " }
                guard !field.isEmpty else { break }
                fields.append(field)
                rest = rest.dropFirst(field.count)
            }
            // A 12-character date after one space, then one space and the name.
            guard fields.count == 5, rest.first == " ", rest.count > 14, let size = Int(fields[4]) else { continue }
            let name = unescaped(rest.dropFirst(14))
            guard !name.isEmpty, !name.hasPrefix(".") else { continue }
            entries.append(Entry(name: name, size: size))
            previousWasFile = true
        }
        return entries
    }

    /// Whether `line` starts as an `ls -l` line does: a type and nine permission characters.
    private static func isListingLine(_ line: Substring) -> Bool {
        let mode = Array(line.utf8.prefix(10))
        guard mode.count == 10, "-dlbcps".utf8.contains(mode[0]) else { return false }
        return mode.dropFirst().allSatisfy { "rwxsStT-".utf8.contains($0) }
    }

    /// A name as sftp printed it, its `\ooo` and `\\` escapes decoded into bytes.
    static func unescaped(_ printed: Substring) -> String {
        let bytes = Array(printed.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 3 < bytes.count, let value = octal(bytes[(index + 1)...(index + 3)]) {
                decoded.append(value)
                index += 4
            } else if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                decoded.append(byte)
                index += 2
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Three octal digits as a byte.
    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
        return value <= 255 ? UInt8(value) : nil
    }

    /// The path of `name` on the PATH.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"]).first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
