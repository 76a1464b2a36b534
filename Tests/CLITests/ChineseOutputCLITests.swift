import Foundation
import PikouCore
import Testing
import TestSupport

/// Issue 15, items 5 and 6: Chinese by default, English on request, tables aligned by display width.
@Suite struct ChineseOutputCLITests {
    let chinese = ["PIKOU_LANG": ""]  // unset: the default

    @Test func operatorsReadChineseAndTablesLineUp() throws {
        let dir = try ResubmitCLITests().failedWorkspace()
        let list = try runPikou(["failures", "list", "--date", "2026-12-21", "--workspace", dir], environment: chinese)
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        #expect(header.hasPrefix("期间") && header.contains("证件号") && header.contains("下一步"), "\(header)")
        #expect(list.stdout.contains("余额不足") || list.stdout.contains("账户已销户"), "outcomes by their Chinese labels")
        #expect(list.stdout.contains("可立即重扣") || list.stdout.contains("需更正协议") || list.stdout.contains("下期扣款"))
        #expect(try #require(lines.last).hasPrefix("失败扣款 "), "\(lines.last ?? "")")
        // Every row's NEXT column starts at the same display column as its title.
        let nextColumn = DisplayWidth.of(header[..<header.range(of: "下一步")!.lowerBound])
        // (The last lines: the columns left out to fit the screen, and the summary.)
        for row in lines.dropFirst().dropLast().filter({ !$0.hasPrefix("（") }) {
            let cells = row.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let next = try #require(cells.last)
            let start = DisplayWidth.of(row[..<row.range(of: next, options: .backwards)!.lowerBound])
            #expect(start == nextColumn, "\(row)")
        }

        // An outcome may be named as operators say it; English on request, by option or environment.
        let byLabel = try runPikou(["failures", "list", "--outcome", "余额不足", "--format", "csv", "--columns", "keys", "--workspace", dir], environment: chinese)
        let byCode = try runPikou(["failures", "list", "--outcome", "insufficientFunds", "--format", "csv", "--columns", "keys", "--workspace", dir],
                                  environment: chinese)
        #expect(byLabel.status == 0 && byLabel.stdout == byCode.stdout && byLabel.stdout.contains("insufficientFunds"), "--columns keys keeps codes")
        #expect(byLabel.stdout.hasPrefix("\u{FEFF}period,bank,payer"), "\(byLabel.stdout.prefix(80))")
        // A person's CSV (the default): Chinese titles, the outcome and the next step in words.
        let titled = try runPikou(["failures", "list", "--outcome", "余额不足", "--format", "csv", "--workspace", dir], environment: chinese)
        #expect(titled.stdout.hasPrefix("\u{FEFF}期间,银行,证件号") && titled.stdout.contains("余额不足") && !titled.stdout.contains("insufficientFunds"),
                "\(titled.stdout.prefix(300))")
        let english = try runPikou(["failures", "list", "--lang", "en", "--workspace", dir], environment: chinese)
        #expect(english.stdout.hasPrefix("PERIOD") && english.stdout.contains("failed debits"), "\(english.stdout.prefix(200))")
        #expect(try runPikou(["status", "--workspace", dir], environment: ["PIKOU_LANG": "en"]).stdout.hasPrefix("BANK"))
        let bad = try runPikou(["status", "--lang", "fr", "--workspace", dir], environment: chinese)
        #expect(bad.status == 64 && bad.stderr.contains("only zh"), "\(bad.stderr)")

        // status in Chinese, yuan grouped by thousands; a long table says what it left out.
        let status = try runPikou(["status", "--workspace", dir], environment: chinese)
        #expect(status.stdout.hasPrefix("银行") && status.stdout.contains("合计") && status.stdout.contains("成功率："), "\(status.stdout)")
        let limited = try runPikou(["failures", "list", "--limit", "2", "--workspace", dir], environment: chinese)
        #expect(limited.stdout.contains("行未显示"), "\(limited.stdout)")
        #expect(limited.stdout.split(separator: "\n").count == 6)  // header, 2 rows, the count, the columns left out, the summary

        // Tables fit a 100-column screen, saying what they left out; --wide shows every column.
        for command in [["status"], ["failures", "list"], ["report", "--period", "2026-12"], ["exceptions", "list", "--state", "all"]] {
            let fitted = try runPikou(command + ["--workspace", dir], environment: chinese)
            let tableLines = fitted.stdout.split(separator: "\n").prefix { !$0.isEmpty && !$0.hasPrefix("（") && !$0.hasPrefix("失败扣款") }
            #expect(tableLines.allSatisfy { DisplayWidth.of($0) <= 100 }, "\(command): \(tableLines.map { DisplayWidth.of($0) })")
            let wide = try runPikou(command + ["--wide", "--workspace", dir], environment: chinese)
            #expect(!wide.stdout.contains("未显示") && wide.status == fitted.status, "\(command)")
        }
        #expect(try runPikou(["failures", "list", "--wide", "--workspace", dir], environment: chinese).stdout.contains("银行说明"))

        // ArgumentParser's own words too: a usage mistake and its usage line.
        let unknownOption = try runPikou(["keys", "show", "x.pem", "--nosuch"], environment: chinese)
        #expect(unknownOption.status == 64 && unknownOption.stderr.contains("错误：未知选项 '--nosuch'")
                && unknownOption.stderr.contains("用法：pikou keys show") && !unknownOption.stderr.contains("Usage"), "\(unknownOption.stderr)")

        // --help speaks Chinese too.
        let help = try runPikou(["failures", "list", "--help"], environment: chinese)
        #expect(help.stdout.contains("列出欠费仍未缴清的失败扣款"), "\(help.stdout.prefix(300))")
    }

    /// Issue 15, item 7: "was I debited this month?" answered from one command.
    @Test func payerShowAnswersThePhoneEnquiry() throws {
        let dir = try ResubmitCLITests().failedWorkspace()
        let list = try runPikou(["failures", "list", "--show-ids", "--outcome", "insufficientFunds", "--workspace", dir])
        let id = try #require(list.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ", omittingEmptySubsequences: true)[2])
        #expect(id.count == 18, "\(list.stdout.prefix(300))")
        let show = try runPikou(["payer", "show", String(id), "--period", "2026-12", "--workspace", dir], environment: chinese)
        #expect(show.status == 0, "\(show.stderr)")
        for section in ["代扣协议", "参保", "欠费", "扣款", "其他渠道缴费", "日志"] { #expect(show.stdout.contains(section), "\(section)") }
        #expect(show.stdout.contains("余额不足") && show.stdout.contains("养老保险") && show.stdout.contains("未缴"), "\(show.stdout)")
        #expect(!show.stdout.contains(String(id)), "masked unless --show-ids")
        let whole = try runPikou(["payer", "show", String(id), "--show-ids", "--workspace", dir], environment: chinese)
        #expect(whole.stdout.contains(String(id)))
        let english = try runPikou(["payer", "show", String(id), "--workspace", dir])
        #expect(english.stdout.contains("Agreements") && english.stdout.contains("insufficientFunds"), "\(english.stdout)")
        let unknown = try runPikou(["payer", "show", "11010519491231002X", "--workspace", dir], environment: chinese)
        #expect(unknown.status == 1 && unknown.stderr.contains("名册中没有缴费人 110105********002X"), "\(unknown.stderr)")
        let invalid = try runPikou(["payer", "show", "110105194912310021", "--workspace", dir])
        #expect(invalid.status == 64 && invalid.stderr.contains("ID 110105********0021: ID number check character"), "\(invalid.stderr)")
    }
}
