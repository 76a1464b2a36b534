public import PikouCore

/// The catalogue's staff alerts: one line each, the command to look closer kept beside it.
extension Catalogue {
    public enum Alerts {
        /// `message`: the error it ended with (nil when it only set its exit status; the run log says why).
        public static func jobFailed(command: String, exitCode: Int32, message: String?) -> Message {
            Message(zh: "定时任务 pikou \(command) 失败（退出码 \(exitCode)）" + (message.map { "：" + $0 } ?? "，详见运行日志"),
                    en: "the scheduled pikou \(command) failed (exit \(exitCode))" + (message.map { ": " + $0 } ?? "; the run log says why"))
        }

        public static func returnPosted(bank: String, debitFile: String, succeeded: Int, failed: Int) -> Message {
            Message(zh: "\(bank)的回盘文件已入账（批扣文件 \(debitFile)）：成功 \(succeeded) 笔，失败 \(failed) 笔",
                    en: "\(bank)'s return file posted (debit file \(debitFile)): \(succeeded) succeeded, \(failed) failed")
        }

        public static func returnRefused(file: String, reason: Message) -> Message {
            Message(zh: "回盘文件 \(file) 被拒收，未入账：\(reason.zh)", en: "return file \(file) refused, nothing posted: \(reason.en)")
        }

        /// `when`: a month `2026-12`, or a cover year when `residents`.
        public static func verdictChanged(when: String, residents: Bool, from: String, to: String) -> Message {
            func name(_ verdict: String) -> Message { MoneyCheck.State(rawValue: verdict)?.label ?? Message(zh: verdict, en: verdict) }
            let what = residents ? Message(zh: "\(when) 年度城乡居民", en: "residents' \(when)") : Message(zh: when, en: when)
            return Message(zh: "\(what.zh) 的钱表相符由「\(name(from).zh)」变为「\(name(to).zh)」", en: "\(what.en): 钱表相符 went from \(name(from).en) to \(name(to).en)")
        }

        public static func certificateExpiring(_ detail: Message) -> Message {
            Message(zh: "证书即将到期：\(detail.zh)", en: "a certificate nears its end: \(detail.en)")
        }

        /// The 总览's heading and its empty line.
        public static let heading = Message(zh: "提醒", en: "Alerts")
        public static let none = Message(zh: "近 30 天没有提醒", en: "no alerts in the last 30 days")
        public static let look = Message(zh: "查看", en: "look closer")
        public static let time = Message(zh: "时间", en: "time")
        public static let kind = Message(zh: "类别", en: "kind")

        public static func event(_ event: StaffAlert.Event) -> Message {
            switch event {
            case .jobFailed: Message(zh: "任务失败", en: "job failed")
            case .returnPosted: Message(zh: "回盘入账", en: "return posted")
            case .returnRefused: Message(zh: "回盘被拒", en: "return refused")
            case .verdictChanged: Message(zh: "相符状态变化", en: "verdict changed")
            case .certificateExpiring: Message(zh: "证书到期", en: "certificate")
            }
        }
    }
}
