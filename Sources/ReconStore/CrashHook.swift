import Foundation

/// A test hook: when `PIKOU_CRASH_AT` names a point, the process dies there at once, as a power
/// cut would, so that tests can check a re-run loses nothing and duplicates nothing.
public enum CrashHook {
    private static let target = ProcessInfo.processInfo.environment["PIKOU_CRASH_AT"]

    /// Dies here (exit status 86, no cleanup, no flush) if `PIKOU_CRASH_AT` is `name`.
    public static func point(_ name: String) {
        if target == name { _exit(86) }
    }
}
