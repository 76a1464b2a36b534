public import PikouCore
import Foundation
import PikouCrypto
public import ReconStore

/// A payer's payment certificate (缴费凭证) for a month or a year: what was debited, when, by which
/// bank, and the treasury's booking number once matched — with a verification code.
public struct PaymentCertificate: Sendable, Hashable {
    /// A month, or a whole year.
    public enum Scope: Sendable, Hashable, CustomStringConvertible {
        case period(Period)
        case year(Int)

        /// Its months; nil for a year no period can carry.
        var range: (from: Period, through: Period)? {
            switch self {
            case .period(let period): return (period, period)
            case .year(let year):
                guard let first = try? Period(year: year, month: 1), let last = try? Period(year: year, month: 12) else { return nil }
                return (first, last)
            }
        }

        public var description: String {
            switch self {
            case .period(let period): period.description
            case .year(let year): String(year)
            }
        }

        /// The scope in three bytes: the year, then the month (0 for a whole year).
        var bytes: [UInt8] {
            switch self {
            case .period(let period): [UInt8(period.year >> 8), UInt8(period.year & 0xFF), UInt8(period.month)]
            case .year(let year): [UInt8(year >> 8), UInt8(year & 0xFF), 0]
            }
        }

        init?(bytes: ArraySlice<UInt8>) {
            let values = Array(bytes)
            guard values.count == 3 else { return nil }
            let year = Int(values[0]) << 8 | Int(values[1])
            if values[2] == 0 {
                guard (1900...9999).contains(year) else { return nil }
                self = .year(year)
            } else {
                guard let period = try? Period(year: year, month: Int(values[2])) else { return nil }
                self = .period(period)
            }
        }
    }

    public var payer: CertificatePayer
    public var scope: Scope
    public var entries: [CertificateEntry]
    /// The verification code: the payer's number and the scope, then an HMAC over the ledger's
    /// entries under the workspace's certificate key — not a guessable number.
    public var code: String

    /// The certificate's total, checked.
    public var total: Money? { try? entries.map(\.amount).checkedSum() }
}

/// Issues and verifies payment certificates against the ledger.
public struct PaymentCertificates: Sendable {
    let store: any ReconStore
    /// The workspace's certificate key (`keys/certificate-hmac.key`, 32 random bytes, 0600), made on first use.
    let keyPath: String

    public init(store: any ReconStore, keyPath: String) {
        self.store = store
        self.keyPath = keyPath
    }

    /// What checking a code found.
    public enum Verification: Sendable {
        /// The code is the ledger's as it is now: the certificate.
        case valid(PaymentCertificate)
        /// Not a code of this ledger as it is now: never issued here, mistyped, or issued before the
        /// payer's debits were corrected (issue it again). Nothing about any payer is told.
        case invalid
    }

    static let version = "pikou-certificate/1"

    func key() throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: keyPath), data.count == 32 { return [UInt8](data) }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try FileIO.makePrivateDirectory((keyPath as NSString).deletingLastPathComponent)
        try FileIO.writeAtomically(key, to: keyPath)
        return key
    }

    /// The ledger's entries as the code's HMAC reads them: one line each, in debit order.
    static func canonical(_ payer: CertificatePayer, _ scope: PaymentCertificate.Scope, _ entries: [CertificateEntry]) -> [UInt8] {
        var text = "\(version)\n\(payer.idNumber.value)\n\(scope)\n"
        for entry in entries.sorted(by: { $0.debitID < $1.debitID }) {
            text += "\(entry.debitID)|\(entry.period)|\(entry.amount.fen)|\(entry.bank)|\(entry.collectionDate)|\(entry.bankSerial)|\(entry.voucher ?? "")\n"
        }
        return Array(text.utf8)
    }

    func code(_ payer: CertificatePayer, _ scope: PaymentCertificate.Scope, _ entries: [CertificateEntry], key: [UInt8]) throws -> String {
        let id = UInt32(truncatingIfNeeded: payer.id)
        let mac = try HMAC.authenticate(Self.canonical(payer, scope, entries), key: key, algorithm: .sha256)
        let bytes = [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)] + scope.bytes + mac.prefix(10)
        return CrockfordBase32.grouped(CrockfordBase32.encode(bytes))
    }

    /// The certificate of `idNumber`'s succeeded debits in `scope`; nil when the store has no such payer.
    ///
    /// - Throws: ``PikouError`` (`certificate.nothing`) when the payer has no succeeded debit in it.
    public func issue(idNumber: IDNumber, scope: PaymentCertificate.Scope) async throws -> PaymentCertificate? {
        guard let payer = try await store.certificatePayer(idNumber: idNumber, id: nil) else { return nil }
        guard let range = scope.range else { throw PikouError("certificate.nothing", AfterBankCatalogue.nothingToCertify(idNumber, scope: scope.description)) }
        let entries = try await store.certificateEntries(payer: payer.id, from: range.from, through: range.through)
        guard !entries.isEmpty else { throw PikouError("certificate.nothing", AfterBankCatalogue.nothingToCertify(idNumber, scope: scope.description)) }
        return PaymentCertificate(payer: payer, scope: scope, entries: entries, code: try code(payer, scope, entries, key: try key()))
    }

    /// Checks `code` against the ledger as it is now.
    public func verify(_ code: String) async throws -> Verification {
        guard let bytes = CrockfordBase32.decode(code), bytes.count == 17, let scope = PaymentCertificate.Scope(bytes: bytes[4..<7]) else { return .invalid }
        let id = Int64(bytes[0]) << 24 | Int64(bytes[1]) << 16 | Int64(bytes[2]) << 8 | Int64(bytes[3])
        guard FileManager.default.fileExists(atPath: keyPath), let range = scope.range,
              let payer = try await store.certificatePayer(idNumber: nil, id: id) else { return .invalid }
        let entries = try await store.certificateEntries(payer: payer.id, from: range.from, through: range.through)
        guard !entries.isEmpty else { return .invalid }
        let now = try self.code(payer, scope, entries, key: try key())
        // Compared in time independent of where they differ.
        // (As typed, read as the alphabet reads it: a last letter differing in its unused bits is a different code.)
        let (given, expected) = (Array(CrockfordBase32.normalized(code).utf8), Array(CrockfordBase32.normalized(now).utf8))
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for index in 0..<min(given.count, expected.count) { difference |= given[index] ^ expected[index] }
        return difference == 0 ? .valid(PaymentCertificate(payer: payer, scope: scope, entries: entries, code: now)) : .invalid
    }
}

/// Crockford's base 32 (no I, L, O, U; case and hyphens ignored when read): a code people read aloud.
enum CrockfordBase32 {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as the alphabet reads it: upper case, without hyphens or spaces, O read as 0, I and L as 1.
    static func normalized(_ text: String) -> String {
        String(decoding: text.uppercased().utf8.compactMap { character -> UInt8? in
            switch character {
            case UInt8(ascii: "-"), UInt8(ascii: " "): nil
            case UInt8(ascii: "O"): UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): UInt8(ascii: "1")
            default: character
            }
        }, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var buffer = 0, bits = 0
        var out: [UInt8] = []
        for mapped in normalized(text).utf8 {
            guard let value = alphabet.firstIndex(of: mapped) else { return nil }
            buffer = (buffer << 5 | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }

    /// In groups of four, joined by hyphens.
    static func grouped(_ text: String) -> String {
        var groups: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: "-")
    }
}
