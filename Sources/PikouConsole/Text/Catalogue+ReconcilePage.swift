public import PikouCore
import PikouCycle

/// 三方对账: the page's own words.
extension Catalogue.Page {
    public static let threeWay = Message(zh: "三方对账", en: "Three-way")
    static let threeWayIntro = Message(
        zh: "每家银行四方核对：应扣清单、银行回盘、收款账户到账（对账单）、国库入库（国库对账文件）。国库的清单为准：我方成功而国库无记录的，列出待复核，不自动改动。",
        en: "Four legs per bank: dues listed, bank results, account credits (statements), treasury booked (its reconciliation). The treasury's list is the truth: a success of ours it lacks is listed for review, never changed.")
    static let noAfterBankYet = Message(zh: "本期尚未读入对账单或国库对账文件：用 pikou statements ingest 和 pikou treasury ingest 读入。",
                                        en: "No statement or treasury file recorded for this period yet: read them with pikou statements ingest and pikou treasury ingest.")
    static let reviewNote = Message(zh: "复核意见", en: "Review note")
    static let review = Message(zh: "记下复核", en: "Record review")
    static let dateColumn = Message(zh: "日期", en: "Date")
    static let debitFileColumn = Message(zh: "扣款文件", en: "Debit file")
    static let sourceColumn = Message(zh: "来源文件", en: "Source file")
    static let certificate = Message(zh: "缴费凭证", en: "Payment certificate")
    static let certificateVerify = Message(zh: "缴费凭证核验", en: "Check a certificate")
    static let certificateNeedsPayer = Message(zh: "请给出缴费人的证件号码和所属期（月份或年度）", en: "Give the payer's ID number and the month or year")
    static let certificateCode = Message(zh: "验证码", en: "Code")
    static let check = Message(zh: "核验", en: "Check")
    static let periodColumn = Message(zh: "所属期", en: "Period")
    static let voucherColumn = Message(zh: "国库入库凭证号", en: "Treasury voucher")
    static let printCertificate = Message(zh: "打印缴费凭证", en: "Print a payment certificate")
    static let badReview = Message(zh: "请写明复核意见（2 到 200 字），并选择一条异常", en: "Write the review (2 to 200 characters) and choose an exception")
}
