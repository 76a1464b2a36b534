/// A table for a terminal: columns padded by display width (Chinese text lines up), numbers aligned
/// right, and at most `limit` rows with a line saying how many were left out.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        /// When the table is wider than the screen, columns with a `drop` rank are left out, the
        /// lowest rank first, until it fits (nil: always shown).
        public var drop: Int?
        /// A free-text column cut with `…` when leaving columns out was not enough (the last resort).
        public var shrinks: Bool
        public init(_ title: String, _ alignment: Alignment = .left, drop: Int? = nil, shrinks: Bool = false) {
            self.title = title
            self.alignment = alignment
            self.drop = drop
            self.shrinks = shrinks
        }
    }

    /// The screen's width tables fit by default (`--wide`: as wide as their cells).
    public static let screenWidth = 100

    public var columns: [Column]
    public private(set) var rows: [[String]] = []
    /// Rows after the body (e.g. a total), always shown.
    public private(set) var footer: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func add(_ row: [String]) { rows.append(row) }
    public mutating func addFooter(_ row: [String]) { footer.append(row) }

    /// The table's lines: header, at most `limit` rows (all when nil), footer rows; then, when rows were
    /// left out, ``Catalogue/rowsLeftOut(_:limit:)`` in `language`. With `width`, the table fits it:
    /// droppable columns are left out (and named on a last line), then shrinkable ones are cut.
    public func lines(limit: Int? = nil, width: Int? = nil, language: Language = .current) -> [String] {
        let shown = limit.map { Array(rows.prefix(max(0, $0))) } ?? rows
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in shown + footer {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        var kept = Array(columns.indices)
        func total(shrunk: Bool = false) -> Int {
            kept.map { shrunk && columns[$0].shrinks ? min(widths[$0], Self.shrunkWidth) : widths[$0] }.reduce(0, +) + 2 * max(0, kept.count - 1)
        }
        var left: [String] = []
        if let width {
            // Columns are left out only while cutting the free text (to a readable width) would not be enough.
            let droppable = columns.indices.filter { columns[$0].drop != nil }.sorted { columns[$0].drop! < columns[$1].drop! }
            for index in droppable where total(shrunk: true) > width {
                kept.removeAll { $0 == index }
                left.append(columns[index].title)
            }
            for index in kept where columns[index].shrinks && total() > width {
                widths[index] = min(widths[index], max(Self.shrunkWidth, widths[index] - (total() - width)))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (position, index) in kept.enumerated() {
                let column = columns[index]
                var cell = index < cells.count ? cells[index] : ""
                if DisplayWidth.of(cell) > widths[index] { cell = Self.cut(cell, to: widths[index]) }
                let last = position == kept.count - 1
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
        if !left.isEmpty { lines.append(Catalogue.columnsLeftOut(left).text(language)) }
        return lines
    }

    /// The narrowest a free-text column is cut to before columns are left out instead.
    static let shrunkWidth = 24

    /// `text` cut to `width` display columns, `…` last.
    static func cut(_ text: String, to width: Int) -> String {
        var result = "", used = 0
        for character in text {
            let size = DisplayWidth.of(String(character))
            if used + size > width - 1 { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }
}
