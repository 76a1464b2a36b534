public import PikouCore
import Foundation
import ReconStore

extension UseCases {
    /// What a send run did.
    public struct NoticeSendReport: Sendable {
        public var sent = 0
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
    /// notice's client reference is the same on every attempt, so a crash between the gateway's answer
    /// and the record (or a timeout) sends it again under the same reference, which the gateway takes
    /// as the one message. A notice the gateway refuses is failed with its reason; one it could not
    /// take is left for the next run, up to `maxAttempts`.
    public func sendNotices(through gateway: any NoticeGateway, minute: () -> Int, maxAttempts: Int = 3, limit: Int? = nil, actor: String) async throws -> NoticeSendReport {
        let templates = try NoticeTemplates.load(workspace: workspace)
        var report = NoticeSendReport()
        let interval = Duration.seconds(1) / templates.maxPerSecond
        let clock = ContinuousClock()
        var next = clock.now
        var left = limit ?? .max
        sending: while left > 0 {
            let batch = try await store.noticesToSend(limit: min(left, 500), maxAttempts: maxAttempts)
            if batch.isEmpty { break }
            var progressed = false
            for notice in batch {
                if templates.isQuiet(minute: minute()) {
                    report.quiet = true
                    break sending
                }
                try await clock.sleep(until: next)
                next = clock.now.advanced(by: interval)
                let reference = try await store.beginNoticeAttempt(id: notice.id)
                CrashHook.point("notice.begun")
                let answer: Result<String, GatewayError>
                do { answer = .success(try await gateway.send(clientRef: reference, mobile: notice.phone, text: notice.text)) } catch { answer = .failure(error) }
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
                case .failure(.unavailable(let why)):
                    let final = notice.attempts + 1 >= maxAttempts
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
                                          detail: "\(report.sent) notices sent, \(report.failed) failed, \(report.later) to retry")
        }
        report.reasons = Array(report.reasons.suffix(5))
        return report
    }
}
