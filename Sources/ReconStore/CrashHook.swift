import Foundation

/// A test hook: when `PIKOU_CRASH_AT` names a point, the process dies there at once, as a power
/// cut would, so that tests can check a re-run loses nothing and duplicates nothing.
public enum CrashHook {
    private static let target = ProcessInfo.processInfo.environment["PIKOU_CRASH_AT"]

    /// Dies here (exit status 86, no cleanup, no flush) if `PIKOU_CRASH_AT` is `name`.
    public static func point(_ name: String) {
        if target == name { _exit(86) }
    }

    private static let pause = ProcessInfo.processInfo.environment["PIKOU_PAUSE_AT"]

    /// Sleeps here if `PIKOU_PAUSE_AT` is `name:milliseconds`, so tests can line two processes up.
    public static func pause(_ name: String) {
        guard let pause, pause.hasPrefix(name + ":"), let milliseconds = UInt32(pause.dropFirst(name.count + 1)) else { return }
        usleep(milliseconds * 1000)
    }
}
