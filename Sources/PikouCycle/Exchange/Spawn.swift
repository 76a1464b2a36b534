public import PikouCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with posix_spawn and waits for it with waitpid: stdin from /dev/null, stdout and
/// stderr into files. (Foundation's Process on Linux was seen to leave a finished sftp unreaped and
/// its caller waiting forever.)
public enum Spawn {
    public struct Ended: Sendable {
        /// The exit status, or the signal that ended it.
        public var status: Int32
        public var signalled: Bool
        public var succeeded: Bool { !signalled && status == 0 }
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws(PikouError) -> Ended {
        try wait(try start(executable, arguments, environment: environment, stdout: stdout, stderr: stderr), executable)
    }

    /// Starts a program without waiting for it.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws(PikouError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with no signal blocked and every signal at its default: a thread of the
        // caller's (libdispatch's) may block some, and the child would inherit it (an agent deaf to SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            let reason = String(cString: strerror(spawned))
            throw PikouError("exchange.spawn", Message(zh: "无法启动 \(executable)：\(reason)", en: "cannot start \(executable): \(reason)"))
        }
        return pid
    }

    /// Waits for a started program to end.
    public static func wait(_ pid: Int32, _ executable: String) throws(PikouError) -> Ended {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                throw PikouError("exchange.spawn", Message(zh: "等待 \(executable) 结束时出错：\(reason)", en: "waiting for \(executable): \(reason)"))
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let signal = status & 0x7F
        return signal == 0 ? Ended(status: (status >> 8) & 0xFF, signalled: false) : Ended(status: signal, signalled: true)
    }
}
