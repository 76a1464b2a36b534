public import BankFormats
public import PikouCore

/// Matches a statement's entries to the debit files they settle: a pure rule, the store keeps what
/// it decides.
///
/// A credit names its file by the reference the bank gives (the layout's `file_reference` says how
/// the bank forms it from the file); without one it is matched by date and amount, to the one file
/// whose outstanding amount it equals and whose collection date is not after it — never guessed:
/// two such files make it ``EntryState/ambiguous``. Entries are taken in order, so a second credit
/// completes a file a first one left short.
public struct StatementMatcher: Sendable {
    /// The bank's debit files, each with what earlier statements credited.
    public private(set) var files: [SettlementFile]
    /// How the bank names a file in its entries, when it does.
    let reference: FileNamePattern?
    let bank: String
    /// Calendar days after its collection date within which a file's credit is on time.
    public let settlementDays: Int

    /// The days a credit may take after its file's collection date before it is late.
    public static let defaultSettlementDays = 3

    public init(files: [SettlementFile], layout: Layout, bank: String, settlementDays: Int = StatementMatcher.defaultSettlementDays) {
        self.files = files
        self.reference = layout.fileReference.flatMap { try? FileNamePattern($0) }
        self.bank = bank
        self.settlementDays = settlementDays
    }

    /// The reference the bank gives `file` in its entries.
    public func reference(of file: SettlementFile) -> String? {
        reference?.fileName(bank: bank, kind: .debit, context: FileContext(
            collector: file.collector, bankCode: bank, batchNo: file.batchNo, fileDate: file.fileDate, collectionDate: file.collectionDate))
    }

    /// Matches `lines` in order (their values dated `fileDate` when a line gives no value date).
    public mutating func match(_ lines: [ParsedLine], fileDate: CivilDate) -> [StatementEntry] {
        var byReference: [String: Int] = [:]
        if reference != nil {
            for (index, file) in files.enumerated() { if let name = self.reference(of: file) { byReference[name] = index } }
        }
        return lines.map { parsed in
            let line = parsed.line
            let date = line.valueDate ?? fileDate
            let named = line.reference.isEmpty ? nil : byReference[line.reference]
            var entry = StatementEntry(lineNo: parsed.lineNumber, entry: parsed.entry?.rawValue ?? "", amount: line.amount, valueDate: date,
                                       reference: line.reference, bankSerial: line.bankSerial, fileID: nil, state: .other)
            switch parsed.entry {
            case .credit:
                let index: Int?
                if !line.reference.isEmpty {
                    index = named
                    if index == nil { entry.state = .unmatched }
                } else {
                    let candidates = files.indices.filter { files[$0].outstanding == line.amount && files[$0].collectionDate <= date }
                    index = candidates.count == 1 ? candidates[0] : nil
                    if candidates.count > 1 { entry.state = .ambiguous } else if candidates.isEmpty { entry.state = .unmatched }
                }
                guard let index, let outstanding = files[index].outstanding, let credited = try? files[index].credited.adding(line.amount) else { break }
                entry.fileID = files[index].id
                files[index].credited = credited
                if line.amount < outstanding {
                    entry.state = .short
                } else if line.amount > outstanding {
                    entry.state = .over
                } else {
                    entry.state = files[index].collectionDate.days(to: date) > settlementDays ? .late : .settled
                }
            case .reversal:
                entry.state = .reversed
                // A reversal takes back the credit of the file it names; without a name it is for people to place.
                guard let named, let credited = try? files[named].credited.subtracting(line.amount) else { break }
                entry.fileID = files[named].id
                files[named].credited = credited
            default:
                entry.state = .other
            }
            return entry
        }
    }
}
