/// A share for people to read, computed in integers (no floating point near money).
public enum Percentage {
    /// `part / whole` in percent with two decimals, rounded half up (`"75.00"`); nil when `whole` is
    /// not positive or `part` is negative. Amounts near 64 bits (never real) are divided first
    /// instead of overflowing.
    public static func text(_ part: Int64, of whole: Int64) -> String? {
        guard whole > 0, part >= 0 else { return nil }
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 10_000)
        let (rounded, overflow2) = scaled.addingReportingOverflow(whole / 2)
        let basisPoints = overflow || overflow2 ? part / max(1, whole / 10_000) : rounded / whole
        return "\(basisPoints / 100).\(basisPoints % 100 < 10 ? "0" : "")\(basisPoints % 100)"
    }
}
