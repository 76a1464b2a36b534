import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// Output formats of lists.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// A column of a list: its stable key (CSV header, JSON key) and its title on screen.
struct ListColumn {
    var key: String
    var title: Message
    var alignment: TextTable.Alignment = .left
    init(_ key: String, _ title: Message, _ alignment: TextTable.Alignment = .left) {
        self.key = key
        self.title = title
        self.alignment = alignment
    }
}

/// A list's cells: `screen` for the table (yuan grouped by thousands, words in the catalogue's
/// language), `data` for CSV and JSON (plain yuan, stable codes).
struct ListCell {
    var screen: String
    var data: String
    init(_ text: String) { (screen, data) = (text, text) }
    init(screen: String, data: String) { (self.screen, self.data) = (screen, data) }
    init(_ money: Money) { (screen, data) = (money.groupedYuanText, money.yuanText) }
    init(_ message: Message, code: String) { (screen, data) = (message.text, code) }
}

/// `--limit` on tables: how many rows a table shows (0: all).
struct LimitOption: ParsableArguments {
    @Option(help: "Rows a table shows (0: all); the rest are counted. CSV and JSON list all.") var limit: Int = 100
    var value: Int? { limit > 0 ? limit : nil }
}

/// Prints rows as a table padded by display width (at most `limit` rows, counting the rest), CSV
/// (UTF-8 with BOM, Excel-safe cells) or JSON lines with the columns' stable keys.
func printRows(_ columns: [ListColumn], _ rows: [[ListCell]], format: ListFormat, limit: Int? = nil) {
    switch format {
    case .table:
        var table = TextTable(columns.map { TextTable.Column($0.title.text, $0.alignment) })
        for row in rows { table.add(row.map(\.screen)) }
        for line in table.lines(limit: limit) { print(line) }
    case .csv:
        print("\u{FEFF}" + CSVCell.line(columns.map(\.key)))
        for row in rows { print(CSVCell.line(row.map(\.data))) }
    case .json:
        for row in rows {
            let object = Dictionary(uniqueKeysWithValues: zip(columns.map(\.key), row.map(\.data)))
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// `pikou failures list`.
struct FailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "failures", abstract: Catalogue.Help.failures.text, subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.failuresList.text,
            discussion: """
                Each failed debit no later debit covers: payer (masked ID and name), bank, masked account,
                amount, canonical outcome, the bank's own code and text, attempts so far, and the next
                step under the workspace's retry policy: retryable now, retryable from a date, next
                cycle, needs agreement correction, operator decides / review, attempts exhausted.
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "Only this period, YYYY-MM.", transform: periodArgument) var period: Period?
        @Option(help: "Only this bank.") var bank: String?
        @Option(help: "Only this outcome: its code or its Chinese label (insufficientFunds or 余额不足).") var outcome: String?
        @Option(help: "Only this district.") var district: String?
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @Option(help: "The date to judge retries on, YYYY-MM-DD (default: today in China).") var date: String?
        @Flag(help: "Show whole ID numbers, to correct an agreement (on screen only: never export them).") var showIds = false
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let policy = workspace.retry
            if showIds && format != .table { throw ValidationError("--show-ids is for the table on screen; exports keep IDs masked") }
            let outcomeValue = try outcome.map(outcomeArgument)
            let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let failures = try await reporting {
                try await pikou.failures(FailureFilter(period: period, bank: bankArgument(bank, in: workspace), outcome: outcomeValue, district: district))
            }
            let columns = [
                ListColumn("period", Catalogue.period), ListColumn("bank", Catalogue.bank), ListColumn("payer", Catalogue.payer),
                ListColumn("name", Catalogue.name), ListColumn("account", Catalogue.account), ListColumn("amount_yuan", Catalogue.amountYuan, .right),
                ListColumn("outcome", Catalogue.outcome), ListColumn("bank_code", Catalogue.bankCode), ListColumn("bank_text", Catalogue.bankText),
                ListColumn("attempts", Catalogue.attempts, .right), ListColumn("next", Catalogue.nextStep),
            ]
            var steps: [Message: Int] = [:]
            let rows = failures.map { f -> [ListCell] in
                let step = Catalogue.nextStep(policy.next(for: f, today: today, operatorChose: outcomeValue == f.outcome))
                steps[step, default: 0] += 1
                return [ListCell(f.period.description), ListCell(f.bank), ListCell(showIds ? f.idNumber.value : f.idNumber.masked),
                        ListCell(Masking.name(f.name)), ListCell(f.account.masked), ListCell(f.amount),
                        ListCell(Catalogue.outcome(f.outcome), code: f.outcome.rawValue), ListCell(f.bankCode), ListCell(f.bankText),
                        ListCell(String(f.attempts)), ListCell(step, code: step.en)]
            }
            printRows(columns, rows, format: format, limit: limit.value)
            if format == .table {
                let total = (try? failures.map(\.amount).checkedSum())?.groupedYuanText ?? "(more than 64-bit fen)"
                let counted = steps.sorted { $0.key.en < $1.key.en }.map { "\($0.value) \($0.key.text)" }.joined(separator: Language.current == .zh ? "，" : ", ")
                print(Catalogue.failedDebits(failures.count, yuan: total, steps: counted).text)
            }
            // Debits reserved but never written cover their dues without having reached a bank.
            let unwritten = try await reporting { try await pikou.unwrittenFiles() }
            if !unwritten.isEmpty {
                let lines = unwritten.reduce(0) { $0 + $1.count }
                printError(Catalogue.unwrittenNote(lines: lines, files: unwritten.count, names: unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: ", ")).text)
            }
        }
    }
}

/// `pikou resubmit`.
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: Catalogue.Help.resubmit.text,
        discussion: """
            Follows `retry:` in pikou.yaml: outcomes retried without a decision, attempts per due, days
            between attempts. Never includes a due already paid (by debit or elsewhere), pending, or
            over its attempts; a terminal outcome only after the agreement was corrected. Naming
            --outcome exceedsLimit or unknown is the operator's decision to retry those. Lines are marked
            重扣RETRY in the bank's memo field where its format has one. Journaled under --operator.
            Two resubmissions at once never put the same due in two files.
            """
    )

    @OptionGroup var options: StoreOptions
    @Option(help: "Only this period, YYYY-MM.", transform: periodArgument) var period: Period?
    @Option(help: "Only this bank.") var bank: String?
    @Option(help: "Only this outcome (code or Chinese label); naming exceedsLimit/超限额 or unknown retries them.") var outcome: String?
    @Option(help: "Only this payer (ID number).") var payer: String?
    @Option(help: "The operator's name, for the journal (default: --actor or $USER).") var `operator`: String?
    @Flag(help: "Show what would be resubmitted; write nothing.") var dryRun = false
    @Option(help: "The file date, YYYY-MM-DD (default: today in China).") var date: String?
    @OptionGroup var locking: LockOptions

    func run() async throws {
        let workspace = try options.load()
        let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
        let (specs, calendar) = try options.specs(workspace, years: [today.year])
        let lock = try dryRun ? nil : locking.lock(workspace, command: "resubmit", actor: `operator` ?? options.actorName)
        defer { lock?.release() }
        let pikou = try await options.open(workspace)
        let policy = workspace.retry
        let outcomeValue = try outcome.map(outcomeArgument)
        let filter = FailureFilter(period: period, bank: try bankArgument(bank, in: workspace), outcome: outcomeValue, idNumber: try payer.map { try idNumberArgument($0) })
        let report = try await reporting {
            try await pikou.resubmission(specs: specs, calendar: calendar, policy: policy)
                .run(filter: filter, actor: `operator` ?? options.actorName, dryRun: dryRun, today: today)
        }
        printDiagnostics(report.warnings)
        print(Catalogue.resubmitHeadline(dryRun: dryRun, lines: report.lines, yuan: report.total.groupedYuanText).text)
        for (step, count) in report.steps.sorted(by: { $0.key.en < $1.key.en }) { print("  \(step.text.padded(to: 28)) \(count)") }
        if report.takenConcurrently > 0 { print("  " + Catalogue.takenConcurrently.text) }
        for path in report.written { print(Catalogue.wrote(path).text) }
    }
}

/// `pikou agreements update|revoke`.
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: Catalogue.Help.agreements.text, subcommands: [Update.self, Revoke.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.agreementsUpdate.text,
            discussion: "A corrected agreement gets a new version: the payer's terminal failures become eligible again. Journaled.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The payer's ID number.") var payer: String
        @Option(help: "The agreement's bank, when the payer has several.") var bank: String?
        @Option(help: "The new account number.") var account: String?
        @Option(help: "The new account holder's name.") var accountName: String?
        @Option(help: "Move the agreement (and enrollments) to this bank.") var toBank: String?

        func run() async throws {
            guard account != nil || accountName != nil || toBank != nil else { throw ValidationError("give --account, --account-name or --to-bank") }
            let idNumber = try idNumberArgument(payer)
            let newAccount = try account.map { try accountArgument($0) }
            let workspace = try options.load()
            if let toBank, !workspace.enabledBanks.contains(toBank.uppercased()) { throw ValidationError("--to-bank \(toBank) is not enabled") }
            let pikou = try await options.open(workspace)
            let agreement = try await reporting {
                try await pikou.changeAgreement(AgreementChange(idNumber: idNumber, bank: bank?.uppercased(), account: newAccount,
                                                          accountName: accountName, newBank: toBank?.uppercased()), actor: options.actorName)
            }
            print(Catalogue.agreementNow(id: idNumber.masked, bank: agreement.bank, account: agreement.account.masked,
                                         name: Masking.name(agreement.accountName), version: agreement.version).text)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.agreementsRevoke.text)
        @OptionGroup var options: StoreOptions
        @Option(help: "The payer's ID number.") var payer: String
        @Option(help: "The agreement's bank, when the payer has several.") var bank: String?

        func run() async throws {
            let idNumber = try idNumberArgument(payer)
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let agreement = try await reporting {
                try await pikou.changeAgreement(AgreementChange(idNumber: idNumber, bank: bank?.uppercased(), revoke: true), actor: options.actorName)
            }
            print(Catalogue.agreementRevoked(id: idNumber.masked, bank: agreement.bank, version: agreement.version).text)
        }
    }
}

/// `pikou report`.
struct ReportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument { case table, csv, xlsx, json }
    enum Encoding: String, ExpressibleByArgument { case utf8 = "utf-8", gbk }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: Catalogue.Help.report.text,
        discussion: """
            For each group: payers owing and their dues, payers fully paid (by debit or elsewhere) and
            what was collected, debited lines, succeeded, failed, pending (counts and yuan), rates;
            then the exceptions and the closing 钱表相符 line, one of:
              相符 MATCH      every line decided, every debit file answered, each return file's
                             trailer equal to its stored lines, the banks' posted lines equal to
                             the store's money per debit file, no exception open     exit 0
              未结清 PENDING  nothing differs, but a file is not written or not answered, or
                             lines are still pending at a bank                       exit 3
              不符 MISMATCH   any difference, or an exception still open (each named) exit 1
              无数据 NO DATA  no debit file in the period                            exit 4
            An error (no workspace, a bad option) also exits 1, with a message on stderr.
            --by district|street|community shows the grid's collection progress.
            csv: UTF-8 with BOM (Excel opens the Chinese text), or --encoding gbk.
            xlsx: sheets 汇总 (the groups, the total, the 钱表相符 lines), 网格进度 (district →
              street → community with subtotals, foldable), 失败明细 (each failed debit and its next
              step), 异常, 失败原因 (with a bar chart); a title row with the period and the unit
              (元), autofilters, rates as numbers with a % format, IDs and accounts as masked text.
            json: docs/report.schema.json, amounts in integer fen.
            """
    )

    @OptionGroup var options: StoreOptions
    @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
    @Option(help: "bank, file, district, street, community or outcome.") var by: String = "bank"
    @Option(help: "table, csv, xlsx or json.") var format: Format = .table
    @Option(help: ArgumentHelp("Write to this file (required for xlsx).", valueName: "PATH")) var out: String?
    @Option(help: "CSV encoding: utf-8 (with BOM) or gbk.") var encoding: Encoding = .utf8
    @OptionGroup var limit: LimitOption

    func run() async throws {
        guard let grouping = ReportGrouping(rawValue: by) else {
            throw ValidationError("--by must be one of \(ReportGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if format == .xlsx && out == nil { throw ValidationError("--format xlsx needs --out PATH") }
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let report = try await reporting { try await pikou.report(period: period, by: grouping) }
        switch format {
        case .table:
            var table = TextTable(ReconciliationReport.screenColumns)
            for row in report.rows { table.add(ReconciliationReport.screenCells(row)) }
            table.addFooter(ReconciliationReport.screenCells(report.total))
            for line in table.lines(limit: limit.value) { print(line) }
            if !report.exceptions.isEmpty {
                print("\n" + Catalogue.reportExceptions(report.exceptions.count).text)
                for e in report.exceptions.prefix(20) {
                    print("  \(e.bank)/\(e.returnFile):\(e.line) \(Catalogue.exceptionKind(e.kind).text): \(e.detail)")
                }
                if report.exceptions.count > 20 { print("  " + Catalogue.moreExceptions(report.exceptions.count - 20).text) }
            }
            print()
            for line in report.matchLines { print(line) }
        case .csv:
            let bytes = report.csv(encoding: encoding == .gbk ? .gbk : .utf8BOM)
            try emit(bytes)
        case .json:
            try emit(try reporting { try report.json() })
        case .xlsx:
            let workbook = try await reporting { try await pikou.workbook(report, today: todayInChina()) }
            try reporting { try workbook.write(path: out!) }
            print(Catalogue.workbookWritten(out!, groups: report.rows.count, failures: workbook.failures.count,
                                            exceptions: report.exceptions.count, check: report.matchLines.first ?? "").text)
        }
        if report.check.state != .match { throw ExitCode(report.check.state.exitCode) }
    }

    private func emit(_ bytes: [UInt8]) throws {
        if let out {
            try reporting { try FileIO.writeAtomically(bytes, to: out) }
            print("\(out): \(bytes.count) bytes")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

/// `pikou lists notice|interrupted|refunds`.
struct ListsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists", abstract: Catalogue.Help.lists.text, subcommands: [Notice.self, Interrupted.self, Refunds.self])

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.listsNotice.text)
        @OptionGroup var options: StoreOptions
        @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
        @Option(help: "Only this community (社区).") var community: String?
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.paidList(period: period, community: community) }
            printRows([ListColumn("district", Catalogue.district), ListColumn("street", Catalogue.street), ListColumn("community", Catalogue.community),
                       ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("amount_yuan", Catalogue.amountYuan, .right)],
                      lines.map { [ListCell($0.district), ListCell($0.street), ListCell($0.community), ListCell($0.idNumber.masked),
                                   ListCell(Masking.name($0.name)), ListCell($0.amount)] },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersPaid(lines.count, yuan: total(lines)).text) }
        }
    }

    struct Interrupted: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.listsInterrupted.text)
        @OptionGroup var options: StoreOptions
        @Option(help: "Consecutive failed periods.") var months: Int = 2
        @Option(help: "The last period, YYYY-MM (default: this month).", transform: periodArgument) var period: Period?
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            guard months >= 1 else { throw ValidationError("--months must be 1 or more") }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let today = todayInChina()
            let last = try period ?? Period(year: today.year, month: today.month)
            let lines = try await reporting { try await pikou.interrupted(months: months, through: last) }
            printRows([ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("phone", Catalogue.phone),
                       ListColumn("district", Catalogue.district), ListColumn("street", Catalogue.street), ListColumn("community", Catalogue.community),
                       ListColumn("failed_yuan", Catalogue.failedYuan, .right), ListColumn("outcomes", Catalogue.outcome)],
                      lines.map { [ListCell($0.idNumber.masked), ListCell($0.name), ListCell($0.phone), ListCell($0.district), ListCell($0.street),
                                   ListCell($0.community), ListCell($0.amount), ListCell(screen: outcomeLabels($0.detail), data: $0.detail)] },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersInterrupted(lines.count, months: months, through: last).text) }
        }
    }

    struct Refunds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.listsRefunds.text)
        @OptionGroup var options: StoreOptions
        @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.refunds(period: period) }
            printRows([ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("phone", Catalogue.phone),
                       ListColumn("amount_yuan", Catalogue.amountYuan, .right), ListColumn("paid_twice", Catalogue.paidTwice)],
                      lines.map { [ListCell($0.idNumber.masked), ListCell(Masking.name($0.name)), ListCell($0.phone), ListCell($0.amount), ListCell($0.detail)] },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersToRefund(lines.count, yuan: total(lines)).text) }
        }
    }
}

/// `pikou exceptions list|resolve|reopen`: exceptions as work items.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions", abstract: Catalogue.Help.exceptions.text,
        discussion: """
            Ingest raises an exception for a return line it cannot simply post: unmatched, amount or
            account mismatch, a duplicate, a conflicting second result, a code the spec does not know.
            While any is open, the report's 钱表相符 says 不符 MISMATCH. Find out what happened (ask the
            bank, correct the agreement), then resolve it with a note saying so; both are journaled.
            """,
        subcommands: [List.self, Resolve.self, Reopen.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsList.text)

        @OptionGroup var options: StoreOptions
        @Option(help: "Only this period, YYYY-MM.", transform: periodArgument) var period: Period?
        @Option(help: "Only this bank.") var bank: String?
        @Option(help: ArgumentHelp("Only this kind: \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KIND")) var kind: String?
        @Option(help: "open, resolved or all.") var state: String = "open"
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            guard let stateValue = ExceptionFilter.State(rawValue: state) else {
                throw ValidationError("--state '\(state)' is not one of \(ExceptionFilter.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let kindValue = try kind.map { text -> ExceptionKind in
                guard let value = ExceptionKind(rawValue: text) else {
                    throw ValidationError("--kind '\(text)' is not a kind of exception; known: \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let records = try await reporting {
                try await pikou.exceptions(period: period, filter: ExceptionFilter(state: stateValue, bank: bankArgument(bank, in: workspace), kind: kindValue))
            }
            let columns = [ListColumn("id", Catalogue.id, .right), ListColumn("bank", Catalogue.bank), ListColumn("return_file", Catalogue.returnFile),
                           ListColumn("line", Catalogue.line, .right), ListColumn("kind", Catalogue.kind), ListColumn("detail", Catalogue.detail),
                           ListColumn("state", Catalogue.state), ListColumn("note", Catalogue.note), ListColumn("by", Catalogue.by), ListColumn("at", Catalogue.at)]
            printRows(columns, records.map { x in
                [ListCell(String(x.id)), ListCell(x.bank), ListCell(x.returnFile), ListCell(String(x.line)),
                 ListCell(Catalogue.exceptionKind(x.kind), code: x.kind.rawValue), ListCell(x.detail),
                 x.resolved ? ListCell(Catalogue.resolved, code: "resolved") : ListCell(Catalogue.open, code: "open"),
                 ListCell(x.lastAction?.note ?? ""), ListCell(x.lastAction?.actor ?? ""), ListCell(x.lastAction?.at ?? "")]
            }, format: format, limit: limit.value)
            if format == .table {
                let state = stateValue == .all ? Message(zh: "", en: "") : stateValue == .open ? Catalogue.open : Catalogue.resolved
                print(Catalogue.exceptionsCount(records.count, state: state.text).text)
            }
        }
    }

    /// Resolves or reopens exception `id`, saying which it is now.
    static func set(_ id: Int64, resolved: Bool, note: String, options: StoreOptions) async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let record = try await reporting { try await pikou.setException(id: id, resolved: resolved, note: note, actor: options.actorName) }
        let place = "\(record.bank)/\(record.returnFile):\(record.line)"
        let kind = Catalogue.exceptionKind(record.kind).text
        print((resolved ? Catalogue.exceptionResolved(id: record.id, place: place, kind: kind, actor: options.actorName)
                        : Catalogue.exceptionReopened(id: record.id, place: place, kind: kind)).text)
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsResolve.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The exception's id (from `pikou exceptions list`).") var id: Int64
        @Option(help: "What was found or done (required; journaled).") var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: true, note: note, options: options) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsReopen.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The exception's id.") var id: Int64
        @Option(help: "Why it is open again (required; journaled).") var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: false, note: note, options: options) }
    }
}

/// An `--outcome` value: a code or a Chinese label, or an error listing both.
func outcomeArgument(_ text: String) throws -> Outcome {
    guard let value = Outcome(codeOrLabel: text) else {
        throw ValidationError("--outcome '\(text)' is not an outcome; known: \(Outcome.allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", "))")
    }
    return value
}

/// The money of `lines`, grouped for the screen (or a note when it passes 64-bit fen).
private func total(_ lines: [PayerLine]) -> String {
    (try? lines.map(\.amount).checkedSum())?.groupedYuanText ?? "(more than 64-bit fen)"
}

/// A list of outcome codes (`insufficientFunds,accountFrozen`) in the catalogue's words.
private func outcomeLabels(_ codes: String) -> String {
    codes.split(separator: ",").map { code in Outcome(rawValue: String(code)).map { Catalogue.outcome($0).text } ?? String(code) }
        .joined(separator: Language.current == .zh ? "、" : ",")
}
