import ArgumentParser
import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// A spec code as given on the command line: upper-case letters and digits, never a path.
func specCode(_ text: String, option: String) throws -> String {
    let code = text.uppercased()
    guard !code.isEmpty, code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
        throw usageError(Message(zh: "\(option) 须是规格代码（大写字母和数字），不是 '\(text)'", en: "\(option) must be a spec code (upper-case letters and digits), not '\(text)'"))
    }
    return code
}

/// Prints one after-the-bank ingest's outcome; true when the file was refused.
private func printAfterBank(_ path: String, _ outcome: AfterBankIngest.Outcome, kind: Message, label: (String) -> Message) -> Bool {
    switch outcome {
    case .recorded(let bank, let date, let states):
        print(AfterBankCatalogue.recorded(path, kind: kind, bank: bank, date: date).text)
        for (state, count) in states.sorted(by: { $0.key < $1.key }) { print("  \(label(state).text.padded(to: 24)) \(count)") }
        return false
    case .alreadyRecorded:
        print(AfterBankCatalogue.alreadyRecorded(path).text)
        return false
    case .rejected(let diagnostics):
        for diagnostic in diagnostics { printError(diagnostic.description) }
        return true
    }
}

/// Ingests each of `files` (their detached signatures left to the ingest) with `ingest`, printing
/// each outcome with `kind` and `label`: the loop `statements ingest`, `treasury ingest` and
/// `refunds ingest` share. Exit status 1 when a file was refused.
func ingestEach(_ files: [String], meter: ProgressMeter, summary: inout RunSummary, kind: Message, label: (String) -> Message,
                stage: WorkProgress.Stage = .reconciling, _ ingest: @escaping @Sendable (String) async throws -> AfterBankIngest.Outcome) async throws {
    try await ingestEach(files, meter: meter, summary: &summary, kind: kind, label: label, stage: stage, ahead: 0,
                         prepare: { path in path }, commit: { path in try await ingest(path) })
}

/// The same loop in two steps: `prepare` (reading, verifying, matching: nothing written) runs for
/// up to `ahead` files beyond the one being committed, side by side on the cores; `commit` records
/// each in the order given, so that the latest of a bank and day is the last one named.
func ingestEach<Prepared: Sendable>(_ files: [String], meter: ProgressMeter, summary: inout RunSummary, kind: Message, label: (String) -> Message,
                                    stage: WorkProgress.Stage = .reconciling, ahead: Int = 1,
                                    prepare: @escaping @Sendable (String) async throws -> Prepared,
                                    commit: (Prepared) async throws -> AfterBankIngest.Outcome) async throws {
    let paths = files.filter { file in !SignatureSpec.detachedSuffixes.contains { file.hasSuffix($0) } }
    var refused = 0
    var pending: [Task<Prepared, any Error>] = []
    var next = 0
    func startNext() {
        guard next < paths.count else { return }
        let path = paths[next]
        next += 1
        pending.append(Task { try await prepare(path) })
    }
    startNext()
    meter.update(WorkProgress(stage, done: 0, total: paths.count))
    do {
        for (index, path) in paths.enumerated() {
            while pending.count < ahead + 1 && next < paths.count { startNext() }
            let task = pending.removeFirst()
            let outcome = try await reporting { try await commit(try await task.value) }
            meter.finish()
            if printAfterBank(path, outcome, kind: kind, label: label) { refused += 1 }
            meter.update(WorkProgress(stage, done: index + 1, total: paths.count))
            summary.files.append(path)
        }
    } catch {
        // The files read ahead are read under the workspace lock too: waited for before it is released.
        for task in pending { task.cancel() }
        for task in pending { _ = try? await task.value }
        throw error
    }
    summary.counts = ["files_refused": refused]
    if refused > 0 { throw ExitCode(1) }
}

/// `pikou statements ingest`.
struct StatementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statements", abstract: Catalogue.Help.statements.text, subcommands: [Ingest.self])

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.statementsIngest.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.statementsBank.text)) var bank: String
        @Option(help: ArgumentHelp(Catalogue.Help.statementsFormat.text)) var format: String?
        @Argument(help: ArgumentHelp(Catalogue.Help.statementFiles.text)) var files: [String]
        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("statements ingest") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let bankCode = try specCode(bank, option: "--bank")
                guard specs[bankCode] != nil else {
                    printError(PikouError("bank.notEnabled", Catalogue.bankNotEnabled(bankCode, config: workspace.configPath)).rendered)
                    throw ExitCode(1)
                }
                let formatSpec = AfterBankIngest.statementSpec(
                    bank: specs[bankCode]!, format: try reporting { try format.map { try workspace.formats.spec(try specCode($0, option: "--format")) } })
                let lock = try await locking.lock(workspace, command: "statements ingest", actor: options.actorName)
                defer { lock.release() }
                let ingest = try await options.open(workspace).afterBankIngest
                try await ingestEach(files, meter: meter, summary: &summary, kind: AfterBankCatalogue.statementKind, label: AfterBankCatalogue.entryState) { path in
                    try await ingest.ingestStatement(path: path, bank: bankCode, format: formatSpec, actor: options.actorName)
                }
            }
        }
    }
}

/// `pikou treasury ingest`.
struct TreasuryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "treasury", abstract: Catalogue.Help.treasury.text, subcommands: [Ingest.self])

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.treasuryIngest.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.treasuryAuthority.text)) var authority: String
        @Argument(help: ArgumentHelp(Catalogue.Help.treasuryFiles.text)) var files: [String]
        @OptionGroup var run: RunOptions
        @OptionGroup var locking: LockOptions

        func run() async throws {
            try await run.record("treasury ingest") { meter, summary in
                let workspace = try options.load()
                let (specs, _) = try options.specs(workspace)
                let spec = try reporting { try workspace.formats.authority(try specCode(authority, option: "--authority")) }
                let lock = try await locking.lock(workspace, command: "treasury ingest", actor: options.actorName)
                defer { lock.release() }
                let ingest = try await options.open(workspace).afterBankIngest
                let banks = Set(specs.keys), actor = options.actorName
                try await ingestEach(files, meter: meter, summary: &summary, kind: AfterBankCatalogue.treasuryKind, label: AfterBankCatalogue.treasuryState,
                                     prepare: { path in try await ingest.prepareTreasury(path: path, authority: spec, banks: banks) },
                                     commit: { prepared in try await ingest.commitTreasury(prepared, actor: actor) })
            }
        }
    }
}

/// `pikou reconcile show|review`.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile", abstract: Catalogue.Help.reconcile.text, subcommands: [Show.self, Review.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.reconcileShow.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.period.text), transform: periodArgument) var period: Period

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let chains = try await reporting { try await pikou.chainLegs(period: period) }
            let exceptions = try await reporting { try await pikou.afterBankExceptions(period: period) }
            print(AfterBankCatalogue.legsHeading.text)
            guard !chains.isEmpty else {
                print(AfterBankCatalogue.noLegs.text)
                throw ExitCode(2)
            }
            for line in chainTable(chains) { print(line) }
            print("")
            print(AfterBankCatalogue.exceptionsHeading.text)
            if exceptions.isEmpty { print(AfterBankCatalogue.noExceptions.text) } else {
                var table = TextTable(AfterBankCatalogue.exceptionColumns.enumerated().map { index, title in TextTable.Column(title.text, index == 4 ? .right : .left) })
                for exception in exceptions {
                    let id = (exception.subject == .statementEntry ? "S" : "T") + String(exception.id)
                    let state = exception.subject == .statementEntry ? AfterBankCatalogue.entryState(exception.state) : AfterBankCatalogue.treasuryState(exception.state)
                    let what = exception.subject == .statementEntry ? exception.reference : Masking.idNumber(exception.reference)
                    let mark = exception.review.map { AfterBankCatalogue.reviewedMark.text + "：" + $0 } ?? AfterBankCatalogue.openMark.text
                    table.add([id, exception.bank, exception.date.description, state.text, exception.amount.groupedYuanText, what, mark])
                }
                for line in table.lines() { print(line) }
            }
            if chains.contains(where: { $0.overall != .matched }) { throw ExitCode(2) }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.reconcileReview.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.reconcileID.text)) var id: String
        @Option(help: ArgumentHelp(Catalogue.Help.reconcileNote.text)) var note: String

        func run() async throws {
            let subject: AfterBankException.Subject
            switch id.uppercased().first {
            case "S": subject = .statementEntry
            case "T": subject = .treasuryLine
            default: throw usageError(Catalogue.Help.reconcileID)
            }
            guard let number = Int64(id.dropFirst()), number > 0 else { throw usageError(Catalogue.Help.reconcileID) }
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let changed = try await reporting { try await pikou.reviewAfterBank(subject, id: number, note: note, actor: options.actorName) }
            print(AfterBankCatalogue.reviewed(id.uppercased(), changed: changed).text)
        }
    }
}

/// `pikou bank statement`: the bank's collection-account statement, played from the ledger.
struct BankStatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement", abstract: Catalogue.Help.bankStatement.text)
    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.statementsBank.text)) var bank: String
    @Option(help: ArgumentHelp(Catalogue.Help.statementsFormat.text)) var format: String?
    @Option(help: ArgumentHelp(Catalogue.Help.afterBankDate.text)) var date: String?
    @Option(help: ArgumentHelp(Catalogue.Help.statementPeriod.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.simulateOut.text, valueName: "DIR")) var out: String
    @Option(help: ArgumentHelp(Catalogue.Help.statementShortBy.text)) var shortBy: String?
    @Option(help: ArgumentHelp(Catalogue.Help.statementOverBy.text)) var overBy: String?
    @Option(help: ArgumentHelp(Catalogue.Help.statementForeign.text)) var foreign: String?
    @Flag(help: ArgumentHelp(Catalogue.Help.statementReverse.text)) var reverse = false
    @Option(help: ArgumentHelp(Catalogue.Help.statementLateDays.text)) var lateDays = 0

    func run() async throws {
        let workspace = try options.load()
        let (specs, _) = try options.specs(workspace)
        let bankCode = try specCode(bank, option: "--bank")
        guard let bankSpec = specs[bankCode] else {
            printError(PikouError("bank.notEnabled", Catalogue.bankNotEnabled(bankCode, config: workspace.configPath)).rendered)
            throw ExitCode(1)
        }
        let formatSpec = AfterBankIngest.statementSpec(
            bank: bankSpec, format: try reporting { try format.map { try workspace.formats.spec(try specCode($0, option: "--format")) } })
        let twists = try reporting {
            AfterBankSimulator.StatementTwists(
                shortBy: try shortBy.map { try Money(yuan: $0) } ?? .zero, overBy: try overBy.map { try Money(yuan: $0) } ?? .zero, foreign: try foreign.map { try Money(yuan: $0) }, reverse: reverse, lateDays: lateDays)
        }
        let pikou = try await options.open(workspace)
        let files = try await reporting { try await pikou.settlementFiles(bank: bankCode) }
        // One day's statement, or one for the day after each collection day of the period's files,
        // each crediting the files collected the day before.
        let statements: [(day: CivilDate, files: [SettlementFile])]
        switch (date, period) {
        case (let date?, nil): statements = [(try parseDate(date, option: "--date"), files)]
        case (nil, let period?):
            let days = Set(files.filter { $0.period == period }.map(\.collectionDate)).sorted()
            statements = days.map { collected in (collected.adding(days: 1), files.filter { $0.period == period && $0.collectionDate == collected }) }
        default: throw usageError(Catalogue.Help.treasuryDateOrPeriod)
        }
        for statement in statements {
            let written = try reporting {
                try AfterBankSimulator(signing: workspace.signing).statement(
                    bank: bankCode, format: formatSpec, files: statement.files, collectorAccount: workspace.collector(for: bankCode).account,
                    date: statement.day, twists: twists, outputDirectory: out)
            }
            print(AfterBankCatalogue.simulated(written.path, lines: written.lines).text)
        }
    }
}

/// `pikou bank treasury`: the treasury's daily reconciliation of a bank, played from the ledger.
struct BankTreasuryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "treasury", abstract: Catalogue.Help.bankTreasury.text)
    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp(Catalogue.Help.treasuryAuthority.text)) var authority: String
    @Option(help: ArgumentHelp(Catalogue.Help.statementsBank.text)) var bank: String
    @Option(help: ArgumentHelp(Catalogue.Help.afterBankDate.text)) var date: String?
    @Option(help: ArgumentHelp(Catalogue.Help.treasuryPeriod.text), transform: periodArgument) var period: Period?
    @Option(help: ArgumentHelp(Catalogue.Help.Option.simulateOut.text, valueName: "DIR")) var out: String
    @Option(help: ArgumentHelp(Catalogue.Help.treasuryDrop.text)) var drop = 0
    @Option(help: ArgumentHelp(Catalogue.Help.treasuryExtra.text)) var extra = 0
    @Option(help: ArgumentHelp(Catalogue.Help.treasuryAmountOff.text)) var amountOff = 0

    func run() async throws {
        let workspace = try options.load()
        let spec = try reporting { try workspace.formats.authority(try specCode(authority, option: "--authority")) }
        let bankCode = try specCode(bank, option: "--bank")
        let pikou = try await options.open(workspace)
        // One day, or every collection day of the bank's files of a period.
        let days: [CivilDate]
        switch (date, period) {
        case (let date?, nil): days = [try parseDate(date, option: "--date")]
        case (nil, let period?):
            // (And the days the bank paid the period's refunds: their 退库 is on those days' files.)
            let refundDays = try await reporting { try await pikou.refunds.lines(period: period) }.filter { $0.bank == bankCode && $0.state == .paid }.map(\.fileDate)
            days = Set(try await reporting { try await pikou.settlementFiles(bank: bankCode) }.filter { $0.period == period }.map(\.collectionDate) + refundDays).sorted()
        default: throw usageError(Catalogue.Help.treasuryDateOrPeriod)
        }
        for day in days {
            let candidates = try await reporting { try await pikou.treasuryCandidates(bank: bankCode, date: day) }
            let refunds = try await reporting { try await pikou.treasuryRefunds(bank: bankCode, date: day) }
            let written = try reporting {
                try AfterBankSimulator(signing: workspace.signing).treasury(
                    authority: spec, bank: bankCode, collector: workspace.collector(for: bankCode).code, date: day, candidates: candidates, refunds: refunds,
                    twists: AfterBankSimulator.TreasuryTwists(drop: drop, extra: extra, amountOff: amountOff), outputDirectory: out)
            }
            print(AfterBankCatalogue.simulated(written.path, lines: written.lines).text)
        }
    }
}

/// The four legs of each bank as a screen table (``TextTable``: padded by display width).
func chainTable(_ chains: [ChainLegs]) -> [String] {
    var table = TextTable(AfterBankCatalogue.columns.enumerated().map { index, title in TextTable.Column(title.text, index >= 1 && index <= 4 ? .right : .left) })
    for chain in chains {
        let legs = chain.legs
        table.add([
            legs.bank, legs.listed.groupedYuanText, legs.succeeded.groupedYuanText, legs.credited?.groupedYuanText ?? "—", legs.booked?.groupedYuanText ?? "—",
            chain.bankState.label.text, chain.accountState.label.text, chain.treasuryState.label.text, chain.overall.label.text,
        ])
    }
    return table.lines()
}

/// `pikou certificates issue|verify`: payment certificates (缴费凭证) and their verification codes.
struct CertificatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certificates", abstract: Catalogue.Help.certificates.text, subcommands: [Issue.self, Verify.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.certificatesIssue.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.payerID.text)) var payer: String
        @Option(help: ArgumentHelp(Catalogue.Help.certificatePeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.certificateYear.text)) var year: Int?
        @Option(help: ArgumentHelp(Catalogue.Help.certificateOut.text, valueName: "FILE.html")) var out: String

        func validate() throws {
            guard (period == nil) != (year == nil) else { throw usageError(Catalogue.Help.certificatePeriodOrYear) }
            if let year, !(1900...9999).contains(year) { throw usageError(Catalogue.Help.certificatePeriodOrYear) }
        }

        func run() async throws {
            let idNumber = try idNumberArgument(payer, option: "--payer")
            let workspace = try options.load()
            let (specs, _) = try options.specs(workspace)
            let pikou = try await options.open(workspace)
            let scope: PaymentCertificate.Scope = period.map { .period($0) } ?? .year(year!)
            guard let certificate = try await reporting({ try await pikou.certificates.issue(idNumber: idNumber, scope: scope) }) else {
                printError(PikouError("payer.unknown", Catalogue.noSuchPayer(idNumber.masked)).rendered)
                throw ExitCode(1)
            }
            let page = CertificatePrint.html(certificate, bankName: { specs[$0]?.displayName ?? $0 }, issued: todayInChina())
            try reporting { try FileIO.writeAtomically(Array(page.utf8), to: out) }
            try await reporting { try await pikou.journal(actor: options.actorName, action: "certificate.issue", subject: idNumber.masked, detail: "\(scope)") }
            print(AfterBankCatalogue.certificateWritten(out, code: certificate.code, entries: certificate.entries.count,
                                                        total: certificate.total?.groupedYuanText ?? "—").text)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.certificatesVerify.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.certificateCode.text)) var code: String

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            switch try await reporting({ try await pikou.certificates.verify(code) }) {
            case .valid(let certificate):
                print(AfterBankCatalogue.certificateValid(certificate).text)
            case .invalid:
                print(AfterBankCatalogue.certificateInvalid.text)
                throw ExitCode(1)
            }
        }
    }
}
