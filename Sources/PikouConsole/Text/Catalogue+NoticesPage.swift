public import PikouCore
import PikouCycle

/// The console's words for the 通知 page and a payer's notices.
extension Catalogue.Page {
    public static let notices = Message(zh: "短信通知", en: "Notices")
    public static let noticesOfPayer = Message(zh: "短信通知", en: "Notices")
    public static let noNotices = Message(zh: "发件箱中还没有通知：用 pikou notify plan 生成", en: "the outbox holds no notices yet: pikou notify plan makes them")
    public static let optedOutColumn = Message(zh: "已退订（人）", en: "opted out")
    public static let attemptsColumn = Message(zh: "尝试次数", en: "attempts")
    public static let lastErrorColumn = Message(zh: "最近的失败原因", en: "last failure")
    public static let plannedAtColumn = Message(zh: "生成时间", en: "planned")
    public static let sentAtColumn = Message(zh: "发送/导出时间", en: "sent or exported")
    public static let allKinds = Message(zh: "所有种类", en: "every kind")
    public static let optOut = Message(zh: "退订", en: "Opt out")
    public static let optIn = Message(zh: "恢复接收", en: "Opt back in")
    public static let optOutKind = Message(zh: "退订的通知", en: "kind to refuse")

    public static func firstNotices(_ shown: Int, of total: Int) -> Message {
        Message(zh: "共 \(total) 条，显示前 \(shown) 条；可按类型、期间/轮次、状态缩小范围，或用 pikou notify list 导出全部",
                en: "\(total) in all, the first \(shown) shown; narrow by kind, period/round or state, or list them all with pikou notify list")
    }

    public static func payerOptedOut(_ kinds: String) -> Message {
        Message(zh: "该缴费人已退订：\(kinds)", en: "this payer refuses: \(kinds)")
    }

    public static func optOutDone(_ kind: String, optedOut: Bool) -> Message {
        optedOut ? Message(zh: "已记录退订：\(kind)通知此后不再生成", en: "opt-out recorded: no \(kind) notices from now on")
            : Message(zh: "已取消退订：\(kind)通知恢复生成", en: "opt-out taken back: \(kind) notices are planned again")
    }
}
