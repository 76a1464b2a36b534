import PikouCore

/// The payers one roster file has named so far, at 12 bytes a payer: an open-addressing table of
/// the ID number's 17 digits (the 18th is their check character) with a flag per insurance, and
/// the payer's first line beside it. A province's roster (10,000,000 payers) fits in about 170 MB;
/// a Swift dictionary of the same (a quarter of its buckets empty at best, doubled when it grows)
/// took 540 MB. What the payer's rows must repeat (name, phone, address, household) is not kept
/// here: ``RosterImport/Checker`` keeps it for the payers of the last two chunks, and asks the store
/// for the others (their first row is written by then).
struct SeenPayers {
    /// The most a table holds before it grows: 4 in 5 slots.
    private static let loadNumerator = 4, loadDenominator = 5
    private static let pensionFlag: UInt64 = 1 << 62
    private static let medicalFlag: UInt64 = 1 << 63
    /// The payer's first line is its medical row.
    private static let firstMedicalFlag: UInt64 = 1 << 61
    private static let digitsMask: UInt64 = (1 << 57) - 1  // 10^17 < 2^57

    /// 0: empty; else the digits plus one, with the insurance flags above them.
    private var slots: [UInt64]
    private var lines: [UInt32]
    private(set) var count = 0

    /// What the table knows of a payer.
    struct Entry: Equatable {
        var firstLine: Int
        /// The insurance of the payer's first line.
        var firstInsurance: Insurance
        var pension: Bool
        var medical: Bool

        func has(_ insurance: Insurance) -> Bool { insurance == .medical ? medical : pension }
    }

    init(expecting payers: Int = 1 << 14) {
        let capacity = Self.capacity(for: payers)
        slots = Array(repeating: 0, count: capacity)
        lines = Array(repeating: 0, count: capacity)
    }

    /// Slots for `payers` within the load limit (any number: a hash is scaled to it, not masked).
    private static func capacity(for payers: Int) -> Int {
        max(1 << 10, max(payers, 1) * loadDenominator / loadNumerator + 1)
    }

    /// An 18-character ID number (already validated) as its 17 digits.
    static func digits(_ id: String) -> UInt64 {
        var value: UInt64 = 0
        for byte in id.utf8.prefix(17) { value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0")) }
        return value
    }

    private func slot(of digits: UInt64) -> (index: Int, found: Bool) {
        let key = digits + 1
        var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(slots.count)).high)
        while true {
            let stored = slots[index]
            if stored == 0 { return (index, false) }
            if stored & Self.digitsMask == key { return (index, true) }
            index += 1
            if index == slots.count { index = 0 }
        }
    }

    func entry(_ digits: UInt64) -> Entry? {
        let (index, found) = slot(of: digits)
        guard found else { return nil }
        let stored = slots[index]
        return Entry(firstLine: Int(lines[index]), firstInsurance: stored & Self.firstMedicalFlag != 0 ? .medical : .pension,
                     pension: stored & Self.pensionFlag != 0, medical: stored & Self.medicalFlag != 0)
    }

    /// Records a row of `insurance` for the payer; the payer's first line is kept from its first row.
    mutating func add(_ digits: UInt64, insurance: Insurance, line: Int) {
        var (index, found) = slot(of: digits)
        if !found {
            if (count + 1) * Self.loadDenominator > slots.count * Self.loadNumerator {
                reserve(payers: (count + 1) * 3 / 2)
                index = slot(of: digits).index
            }
            slots[index] = (digits + 1) | (insurance == .medical ? Self.firstMedicalFlag : 0)
            lines[index] = UInt32(clamping: line)
            count += 1
        }
        slots[index] |= insurance == .medical ? Self.medicalFlag : Self.pensionFlag
    }

    /// Makes room for `payers` without growing again (a no-op when there is room already).
    mutating func reserve(payers: Int) {
        let capacity = Self.capacity(for: payers)
        guard capacity > slots.count else { return }
        let (oldSlots, oldLines) = (slots, lines)
        slots = []  // the old arrays are the only copies while the new ones fill
        lines = []
        slots = Array(repeating: 0, count: capacity)
        lines = Array(repeating: 0, count: capacity)
        for (stored, line) in zip(oldSlots, oldLines) where stored != 0 {
            let index = slot(of: (stored & Self.digitsMask) - 1).index
            slots[index] = stored
            lines[index] = line
        }
    }
}
