public import BankFormats
import CZlib
import Foundation
public import PikouCore
import PikouXML

/// Reads the first worksheet of an XLSX file (what a department saves from Excel or WPS) as a table
/// of text, so a list sent as `.xlsx` is read like its CSV.
///
/// An XLSX file is a ZIP of XML parts: the worksheet (`xl/worksheets/sheet1.xml`), the strings its
/// cells share (`xl/sharedStrings.xml`). Only what a list needs is read: cell text (shared, inline,
/// formula results), numbers as written; no styles, no formulas evaluated. Bounded: at most
/// ``maxPartBytes`` per part once inflated (a ZIP bomb stops there), every offset checked.
public enum XLSXInput {
    /// The largest part inflated (a list of a few hundred thousand rows fits).
    public static let maxPartBytes = 64 << 20
    /// The widest row read: a list has a handful of columns; a cell far to the right is ignored
    /// (rows are padded to their columns, so a crafted one would cost memory without bound).
    public static let maxColumns = 256

    /// Whether `bytes` look like a ZIP (an XLSX) rather than text.
    public static func isXLSX(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The first worksheet of the XLSX at `path` as a table: its first row the titles.
    ///
    /// - Throws: a ``DiagnosticError`` naming the file when it is not an XLSX Pikou can read.
    public static func table(_ path: String) throws(DiagnosticError) -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw DiagnosticError(CSVInput.cannotOpen(path)) }
        return try table(bytes: [UInt8](data), fileName: path)
    }

    /// The first worksheet of `bytes` as a table.
    public static func table(bytes: [UInt8], fileName: String) throws(DiagnosticError) -> CSVTable {
        func broken(_ zh: String, _ en: String) -> DiagnosticError {
            DiagnosticError(Diagnostic(.error, .xlsxUnreadable, file: fileName, Message(
                zh: "不是可读取的 XLSX 文件：\(zh)；请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后再导入",
                en: "not an XLSX file Pikou can read: \(en); save it again as .xlsx or CSV (UTF-8) from Excel or WPS")))
        }
        let zip: ZIPArchive
        do { zip = try ZIPArchive(bytes) } catch { throw broken(error.zh, error.en) }
        let sheetName = zip.names.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
            .min { Int($0.dropFirst(19).dropLast(4)) ?? .max < Int($1.dropFirst(19).dropLast(4)) ?? .max }
        guard let sheetName else { throw broken("没有工作表", "it has no worksheet") }
        var shared: [String] = []
        do {
            if let strings = try zip.part("xl/sharedStrings.xml") {
                let document = try XMLDocument(parsing: strings, url: fileName + ":sharedStrings.xml")
                for item in document.root?.children ?? [] where item.name == "si" { shared.append(Self.text(of: item)) }
            }
            guard let sheet = try zip.part(sheetName) else { throw broken("没有工作表", "it has no worksheet") }
            let document = try XMLDocument(parsing: sheet, url: fileName + ":" + sheetName)
            var rows: [(line: Int, values: [String])] = []
            for data in document.root?.children ?? [] where data.name == "sheetData" {
                for row in data.children where row.name == "row" {
                    let line = Int(row.attribute("r") ?? "") ?? (rows.last?.line ?? 0) + 1
                    var values: [String] = []
                    for cell in row.children where cell.name == "c" {
                        let column = Self.column(of: cell.attribute("r") ?? "") ?? values.count
                        guard column < maxColumns else { continue }
                        while values.count < column { values.append("") }
                        values.append(Self.value(of: cell, shared: shared))
                    }
                    while values.last == "" { values.removeLast() }
                    if !values.isEmpty { rows.append((line, values)) }
                }
            }
            guard let header = rows.first else {
                throw DiagnosticError(Diagnostic(.error, .csvEmpty, file: fileName, line: 1,
                                                 Message(zh: "工作表是空的：第一行应是列名", en: "the worksheet is empty: expected a header row of column names")))
            }
            // Every row as wide as the header (a row's empty last cells are not written in XLSX).
            let width = header.values.count
            let body = rows.dropFirst().map { row in
                CSVTable.Row(line: row.line, values: row.values.count < width ? row.values + Array(repeating: "", count: width - row.values.count) : row.values)
            }
            return CSVTable(header: header.values, rows: body)
        } catch let error as DiagnosticError {
            throw error
        } catch let error as XMLError {
            throw broken("XML 部分无法解析（\(error.issues.first?.message ?? "")）", "an XML part cannot be parsed (\(error.issues.first?.message ?? ""))")
        } catch let error as ZIPArchive.Problem {
            throw broken(error.zh, error.en)
        } catch {
            throw broken("\(error)", "\(error)")
        }
    }

    /// A cell's text: a shared string, an inline string, or the value as written (a number, a formula's result).
    static func value(of cell: XMLNode, shared: [String]) -> String {
        let type = cell.attribute("t") ?? "n"
        if type == "inlineStr" {
            return cell.children.first { $0.name == "is" }.map(text(of:)) ?? ""
        }
        let raw = cell.children.first { $0.name == "v" }?.text ?? ""
        switch type {
        case "s": return Int(raw).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
        case "b": return raw == "1" ? "TRUE" : "FALSE"
        default: return raw
        }
    }

    /// The text of a shared or inline string: its `t`, or its rich-text runs' `t`s joined.
    static func text(of item: XMLNode) -> String {
        var result = ""
        for child in item.children {
            if child.name == "t" { result += child.text } else if child.name == "r" {
                for part in child.children where part.name == "t" { result += part.text }
            }
        }
        return result
    }

    /// The 0-based column of a cell reference (`B7` → 1), or nil.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            column = column * 26 + Int(scalar.value - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }
}

/// The members of a ZIP archive, read from its central directory; each inflated on demand.
struct ZIPArchive {
    struct Problem: Error { let zh: String, en: String }
    struct Entry { let method: UInt16, compressed: Int, size: Int, offset: Int }

    let bytes: [UInt8]
    var entries: [String: Entry] = [:]
    var names: [String] { Array(entries.keys) }

    init(_ bytes: [UInt8]) throws(Problem) {
        self.bytes = bytes
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end of central directory record: within the last 64 KiB + 22 bytes.
        guard bytes.count >= 22 else { throw Problem(zh: "文件太短", en: "the file is too short") }
        var end = -1
        var at = bytes.count - 22
        while at >= max(0, bytes.count - 22 - 65_535) {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 { end = at; break }
            at -= 1
        }
        guard end >= 0 else { throw Problem(zh: "不是 ZIP 压缩包（找不到目录）", en: "not a ZIP archive (no central directory)") }
        let count = u16(end + 10), directory = u32(end + 16)
        var cursor = directory
        for _ in 0..<count {
            guard cursor + 46 <= bytes.count, u32(cursor) == 0x0201_4B50 else { throw Problem(zh: "目录已损坏", en: "the central directory is damaged") }
            let method = UInt16(u16(cursor + 10)), compressed = u32(cursor + 20), size = u32(cursor + 24)
            let nameLength = u16(cursor + 28), extra = u16(cursor + 30), comment = u16(cursor + 32), offset = u32(cursor + 42)
            guard cursor + 46 + nameLength <= bytes.count else { throw Problem(zh: "目录已损坏", en: "the central directory is damaged") }
            let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: method, compressed: compressed, size: size, offset: offset)
            cursor += 46 + nameLength + extra + comment
        }
    }

    /// The inflated bytes of member `name`, or nil when there is none.
    func part(_ name: String) throws(Problem) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard entry.size <= XLSXInput.maxPartBytes else {
            throw Problem(zh: "\(name) 解压后超过 \(XLSXInput.maxPartBytes >> 20) MB", en: "\(name) is larger than \(XLSXInput.maxPartBytes >> 20) MB inflated")
        }
        let header = entry.offset
        guard header + 30 <= bytes.count, bytes[header] == 0x50, bytes[header + 1] == 0x4B, bytes[header + 2] == 0x03, bytes[header + 3] == 0x04 else {
            throw Problem(zh: "\(name) 的位置不对", en: "\(name) is not where the directory says")
        }
        let start = header + 30 + u16(header + 26) + u16(header + 28)
        guard start + entry.compressed <= bytes.count else { throw Problem(zh: "\(name) 被截断", en: "\(name) is cut short") }
        switch entry.method {
        case 0:
            guard entry.compressed == entry.size else { throw Problem(zh: "\(name) 已损坏", en: "\(name) is damaged") }
            return Array(bytes[start..<(start + entry.size)])
        case 8:
            var out = [UInt8](repeating: 0, count: entry.size)
            let ok = bytes.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    CZlib_inflate_raw(input.baseAddress! + start, entry.compressed, output.baseAddress, entry.size)
                }
            }
            guard ok == 1 || entry.size == 0 else { throw Problem(zh: "\(name) 解压失败（文件已损坏）", en: "\(name) does not inflate (the file is damaged)") }
            return out
        default:
            throw Problem(zh: "\(name) 的压缩方式（\(entry.method)）不受支持", en: "\(name) uses compression method \(entry.method), which is not supported")
        }
    }
}

extension Diagnostic.Code {
    public static let xlsxUnreadable = Self(rawValue: "xlsx.unreadable")
}
