import PikouCore
import Foundation
import PikouCrypto

/// How every backend writes the ledger's values as text and numbers: periods as YYYYMM, dates as
/// YYYY-MM-DD, instants as ISO 8601 with milliseconds, and the journal's hash over that text — the
/// same on SQLite and PostgreSQL, so a journal or a seal reads alike whichever store holds it.
protocol LedgerText {}

extension LedgerText {
    /// The stored status text of a file ('planned' since v1) as a state.
    static func fileState(_ text: String) -> FileState { text == "written" ? .written : .reserved }

    /// A due's state as the cycle sees it, from the strongest of its debits (`covered`: 2 a succeeded
    /// one, 1 one still pending, 0 or nil only failed ones or none) and whether it was paid elsewhere.
    static func dueState(covered: Int64?, paidElsewhere: Bool) -> DueState {
        switch covered {
        case 2: .paid
        case 1: .pending
        default: paidElsewhere ? .paidElsewhere : .open
        }
    }

    /// The journal's chained hash of one entry.
    static func journalHash(previous: String, at: String, actor: String, action: String, subject: String, detail: String) -> String {
        let text = [previous, at, actor, action, subject, detail].joined(separator: "\u{1F}")
        return (try? Digest.hex(Digest.hash(Array(text.utf8), .sha256))) ?? ""
    }

    /// A stored ISO 8601 timestamp.
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    static func int(_ period: Period) -> Int { period.year * 100 + period.month }

    static func period(_ value: Int) -> Period {
        // Stored values were written from valid periods.
        (try? Period(year: value / 100, month: value % 100)) ?? Period.epoch
    }

    static func date(_ text: String) -> CivilDate {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 ? CivilDate(year: parts[0], month: parts[1], day: parts[2]) ?? .epoch : .epoch
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
