public import PikouCore
import PikouCycle

/// The console's words for the 通知 page and a payer's notices.
extension Catalogue.Page {
    public static let notices = Message(zh: "短信通知", en: "Notices")
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

    public static func optOutDone(_ kind: NoticeKind?, optedOut: Bool, changed: Bool) -> Message {
        let what = kind.map { Catalogue.noticeKind($0) } ?? Message(zh: "所有", en: "all")
        switch (optedOut, changed) {
        case (true, true): return Message(zh: "已记录退订：\(what.zh)通知此后不再生成", en: "opt-out recorded: no \(what.en) notices from now on")
        case (false, true): return Message(zh: "已取消退订：\(what.zh)通知恢复生成", en: "opt-out taken back: \(what.en) notices are planned again")
        case (true, false): return Message(zh: "该缴费人此前已退订\(what.zh)通知：无变化", en: "this payer had opted out of \(what.en) notices already: nothing changed")
        case (false, false):
            return Message(zh: "该缴费人没有单独退订\(what.zh)通知：无变化（退订了所有通知的，请取消“所有种类”的退订）",
                           en: "this payer had not opted out of \(what.en) notices alone: nothing changed (to take back an opt-out of every kind, choose every kind)")
        }
    }

    public static let optOutFormInvalid = Message(zh: "退订表单有误：请从缴费人页面选择通知种类后点击“退订”或“恢复接收”",
                                                  en: "the opt-out form is not right: choose a kind on the payer page, then Opt out or Opt back in")
}
