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
    @Flag(help: ArgumentHelp(Catalogue.Help.Option.wide.text)) var wide = false
    var value: Int? { limit > 0 ? limit : nil }
    /// The width tables fit: the screen's, or with --wide as wide as their cells.
    var width: Int? { wide ? nil : TextTable.screenWidth }
}

/// `--columns` of a CSV: titles and words for a person (the default), keys and codes for a program.
struct CSVColumnsOption: ParsableArguments {
    @Option(name: .customLong("columns"), help: ArgumentHelp(Catalogue.Help.Option.csvColumns.text)) var headers: CSVHeaders = .titles
}


/// Prints rows as a table padded by display width (at most `limit` rows, counting the rest), CSV
/// (UTF-8 with BOM, Excel-safe cells: titles and words, or with `headers` `.keys` the columns'
/// stable keys and codes) or JSON lines with the columns' stable keys.
func printRows(_ columns: [ListColumn], _ rows: [[ListCell]], format: ListFormat, limit: Int? = nil, width: Int? = nil, headers: CSVHeaders = .titles) {
    switch format {
    case .table:
        var table = TextTable(columns.map { TextTable.Column($0.title.text, $0.alignment, drop: $0.drop, shrinks: $0.shrinks) })
        for row in rows { table.add(row.map(\.screen)) }
        for line in table.lines(limit: limit, width: width) { print(line) }
    case .csv:
        FileHandle.standardOutput.write(Data(ListCell.csv(columns, rows, headers: headers)))
    case .json:
        for row in rows {
            let object = Dictionary(uniqueKeysWithValues: zip(columns.map(\.key), row.map(\.data)))
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// An `--outcome` value: a code or a Chinese label, or an error listing both.
func outcomeArgument(_ text: String) throws -> Outcome {
    guard let value = Outcome(codeOrLabel: text) else {
        let known = Outcome.allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ")
        throw usageError(Message(zh: "--outcome '\(text)' 不是扣款结果；可选：\(Outcome.allCases.map(\.label).joined(separator: "、"))",
                                 en: "--outcome '\(text)' is not an outcome; known: \(known)"))
    }
    return value
}
