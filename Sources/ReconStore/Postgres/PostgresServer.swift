import PikouCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Where and how to reach a PostgreSQL server, from a store URL:
/// `postgres://USER@HOST[:PORT]/DB[?sslmode=…&sslrootcert=…&schema=…&host=/socket/dir]`.
///
/// - The password never comes from the URL (``StoreLocation`` refuses one there): `PGPASSWORD`, else
///   the first matching line of `PGPASSFILE` or `~/.pgpass` (libpq's format, `*` wildcards), else none
///   (trust or peer authentication).
/// - `sslmode` as libpq reads it: `disable`; `prefer` (the default: TLS when the server offers it,
///   unverified); `require` (TLS, unverified); `verify-ca` (against `sslrootcert`); `verify-full`
///   (certificate and host name).
/// - `schema`: the PostgreSQL schema the store lives in (created if missing; `public` by default), so
///   one database can hold several stores (a year, a test) apart.
struct PostgresServer: Sendable {
    var host: String
    var port: Int
    var user: String
    var database: String
    var schema: String?
    var socketDirectory: String?
    var sslMode: String
    var sslRootCert: String?
    /// The URL as printed (never holds a password).
    var display: String

    init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        display = text
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw StoreError.unavailable(.init(zh: "\(text)：不是 'postgres://' 地址；应写作 'postgres://用户@主机:端口/数据库'",
                                               en: "\(text): not a postgres:// URL; write postgres://USER@HOST:PORT/DB"))
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let known: Set = ["sslmode", "sslrootcert", "schema", "host", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw StoreError.unavailable(.init(zh: "\(text)：不认识的选项 '\(unknown)'；Pikou 只读取 \(known.sorted().map { "'\($0)'" }.joined(separator: "、"))",
                                               en: "\(text): unknown option '\(unknown)'; Pikou reads \(known.sorted().joined(separator: ", "))"))
        }
        user = url.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "127.0.0.1"
        port = url.port ?? Int(environment["PGPORT"] ?? "") ?? 5432
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        guard !database.contains("/") else {
            throw StoreError.unavailable(.init(zh: "\(text)：数据库名中含有 '/'", en: "\(text): the database name holds a '/'"))
        }
        socketDirectory = query["host"].flatMap { $0.isEmpty ? nil : $0 }
        if let directory = socketDirectory, !directory.hasPrefix("/") {
            throw StoreError.unavailable(.init(zh: "\(text)：'host=' 指定套接字所在的文件夹，必须是绝对路径",
                                               en: "\(text): host= names a socket folder and must be an absolute path"))
        }
        schema = query["schema"]
        if let schema, !Self.isPlainName(schema) {
            throw StoreError.unavailable(.init(
                zh: "\(text)：模式名 '\(schema)' 只能由小写字母、数字和 _ 组成，以字母或 _ 开头（最多 63 个字符）",
                en: "\(text): schema '\(schema)' must be lower-case letters, digits and _, starting with a letter or _ (at most 63)"))
        }
        sslMode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw StoreError.unavailable(.init(zh: "\(text)：'sslmode' 的值 '\(sslMode)' 不是 'disable'、'prefer'、'require'、'verify-ca'、'verify-full' 之一",
                                               en: "\(text): sslmode '\(sslMode)' is none of disable, prefer, require, verify-ca, verify-full"))
        }
        sslRootCert = query["sslrootcert"] ?? environment["PGSSLROOTCERT"]
        if sslMode.hasPrefix("verify"), sslRootCert == nil {
            throw StoreError.unavailable(.init(
                zh: "\(text)：'sslmode=\(sslMode)' 需要 'sslrootcert=FILE'（签发服务器证书的 CA 证书文件）",
                en: "\(text): sslmode=\(sslMode) needs sslrootcert=FILE (the CA that signed the server's certificate)"))
        }
    }

    /// A lower-case SQL name that needs no quoting.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63 else { return false }
        return (first == "_" || ("a"..."z").contains(first))
            && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The password for this server: `PGPASSWORD`, else the password file's first matching line.
    func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
        guard !file.isEmpty, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.passFields(line)
            guard fields.count == 5 else { continue }
            let wanted = [socketDirectory == nil ? host : "localhost", String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A `.pgpass` line's five fields (`:` separates, `\:` and `\\` escape).
    static func passFields(_ line: Substring) -> [String] {
        var fields: [String] = [], field = "", escaped = false
        for character in line {
            if escaped { field.append(character); escaped = false } else if character == "\\" { escaped = true } else if character == ":" {
                fields.append(field)
                field = ""
            } else { field.append(character) }
        }
        fields.append(field)
        return fields
    }

    /// The client configuration: TLS as `sslmode` says, the schema on every connection.
    func configuration() throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password(), database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password(), database: database, tls: try clientTLS())
        }
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = .seconds(15)
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    /// One connection made directly, to learn at once why a server cannot be reached (refused, no such
    /// database, authentication failed) — the pool would keep retrying instead.
    func probe(logger: Logger) async throws {
        let connection = try await connect(logger: logger)
        try? await connection.close()
    }

    /// A connection of its own, outside the pool.
    func connect(logger: Logger) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password(), database: database)
        } else {
            let mode: PostgresConnection.Configuration.TLS
            switch try tls() {
            case .disable: mode = .disable
            case .prefer(let settings): mode = .prefer(try NIOSSLContext(configuration: settings))
            case .require(let settings): mode = .require(try NIOSSLContext(configuration: settings))
            }
            configuration = .init(host: host, port: port, username: user, password: password(), database: database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(15)
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    private enum TLSMode {
        case disable, prefer(TLSConfiguration), require(TLSConfiguration)
    }

    private func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch try tls() {
        case .disable: .disable
        case .prefer(let settings): .prefer(settings)
        case .require(let settings): .require(settings)
        }
    }

    private func tls() throws -> TLSMode {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case "disable": return .disable
        case "allow", "prefer":
            tls.certificateVerification = .none
            return .prefer(tls)
        case "require":
            tls.certificateVerification = .none
            return .require(tls)
        default:
            guard let sslRootCert else { return .require(tls) }
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(sslRootCert))
            } catch {
                throw StoreError.unavailable(.init(zh: "\(display)：'sslrootcert' 指定的 \(sslRootCert) 无法读作 PEM 证书：\(error)",
                                                   en: "\(display): sslrootcert \(sslRootCert) cannot be read as PEM certificates: \(error)"))
            }
            tls.certificateVerification = sslMode == "verify-full" ? .fullVerification : .noHostnameVerification
            return .require(tls)
        }
    }
}
