import Foundation
public import PikouCycle

/// A real OpenSSH sshd on 127.0.0.1 for the exchange tests: its own config, host key and port, one
/// chrooted SFTP-only user (`pikou-sftp-test`) whose folders are `/outbox` and `/inbox`.
///
/// sshd chroots only as root, into a folder every component of which is root's and not writable by
/// others (so not under /tmp): the server lives in a new folder under /run. Without root or without
/// Debian's openssh-server, ``start(clientKeyPassphrase:)`` returns nil and the tests say they did
/// not run — unless `PIKOU_REQUIRE_SFTP=1` (CI), when that is an error.
public final class SSHServer: @unchecked Sendable {
    public static let user = "pikou-sftp-test"
    public let base: String
    public let port: Int
    public let clientKey: String
    public let hostPublicKey: String
    let pid: pid_t
    var stopped = false

    public var outbox: String { base + "/chroot/outbox" }
    public var inbox: String { base + "/chroot/inbox" }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts a server (nil: this machine cannot run one, and the tests may be skipped).
    public static func start(clientKeyPassphrase: String = "") throws -> SSHServer? {
        let required = ProcessInfo.processInfo.environment["PIKOU_REQUIRE_SFTP"] == "1"
        func unavailable(_ why: String) throws -> SSHServer? {
            if required { throw Unavailable(description: "PIKOU_REQUIRE_SFTP=1 but \(why)") }
            print("SSHServer: skipped, \(why)")
            return nil
        }
        guard getuid() == 0 else { return try unavailable("sshd chroots only as root") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), FileManager.default.isExecutableFile(atPath: "/usr/bin/sftp") else {
            return try unavailable("openssh-server or openssh-client is not installed (apt-get install openssh-server openssh-client)")
        }
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        if (try? run("/usr/bin/id", ["-u", user])) == nil {
            try run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        }
        try run("/usr/sbin/usermod", ["-p", "*", user])  // useradd locks the account; sshd refuses a locked one
        var template = Array("/run/pikou-sftp.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Unavailable(description: "mkdtemp under /run failed") }
        let base = String(cString: made)
        chmod(base, 0o755)
        try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", base + "/host_ed25519"])
        try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", clientKeyPassphrase, "-C", "", "-f", base + "/client_key"])
        try FileManager.default.createDirectory(atPath: base + "/authorized_keys", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.copyItem(atPath: base + "/client_key.pub", toPath: base + "/authorized_keys/" + user)
        chmod(base + "/authorized_keys/" + user, 0o644)
        for folder in ["/chroot", "/chroot/outbox", "/chroot/inbox"] {
            try FileManager.default.createDirectory(atPath: base + folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        try run("/bin/chown", ["\(user):\(user)", base + "/chroot/outbox", base + "/chroot/inbox"])
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...60_000)
            let config = """
                ListenAddress 127.0.0.1
                Port \(port)
                HostKey \(base)/host_ed25519
                PidFile \(base)/sshd.pid
                AuthorizedKeysFile \(base)/authorized_keys/%u
                StrictModes yes
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin no
                AllowUsers \(user)
                Subsystem sftp internal-sftp
                Match User \(user)
                    ChrootDirectory \(base)/chroot
                    ForceCommand internal-sftp
                    AllowTcpForwarding no
                    X11Forwarding no
                    PermitTTY no

                """
            try config.write(toFile: base + "/sshd_config", atomically: true, encoding: .utf8)
            // Not Foundation's Process: it watches a child through a socket the child inherits, and
            // sshd closes every inherited descriptor, after which Process blocks in waitpid for good.
            let pid = try spawn("/usr/sbin/sshd", ["-D", "-e", "-f", base + "/sshd_config", "-E", base + "/sshd.log"])
            // The pid file is written once the socket is bound.
            func running() -> Bool { waitpid(pid, nil, WNOHANG) == 0 }
            for _ in 0..<100 where running() && !FileManager.default.fileExists(atPath: base + "/sshd.pid") { usleep(50_000) }
            if running() && FileManager.default.fileExists(atPath: base + "/sshd.pid") {
                let key = try String(contentsOfFile: base + "/host_ed25519.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
                return SSHServer(base: base, port: port, clientKey: base + "/client_key", hostPublicKey: key, pid: pid)
            }
            kill(pid, SIGTERM)
            _ = waitpid(pid, nil, 0)
            lastError = Unavailable(description: "sshd did not start: \((try? String(contentsOfFile: base + "/sshd.log", encoding: .utf8)) ?? "")")
        }
        throw lastError ?? Unavailable(description: "sshd did not start")
    }

    init(base: String, port: Int, clientKey: String, hostPublicKey: String, pid: pid_t) {
        (self.base, self.port, self.clientKey, self.hostPublicKey, self.pid) = (base, port, clientKey, hostPublicKey, pid)
    }

    deinit { stop() }

    /// The known_hosts line pinning this server's key.
    public var knownHostsLine: String { "[127.0.0.1]:\(port) \(hostPublicKey)\n" }

    /// The SFTP settings of `bank` for this server, its key pinned in `knownHosts`.
    public func config(bank: String, knownHosts: String, passphraseEnv: String? = nil, limitKbit: Int = 0) -> SFTPConfig {
        SFTPConfig(bank: bank, host: "127.0.0.1", port: port, user: Self.user, key: clientKey, passphraseEnv: passphraseEnv,
                   knownHosts: knownHosts, outbox: "/outbox", inbox: "/inbox", limitKbit: limitKbit, timeout: 10)
    }

    /// Cuts every open connection: every process below the listener (a session's monitor and the
    /// sftp server under it), leaving the listener listening. Returns how many were killed.
    @discardableResult
    public func dropConnections() -> Int {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let process = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (comm) state ppid ...": the parent is the second field after the command.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[process] = parent }
        }
        func below(_ process: pid_t) -> Bool {
            var current = parents[process]
            while let parent = current, parent > 1 {
                if parent == pid { return true }
                current = parents[parent]
            }
            return false
        }
        var killed = 0
        for process in parents.keys where below(process) && kill(process, SIGKILL) == 0 { killed += 1 }
        return killed
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        dropConnections()
        kill(pid, SIGTERM)
        _ = waitpid(pid, nil, 0)
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Starts `tool` without waiting for it; stdin, stdout and stderr on /dev/null.
    static func spawn(_ tool: String, _ arguments: [String]) throws -> pid_t {
        try Spawn.start(tool, arguments, environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: "/dev/null")
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Unavailable(description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}
