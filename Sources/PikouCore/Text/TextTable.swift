/// A table for a terminal: columns padded by display width (Chinese text lines up), numbers aligned
/// right, and at most `limit` rows with a line saying how many were left out.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []
    /// Rows after the body (e.g. a total), always shown.
    public private(set) var footer: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func add(_ row: [String]) { rows.append(row) }
    public mutating func addFooter(_ row: [String]) { footer.append(row) }

    /// The table's lines: header, at most `limit` rows (all when nil), footer rows; then, when rows were
    /// left out, ``Catalogue/rowsLeftOut(_:limit:)`` in `language`.
    public func lines(limit: Int? = nil, language: Language = .current) -> [String] {
        let shown = limit.map { Array(rows.prefix(max(0, $0))) } ?? rows
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in shown + footer {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let last = index == columns.count - 1
                if column.alignment == .right {
                    parts.append(cell.padded(left: widths[index]))
                } else {
                    parts.append(last ? cell : cell.padded(to: widths[index]))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(columns.map(\.title))]
        lines += shown.map { line($0) }
        lines += footer.map { line($0) }
        if shown.count < rows.count { lines.append(Catalogue.rowsLeftOut(rows.count - shown.count, limit: shown.count).text(language)) }
        return lines
    }
}
