public import PikouCore
import ReconStore

/// A list of failures narrowed beyond the store's filter: by the next step's kind on a day, and by
/// the attempts made (the console's 失败明细).
public struct FailureQuery: Sendable, Hashable, CustomStringConvertible {
    public var filter: FailureFilter
    public var step: NextStep.Kind?
    public var minimumAttempts: Int?

    public init(filter: FailureFilter, step: NextStep.Kind? = nil, minimumAttempts: Int? = nil) {
        self.filter = filter
        self.step = step
        self.minimumAttempts = minimumAttempts
    }

    public var description: String { "\(filter)|\(step?.rawValue ?? "")|\(minimumAttempts.map(String.init) ?? "")" }
}

/// What a resubmission would send now, and the reserved files it would write first without
/// having shown them (while any is left, nothing may be confirmed).
public struct ResubmitPreview: Sendable {
    public var report: Resubmission.Report
    public var unwritten: [StoredFile]
    /// Whether the preview may be confirmed: something to send, and no file it has not shown.
    public var confirmable: Bool { unwritten.isEmpty && report.lines > 0 }
}

/// A resubmission confirmed from its preview.
public enum ResubmitAsPreviewed: Sendable {
    /// Written and signed as previewed.
    case written(Resubmission.Report)
    /// What would be sent changed since the preview (another operator, a return file ingested):
    /// nothing was written; here is the preview as it is now.
    case changed(ResubmitPreview)
}

extension UseCases {
    /// The ids of the failures `query` selects, each failure's next step taken on `today`, in
    /// ``failures(_:today:)``'s order: a page of them goes back as `filter.debitIDs`.
    public func failureIDs(_ query: FailureQuery, today: CivilDate) async throws -> [Int64] {
        let ids = try await store.failureIDs(query.filter)
        guard query.step != nil || query.minimumAttempts != nil else { return ids }
        var kept = Set<Int64>()
        for failure in try await failures(query.filter, today: today)
        where (query.step.map { failure.next.kind == $0 } ?? true) && (query.minimumAttempts.map { failure.record.attempts >= $0 } ?? true) {
            kept.insert(failure.record.debitID)
        }
        return ids.filter(kept.contains)
    }

    /// Resubmission on `today` with the enabled banks' specs and that year's calendar.
    public func resubmission(today: CivilDate) throws -> Resubmission {
        let loaded = try workspace.banksAndCalendar(years: [today.year])
        return resubmission(specs: loaded.specs, calendar: loaded.calendar, policy: workspace.retry)
    }

    /// What resubmitting the failures `filter` selects would send on `today` (a dry run).
    public func previewResubmission(_ filter: FailureFilter, actor: String, today: CivilDate) async throws -> ResubmitPreview {
        try await preview(try resubmission(today: today), filter, actor: actor, today: today)
    }

    private func preview(_ resubmission: Resubmission, _ filter: FailureFilter, actor: String, today: CivilDate) async throws -> ResubmitPreview {
        let report = try await resubmission.run(filter: filter, actor: actor, dryRun: true, today: today)
        return ResubmitPreview(report: report, unwritten: try await unwrittenFiles())
    }

    /// Resubmits exactly what was previewed — the same dues of the same payers for the same
    /// amounts (`plan`: the preview's ``Resubmission/Report/planDigest``) — under the workspace's
    /// writing lock; when that changed, or a reserved file would be written first, nothing is written.
    ///
    /// - Throws: ``WorkspaceLock/Busy`` when another command holds the workspace.
    public func resubmitAsPreviewed(_ filter: FailureFilter, plan: String, actor: String, today: CivilDate,
                                    command: String = "console resubmit") async throws -> ResubmitAsPreviewed {
        let lock = try WorkspaceLock.acquire(workspace, command: command, actor: actor, wait: false)
        defer { lock.release() }  // on an error; else closed below
        try await lock.holdStore(workspace, wait: false)
        let resubmission = try resubmission(today: today)  // the specs and calendar read once for both runs
        let current = try await preview(resubmission, filter, actor: actor, today: today)
        guard current.report.planDigest == plan, current.unwritten.isEmpty else {
            await lock.end()
            return .changed(current)
        }
        let report = try await resubmission.run(filter: filter, actor: actor, dryRun: false, today: today)
        _ = try? await anchorJournal()
        // Let go before answering: the next confirmation finds the workspace free, not "busy".
        await lock.end()
        return .written(report)
    }
}
