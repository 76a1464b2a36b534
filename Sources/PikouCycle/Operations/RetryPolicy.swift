public import PikouCore
import Foundation
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
/// frozen waits for the next cycle unless listed.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts = 3
    public var minDaysBetween = 3
    public var retryOutcomes: Set<Outcome> = [.insufficientFunds, .bankSystemError]

    public init() {}

    /// Reads the `retry:` section of a workspace config (defaults when absent).
    public static func load(configPath: String) throws -> RetryPolicy {
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else { return RetryPolicy() }
        return try RetryPolicy(section: Yams.compose(yaml: text)?.mapping?["retry"]?.mapping, configPath: configPath)
    }

    /// The policy a config's `retry:` section gives (defaults when absent); `configPath` names it in messages.
    public init(section: Node.Mapping?, configPath: String) throws(Workspace.ConfigError) {
        var policy = RetryPolicy()
        guard let section else {
            self = policy
            return
        }
        for (key, value) in section {
            switch key.string ?? "" {
            case "max_attempts":
                guard let n = value.int, n >= 1 else { throw Workspace.ConfigError("\(configPath):\(value.mark?.line ?? 0): error: retry.max_attempts must be 1 or more") }
                policy.maxAttempts = n
            case "min_days_between":
                guard let n = value.int, n >= 0 else { throw Workspace.ConfigError("\(configPath):\(value.mark?.line ?? 0): error: retry.min_days_between must be 0 or more") }
                policy.minDaysBetween = n
            case "retry_outcomes":
                var outcomes = Set<Outcome>()
                for node in value.sequence ?? [] {
                    guard let outcome = Outcome(rawValue: node.string ?? ""), outcome != .succeeded else {
                        throw Workspace.ConfigError("\(configPath):\(node.mark?.line ?? 0): error: '\(node.string ?? "")' is not a failure outcome")
                    }
                    outcomes.insert(outcome)
                }
                policy.retryOutcomes = outcomes
            default:
                throw Workspace.ConfigError("\(configPath):\(key.mark?.line ?? 0): error: unknown key retry.\(key.string ?? ""); allowed: max_attempts, min_days_between, retry_outcomes")
            }
        }
        self = policy
    }

    /// What happens next to a failed debit.
    public enum NextStep: Sendable, Hashable, CustomStringConvertible {
        case retryableNow
        case retryFrom(CivilDate)
        case nextCycle
        case needsAgreementCorrection
        case operatorDecides
        case operatorReview
        case attemptsExhausted
        case paidElsewhere
        case agreementInactive
        case suspended

        public var description: String {
            switch self {
            case .retryableNow: "retryable now"
            case .retryFrom(let date): "retryable from \(date)"
            case .nextCycle: "next cycle"
            case .needsAgreementCorrection: "needs agreement correction"
            case .operatorDecides: "operator decides"
            case .operatorReview: "operator review"
            case .attemptsExhausted: "attempts exhausted"
            case .paidElsewhere: "paid elsewhere"
            case .agreementInactive: "agreement revoked"
            case .suspended: "suspended"
            }
        }

        /// The step's kind, as a filter names it (`retryFrom` for every date).
        public var kind: Kind {
            switch self {
            case .retryableNow: .retryableNow
            case .retryFrom: .retryLater
            case .nextCycle: .nextCycle
            case .needsAgreementCorrection: .needsAgreementCorrection
            case .operatorDecides: .operatorDecides
            case .operatorReview: .operatorReview
            case .attemptsExhausted: .attemptsExhausted
            case .paidElsewhere: .paidElsewhere
            case .agreementInactive: .agreementInactive
            case .suspended: .suspended
            }
        }

        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case retryableNow, retryLater, nextCycle, needsAgreementCorrection, operatorDecides, operatorReview, attemptsExhausted,
                 paidElsewhere, agreementInactive, suspended

            /// The kind in the catalogue's words (a later retry without its date).
            public var label: Message {
                switch self {
                case .retryLater: Message(zh: "稍后可重扣", en: "retryable later")
                case .retryableNow: Catalogue.nextStep(.retryableNow)
                case .nextCycle: Catalogue.nextStep(.nextCycle)
                case .needsAgreementCorrection: Catalogue.nextStep(.needsAgreementCorrection)
                case .operatorDecides: Catalogue.nextStep(.operatorDecides)
                case .operatorReview: Catalogue.nextStep(.operatorReview)
                case .attemptsExhausted: Catalogue.nextStep(.attemptsExhausted)
                case .paidElsewhere: Catalogue.nextStep(.paidElsewhere)
                case .agreementInactive: Catalogue.nextStep(.agreementInactive)
                case .suspended: Catalogue.nextStep(.suspended)
                }
            }
        }
    }

    /// The next step for `failure` on `today`; `operatorChose` says an operator named its outcome.
    public func next(for failure: FailureRecord, today: CivilDate, operatorChose: Bool = false) -> NextStep {
        if failure.dues.allSatisfy(\.paidElsewhere) { return .paidElsewhere }
        if failure.suspended { return .suspended }
        if !failure.agreement.active { return .agreementInactive }
        let corrected = failure.agreement.version > failure.agreementVersionAtDebit
        let outcome = failure.outcome
        // A residents' debit is tried again by the window's next round, never by a resubmission.
        if failure.scheme == .residentsAnnual {
            if outcome.isTerminal && !corrected { return .needsAgreementCorrection }
            switch outcome.retry {
            case .operatorDecides where !operatorChose: return .operatorDecides
            case .operatorReview where !operatorChose: return .operatorReview
            default: return .nextCycle
            }
        }
        // Stopped before the bank ran it: nothing was tried, so no wait and no attempt used up.
        if outcome == .cancelled { return .retryableNow }
        if outcome.isTerminal && !corrected { return .needsAgreementCorrection }
        if !outcome.isTerminal && !operatorChose && !retryOutcomes.contains(outcome) {
            switch outcome.retry {
            case .operatorDecides: return .operatorDecides
            case .operatorReview: return .operatorReview
            default: return .nextCycle
            }
        }
        if failure.attempts >= maxAttempts { return .attemptsExhausted }
        let earliest = failure.attemptDate.adding(days: minDaysBetween)
        if today < earliest { return .retryFrom(earliest) }
        return .retryableNow
    }
}
