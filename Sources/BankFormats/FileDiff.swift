import PikouCore

/// What changed between two bank files of one layout (`pikou file diff A B`): records matched by
/// their sequence number, as the bank matches them; each changed record with the fields that differ.
/// Values are masked as every output is (ID numbers, names, accounts), unless `whole`.
public struct FileDiff: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var field: String
        public var old: String
        public var new: String
    }

    public struct Record: Sendable, Hashable {
        public var sequence: Int
        /// Line numbers in the first and the second file (nil: not there).
        public var oldLine: Int?
        public var newLine: Int?
        public var changes: [Change]
    }

    /// In the second file only, in its order.
    public var added: [Record] = []
    /// In the first file only, in its order.
    public var removed: [Record] = []
    /// In both, with at least one field different, in the second file's order.
    public var changed: [Record] = []
    /// Sequence numbers that occur more than once in a file: those records are compared by position
    /// among their namesakes.
    public var duplicateSequences: [Int] = []

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The fields compared, by the names the specs give their sources.
    public static let fields: [(name: String, value: @Sendable (ParsedLine, Bool) -> String)] = [
        ("id_number", { $1 ? $0.line.payerIDNumber : Masking.idNumber($0.line.payerIDNumber) }),
        ("name", { $1 ? $0.line.payerName : Masking.name($0.line.payerName) }),
        ("account", { $1 ? $0.line.account : Masking.account($0.line.account) }),
        ("agreement_no", { line, _ in line.line.agreementNo }),
        ("amount", { line, _ in line.line.amount.yuanText }),
        ("period", { line, _ in line.line.period }),
        ("memo", { line, _ in line.line.memo }),
        ("result_code", { line, _ in line.line.resultCode }),
        ("result_text", { line, _ in line.line.resultText }),
        ("bank_serial", { line, _ in line.line.bankSerial }),
        ("outcome", { line, _ in line.outcome?.rawValue ?? "" }),
    ]

    public init(old: [ParsedLine], new: [ParsedLine], whole: Bool = false) {
        func bySequence(_ lines: [ParsedLine]) -> [Int: [ParsedLine]] { Dictionary(grouping: lines, by: \.line.sequence) }
        let before = bySequence(old), after = bySequence(new)
        duplicateSequences = Set(before.filter { $0.value.count > 1 }.keys).union(after.filter { $0.value.count > 1 }.keys).sorted()
        var seen: [Int: Int] = [:]
        for line in new {
            let sequence = line.line.sequence
            let index = seen[sequence, default: 0]
            seen[sequence] = index + 1
            guard let namesakes = before[sequence], index < namesakes.count else {
                added.append(Record(sequence: sequence, oldLine: nil, newLine: line.lineNumber, changes: []))
                continue
            }
            let previous = namesakes[index]
            let changes = Self.fields.compactMap { field -> Change? in
                let (a, b) = (field.value(previous, whole), field.value(line, whole))
                // Masked values can look alike while the numbers differ: compare the whole values.
                let differs = field.value(previous, true) != field.value(line, true)
                return differs ? Change(field: field.name, old: a, new: b) : nil
            }
            if !changes.isEmpty { changed.append(Record(sequence: sequence, oldLine: previous.lineNumber, newLine: line.lineNumber, changes: changes)) }
        }
        for (sequence, namesakes) in before {
            let kept = after[sequence]?.count ?? 0
            for line in namesakes.dropFirst(kept) {
                removed.append(Record(sequence: sequence, oldLine: line.lineNumber, newLine: nil, changes: []))
            }
        }
        removed.sort { ($0.oldLine ?? 0) < ($1.oldLine ?? 0) }
    }
}
