import Foundation
import Testing
import TestSupport

/// Issue 15, item 14: a mistake in an option says what is wrong and what would be right, in one
/// message, without the root command's usage; a typo never quietly lists nothing.
@Suite struct ErrorMessageCLITests {
    @Test func badValuesSayWhyAndWhatIsValid() throws {
        let dir = try CycleCLITests().workspace(payers: 5)
        let bank = try runPikou(["failures", "list", "--bank", "ABC", "--workspace", dir])
        #expect(bank.status == 64)
        #expect(bank.stderr.contains("--bank ABC is not enabled") && bank.stderr.contains("enabled: BOC"), "\(bank.stderr)")
        #expect(!bank.stderr.contains("Usage: pikou <subcommand>"), "\(bank.stderr)")
        #expect(bank.stdout.isEmpty, "no empty table for a typo")

        let period = try runPikou(["report", "--period", "2026-13", "--workspace", dir])
        #expect(period.status == 64)
        #expect(period.stderr.contains("month must be 01 to 12") && period.stderr.contains("YYYY-MM"), "\(period.stderr)")

        let outcome = try runPikou(["resubmit", "--outcome", "x", "--workspace", dir])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("known: succeeded (扣款成功), insufficientFunds (余额不足)"), "\(outcome.stderr)")

        let kind = try runPikou(["exceptions", "list", "--kind", "nope", "--workspace", dir])
        #expect(kind.status == 64 && kind.stderr.contains("unmatched"), "\(kind.stderr)")

        // A payer's ID number is checked where it enters (issue 12: typed records), and never echoed whole.
        let payer = try runPikou(["agreements", "revoke", "--payer", "340524198001010012", "--workspace", dir])
        #expect(payer.status == 64 && payer.stderr.contains("--payer 340524********0012: ID number check character"), "\(payer.stderr)")
        #expect(!payer.stderr.contains("340524198001010012"))
        let account = try runPikou(["agreements", "update", "--payer", "34052419800101001X", "--account", "62257688888888881", "--workspace", dir])
        #expect(account.status == 64 && account.stderr.contains("--account: card number 6225****8881 fails its Luhn"), "\(account.stderr)")

        // The period has debit files but no return: 未结清, exit 3; a period without data: 无数据, exit 4.
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir]).status == 0)
        let pending = try runPikou(["report", "--period", "2026-12", "--workspace", dir])
        #expect(pending.status == 3 && pending.stdout.contains("钱表相符: 未结清 PENDING"), "\(pending.stdout)")
        let none = try runPikou(["report", "--period", "2026-11", "--workspace", dir])
        #expect(none.status == 4 && none.stdout.contains("钱表相符: 无数据 NO DATA"), "\(none.stdout)")
    }

    /// Issue 15, item 13: a new year's cycle runs on the shipped provisional files, saying so; a year
    /// with no files says what to add.
    @Test func aNewYearSaysWhatItNeeds() throws {
        let dir = try CycleCLITests().workspace(payers: 5)
        let january = try runPikou(["cycle", "run", "--period", "2027-01", "--date", "2027-01-04", "--dry-run", "--workspace", dir])
        #expect(january.status == 0, "\(january.stderr)")
        #expect(january.stderr.contains("the 2027 banking calendar is provisional"), "\(january.stderr)")
        let later = try runPikou(["cycle", "run", "--period", "2028-01", "--date", "2028-01-04", "--dry-run", "--workspace", dir])
        #expect(later.status == 1, "\(later.stdout)")
        #expect(later.stderr.contains("no banking calendar for 2028: add calendar/2028.yaml") || later.stderr.contains("no contribution policy for 2028: add policy/2028.yaml"),
                "\(later.stderr)")
    }
}
