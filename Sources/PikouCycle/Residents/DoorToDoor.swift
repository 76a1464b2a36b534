import Foundation
import ReconStore
public import PikouCore

/// 上门催缴名单: for each village (or community), the residents whose dues of the year are not yet
/// paid — owed, not collected, not at a bank right now, not paid elsewhere —, with tier, amount and
/// how to pay, for the grid worker (网格员) who visits the households. Printable (the console's print
/// view: title, 缴费期, 公示期, signature lines) and as one XLSX per village.
public struct DoorToDoorList: Sendable {
    /// A village's list.
    public struct Village: Sendable, Hashable {
        public var district: String
        public var street: String
        public var community: String
        /// One row per person and insurance, by name.
        public var rows: [UnpaidResident]

        /// `district street community`, as the grid names the unit.
        public var unit: String { [district, street, community].joined(separator: " ") }
        public var persons: Int { Set(rows.map(\.idNumber)).count }
        /// The amount still owed, checked (nil past 64-bit fen).
        public var total: Money? { try? rows.map(\.personal).checkedSum() }
    }

    public var year: Int
    /// The collection window of the year's policy.
    public var window: (from: CivilDate, to: CivilDate)
    public var villages: [Village]

    public init(year: Int, window: (from: CivilDate, to: CivilDate), rows: [UnpaidResident]) {
        self.year = year
        self.window = window
        var villages: [Village] = []
        for row in rows {
            if let last = villages.last, last.district == row.district, last.street == row.street, last.community == row.community {
                villages[villages.count - 1].rows.append(row)
            } else {
                villages.append(Village(district: row.district, street: row.street, community: row.community, rows: [row]))
            }
        }
        self.villages = villages
    }

    /// The village named `unit` (`district street community`), if anyone there owes.
    public func village(_ unit: String) -> Village? { villages.first { $0.unit == unit } }

    /// How a resident pays outside the debit: at the bank of the agreement, or any channel.
    public static func howToPay(_ row: UnpaidResident, bankName: (String) -> String) -> Message {
        row.bank.isEmpty ? Catalogue.payAnyChannel : Catalogue.payAtBank(bankName(row.bank))
    }

    /// The list's title: `示范县 城关镇 东村 2027年度城乡居民两险未缴费名单`.
    public static func title(_ village: Village, year: Int) -> Message {
        Catalogue.doorToDoorTitle(place: [village.district, village.street, village.community].filter { !$0.isEmpty }.joined(separator: " "), year: year)
    }

    /// The column titles, in order.
    public static let columns = [Catalogue.doorSeq, Catalogue.feedbackName, Catalogue.feedbackID, Catalogue.doorPhone, Catalogue.insuranceColumn,
                                 Catalogue.doorTier, Catalogue.doorOwed, Catalogue.doorHowToPay, Catalogue.doorSignature]

    /// A row's cells as printed (masked: the list is posted for the 公示期).
    public static func cells(_ row: UnpaidResident, number: Int, bankName: (String) -> String, language: Language) -> [String] {
        [String(number), Masking.name(row.name), row.idNumber.masked, Masking.phone(row.phone), Catalogue.insurance(row.insurance).text(language),
         row.tier.map(\.groupedYuanText) ?? "—", row.personal.groupedYuanText, howToPay(row, bankName: bankName).text(language), ""]
    }

    /// Writes `village`'s list as an XLSX at `path`: the title, the window and a blank 公示期, the rows,
    /// the total, the signature lines.
    public func writeXLSX(_ village: Village, to path: String, bankName: (String) -> String, language: Language = .current) throws {
        let book = try XLSXWorkbook(path: path)
        let sheet = try book.sheet(Catalogue.doorToDoorSheet.text(language))
        let columns = Self.columns
        sheet.title(row: 0, columns: columns.count, Self.title(village, year: year).text(language))
        sheet.text(row: 1, column: 0, Catalogue.doorWindow(from: window.from, to: window.to).text(language))
        sheet.text(row: 2, column: 0, Catalogue.doorPublicity.text(language))
        for (column, title) in columns.enumerated() { sheet.header(row: 3, column: column, title.text(language)) }
        for (index, row) in village.rows.enumerated() {
            let at = index + 4
            for (column, cell) in Self.cells(row, number: index + 1, bankName: bankName, language: language).enumerated() {
                switch column {
                case 0: sheet.number(row: at, column: 0, Int64(index + 1))
                case 2, 3: sheet.literal(row: at, column: column, cell)
                case 5: if let tier = row.tier { sheet.yuan(row: at, column: 5, fen: tier.fen) } else { sheet.text(row: at, column: 5, cell) }
                case 6: sheet.yuan(row: at, column: 6, fen: row.personal.fen)
                default: sheet.text(row: at, column: column, cell)
                }
            }
        }
        let footer = village.rows.count + 4
        sheet.text(row: footer, column: 0, Catalogue.total.text(language), strong: true)
        sheet.text(row: footer, column: 1, Catalogue.doorCount(persons: village.persons, lines: village.rows.count).text(language), strong: true)
        if let total = village.total { sheet.yuan(row: footer, column: 6, fen: total.fen, strong: true) }
        sheet.text(row: footer + 2, column: 0, Catalogue.doorSignatures.text(language))
        sheet.widths(first: 0, last: 0, 6)
        sheet.widths(first: 1, last: 1, 10)
        sheet.widths(first: 2, last: 2, 21)
        sheet.widths(first: 3, last: 3, 14)
        sheet.widths(first: 4, last: 6, 11)
        sheet.widths(first: 7, last: 7, 34)
        sheet.widths(first: 8, last: 8, 16)
        try book.close()
    }

    /// A file name for `village`'s list: its unit's parts joined by `-`, unsafe characters replaced.
    public static func fileName(_ village: Village, year: Int) -> String {
        let place = [village.district, village.street, village.community].filter { !$0.isEmpty }.joined(separator: "-")
        let safe = String(place.map { "/\\:*?\"<>|\0".contains($0) || $0.isNewline ? "_" : $0 })
        return "\(year)-未缴费名单-\(safe.hasPrefix(".") ? "_" + safe : safe).xlsx"
    }
}

extension UseCases {
    /// The door-to-door lists of `year` (the latest residents' year by default).
    public func doorToDoor(year: Int?) async throws -> DoorToDoorList {
        let policy = try residentsPolicy(year: year)
        return DoorToDoorList(year: policy.year, window: (policy.windowFrom, policy.windowTo), rows: try await store.unpaidResidents(year: policy.year))
    }
}
