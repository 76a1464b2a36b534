import HTTPTypes
@testable import PikouConsole
import PikouCore
import ReconStore
import Testing

/// The console says a use case's failure as the CLI does (issue 33, item 4): the same message and
/// fix, from the same ``PikouError``, with the status its kind calls for.
@Suite struct PageErrorTests {
    @Test func aFailureBecomesAPageWithTheCLIsMessageAndFix() {
        let conflict = StoreError.conflict(Message(zh: "异常 7 已由 张经办 办结", en: "exception 7 was resolved by 张经办"))
        let page = PageError(title: Catalogue.Page.refused, conflict)
        #expect(page.message == PikouError(conflict).message)
        #expect(page.status == .conflict)
        let withFix = PikouError("workspace.busy", Message(zh: "工作区忙", en: "busy"), fix: Message(zh: "稍后再试", en: "try later"))
        #expect(PageError(title: Catalogue.Page.refused, withFix).fix == withFix.fix)
        #expect(PageError(title: Catalogue.Page.refused, StoreError.notFound(Message(zh: "异常 9", en: "exception 9"))).status == .notFound)
        struct Unexpected: Error {}
        #expect(PageError(title: Catalogue.Page.refused, Unexpected()).status == .internalServerError)
    }
}
