import Foundation
import PikouCore
import ReconStore

/// The workspace's writing lock: one writing command at a time (cycle run, resubmit, roster and
/// payments import, returns ingest, files release) on an SQLite workspace.
///
/// An advisory `flock` on `<workspace>/.pikou.lock`, which the kernel releases when the holder
/// exits or is killed, so a crash never leaves the workspace locked. The holder writes who it is
/// (pid, command, actor, start) into the file, so the next one can say what it waits for.
/// On a PostgreSQL store, shared by desks on several machines, ``holdStore(_:wait:waiting:)`` takes the
/// store's command lock too (``StoreLocation/commandLock(holder:wait:waiting:)``), which a folder's
/// file lock cannot give across machines.
public final class WorkspaceLock {
    /// Another writing command holds the workspace.
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public let holder: Holder?
        public var description: String { Catalogue.workspaceBusy(holder?.text).text }
    }

    /// Who holds the lock.
    public struct Holder: Sendable, Hashable {
        public var pid: Int32
        public var command: String
        public var actor: String
        public var started: String
        /// `cycle run (pid 4242, zhang, 2026-12-01T06:30:02+08:00)`, in the process's language.
        public var text: String { words.text }

        /// ``text`` in every language: in Chinese `` `pikou cycle run`（进程 4242，zhang，2026-12-01T06:30:02+08:00）``.
        var words: Message {
            let named = command.hasPrefix("console ") ? "工作台的操作" : "`pikou \(command)`"
            return Message(zh: "\(named)（进程 \(pid)，\(actor)，\(started)）", en: "\(command) (pid \(pid), \(actor), \(started))")
        }

        init?(_ text: String) {
            let parts = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let pid = Int32(parts[0]) else { return nil }
            (self.pid, command, actor, started) = (pid, parts[1], parts[2], parts[3])
        }
    }

    private var descriptor: Int32
    /// Who this lock's holder is, as the lock file and the store record it.
    private let record: String
    private var storeLease: (any StoreLease)?

    private init(descriptor: Int32, record: String) {
        self.descriptor = descriptor
        self.record = record
    }
    deinit { release() }

    /// Takes the lock for `command`. If another command holds it: with `wait`, calls `waiting` with
    /// the holder and blocks until it is free; otherwise throws ``Busy`` naming the holder.
    public static func acquire(_ workspace: Workspace, command: String, actor: String, wait: Bool,
                               waiting: (Holder?) -> Void = { _ in }) throws -> WorkspaceLock {
        let linked = workspace.symbolicLinksWritten()
        guard linked.isEmpty else {
            throw PikouError("workspace.symlink", Catalogue.workspaceLinks(linked), fix: Catalogue.workspaceLinksFix)
        }
        let path = workspace.directory + "/.pikou.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PikouError("file.write", Message(zh: "\(path)：无法打开工作区锁（\(reason)）", en: "\(path): cannot open the workspace lock (\(reason))"))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw PikouError("file.write", Message(zh: "\(path)：无法锁定工作区（\(reason)）", en: "\(path): cannot lock the workspace (\(reason))"))
            }
            let holder = Self.holder(descriptor)
            guard wait else {
                close(descriptor)
                throw Busy(holder: holder)
            }
            waiting(holder)
            try FileIO.waitForLock(descriptor, path: path)
        }
        let clean = { (text: String) in text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let record = "\(getpid())\t\(clean(command))\t\(clean(actor))\t\(FileIO.chinaTimestamp())"
        _ = ftruncate(descriptor, 0)
        _ = Array(record.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return WorkspaceLock(descriptor: descriptor, record: record)
    }

    /// Also takes the store's command lock, where the store is shared beyond this machine
    /// (PostgreSQL); nothing to do for SQLite. Same rules: with `wait`, calls `waiting` with the
    /// holder and waits; otherwise throws ``Busy`` naming the holder.
    public func holdStore(_ workspace: Workspace, wait: Bool, waiting: @escaping @Sendable (Holder?) -> Void = { _ in }) async throws {
        do {
            storeLease = try await workspace.storeLocation.commandLock(holder: record, wait: wait) { holder in waiting(holder.flatMap(Holder.init)) }
        } catch StoreError.busy(let holder) {
            throw Busy(holder: holder.flatMap(Holder.init))
        }
    }

    /// Ends the lock and returns once the store's part is let go too (``release()`` lets the
    /// store's go in the background): a long-lived process answering a user uses this.
    public func end() async {
        await storeLease?.close()
        storeLease = nil
        release()
    }

    /// Ends the lock now (it also ends when the process does).
    public func release() {
        storeLease?.release()
        storeLease = nil
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        close(descriptor)
        descriptor = -1
    }

    /// Who holds the lock, as they recorded it. A holder writes its record just after taking the
    /// lock: a record still empty is read again for up to 200 ms before the holder is "unknown".
    private static func holder(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<20 {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Holder(String(decoding: buffer[..<count], as: UTF8.self)) }
            usleep(10_000)
        }
        return nil
    }
}
