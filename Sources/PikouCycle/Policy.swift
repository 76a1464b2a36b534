public import PikouCore
import Foundation
import Yams

/// One year's contribution policy, from `Formats/policy/<year>.yaml`: each insurance's monthly amount
/// per tier (given, or base × rate rounded to the fen) and how many past months may be merged.
public struct Policy: Sendable {
    /// How a product is rounded to the fen.
    public enum Rounding: String, Sendable, Hashable {
        case halfUp = "half-up"
        case down
        case up
    }

    /// One insurance's scale: its tiers' monthly amounts.
    public struct Scale: Sendable, Hashable {
        /// Rate in basis points (1/10000), when amounts are computed from a base.
        public var rateBasisPoints: Int64?
        public var rounding: Rounding
        /// Tier → monthly amount, already computed.
        public var tiers: [String: Money]
    }

    public var year: Int
    /// How many months before the cycle's period (within the same year) may be merged into a debit.
    public var arrearsMonths: Int
    public var insurances: [Insurance: Scale]

    /// The monthly amount of `tier` of `insurance`, or `nil` if the policy has no such tier.
    public func amount(insurance: Insurance, tier: String) -> Money? { insurances[insurance]?.tiers[tier] }

    /// `base × rate`, with `rateBasisPoints` in 1/10000, rounded to the fen.
    public static func apply(base: Money, rateBasisPoints: Int64, rounding: Rounding) throws -> Money {
        let (product, overflow) = base.fen.multipliedReportingOverflow(by: rateBasisPoints)
        guard !overflow else { throw Money.OverflowError(operation: "\(base) × \(rateBasisPoints)bp") }
        let quotient = product / 10_000
        let remainder = product % 10_000
        switch rounding {
        case .down: return Money(fen: quotient)
        case .up: return Money(fen: quotient + (remainder > 0 ? 1 : 0))
        case .halfUp: return Money(fen: quotient + (remainder >= 5_000 ? 1 : 0))
        }
    }

    /// Loads `Formats/policy/<year>.yaml`.
    public static func load(formatsDirectory: String, year: Int) throws(PikouError) -> Policy {
        let path = "\(formatsDirectory)/policy/\(year).yaml"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PikouError("policy.invalid", Message(
                zh: "\(path): 错误：没有 \(year) 年的缴费政策：请按公布的缴费基数通知编写 policy/\(year).yaml，写明当年各档次；"
                    + "格式可参照 policy/\(year - 1).yaml（见 docs/operations.md）",
                en: "\(path): error: no contribution policy for \(year): add policy/\(year).yaml with the year's "
                    + "tiers from the published notice; policy/\(year - 1).yaml shows the shape (docs/operations.md, \"A new year\")"))
        }
        return try parse(text, path: path)
    }

    /// Parses a policy file's text.
    public static func parse(_ text: String, path: String) throws(PikouError) -> Policy {
        func fail(_ node: Node?, _ message: Message) -> PikouError {
            let line = node?.mark?.line ?? 0
            return PikouError("policy.invalid", Message(zh: "\(path):\(line): 错误：\(message.zh)", en: "\(path):\(line): error: \(message.en)"))
        }
        let root: Node.Mapping
        do {
            guard let mapping = try Yams.compose(yaml: text)?.mapping else {
                throw fail(nil, Message(zh: "政策文件必须是 YAML 键值映射", en: "the policy must be a YAML mapping"))
            }
            root = mapping
        } catch let error as PikouError {
            throw error
        } catch {
            throw fail(nil, Message(zh: "不是有效的 YAML：\(error)", en: "not valid YAML: \(error)"))
        }
        for key in root.keys where !["year", "arrears_months", "insurances", "source"].contains(key.string ?? "") {
            throw fail(key, Message(zh: "未知的键 '\(key.string ?? "")'", en: "unknown key '\(key.string ?? "")'"))
        }
        guard let year = root["year"]?.int else { throw fail(root["year"], Message(zh: "'year' 必须是年份", en: "'year' must be a year")) }
        guard let arrears = root["arrears_months"]?.int, (0...11).contains(arrears) else {
            throw fail(root["arrears_months"], Message(zh: "'arrears_months' 必须是 0 到 11", en: "'arrears_months' must be 0 to 11"))
        }
        guard let insuranceNodes = root["insurances"]?.mapping else {
            throw fail(root["insurances"], Message(zh: "'insurances' 必须把险种名对应到各档次", en: "'insurances' must map names to tiers"))
        }
        var insurances: [Insurance: Scale] = [:]
        for (nameNode, node) in insuranceNodes {
            let name = nameNode.string ?? ""
            guard let insurance = Insurance(name) else {
                let known = Insurance.allCases.map { "'" + $0.rawValue + "'" }.joined(separator: "、")
                throw fail(nameNode, Message(zh: "未知的险种 '\(name)'；可用的有：\(known)", en: "unknown insurance '\(name)'; known: \(Insurance.spellings)"))
            }
            guard let mapping = node.mapping, let tierNodes = mapping["tiers"]?.mapping else {
                throw fail(node, Message(zh: "'\(name)' 需要 'tiers'", en: "\(name) needs 'tiers'"))
            }
            for key in mapping.keys where !["rate_percent", "rounding", "tiers"].contains(key.string ?? "") {
                throw fail(key, Message(zh: "'\(name)' 中有未知的键 '\(key.string ?? "")'", en: "unknown key '\(key.string ?? "")' in \(name)"))
            }
            var rate: Int64?
            if let rateText = mapping["rate_percent"]?.string {
                // A percent with up to two decimals is a whole number of basis points.
                guard let money = try? Money(yuan: rateText), money.fen > 0, money.fen <= 10_000 else {
                    throw fail(mapping["rate_percent"], Message(zh: "'rate_percent' 应形如 \"20.00\"，不能是 '\(rateText)'",
                                                                en: "rate_percent must be like \"20.00\", not '\(rateText)'"))
                }
                rate = money.fen
            }
            let roundingText = mapping["rounding"]?.string ?? "half-up"
            guard let rounding = Rounding(rawValue: roundingText) else {
                throw fail(mapping["rounding"], Message(zh: "'rounding' 只能是 'half-up'、'down' 或 'up'", en: "rounding must be half-up, down or up"))
            }
            var tiers: [String: Money] = [:]
            for (tierNode, valueNode) in tierNodes {
                let tier = tierNode.string ?? ""
                guard let value = valueNode.mapping else {
                    throw fail(valueNode, Message(zh: "档次 \(tier) 必须写成 '{base: ...}' 或 '{amount: ...}'",
                                                  en: "tier \(tier) must be {base: ...} or {amount: ...}"))
                }
                if let amountText = value["amount"]?.string {
                    guard let amount = try? Money(yuan: amountText), amount.fen > 0 else {
                        throw fail(value["amount"], Message(zh: "'amount' 的值 '\(amountText)' 不是以元计的金额",
                                                            en: "amount '\(amountText)' is not a yuan amount"))
                    }
                    tiers[tier] = amount
                } else if let baseText = value["base"]?.string {
                    guard let rate else {
                        throw fail(valueNode, Message(zh: "档次 \(tier) 给出了 'base'，所以 '\(name)' 需要 'rate_percent'",
                                                      en: "tier \(tier) gives a base, so \(name) needs rate_percent"))
                    }
                    guard let base = try? Money(yuan: baseText), base.fen > 0 else {
                        throw fail(value["base"], Message(zh: "'base' 的值 '\(baseText)' 不是以元计的金额", en: "base '\(baseText)' is not a yuan amount"))
                    }
                    do { tiers[tier] = try apply(base: base, rateBasisPoints: rate, rounding: rounding) } catch {
                        throw fail(valueNode, Message(zh: "基数 \(baseText) 乘以费率后金额溢出", en: "\(error)"))
                    }
                } else {
                    throw fail(valueNode, Message(zh: "档次 \(tier) 必须给出 'amount' 或 'base'", en: "tier \(tier) must give 'amount' or 'base'"))
                }
            }
            insurances[insurance] = Scale(rateBasisPoints: rate, rounding: rounding, tiers: tiers)
        }
        return Policy(year: year, arrearsMonths: arrears, insurances: insurances)
    }
}
