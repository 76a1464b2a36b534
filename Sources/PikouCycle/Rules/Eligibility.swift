public import BankFormats
public import PikouCore
import ReconStore

/// Whether, and when, money is asked of a payer: the one rulebook the monthly cycle, resubmission,
/// the console, the CLI and the finance workbook all ask, so that a due or a failure never shows two
/// different next steps.
///
/// - ``due(_:period:enabled:)``: a due in this period's cycle — debited now, or left out with the
///   reason (``Exclusion``).
/// - ``failure(_:policy:today:operatorNamed:)``: a failed debit — its ``NextStep`` under the
///   workspace's ``RetryPolicy`` (now, from a date, next cycle, after the agreement is corrected, an
///   operator's decision, never again).
/// - ``carries(name:agreement:spec:)``: whether the bank's file can carry a line at all (pre-flight).
///
/// Pure functions: what they read is passed in; nothing here reads the store or the clock.
public enum Eligibility {
    /// A due's answer in the cycle of a period.
    public enum DueAnswer: Sendable, Hashable {
        /// Debit it now, at this agreement.
        case debit(AgreementSnapshot)
        /// Already collected: nothing to do, nothing to count.
        case paid
        /// Left out of this cycle, for this reason.
        case leaveOut(Exclusion)
    }

    /// The answer for `candidate` in the cycle of `period`; `enabled` says whether a bank takes part.
    ///
    /// A due this period's cycle already sent and the bank failed is left to resubmission (its retry
    /// policy); the next period's cycle merges it again as arrears. A due whose debit was cancelled
    /// before its bank ran it was not tried, and goes in again at once.
    public static func due(_ candidate: DueCandidate, period: Period, enabled: (String) -> Bool) -> DueAnswer {
        switch candidate.state {
        case .paid: return .paid
        case .paidElsewhere: return .leaveOut(.paidElsewhere)
        case .pending: return .leaveOut(.alreadyPending)
        case .open: break
        }
        guard let agreement = candidate.agreement else { return .leaveOut(.noAgreement) }
        if candidate.lastCyclePeriod == period, candidate.lastFailure != .cancelled { return .leaveOut(.triedThisCycle) }
        if candidate.suspended { return .leaveOut(.suspended) }
        if !agreement.active { return .leaveOut(.agreementRevoked) }
        if !enabled(agreement.bank) { return .leaveOut(.bankNotEnabled) }
        if let failure = candidate.lastFailure, candidate.lastFailureAgreementVersion == agreement.version {
            if failure.isTerminal { return .leaveOut(.terminalFailure) }
            if failure.retry == .operatorDecides || failure.retry == .operatorReview { return .leaveOut(.awaitingOperator) }
        }
        return .debit(agreement)
    }

    /// The next step for `failure` on `today` under `policy`.
    ///
    /// - Parameter operatorNamed: An operator named this failure's outcome for resubmission
    ///   (`pikou resubmit --outcome`, the console's 重扣 with an outcome): their decision stands in for
    ///   the policy's list of outcomes retried without anyone deciding. A list filtered by outcome is
    ///   not a decision: every list shows the policy's step.
    public static func failure(_ failure: FailureRecord, policy: RetryPolicy, today: CivilDate, operatorNamed: Bool = false) -> NextStep {
        if failure.dues.allSatisfy(\.paidElsewhere) { return .paidElsewhere }
        if failure.suspended { return .suspended }
        if !failure.agreement.active { return .agreementInactive }
        let corrected = failure.agreement.version > failure.agreementVersionAtDebit
        let outcome = failure.outcome
        // A residents' debit is tried again by the window's next round, never by a resubmission.
        if failure.scheme == .residentsAnnual {
            if outcome.isTerminal && !corrected { return outcome == .agreementRevoked ? .needsNewAgreement : .needsAgreementCorrection }
            switch outcome.retry {
            case .operatorDecides where !operatorNamed: return .operatorDecides
            case .operatorReview where !operatorNamed: return .operatorReview
            default: return .nextCycle
            }
        }
        // Stopped before the bank ran it: nothing was tried, so no wait and no attempt used up.
        if outcome == .cancelled { return .retryableNow }
        if outcome.isTerminal && !corrected { return outcome == .agreementRevoked ? .needsNewAgreement : .needsAgreementCorrection }
        if !outcome.isTerminal && !operatorNamed && !policy.retryOutcomes.contains(outcome) {
            switch outcome.retry {
            case .operatorDecides: return .operatorDecides
            case .operatorReview: return .operatorReview
            default: return .nextCycle
            }
        }
        if failure.attempts >= policy.maxAttempts { return .attemptsExhausted }
        let earliest = failure.attemptDate.adding(days: policy.minDaysBetween)
        if today < earliest { return .retryFrom(earliest) }
        return .retryableNow
    }

    /// Pre-flight: a line that would fail at the bank never reaches it. The ID number and the account
    /// were validated when they entered the store (their types say so); what is left is what a bank
    /// refuses although the roster allowed it, and text the bank's file cannot carry (a separator, a
    /// control character, a character its encoding lacks: written, it would block the bank's whole file).
    public static func carries(name: String, agreement: AgreementSnapshot, spec: BankSpec) -> Bool {
        !name.isEmpty && !agreement.accountName.isEmpty && !agreement.agreementNo.isEmpty
            && spec.cannotCarry(agreement.accountName) == nil && spec.cannotCarry(agreement.agreementNo) == nil
    }
}

/// What happens next to a failed debit: ``Eligibility/failure(_:policy:today:operatorNamed:)``'s answer.
public enum NextStep: Sendable, Hashable, CustomStringConvertible {
    case retryableNow
    case retryFrom(CivilDate)
    case nextCycle
    case needsAgreementCorrection
    /// The payer ended the agreement at the bank (协议已解约): only a new agreement lets it be debited.
    case needsNewAgreement
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
        case .needsNewAgreement: "needs a new agreement"
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
        case .needsNewAgreement: .needsNewAgreement
        case .operatorDecides: .operatorDecides
        case .operatorReview: .operatorReview
        case .attemptsExhausted: .attemptsExhausted
        case .paidElsewhere: .paidElsewhere
        case .agreementInactive: .agreementInactive
        case .suspended: .suspended
        }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case retryableNow, retryLater, nextCycle, needsAgreementCorrection, needsNewAgreement, operatorDecides, operatorReview, attemptsExhausted,
             paidElsewhere, agreementInactive, suspended

        /// The kind in the catalogue's words (a later retry without its date).
        public var label: Message {
            switch self {
            case .retryLater: Message(zh: "稍后可重扣", en: "retryable later")
            case .retryableNow: Catalogue.nextStep(.retryableNow)
            case .nextCycle: Catalogue.nextStep(.nextCycle)
            case .needsAgreementCorrection: Catalogue.nextStep(.needsAgreementCorrection)
            case .needsNewAgreement: Catalogue.nextStep(.needsNewAgreement)
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

/// A failed debit with its next step: what every list of failures shows.
public struct FailureStep: Sendable {
    public var record: FailureRecord
    public var next: NextStep

    public init(record: FailureRecord, next: NextStep) {
        self.record = record
        self.next = next
    }
}
