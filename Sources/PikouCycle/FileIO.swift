public import Foundation
public import PikouCore

/// Crash-safe file writing.
public enum FileIO {
    /// Writes `bytes` to `path` safely: a temporary file in the same folder, fsync, rename over the
    /// target, fsync of the folder. A crash leaves either the old file or the new one, never a part.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(PikouError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + "." + name + ".tmp-\(getpid())"
        // Personal data: readable by the workspace's owner only, whatever the umask.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PikouError("file.write", Message(zh: "\(path)：无法创建（\(reason)）", en: "\(path): cannot create (\(reason))"))
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw PikouError("file.write", Message(zh: "\(path)：无法写入（\(reason)）", en: "\(path): cannot write (\(reason))"))
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw PikouError("file.write", Message(zh: "\(path)：无法同步到磁盘（\(reason)）", en: "\(path): cannot sync (\(reason))"))
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PikouError("file.write", Message(zh: "\(path)：无法改为正式文件名（\(reason)）", en: "\(path): cannot rename into place (\(reason))"))
        }
        let directory = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Creates the folder `path` (and missing parents) for personal data: its owner only (0700),
    /// whatever the umask.
    public static func makePrivateDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o700)
    }

    /// Creates `path` empty, for its owner only (0600), unless it exists: a file another library then
    /// writes (SQLite, libxlsxwriter) keeps that mode.
    public static func createPrivateFile(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o600)
        if descriptor >= 0 { close(descriptor) }
    }

    /// Where `path` points when it is a symbolic link itself ("?" when that cannot be read); nil
    /// for anything else, or nothing there.
    public static func linkTarget(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }

    /// Symbolic links under `root` (not `root` itself), with where each points, for `check`: the
    /// workspace holds personal data and evidence, and a link sends what is written there elsewhere.
    public static func symbolicLinks(under root: String, limit: Int = 20) -> [(path: String, target: String)] {
        var found: [(path: String, target: String)] = []
        var stack = [root]
        while let folder = stack.popLast(), found.count < limit {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
                let path = folder + "/" + name
                var child = stat()
                guard lstat(path, &child) == 0 else { continue }
                if child.st_mode & S_IFMT == S_IFLNK {
                    found.append((path, (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"))
                    if found.count >= limit { break }
                } else if child.st_mode & S_IFMT == S_IFDIR {
                    stack.append(path)
                }
            }
        }
        return found
    }

    /// Folders and files under `root` that others than the owner may read, write or enter, for
    /// `check` (at most `limit`, folders first, then files; nothing below a folder already listed).
    public static func widePermissions(under root: String, limit: Int = 20) -> [(path: String, mode: UInt16)] {
        var found: [(path: String, mode: UInt16)] = []
        var stack = [root]
        while let folder = stack.popLast(), found.count < limit {
            var info = stat()
            guard stat(folder, &info) == 0 else { continue }
            if info.st_mode & 0o077 != 0 { found.append((folder, UInt16(info.st_mode & 0o777))); continue }
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
                let path = folder + "/" + name
                var child = stat()
                guard lstat(path, &child) == 0 else { continue }
                if child.st_mode & S_IFMT == S_IFDIR {
                    stack.append(path)
                } else if child.st_mode & S_IFMT == S_IFREG, child.st_mode & 0o077 != 0, found.count < limit {
                    found.append((path, UInt16(child.st_mode & 0o777)))
                }
            }
        }
        return found
    }

    /// Holds an exclusive lock on `path` (created 0600 if missing) until the returned value is released.
    ///
    /// Writing reserved files takes it, so two runs at once (a cycle and a resubmission, or two
    /// resubmissions) never write the same file twice: the second finds it written and skips it.
    /// It blocks until the other process is done; the kernel releases it if that process dies.
    public static func lock(_ path: String) throws(PikouError) -> FileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PikouError("file.write", Message(zh: "\(path)：无法打开锁文件（\(reason)）", en: "\(path): cannot open the lock file (\(reason))"))
        }
        try waitForLock(descriptor, path: path)
        return FileLock(descriptor: descriptor)
    }

    /// Blocks until `descriptor` (open on `path`) holds an exclusive `flock`, through interruptions;
    /// on failure closes it and throws.
    static func waitForLock(_ descriptor: Int32, path: String) throws(PikouError) {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw PikouError("file.write", Message(zh: "\(path)：无法加锁（\(reason)）", en: "\(path): cannot lock (\(reason))"))
            }
        }
    }

    /// `date` as ISO 8601 in China Standard Time, where the banks and the bureau are
    /// (`2026-12-01T06:30:02+08:00`), for logs, locks and run summaries.
    public static func chinaTimestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

    /// Today's date in China Standard Time, where the banks are.
    public static func todayInChina(_ now: Date = Date()) -> CivilDate {
        let parts = chinaCalendar.dateComponents([.year, .month, .day], from: now)
        return CivilDate(year: parts.year ?? 2026, month: parts.month ?? 1, day: parts.day ?? 1)!
    }

    /// The time of day in China Standard Time (the quiet hours are the payers').
    public static func nowInChina(_ now: Date = Date()) -> (hour: Int, minute: Int) {
        let parts = chinaCalendar.dateComponents([.hour, .minute], from: now)
        return (parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The Gregorian calendar in China Standard Time.
    private static var chinaCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }

    /// A held lock, released by `release()` (or when it goes away).
    public final class FileLock {
        private var descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        /// Ends the lock now.
        public func release() {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
        deinit { release() }
    }

    /// Whether `name` names a file inside a folder and nothing else: not empty, no `/`, not starting
    /// with `.` (so neither `..` nor a hidden file), no control character.
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Removes temporary files a crash left in `folder`.
    public static func removeLeftovers(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// Removes the temporary files of writers that are gone (the pid in `.NAME.tmp-PID` names no
    /// running process): what a killed run left, never what a live one (this process included) is
    /// still writing.
    public static func removeLeftoversOfDeadWriters(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") {
            guard let marker = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[marker.upperBound...]) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
    }
}
