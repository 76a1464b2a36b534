import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PikouCore
import Yams

/// `notify.gateway` of pikou.yaml: where `pikou notify send` posts notices — a generic HTTP/JSON SMS
/// gateway (`type: generic`, the default) or 阿里云短信 (`type: aliyun`, its signed API) — and the file
/// holding its token (the generic gateway's bearer token, 阿里云's AccessKey secret).
public struct SMSGatewayConfig: Sendable, Hashable {
    /// Which API the gateway speaks.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `POST url` with a bearer token and `{"client_ref", "mobile", "text"}` (``HTTPJSONGateway``).
        case generic
        /// 阿里云短信 (dysmsapi 2017-05-25): `SendSms` with an approved template, each request signed
        /// with the AccessKey secret (HMAC-SHA1, signature version 1.0) (``AliyunSMSGateway``).
        case aliyun
    }

    public var kind: Kind
    public var url: String
    /// The token's file (0600), read at each send; never in pikou.yaml, never logged.
    public var tokenFile: String
    public var timeoutSeconds: Int
    /// 阿里云's AccessKey ID (`type: aliyun`; not a secret, the secret is in `token_file`).
    public var accessKeyID: String?
    /// How long after an unanswered attempt a gateway that does not dedup is asked whether it arrived
    /// (`settle_seconds`, default 600).
    public var settleSeconds: Int

    /// 阿里云短信's address when pikou.yaml gives none.
    public static let aliyunURL = "https://dysmsapi.aliyuncs.com/"

    /// Reads `notify.gateway`: `{url: https://…, token_file: secrets/sms-token, timeout_seconds: 10}`, or
    /// `{type: aliyun, access_key_id: …, token_file: secrets/aliyun-sms-secret}`.
    /// Plain http only to this machine (127.0.0.1, localhost): a token crosses no network in clear.
    init(_ node: Node, path: String, workspace: String) throws(PikouError) {
        let line = node.mark?.line ?? 0
        func fail(_ message: Message) -> PikouError {
            PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：\(message.zh)", en: "\(path):\(line): error: \(message.en)"))
        }
        let keys = ["type", "url", "token_file", "timeout_seconds", "access_key_id", "settle_seconds"]
        guard let mapping = node.mapping, mapping.keys.allSatisfy({ keys.contains($0.string ?? "") }), let token = mapping["token_file"]?.string else {
            throw fail(Message(zh: "'notify.gateway' 写成 {url: https://短信网关/sms, token_file: secrets/sms-token}，或阿里云短信 {type: aliyun, access_key_id: …, token_file: secrets/aliyun-sms-secret}",
                               en: "notify.gateway is {url: https://GATEWAY/sms, token_file: secrets/sms-token}, or 阿里云短信 {type: aliyun, access_key_id: ..., token_file: secrets/aliyun-sms-secret}"))
        }
        var kind = Kind.generic
        if let node = mapping["type"] {
            guard let value = node.string, let known = Kind(rawValue: value) else {
                throw fail(Message(zh: "'notify.gateway.type' 写 generic（通用 HTTP/JSON 网关）或 aliyun（阿里云短信）", en: "notify.gateway.type is generic or aliyun"))
            }
            kind = known
        }
        if kind == .aliyun {
            guard let id = mapping["access_key_id"]?.string, (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw fail(Message(zh: "'notify.gateway.access_key_id' 是阿里云的 AccessKey ID（字母和数字）；AccessKey Secret 放在 token_file 指向的文件（权限 0600）中",
                                   en: "notify.gateway.access_key_id is 阿里云's AccessKey ID (letters and digits); the AccessKey secret goes in token_file's file (mode 0600)"))
            }
            accessKeyID = id
        } else if mapping["access_key_id"] != nil {
            throw fail(Message(zh: "'notify.gateway.access_key_id' 只用于 type: aliyun", en: "notify.gateway.access_key_id goes with type: aliyun only"))
        }
        guard let url = mapping["url"]?.string ?? (kind == .aliyun ? Self.aliyunURL : nil) else {
            throw fail(Message(zh: "'notify.gateway.url' 是短信网关的地址（https://…）", en: "notify.gateway.url is the gateway's address (https://...)"))
        }
        // Read as Foundation reads it (a user part would hide the real host: http://127.0.0.1:1@elsewhere/).
        let parts = URLComponents(string: url)
        let local = parts?.scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(parts?.host ?? "")
        guard let parts, parts.scheme == "https" || local, parts.host?.isEmpty == false, parts.user == nil, parts.password == nil,
              !url.contains(where: { $0.isWhitespace }) else {
            throw fail(Message(zh: "'notify.gateway.url' 必须是 https:// 地址（http:// 只允许本机 127.0.0.1）：令牌不能明文经过网络",
                               en: "notify.gateway.url must be an https:// address (http:// only to this machine, 127.0.0.1): the token must not cross a network in clear"))
        }
        guard !token.isEmpty, !token.contains("\0"), !token.contains("\n") else {
            throw fail(Message(zh: "'notify.gateway.token_file' 是存放令牌的文件（权限 0600）", en: "notify.gateway.token_file is the token's file (mode 0600)"))
        }
        var timeout = 10
        if let node = mapping["timeout_seconds"] {
            guard let value = node.int, (1...120).contains(value) else {
                throw fail(Message(zh: "'notify.gateway.timeout_seconds' 是 1 到 120 的整数", en: "notify.gateway.timeout_seconds is a whole number from 1 to 120"))
            }
            timeout = value
        }
        var settle = 600
        if let node = mapping["settle_seconds"] {
            guard let value = node.int, (0...86_400).contains(value) else {
                throw fail(Message(zh: "'notify.gateway.settle_seconds' 是 0 到 86400 的整数（未得到回答的发送，隔多少秒后再向平台查询是否送达）",
                                   en: "notify.gateway.settle_seconds is a whole number from 0 to 86400 (how long after an unanswered send to ask the platform whether it arrived)"))
            }
            settle = value
        }
        self.settleSeconds = settle
        self.kind = kind
        self.url = url
        self.tokenFile = token.hasPrefix("/") ? token : workspace + "/" + token
        self.timeoutSeconds = timeout
    }

    /// The token from its file: refused when others may read the file.
    func token() throws(GatewayError) -> String {
        if let (problem, fix) = tokenProblem() { throw .misconfigured(problem.text + "；" + fix.text) }
        guard let data = FileManager.default.contents(atPath: tokenFile),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw .misconfigured("\(tokenFile): 读不到短信网关的令牌 / the gateway's token cannot be read")
        }
        return text
    }

    /// The gateway this setting names, sending `templates`.
    public func gateway(templates: NoticeTemplates) -> any NoticeGateway {
        switch kind {
        case .generic: HTTPJSONGateway(config: self)
        case .aliyun: AliyunSMSGateway(config: self, templates: templates)
        }
    }

    /// Why the token file will not do (nil: it is there and the owner's only), with the fix: what
    /// `doctor` says, and why `notify send` stops.
    public func tokenProblem() -> (problem: Message, fix: Message)? {
        var info = stat()
        guard stat(tokenFile, &info) == 0 else { return (Catalogue.Doctor.noGatewayToken(tokenFile), Catalogue.Doctor.fixGatewayToken(tokenFile)) }
        guard info.st_mode & 0o077 == 0 else { return (Catalogue.Doctor.gatewayTokenReadable(tokenFile), Catalogue.Doctor.fixGatewayToken(tokenFile)) }
        return nil
    }
}

/// Why a gateway did not take a notice.
public enum GatewayError: Error, Sendable {
    /// It refused this notice for good (an empty number, a text it will not carry): the reason.
    case refused(String)
    /// It could not be reached or was busy (a timeout, a 5xx): try again later, with the same client reference.
    case unavailable(String)
    /// It will not take this notice now but may later (a number's own daily limit): the rest go on.
    case deferred(String)
    /// It refused Pikou itself (a wrong token, no such path): no notice can go until the setting is fixed.
    case misconfigured(String)
}

/// One notice as a gateway is given it.
public struct OutgoingNotice: Sendable, Hashable {
    /// The notice's client reference: the same on every attempt.
    public var clientRef: String
    public var mobile: String
    public var text: String
    public var kind: NoticeKind
    /// The template's variables as planned, for a gateway that sends its own approved templates.
    public var values: [String: String]

    public init(clientRef: String, mobile: String, text: String, kind: NoticeKind, values: [String: String] = [:]) {
        (self.clientRef, self.mobile, self.text, self.kind, self.values) = (clientRef, mobile, text, kind, values)
    }
}

/// A gateway that takes one notice at a time and answers with its message id.
///
/// A gateway that dedups by client reference (``dedupsByClientRef``) is simply sent a notice again
/// after a timeout or a crash: it sends the one message. One that does not is first asked (``find(_:on:)``)
/// whether an earlier attempt reached it, and sent the notice again only when it says no.
public protocol NoticeGateway: Sendable {
    /// Whether a second request under the same client reference is the same message to the gateway.
    var dedupsByClientRef: Bool { get }
    /// For a gateway that does not dedup: how long after an unanswered attempt to wait before asking
    /// whether it arrived (the platform may still be taking a request that timed out here).
    var settleSeconds: Int { get }
    /// For a gateway that does not dedup: how many days back it can be asked.
    var lookupDays: Int { get }
    func send(_ notice: OutgoingNotice) async throws(GatewayError) -> String
    /// The message id of an earlier attempt at `notice` the gateway took on one of `days` (China
    /// time), or nil when it took none.
    func find(_ notice: OutgoingNotice, on days: [CivilDate]) async throws(GatewayError) -> String?
}

extension NoticeGateway {
    public var dedupsByClientRef: Bool { true }
    public var settleSeconds: Int { 0 }
    public var lookupDays: Int { 30 }
    public func find(_ notice: OutgoingNotice, on days: [CivilDate]) async throws(GatewayError) -> String? { nil }
}

/// The generic HTTP/JSON gateway: `POST url` with `Authorization: Bearer TOKEN` and
/// `{"client_ref", "mobile", "text"}`; a 2xx answers `{"message_id"}`, a 4xx `{"error"}`.
public struct HTTPJSONGateway: NoticeGateway {
    public let config: SMSGatewayConfig

    public init(config: SMSGatewayConfig) { self.config = config }

    public func send(_ notice: OutgoingNotice) async throws(GatewayError) -> String {
        guard let url = URL(string: config.url) else { throw .misconfigured("notify.gateway.url") }
        var request = URLRequest(url: url, timeoutInterval: TimeInterval(config.timeoutSeconds))
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + (try config.token()), forHTTPHeaderField: "Authorization")
        guard let body = try? JSONSerialization.data(withJSONObject: ["client_ref": notice.clientRef, "mobile": notice.mobile, "text": notice.text]) else {
            throw .refused("通知无法写成 JSON / the notice cannot be written as JSON")
        }
        request.httpBody = body
        let (data, status) = try await GatewayHTTP.exchange(request)
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let said = (answer?["error"] as? String).map { String($0.prefix(200)) } ?? ""
        switch status {
        case 200..<300:
            guard let id = answer?["message_id"] as? String, !id.isEmpty, id.count <= 100 else {
                throw .unavailable("网关回答 HTTP \(status) 却没有 message_id / HTTP \(status) without a message_id")
            }
            return id
        case 401, 403, 404, 405: throw .misconfigured("网关拒绝本机的设置 HTTP \(status) \(said)")
        // Too many requests, a request timeout, too early: the gateway's state, not the notice's.
        case 408, 425, 429: throw .unavailable("网关繁忙 HTTP \(status) \(said)")
        case 400..<500: throw .refused("网关拒收 HTTP \(status) \(said)")
        default: throw .unavailable("网关出错 HTTP \(status) \(said)")
        }
    }
}

/// The one HTTP exchange both gateways make.
enum GatewayHTTP {
    /// `request`'s answer and status; a gateway out of reach is ``GatewayError/unavailable(_:)``,
    /// named by its host only (a key in the address's query never reaches a message).
    static func exchange(_ request: URLRequest) async throws(GatewayError) -> (Data, Int) {
        let host = request.url?.host ?? "?"
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw .unavailable("连不上短信网关 \(host)（\((error as NSError).code)）/ the gateway \(host) cannot be reached")
        }
    }
}
