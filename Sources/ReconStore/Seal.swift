import PikouCrypto
import Foundation

/// A seal: the SHA-256 of the rows one posting or one written file fixed, recorded in the journal
/// entry of that posting or write, so the hash chain covers the rows themselves and not only the
/// fact that they were written. `check` recomputes each seal from the rows as they stand: an edit
/// of a result's outcome or amount, an exception deleted, a debit row changed, shows as a seal
/// that no longer matches (and rewriting the seal too breaks the chain; rewriting the chain too
/// breaks the anchors kept outside the store).
///
/// The rows are fed field by field as text, each field ended by 0x1F and each row by 0x1E, in an
/// order the backend fixes (by line, by sequence); a backend computes it from what it stored.
public final class Seal {
    /// What a seal covers, as journal details name it.
    public enum Subject: String, Sendable, Hashable {
        /// A posted return file: its row, its lines (results) and the exceptions they raised.
        case returnFile = "return file"
        /// A written debit file: its row, its debit rows and the dues each covers.
        case debitFile = "file"
    }

    private let digest: StreamingDigest

    public init() throws {
        digest = try StreamingDigest(.sha256)
    }

    /// A row's cells as a seal takes them (text, an integer in decimal, NULL as one 0 byte, each
    /// ended by 0x1F, the row by 0x1E), in `buffer`, which is emptied first. SQLite's
    /// ``LedgerSession/forEachSealedRow(_:_:)`` writes the same bytes from the cells in place.
    static func encode(_ values: [LedgerValue], into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        for value in values {
            switch value {
            case .integer(let number?): buffer += String(number).utf8
            case .text(let text?): buffer += text.utf8
            case .integer(nil), .text(nil): buffer.append(0)
            }
            buffer.append(0x1F)
        }
        buffer.append(0x1E)
    }

    /// Adds one row, encoded (``encode(_:into:)``, ``LedgerSession/forEachSealedRow(_:_:)``).
    func add(encoded row: UnsafeRawBufferPointer) { digest.update(row) }

    /// The seal, lower-case hex.
    public func finish() throws -> String { Digest.hex(try digest.finish()) }

    /// How a journal detail carries a seal: `return file #12, lines sha256 <hex>`.
    public static func text(_ subject: Subject, id: Int64, seal: String) -> String {
        "\(subject.rawValue) #\(id), \(subject == .returnFile ? "lines" : "rows") sha256 \(seal)"
    }

    /// The journal actions whose details carry a seal (`return.undone` retires one), as SQL.
    static let journalActions = "'return.ingest', 'return.sealed', 'file.written', 'file.sealed', 'file.cancelled', 'return.undone'"

    /// The seal each record holds, from the journal's sealing entries in order. A record is sealed
    /// once, by the entry that wrote it (an ingest, a write, a cancellation's record, or the v4
    /// migration for what predates seals), and an undo retires the seal with the rows (an undone
    /// ingest's rows are gone by design; ids are never handed out again). Any later entry that seals
    /// a record already sealed or retired is returned in `replaced`: no kind of entry re-seals, so an
    /// appended entry cannot make an edited record's seal hold again.
    static func standing(_ entries: [(id: Int64, action: String, detail: String)])
        -> (sealed: [Subject: [Int64: (seal: String, entry: Int64)]], replaced: [(subject: Subject, id: Int64, entry: Int64, first: Int64)]) {
        var sealed: [Subject: [Int64: (seal: String, entry: Int64)]] = [:]
        var first: [Subject: [Int64: Int64]] = [:]
        var replaced: [(subject: Subject, id: Int64, entry: Int64, first: Int64)] = []
        for entry in entries {
            guard let parsed = parse(entry.detail) else { continue }
            if entry.action == "return.undone" {
                if sealed[parsed.subject]?[parsed.id] == nil {
                    replaced.append((parsed.subject, parsed.id, entry.id, first[parsed.subject]?[parsed.id] ?? entry.id))
                }
                sealed[parsed.subject]?[parsed.id] = nil
                continue
            }
            if let earlier = first[parsed.subject]?[parsed.id] {
                replaced.append((parsed.subject, parsed.id, entry.id, earlier))
                continue
            }
            first[parsed.subject, default: [:]][parsed.id] = entry.id
            sealed[parsed.subject, default: [:]][parsed.id] = (parsed.seal, entry.id)
        }
        return (sealed, replaced)
    }

    /// How a journal detail carries the seal of a run of rows by id (the rows one import or one
    /// planning added): `payments #12..40, rows sha256 <hex>`, the SHA-256 of the rows' own hashes
    /// in id order (``RowSeal``).
    public static func rangeText(_ table: String, from: Int64, through: Int64, seal: String) -> String {
        "\(table) #\(from)..\(through), rows sha256 \(seal)"
    }

    /// How a journal detail carries one record changed in place (a payer, an agreement, a due
    /// re-priced): `agreements #7 sha256 <new> was <old>` — its row's hash now and the hash it
    /// replaces, so that `check` holds every record to its last entry and every entry to the one before.
    public static func recordText(_ table: String, id: Int64, seal: String, was: String) -> String {
        "\(table) #\(id) sha256 \(seal) was \(was)"
    }

    /// Where `table #` starts in `detail` as a whole name (`dues #` is not the end of `resident_dues #`).
    private static func markers(_ detail: String, _ table: String) -> [Substring] {
        var found: [Substring] = []
        var searchStart = detail.startIndex
        while let range = detail.range(of: table + " #", range: searchStart..<detail.endIndex) {
            searchStart = range.upperBound
            if let before = detail[..<range.lowerBound].last, before.isLetter || before.isNumber || before == "_" { continue }
            found.append(detail[range.upperBound...])
        }
        return found
    }

    private static func hex(_ text: Substring) -> String? {
        let hex = text.prefix(64)
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? String(hex) : nil
    }

    /// The run of rows and the seal a journal detail carries for `table`, if any.
    static func parseRange(_ detail: String, table: String) -> (from: Int64, through: Int64, seal: String)? {
        for rest in markers(detail, table) {
            let from = rest.prefix { $0.isASCII && $0.isNumber }
            guard let first = Int64(from), rest.dropFirst(from.count).hasPrefix("..") else { continue }
            let tail = rest.dropFirst(from.count + 2)
            let through = tail.prefix { $0.isASCII && $0.isNumber }
            guard let last = Int64(through), tail.dropFirst(through.count).hasPrefix(", rows sha256 "),
                  let seal = hex(tail.dropFirst(through.count + ", rows sha256 ".count)) else { continue }
            return (first, last, seal)
        }
        return nil
    }

    /// The records changed in place a journal detail carries for `table` (``recordText(_:id:seal:was:)``).
    static func parseRecords(_ detail: String, table: String) -> [(id: Int64, seal: String, was: String)] {
        markers(detail, table).compactMap { rest in
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let id = Int64(digits), rest.dropFirst(digits.count).hasPrefix(" sha256 ") else { return nil }
            let tail = rest.dropFirst(digits.count + " sha256 ".count)
            guard let seal = hex(tail), tail.dropFirst(64).hasPrefix(" was "), let was = hex(tail.dropFirst(64 + " was ".count)) else { return nil }
            return (id, seal, was)
        }
    }

    /// The seal a journal detail carries, if any.
    public static func parse(_ detail: String) -> (subject: Subject, id: Int64, seal: String)? {
        for subject in [Subject.returnFile, .debitFile] {
            let marker = subject.rawValue + " #"
            var searchStart = detail.startIndex
            while let range = detail.range(of: marker, range: searchStart..<detail.endIndex) {
                searchStart = range.upperBound
                // "return file #" also ends in "file #": a debit-file marker must not follow "return ".
                if subject == .debitFile, detail[..<range.lowerBound].hasSuffix("return ") { continue }
                let rest = detail[range.upperBound...]
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard let id = Int64(digits) else { continue }
                let tail = rest.dropFirst(digits.count)
                let word = subject == .returnFile ? ", lines sha256 " : ", rows sha256 "
                guard tail.hasPrefix(word) else { continue }
                let hex = tail.dropFirst(word.count).prefix(64)
                guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { continue }
                return (subject, id, String(hex))
            }
        }
        return nil
    }
}

/// The seals of rows one by one: a row's hash is the SHA-256 of its fields as ``Seal/encode(_:into:)``
/// writes them (text, an integer in decimal, NULL as "\0", each ended by 0x1F, the row by 0x1E); a
/// run's seal is the SHA-256 of its rows' hashes, 32 bytes each, in id order — so that a record
/// changed later stands in its run by the hash it had. One digest and one buffer serve every row:
/// `check` hashes each row of seven tables.
final class RowSeal {
    private let row: StreamingDigest
    private let run: StreamingDigest
    private var buffer: [UInt8] = []
    /// Rows added to the run so far.
    private(set) var count = 0

    init() throws {
        row = try StreamingDigest(.sha256)
        run = try StreamingDigest(.sha256)
        buffer.reserveCapacity(1024)
    }

    /// The hash of a row, encoded (``Seal/encode(_:into:)``, ``LedgerSession/forEachSealedRow(_:_:)``).
    func hash(encoded row: UnsafeRawBufferPointer) throws -> [UInt8] {
        try self.row.restart()
        self.row.update(row)
        return try self.row.finish()
    }

    /// The hash of a row whose cells are `values`.
    func hash(_ values: [LedgerValue]) throws -> [UInt8] {
        Seal.encode(values, into: &buffer)
        return try buffer.withUnsafeBytes { try hash(encoded: $0) }
    }


    /// Adds a row's hash to the run.
    func add(_ hash: [UInt8]) {
        run.update(hash)
        count += 1
    }

    /// The run's seal, lower-case hex; the run starts again empty.
    func finish() throws -> String {
        defer { count = 0 }
        let seal = Digest.hex(try run.finish())
        try run.restart()
        return seal
    }
}
