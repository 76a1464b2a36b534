/// Rates as people read them: the one rule every rate in Pikou follows (CLI, console, XLSX, CSV),
/// stated once in the catalogue (``Catalogue/rateRule``): a percentage with **one decimal, rounded
/// half up** (95.55 % → 95.6 %, 95.549 % → 95.5 %), from integers (no floating point).
public enum Percentage {
    /// `part / whole` in per mille, rounded half up (`2/3` → 667); nil when `whole` is not positive or
    /// `part` is negative. Figures near 64 bits (never real) are divided first instead of overflowing.
    public static func permille(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole > 0, part >= 0 else { return nil }
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 1_000)
        let (rounded, overflow2) = scaled.addingReportingOverflow(whole / 2)
        return overflow || overflow2 ? part / max(1, whole / 1_000) : rounded / whole
    }

    /// `part / whole` in percent with one decimal, rounded half up (`"75.0"`, `"66.7"`); nil as for ``permille(_:of:)``.
    public static func text(_ part: Int64, of whole: Int64) -> String? {
        permille(part, of: whole).map(text(permille:))
    }

    /// A per-mille figure as a percentage with one decimal and no sign: 973 → `"97.3"`.
    public static func text(permille: Int64) -> String {
        "\(permille / 10).\(permille % 10)"
    }
}
