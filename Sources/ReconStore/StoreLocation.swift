public import PikouCore
import Foundation

/// Where a store lives, as `pikou.yaml`'s `store:` or `--store` names it.
///
/// - `sqlite:PATH` or a plain path: the embedded default, one SQLite file (relative paths are
///   relative to the workspace folder).
/// - `postgres://USER@HOST:PORT/DB`: a PostgreSQL server, for several operators at once.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `text`, resolving a relative SQLite path against `directory`.
    public init(_ text: String, relativeTo directory: String) throws(PikouError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard !Self.userInfo(text).contains(":") else {
                throw PikouError("workspace.store", Message(
                    zh: "对账库位置 '\(Self.redacted(text))'：口令不能写在连接地址中；请用环境变量 'PGPASSWORD' 或 ~/.pgpass 提供",
                    en: "store '\(Self.redacted(text))': a password never goes in the URL; give it in PGPASSWORD or ~/.pgpass"))
            }
            self = .postgres(url: text)
            return
        }
        var path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
        guard !path.isEmpty else {
            throw PikouError("workspace.store", Message(zh: "对账库位置 '\(text)'：请给出文件，例如 'sqlite:pikou.sqlite'",
                                                        en: "store '\(text)': give a file, e.g. sqlite:pikou.sqlite"))
        }
        guard !path.contains("\0") else {
            throw PikouError("workspace.store", Message(zh: "对账库位置：路径中含有空字节", en: "store: the path holds a NUL byte"))
        }
        if let scheme = path.firstIndex(of: ":"), path[..<scheme].allSatisfy({ $0.isLetter }), path.distance(from: path.startIndex, to: scheme) > 1,
            path[path.index(after: scheme)...].hasPrefix("//") {
            throw PikouError("workspace.store", Message(
                zh: "对账库位置 '\(text)'：无法识别的对账库类型；请写 'sqlite:路径' 或 'postgres://用户@主机:端口/数据库'",
                en: "store '\(text)': unknown kind of store; use sqlite:PATH or postgres://USER@HOST:PORT/DB"))
        }
        if !path.hasPrefix("/") { path = directory + "/" + path }
        self = .sqlite(path: path)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:" + path
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// What stands between `://` and `@` (user, or user:password), empty when nothing does.
    static func userInfo(_ url: String) -> Substring {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return "" }
        return url[scheme.upperBound..<at.lowerBound]
    }

    /// The URL with any password replaced by `***`.
    static func redacted(_ url: String) -> String {
        let info = userInfo(url)
        guard let colon = info.firstIndex(of: ":") else { return url }
        return url.replacingCharacters(in: url.index(after: colon)..<info.endIndex, with: "***")
    }
}

extension StoreLocation {
    /// Opens the store here, creating and migrating it if needed.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` naming the location and the reason.
    public func open() async throws -> any ReconStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres(let url):
            return try await PostgresStore(url: url)
        }
    }
}
