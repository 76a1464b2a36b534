public import PikouCore
import Foundation
import Yams

/// The workspace's notice templates (`notices.yaml`, in Chinese; the shipped `Formats/notices.yaml`
/// when the workspace has none): for each kind whether it is sent and its text, with `{变量}` the
/// planner fills in; the office's SMS signature; the quiet hours and the sending rate.
///
/// A template names only the variables its kind offers (an unknown one is refused with its line),
/// and none of them is a whole ID number or account: only an account's last four digits. A template
/// that writes eleven or more digits in a row (a number that looks like an ID or an account) is refused.
public struct NoticeTemplates: Sendable, Hashable {
    public struct Template: Sendable, Hashable {
        public var enabled: Bool
        public var text: String
        /// The template's code at a commercial SMS API that sends only approved templates (阿里云
        /// `SMS_…`), nil when the office has none; `params` names each of that template's `${参数}`
        /// by the variable that fills it.
        public var templateCode: String?
        public var params: [String: String] = [:]
    }

    /// The variables each kind's template may use, in the order the file's comments list them.
    public static let variables: [NoticeKind: [String]] = [
        .debitFailed: ["签名", "姓名", "期间", "险种", "金额", "银行", "账号尾号", "原因", "下一步"],
        .lapsed: ["签名", "姓名", "期间", "月数", "金额"],
        .roundReminder: ["签名", "姓名", "年度", "险种", "金额", "截止日期", "缴费方式"],
        .debitSucceeded: ["签名", "姓名", "期间", "险种", "金额", "银行", "账号尾号"],
    ]

    public var signature: String
    public var templates: [NoticeKind: Template]
    /// No notice is sent from `from` to `to` (minutes after midnight; the span may pass midnight).
    public var quietHours: (from: Int, to: Int)?
    /// The most notices sent a second.
    public var maxPerSecond: Int

    public static func == (a: NoticeTemplates, b: NoticeTemplates) -> Bool {
        a.signature == b.signature && a.templates == b.templates && a.quietHours?.from == b.quietHours?.from && a.quietHours?.to == b.quietHours?.to
            && a.maxPerSecond == b.maxPerSecond
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(signature) }

    /// The templates of `workspace`: its `notices.yaml`, else the shipped one in its formats folder.
    public static func load(workspace: Workspace) throws(PikouError) -> NoticeTemplates {
        let own = workspace.directory + "/notices.yaml"
        let path = FileManager.default.fileExists(atPath: own) ? own : workspace.formatsDirectory + "/notices.yaml"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PikouError("notices.templates", Message(zh: "\(path): 错误：读不到通知模板；可从 Formats/notices.yaml 复制到工作目录后修改",
                                                        en: "\(path): error: no notice templates to read; copy Formats/notices.yaml into the workspace and edit it"))
        }
        return try parse(text, path: path)
    }

    /// Parses a templates file.
    public static func parse(_ text: String, path: String) throws(PikouError) -> NoticeTemplates {
        func fail(_ node: Node?, _ message: Message) -> PikouError {
            let line = node?.mark?.line ?? 0
            return PikouError("notices.templates", Message(zh: "\(path):\(line): 错误：\(message.zh)", en: "\(path):\(line): error: \(message.en)"))
        }
        let root: Node.Mapping
        do {
            guard let mapping = try Yams.compose(yaml: text)?.mapping else {
                throw fail(nil, Message(zh: "通知模板文件必须是 YAML 键值映射", en: "the templates file must be a YAML mapping"))
            }
            root = mapping
        } catch let error as PikouError {
            throw error
        } catch {
            throw fail(nil, Message(zh: "不是有效的 YAML：\(error)", en: "not valid YAML: \(error)"))
        }
        for key in root.keys where !["signature", "quiet_hours", "max_per_second", "kinds"].contains(key.string ?? "") {
            throw fail(key, Message(zh: "未知的键 '\(key.string ?? "")'；允许的键：kinds、max_per_second、quiet_hours、signature",
                                    en: "unknown key '\(key.string ?? "")'; allowed: kinds, max_per_second, quiet_hours, signature"))
        }
        guard let signature = root["signature"]?.string, !signature.isEmpty, signature.count <= 20 else {
            throw fail(root["signature"], Message(zh: "'signature' 是短信签名（如 某市税务局），不超过 20 个字", en: "signature is the SMS signature, at most 20 characters"))
        }
        var quiet: (from: Int, to: Int)?
        if let node = root["quiet_hours"] {
            func minutes(_ value: Node?) -> Int? {
                guard let text = value?.string else { return nil }
                let parts = text.split(separator: ":")
                guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
                return h * 60 + m
            }
            guard let from = minutes(node.mapping?["from"]), let to = minutes(node.mapping?["to"]), from != to else {
                throw fail(node, Message(zh: "'quiet_hours' 写成 {from: \"21:00\", to: \"08:00\"}（免打扰时段，可跨午夜）",
                                         en: "quiet_hours is {from: \"21:00\", to: \"08:00\"} (may pass midnight)"))
            }
            quiet = (from, to)
        }
        var rate = 20
        if let node = root["max_per_second"] {
            guard let value = node.int, (1...1000).contains(value) else {
                throw fail(node, Message(zh: "'max_per_second' 是每秒最多发送的条数，1 到 1000", en: "max_per_second is a whole number from 1 to 1000"))
            }
            rate = value
        }
        var templates: [NoticeKind: Template] = [:]
        guard let kinds = root["kinds"]?.mapping else {
            throw fail(root["kinds"], Message(zh: "'kinds' 列出每种通知：debit_failed、debit_succeeded、lapsed、round_reminder",
                                              en: "kinds lists each kind of notice: debit_failed, debit_succeeded, lapsed, round_reminder"))
        }
        for (key, node) in kinds {
            guard let name = key.string, let kind = NoticeKind(rawValue: name) else {
                throw fail(key, Message(zh: "未知的通知类型 '\(key.string ?? "")'；可用：debit_failed（扣款失败）、debit_succeeded（扣款成功）、lapsed（断缴提醒）、round_reminder（城乡居民缴费提醒）",
                                        en: "unknown kind of notice '\(key.string ?? "")'; kinds: debit_failed, debit_succeeded, lapsed, round_reminder"))
            }
            guard let fields = node.mapping, let text = fields["text"]?.string, !text.isEmpty else {
                throw fail(node, Message(zh: "'kinds.\(name)' 写成 {enabled: true, text: \"…\"}", en: "kinds.\(name) is {enabled: true, text: \"...\"}"))
            }
            for field in fields.keys where !["enabled", "text", "template_code", "params"].contains(field.string ?? "") {
                throw fail(field, Message(zh: "'kinds.\(name)' 中有未知的键 '\(field.string ?? "")'；允许的键：enabled、params、template_code、text",
                                          en: "unknown key '\(field.string ?? "")' in kinds.\(name); allowed: enabled, params, template_code, text"))
            }
            if let problem = problem(in: text, kind: kind) { throw fail(fields["text"], problem) }
            var enabled = true
            if let node = fields["enabled"] {
                guard node.scalar?.style == .plain, let value = node.bool else {
                    throw fail(node, Message(zh: "'kinds.\(name).enabled' 只能写 true（生成）或 false（不生成），不加引号",
                                             en: "kinds.\(name).enabled is true or false, unquoted"))
                }
                enabled = value
            }
            var code: String?
            if let node = fields["template_code"] {
                guard let value = node.string, (1...64).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                    throw fail(node, Message(zh: "'kinds.\(name).template_code' 是短信平台审核通过的模板代码（如 SMS_123456789）",
                                             en: "kinds.\(name).template_code is the template's code approved at the SMS platform (like SMS_123456789)"))
                }
                code = value
            }
            var params: [String: String] = [:]
            if let node = fields["params"] {
                guard code != nil, let mapping = node.mapping, !mapping.isEmpty else {
                    throw fail(node, Message(zh: "'kinds.\(name).params' 与 template_code 一起写：{平台模板的参数名: 变量}，如 {name: 姓名, amount: 金额}",
                                             en: "kinds.\(name).params goes with template_code: {the platform template's parameter: variable}, like {name: 姓名, amount: 金额}"))
                }
                let allowed = (Self.variables[kind] ?? []).filter { $0 != "签名" }
                for (parameter, variable) in mapping {
                    guard let parameter = parameter.string, (1...32).contains(parameter.count),
                          parameter.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                        throw fail(parameter, Message(zh: "'kinds.\(name).params' 的参数名只用英文字母、数字和下划线（与平台模板中的 ${参数} 一致）",
                                                      en: "kinds.\(name).params' names are letters, digits and underscores (as the platform template's ${name})"))
                    }
                    guard let value = variable.string, allowed.contains(value) else {
                        throw fail(variable, Message(zh: "'kinds.\(name).params.\(parameter)' 要写 \(kind.rawValue) 可用的变量之一：\(allowed.joined(separator: "、"))",
                                                     en: "kinds.\(name).params.\(parameter) is one of the variables \(kind.rawValue) offers: \(allowed.joined(separator: ", "))"))
                    }
                    params[parameter] = value
                }
            }
            templates[kind] = Template(enabled: enabled, text: text, templateCode: code, params: params)
        }
        return NoticeTemplates(signature: signature, templates: templates, quietHours: quiet, maxPerSecond: rate)
    }

    /// Why `text` cannot be `kind`'s template (nil: it can).
    static func problem(in text: String, kind: NoticeKind) -> Message? {
        let allowed = variables[kind] ?? []
        if text.contains("｛") || text.contains("｝") {
            return Message(zh: "模板中有全角括号 ｛ ｝：变量要用半角的 { }（切换到英文输入法输入），如 {姓名}",
                           en: "the template holds full-width braces ｛ ｝: variables take half-width { }, like {姓名}")
        }
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                return Message(zh: "模板中的 '{' 没有配对的 '}'", en: "a '{' in the template has no '}'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            if name.contains("{") {
                return Message(zh: "模板中的 '{' 没有配对的 '}'", en: "a '{' in the template has no '}'")
            }
            guard allowed.contains(name) else {
                return Message(zh: "模板中的变量 {\(name)} 不是 \(kind.rawValue) 可用的；可用：\(allowed.map { "{\($0)}" }.joined(separator: "、"))",
                               en: "the template's variable {\(name)} is not one \(kind.rawValue) offers; it offers: \(allowed.map { "{\($0)}" }.joined(separator: ", "))")
            }
            rest = rest[rest.index(after: close)...]
        }
        var run = 0
        for character in text {
            run = character.isASCII && character.isNumber ? run + 1 : 0
            if run >= 11 {
                return Message(zh: "模板中有 11 位以上的数字，像证件号或账号：通知不能写出完整的证件号或账号（账号只用 {账号尾号}）",
                               en: "the template holds 11 or more digits in a row, like an ID or an account: a notice may not print either whole (use {账号尾号} for an account)")
            }
        }
        return nil
    }

    /// `kind`'s text with each variable filled in (a variable without a value is left empty).
    public func render(_ kind: NoticeKind, _ values: [String: String]) -> String? {
        guard let template = templates[kind], template.enabled else { return nil }
        var values = values
        values["签名"] = signature
        var text = ""
        var rest = Substring(template.text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            text += values[String(rest[rest.index(after: open)..<close])] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    /// Whether `minute` (after midnight) falls in the quiet hours.
    public func isQuiet(minute: Int) -> Bool {
        guard let quiet = quietHours else { return false }
        return quiet.from < quiet.to ? (quiet.from..<quiet.to).contains(minute) : minute >= quiet.from || minute < quiet.to
    }
}
