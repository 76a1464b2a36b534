import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PikouCore
import Yams

/// `notify.gateway` of pikou.yaml: where `pikou notify send` posts notices (a generic HTTP/JSON SMS
/// gateway), and the file holding its token.
public struct SMSGatewayConfig: Sendable, Hashable {
    public var url: String
    /// The token's file (0600), read at each send; never in pikou.yaml, never logged.
    public var tokenFile: String
    public var timeoutSeconds: Int

    /// Reads `notify.gateway`: `{url: https://…, token_file: secrets/sms-token, timeout_seconds: 10}`.
    /// Plain http only to this machine (127.0.0.1, localhost): a token crosses no network in clear.
    init(_ node: Node, path: String, workspace: String) throws(PikouError) {
        let line = node.mark?.line ?? 0
        func fail(_ message: Message) -> PikouError {
            PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：\(message.zh)", en: "\(path):\(line): error: \(message.en)"))
        }
        guard let mapping = node.mapping, mapping.keys.allSatisfy({ ["url", "token_file", "timeout_seconds"].contains($0.string ?? "") }),
              let url = mapping["url"]?.string, let token = mapping["token_file"]?.string else {
            throw fail(Message(zh: "'notify.gateway' 写成 {url: https://短信网关/sms, token_file: secrets/sms-token}",
                               en: "notify.gateway is {url: https://GATEWAY/sms, token_file: secrets/sms-token}"))
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
        self.url = url
        self.tokenFile = token.hasPrefix("/") ? token : workspace + "/" + token
        self.timeoutSeconds = timeout
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
    /// It refused Pikou itself (a wrong token, no such path): no notice can go until the setting is fixed.
    case misconfigured(String)
}

/// A gateway that takes one notice: its client reference (the same on every retry of the notice, so
/// the gateway sends it once), the mobile number and the text. Returns the gateway's message id.
public protocol NoticeGateway: Sendable {
    func send(clientRef: String, mobile: String, text: String) async throws(GatewayError) -> String
}

/// The generic HTTP/JSON gateway: `POST url` with `Authorization: Bearer TOKEN` and
/// `{"client_ref", "mobile", "text"}`; a 2xx answers `{"message_id"}`, a 4xx `{"error"}`.
public struct HTTPJSONGateway: NoticeGateway {
    public let config: SMSGatewayConfig

    public init(config: SMSGatewayConfig) { self.config = config }

    /// The token from its file: refused when others may read the file.
    func token() throws(GatewayError) -> String {
        if let (problem, fix) = config.tokenProblem() { throw .misconfigured(problem.text + "；" + fix.text) }
        guard let data = FileManager.default.contents(atPath: config.tokenFile),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw .misconfigured("\(config.tokenFile): 读不到短信网关的令牌 / the gateway's token cannot be read")
        }
        return text
    }

    public func send(clientRef: String, mobile: String, text: String) async throws(GatewayError) -> String {
        guard let url = URL(string: config.url) else { throw .misconfigured("notify.gateway.url") }
        var request = URLRequest(url: url, timeoutInterval: TimeInterval(config.timeoutSeconds))
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + (try token()), forHTTPHeaderField: "Authorization")
        guard let body = try? JSONSerialization.data(withJSONObject: ["client_ref": clientRef, "mobile": mobile, "text": text]) else {
            throw .refused("通知无法写成 JSON / the notice cannot be written as JSON")
        }
        request.httpBody = body
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            // The host only: a key in the address's query never reaches a message.
            throw .unavailable("连不上短信网关 \(url.host ?? "?")（\((error as NSError).code)）/ the gateway \(url.host ?? "?") cannot be reached")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
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
