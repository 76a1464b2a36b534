import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// Prints a bank's exchange: what moved, what was there already, what was left and why; true when
/// a file failed.
func printExchange(_ report: BankExchange.Report, sending: Bool) -> Bool {
    print(Catalogue.exchangeSummary(bank: report.bank, server: report.server, sending: sending, moved: report.moved.count,
                                    already: report.already, skipped: report.skipped.count, failed: report.failed.count).text)
    let colon = Language.current == .zh ? "：" : ": "
    for (name, why) in report.skipped { print("  \(Catalogue.exchangeSkipped.text) \(name)\(colon)\(why)") }
    for (name, why) in report.failed { printError("  \(Catalogue.exchangeFailed.text) \(name)\(colon)\(why)") }
    return !report.failed.isEmpty
}
