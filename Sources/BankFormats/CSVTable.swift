public import PikouCore
import Foundation

/// A CSV file read into rows (RFC 4180: `,` separated, `"` quoted, quotes doubled, line breaks inside
/// quotes kept), each row with the line number it starts on.
public struct CSVTable: Sendable {
    /// One data row.
    public struct Row: Sendable {
        /// The 1-based line the row starts on.
        public var line: Int
        public var values: [String]

        public init(line: Int, values: [String]) {
            self.line = line
            self.values = values
        }
    }

    /// The column names of the first line, trimmed and lower-cased.
    public var columns: [String]
    public var rows: [Row]
    /// Each column's position (the first, if a name repeats).
    private var columnIndex: [String: Int]

    /// Parses UTF-8 `text` (a leading byte order mark is skipped).
    ///
    /// - Throws: a ``Diagnostic`` (as ``CSVError``) for an unclosed quote or an empty file.
    public init(text: String, fileName: String) throws(CSVError) {
        try self.init(text: text, fileName: fileName, firstLine: 1)
    }

    /// Parses `text` whose first line is line `firstLine` of its file (a chunk of a large file, its
    /// header line in front).
    public init(text: String, fileName: String, firstLine: Int) throws(CSVError) {
        // Byte by byte over the UTF-8: every structural character is ASCII, so a multi-byte
        // character never looks like one and is copied into its field whole.
        var records: [(line: Int, values: [String])] = []
        var field: [UInt8] = []
        var values: [String] = []
        var inQuotes = false
        var line = firstLine
        var recordLine = firstLine
        var atFieldStart = true
        var bareCR: Int?
        var text = text
        let unclosed: Bool = text.withUTF8 { bytes in
            let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // a byte order mark
            func endField() {
                values.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if inQuotes {
                    if byte == quote {
                        if index < bytes.count && bytes[index] == quote {
                            field.append(quote)
                            index += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if byte == lf { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case quote where atFieldStart:
                    inQuotes = true
                    atFieldStart = false
                case comma:
                    endField()
                case cr:
                    // CRLF's CR goes; a CR alone (old Mac line ends) would join every line into one.
                    if index < bytes.count && bytes[index] == lf { continue }
                    bareCR = bareCR ?? line
                    return false
                case lf:
                    endField()
                    if !(values.count == 1 && values[0].isEmpty) { records.append((recordLine, values)) }
                    values = []
                    line += 1
                    recordLine = line
                default:
                    field.append(byte)
                    atFieldStart = false
                }
            }
            return inQuotes
        }
        if let bareCR {
            throw CSVError(diagnostic: Diagnostic(.error, .csvBareCarriageReturn, file: fileName, line: bareCR, CSVTable.bareCarriageReturnMessage))
        }
        if unclosed {
            throw CSVError(diagnostic: Diagnostic(.error, .csvUnclosedQuote, file: fileName, line: recordLine,
                                                  Message(zh: "有一个用引号括起的值没有结尾的引号", en: "a quoted value is never closed")))
        }
        if !field.isEmpty || !values.isEmpty {
            values.append(String(decoding: field, as: UTF8.self))
            records.append((recordLine, values))
        }
        guard let header = records.first else {
            throw CSVError(diagnostic: Diagnostic(.error, .csvEmpty, file: fileName, line: 1,
                                                  Message(zh: "文件是空的：第一行应是列名", en: "the file is empty: expected a header line of column names")))
        }
        columns = header.values.map { $0.trimmingSpaces().lowercased() }
        columnIndex = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        rows = records.dropFirst().map { Row(line: $0.line, values: $0.values) }
    }
}

extension CSVTable {
    /// A line ended by CR alone: the file reads as one line.
    public static let bareCarriageReturnMessage = Message(
        zh: "有一行只以 CR 结尾（旧式苹果电脑的换行方式）：请把文件另存为以 CRLF 或 LF 换行（Excel 中选 CSV UTF-8）",
        en: "a line ends with CR alone (old Mac line ends): save the file with CRLF or LF line ends (Excel: CSV UTF-8)")

    /// Parses `text` and requires `columns` in its header.
    ///
    /// - Parameters:
    ///   - describing: What the file is, for the message (`a roster`, 名册).
    ///   - aliases: Other titles a column may have, each to its name (`身份证号` → `id_number`): a
    ///     department's list with Chinese titles reads as one with the English names.
    /// - Throws: ``CSVError`` for an unreadable file or missing columns.
    public init(text: String, fileName: String, requiring columns: [String], describing: Message, firstLine: Int = 1,
                aliases: [String: String] = [:]) throws(CSVError) {
        try self.init(text: text, fileName: fileName, firstLine: firstLine)
        try require(columns, fileName: fileName, describing: describing, firstLine: firstLine, aliases: aliases)
    }

    /// A table of rows already split (a worksheet's), `header` its first line's titles.
    public init(header: [String], rows: [Row]) {
        columns = header.map { $0.trimmingWhitespace().lowercased() }
        columnIndex = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.rows = rows
    }

    /// Renames aliased columns to their names, then requires `columns` (each once) in the header.
    public mutating func require(_ columns: [String], fileName: String, describing: Message, firstLine: Int = 1,
                                 aliases: [String: String] = [:]) throws(CSVError) {
        if !aliases.isEmpty {
            self.columns = self.columns.map { aliases[$0] ?? $0 }
            columnIndex = Dictionary(self.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var seen: [String: Int] = [:]
        for (index, column) in self.columns.enumerated() where !column.isEmpty {
            if let first = seen[column] {
                throw CSVError(diagnostic: Diagnostic(.error, .csvDuplicateColumn, file: fileName, line: firstLine, field: column, Message(
                    zh: "列 '\(column)' 在表头中出现了两次（第 \(first + 1) 列和第 \(index + 1) 列），无法确定哪一列是数据，因此什么也没有读入",
                    en: "column '\(column)' appears twice in the header (columns \(first + 1) and \(index + 1)); "
                        + "which one holds the data is unclear, so nothing is read")))
            }
            seen[column] = index
        }
        let missing = columns.filter { !self.columns.contains($0) }
        if !missing.isEmpty {
            // Each name with the titles it may also have (`'id_number'（或 身份证号）`).
            let titles = { (name: String) -> String in
                let others = aliases.filter { $0.value == name }.keys.sorted()
                return others.isEmpty ? "'\(name)'" : "'\(name)'（或 \(others.joined(separator: "、"))）"
            }
            let quoted = { (names: [String]) -> String in names.map(titles).joined(separator: "、") }
            throw CSVError(diagnostic: Diagnostic(.error, .csvMissingColumn, file: fileName, line: 1, field: missing.joined(separator: ","), Message(
                zh: "缺少列 \(quoted(missing))；\(describing.zh)应有列：\(quoted(columns))",
                en: "missing column(s) \(missing.joined(separator: ", ")); \(describing.en) has: \(columns.joined(separator: ", "))")))
        }
    }

    /// A row's values by column name (trimmed of whitespace, full-width spaces included), or `nil` when the row has another number of values
    /// than the header; ``fieldCountMessage(_:)`` says why.
    public func values(of row: Row) -> ((String) -> String)? {
        guard row.values.count == columns.count else { return nil }
        let index = columnIndex
        return { column in index[column].map { row.values[$0].trimmingWhitespace() } ?? "" }
    }

    /// Why ``values(of:)`` refused a row.
    public func fieldCountMessage(_ row: Row) -> Message {
        Message(zh: "该行有 \(row.values.count) 个值，而表头有 \(columns.count) 列",
                en: "row has \(row.values.count) values; the header has \(columns.count) columns")
    }
}

/// A CSV file that cannot be read at all.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic
    public var description: String { diagnostic.description }
}

extension String {
    /// The string without leading and trailing whitespace: tabs and every Unicode space separator
    /// (the full-width 　 of Chinese input included), as Foundation's `.whitespaces` has it.
    func trimmingWhitespace() -> String {
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return scalar == " " || scalar == "\t" }
            return scalar.properties.generalCategory == .spaceSeparator
        }
        // Most values have none: checked on the ends, returned as they are.
        guard let first = unicodeScalars.first, let last = unicodeScalars.last, isWhitespace(first) || isWhitespace(last) else { return self }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, isWhitespace(first) { scalars.removeFirst() }
        while let last = scalars.last, isWhitespace(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

extension Diagnostic.Code {
    public static let csvUnclosedQuote = Self(rawValue: "csv.unclosedQuote")
    public static let csvEmpty = Self(rawValue: "csv.empty")
    /// A file named on the command line that is not there.
    public static let fileMissing = Self(rawValue: "file.missing")
    public static let csvBareCarriageReturn = Self(rawValue: "csv.bareCarriageReturn")
    public static let csvMissingColumn = Self(rawValue: "csv.missingColumn")
    public static let csvDuplicateColumn = Self(rawValue: "csv.duplicateColumn")
    public static let csvFieldCount = Self(rawValue: "csv.fieldCount")
    public static let csvInvalidValue = Self(rawValue: "csv.invalidValue")
}
