public import Foundation
import HummingbirdBcrypt
public import PikouCore
import PikouCycle

/// What a console user may do. Enforced on the server for every route; the navigation only shows
/// what the role may open.
public enum ConsoleRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// 经办人员: works the failures (resubmits, corrects agreements, handles exceptions); sees whole
    /// ID numbers and accounts, to call payers and correct their agreements.
    case `operator`
    /// 财务: reads the figures and downloads reconciliation; never resubmits; IDs masked.
    case finance
    /// 审计: reads everything including the journal; changes nothing; IDs masked.
    case auditor
    /// 管理员: everything.
    case admin

    public enum Permission: Sendable, Hashable, CaseIterable {
        case view, wholeIDs, resubmit, correctAgreements, handleExceptions, downloadReports, downloadBankFiles, audit
    }

    public func may(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (_, .view), (.admin, _): true
        case (.operator, .wholeIDs), (.operator, .resubmit), (.operator, .correctAgreements), (.operator, .handleExceptions),
             (.operator, .downloadReports), (.operator, .downloadBankFiles):
            true
        case (.finance, .downloadReports): true
        case (.auditor, .downloadReports), (.auditor, .audit): true
        default: false
        }
    }

    public var label: Message {
        switch self {
        case .operator: Message(zh: "经办人员", en: "operator")
        case .finance: Message(zh: "财务", en: "finance")
        case .auditor: Message(zh: "审计", en: "auditor")
        case .admin: Message(zh: "管理员", en: "admin")
        }
    }
}

/// A console user as the users file keeps it: never the password, only its bcrypt hash.
public struct ConsoleUser: Sendable, Hashable, Codable {
    public var name: String
    public var role: ConsoleRole
    public var passwordHash: String
    public var disabled = false
    /// Failed logins in a row; reset by a successful one.
    public var failedLogins = 0
    /// Set after ``UserBook/lockAfter`` failed logins in a row: no login until then.
    public var lockedUntil: Date?
}

/// Why a user could not be added, changed or logged in.
public struct UserError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: Message
    public var description: String { message.text }
}

/// The console's users: `console/users.json` in the workspace (0600, its folder 0700), written
/// whole and atomically on every change. One console server reads and writes it; `pikou users`
/// changes it while the server runs, and the server reads it again on every login.
public actor UserBook {
    public let path: String
    let cost: UInt8
    let now: @Sendable () -> Date

    /// Failed logins in a row that lock an account, and for how long.
    public static let lockAfter = 5
    public static let lockFor: TimeInterval = 15 * 60
    /// The shortest password accepted.
    public static let minimumPasswordLength = 10

    /// - Parameters:
    ///   - cost: bcrypt's cost (2^cost rounds); 12 takes ~0.25 s a hash here. Tests use 4.
    public init(workspaceDirectory: String, cost: UInt8 = 12, now: @escaping @Sendable () -> Date = { Date() }) {
        path = workspaceDirectory + "/console/users.json"
        self.cost = cost
        self.now = now
    }

    /// Every user, by name.
    public func all() throws -> [ConsoleUser] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode([ConsoleUser].self, from: data).sorted { $0.name < $1.name }
        } catch {
            throw UserError(message: Message(zh: "\(path)：用户文件无法读取（\(error)）；请从备份恢复", en: "\(path): the users file cannot be read (\(error)); restore it from a backup"))
        }
    }

    private func save(_ users: [ConsoleUser]) throws {
        try FileIO.makePrivateDirectory((path as NSString).deletingLastPathComponent)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try FileIO.writeAtomically(Array(try encoder.encode(users)), to: path)
    }

    /// A user name: 1–32 letters (Chinese included), digits, `.`, `_` or `-`.
    public static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    static func checkPassword(_ password: String) throws(UserError) {
        guard password.count >= minimumPasswordLength else {
            throw UserError(message: Message(zh: "密码至少 \(minimumPasswordLength) 个字符", en: "a password has at least \(minimumPasswordLength) characters"))
        }
        guard password.utf8.count <= 72 else {  // bcrypt reads 72 bytes; more would be ignored silently
            throw UserError(message: Message(zh: "密码最多 72 个字节", en: "a password has at most 72 bytes"))
        }
    }

    public func add(name: String, role: ConsoleRole, password: String) throws -> ConsoleUser {
        guard Self.validName(name) else {
            throw UserError(message: Message(zh: "用户名“\(name)”无效：1–32 个字母、数字、. _ -", en: "user name '\(name)' is not valid: 1-32 letters, digits, . _ -"))
        }
        try Self.checkPassword(password)
        var users = try all()
        guard !users.contains(where: { $0.name == name }) else {
            throw UserError(message: Message(zh: "用户 \(name) 已存在；改密码用 `pikou users passwd \(name)`", en: "user \(name) exists; change a password with `pikou users passwd \(name)`"))
        }
        let user = ConsoleUser(name: name, role: role, passwordHash: Bcrypt.hash(password, cost: cost))
        users.append(user)
        try save(users)
        return user
    }

    private func change(_ name: String, _ body: (inout ConsoleUser) throws -> Void) throws -> ConsoleUser {
        var users = try all()
        guard let index = users.firstIndex(where: { $0.name == name }) else {
            throw UserError(message: Message(zh: "没有用户 \(name)；`pikou users list` 列出全部", en: "no user \(name); `pikou users list` lists them"))
        }
        try body(&users[index])
        try save(users)
        return users[index]
    }

    public func setDisabled(_ name: String, _ disabled: Bool) throws -> ConsoleUser {
        try change(name) { $0.disabled = disabled }
    }

    /// A new password; also unlocks a locked account.
    public func setPassword(_ name: String, _ password: String) throws -> ConsoleUser {
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        return try change(name) {
            $0.passwordHash = hash
            $0.failedLogins = 0
            $0.lockedUntil = nil
        }
    }

    /// A fixed hash checked when the name is unknown, so that an unknown name takes as long as a wrong password.
    private lazy var decoy = Bcrypt.hash("pikou-decoy-password", cost: cost)

    /// The user if `password` is theirs and they may log in; a failure counts towards the lock.
    /// Every refusal says the same to the browser (the caller shows one message); the reason is for the log.
    public func authenticate(name: String, password: String) throws -> Result<ConsoleUser, LoginRefusal> {
        guard var user = try all().first(where: { $0.name == name }) else {
            _ = Bcrypt.verify(password, hash: decoy)
            return .failure(.unknownOrWrong)
        }
        let now = now()
        if let until = user.lockedUntil, until > now { return .failure(.locked(until: until)) }
        if user.disabled { return .failure(.disabled) }
        guard Bcrypt.verify(password, hash: user.passwordHash) else {
            user = try change(name) {
                $0.failedLogins += 1
                if $0.failedLogins >= Self.lockAfter {
                    $0.lockedUntil = now.addingTimeInterval(Self.lockFor)
                    $0.failedLogins = 0
                }
            }
            return .failure(user.lockedUntil.map { .locked(until: $0) } ?? .unknownOrWrong)
        }
        if user.failedLogins > 0 || user.lockedUntil != nil {
            user = try change(name) {
                $0.failedLogins = 0
                $0.lockedUntil = nil
            }
        }
        return .success(user)
    }

    /// The user behind a session, read again (a user disabled or demoted meanwhile loses access at once).
    public func current(_ name: String) throws -> ConsoleUser? {
        try all().first { $0.name == name && !$0.disabled }
    }
}

public enum LoginRefusal: Error, Sendable, Hashable {
    case unknownOrWrong
    case locked(until: Date)
    case disabled
}
