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
        case .utf8: return try decode(bytes, as: .utf8, path: path)
        case .gbk: return try decode(bytes, as: .gbk, path: path)
        case .auto:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            if let text = FileEncoding.gb18030.decode(bytes) { return text }
            throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is neither UTF-8 nor GBK"))
        }
    }

    /// The text of a CSV file's `bytes` in `encoding`; the error names `path` and suggests the other encoding.
    static func decode(_ bytes: [UInt8], as encoding: FileEncoding, path: String) throws(DiagnosticError) -> String {
        if encoding == .utf8 || encoding == .utf8BOM {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is not valid UTF-8 (try --encoding gbk)"))
            }
            return text
        }
        guard let text = encoding.decode(bytes) else {
            throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, "the file is not valid GBK (try --encoding utf-8)"))
        }
        return text
    }

    /// Writes rejected rows beside their reasons: `line,field,reason,` then the original columns.
    public static func writeRejects(_ rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String], to path: String) throws {
        var text = "\u{FEFF}" + CSVCell.line(["line", "field", "reason"] + columns) + "\n"
        for (row, diagnostics) in rejects {
            let reasons = diagnostics.filter { $0.severity == .error }
            let fields = reasons.compactMap(\.field).joined(separator: ";")
            let message = reasons.map(\.message).joined(separator: "; ")
            text += CSVCell.line([String(row.line), fields, message] + row.values) + "\n"
        }
        // Whole ID numbers and accounts: readable by the workspace's owner only.
        try FileIO.writeAtomically(Array(text.utf8), to: path)
    }
}

/// Reads a large CSV file in chunks of whole records, so that memory stays bounded by the chunk.
///
/// Each chunk is cut after a line feed outside quotes (a quote and a line feed are ASCII, and no
/// GBK or UTF-8 multi-byte sequence contains either byte), decoded, and given with the header line
/// in front and the file line number of that header, ready for `CSVTable(text:fileName:firstLine:)`.
public struct CSVChunks {
    public let path: String
    public let encoding: CSVInput.Encoding
    public let chunkBytes: Int

    /// - Parameter chunkBytes: 4 MiB: two chunks are in memory at once (one checked while the store
    ///   writes the other); at 2,000,000 payers 8 MiB took the import to 399 MB peak RSS (36 s),
    ///   4 MiB keeps it at 280 MB (42 s).
    public init(path: String, encoding: CSVInput.Encoding, chunkBytes: Int = 4 << 20) {
        self.path = path
        self.encoding = encoding
        self.chunkBytes = chunkBytes
    }

    /// Why a read failed, in the system's words ("Is a directory").
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return underlying.map { String(cString: strerror(Int32($0.code))) } ?? "\(error)"
    }

    /// Calls `body` with each chunk's text (header line first), the line number of that header line,
    /// and the share of the file's bytes read so far (0...1).
    ///
    /// - Throws: ``DiagnosticError`` when the file cannot be read or decoded, or what `body` throws.
    public func forEach(_ body: (_ text: String, _ firstLine: Int, _ shareRead: Double) async throws -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DiagnosticError(Diagnostic(.error, .csvEmpty, file: path, "cannot read the file"))
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var header: [UInt8]?
        var resolved: CSVInput.Encoding? = encoding == .auto ? nil : encoding
        var nextLine = 2  // the first data line
        var atEnd = false
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        var read = 0
        while !atEnd {
            // `read(upToCount:)` throws where `readData(ofLength:)` traps (a folder given as the file).
            let data: Data
            do { data = try handle.read(upToCount: chunkBytes) ?? Data() } catch {
                throw DiagnosticError(Diagnostic(.error, .csvEmpty, file: path, "cannot read the file (\(Self.reason(error)))"))
            }
            atEnd = data.isEmpty
            read += data.count
            pending.append(contentsOf: data)
            // Cut after the last line feed outside quotes (all of it at the end of the file).
            var cut = atEnd ? pending.count : 0
            if !atEnd {
                var inQuotes = false
                for index in pending.indices {
                    let byte = pending[index]
                    if byte == UInt8(ascii: "\"") { inQuotes.toggle() } else if byte == 10 && !inQuotes { cut = index + 1 }
                }
            }
            guard cut > 0 else { continue }
            var piece = Array(pending[0..<cut])
            pending.removeSubrange(0..<cut)
            if header == nil {
                if let end = piece.firstIndex(of: 10) {
                    header = Array(piece[...end])
                    piece.removeSubrange(...end)
                } else {
                    // No line feed in the whole file: a header alone, or lines ended by CR alone
                    // (old Mac line ends), which would read as one line and import nothing.
                    if let cr = piece.firstIndex(of: 13), cr + 1 < piece.count {
                        throw DiagnosticError(Diagnostic(.error, .csvBareCarriageReturn, file: path, line: 1,
                                                         "a line ends with CR alone (old Mac line ends): save the file with CRLF or LF line ends (Excel: CSV UTF-8)"))
                    }
                    header = piece
                    piece = []
                }
            }
            // Decide the encoding at the first non-ASCII byte (ASCII reads the same in both).
            if resolved == nil, (header ?? []).contains(where: { $0 >= 0x80 }) || piece.contains(where: { $0 >= 0x80 }) {
                let sample = (header ?? []) + piece
                resolved = String(validating: sample, as: UTF8.self) != nil ? .utf8 : .gbk
            }
            // GBK chunks decode as GB18030, its superset, as a whole file in `.auto` does.
            let text = try CSVInput.decode((header ?? []) + piece, as: resolved == .gbk ? .gb18030 : .utf8, path: path)
            try await body(text, nextLine - 1, atEnd ? 1 : size.map { $0 > 0 ? Double(read) / Double($0) : 1 } ?? 0)
            nextLine += piece.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
        }
    }
}
