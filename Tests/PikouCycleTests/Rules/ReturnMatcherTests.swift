import PikouCore
import PikouCycle
import ReconStore
import Testing

/// The matching rules, without a store: typed values in, decisions out.
@Suite struct ReturnMatcherTests {
    static let debits = [
        DebitToMatch(id: 101, sequence: 1, account: "6225768888888888", amount: Money(fen: 40_770), result: nil, idNumber: "42010519860918698X"),
        DebitToMatch(id: 102, sequence: 2, account: "6217000000000001", amount: Money(fen: 120_000), result: nil),
        DebitToMatch(id: 103, sequence: 3, account: "6217000000000002", amount: Money(fen: 99_900), result: .succeeded),
    ]

    static func line(_ number: Int, _ sequence: Int, fen: Int64, account: String = "", _ outcome: Outcome = .succeeded, code: String = "0000",
                     idNumber: String = "") -> ReturnLineInput {
        ReturnLineInput(lineNumber: number, sequence: sequence, account: account, amount: Money(fen: fen), outcome: outcome,
                        bankCode: code, bankText: "", bankSerial: "S\(number)", idNumber: idNumber)
    }

    @Test func cleanLinesPostAndAddUp() throws {
        let match = try ReturnMatcher.match([Self.line(2, 1, fen: 40_770), Self.line(3, 2, fen: 120_000, .insufficientFunds, code: "E01")],
                                        against: Self.debits)
        #expect(match.decisions == [
            LineDecision(debitID: 101, posts: true, exception: nil), LineDecision(debitID: 102, posts: true, exception: nil),
        ])
        #expect(match.summary.posted == 2)
        #expect(match.summary.succeeded == 1 && match.summary.succeededFen == 40_770)
        #expect(match.summary.failed == 1 && match.summary.failedFen == 120_000)
        #expect(match.summary.exceptions.isEmpty)
    }

    @Test("each rule raises its own exception and posts nothing", arguments: [
        (ReturnMatcherTests.line(2, 9, fen: 1), ExceptionKind.unmatched, Int64?.none),
        (ReturnMatcherTests.line(2, 1, fen: 40_771), .amountMismatch, 101),
        (ReturnMatcherTests.line(2, 1, fen: 40_770, account: "6225760000000001"), .accountMismatch, 101),
        (ReturnMatcherTests.line(2, 3, fen: 99_900, .accountClosed, code: "E09"), .conflictingResult, 103),
        // Issue 17, item 8: another person's ID on a line that says succeeded is not posted.
        (ReturnMatcherTests.line(2, 1, fen: 40_770, idNumber: "420105197212218157"), .idNumberMismatch, 101),
    ] as [(ReturnLineInput, ExceptionKind, Int64?)])
    func exceptions(_ line: ReturnLineInput, _ kind: ExceptionKind, _ debitID: Int64?) throws {
        let match = try ReturnMatcher.match([line], against: Self.debits)
        #expect(match.decisions.first?.posts == false)
        #expect(match.decisions.first?.exception?.kind == kind)
        #expect(match.decisions.first?.debitID == debitID)
        #expect(match.summary.posted == 0)
        #expect(match.summary.exceptions == [kind: 1])
    }

    @Test func theSameIDNumberPostsWhateverTheCaseOfItsX() throws {
        let match = try ReturnMatcher.match([Self.line(2, 1, fen: 40_770, idNumber: "42010519860918698x")], against: Self.debits)
        #expect(match.decisions == [LineDecision(debitID: 101, posts: true, exception: nil)])
    }

    @Test func theSameResultAgainIsAHarmlessRepeat() throws {
        let match = try ReturnMatcher.match([Self.line(2, 3, fen: 99_900)], against: Self.debits)
        #expect(match.decisions == [LineDecision(debitID: 103, posts: false, exception: nil)])
        #expect(match.summary.alreadyPosted == 1)
        #expect(match.summary.exceptions.isEmpty)
    }

    @Test func anUnknownTextFromABankAnsweringInWordsIsNamedAsText() throws {
        var line = Self.line(2, 2, fen: 120_000, .unknown, code: "")
        line.bankText = "账户异常"
        let detail = try #require(try ReturnMatcher.match([line], against: Self.debits).decisions[0].exception?.detail.en)
        #expect(detail.hasPrefix("bank text '账户异常'") && !detail.contains("bank code"), "\(detail)")
    }

    @Test func aSecondLineForOneDebitIsADuplicateAndTheFirstCounts() throws {
        let match = try ReturnMatcher.match([Self.line(2, 1, fen: 40_770), Self.line(3, 1, fen: 40_770, .insufficientFunds)], against: Self.debits)
        #expect(match.decisions[0].posts)
        #expect(!match.decisions[1].posts)
        #expect(match.decisions[1].exception?.kind == .duplicateLine)
        #expect(match.summary.succeeded == 1 && match.summary.failed == 0)
    }

    @Test func anUnknownCodeClosesTheDebitAsFailedAndAsksForReview() throws {
        let match = try ReturnMatcher.match([Self.line(2, 2, fen: 120_000, .unknown, code: "Z99")], against: Self.debits)
        #expect(match.decisions[0].posts)
        #expect(match.decisions[0].exception?.kind == .unknownCode)
        #expect(match.decisions[0].exception?.detail.en.contains("Z99") == true)
        #expect(match.summary.failed == 1)
    }

    @Test func postedAmountsThatOverflowAreRefusedNotWrapped() {
        let half = Int64.max / 2 + 1
        let debits = [DebitToMatch(id: 1, sequence: 1, account: "", amount: Money(fen: half), result: nil),
                      DebitToMatch(id: 2, sequence: 2, account: "", amount: Money(fen: half), result: nil)]
        #expect(throws: Money.OverflowError.self) {
            try ReturnMatcher.match([Self.line(2, 1, fen: half), Self.line(3, 2, fen: half)], against: debits)
        }
    }

    @Test func exceptionTextsAreMasked() throws {
        let match = try ReturnMatcher.match([Self.line(2, 1, fen: 40_770, account: "6225760000000001")], against: Self.debits)
        let detail = match.decisions[0].exception?.detail.en ?? ""
        #expect(!detail.contains("6225760000000001") && !detail.contains("6225768888888888"))
    }
}

/// Agreement corrections decided without a store.
@Suite struct AgreementRulesTests {
    static let boc = AgreementSnapshot(id: 1, bank: "BOC", account: BankAccount(stored: "6225768888888888"), accountName: "王测", agreementNo: "WH1", active: true, version: 3)
    static let ccb = AgreementSnapshot(id: 2, bank: "CCB", account: BankAccount(stored: "6217000000000001"), accountName: "王测", agreementNo: "WH2", active: false, version: 1)
    static let payer = PayerAgreements(payerID: 7, idNumber: IDNumber(stored: "34052419800101001X"), agreements: [boc, ccb])
    static let banks: Set<String> = ["BOC", "CCB"]

    @Test func anUpdateNamesTheActiveAgreementAtItsVersion() throws {
        let write = try AgreementRules.decide(AgreementChange(idNumber: IDNumber(stored: "34052419800101001X"), account: BankAccount(stored: "6225760000000001")), payer: Self.payer, enabledBanks: Self.banks)
        #expect(write.action == .update(agreementID: 1, version: 3, account: BankAccount(stored: "6225760000000001"), accountName: "王测"))
        #expect(write.journalAction == "agreement.update")
        #expect(!write.journalDetail.contains("6225760000000001"), "masked")
    }

    @Test func aMoveRevokesTheOldAndReusesTheOtherBanksAgreement() throws {
        let write = try AgreementRules.decide(AgreementChange(idNumber: IDNumber(stored: "34052419800101001X"), newBank: "CCB"), payer: Self.payer, enabledBanks: Self.banks)
        #expect(write.action == .move(fromAgreementID: 1, fromVersion: 3, fromBank: "BOC", toBank: "CCB", existing: Self.ccb,
                                      account: Self.boc.account, accountName: "王测", agreementNo: "WH1"))
    }

    @Test func revokeAndRefusals() throws {
        let revoke = try AgreementRules.decide(AgreementChange(idNumber: IDNumber(stored: "34052419800101001X"), bank: "BOC", revoke: true), payer: Self.payer, enabledBanks: Self.banks)
        #expect(revoke.action == .revoke(agreementID: 1, version: 3))
        #expect {
            try AgreementRules.decide(AgreementChange(idNumber: IDNumber(stored: "34052419800101001X"), bank: "ICBC", revoke: true), payer: Self.payer, enabledBanks: Self.banks)
        } throws: { ($0 as? PikouError)?.code == "agreement.refused" }
        var twoActive = Self.payer
        twoActive.agreements[1].active = true
        #expect {
            try AgreementRules.decide(AgreementChange(idNumber: IDNumber(stored: "34052419800101001X"), account: BankAccount(stored: "6225760000000001")), payer: twoActive, enabledBanks: Self.banks)
        } throws: { ($0 as? PikouError)?.code == "agreement.refused" }
    }

    /// The checks an agreement form needs live here, for the CLI and the console alike.
    @Test func aNameTooLongOrWithAControlCharacterAndABankNotTakingPartAreRefused() throws {
        let id = IDNumber(stored: "34052419800101001X")
        for name in ["", String(repeating: "王", count: AgreementRules.maximumAccountName + 1), "王\n测", "王\u{7}测"] {
            #expect("\(name.debugDescription)", performing: {
                try AgreementRules.decide(AgreementChange(idNumber: id, accountName: name), payer: Self.payer, enabledBanks: Self.banks)
            }, throws: { ($0 as? PikouError)?.code == "agreement.refused" })
        }
        let longest = String(repeating: "王", count: AgreementRules.maximumAccountName)
        let write = try AgreementRules.decide(AgreementChange(idNumber: id, accountName: longest), payer: Self.payer, enabledBanks: Self.banks)
        #expect(write.action == .update(agreementID: 1, version: 3, account: Self.boc.account, accountName: longest))
        #expect {
            try AgreementRules.decide(AgreementChange(idNumber: id, newBank: "ICBC"), payer: Self.payer, enabledBanks: Self.banks)
        } throws: { ($0 as? PikouError)?.code == "agreement.refused" }
    }
}
