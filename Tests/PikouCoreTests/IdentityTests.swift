import PikouCore
import Testing

@Suite struct IDNumberTests {
    @Test("valid GB 11643 numbers", arguments: ["34052419800101001X", "34052419800101001x", "11010519491231002X", "420106199801234564"])
    func valid(_ text: String) throws {
        let id = try IDNumber(text)
        #expect(id.value == text.uppercased())
    }

    @Test func birthDateAndMasking() throws {
        let id = try IDNumber("34052419800101001X")
        #expect(id.birthDate == CivilDate(year: 1980, month: 1, day: 1))
        #expect(id.masked == "340524********001X")
        #expect("\(id)" == "340524********001X")
    }

    @Test("each way an ID can be wrong", arguments: [
        ("3405241980010100", IDNumber.ValidationError.wrongLength(16)),
        ("34052419800101001XX", .wrongLength(19)),
        ("3405241980010A001X", .invalidCharacter(position: 14)),
        ("340524198001010012", .checksumMismatch(expected: "X", found: "2")),
        ("34052419800101001Y", .invalidCharacter(position: 18)),
        ("99052419800101001X", .unknownRegion("99")),
        ("340524198002300010", .invalidBirthDate("19800230")),
        ("340524180001010010", .invalidBirthDate("18000101")),
    ])
    func invalid(_ text: String, _ error: IDNumber.ValidationError) {
        #expect(throws: error) { try IDNumber(text) }
    }

    @Test func errorsNeverPrintTheWholeNumber() {
        do {
            _ = try IDNumber("340524198001010012")
            Issue.record("expected a checksum error")
        } catch {
            #expect(!error.description.contains("340524198001010012"))
        }
    }

    @Test func checkCharacterOfStandardExample() {
        // GB 11643-1999 appendix example body 11010519491231002 → X.
        #expect(IDNumber.checkCharacter([1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2]) == "X")
    }
}

@Suite struct BankAccountTests {
    @Test func luhnVectors() {
        #expect(BankAccount.passesLuhn("6225768888888888"))
        #expect(BankAccount.passesLuhn("79927398713"))
        #expect(!BankAccount.passesLuhn("6225768888888889"))
        #expect(!BankAccount.passesLuhn("79927398710"))
    }

    @Test func unionPayCardNeedsLuhn() throws {
        #expect(try BankAccount("6225768888888888").kind == .unionPayCard)
        #expect(throws: BankAccount.ValidationError.luhnMismatch(masked: "6225****8889")) {
            try BankAccount("6225768888888889")
        }
    }

    @Test func passbookAccountsOnlyWarn() throws {
        let account = try BankAccount("42010012345678901")
        #expect(account.kind == .passbook)
        #expect(account.luhnWarning != nil)
        #expect(account.luhnWarning?.contains("42010012345678901") == false)
        #expect(try BankAccount("79927398713").luhnWarning == nil)
    }

    @Test func refusesNonDigitsAndBadLengths() {
        #expect(throws: BankAccount.ValidationError.empty) { try BankAccount("") }
        #expect(throws: BankAccount.ValidationError.nonDigit(position: 5)) { try BankAccount("6225-768888888888") }
        #expect(throws: BankAccount.ValidationError.wrongLength(7)) { try BankAccount("1234567") }
    }

    @Test func masking() {
        #expect(Masking.account("6222021234561234") == "6222****1234")
        #expect(Masking.idNumber("420106199001011234") == "420106********1234")
        #expect(Masking.name("张三丰") == "张**")
        #expect(Masking.name("李") == "李*")
        #expect(Masking.account("123") == "***")
    }
}

/// Values read back from the store are not validated again (issue 12): their types carry the check.
@Suite struct StoredIdentityTests {
    @Test func storedValuesKeepTheirShapeWithoutACheck() {
        #expect(IDNumber(stored: "34052419800101001X").value == "34052419800101001X")
        #expect(IDNumber(stored: "34052419800101001X").description == "340524********001X", "interpolation masks")
        #expect(BankAccount(stored: "6225768888888888").kind == .unionPayCard)
        #expect(BankAccount(stored: "12345678901").kind == .passbook)
        #expect(BankAccount(stored: "6225768888888888") == (try? BankAccount("6225768888888888")))
    }

    @Test func insurancesParseOnlyTheirSpelling() {
        #expect(Insurance("pension") == .pension && Insurance("medical") == .medical)
        #expect(Insurance("Pension") == nil && Insurance("dental") == nil && Insurance("") == nil)
        #expect(Insurance.spellings == "pension, medical")
    }
}

@Suite struct OutcomeTests {
    @Test func retryRulesFollowTheDesign() {
        let retryable = Outcome.allCases.filter(\.isRetryable)
        #expect(Set(retryable) == [.insufficientFunds, .accountFrozen, .bankSystemError, .cancelled])
        #expect(Outcome.cancelled.retry == .soon)  // stopped before the bank ran it: nothing was tried
        let terminal = Outcome.allCases.filter(\.isTerminal)
        #expect(Set(terminal) == [.accountClosed, .accountNotFound, .nameMismatch, .idMismatch, .agreementMissing, .agreementRevoked])
        // 协议已解约: never again at that bank until a new agreement, not merely a corrected one.
        #expect(Outcome.agreementRevoked.retry == .afterNewAgreement && Outcome.agreementRevoked.label == "协议已解约")
        #expect(Outcome.exceedsLimit.retry == .operatorDecides)
        #expect(Outcome.unknown.retry == .operatorReview)
        #expect(Outcome.succeeded.retry == .notApplicable)
    }
}
