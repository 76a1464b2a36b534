public import Foundation
import PikouCrypto

/// A logged-in browser: who, the token its forms carry against cross-site requests, and when it was
/// last used.
public struct ConsoleSession: Sendable, Hashable {
    public var user: String
    public var csrf: String
    public var opened: Date
    public var lastSeen: Date
}

/// Sessions in the server's memory, by a random token kept in an HttpOnly, SameSite=Strict cookie.
/// A session unused for `idleTimeout` ends, and any session ends `lifetime` after it opened; a
/// restarted server ends them all (users log in again).
public actor SessionStore {
    public let idleTimeout: TimeInterval
    public let lifetime: TimeInterval
    let now: @Sendable () -> Date
    private var sessions: [String: ConsoleSession] = [:]

    public init(idleTimeout: TimeInterval = 15 * 60, lifetime: TimeInterval = 12 * 3600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
        self.now = now
    }

    /// A new session for `user`: its cookie token. `replacing` (the browser's previous session) ends.
    public func open(user: String, replacing previous: String? = nil) -> (token: String, session: ConsoleSession) {
        let now = now()
        if let previous { sessions[previous] = nil }
        sessions = sessions.filter { live($0.value, now) }
        let session = ConsoleSession(user: user, csrf: Self.randomToken(), opened: now, lastSeen: now)
        let token = Self.randomToken()
        sessions[token] = session
        return (token, session)
    }

    /// The live session of `token`, its idle clock restarted; nil when unknown or idle too long.
    public func session(_ token: String) -> ConsoleSession? {
        guard var session = sessions[token] else { return nil }
        let now = now()
        guard live(session, now) else {
            sessions[token] = nil
            return nil
        }
        session.lastSeen = now
        sessions[token] = session
        return session
    }

    private func live(_ session: ConsoleSession, _ now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeen) < idleTimeout && now.timeIntervalSince(session.opened) < lifetime
    }

    public func close(_ token: String) { sessions[token] = nil }

    /// Ends every session of `user` (disabled, or a new password).
    public func closeAll(user: String) { sessions = sessions.filter { $0.value.user != user } }

    /// 32 bytes from the system's cryptographic generator, as 64 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Digest.hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Equal tokens, compared in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
