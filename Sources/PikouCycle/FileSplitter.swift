import BankFormats
import PikouCore
import ReconStore

/// Cuts one bank's debits into files as they come, within the bank's limits of records and total
/// per file; a debit over the total limit on its own is left out (counted as over the file limit).
struct FileSplitter {
    let spec: BankSpec
    private var files: [[PlannedDebit]] = []
    private var current: [PlannedDebit] = []
    private var total = Money.zero

    init(spec: BankSpec) { self.spec = spec }

    mutating func add(_ debit: PlannedDebit, summary: inout CycleBankSummary) {
        if let limit = spec.maxTotalPerFile, debit.amount > limit {
            summary.excluded[.overFileLimit, default: 0] += debit.dueIDs.count
            return
        }
        let next = (try? total.adding(debit.amount)) ?? Money(fen: .max)
        if current.count == spec.maxRecordsPerFile || (spec.maxTotalPerFile.map { next > $0 } ?? false) {
            closeFile()
        }
        current.append(debit)
        total = (try? total.adding(debit.amount)) ?? Money(fen: .max)
        summary.lines += 1
        summary.payers += 1
        summary.total = (try? summary.total.adding(debit.amount)) ?? summary.total
    }

    /// The debits in files already closed (full), not yet taken.
    private(set) var closedDebits = 0

    /// The files closed so far, in order; the file still filling stays.
    mutating func takeClosed() -> [[PlannedDebit]] {
        defer { files = []; closedDebits = 0 }
        return files
    }

    /// The files, in order.
    consuming func finish() -> [[PlannedDebit]] {
        if !current.isEmpty { closeFile() }
        return files
    }

    /// A closed file keeps just its own lines; the growing buffer is reused for the next one.
    private mutating func closeFile() {
        var file: [PlannedDebit] = []
        file.reserveCapacity(current.count)
        file.append(contentsOf: current)
        files.append(file)
        closedDebits += file.count
        current.removeAll(keepingCapacity: true)
        total = .zero
    }
}

extension Optional where Wrapped == CivilDate {
    func orThrow() throws -> CivilDate {
        guard let self else { throw PikouError("cycle.refused", Message(zh: "没有这个日期", en: "no such date")) }
        return self
    }
}
