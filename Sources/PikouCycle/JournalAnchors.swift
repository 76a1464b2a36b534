import Foundation
public import PikouCore
import ReconStore

/// The journal's anchors kept outside the store: `<workspace>/journal-anchors.log`, one line
/// `<China time> entry N sha256 HEX` appended (O_APPEND, 0600) after each command that wrote to the
/// journal, and the same line in each of the workspace's `anchor_copies` (files outside it). The hash
/// chain shows an entry changed in place; only an anchor kept elsewhere shows the last entries
/// deleted, or the whole chain recomputed. `check` verifies every line of these files, and any
/// outside copy given with `--anchor` (a printed report's last line, `pikou journal head`).
public struct JournalAnchors: Sendable {
    public let path: String
    /// The files outside the workspace each anchor is appended to as well.
    public let copies: [String]

    public init(workspace: Workspace) {
        path = workspace.directory + "/journal-anchors.log"
        copies = workspace.anchorCopies
    }

    /// Appends `head` to the anchors file and to each copy, unless it is a file's last line already.
    ///
    /// - Throws: ``PikouError`` (`file.write`) naming the first file that could not take it (the
    ///   others are still written).
    public func append(_ head: JournalHead) throws {
        var failure: PikouError?
        for file in [path] + copies {
            do { try Self.append(head, to: file) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Every anchor of the anchors file and its copies, named by file and line; and the copies that
    /// are not there (removed, or never written: a copy is made by the first command that anchors).
    public func all() -> (anchors: [(source: String, head: JournalHead)], missing: [String]) {
        var anchors: [(source: String, head: JournalHead)] = []
        var missing: [String] = []
        for file in [path] + copies {
            guard let found = Self.anchors(inFileAt: file) else {
                if file != path { missing.append(file) }
                continue
            }
            anchors += found.map { ("\(file):\($0.line)", $0.head) }
        }
        return (anchors, missing)
    }

    private static func append(_ head: JournalHead, to path: String) throws(PikouError) {
        if anchors(inFileAt: path)?.last?.head == head { return }
        let line = Array("\(FileIO.chinaTimestamp(Date())) \(head.text)\n".utf8)
        // Never through a symbolic link: the anchors are evidence, kept where the workspace is.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; Pikou appends nothing through one: make it a real file" : String(cString: strerror(errno))
            throw PikouError("file.write", "\(path): cannot open (\(reason))")
        }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else { throw PikouError("file.write", "\(path): cannot append the journal's anchor") }
    }

    /// Every anchor in the file, with its line number.
    public func anchors() -> [(line: Int, head: JournalHead)] { Self.anchors(inFileAt: path) ?? [] }

    /// Every `entry N sha256 HEX` in the file at `path`, with its line number (nil: no such file).
    static func anchors(inFileAt path: String) -> [(line: Int, head: JournalHead)]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            JournalHead(parsing: line).map { (index + 1, $0) }
        }
    }

    /// Anchors read from `text`: a file's path (every `entry N sha256 HEX` in it) or the anchor itself.
    public static func outside(_ text: String) -> [(source: String, head: JournalHead)]? {
        if let found = anchors(inFileAt: text) {
            return found.isEmpty ? nil : found.map { ("\(text):\($0.line)", $0.head) }
        }
        return JournalHead(parsing: text).map { [("--anchor", $0)] }
    }
}
