public import PikouCore
import ReconStore

/// A period at a glance (the console's 总览): its files, the reconciliation by bank with 钱表相符,
/// and each bank's files added up.
public struct PeriodOverview: Sendable {
    public var files: [FileStatus]
    public var report: ReconciliationReport
    /// Each bank's files added up, by bank code.
    public var banks: [(bank: String, totals: FileStatus.Totals)]
    /// Every bank's files added up (合计).
    public var total: FileStatus.Totals
    /// Files reserved in the store and never written.
    public var unwritten: [FileStatus] { files.filter { $0.state == .reserved } }
}

/// One level of the grid (区 → 街道 → 社区) under a parent: the rows named relative to it, and their
/// subtotal (or the whole period's total at the top).
public struct GridSlice: Sendable {
    public var level: ReportGrouping
    /// The parent's key (`D` or `D S`); empty at the top.
    public var parent: String
    /// Each child row with its name under the parent.
    public var rows: [(name: String, row: ReportRow)]
    public var total: ReportRow
    /// Whether `total` is a subtotal under a parent (else the period's total).
    public var isSubtotal: Bool { !parent.isEmpty }

    /// The slice of `rows` (keyed `D`, `D S`, `D S C`: a parent's key and a space start its
    /// children's) under `district` and, at the community level, `street`.
    public static func of(_ report: ReconciliationReport, level: ReportGrouping, district: String?, street: String?) throws -> GridSlice {
        let parent = [district, level == .community ? street : nil].compactMap { $0 }.joined(separator: " ")
        let prefix = parent.isEmpty ? "" : parent + " "
        let shown = report.rows.filter { prefix.isEmpty || $0.group.hasPrefix(prefix) }
        var total = report.total
        if !prefix.isEmpty {
            total = ReportRow(group: parent)
            for row in shown { try total.add(row) }
        }
        return GridSlice(level: level, parent: parent, rows: shown.map { (String($0.group.dropFirst(prefix.count)), $0) }, total: total)
    }
}

/// A debit file of a period with its id and the return files that answered it (报表下载).
public struct BankFileRow: Sendable {
    public var status: FileStatus
    /// The debit file's id in the store (nil: not found, never the case for a stored file).
    public var debitFileID: Int64?
    public var returns: [StoredReturnFile]
}

extension UseCases {
    /// The period at a glance: files, the reconciliation by bank, each bank's files added up.
    public func overview(period: Period) async throws -> PeriodOverview {
        let files = try await store.status(period: period)
        var banks: [String: FileStatus.Totals] = [:]
        var total = FileStatus.Totals()
        for file in files {
            var totals = banks[file.bank] ?? FileStatus.Totals()
            try totals.add(file.totals)
            try total.add(file.totals)
            banks[file.bank] = totals
        }
        return PeriodOverview(files: files, report: try await report(period: period, by: .bank),
                              banks: banks.keys.sorted().map { ($0, banks[$0]!) }, total: total)
    }

    /// Collection by grid level under a district (and street): ``GridSlice/of(_:level:district:street:)``.
    public func grid(period: Period, level: ReportGrouping, district: String?, street: String?) async throws -> GridSlice {
        try GridSlice.of(try await report(period: period, by: level), level: level, district: district, street: district == nil ? nil : street)
    }

    /// The debit files of `period` with their ids and the return files that answered each.
    public func bankFiles(period: Period) async throws -> [BankFileRow] {
        var ids: [String: Int64] = [:]
        for file in try await store.allDebitFiles() { ids[file.bank + "/" + file.name] = file.id }
        let answers = Dictionary(grouping: try await store.allReturnFiles(), by: \.debitFileID)
        return try await store.status(period: period).map { file in
            let id = ids[file.bank + "/" + file.fileName]
            return BankFileRow(status: file, debitFileID: id, returns: id.map { answers[$0] ?? [] } ?? [])
        }
    }
}
