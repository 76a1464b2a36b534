public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PikouCore
import PikouCrypto

/// 阿里云短信 (dysmsapi, API version 2017-05-25) as its documentation specifies: RPC-style requests,
/// every parameter signed with the AccessKey secret (signature version 1.0, HMAC-SHA1 over
/// `POST&%2F&` and the sorted, percent-encoded parameters, the key being the secret and `&`).
///
/// - `SendSms` sends a notice as the office's approved template (`template_code` of its kind in
///   notices.yaml), the variables named by `params` as `TemplateParam`, the notice's client reference
///   as `OutId`; the answer's `BizId` is the message id.
/// - The platform does not dedup by `OutId`, so a notice whose earlier attempt has no recorded answer
///   (a timeout, a crash) is looked up first: `QuerySendDetails` of the number on the attempt's day,
///   looking for its `OutId`; only when none is there is it sent again.
public struct AliyunSMSGateway: NoticeGateway {
    public let config: SMSGatewayConfig
    public let templates: NoticeTemplates
    /// The clock of the requests' `Timestamp` (a test fixes it).
    let now: @Sendable () -> Date

    public init(config: SMSGatewayConfig, templates: NoticeTemplates, now: @escaping @Sendable () -> Date = { Date() }) {
        (self.config, self.templates, self.now) = (config, templates, now)
    }

    public var dedupsByClientRef: Bool { false }
    public var settleSeconds: Int { config.settleSeconds }
    /// QuerySendDetails answers for the last 30 days.
    public var lookupDays: Int { 30 }

    public func send(_ notice: OutgoingNotice) async throws(GatewayError) -> String {
        guard let template = templates.templates[notice.kind], let code = template.templateCode else {
            throw .misconfigured("notices.yaml 中 \(notice.kind.rawValue) 没有 template_code：阿里云短信只发审核通过的模板，请写上平台的模板代码和 params"
                                 + " / notices.yaml gives \(notice.kind.rawValue) no template_code: 阿里云 sends approved templates only")
        }
        var parameters: [String: String] = [:]
        for (parameter, variable) in template.params {
            // A notice planned before its variables were kept: never the template with blanks.
            guard let value = notice.values[variable] else {
                throw .refused(Catalogue.noticeWithoutValues(variable).text)
            }
            parameters[parameter] = value
        }
        guard let json = try? JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]) else {
            throw .refused("通知的变量无法写成 JSON / the notice's variables cannot be written as JSON")
        }
        let answer = try await call([
            "Action": "SendSms", "PhoneNumbers": notice.mobile, "SignName": templates.signature, "TemplateCode": code,
            "TemplateParam": String(decoding: json, as: UTF8.self), "OutId": notice.clientRef,
        ])
        guard let id = answer["BizId"] as? String, !id.isEmpty, id.count <= 100 else {
            throw .unavailable("阿里云短信回答 OK 却没有 BizId / OK without a BizId")
        }
        return id
    }

    public func find(_ notice: OutgoingNotice, on days: [CivilDate]) async throws(GatewayError) -> String? {
        for day in days {
            var page = 1
            while page <= 20 {
                let answer = try await call([
                    "Action": "QuerySendDetails", "PhoneNumber": notice.mobile, "SendDate": String(format: "%04d%02d%02d", day.year, day.month, day.day),
                    "PageSize": "50", "CurrentPage": String(page),
                ])
                let details = ((answer["SmsSendDetailDTOs"] as? [String: Any])?["SmsSendDetailDTO"] as? [[String: Any]]) ?? []
                // Waiting (1) or delivered (3); a message the carrier failed (2) may be sent again.
                if details.contains(where: { $0["OutId"] as? String == notice.clientRef && [1, 3].contains(Int("\($0["SendStatus"] ?? 0)") ?? 0) }) {
                    // The answer of a query names no BizId: the client reference stands for it.
                    return "OutId:" + notice.clientRef
                }
                let total = Int("\(answer["TotalCount"] ?? 0)") ?? 0
                if details.isEmpty || page * 50 >= total { break }
                page += 1
            }
        }
        return nil
    }

    /// One signed request; its answer when `Code` is `OK`, else the error the code means.
    func call(_ action: [String: String]) async throws(GatewayError) -> [String: Any] {
        guard let id = config.accessKeyID, let url = URL(string: config.url) else { throw .misconfigured("notify.gateway: access_key_id, url") }
        let secret = try config.token()
        var parameters = action
        parameters["AccessKeyId"] = id
        parameters["Format"] = "JSON"
        parameters["RegionId"] = "cn-hangzhou"
        parameters["SignatureMethod"] = "HMAC-SHA1"
        parameters["SignatureNonce"] = UUID().uuidString.lowercased()
        parameters["SignatureVersion"] = "1.0"
        parameters["Timestamp"] = Self.timestamp(now())
        parameters["Version"] = "2017-05-25"
        parameters["Signature"] = try Self.signature(method: "POST", parameters: parameters, secret: secret)
        var request = URLRequest(url: url, timeoutInterval: TimeInterval(config.timeoutSeconds))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(Self.canonical(parameters).utf8)
        let (data, status) = try await GatewayHTTP.exchange(request)
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let code = answer?["Code"] as? String ?? ""
        if code == "OK", let answer { return answer }
        let said = "\(code) \((answer?["Message"] as? String).map { String($0.prefix(120)) } ?? "")".trimmingCharacters(in: .whitespaces)
        throw Self.error(code: code, status: status, said: said)
    }

    /// What an error code means for the notice (阿里云's codes; HTTP status when there is none). Only
    /// a code that is about this one number fails the notice; one Pikou does not know stops the run
    /// (nothing counted), so a new account-wide refusal never fails the whole outbox.
    static func error(code: String, status: Int, said: String) -> GatewayError {
        let text = "阿里云短信 HTTP \(status) \(said)"
        func matches(_ codes: [String]) -> Bool { codes.contains { code == $0 || code.hasPrefix($0 + ".") } }
        // This number, for good.
        if matches(["isv.MOBILE_NUMBER_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.PARAM_NOT_SUPPORT_URL", "isv.MOBILE_IN_BLACK"]) { return .refused(text) }
        // This number, later (its own minute, hour or day limit).
        if matches(["isv.BUSINESS_LIMIT_CONTROL"]) { return .deferred(text) }
        // The platform's own state or the account's quota for today: the next run tries again.
        if matches(["isp", "ServiceUnavailable", "Throttling", "SignatureNonceUsed", "InternalError", "isv.DAY_LIMIT_CONTROL"]) || code.hasPrefix("isp.") {
            return .unavailable(text)
        }
        if code.isEmpty && (status == 0 || status >= 500 || [408, 425, 429].contains(status)) { return .unavailable(text) }
        // The account, the signature, the template, a parameter too long, or a code Pikou does not know: someone must look.
        return .misconfigured(text)
    }

    /// The request's `Timestamp`: ISO 8601 in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// RFC 3986 percent-encoding as the signature wants it: only `A–Z a–z 0–9 - _ . ~` stay as they are
    /// (a space is `%20`, never `+`), every other byte of the UTF-8 is `%XY`.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The parameters sorted by name (byte order), each `name=value` encoded, joined by `&`.
    static func canonical(_ parameters: [String: String]) -> String {
        parameters.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { percentEncode($0.key) + "=" + percentEncode($0.value) }.joined(separator: "&")
    }

    /// The request's `Signature`: Base64 of HMAC-SHA1(secret + "&", METHOD&%2F&encoded(canonical)),
    /// over every parameter but `Signature` itself.
    static func signature(method: String, parameters: [String: String], secret: String) throws(GatewayError) -> String {
        var parameters = parameters
        parameters["Signature"] = nil
        let stringToSign = method + "&" + percentEncode("/") + "&" + percentEncode(canonical(parameters))
        do {
            return Data(try HMAC.authenticate(Array(stringToSign.utf8), key: Array((secret + "&").utf8), algorithm: .sha1)).base64EncodedString()
        } catch {
            throw .misconfigured("HMAC-SHA1: \(error)")
        }
    }
}
