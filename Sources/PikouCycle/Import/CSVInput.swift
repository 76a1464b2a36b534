public import BankFormats
public import PikouCore
import Foundation

/// A CSV input file decoded to text: UTF-8 (with or without BOM) or GBK, detected or given.
public enum CSVInput {
    /// The encodings an input CSV may have.
    public enum Encoding: String, Sendable, CaseIterable {
        case auto
        case utf8 = "utf-8"
        case gbk
    }

    /// Reads and decodes `path`.
    ///
    /// - Throws: a ``DiagnosticError`` naming the file when it cannot be read or decoded.
    public static func read(_ path: String, encoding: Encoding) throws(DiagnosticError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(Diagnostic(.error, .csvEmpty, file: path, "cannot read the file"))
        }
        let bytes = [UInt8](data)
        switch encoding {
        case .utf8:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is not valid UTF-8 (try --encoding gbk)"))
            }
            return text
        case .gbk:
            guard let text = FileEncoding.gbk.decode(bytes) else {
                throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is not valid GBK (try --encoding utf-8)"))
            }
            return text
        case .auto:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            if let text = FileEncoding.gb18030.decode(bytes) { return text }
            throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is neither UTF-8 nor GBK"))
        }
    }

    /// Writes rejected rows beside their reasons: `line,field,reason,` then the original columns.
    public static func writeRejects(_ rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String], to path: String) throws {
        func quote(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        var text = "\u{FEFF}" + (["line", "field", "reason"] + columns).map(quote).joined(separator: ",") + "\n"
        for (row, diagnostics) in rejects {
            let reasons = diagnostics.filter { $0.severity == .error }
            let fields = reasons.compactMap(\.field).joined(separator: ";")
            let message = reasons.map(\.message).joined(separator: "; ")
            text += ([String(row.line), fields, message] + row.values).map(quote).joined(separator: ",") + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
