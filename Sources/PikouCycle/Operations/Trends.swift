public import PikouCore
import ReconStore

/// 趋势: the last months of the monthly debits, by period and bank — the success rate of the
/// lines the banks answered, the failures by reason, and how many resubmissions succeeded.
/// A pure summary of ``DebitCount``s; the console draws it.
public struct Trends: Sendable {
    /// One period of one bank (or, with `bank` nil, of every bank).
    public struct Month: Sendable, Hashable {
        public var period: Period
        public var bank: String?
        /// Lines the bank answered (succeeded or failed), and those that succeeded.
        public var answered = 0
        public var succeeded = 0
        /// Failed lines by outcome.
        public var failures: [Outcome: Int] = [:]
        /// Resubmitted lines answered, and those that succeeded.
        public var retried = 0
        public var retrySucceeded = 0

        /// Per mille, rounded half up as every rate (``Percentage``): the success rate of answered lines (nil: none answered).
        public var successPermille: Int? { Percentage.permille(Int64(succeeded), of: Int64(answered)).map(Int.init) }
        public var retryPermille: Int? { Percentage.permille(Int64(retrySucceeded), of: Int64(retried)).map(Int.init) }
        public var failed: Int { failures.values.reduce(0, +) }
    }

    /// The periods shown, oldest first (the last `months` through the latest with debits).
    public var periods: [Period]
    /// Every bank's months, by bank code.
    public var banks: [String: [Month]]
    /// All banks together, month by month.
    public var total: [Month]

    /// The outcomes that failed lines in the periods shown, most frequent first.
    public var reasons: [Outcome] {
        var counts: [Outcome: Int] = [:]
        for month in total { for (outcome, count) in month.failures { counts[outcome, default: 0] += count } }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }.map(\.key)
    }

    public init(counts: [DebitCount], periods: [Period]) {
        self.periods = periods
        var banks: [String: [Period: Month]] = [:]
        var total: [Period: Month] = [:]
        for count in counts where periods.contains(count.period) {
            for bank in [count.bank, nil] as [String?] {
                var month = (bank.map { banks[$0]?[count.period] } ?? total[count.period]) ?? Month(period: count.period, bank: bank)
                switch count.status {
                case "succeeded":
                    month.answered += count.count
                    month.succeeded += count.count
                    if count.resubmission { (month.retried, month.retrySucceeded) = (month.retried + count.count, month.retrySucceeded + count.count) }
                case "failed":
                    month.answered += count.count
                    month.failures[count.outcome ?? .unknown, default: 0] += count.count
                    if count.resubmission { month.retried += count.count }
                default:
                    break  // pending or cancelled: not answered
                }
                if let bank { banks[bank, default: [:]][count.period] = month } else { total[count.period] = month }
            }
        }
        self.banks = banks.mapValues { byPeriod in periods.map { byPeriod[$0] ?? Month(period: $0) } }
        self.total = periods.map { total[$0] ?? Month(period: $0) }
    }

    /// The `months` periods through `last`, oldest first.
    public static func periods(through last: Period, months: Int) -> [Period] {
        var periods = [last]
        while periods.count < months { periods.insert(periods[0].advanced(by: -1), at: 0) }
        return periods
    }
}

extension UseCases {
    /// 趋势 over the last `months` periods through `last` (the latest period with debits when nil).
    public func trends(through last: Period?, months: Int = 12) async throws -> Trends? {
        var latest = last
        if latest == nil { latest = try await status(period: nil).map(\.period).max() }
        guard let last = latest else { return nil }
        let periods = Trends.periods(through: last, months: months)
        return Trends(counts: try await store.debitCounts(from: periods[0], through: last), periods: periods)
    }
}
