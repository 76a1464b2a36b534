import ArgumentParser
import Foundation
import PikouCore
import PikouCycle

/// `pikou notify plan|list|export|opt-out|opt-in`: notices to payers.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: Catalogue.Help.notify.text, discussion: Catalogue.Help.notifyDiscussion.text,
        subcommands: [Plan.self, Send.self, Retry.self, List.self, Export.self, OptOut.self, OptIn.self])

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.notifyPlan.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeKind.text), transform: kindArgument) var kind: NoticeKind
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticePeriod.text), transform: periodArgument) var period: Period?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeMonths.text)) var months: Int = 2
        @Option(help: ArgumentHelp(Catalogue.Help.Option.coverYear.text)) var year: Int?
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.dryRun.text)) var dryRun = false
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeDate.text, valueName: "YYYY-MM-DD")) var date: String?
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let today = try date.map { try parseDate($0, option: "--date") } ?? todayInChina()
            guard months >= 1 else { throw usageError(Message(zh: "--months 至少为 1", en: "--months must be 1 or more")) }
            let workspace = try options.load()
            let lock = dryRun ? nil : try await locking.lock(workspace, command: "notify plan", actor: options.actorName)
            defer { lock?.release() }
            let pikou = try await options.open(workspace)
            let run = try await reporting {
                try await pikou.planNotices(kind: kind, period: period, months: months, year: year, today: today, dryRun: dryRun, actor: options.actorName)
            }
            for line in Catalogue.noticesPlanned(kind: kind, subject: run.subject, made: run.notices.count, planning: run.stored, noMobile: run.noMobile,
                                                 settled: run.settled, disabled: run.disabled) {
                print(line.text)
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.notifySend.text, discussion: Catalogue.Help.notifySendDiscussion.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeLimit.text)) var limit: Int?
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let workspace = try options.load()
            guard let config = workspace.smsGateway else {
                printError(PikouError("notices.noGateway", Catalogue.noGateway(workspace.configPath)).rendered)
                throw ExitCode(1)
            }
            let lock = try await locking.lock(workspace, command: "notify send", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let report = try await reporting {
                try await pikou.sendNotices(through: config.gateway(templates: try NoticeTemplates.load(workspace: workspace)), minute: { let now = FileIO.nowInChina(); return now.hour * 60 + now.minute },
                                            limit: limit, actor: options.actorName)
            }
            for line in Catalogue.noticesSent(sent: report.sent, confirmed: report.confirmed, failed: report.failed, later: report.later, quiet: report.quiet, stopped: report.stopped, reasons: report.reasons) {
                print(line.text)
            }
            if report.stopped != nil { throw ExitCode(1) }
            if report.later > 0 || report.failed > 0 { throw ExitCode(2) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.notifyList.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeKindOptional.text), transform: kindArgument) var kind: NoticeKind?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeSubject.text)) var subject: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeState.text), transform: stateArgument) var state: NoticeState?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticePayer.text)) var id: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.listFormat.text)) var format: ListFormat = .table
        @OptionGroup var limit: LimitOption
        @OptionGroup var csv: CSVColumnsOption

        func run() async throws {
            let workspace = try options.load()
            let pikou = try await options.open(workspace)
            let idNumber = try id.map { try idNumberArgument($0, option: "--id") }
            let notices = try await reporting { try await pikou.notices(NoticeFilter(kind: kind, subject: subject, state: state, idNumber: idNumber)) }
            printRows(NoticeList.columns, notices.map(NoticeList.cells), format: format, limit: limit.value, width: limit.width, headers: csv.headers)
            if format == .table { print(Catalogue.countLine(notices.count).text) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.notifyExport.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeOut.text, valueName: "FILE")) var out: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeKindOptional.text), transform: kindArgument) var kind: NoticeKind?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeSubject.text)) var subject: String?
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "notify export", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let count = try await reporting { try await pikou.exportNotices(NoticeFilter(kind: kind, subject: subject), to: out, actor: options.actorName) }
            print(Catalogue.noticesExported(count, path: out).text)
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.notifyRetry.text, discussion: Catalogue.Help.notifyRetryDiscussion.text)
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeKindOptional.text), transform: kindArgument) var kind: NoticeKind?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeSubject.text)) var subject: String?
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticePayer.text)) var id: String?
        @OptionGroup var locking: LockOptions

        func run() async throws {
            let idNumber = try id.map { try idNumberArgument($0, option: "--id") }
            let workspace = try options.load()
            let lock = try await locking.lock(workspace, command: "notify retry", actor: options.actorName)
            defer { lock.release() }
            let pikou = try await options.open(workspace)
            let count = try await reporting { try await pikou.retryFailedNotices(NoticeFilter(kind: kind, subject: subject, idNumber: idNumber), actor: options.actorName) }
            print(Catalogue.noticesRetried(count).text)
        }
    }

    struct OptOut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "opt-out", abstract: Catalogue.Help.notifyOptOut.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.noticeID.text)) var id: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeOptKind.text), transform: kindArgument) var kind: NoticeKind?

        func run() async throws { try await setOptOut(options: options, id: id, kind: kind, optedOut: true) }
    }

    struct OptIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "opt-in", abstract: Catalogue.Help.notifyOptIn.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.noticeID.text)) var id: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.noticeOptKind.text), transform: kindArgument) var kind: NoticeKind?

        func run() async throws { try await setOptOut(options: options, id: id, kind: kind, optedOut: false) }
    }
}

private func setOptOut(options: StoreOptions, id: String, kind: NoticeKind?, optedOut: Bool) async throws {
    let idNumber = try idNumberArgument(id, option: "ID")
    let workspace = try options.load()
    let pikou = try await options.open(workspace)
    let changed = try await reporting { try await pikou.setNoticeOptOut(idNumber: idNumber, kind: kind, optedOut: optedOut, actor: options.actorName) }
    print(Catalogue.noticeOptOut(idNumber.masked, kind: kind, optedOut: optedOut, changed: changed).text)
}

private func kindArgument(_ text: String) throws -> NoticeKind {
    guard let kind = NoticeKind(rawValue: text) else {
        throw usageError(Message(zh: "--kind '\(text)' 不是通知类型", en: "--kind '\(text)' is not a kind of notice"),
                         fix: Message(zh: "写以下之一：\(Catalogue.noticeKinds.zh)", en: "write one of \(Catalogue.noticeKinds.en)"))
    }
    return kind
}

private func stateArgument(_ text: String) throws -> NoticeState {
    guard let state = NoticeState(rawValue: text) else {
        throw usageError(Message(zh: "--state '\(text)' 不是通知的状态", en: "--state '\(text)' is not a notice's state"),
                         fix: Message(zh: "写 planned（待发送）、sent、failed 或 exported", en: "write planned, sent, failed or exported"))
    }
    return state
}
