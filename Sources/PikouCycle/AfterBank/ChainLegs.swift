public import PikouCore

/// A leg's state in three-way 钱表相符.
public enum LegState: String, Sendable, Hashable, CaseIterable {
    /// 相符: equal to the bank's successes to the fen, nothing open.
    case matched
    /// 未结清: less than the bank's successes, no exception: more is still to come.
    case unsettled
    /// 不符: a difference or an exception nobody has reviewed.
    case mismatched
    /// 无数据: no statement or treasury file recorded for the bank (or its days).
    case noData

    /// The state as finance says it.
    public var label: Message {
        switch self {
        case .matched: Message(zh: "相符", en: "matched")
        case .unsettled: Message(zh: "未结清", en: "unsettled")
        case .mismatched: Message(zh: "不符", en: "mismatched")
        case .noData: Message(zh: "无数据", en: "no data")
        }
    }
}

/// One bank's four legs for a period, each judged (a pure rule over the store's sums).
public struct ChainLegs: Sendable, Hashable {
    public var legs: AfterBankLegs
    /// Dues listed against the bank's results: 未结清 while a debit has no answer.
    public var bankState: LegState
    /// Account credits against the bank's successes.
    public var accountState: LegState
    /// The treasury's bookings against the bank's successes.
    public var treasuryState: LegState

    public init(_ legs: AfterBankLegs) {
        self.legs = legs
        bankState = legs.pendingCount > 0 ? .unsettled : .matched
        accountState = Self.judge(legs.credited, against: legs.succeeded, exceptions: legs.creditExceptions)
        treasuryState = Self.judge(legs.booked, against: legs.succeeded, exceptions: legs.treasuryExceptions)
    }

    static func judge(_ amount: Money?, against succeeded: Money, exceptions: Int) -> LegState {
        guard let amount else { return .noData }
        if exceptions > 0 || amount > succeeded { return .mismatched }
        return amount == succeeded ? .matched : .unsettled
    }

    /// The whole chain's state: its worst leg (不符 before 未结清 before 无数据 before 相符).
    public var overall: LegState {
        let states = [bankState, accountState, treasuryState]
        for state in [LegState.mismatched, .unsettled, .noData] where states.contains(state) { return state }
        return .matched
    }

    /// The differences, in fen: credits and bookings short of (negative) or over the bank's successes.
    public var creditDifference: Money? { legs.credited.flatMap { try? $0.subtracting(legs.succeeded) } }
    public var bookedDifference: Money? { legs.booked.flatMap { try? $0.subtracting(legs.succeeded) } }
}
