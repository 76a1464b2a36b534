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
            throw DiagnosticError(CSVInput.cannotOpen(path))
        }
        let bytes = [UInt8](data)
        switch encoding {
        case .utf8: return try decode(bytes, as: .utf8, path: path)
        case .gbk: return try decode(bytes, as: .gbk, path: path)
        case .auto:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            if let text = FileEncoding.gb18030.decode(bytes) { return text }
            throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path,
                                             Message(zh: "文件既不是 UTF-8 也不是 GBK 编码", en: "the file is neither UTF-8 nor GBK")))
        }
    }

    /// The text of a CSV file's `bytes` in `encoding`; the error names `path` and suggests the other encoding.
    static func decode(_ bytes: [UInt8], as encoding: FileEncoding, path: String) throws(DiagnosticError) -> String {
        if encoding == .utf8 || encoding == .utf8BOM {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, Message(
                    zh: "文件不是有效的 UTF-8 编码（可改用 --encoding gbk 再试）", en: "the file is not valid UTF-8 (try --encoding gbk)")))
            }
            return text
        }
        guard let text = encoding.decode(bytes) else {
            throw DiagnosticError(Diagnostic(.error, .wrongEncoding, file: path, Message(
                zh: "文件不是有效的 GBK 编码（可改用 --encoding utf-8 再试）", en: "the file is not valid GBK (try --encoding utf-8)")))
        }
        return text
    }

    /// "Cannot read the file".
    /// Why `path` does not open: not there, a folder, or not readable.
    static func cannotOpen(_ path: String) -> Diagnostic {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return Diagnostic(.error, .fileMissing, file: path,
                              Message(zh: "文件不存在：核对路径和文件名", en: "no such file: check the path and the name"))
        }
        if isFolder.boolValue {
            return Diagnostic(.error, .csvEmpty, file: path, Message(zh: "这是一个目录，不是文件", en: "cannot read the file: it is a folder"))
        }
        return Diagnostic(.error, .csvEmpty, file: path,
                          Message(zh: "无法读取该文件：检查它的权限", en: "cannot read the file: check its permissions"))
    }

    /// Writes rejected rows beside their reasons, for the clerk who corrects them: `行,字段,原因,` then
    /// the original columns; the reasons in Chinese.
    public static func writeRejects(_ rejects: [(row: CSVTable.Row, diagnostics: [Diagnostic])], columns: [String], to path: String) throws {
        var text = "\u{FEFF}" + CSVCell.line(["行", "字段", "原因"] + columns) + "\n"
        for (row, diagnostics) in rejects {
            let reasons = diagnostics.filter { $0.severity == .error }
            let fields = reasons.compactMap(\.field).joined(separator: ";")
            let message = reasons.map(\.text.zh).joined(separator: "；")
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

    /// Why a read failed: in the system's words ("Is a directory"), in Chinese for the usual causes.
    private static func reason(_ error: any Error) -> Message {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        let en = underlying.map { String(cString: strerror(Int32($0.code))) } ?? "\(error)"
        let zh: String
        switch underlying.map({ Int32($0.code) }) ?? 0 {
        case EISDIR: zh = "这是一个文件夹，不是文件"
        case EACCES, EPERM: zh = "没有读取它的权限"
        case ENOENT: zh = "文件不存在"
        case EIO: zh = "读取时出现硬件或文件系统错误"
        default: zh = en
        }
        return Message(zh: zh, en: en)
    }

    /// Calls `body` with each chunk's text (header line first), the line number of that header line,
    /// and the share of the file's bytes read so far (0...1).
    ///
    /// - Throws: ``DiagnosticError`` when the file cannot be read or decoded, or what `body` throws.
    public func forEach(_ body: (_ text: String, _ firstLine: Int, _ shareRead: Double) async throws -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DiagnosticError(CSVInput.cannotOpen(path))
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
                let reason = Self.reason(error)
                throw DiagnosticError(Diagnostic(.error, .csvEmpty, file: path,
                                                 Message(zh: "无法读取该文件（\(reason.zh)）", en: "cannot read the file (\(reason.en))")))
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
                        throw DiagnosticError(Diagnostic(.error, .csvBareCarriageReturn, file: path, line: 1, CSVTable.bareCarriageReturnMessage))
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
