import Foundation
public import PikouCore
import ReconStore

/// A list of failures narrowed beyond the store's filter: by the next step's kind on a day, and by
/// the attempts made (the console's 失败明细).
public struct FailureQuery: Sendable, Hashable, CustomStringConvertible {
    public var filter: FailureFilter
    public var step: NextStep.Kind?
    public var minimumAttempts: Int?
    /// What a person typed to find a payer (``FailureSearch``).
    public var search: FailureSearch?

    public init(filter: FailureFilter, step: NextStep.Kind? = nil, minimumAttempts: Int? = nil, search: FailureSearch? = nil) {
        self.filter = filter
        self.step = step
        self.minimumAttempts = minimumAttempts
        self.search = search
    }

    public var description: String {
        "\(filter)|\(step?.rawValue ?? "")|\(minimumAttempts.map(String.init) ?? "")|\(search.map { "\($0.text)|\($0.personal)" } ?? "")"
    }
}

/// A search of failed debits by what a caller gives: the whole ID number, or — for a reader who
/// sees payers' details whole (an operator) — a name or part of it, a phone number, an account
/// number or its last four digits or more. A reader who sees them masked (finance, an auditor)
/// finds by ID number only: a name or an account that hits would unmask it.
public struct FailureSearch: Sendable, Hashable {
    public var text: String
    /// Whether names, phones and accounts may be searched.
    public var personal: Bool

    public init?(_ text: String, personal: Bool) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 40 else { return nil }
        (self.text, self.personal) = (trimmed, personal)
    }

    public func matches(_ record: FailureRecord) -> Bool {
        if record.idNumber.value == text.uppercased() { return true }
        guard personal else { return false }
        let digits = text.allSatisfy { $0.isASCII && $0.isNumber }
        if digits {
            return record.phone == text || record.account.number == text || (text.count >= 4 && record.account.number.hasSuffix(text))
        }
        return record.name.contains(text)
    }
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
        guard query.step != nil || query.minimumAttempts != nil || query.search != nil else { return ids }
        var kept = Set<Int64>()
        for failure in try await failures(query.filter, today: today)
        where (query.step.map { failure.next.kind == $0 } ?? true) && (query.minimumAttempts.map { failure.record.attempts >= $0 } ?? true)
            && (query.search.map { $0.matches(failure.record) } ?? true) {
            kept.insert(failure.record.debitID)
        }
        return ids.filter(kept.contains)
    }

    /// Every failure `query` selects, each with its next step on `today` (an export of 失败明细).
    public func failures(_ query: FailureQuery, today: CivilDate) async throws -> [FailureStep] {
        var filter = query.filter
        filter.debitIDs = try await failureIDs(query, today: today)
        return filter.debitIDs!.isEmpty ? [] : try await failures(filter, today: today)
    }

    /// Journals `note` against each failed debit of `debitIDs` (an operator's note on selected rows
    /// of 失败明细: who was called, what they said): one entry per debit, its subject the payer's
    /// masked ID, so the payer's page shows it. Returns how many were noted.
    ///
    /// - Throws: ``PikouError`` (`failure.note`) for an empty or over-long note, or one with control characters.
    public func noteFailures(debitIDs: [Int64], note: String, actor: String, today: CivilDate) async throws -> Int {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 200, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PikouError("failure.note", Message(zh: "备注须为 1 至 200 个字，不含控制字符", en: "a note is 1 to 200 characters, without control characters"))
        }
        guard !debitIDs.isEmpty else { return 0 }
        let failures = try await failures(FailureFilter(debitIDs: debitIDs), today: today)
        for failure in failures {
            let f = failure.record
            try await journal(actor: actor, action: "failure.note", subject: f.idNumber.masked, detail: "\(f.period) \(f.bank) \(f.fileName): \(text)")
        }
        return failures.count
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
