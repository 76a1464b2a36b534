import Foundation

/// A value bound into a statement: an integer or a text, either possibly NULL (typed, as PostgreSQL
/// wants a NULL's type).
public enum LedgerValue: Sendable, Hashable {
    case integer(Int64?)
    case text(String?)
}

/// A statement written once for both backends: its text with each interpolated value bound in its
/// place — rendered with `?` for SQLite and `$1, $2, …` for PostgreSQL. A value never becomes SQL
/// text; a fragment (``LedgerSQL/StringInterpolation/appendInterpolation(sql:)``) keeps its own binds.
///
/// Write SQL both databases read alike: `CAST(SUM(x) AS BIGINT)` (PostgreSQL's SUM of a bigint is a
/// numeric), `CAST(? AS BIGINT) IS NULL` for an optional filter, `CASE WHEN … THEN 1 ELSE 0 END`
/// rather than a boolean's MAX, `||` to join texts.
public struct LedgerSQL: Sendable, ExpressibleByStringInterpolation {
    enum Piece: Sendable {
        case text(String)
        case value(LedgerValue)
    }
    var pieces: [Piece]

    public init(stringLiteral value: String) { pieces = [.text(value)] }
    public init(stringInterpolation: StringInterpolation) { pieces = stringInterpolation.pieces }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []
        public init(literalCapacity: Int, interpolationCount: Int) { pieces.reserveCapacity(interpolationCount * 2 + 1) }
        public mutating func appendLiteral(_ literal: String) { pieces.append(.text(literal)) }
        public mutating func appendInterpolation(_ value: Int64) { pieces.append(.value(.integer(value))) }
        public mutating func appendInterpolation(_ value: Int) { pieces.append(.value(.integer(Int64(value)))) }
        public mutating func appendInterpolation(_ value: Int64?) { pieces.append(.value(.integer(value))) }
        public mutating func appendInterpolation(_ value: String) { pieces.append(.value(.text(value))) }
        public mutating func appendInterpolation(_ value: String?) { pieces.append(.value(.text(value))) }
        /// A fragment of SQL with its own binds (a shared column list, a condition).
        public mutating func appendInterpolation(sql fragment: LedgerSQL) { pieces += fragment.pieces }
    }

    /// Each value bound, separated by commas (for `IN (…)`).
    public static func list(_ values: [Int64]) -> LedgerSQL { list(values.map { LedgerValue.integer($0) }) }

    /// Each text bound, separated by commas (for `IN (…)`).
    public static func list(_ values: [String]) -> LedgerSQL { list(values.map { LedgerValue.text($0) }) }

    static func list(_ values: [LedgerValue]) -> LedgerSQL {
        var list = LedgerSQL(pieces: [])
        for (index, value) in values.enumerated() {
            if index > 0 { list.pieces.append(.text(", ")) }
            list.pieces.append(.value(value))
        }
        return list
    }


    init(pieces: [Piece]) { self.pieces = pieces }

    /// Whether the statement's text starts with `prefix`.
    func startsWith(_ prefix: String) -> Bool {
        if case .text(let text)? = pieces.first { return text.hasPrefix(prefix) }
        return false
    }

    /// Joins two statements' pieces.
    public static func + (lhs: LedgerSQL, rhs: LedgerSQL) -> LedgerSQL {
        var joined = lhs
        joined.pieces += rhs.pieces
        return joined
    }

    /// The text with `placeholder(n)` for the n-th value (from 1), and the values in order.
    public func rendered(placeholder: (Int) -> String) -> (text: String, values: [LedgerValue]) {
        var text = "", values: [LedgerValue] = []
        for piece in pieces {
            switch piece {
            case .text(let part): text += part
            case .value(let value):
                values.append(value)
                text += placeholder(values.count)
            }
        }
        return (text, values)
    }
}

/// Where the two databases spell a thing differently, each spelling in one place.
public enum LedgerDialect: Sendable {
    case sqlite, postgres

    /// The texts of a group joined by `separator` (`GROUP_CONCAT` / `string_agg`); PostgreSQL
    /// orders them by `orderBy` when given (SQLite's GROUP_CONCAT takes no order).
    public func joined(_ expression: String, separator: String, distinct: Bool = false, orderBy: String? = nil) -> LedgerSQL {
        let quoted = "'" + separator.replacingOccurrences(of: "'", with: "''") + "'"
        switch self {
        case .sqlite:
            // SQLite refuses a separator beside DISTINCT; its default separator is a comma.
            return LedgerSQL(stringLiteral: distinct ? "GROUP_CONCAT(DISTINCT \(expression))" : "GROUP_CONCAT(\(expression), \(quoted))")
        case .postgres:
            return LedgerSQL(stringLiteral: "string_agg(\(distinct ? "DISTINCT " : "")\(expression), \(quoted)\(orderBy.map { " ORDER BY \($0)" } ?? ""))")
        }
    }

    /// `IN (subquery)`; on PostgreSQL `= ANY(ARRAY(subquery))`, which probes an index once per id
    /// the subquery returns (its planner would hash the whole outer table for an `IN`).
    /// The ISO date (`YYYY-MM-DD` text) `days` after the ISO date column `column`, as text.
    public func date(_ column: String, plusDays days: Int) -> LedgerSQL {
        switch self {
        case .sqlite: LedgerSQL(stringLiteral: "date(\(column), '+\(days) days')")
        case .postgres: LedgerSQL(stringLiteral: "to_char(CAST(\(column) AS date) + \(days), 'YYYY-MM-DD')")
        }
    }

    public func inList(_ subquery: LedgerSQL) -> LedgerSQL {
        switch self {
        case .sqlite: "IN (\(sql: subquery))"
        case .postgres: "= ANY(ARRAY(\(sql: subquery)))"
        }
    }

    /// The names (column `name`) of the enabled triggers on the store's own tables.
    public var enabledTriggers: LedgerSQL {
        switch self {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        case .postgres:
            // A disabled trigger (ALTER TABLE … DISABLE TRIGGER) guards nothing.
            """
            SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = to_regnamespace(current_schema())::oid
            """
        }
    }

    /// SQLite's ``schemaObjects`` (also read from the in-memory reference, through GRDB).
    static let sqliteSchemaObjects =
        "SELECT type AS kind, name, sql AS definition FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type, name"

    /// Every table, view, index and trigger of the store (PostgreSQL: also every constraint, rule and
    /// function, and whether each trigger is enabled), as `kind`, `name`, `definition`: what `check`
    /// compares with the schema the migrations make. Statistics and temporary tables are left out.
    public var schemaObjects: LedgerSQL {
        switch self {
        case .sqlite: LedgerSQL(stringLiteral: Self.sqliteSchemaObjects)
        case .postgres:
            // The schema's own name comes out of every definition: the reference is built in another.
            """
            WITH s AS (SELECT to_regnamespace(current_schema())::oid AS oid, quote_ident(current_schema()) || '.' AS prefix)
            SELECT kind, name, replace(definition, (SELECT prefix FROM s), '') AS definition FROM (
                SELECT 'table' AS kind, c.relname::text AS name,
                       string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                                  ', ' ORDER BY a.attnum) AS definition
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relnamespace = (SELECT oid FROM s) AND c.relkind IN ('r', 'p') GROUP BY c.relname
                UNION ALL
                SELECT 'view', c.relname::text, pg_get_viewdef(c.oid) FROM pg_class c
                WHERE c.relnamespace = (SELECT oid FROM s) AND c.relkind IN ('v', 'm')
                UNION ALL
                SELECT 'index', c.relname::text, pg_get_indexdef(c.oid) FROM pg_class c
                WHERE c.relnamespace = (SELECT oid FROM s) AND c.relkind = 'i'
                UNION ALL
                SELECT 'trigger', t.tgname::text, pg_get_triggerdef(t.oid) || ' ENABLED ' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE NOT t.tgisinternal AND c.relnamespace = (SELECT oid FROM s)
                UNION ALL
                SELECT 'constraint', c.relname || '.' || k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                WHERE c.relnamespace = (SELECT oid FROM s)
                UNION ALL
                SELECT 'rule', r.tablename || '.' || r.rulename, r.definition FROM pg_rules r WHERE r.schemaname = current_schema()
                UNION ALL
                SELECT 'function', p.proname::text, pg_get_functiondef(p.oid) FROM pg_proc p
                WHERE p.pronamespace = (SELECT oid FROM s) AND p.prokind = 'f'
            ) o ORDER BY kind, name
            """
        }
    }

    /// The id a new return file takes, above every id used, an undone file's included (SQLite would
    /// hand out an undone newest file's id again, and the journal names files by id; PostgreSQL's
    /// sequence never goes back).
    public var nextReturnFileID: LedgerSQL {
        switch self {
        case .sqlite: "(SELECT COALESCE(MAX(m), 0) + 1 FROM (SELECT MAX(id) AS m FROM return_files UNION ALL SELECT MAX(return_file_id) FROM return_undos))"
        case .postgres: "nextval(pg_get_serial_sequence('return_files', 'id'))"
        }
    }

    /// The dues table as `d`, walked in its unique key's order (payer, insurance, period): SQLite is
    /// told the index (its planner would take the period index for a range of periods and sort).
    public var duesByPayer: LedgerSQL {
        switch self {
        case .sqlite: "dues d INDEXED BY sqlite_autoindex_dues_1"
        case .postgres: "dues d"
        }
    }
}
