import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// Output formats of lists.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Prints rows as an aligned table, CSV (UTF-8 with BOM) or JSON lines.
func printRows(_ columns: [String], _ rows: [[String]], format: ListFormat) {
    switch format {
    case .table:
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String { zip(cells, widths).map { $0.padding($1) }.joined(separator: "  ") }
        print(line(columns))
        for row in rows { print(line(row)) }
    case .csv:
        print("\u{FEFF}" + CSVCell.line(columns))
        for row in rows { print(CSVCell.line(row)) }
    case .json:
        for row in rows {
            let object = Dictionary(uniqueKeysWithValues: zip(columns, row))
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// `pikou failures list`.
struct FailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "failures", abstract: "Failed debits, by reason.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List failed debits whose dues are still unpaid, with what happens next.",
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
        @Option(help: "Only this outcome (e.g. insufficientFunds).") var outcome: String?
        @Option(help: "Only this district.") var district: String?
        @Option(help: "table, csv or json.") var format: ListFormat = .table
        @Option(help: "The date to judge retries on, YYYY-MM-DD (default: today in China).") var date: String?
        @Flag(help: "Show whole ID numbers, to correct an agreement (on screen only: never export them).") var showIds = false

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let policy = workspace.retry
            if showIds && format != .table { throw ValidationError("--show-ids is for the table on screen; exports keep IDs masked") }
            let outcomeValue = try outcome.map { text -> Outcome in
                guard let value = Outcome(rawValue: text) else {
                    throw ValidationError("--outcome '\(text)' is not an outcome; known: \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }
            let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let failures = try await reporting {
                try await pikou.failures(FailureFilter(period: period, bank: bankArgument(bank, in: workspace), outcome: outcomeValue, district: district))
            }
            let columns = ["period", "bank", "payer", "name", "account", "amount_yuan", "outcome", "bank_code", "bank_text", "attempts", "next"]
            let rows = failures.map { f in
                [f.period.description, f.bank, showIds ? f.idNumber.value : f.idNumber.masked, Masking.name(f.name), f.account.masked, f.amount.yuanText,
                 f.outcome.rawValue, f.bankCode, f.bankText, String(f.attempts),
                 policy.next(for: f, today: today, operatorChose: outcomeValue == f.outcome).description]
            }
            printRows(columns, rows, format: format)
            if format == .table {
                var steps: [String: Int] = [:]
                for row in rows { steps[row.last ?? "", default: 0] += 1 }
                let total = (try? failures.map(\.amount).checkedSum())?.yuanText ?? "(more than 64-bit fen)"
                print("\(failures.count) failed debits, \(total) yuan: "
                      + steps.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
            }
            // Debits reserved but never written cover their dues without having reached a bank.
            let unwritten = try await reporting { try await pikou.unwrittenFiles() }
            if !unwritten.isEmpty {
                let lines = unwritten.reduce(0) { $0 + $1.count }
                printError("note: \(lines) debits in \(unwritten.count) reserved files were never written (\(unwritten.map { "\($0.bank)/\($0.name)" }.joined(separator: ", "))); their dues are not listed above. `pikou resubmit` writes them first.")
            }
        }
    }
}

/// `pikou resubmit`.
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: "Write signed resubmission files for the failures the retry policy allows now.",
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
    @Option(help: "Only this outcome; names exceedsLimit or unknown to retry them.") var outcome: String?
    @Option(help: "Only this payer (ID number).") var payer: String?
    @Option(help: "The operator's name, for the journal (default: --actor or $USER).") var `operator`: String?
    @Flag(help: "Show what would be resubmitted; write nothing.") var dryRun = false
    @Option(help: "The file date, YYYY-MM-DD (default: today in China).") var date: String?

    func run() async throws {
        let workspace = try options.load()
        let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
        let (specs, calendar) = try options.specs(workspace, years: [today.year])
        let pikou = try await options.open(workspace)
        let policy = workspace.retry
        let outcomeValue = try outcome.map { text -> Outcome in
            guard let value = Outcome(rawValue: text) else {
                throw ValidationError("--outcome '\(text)' is not an outcome; known: \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        let filter = FailureFilter(period: period, bank: try bankArgument(bank, in: workspace), outcome: outcomeValue, idNumber: try payer.map { try idNumberArgument($0) })
        let report = try await reporting {
            try await pikou.resubmission(specs: specs, calendar: calendar, policy: policy)
                .run(filter: filter, actor: `operator` ?? options.actorName, dryRun: dryRun, today: today)
        }
        printDiagnostics(report.warnings)
        print("resubmit\(dryRun ? " (dry run)" : ""): \(report.lines) lines, \(report.total) yuan")
        for (step, count) in report.steps.sorted(by: { $0.key < $1.key }) { print("  \(step.padding(28)) \(count)") }
        if report.takenConcurrently > 0 { print("  (another resubmission running at the same time took some dues first)") }
        for path in report.written { print("wrote \(path)") }
    }
}

/// `pikou agreements update|revoke`.
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: "Correct or revoke a payer's debit agreement.", subcommands: [Update.self, Revoke.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct the account, account name or bank of a payer's agreement.",
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
            print("agreement of \(idNumber.masked) at \(agreement.bank): account \(agreement.account.masked), \(Masking.name(agreement.accountName)), version \(agreement.version)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a payer's agreement: no more debits at that bank. Journaled.")
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
            print("agreement of \(idNumber.masked) at \(agreement.bank) revoked (version \(agreement.version))")
        }
    }
}

/// `pikou report`.
struct ReportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument { case table, csv, xlsx, json }
    enum Encoding: String, ExpressibleByArgument { case utf8 = "utf-8", gbk }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reconciliation report of a period, with the 钱表相符 money check.",
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
            xlsx: Summary (frozen header, yuan format), Exceptions, Outcomes with a bar chart.
            json: docs/report.schema.json, amounts in integer fen.
            """
    )

    @OptionGroup var options: StoreOptions
    @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
    @Option(help: "bank, file, district, street, community or outcome.") var by: String = "bank"
    @Option(help: "table, csv, xlsx or json.") var format: Format = .table
    @Option(help: ArgumentHelp("Write to this file (required for xlsx).", valueName: "PATH")) var out: String?
    @Option(help: "CSV encoding: utf-8 (with BOM) or gbk.") var encoding: Encoding = .utf8

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
            let columns = ["GROUP", "OWING", "OWING YUAN", "PAID", "PAID YUAN", "RATE", "LINES", "YUAN", "OK", "OK YUAN", "FAILED", "FAILED YUAN",
                           "PENDING", "PENDING YUAN", "SUCCESS"]
            printRows(columns, (report.rows + [report.total]).map(ReconciliationReport.cells), format: .table)
            if !report.exceptions.isEmpty {
                print("\nexceptions (\(report.exceptions.count)):")
                for e in report.exceptions.prefix(20) { print("  \(e.bank)/\(e.returnFile):\(e.line) \(e.kind): \(e.detail)") }
                if report.exceptions.count > 20 { print("  ... \(report.exceptions.count - 20) more (--format json lists all)") }
            }
            print()
            for line in report.matchLines { print(line) }
        case .csv:
            let bytes = report.csv(encoding: encoding == .gbk ? .gbk : .utf8BOM)
            try emit(bytes)
        case .json:
            try emit(try reporting { try report.json() })
        case .xlsx:
            let outcomes = try await reporting { try await pikou.outcomes(period: period) }
            try reporting { try report.xlsx(path: out!, outcomes: outcomes) }
            print("\(out!): \(report.rows.count) groups, \(report.exceptions.count) exceptions; \(report.matchLines.first ?? "")")
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
        commandName: "lists", abstract: "Lists for people: public notice, reminders, refunds.", subcommands: [Notice.self, Interrupted.self, Refunds.self])

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The public notice list (公示清册): who paid for the period, IDs and names masked.")
        @OptionGroup var options: StoreOptions
        @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
        @Option(help: "Only this community (社区).") var community: String?
        @Option(help: "table, csv or json.") var format: ListFormat = .table

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.paidList(period: period, community: community) }
            printRows(["district", "street", "community", "payer", "name", "amount_yuan"], lines.map {
                [$0.district, $0.street, $0.community, $0.idNumber.masked, Masking.name($0.name), $0.amount.yuanText]
            }, format: format)
            if format == .table { print("\(lines.count) payers, \(Money(fen: lines.reduce(0) { $0 + $1.amount.fen })) yuan") }
        }
    }

    struct Interrupted: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Payers whose cycle debits failed N periods in a row, with phone, for reminders (断缴提醒).")
        @OptionGroup var options: StoreOptions
        @Option(help: "Consecutive failed periods.") var months: Int = 2
        @Option(help: "The last period, YYYY-MM (default: this month).", transform: periodArgument) var period: Period?
        @Option(help: "table, csv or json.") var format: ListFormat = .table

        func run() async throws {
            guard months >= 1 else { throw ValidationError("--months must be 1 or more") }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let today = todayInChina()
            let last = try period ?? Period(year: today.year, month: today.month)
            let lines = try await reporting { try await pikou.interrupted(months: months, through: last) }
            printRows(["payer", "name", "phone", "district", "street", "community", "failed_yuan", "outcomes"], lines.map {
                [$0.idNumber.masked, $0.name, $0.phone, $0.district, $0.street, $0.community, $0.amount.yuanText, $0.detail]
            }, format: format)
            if format == .table { print("\(lines.count) payers failed \(months) cycle(s) in a row through \(last)") }
        }
    }

    struct Refunds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dues collected by debit and also paid elsewhere: to refund.")
        @OptionGroup var options: StoreOptions
        @Option(help: "The period, YYYY-MM.", transform: periodArgument) var period: Period
        @Option(help: "table, csv or json.") var format: ListFormat = .table

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.refunds(period: period) }
            printRows(["payer", "name", "phone", "amount_yuan", "paid_twice"], lines.map {
                [$0.idNumber.masked, Masking.name($0.name), $0.phone, $0.amount.yuanText, $0.detail]
            }, format: format)
            if format == .table { print("\(lines.count) payers to refund, \(Money(fen: lines.reduce(0) { $0 + $1.amount.fen })) yuan") }
        }
    }
}

/// `pikou exceptions list|resolve|reopen`: exceptions as work items.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions", abstract: "Return lines that need a person: list them, resolve them with a note, reopen them.",
        discussion: """
            Ingest raises an exception for a return line it cannot simply post: unmatched, amount or
            account mismatch, a duplicate, a conflicting second result, a code the spec does not know.
            While any is open, the report's 钱表相符 says 不符 MISMATCH. Find out what happened (ask the
            bank, correct the agreement), then resolve it with a note saying so; both are journaled.
            """,
        subcommands: [List.self, Resolve.self, Reopen.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List exceptions (open ones by default).")

        @OptionGroup var options: StoreOptions
        @Option(help: "Only this period, YYYY-MM.", transform: periodArgument) var period: Period?
        @Option(help: "Only this bank.") var bank: String?
        @Option(help: ArgumentHelp("Only this kind: \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KIND")) var kind: String?
        @Option(help: "open, resolved or all.") var state: String = "open"
        @Option(help: "table, csv or json.") var format: ListFormat = .table

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
            let columns = ["id", "bank", "return_file", "line", "kind", "detail", "state", "note", "by", "at"]
            printRows(columns, records.map { x in
                [String(x.id), x.bank, x.returnFile, String(x.line), x.kind.rawValue, x.detail, x.resolved ? "resolved" : "open",
                 x.lastAction?.note ?? "", x.lastAction?.actor ?? "", x.lastAction?.at ?? ""]
            }, format: format)
            if format == .table {
                print("\(records.count) \(stateValue == .all ? "" : stateValue.rawValue + " ")exceptions")
            }
        }
    }

    /// Resolves or reopens exception `id`, saying which it is now.
    static func set(_ id: Int64, resolved: Bool, note: String, options: StoreOptions) async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let record = try await reporting { try await pikou.setException(id: id, resolved: resolved, note: note, actor: options.actorName) }
        print("exception \(record.id) (\(record.bank)/\(record.returnFile):\(record.line) \(record.kind.rawValue)) "
              + (resolved ? "resolved by \(options.actorName)" : "open again"))
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an exception resolved, saying what was found or done.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The exception's id (from `pikou exceptions list`).") var id: Int64
        @Option(help: "What was found or done (required; journaled).") var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: true, note: note, options: options) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a resolved exception, saying why.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The exception's id.") var id: Int64
        @Option(help: "Why it is open again (required; journaled).") var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: false, note: note, options: options) }
    }
}
