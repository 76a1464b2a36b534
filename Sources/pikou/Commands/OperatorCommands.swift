import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// Output formats of lists.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// `--limit` on tables: how many rows a table shows (0: all).
struct LimitOption: ParsableArguments {
    @Option(help: ArgumentHelp(Catalogue.Help.Option.limit.text)) var limit: Int = 100
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
        FileHandle.standardOutput.write(Data(ListCell.csv(columns, rows)))
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
            discussion: Catalogue.Help.Discussion.failuresList.text
        )

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.failuresOutcome.text)) var outcome: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.district.text)) var district: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @Option(help: ArgumentHelp(Catalogue.Help.Option.retryDate.text)) var date: String?
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.failuresShowIDs.text)) var showIds = false
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            if showIds && format != .table { throw ValidationError("--show-ids is for the table on screen; exports keep IDs masked") }
            let outcomeValue = try outcome.map(outcomeArgument)
            let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            let failures = try await reporting {
                try await pikou.failures(FailureFilter(period: period, bank: bankArgument(bank, in: workspace), outcome: outcomeValue, district: district),
                                         today: today)
            }
            let columns = [
                ListColumn("period", Catalogue.period), ListColumn("bank", Catalogue.bank), ListColumn("payer", Catalogue.payer),
                ListColumn("name", Catalogue.name), ListColumn("account", Catalogue.account), ListColumn("amount_yuan", Catalogue.amountYuan, .right),
                ListColumn("outcome", Catalogue.outcome), ListColumn("bank_code", Catalogue.bankCode), ListColumn("bank_text", Catalogue.bankText),
                ListColumn("attempts", Catalogue.attempts, .right), ListColumn("next", Catalogue.nextStep),
            ]
            var steps: [Message: Int] = [:]
            let rows = failures.map { failure -> [ListCell] in
                let (f, step) = (failure.record, Catalogue.nextStep(failure.next))
                steps[step, default: 0] += 1
                return [ListCell(f.period.description), ListCell(f.bank), ListCell(showIds ? f.idNumber.value : f.idNumber.masked),
                        ListCell(Masking.name(f.name)), ListCell(f.account.masked), ListCell(f.amount),
                        ListCell(Catalogue.outcome(f.outcome), code: f.outcome.rawValue), ListCell(f.bankCode), ListCell(f.bankText),
                        ListCell(String(f.attempts)), ListCell(step, code: step.en)]
            }
            printRows(columns, rows, format: format, limit: limit.value)
            if format == .table {
                let total = (try? failures.map(\.record.amount).checkedSum())?.groupedYuanText ?? "(more than 64-bit fen)"
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
        discussion: Catalogue.Help.Discussion.resubmit.text
    )

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitOutcome.text)) var outcome: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitPayer.text)) var payer: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.resubmitOperator.text)) var `operator`: String?
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.resubmitDryRun.text)) var dryRun = false
    @Option(help: ArgumentHelp(Catalogue.Help.Option.fileDate.text)) var date: String?
    @OptionGroup var locking: LockOptions

    func run() async throws {
        let workspace = try options.load()
        let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
        let (specs, calendar) = try options.specs(workspace, years: [today.year])
        let wouldStop = try await preflight(workspace, scope: .writing, period: nil, bank: bank, command: "resubmit", dryRun: dryRun)
        let lock = try await dryRun ? nil : locking.lock(workspace, command: "resubmit", actor: `operator` ?? options.actorName)
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
        if wouldStop { throw ExitCode(1) }
    }
}

/// `pikou agreements update|revoke`.
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: Catalogue.Help.agreements.text, subcommands: [Update.self, Revoke.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.agreementsUpdate.text,
            discussion: Catalogue.Help.Discussion.agreementsUpdate.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var payer: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.agreementBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.newAccount.text)) var account: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.newAccountName.text)) var accountName: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.toBank.text)) var toBank: String?

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
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var payer: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.agreementBank.text)) var bank: String?

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
        discussion: Catalogue.Help.Discussion.report.text
    )

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.scheme.text)) var scheme: Scheme = .flexibleMonthly
    @Option(help: ArgumentHelp(Catalogue.Help.Option.coverYear.text)) var year: Int?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.targets.text, valueName: "CSV")) var targets: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportBy.text)) var by: String = "bank"
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportFormat.text)) var format: Format = .table
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportOut.text, valueName: "PATH")) var out: String?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.reportEncoding.text)) var encoding: Encoding = .utf8
    @OptionGroup var limit: LimitOption

    func validate() throws {
        try checkSchemeOptions(scheme, period: period, residentsOnly: [("--year", year != nil), ("--targets", targets != nil)],
                               taking: "the residents' report takes")
        if scheme == .residentsAnnual {
            if ResidentsGrouping(rawValue: by) == nil {
                throw ValidationError("--by must be one of \(ResidentsGrouping.allCases.map(\.rawValue).joined(separator: ", ")) for the residents' report")
            }
            if format == .xlsx || format == .json { throw ValidationError("the residents' report is a table or a csv (--format table|csv)") }
        }
    }

    /// `--scheme residents-annual`: the finance view, the public funds' list, participation by grid.
    func runResidents() async throws {
        let workspace = try options.load()
        let pikou = try await options.open(workspace)
        let cover = try reporting { try year ?? pikou.residentsPolicy(year: nil).year }
        let report = try await reporting { try await pikou.residentsReport(year: cover, by: ResidentsGrouping(rawValue: by) ?? .bank, targets: targets) }
        switch format {
        case .csv:
            try emit(try reporting { try report.csv() })
        default:
            print("\(Catalogue.residentsTitle.text) \(cover)")
            for line in try reporting({ try report.financeTable() }).lines(limit: limit.value) { print(line) }
            print("\n" + Catalogue.publicFundsTitle.text)
            for line in try reporting({ try report.publicFundsTable() }).lines() { print(line) }
            if !report.participation.isEmpty {
                print("\n" + Catalogue.participationTitle.text)
                for line in report.participationTable().lines(limit: limit.value) { print(line) }
            }
            print()
            for line in report.check.lines { print(line) }
        }
        let state = report.check.state
        RunLog.verdict(state.rawValue, key: "residents-annual-\(cover)", exitCode: state.exitCode)
        if state.exitCode != 0 { throw ExitCode(state.exitCode) }
    }

    func run() async throws {
        guard let period else { return try await runResidents() }
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
            if let head = report.journalHead { print(Catalogue.journalHeadLine(head.text).text) }
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
        RunLog.verdict("\(report.check.state)", key: "flexible-monthly-\(period)", exitCode: report.check.state == .match ? 0 : report.check.state.exitCode)
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
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period
        @Option(help: ArgumentHelp(Catalogue.Help.Option.community.text)) var community: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.paidList(period: period, community: community) }
            printRows(PayerList.notice.columns, lines.map { PayerList.notice.cells($0) },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersPaid(lines.count, yuan: total(lines)).text) }
        }
    }

    struct Interrupted: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Catalogue.Help.listsInterrupted.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.months.text)) var months: Int = 2
        @Option(help: ArgumentHelp(Catalogue.Help.Option.lastPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            guard months >= 1 else { throw ValidationError("--months must be 1 or more") }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let today = todayInChina()
            let last = try period ?? Period(year: today.year, month: today.month)
            let lines = try await reporting { try await pikou.interrupted(months: months, through: last) }
            printRows(PayerList.interrupted.columns, lines.map { PayerList.interrupted.cells($0) },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersInterrupted(lines.count, months: months, through: last).text) }
        }
    }

    struct Refunds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.listsRefunds.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let lines = try await reporting { try await pikou.refunds(period: period) }
            printRows(PayerList.refunds.columns, lines.map { PayerList.refunds.cells($0) },
                      format: format, limit: limit.value)
            if format == .table { print(Catalogue.payersToRefund(lines.count, yuan: total(lines)).text) }
        }
    }
}

/// `pikou exceptions list|resolve|reopen`: exceptions as work items.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions", abstract: Catalogue.Help.exceptions.text,
        discussion: Catalogue.Help.Discussion.exceptions.text,
        subcommands: [List.self, Resolve.self, Reopen.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsList.text)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyPeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.onlyBank.text)) var bank: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.exceptionKind(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")).text, valueName: "KIND")) var kind: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.exceptionState.text)) var state: String = "open"
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
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
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.exceptionIDFromList.text)) var id: Int64
        @Option(help: ArgumentHelp(Catalogue.Help.Option.resolveNote.text)) var note: String

        func run() async throws { try await ExceptionsCommand.set(id, resolved: true, note: note, options: options) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.exceptionsReopen.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.exceptionID.text)) var id: Int64
        @Option(help: ArgumentHelp(Catalogue.Help.Option.reopenNote.text)) var note: String

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
