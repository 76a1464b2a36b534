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
                guard let n = value.int, n >= 1 else { throw PikouError("workspace.config", "\(configPath):\(value.mark?.line ?? 0): error: retry.max_attempts must be 1 or more") }
                policy.maxAttempts = n
            case "min_days_between":
                guard let n = value.int, n >= 0 else { throw PikouError("workspace.config", "\(configPath):\(value.mark?.line ?? 0): error: retry.min_days_between must be 0 or more") }
                policy.minDaysBetween = n
            case "retry_outcomes":
                var outcomes = Set<Outcome>()
                for node in value.sequence ?? [] {
                    guard let outcome = Outcome(rawValue: node.string ?? ""), outcome != .succeeded else {
                        throw PikouError("workspace.config", "\(configPath):\(node.mark?.line ?? 0): error: '\(node.string ?? "")' is not a failure outcome")
                    }
                    outcomes.insert(outcome)
                }
                policy.retryOutcomes = outcomes
            default:
                throw PikouError("workspace.config", "\(configPath):\(key.mark?.line ?? 0): error: unknown key retry.\(key.string ?? ""); allowed: max_attempts, min_days_between, retry_outcomes")
            }
        }
        self = policy
    }
}
