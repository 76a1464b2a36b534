import PikouCore
import PikouCycle
import Testing

/// Issue 31: the journal, exception details and anchors as a Chinese reader sees them.
@Suite struct JournalWordsTests {
    @Test func aDetailIsShownInChineseWordByWordAndLeftAsWrittenInEnglish() {
        let detail = Catalogue.journalDetail("cycle 2026-12: 159 debits, 246935.76 yuan")
        #expect(detail.zh == "批扣 2026-12: 159 笔扣款, 246935.76 元")
        #expect(detail.en == "cycle 2026-12: 159 debits, 246935.76 yuan")
        // Whole words only: a hash, an identifier or a name keeps its letters.
        let sealed = Catalogue.journalDetail("sm3 7added3a; file #12, rows sha256 ab12added; name 龚**; WHBOC0001 was x")
        #expect(sealed.zh == "sm3 7added3a; 文件 #12, 行 sha256 ab12added; 户名 龚**; WHBOC0001 原为 x", "\(sealed.zh)")
        // The longest phrase wins, and a phrase may hold a hyphen.
        #expect(Catalogue.journalDetail("3 re-priced, 2 already there").zh == "3 笔重新核定, 2 已在名单")
        // An operator's own words are not touched.
        #expect(Catalogue.journalDetail("已与银行核实").zh == "已与银行核实")
    }

    @Test func everyActionHasAName() {
        for (action, name) in Catalogue.journalActions {
            #expect(Catalogue.journalAction(action).zh == name && !name.contains("."), "\(action)")
        }
        #expect(Catalogue.journalAction("some.future").zh == "some.future", "an action this version does not know is shown as it is")
    }

    @Test func anExceptionsDetailKeepsBothLanguagesInOneColumn() {
        let message = Message(zh: "银行回盘金额 1.00 元", en: "bank returned 1.00 yuan")
        #expect(Message(stored: message.stored) == message)
        #expect(Message(stored: "written before there were two") == Message(zh: "written before there were two", en: "written before there were two"))
        #expect(Message(zh: "同", en: "同").stored == "同")
    }

    @Test func theHeadReadsBackInEitherLanguage() {
        let hash = String(repeating: "ab", count: 32)
        let head = JournalHead(entryID: 42, hash: hash)
        #expect(head.shown.zh == "第 42 条 sha256 \(hash)")
        #expect(JournalHead(parsing: "日志链头（请另存一份）：" + head.shown.zh) == head)
        #expect(JournalHead(parsing: "2026-12-07T10:00:00+08:00 " + head.text) == head)
        #expect(JournalHead(parsing: "第 42 sha256 \(hash)") == nil && JournalHead(parsing: "42 条 sha256 \(hash)") == nil)
        #expect(JournalHead(parsing: "entry 42 sha256 \(hash.dropLast())") == nil)
    }
}
