public import PikouCore
public import Foundation
import ReconStore

extension UseCases {
    /// What a send run did.
    public struct NoticeSendReport: Sendable {
        public var sent = 0
        /// Of `sent`: notices an earlier, unanswered attempt had delivered, as the gateway said when
        /// asked (a gateway that does not dedup by client reference): recorded, not sent again.
        public var confirmed = 0
        /// Refused by the gateway for good (an empty number): kept as failed, with the reason.
        public var failed = 0
        /// The gateway was busy or out of reach: left planned, sent by the next run.
        public var later = 0
        /// Inside the quiet hours: nothing sent.
        public var quiet = false
        /// The gateway refused Pikou itself (token, address): the run stopped, with why.
        public var stopped: String?
        /// The last reasons, for the screen (masked).
        public var reasons: [String] = []
    }

    /// Sends the outbox's planned notices through `gateway`, oldest first, at most the templates'
    /// `max_per_second`, none inside the quiet hours (`minute()`: minutes after midnight, China time,
    /// asked before each notice: a run that reaches the quiet hours stops there).
    /// Payers who opted out since planning are left out.
    ///
    /// Each attempt is counted in the store before the request and the answer recorded after it; a
    /// notice's client reference is the same on every attempt. After a crash between the gateway's
    /// answer and the record (or a timeout), a gateway that dedups by the reference is simply sent the
    /// notice again; one that does not (阿里云短信) is first asked whether the earlier attempt reached
    /// it, and the notice recorded as sent when it did. A notice the gateway refuses is failed with its
    /// reason; one it could not take is left for the next run, up to `maxAttempts`.
    public func sendNotices(through gateway: any NoticeGateway, minute: () -> Int, now: () -> Date = { Date() },
                            maxAttempts: Int = 3, limit: Int? = nil, actor: String) async throws -> NoticeSendReport {
        let templates = try NoticeTemplates.load(workspace: workspace)
        var report = NoticeSendReport()
        let interval = Duration.seconds(1) / templates.maxPerSecond
        let clock = ContinuousClock()
        var next = clock.now
        var left = limit ?? .max
        var skipped: Set<Int64> = []  // left for a later run (too soon to ask, a number's own limit)
        sending: while left > 0 {
            // A notice whose last attempt has no answer is selected once more after its last try: a
            // gateway that dedups takes the same reference again, one that does not is asked.
            let batch = try await store.noticesToSend(limit: min(left, 500) + skipped.count, maxAttempts: maxAttempts + 1)
                .filter { !skipped.contains($0.id) }
            if batch.isEmpty { break }
            var progressed = false
            for notice in batch.prefix(min(left, 500)) {
                if templates.isQuiet(minute: minute()) {
                    report.quiet = true
                    break sending
                }
                try await clock.sleep(until: next)
                next = clock.now.advanced(by: interval)
                let outgoing = OutgoingNotice(clientRef: notice.clientRef, mobile: notice.phone, text: notice.text, kind: notice.kind, values: notice.values)
                let final = notice.attempts + 1 >= maxAttempts
                // An earlier attempt without a recorded answer may have reached a gateway that would
                // send a second request as a second message: ask it first — once the platform has had
                // time to take it, and while it still keeps its records.
                if notice.attempts > 0 && !gateway.dedupsByClientRef {
                    let age = Self.age(notice.attemptedAt, now: now())
                    if age < Double(gateway.settleSeconds) {
                        skipped.insert(notice.id)
                        report.later += 1
                        continue
                    }
                    let asked: String?
                    do throws(GatewayError) {
                        guard age <= Double(gateway.lookupDays) * 86_400 else {
                            throw GatewayError.refused(Catalogue.noticeUncheckable(days: gateway.lookupDays).text)
                        }
                        asked = try await gateway.find(outgoing, on: Self.attemptDays(notice.attemptedAt, today: FileIO.todayInChina(now())))
                    } catch {
                        switch error {
                        case .misconfigured(let why):
                            report.stopped = Masking.numbers(in: why)
                            break sending
                        case .unavailable(let why):
                            // Out of reach: nothing about the notice changes; the next run asks again.
                            report.later += 1
                            report.reasons.append(Masking.numbers(in: why))
                            break sending
                        case .refused(let why), .deferred(let why):
                            // It cannot say whether the earlier attempt arrived: failed, never sent again.
                            let reason = Catalogue.noticeNotResent(why).text
                            try await store.finishNotice(id: notice.id, gatewayID: nil, error: reason, final: true, uncounted: false)
                            report.failed += 1
                            report.reasons.append("\(Masking.phone(notice.phone)): \(Masking.numbers(in: reason))")
                            progressed = true
                            continue
                        }
                    }
                    if let id = asked {
                        try await store.finishNotice(id: notice.id, gatewayID: id, error: nil, final: false, uncounted: false)
                        report.sent += 1
                        report.confirmed += 1
                        progressed = true
                        left -= 1
                        if left == 0 { break sending }
                        continue
                    }
                    if notice.attempts >= maxAttempts {
                        // Its last attempt never arrived (a crash took the answer): no fourth.
                        try await store.finishNotice(id: notice.id, gatewayID: nil, error: Catalogue.noticeTriedOut(maxAttempts).text, final: true, uncounted: false)
                        report.failed += 1
                        progressed = true
                        continue
                    }
                }
                _ = try await store.beginNoticeAttempt(id: notice.id)
                CrashHook.point("notice.begun")
                let answer: Result<String, GatewayError>
                do { answer = .success(try await gateway.send(outgoing)) } catch { answer = .failure(error) }
                switch answer {
                case .success(let id):
                    CrashHook.point("notice.answered")
                    try await store.finishNotice(id: notice.id, gatewayID: id, error: nil, final: false, uncounted: false)
                    report.sent += 1
                    progressed = true
                case .failure(.refused(let why)):
                    try await store.finishNotice(id: notice.id, gatewayID: nil, error: why, final: true, uncounted: false)
                    report.failed += 1
                    report.reasons.append("\(Masking.phone(notice.phone)): \(Masking.numbers(in: why))")
                    progressed = true
                case .failure(.deferred(let why)):
                    // This notice, later (a number's own limit): the rest go on.
                    try await store.finishNotice(id: notice.id, gatewayID: nil, error: why, final: final, uncounted: false)
                    if final { report.failed += 1 } else { report.later += 1 }
                    skipped.insert(notice.id)
                    report.reasons.append("\(Masking.phone(notice.phone)): \(Masking.numbers(in: why))")
                    progressed = true
                case .failure(.unavailable(let why)):
                    try await store.finishNotice(id: notice.id, gatewayID: nil, error: why, final: final, uncounted: false)
                    if final { report.failed += 1 } else { report.later += 1 }
                    report.reasons.append(Masking.numbers(in: why))
                    // A gateway out of reach is out of reach for the rest too: stop, the next run goes on.
                    break sending
                case .failure(.misconfigured(let why)):
                    try await store.finishNotice(id: notice.id, gatewayID: nil, error: why, final: false, uncounted: true)
                    report.stopped = Masking.numbers(in: why)
                    break sending
                }
                left -= 1
                if left == 0 { break sending }
            }
            if !progressed { break }
        }
        if report.sent + report.failed > 0 {
            report.quiet = false  // said by the counts
            try await store.appendJournal(actor: actor, action: "notices.send", subject: "gateway",
                                          detail: "\(report.sent) notices sent (\(report.confirmed) confirmed delivered before), \(report.failed) failed, \(report.later) to retry")
        }
        report.reasons = Array(report.reasons.suffix(5))
        return report
    }

    /// Seconds since `attemptedAt` (ISO 8601); a time that does not read is taken as long ago.
    static func age(_ attemptedAt: String, now: Date) -> Double {
        guard let date = parse(attemptedAt) else { return .greatestFiniteMagnitude }
        return now.timeIntervalSince(date)
    }

    static func parse(_ iso: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: iso) ?? ISO8601DateFormatter().date(from: iso)
    }

    /// The days (China time) an attempt begun at `attemptedAt` (ISO 8601) may have reached a gateway:
    /// its own, and the next when that has come (an attempt just before midnight).
    static func attemptDays(_ attemptedAt: String, today: CivilDate) -> [CivilDate] {
        guard let date = parse(attemptedAt) else { return [today] }
        let day = FileIO.todayInChina(date)
        let next = day.adding(days: 1)
        return next <= today ? [day, next] : [day]
    }
}
