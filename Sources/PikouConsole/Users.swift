public import Foundation
import HummingbirdOTP
import HummingbirdBcrypt
import NIOPosix
import PikouCrypto
public import PikouCore
public import PikouCycle

extension ConsoleUser {
    /// The SHA-256 of the user's name, role, password hash, disabled and second factor (the fields as
    /// a ledger seal feeds them); not of a lockout or the sessions' cut-off, which logins change.
    public var seal: String {
        var bytes: [UInt8] = []
        for field in [name, role.rawValue, passwordHash, disabled ? "1" : "0", totpSecret ?? "\0"] {
            bytes += field.utf8
            bytes.append(0x1F)
        }
        bytes.append(0x1E)
        return (try? Digest.hex(Digest.hash(bytes, .sha256))) ?? ""
    }

    /// How a journal entry about the user carries the seal: `user sha256 <hex>`.
    public var sealText: String { "user sha256 \(seal)" }

    /// The seal a journal detail carries, if any.
    static func seal(in detail: String) -> String? {
        guard let range = detail.range(of: "user sha256 ", options: .backwards) else { return nil }
        let hex = detail[range.upperBound...].prefix(64)
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? String(hex) : nil
    }
}

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
        /// 三方对账: review an account credit or a treasury line in an exception state (finance).
        case reviewMoney
        /// 用户管理: add users, disable them, reset passwords, second factors (the admin only).
        case manageUsers
    }

    public func may(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (_, .view), (.admin, _): true
        case (.operator, .wholeIDs), (.operator, .resubmit), (.operator, .correctAgreements), (.operator, .handleExceptions),
             (.operator, .downloadReports), (.operator, .downloadBankFiles):
            true
        case (.finance, .downloadReports), (.finance, .reviewMoney): true
        case (.auditor, .downloadReports), (.auditor, .audit): true
        default: false
        }
    }

    public var label: Message {
        switch self {
        case .operator: Catalogue.Page.operatorText
        case .finance: Catalogue.Page.finance
        case .auditor: Catalogue.Page.auditor
        case .admin: Catalogue.Page.admin
        }
    }
}

/// A console user as the users file keeps it: never the password, only its bcrypt hash.
///
/// What gives a user their power — name, role, password hash, disabled, second factor — is sealed
/// (``seal``) in the journal entry of each `pikou users` change, and `check` holds the file to those
/// seals (``UserBook/sealFindings(_:)``): a role raised by editing console/users.json shows.
public struct ConsoleUser: Sendable, Hashable, Codable {
    public var name: String
    public var role: ConsoleRole
    public var passwordHash: String
    public var disabled = false
    /// Set after ``UserBook/lockAfter`` failed logins in a row: no login until then.
    public var lockedUntil: Date?
    /// Sessions opened before this instant are over (set by a new password or by disabling).
    public var sessionsValidAfter: Date?
    /// The shared secret of the user's authenticator app (TOTP, RFC 6238: 6 digits, 30 s): when set,
    /// a login needs the app's current code as well as the password.
    public var totpSecret: String?
}


/// The console's users: `console/users.json` in the workspace (0600, its folder 0700), written
/// whole and atomically on every change, under `console/users.lock` (the server and `pikou users`
/// change it alike, so every change reads the file again inside the lock). The server reads it
/// again whenever it changed, so a user disabled by `pikou users disable` is out at the next click.
///
/// Failed logins in a row are counted in the server's memory, for known and unknown names alike
/// (the same answer, the same bcrypt work, no file written until a lock starts).
public actor UserBook {
    public let path: String
    let cost: UInt8
    let now: @Sendable () -> Date
    private var cache: (stamp: FileStamp, users: [ConsoleUser])?
    private var failures: [String: Int] = [:]
    private var inFlight: [String: Int] = [:]
    private var lockedUnknown: [String: Date] = [:]
    /// The last TOTP time step each user logged in with: a code is good once (no replay).
    private var lastStep: [String: Int64] = [:]

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

    private var folder: String { (path as NSString).deletingLastPathComponent }

    /// Every user, by name (read again only when the file changed).
    public func all() throws -> [ConsoleUser] {
        let stamp = FileStamp(path)
        if let cache, cache.stamp == stamp, stamp.exists { return cache.users }
        let users = try read()
        cache = (stamp, users)
        return users
    }

    private func read() throws -> [ConsoleUser] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PikouError("console.user", Catalogue.Page.usersFileUnreadable(path))
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode([ConsoleUser].self, from: data).sorted { $0.name < $1.name }
        } catch {
            throw PikouError("console.user", Catalogue.Page.usersFileDamaged(path, reason: "\(error)"))
        }
    }

    /// Reads the file, lets `body` change the users, writes them back: all under the file lock.
    private func update<T>(_ body: (inout [ConsoleUser]) throws -> T) throws -> T {
        try FileIO.makePrivateDirectory(folder)
        let lock = try FileIO.lock(folder + "/users.lock")
        defer { lock.release() }
        var users = try read()
        let result = try body(&users)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try FileIO.writeAtomically(Array(try encoder.encode(users)), to: path)
        cache = nil
        return result
    }

    /// Users whose record is not what the last journal entry about them sealed (`changed`, with
    /// that entry; an edit of console/users.json), and users no entry sealed (`unsealed`: added
    /// before users were sealed, or outside Pikou). `journal` is every `console.user.` entry.
    public func sealFindings(_ journal: [JournalEntry]) throws -> (changed: [(name: String, entry: Int64)], unsealed: [String]) {
        var last: [String: (seal: String, entry: Int64)] = [:]
        for entry in journal.sorted(by: { $0.id < $1.id }) {
            if let seal = ConsoleUser.seal(in: entry.detail) { last[entry.subject] = (seal, entry.id) }
        }
        var changed: [(name: String, entry: Int64)] = [], unsealed: [String] = []
        for user in try all() {
            guard let sealed = last[user.name] else { unsealed.append(user.name); continue }
            if sealed.seal != user.seal { changed.append((user.name, sealed.entry)) }
        }
        return (changed, unsealed)
    }

    /// A user name: 1–32 letters (Chinese included), digits, `.`, `_` or `-`.
    public static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    static func checkPassword(_ password: String) throws(PikouError) {
        guard password.count >= minimumPasswordLength else {
            throw PikouError("console.user", Catalogue.Page.passwordTooShort(minimumPasswordLength))
        }
        guard password.utf8.count <= 72 else {  // bcrypt reads 72 bytes; more would be ignored silently
            throw PikouError("console.user", Catalogue.Page.passwordTooLong)
        }
    }

    public func add(name: String, role: ConsoleRole, password: String) throws -> ConsoleUser {
        guard Self.validName(name) else {
            throw PikouError("console.user", Catalogue.Page.invalidUserName(name))
        }
        try Self.checkPassword(password)
        let user = ConsoleUser(name: name, role: role, passwordHash: Bcrypt.hash(password, cost: cost))
        return try update { users in
            guard !users.contains(where: { $0.name == name }) else {
                throw PikouError("console.user", Catalogue.Page.userExists(name))
            }
            users.append(user)
            return user
        }
    }

    private func change(_ name: String, _ body: (inout ConsoleUser) throws -> Void) throws -> ConsoleUser {
        try update { users in
            guard let index = users.firstIndex(where: { $0.name == name }) else {
                throw PikouError("console.user", Catalogue.Page.noSuchUser(name))
            }
            try body(&users[index])
            return users[index]
        }
    }

    /// Disables or enables a user; either way their open sessions end.
    public func setDisabled(_ name: String, _ disabled: Bool) throws -> ConsoleUser {
        let now = now()
        return try change(name) {
            $0.disabled = disabled
            $0.sessionsValidAfter = now
        }
    }

    /// A new password: unlocks the account and ends its open sessions.
    public func setPassword(_ name: String, _ password: String) throws -> ConsoleUser {
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        let now = now()
        failures[name] = nil
        return try change(name) {
            $0.passwordHash = hash
            $0.lockedUntil = nil
            $0.sessionsValidAfter = now
        }
    }

    /// A fixed hash checked when the name is unknown, so that an unknown name costs as much as a wrong password.
    private lazy var decoy = Bcrypt.hash("pikou-decoy-password", cost: cost)

    /// The user if `password` is theirs and they may log in. bcrypt runs on NIO's thread pool, never
    /// on this actor (pages keep being served while logins are checked). Every refusal costs one
    /// bcrypt and says the same to the browser; the reason is for the server's log.
    ///
    /// A user with a second factor also needs `code`, their authenticator's code of this 30-second
    /// step or the one before or after (clocks drift), and not one already used: a wrong or missing
    /// code counts as a failed login.
    public nonisolated func authenticate(name: String, password: String, code: String? = nil) async throws -> Result<ConsoleUser, LoginRefusal> {
        let attempt = try await begin(name)
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: attempt.hash) }
        return try await finish(name, attempt, matches: matches, code: code)
    }

    /// The TOTP step `code` belongs to (this one, or one either side), if it is the user's and newer
    /// than the last one used.
    private func totpStep(_ secret: String, _ name: String, _ code: String?) -> Int64? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), code.count == 6, let value = Int(code) else { return nil }
        let now = now()
        let step = Int64(now.timeIntervalSince1970 / 30)
        let totp = TOTP(secret: secret)
        for offset in [Int64(0), -1, 1] where totp.compute(date: Date(timeIntervalSince1970: TimeInterval((step + offset) * 30))) == value {
            guard step + offset > lastStep[name] ?? 0 else { return nil }
            return step + offset
        }
        return nil
    }

    /// Turns the second factor on (a new secret; returns it and the `otpauth://` address to show the
    /// user's authenticator app once) or off. Either way the user's open sessions end.
    public func setTOTP(_ name: String, enabled: Bool) throws -> (user: ConsoleUser, secret: String?, address: String?) {
        let secret = enabled ? SessionStore.randomToken().prefix(32).uppercased() : nil
        let now = now()
        let user = try change(name) {
            $0.totpSecret = secret
            $0.sessionsValidAfter = now
        }
        lastStep[name] = nil
        let address = secret.map { TOTP(secret: $0).createAuthenticatorURL(label: "Pikou:\(name)", issuer: "Pikou") }
        return (user, secret, address)
    }

    private struct Attempt: Sendable {
        var user: ConsoleUser?
        var hash: String
        var refusal: LoginRefusal?
    }

    /// Counts the attempt before the password is checked: parallel guesses count towards the lock too.
    private func begin(_ name: String) throws -> Attempt {
        let user = try all().first { $0.name == name }
        let now = now()
        var refusal: LoginRefusal?
        if let until = user?.lockedUntil ?? lockedUnknown[name], until > now {
            refusal = .locked(until: until)
        } else if (failures[name] ?? 0) + (inFlight[name] ?? 0) >= Self.lockAfter {
            refusal = .locked(until: now.addingTimeInterval(Self.lockFor))
        } else if user?.disabled == true {
            refusal = .disabled
        }
        inFlight[name, default: 0] += 1
        return Attempt(user: user, hash: user?.passwordHash ?? decoy, refusal: refusal)
    }

    private func finish(_ name: String, _ attempt: Attempt, matches: Bool, code: String?) throws -> Result<ConsoleUser, LoginRefusal> {
        inFlight[name, default: 1] -= 1
        if inFlight[name] == 0 { inFlight[name] = nil }
        if let refusal = attempt.refusal { return .failure(refusal) }
        var secondFactor = true
        if matches, let secret = attempt.user?.totpSecret {
            if let step = totpStep(secret, name, code) { lastStep[name] = step } else { secondFactor = false }
        }
        if matches, secondFactor, let user = attempt.user {
            failures[name] = nil
            if user.lockedUntil != nil { _ = try change(name) { $0.lockedUntil = nil } }
            return .success(user)
        }
        let count = (failures[name] ?? 0) + 1
        guard count >= Self.lockAfter else {
            failures[name] = count
            return .failure(.unknownOrWrong)
        }
        failures[name] = nil
        let until = now().addingTimeInterval(Self.lockFor)
        if attempt.user != nil {
            _ = try change(name) { $0.lockedUntil = until }
        } else {
            lockedUnknown[name] = until
        }
        return .failure(.locked(until: until))
    }

    /// The user behind a session opened at `opened`: nil when disabled, gone, or when their sessions
    /// were ended after it opened (a new password, a disable).
    public func current(_ name: String, sessionOpened opened: Date) throws -> ConsoleUser? {
        guard let user = try all().first(where: { $0.name == name && !$0.disabled }) else { return nil }
        if let after = user.sessionsValidAfter, opened < after { return nil }
        return user
    }
}

/// A file's identity and last change, to know when to read it again.
struct FileStamp: Equatable {
    var exists = false
    var inode: UInt64 = 0
    var modified: Date?
    var size: UInt64 = 0

    init(_ path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        exists = true
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        modified = attributes[.modificationDate] as? Date
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    }
}

public enum LoginRefusal: Error, Sendable, Hashable {
    case unknownOrWrong
    case locked(until: Date)
    case disabled
}

/// The console's users changed, each change journaled with the seal of the user as the file now
/// holds them (so `pikou check` holds the file to it): what `pikou users` and 用户管理 both do.
public struct UserAdmin: Sendable {
    let book: UserBook
    let useCases: UseCases

    public init(book: UserBook, useCases: UseCases) {
        self.book = book
        self.useCases = useCases
    }

    public func add(name: String, role: ConsoleRole, password: String, actor: String) async throws -> ConsoleUser {
        let user = try await book.add(name: name, role: role, password: password)
        try await useCases.journal(actor: actor, action: "console.user.add", subject: user.name, detail: "role \(role.rawValue); \(user.sealText)")
        return user
    }

    public func setDisabled(_ name: String, _ disabled: Bool, actor: String) async throws -> ConsoleUser {
        let user = try await book.setDisabled(name, disabled)
        try await useCases.journal(actor: actor, action: disabled ? "console.user.disable" : "console.user.enable", subject: name, detail: user.sealText)
        return user
    }

    public func setPassword(_ name: String, _ password: String, actor: String) async throws -> ConsoleUser {
        let user = try await book.setPassword(name, password)
        try await useCases.journal(actor: actor, action: "console.user.passwd", subject: name, detail: "new password; \(user.sealText)")
        return user
    }

    /// Turns the second factor on (returning the `otpauth://` address to show once) or off.
    public func setTOTP(_ name: String, enabled: Bool, actor: String) async throws -> (user: ConsoleUser, secret: String?, address: String?) {
        let result = try await book.setTOTP(name, enabled: enabled)
        try await useCases.journal(actor: actor, action: "console.user.totp", subject: name, detail: "\(enabled ? "on" : "off"); \(result.user.sealText)")
        return result
    }
}
