public import PikouCore
import ReconStore
public import Yams

/// The workspace's resubmission rules (`retry:` in pikou.yaml):
///
/// ```yaml
/// retry:
///   max_attempts: 3          # debits per due, the first included
///   min_days_between: 3      # days from one attempt's collection date to the next
///   retry_outcomes: [insufficientFunds, bankSystemError]   # resubmitted without anyone deciding
/// ```
/// Terminal outcomes are resubmitted only after the agreement was corrected (a new version);
/// `exceedsLimit` and `unknown` only when an operator names them with `--outcome`; an account
/// frozen waits for the next cycle unless listed. ``Eligibility/failure(_:policy:today:operatorNamed:)``
/// applies it; ``Workspace`` reads it from pikou.yaml.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts = 3
    public var minDaysBetween = 3
    public var retryOutcomes: Set<Outcome> = [.insufficientFunds, .bankSystemError]

    public init() {}

    /// The policy a config's `retry:` section gives (defaults when absent); `configPath` names it in messages.
    public init(section: Node.Mapping?, configPath: String) throws(PikouError) {
        var policy = RetryPolicy()
        guard let section else {
            self = policy
            return
        }
        for (key, value) in section {
            switch key.string ?? "" {
            case "max_attempts":
                guard let n = value.int, n >= 1 else {
                    let line = value.mark?.line ?? 0
                    throw PikouError("workspace.config", Message(zh: "\(configPath):\(line): 错误：'retry.max_attempts' 至少为 1",
                                                                 en: "\(configPath):\(line): error: retry.max_attempts must be 1 or more"))
                }
                policy.maxAttempts = n
            case "min_days_between":
                guard let n = value.int, n >= 0 else {
                    let line = value.mark?.line ?? 0
                    throw PikouError("workspace.config", Message(zh: "\(configPath):\(line): 错误：'retry.min_days_between' 不能小于 0",
                                                                 en: "\(configPath):\(line): error: retry.min_days_between must be 0 or more"))
                }
                policy.minDaysBetween = n
            case "retry_outcomes":
                var outcomes = Set<Outcome>()
                for node in value.sequence ?? [] {
                    guard let outcome = Outcome(rawValue: node.string ?? ""), outcome != .succeeded else {
                        let (line, text) = (node.mark?.line ?? 0, node.string ?? "")
                        throw PikouError("workspace.config", Message(zh: "\(configPath):\(line): 错误：'\(text)' 不是表示失败的结果代码",
                                                                     en: "\(configPath):\(line): error: '\(text)' is not a failure outcome"))
                    }
                    outcomes.insert(outcome)
                }
                policy.retryOutcomes = outcomes
            default:
                let (line, name) = (key.mark?.line ?? 0, key.string ?? "")
                throw PikouError("workspace.config", Message(
                    zh: "\(configPath):\(line): 错误：未知的键 'retry.\(name)'；允许的键：'max_attempts'、'min_days_between'、'retry_outcomes'",
                    en: "\(configPath):\(line): error: unknown key retry.\(name); allowed: max_attempts, min_days_between, retry_outcomes"))
            }
        }
        self = policy
    }
}
