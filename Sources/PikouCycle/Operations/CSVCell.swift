import Foundation

/// One cell of a CSV that people open in Excel (reports, lists, failures, roster rejects).
///
/// - A long number (11 or more digits, an ID's trailing `X` allowed: ID numbers, accounts, agreement
///   numbers, phone numbers) gets a leading tab, so Excel keeps it as text: without it an 18-digit
///   ID opens as `4.20106E+17` and is corrupted on save. Pikou's own CSV reader trims the tab.
/// - A cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so Excel never runs it as a
///   formula (CSV injection); `-12.50` and other plain numbers are left alone.
/// - Then RFC 4180 quoting: a value holding a comma, a quote or a line break is put in quotes.
public enum CSVCell {
    public static func text(_ value: String) -> String {
        var cell = value
        if isLongNumber(value) {
            cell = "\t" + value
        } else if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(value) == nil {
            cell = "'" + value
        }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    /// A line of cells, without its line ending.
    public static func line(_ values: [String]) -> String { values.map(text).joined(separator: ",") }

    static func isLongNumber(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= 11 else { return false }
        for (index, byte) in bytes.enumerated() {
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let trailingX = index == bytes.count - 1 && (byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x"))
            if !digit && !trailingX { return false }
        }
        return true
    }
}
