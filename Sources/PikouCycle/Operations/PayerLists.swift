public import PikouCore

/// A column of a list: its stable key (CSV header, JSON key) and its title on screen.
public struct ListColumn: Sendable {
    public var key: String
    public var title: Message
    public var alignment: TextTable.Alignment = .left
    /// On a screen narrower than the table: left out in this rank (``TextTable/Column/drop``), or cut.
    public var drop: Int?
    public var shrinks = false
    public init(_ key: String, _ title: Message, _ alignment: TextTable.Alignment = .left, drop: Int? = nil, shrinks: Bool = false) {
        self.key = key
        self.title = title
        self.alignment = alignment
        self.drop = drop
        self.shrinks = shrinks
    }
}

/// What a CSV's first line holds: the columns' titles in the reader's language, with words in the
/// cells (the default: a CSV a person opens), or the stable keys, with codes in the cells
/// (`--columns keys`: a CSV a program reads, the same in every language).
public enum CSVHeaders: String, Sendable, CaseIterable {
    case titles, keys
}

/// A list's cells: `screen` for tables and pages (yuan grouped by thousands, words in the
/// catalogue's language), `words` for a person's CSV (plain yuan, words), `data` for a program's
/// CSV and JSON (plain yuan, stable codes).
public struct ListCell: Sendable {
    public var screen: String
    public var words: String
    public var data: String
    public init(_ text: String) { (screen, words, data) = (text, text, text) }
    public init(screen: String, data: String) { (self.screen, words, self.data) = (screen, screen, data) }
    public init(_ money: Money) { (screen, words, data) = (money.groupedYuanText, money.yuanText, money.yuanText) }
    public init(_ message: Message, code: String) { (screen, words, data) = (message.text, message.text, code) }

    /// CSV (UTF-8 with a BOM, for Excel; Excel-safe cells): the columns' titles and the rows' words,
    /// or their keys and data.
    public static func csv(_ columns: [ListColumn], _ rows: [[ListCell]], headers: CSVHeaders = .titles) -> [UInt8] {
        let keys = headers == .keys
        var text = "\u{FEFF}" + CSVCell.line(columns.map { keys ? $0.key : $0.title.text }) + "\n"
        for row in rows { text += CSVCell.line(row.map { keys ? $0.data : $0.words }) + "\n" }
        return Array(text.utf8)
    }
}

/// The payer lists finance and the communities ask for (`pikou lists`, the console's downloads):
/// their columns and cells in one place. ID numbers are always masked (these lists are posted and
/// handed out); names and phones are whole only where `whole` says the reader may call the payer.
public enum PayerList: String, Sendable, CaseIterable {
    /// 公示清册: who paid for the period.
    case notice
    /// 断缴提醒: whose debits failed months in a row.
    case interrupted
    /// 退费: dues collected by debit and also paid elsewhere.
    case refunds

    public var title: Message {
        switch self {
        case .notice: Message(zh: "公示清册", en: "Public notice list")
        case .interrupted: Message(zh: "断缴提醒", en: "Interrupted payers")
        case .refunds: Message(zh: "退费名单", en: "Refunds")
        }
    }

    public var columns: [ListColumn] {
        switch self {
        case .notice:
            [ListColumn("district", Catalogue.district), ListColumn("street", Catalogue.street), ListColumn("community", Catalogue.community),
             ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("amount_yuan", Catalogue.amountYuan, .right)]
        case .interrupted:
            [ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("phone", Catalogue.phone),
             ListColumn("district", Catalogue.district), ListColumn("street", Catalogue.street), ListColumn("community", Catalogue.community),
             ListColumn("failed_yuan", Catalogue.failedYuan, .right), ListColumn("outcomes", Catalogue.outcome)]
        case .refunds:
            [ListColumn("payer", Catalogue.payer), ListColumn("name", Catalogue.name), ListColumn("phone", Catalogue.phone),
             ListColumn("amount_yuan", Catalogue.amountYuan, .right), ListColumn("paid_twice", Catalogue.paidTwice)]
        }
    }

    /// - Parameter whole: names and phones whole (an operator calling payers: `pikou lists`, the
    ///   console's operators); otherwise masked (finance, auditors).
    public func cells(_ line: PayerLine, whole: Bool = true, language: Language = .current) -> [ListCell] {
        let name = whole ? line.name : Masking.name(line.name), phone = whole ? line.phone : Masking.phone(line.phone)
        switch self {
        case .notice:
            return [ListCell(line.district), ListCell(line.street), ListCell(line.community), ListCell(line.idNumber.masked),
                    ListCell(Masking.name(line.name)), ListCell(line.amount)]
        case .interrupted:
            return [ListCell(line.idNumber.masked), ListCell(name), ListCell(phone), ListCell(line.district), ListCell(line.street),
                    ListCell(line.community), ListCell(line.amount), ListCell(screen: Self.outcomeLabels(line.detail, language), data: line.detail)]
        case .refunds:
            return [ListCell(line.idNumber.masked), ListCell(Masking.name(line.name)), ListCell(phone), ListCell(line.amount),
                    ListCell(screen: Self.paidTwiceLabels(line.detail, language), data: line.detail)]
        }
    }

    /// The refund list's "paid twice" codes (`pension 202612 debit + counter:R1; medical …`) in the
    /// catalogue's words: 养老保险 202612 批扣＋柜面（R1）.
    static func paidTwiceLabels(_ detail: String, _ language: Language) -> String {
        guard language == .zh else { return detail }
        return detail.split(separator: ";").map { piece in
            let entry = piece.trimmingPrefix(" ")
            let parts = entry.split(separator: " ", maxSplits: 4).map(String.init)
            guard parts.count == 5, parts[2] == "debit", parts[3] == "+", let insurance = Insurance(parts[0]) else { return String(entry) }
            let paid = parts[4].split(separator: ":", maxSplits: 1).map(String.init)
            let channel = Catalogue.paymentChannel(paid[0]).zh
            return "\(Catalogue.insurance(insurance).zh) \(parts[1]) 批扣＋\(channel)" + (paid.count > 1 ? "（\(paid[1])）" : "")
        }.joined(separator: "；")
    }

    /// A list of outcome codes (`insufficientFunds,accountFrozen`) in the catalogue's words.
    static func outcomeLabels(_ codes: String, _ language: Language) -> String {
        codes.split(separator: ",").map { code in Outcome(rawValue: String(code)).map { Catalogue.outcome($0).text(language) } ?? String(code) }
            .joined(separator: language == .zh ? "、" : ",")
    }
}
