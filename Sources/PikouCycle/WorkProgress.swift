/// How far a long piece of work has got, for a progress bar or a log line.
///
/// The use cases report it; the CLI (and later the console) decides how to show it. `done` counts
/// `stage.unit`s; `total` is known when the work can count ahead; `fraction` is given when the
/// progress is measured in other units than those counted (a roster's bytes read, say).
public struct WorkProgress: Sendable, Hashable {
    public enum Stage: String, Sendable, Hashable, CaseIterable {
        case rosterImport, planning, composing, reserving, writing, simulating, ingesting, reconciling
    }

    public var stage: Stage
    public var done: Int
    public var total: Int?
    public var fraction: Double?

    public init(_ stage: Stage, done: Int = 0, total: Int? = nil, fraction: Double? = nil) {
        self.stage = stage
        self.done = done
        self.total = total
        self.fraction = fraction
    }

    /// The share of the stage done, 0...1, when it can be told.
    public var share: Double? {
        if let fraction { return min(1, max(0, fraction)) }
        guard let total, total > 0 else { return nil }
        return min(1, Double(done) / Double(total))
    }
}
