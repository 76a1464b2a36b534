import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 缴费人查询: everything about one payer.
extension Console {
    func addPayerRoutes(to router: Router<ConsoleContext>) {
        router.get("/payer") { request, context in try await page(request, context, .view) { viewer in try await payer(request, viewer) } }
    }

    /// Everything about one payer: agreements and their versions, enrollments, dues, debits with
    /// the banks' answers, payments elsewhere, the journal lines about them, and their notices.
    func payer(_ request: Request, _ viewer: Viewer) async throws -> HTML {
        let title = Catalogue.Page.payerLookUp
        let (search, found) = try await lookUpPayer(request, viewer, path: "/payer", title: title)
        guard let history = found else { return search }
        let residents = try await useCases.residentDues(history.idNumber)
        let notice = doneBanner(parameter(request, "done"), agreements: history.agreements)
        let notices = try await payerNotices(history.idNumber, viewer)
        return Layout.frame(title: title, viewer: viewer, language: language, current: "/payer",
                            body: "\(search)\(notice)\(renderPayer(history, residents: residents, viewer))\(notices)")
    }

    /// Agreements and their versions, enrollments, dues (the residents' with their parts and why),
    /// debits with the banks' answers, payments elsewhere and the journal lines about the payer.
    func renderPayer(_ history: PayerHistory, residents residentDues: [(due: ResidentDueRecord, explanation: Message?)], _ viewer: Viewer) -> HTML {
        let id = history.idNumber
        let whole = viewer.role.may(.wholeIDs)
        let agreements = history.agreements.map { a -> [HTML] in
            ["\(bankName(a.bank))", "\(masked(a.account, viewer))", "\(whole ? a.accountName : Masking.name(a.accountName))", "\(a.agreementNo)", "\(a.version)",
             "\((a.active ? Catalogue.active : Catalogue.revoked).text(language))"]
        }
        let enrollments = history.enrollments.map { e -> [HTML] in
            ["\(Catalogue.insurance(e.insurance).text(language))", "\(Catalogue.tierName(e.tier).text(language))", "\(bankName(e.bank))", "\(e.start.description)", "\(e.end?.description ?? "—")",
             "\((e.suspended ? Catalogue.yes : Catalogue.no).text(language))"]
        }
        let dues = history.dues.map { d -> [HTML] in
            ["\(Catalogue.duePeriod(d.period, annual: d.annual).text(language))", "\(Catalogue.insurance(d.insurance).text(language))", "\(Layout.yuan(d.amount.fen))", "\(Catalogue.dueState(d.state).text(language))"]
        }
        let debits = history.debits.map { d -> [HTML] in
            ["\(Catalogue.duePeriod(d.period, annual: d.annual).text(language))", "\(bankName(d.bank))", "\(d.fileName)", "\(d.collectionDate.description)", "\(Layout.yuan(d.amount.fen))",
             "\(d.outcome.map { Catalogue.outcome($0).text(language) } ?? Catalogue.awaitingReturn.text(language))", "\(d.bankText)", "\(d.memo)"]
        }
        let payments = history.payments.map { p -> [HTML] in
            ["\(p.period.description)", "\(Catalogue.insurance(p.insurance).text(language))", "\(Layout.yuan(p.amount.fen))", "\(Catalogue.paymentChannel(p.channel).text(language))", "\(p.reference)"]
        }
        let journal = history.journal.map { j -> [HTML] in ["\(Layout.time(j.at))", "\(j.actor)", "\(Catalogue.journalAction(j.action).text(language))",
                                                                       "\(Catalogue.journalDetail(j.detail).text(language))"] }
        // The residents' yearly dues: the parts, and which rule applied and why (the most favourable of the person's groups).
        let residents = residentDues.map { due, why -> [HTML] in
            let state = due.parts.personal == .zero ? Catalogue.paidByPublicFunds : Catalogue.dueState(due.state)
            return ["\(due.year)", "\(Catalogue.insurance(due.insurance).text(language))", "\(due.seq)", "\(due.parts.tier.map { Layout.yuan($0.fen) } ?? "")",
                    "\(Layout.yuan(due.parts.standard.fen))", "\(Layout.yuan(due.parts.personal.fen))", "\(Layout.yuan(due.parts.subsidy.fen))",
                    "\(Layout.yuan(due.parts.government.fen))", "\(state.text(language))", "\(why?.text(language) ?? due.parts.rule)"]
        }
        // A certificate for each month with a succeeded debit, for who serves payers at the counter.
        let certifiable = Set(history.debits.filter { $0.outcome == .succeeded && !$0.annual }.map(\.period)).sorted()
        let certificates: HTML = viewer.role.may(.wholeIDs) && !certifiable.isEmpty
            ? "<p>\(Catalogue.Page.printCertificate.text(language))：\(HTML.join(certifiable.map { period -> HTML in "<a href=\"/certificate\(query([("id", id.value), ("period", period.description)]))\" target=\"_blank\">\(period.description)</a> " }))</p>" : ""
        let agreementsLink: HTML = viewer.role.may(.correctAgreements)
            ? "<p><a href=\"/agreements\(query([("id", id.value)]))\">\(Catalogue.Page.correctOrRevokeAgreement.text(language))</a></p>" : ""
        let correct = HTML.join([agreementsLink, certificates])
        func section(_ heading: Message, _ header: [Message], numeric: Set<Int>, _ rows: [[HTML]]) -> HTML {
            rows.isEmpty ? "<h2>\(heading.text(language))\(Catalogue.none.text(language))</h2>"
                : "<h2>\(heading.text(language))</h2>\(Layout.table(header.map { $0.text(language) }, numeric: numeric, rows))"
        }
        return """
            <p><strong>\(whole ? history.name : Masking.name(history.name))</strong> · \(masked(history.idNumber, viewer)) · \(whole ? history.phone : Masking.phone(history.phone)) ·
            \(history.district) / \(history.street) / \(history.community)</p>
            \(correct)
            \(section(Catalogue.agreementsTitle, [Catalogue.bank, Catalogue.account, Catalogue.accountName, Catalogue.Page.agreementNo, Catalogue.version, Catalogue.state], numeric: [4], agreements))
            \(section(Catalogue.enrollmentsTitle, [Catalogue.insuranceColumn, Catalogue.tier, Catalogue.bank, Catalogue.from, Catalogue.until, Catalogue.suspendedState], numeric: [], enrollments))
            \(section(Catalogue.duesTitle, [Catalogue.period, Catalogue.insuranceColumn, Catalogue.amountYuan, Catalogue.state], numeric: [2], dues))
            \(residents.isEmpty ? "" : section(Catalogue.residentDuesTitle, [Catalogue.coverYearColumn, Catalogue.insuranceColumn, Catalogue.dueSeq, Catalogue.tier,
                Catalogue.standardPart, Catalogue.personalPart, Catalogue.subsidyPart, Catalogue.governmentPart, Catalogue.state, Catalogue.why], numeric: [2, 3, 4, 5, 6, 7], residents))
            \(section(Catalogue.debitsTitle, [Catalogue.period, Catalogue.bank, Catalogue.file, Catalogue.collectionDate, Catalogue.amountYuan, Catalogue.outcome, Catalogue.bankText, Catalogue.Page.memo], numeric: [4], debits))
            \(section(Catalogue.paymentsTitle, [Catalogue.period, Catalogue.insuranceColumn, Catalogue.amountYuan, Catalogue.channel, Catalogue.reference], numeric: [2], payments))
            \(section(Catalogue.journalTitle, [Catalogue.at, Catalogue.by, Catalogue.action, Catalogue.detail], numeric: [], journal))
            """
    }
}
