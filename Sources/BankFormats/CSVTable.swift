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
    }

    /// The column names of the first line, trimmed and lower-cased.
    public var columns: [String]
    public var rows: [Row]

    /// Parses UTF-8 `text` (a leading byte order mark is skipped).
    ///
    /// - Throws: a ``Diagnostic`` (as ``CSVError``) for an unclosed quote or an empty file.
    public init(text: String, fileName: String) throws(CSVError) {
        try self.init(text: text, fileName: fileName, firstLine: 1)
    }

    /// Parses `text` whose first line is line `firstLine` of its file (a chunk of a large file, its
    /// header line in front).
    public init(text: String, fileName: String, firstLine: Int) throws(CSVError) {
        var records: [(line: Int, values: [String])] = []
        var field = ""
        var values: [String] = []
        var inQuotes = false
        var line = firstLine
        var recordLine = firstLine
        var atFieldStart = true
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        var first = true
        while let scalar = next() {
            if first { first = false; if scalar == "\u{FEFF}" { continue } }
            if inQuotes {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = following }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case ",":
                values.append(field); field = ""; atFieldStart = true
            case "\r":
                continue
            case "\n":
                values.append(field); field = ""; atFieldStart = true
                if !(values.count == 1 && values[0].isEmpty) { records.append((recordLine, values)) }
                values = []
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if inQuotes {
            throw CSVError(diagnostic: Diagnostic(.error, .csvUnclosedQuote, file: fileName, line: recordLine, "a quoted value is never closed"))
        }
        if !field.isEmpty || !values.isEmpty {
            values.append(field)
            records.append((recordLine, values))
        }
        guard let header = records.first else {
            throw CSVError(diagnostic: Diagnostic(.error, .csvEmpty, file: fileName, line: 1, "the file is empty: expected a header line of column names"))
        }
        columns = header.values.map { $0.trimmingSpaces().lowercased() }
        rows = records.dropFirst().map { Row(line: $0.line, values: $0.values) }
    }
}

extension CSVTable {
    /// Parses `text` and requires `columns` in its header.
    ///
    /// - Parameters:
    ///   - describing: What the file is, for the message (`a roster`).
    /// - Throws: ``CSVError`` for an unreadable file or missing columns.
    public init(text: String, fileName: String, requiring columns: [String], describing: String, firstLine: Int = 1) throws(CSVError) {
        try self.init(text: text, fileName: fileName, firstLine: firstLine)
        let missing = columns.filter { !self.columns.contains($0) }
        if !missing.isEmpty {
            throw CSVError(diagnostic: Diagnostic(.error, .csvMissingColumn, file: fileName, line: 1, field: missing.joined(separator: ","),
                "missing column(s) \(missing.joined(separator: ", ")); \(describing) has: \(columns.joined(separator: ", "))"))
        }
    }

    /// A row's values by column name (trimmed of whitespace, full-width spaces included), or `nil` when the row has another number of values
    /// than the header; ``fieldCountMessage(_:)`` says why.
    public func values(of row: Row) -> ((String) -> String)? {
        guard row.values.count == columns.count else { return nil }
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return { column in index[column].map { row.values[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
    }

    /// Why ``values(of:)`` refused a row.
    public func fieldCountMessage(_ row: Row) -> String {
        "row has \(row.values.count) values; the header has \(columns.count) columns"
    }
}

/// A CSV file that cannot be read at all.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic
    public var description: String { diagnostic.description }
}

extension String {
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
    public static let csvMissingColumn = Self(rawValue: "csv.missingColumn")
    public static let csvFieldCount = Self(rawValue: "csv.fieldCount")
    public static let csvInvalidValue = Self(rawValue: "csv.invalidValue")
}
