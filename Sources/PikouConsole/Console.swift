import Foundation
public import Hummingbird
import HTTPTypes
import Logging
public import PikouCore
public import PikouCycle

/// 批扣工作台: the web console. Server-rendered pages over the same use cases the CLI calls
/// (``UseCases``), never the store; no script, no CDN, nothing fetched from outside.
///
/// Security, on every route:
/// - a session cookie (HttpOnly, SameSite=Strict, idle timeout) from a login checked against the
///   bcrypt hash in the users file; five failures in a row lock the account for 15 minutes;
/// - the role checked on the server for each route (``ConsoleRole/may(_:)``);
/// - every form posts a CSRF token (the session's, or before login the login cookie's);
/// - headers: a CSP allowing nothing but this server's own styles and forms (no inline script
///   anywhere), no framing, no sniffing, no referrer, and no caching of any page.
public struct Console: Sendable {
    public let useCases: UseCases
    public let users: UserBook
    public let sessions: SessionStore
    public let language: Language
    /// Cookies marked Secure: set when the console is served over TLS (a reverse proxy); plain HTTP
    /// on 127.0.0.1 needs it off, or the browser drops the cookie.
    public let secureCookies: Bool
    /// Today in China (the tests fix it): the date a resubmission's files carry.
    let today: @Sendable () -> CivilDate
    /// Figures read from the store, kept while the ledger stays as it was.
    let cache = ViewCache()
    /// The enabled banks by code: their names as people say them (中国银行), read once at start.
    let bankNames: [String: String]

    public init(useCases: UseCases, users: UserBook, sessions: SessionStore = SessionStore(), language: Language = .zh, secureCookies: Bool = false,
                today: @escaping @Sendable () -> CivilDate = { FileIO.todayInChina() }) {
        self.useCases = useCases
        self.users = users
        self.sessions = sessions
        self.language = language
        self.secureCookies = secureCookies
        self.today = today
        bankNames = useCases.workspace.bankNames()
    }

    /// A bank as the pages show it: its name as people say it (`display_name`), else its code.
    func bankName(_ code: String) -> String { bankNames[code] ?? code }

    /// `compute`'s answer for the ledger as it stands: from the cache while nothing was written.
    func cached<T: Sendable>(_ key: String, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        try await cache.value(key, stamp: try await useCases.ledgerVersion(), compute)
    }

    /// The cookies' names: with Secure cookies, `__Host-` names that no other host or path can set.
    var sessionCookie: String { (secureCookies ? "__Host-" : "") + "pikou_session" }
    var loginCookie: String { (secureCookies ? "__Host-" : "") + "pikou_login" }

    /// The routes, for the server and for the route tests.
    public func router() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: SecurityHeaders(secure: secureCookies))
        router.add(middleware: SessionLookup(console: self))
        router.get("/static/console.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Layout.css)))
        }
        router.get("/login") { request, _ in try await loginPage(request: request, problem: nil) }
        router.post("/login") { request, context in try await login(request: request, context: context) }
        router.post("/logout") { request, context in try await logout(request: request, context: context) }
        for add in [addOverviewRoutes, addGridRoutes, addFailuresRoutes, addPayerRoutes, addResubmitRoutes, addAgreementsRoutes,
                    addExceptionsRoutes, addReportsRoutes, addAuditRoutes, addUsersRoutes, addTrendsRoutes, addNoticesRoutes, addReconcileRoutes, addCertificateRoutes] {
            add(router)
        }
        return router
    }

    /// Serves the console on `host:port` until the process is stopped.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable () async -> Void = {}) async throws {
        var logger = Logger(label: "pikou.console")
        logger.logLevel = .info
        try await application(host: host, port: port, logger: logger, onRunning: onRunning).runService()
    }

    /// Seconds a connection may stay without a byte read before the console closes it: a request
    /// sent half, or a connection opened and left, holds nothing for long (tens of thousands of them
    /// made a normal request wait).
    public static let idleSeconds: Int64 = 30

    /// Connections the console holds open at once: one more is closed at once (``ConnectionCap``).
    /// An office's dozen browsers keep a few each; idle ones close after ``idleSeconds``.
    public static let connectionCap = 256

    /// The server: the routes over HTTP/1.1, an idle connection closed after `idleSeconds`, no more
    /// than `connectionCap` connections at once.
    func application(host: String, port: Int, logger: Logger, idleSeconds: Int64 = Console.idleSeconds, connectionCap: Int = Console.connectionCap,
                     onRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        let cap = ConnectionCap(limit: connectionCap)
        return Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [cap.handler()], idleTimeout: .seconds(idleSeconds))),
            configuration: .init(address: .hostname(host, port: port), serverName: "Pikou"),
            onServerRunning: { _ in await onRunning() }, logger: logger)
    }

    // MARK: - Rendering

    /// Renders a page the signed-in user's role may open; otherwise the login page (no session) or 403.
    func page(_ request: Request, _ context: ConsoleContext, _ permission: ConsoleRole.Permission,
              _ body: (Viewer) async throws -> HTML) async throws -> Response {
        guard let viewer = context.viewer else { return Self.redirect(to: "/login" + query([("next", request.uri.description)])) }
        guard viewer.role.may(permission) else { return html(Layout.forbidden(viewer, language), status: .forbidden) }
        do { return html(try await body(viewer)) } catch { return try problem(error, viewer) }
    }

    /// Runs a form's action for a user whose role may, after checking the form's CSRF token against
    /// the session's; `body` answers with a page or a redirect.
    func action(_ request: Request, _ context: ConsoleContext, _ permission: ConsoleRole.Permission,
                _ body: (Viewer, Form) async throws -> Response) async throws -> Response {
        guard let viewer = context.viewer else { return Self.redirect(to: "/login") }
        guard viewer.role.may(permission) else { return html(Layout.forbidden(viewer, language), status: .forbidden) }
        let form = try await Form(request)
        guard let sent = form["csrf"], SessionStore.same(viewer.session.csrf, sent) else { return problem(Self.expiredForm, viewer) }
        do { return try await body(viewer, form) } catch { return try problem(error, viewer) }
    }

    /// A file for a user whose role may download it: an attachment, never shown in the browser.
    func download(_ request: Request, _ context: ConsoleContext, _ permission: ConsoleRole.Permission,
                  _ body: (Viewer) async throws -> Download) async throws -> Response {
        guard let viewer = context.viewer else { return Self.redirect(to: "/login" + query([("next", request.uri.description)])) }
        guard viewer.role.may(permission) else { return html(Layout.forbidden(viewer, language), status: .forbidden) }
        let file: Download
        do { file = try await body(viewer) } catch { return try problem(error, viewer) }
        var headers = HTTPFields()
        headers[.contentType] = file.type
        // An ASCII name for old browsers, the real one (Chinese included) as RFC 6266's filename*.
        let ascii = String(file.name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        // RFC 5987 attr-chars only (ASCII): `.alphanumerics` would leave Chinese letters unencoded.
        let encoded = file.name.addingPercentEncoding(withAllowedCharacters: Self.attributeCharacters) ?? ascii
        headers[.contentDisposition] = "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    static let attributeCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")

    /// The page a failure makes: a `PageError` as it is, any other failure a use case threw as
    /// ``PageError/init(title:_:)`` says it; 404, 413 and the like go on to Hummingbird.
    func problem(_ error: any Error, _ viewer: Viewer) throws -> Response {
        if error is any HTTPResponseError { throw error }
        return problem(error as? PageError ?? PageError(title: Catalogue.Page.refused, error), viewer)
    }

    /// The page a `PageError` makes: its title, its message as a problem, its status.
    func problem(_ error: PageError, _ viewer: Viewer) -> Response {
        let lines = [error.message] + (error.fix.map { [$0] } ?? [])
        return html(Layout.frame(title: error.title, viewer: viewer, language: language, body: HTML.join(lines.map { Layout.problem($0.text(language)) })),
                    status: error.status)
    }

    /// A form posted without the session's CSRF token (or with another).
    static let expiredForm = PageError(title: Catalogue.Page.refused,
                                       message: Catalogue.Page.formExpired,
                                       status: .forbidden)

    func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: - Login

    func loginPage(request: Request, next: String? = nil, problem: Message?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = SessionStore.randomToken()
        let next = Self.safeNext(next ?? request.uri.queryParameters["next"].map(String.init))
        var response = html(Layout.login(token: token, next: next, problem: problem?.text(language), language: language), status: status)
        response.setCookie(cookie(loginCookie, token, maxAge: 15 * 60))
        return response
    }

    /// Journals a login or logout without holding up the answer; a failure is logged.
    static func journalInBackground(_ useCases: UseCases, _ logger: Logger, actor: String, action: String, subject: String, detail: String) {
        Task {
            do { try await useCases.journal(actor: actor, action: action, subject: subject, detail: detail) } catch {
                logger.error("console: could not journal \(action) of \(Masking.logged(actor)): \(Masking.logged("\(error)", limit: 400))")
            }
        }
    }

    /// Where to go after logging in: a path on this server only (never `//host` or a URL).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return "/" }
        return next
    }

    func login(request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await Form(request)
        let next = form["next"]
        // The form carries the token its page set in the login cookie: a page elsewhere cannot post it.
        guard let expected = request.cookies[loginCookie]?.value, let sent = form["csrf"], SessionStore.same(expected, sent) else {
            return try await loginPage(request: request, next: next, problem: Catalogue.Page.loginPageExpired,
                                       status: .forbidden)
        }
        let name = form["user"] ?? "", password = form["password"] ?? ""
        switch try await users.authenticate(name: name, password: password, code: form["code"]) {
        case .failure(let reason):
            // One answer for every refusal: a wrong name, a wrong password, a locked or disabled account.
            context.logger.notice("console login refused for '\(Masking.logged(name))': \(reason)")
            return try await loginPage(
                request: request, next: next,
                problem: Catalogue.Page.loginRefused(after: UserBook.lockAfter, minutes: Int(UserBook.lockFor / 60)),
                status: .forbidden)
        case .success(let user):
            let (token, _) = await sessions.open(user: user.name, replacing: request.cookies[sessionCookie]?.value)
            var response = Self.redirect(to: Self.safeNext(next))
            response.setCookie(cookie(sessionCookie, token))
            response.setCookie(cookie(loginCookie, "", maxAge: 0))
            context.logger.info("console login: \(Masking.logged(user.name)) (\(user.role.rawValue))")
            // Best effort: a login must not wait for, or fail on, a long write holding the store.
            Self.journalInBackground(useCases, context.logger, actor: user.name, action: "console.login", subject: user.name, detail: "role \(user.role.rawValue)")
            return response
        }
    }

    func logout(request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await Form(request)
        guard let viewer = context.viewer, let token = request.cookies[sessionCookie]?.value else { return Self.redirect(to: "/login") }
        guard let sent = form["csrf"], SessionStore.same(viewer.session.csrf, sent) else { return problem(Self.expiredForm, viewer) }
        await sessions.close(token)
        Self.journalInBackground(useCases, context.logger, actor: viewer.name, action: "console.logout", subject: viewer.name, detail: "")
        var response = Self.redirect(to: "/login")
        response.setCookie(cookie(sessionCookie, "", maxAge: 0))
        return response
    }
}

/// Who is looking at a page: the user as the users file has them now, and their session.
public struct Viewer: Sendable {
    public var name: String
    public var role: ConsoleRole
    public var session: ConsoleSession
}

public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the session middleware when the request carries a live session of an enabled user.
    public var viewer: Viewer?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// A page that cannot show what was asked (a filter that is not valid), in the reader's words.
struct PageError: Error {
    var title: Message
    var message: Message
    /// What to do about it, when the failure says (a ``PikouError``'s fix).
    var fix: Message? = nil
    var status: HTTPResponse.Status = .badRequest

    init(title: Message, message: Message, status: HTTPResponse.Status = .badRequest) {
        self.title = title
        self.message = message
        self.status = status
    }

    /// A failure a use case threw, as the CLI would say it (``PikouError``: its message and fix),
    /// under the page's `title`; a conflict is 409, an error no layer of Pikou made is 500.
    init(title: Message, _ error: any Error) {
        let failure = PikouError(error)
        self.title = title
        message = failure.message
        fix = failure.fix
        status = switch failure.code.rawValue {
        case "store.conflict", "store.busy", "workspace.busy": .conflict
        case "store.notFound": .notFound
        case "internal": .internalServerError
        default: .badRequest
        }
    }
}

/// A file to download: its name as the user's browser saves it, its type and bytes.
struct Download {
    var name: String
    var type: String
    var bytes: [UInt8]
}

/// The headers every response carries.
struct SecurityHeaders: RouterMiddleware {
    /// Served over HTTPS (through a TLS proxy): browsers are told to keep to it.
    let secure: Bool

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // 404, 413 and the like carry the same headers as the pages.
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        if secure { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000" }
        return response
    }
}

/// Finds the request's session and its user, read again from the users file (a user disabled or
/// given another role meanwhile is out, or sees the new role's pages, at the next click).
struct SessionLookup: RouterMiddleware {
    let console: Console

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[console.sessionCookie]?.value, let session = await console.sessions.session(token) {
            if let user = try await console.users.current(session.user, sessionOpened: session.opened) {
                context.viewer = Viewer(name: user.name, role: user.role, session: session)
            } else {
                await console.sessions.close(token)
            }
        }
        return try await next(request, context)
    }
}

/// An `application/x-www-form-urlencoded` body, at most 64 KiB.
struct Form {
    var fields: [String: String] = [:]
    /// Every value of a name given several times (the rows ticked in a list), in order.
    var lists: [String: [String]] = [:]

    init(_ request: Request) async throws {
        let body = try await request.body.collect(upTo: 64 << 10)
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            fields[name] = value
            lists[name, default: []].append(value)
        }
    }

    /// Every value given for `name`.
    func all(_ name: String) -> [String] { lists[name] ?? [] }

    subscript(_ name: String) -> String? { fields[name] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
