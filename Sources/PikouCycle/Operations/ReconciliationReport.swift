public import BankFormats
public import PikouCore
import Foundation
public import ReconStore

/// The finance report of one period: groups, exceptions, and the 钱表相符 check that the store's
/// money equals the banks' return trailers, to the fen.
public struct ReconciliationReport: Sendable {
    public var period: Period
    public var grouping: ReportGrouping
    public var rows: [ReportRow]
    public var total: ReportRow
    public var exceptions: [ExceptionRecord]
    public var returns: [ReturnTotals]
    /// 钱表相符: the state of the period's money and what makes it so.
    public var check: MoneyCheck
    /// Whether the money matches (every line decided, nothing differs, nothing open).
    public var matches: Bool { check.state == .match }
    /// The 钱表相符 headline, then one line per difference or pending item.
    public var matchLines: [String] { check.lines }
    /// The journal's head when the report was made: printed with it, so that the printed copy
    /// anchors the journal (`pikou check --anchor`).
    public var journalHead: JournalHead?
    /// Each bank's four legs (dues listed, bank results, account credits, treasury booked).
    public var chain: [ChainLegs] = []

    /// The whole chain's state: the list against the bank (``check``), then — once the period has a
    /// statement or a treasury file recorded — the account and treasury legs of every bank, a bank
    /// with none counting as 未结清. A period nobody reconciles after the bank is judged as before.
    public var verdict: MoneyCheck.State {
        let afterBank = chain.contains { $0.legs.credited != nil || $0.legs.booked != nil }
        guard afterBank, check.state != .noData else { return check.state }
        var states = [check.state]
        for legs in chain {
            for leg in [legs.accountState, legs.treasuryState] {
                switch leg {
                case .matched: states.append(.match)
                case .unsettled, .noData: states.append(.pending)
                case .mismatched: states.append(.mismatch)
                }
            }
        }
        for state in [MoneyCheck.State.mismatch, .pending] where states.contains(state) { return state }
        return .match
    }

    /// Builds the report from the store.
    ///
    /// - Throws: ``Money/OverflowError`` if the groups' amounts add up past 64-bit fen.
    public static func build(store: any ReconStore, period: Period, by grouping: ReportGrouping) async throws -> ReconciliationReport {
        let rows = try await store.report(period: period, by: grouping)
        var total = ReportRow(group: "TOTAL")
        for row in rows { try total.add(row) }
        let returns = try await store.returnTotals(period: period)
        let exceptions = try await store.exceptions(period: period)
        let check = MoneyCheck.decide(files: try await store.status(period: period), returns: returns, exceptions: exceptions,
                                      confirmed: try await store.confirmedTotals(period: period))
        var report = ReconciliationReport(period: period, grouping: grouping, rows: rows, total: total, exceptions: exceptions,
                                          returns: returns, check: check, journalHead: try await store.journalHead())
        report.chain = try await store.afterBankLegs(period: period).map(ChainLegs.init)
        return report
    }

    /// The columns of the report, in order.
    public static let columns = [
        "group", "payers_owing", "owing_yuan", "payers_paid", "paid_yuan", "paid_rate", "lines", "lines_yuan", "succeeded", "succeeded_yuan",
        "failed", "failed_yuan", "pending", "pending_yuan", "success_rate",
    ]

    /// A rate as a percentage with one decimal, rounded half up (``Percentage``), from integers.
    public static func rate(_ part: Int, _ whole: Int) -> String {
        Percentage.text(Int64(part), of: Int64(whole)).map { $0 + "%" } ?? ""
    }

    /// One of the report's figures after its group: a count, an amount, or a rate of two counts.
    enum Figure {
        case count(KeyPath<ReportRow, Int>), yuan(KeyPath<ReportRow, Int64>), rate(KeyPath<ReportRow, Int>, KeyPath<ReportRow, Int>)

        /// The figure as text: yuan plain (CSV) or grouped by thousands (screen).
        func text(_ row: ReportRow, grouped: Bool) -> String {
            switch self {
            case .count(let path): String(row[keyPath: path])
            case .yuan(let path): grouped ? Money(fen: row[keyPath: path]).groupedYuanText : Money(fen: row[keyPath: path]).yuanText
            case .rate(let part, let whole): ReconciliationReport.rate(row[keyPath: part], row[keyPath: whole])
            }
        }
    }

    /// The figures after the group, in ``columns`` order, with their titles: the CSV, the screen
    /// table and the workbook all read this one list.
    static var figures: [(title: Message, figure: Figure)] { [
        (Catalogue.payersOwing, .count(\.payersOwing)), (Catalogue.owingYuan, .yuan(\.owingFen)), (Catalogue.payersPaid, .count(\.payersPaid)),
        (Catalogue.paidYuan, .yuan(\.paidFen)), (Catalogue.paidRate, .rate(\.payersPaid, \.payersOwing)), (Catalogue.lines, .count(\.lines)),
        (Catalogue.submittedYuan, .yuan(\.linesFen)), (Catalogue.succeeded, .count(\.succeeded)), (Catalogue.succeededYuan, .yuan(\.succeededFen)),
        (Catalogue.failed, .count(\.failed)), (Catalogue.failedYuan, .yuan(\.failedFen)), (Catalogue.pending, .count(\.pending)),
        (Catalogue.pendingYuan, .yuan(\.pendingFen)), (Catalogue.successRate, .rate(\.succeeded, \.lines)),
    ] }

    /// One row as text cells, money as yuan.
    public static func cells(_ row: ReportRow) -> [String] {
        [row.group] + figures.map { $0.figure.text(row, grouped: false) }
    }

    /// The table's columns on a screen, in the catalogue's words.
    public static var screenColumns: [TextTable.Column] {
        // On a narrow screen (`--wide` shows all): the yuan go first, the counts and rates stay; the
        // 钱表相符 lines beneath carry the money.
        let drops: [Int: Int] = [12: 1, 11: 2, 6: 3, 8: 4, 3: 5, 10: 6, 1: 7]
        return [TextTable.Column(Catalogue.group.text, .left)]
            + figures.enumerated().map { index, figure in TextTable.Column(figure.title.text, .right, drop: drops[index]) }
    }

    /// A group's cells on a screen: yuan grouped by thousands.
    public static func screenCells(_ row: ReportRow) -> [String] {
        [row.group == "TOTAL" ? Catalogue.total.text : row.group] + figures.map { $0.figure.text(row, grouped: true) }
    }

    /// CSV: the groups, the total, a blank line, then the 钱表相符 lines. UTF-8 with BOM (Excel) or GBK.
    /// With `headers` `.titles` (a person's) the columns are titled and the total is 合计, in the
    /// reader's language; with `.keys` (a program's) they are the stable keys and `TOTAL`.
    public func csv(encoding: FileEncoding, headers: CSVHeaders = .titles) -> [UInt8] {
        let titles = headers == .titles
        var text = CSVCell.line(titles ? [Catalogue.group.text] + Self.figures.map(\.title.text) : Self.columns) + "\r\n"
        for row in rows + [total] {
            var cells = Self.cells(row)
            if titles && row.group == "TOTAL" { cells[0] = Catalogue.total.text }
            text += CSVCell.line(cells) + "\r\n"
        }
        text += "\r\n"
        for line in matchLines { text += CSVCell.text(line) + "\r\n" }
        let bytes = encoding == .utf8BOM || encoding == .utf8 ? Array(text.utf8) : (encoding.encode(text) ?? Array(text.utf8))
        return (encoding == .utf8BOM ? [0xEF, 0xBB, 0xBF] : []) + bytes
    }

    /// JSON following `docs/report.schema.json`: amounts in integer fen, never floating point.
    public func json() throws -> [UInt8] {
        struct Row: Encodable {
            let group: String
            let payers_owing: Int, owing_fen: Int64, payers_paid: Int, paid_fen: Int64
            let lines: Int, lines_fen: Int64, succeeded: Int, succeeded_fen: Int64, failed: Int, failed_fen: Int64, pending: Int, pending_fen: Int64
            init(_ r: ReportRow) {
                group = r.group; payers_owing = r.payersOwing; owing_fen = r.owingFen; payers_paid = r.payersPaid; paid_fen = r.paidFen
                lines = r.lines; lines_fen = r.linesFen; succeeded = r.succeeded; succeeded_fen = r.succeededFen
                failed = r.failed; failed_fen = r.failedFen; pending = r.pending; pending_fen = r.pendingFen
            }
        }
        struct Exception: Encodable { let bank: String, return_file: String, line: Int, kind: String, detail: String, resolved: Bool }
        struct ReturnFile: Encodable {
            let bank: String, name: String, debit_file: String, declared_count: Int?, declared_fen: Int64?, stored_count: Int, stored_fen: Int64
        }
        struct Leg: Encodable {
            let bank: String, listed_fen: Int64, succeeded_fen: Int64, credited_fen: Int64?, booked_fen: Int64?
            let bank_state: String, account_state: String, treasury_state: String, state: String
            let account_exceptions: Int, treasury_exceptions: Int
        }
        struct Document: Encodable {
            let schema = "pikou-report/1"
            let period: String, grouping: String
            let rows: [Row], total: Row
            let exceptions: [Exception], return_files: [ReturnFile]
            let money_matches: Bool, money_state: String, money_check: [String]
            let chain: [Leg], chain_state: String
            let journal_head: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = Document(
            period: period.description, grouping: grouping.rawValue, rows: rows.map(Row.init), total: Row(total),
            exceptions: exceptions.map { Exception(bank: $0.bank, return_file: $0.returnFile, line: $0.line, kind: $0.kind.rawValue, detail: $0.detail.en, resolved: $0.resolved) },
            return_files: returns.map { ReturnFile(bank: $0.bank, name: $0.name, debit_file: $0.debitFile, declared_count: $0.declaredCount, declared_fen: $0.declaredFen, stored_count: $0.storedCount, stored_fen: $0.storedFen) },
            money_matches: matches, money_state: check.state.rawValue, money_check: check.lines(.en),
            chain: chain.map { Leg(bank: $0.legs.bank, listed_fen: $0.legs.listed.fen, succeeded_fen: $0.legs.succeeded.fen, credited_fen: $0.legs.credited?.fen,
                                   booked_fen: $0.legs.booked?.fen, bank_state: $0.bankState.rawValue, account_state: $0.accountState.rawValue,
                                   treasury_state: $0.treasuryState.rawValue, state: $0.overall.rawValue,
                                   account_exceptions: $0.legs.creditExceptions, treasury_exceptions: $0.legs.treasuryExceptions) },
            chain_state: verdict.rawValue, journal_head: journalHead?.text)
        return Array(try encoder.encode(document)) + [10]
    }
}
