import PikouCycle
import PikouCore

/// The money after the bank: statements, the treasury's reconciliation, the four legs — their help in both languages.
extension Catalogue.Help {
    static let refunds = Message(zh: "退费：把退费名单（已扣款又在其他渠道缴纳的欠费）经银行退回原扣款账户，读入银行的退费回盘，国库对账时核对退库。",
                                 en: "Refunds: pay the refund list (dues debited and also paid elsewhere) back to the accounts they were debited from, ingest the bank's results, match the treasury's 退库 lines.")
    static let refundsDiscussion = Message(
        zh: """
            一个月的退费：
              pikou refunds write --period 2026-12 --out 退费            # 每家银行一个已签名的退费文件（规格中的 refund 版式）
              pikou bank simulate --bank BOC --out 退费回盘 退费/*_TK_*   # （演练）银行处理退费，写出回盘
              pikou refunds ingest --bank BOC 退费回盘/*_TH_*            # 验签、逐笔核对、记账
              pikou refunds show --period 2026-12                      # 每笔退费的状态，及国库是否已确认退库
            每笔欠费的退费（已退加在途）不会超过扣款实收；已退或在途的不会再写；银行退款失败的可再次写出。
            """,
        en: """
            A month's refunds:
              pikou refunds write --period 2026-12 --out refunds            # one signed refund file per bank (its spec's refund layout)
              pikou bank simulate --bank BOC --out results refunds/*_TK_*    # (rehearsal) the bank pays them and answers
              pikou refunds ingest --bank BOC results/*_TH_*                 # verified, matched line by line, posted
              pikou refunds show --period 2026-12                           # each refund's state, and whether the treasury confirmed its 退库
            A due's refunds (paid and on their way) never exceed what its debits collected; one paid or on its way is not written again; one the bank could not pay may be.
            """)
    static let refundsWrite = Message(zh: "写出本期的退费文件：每家银行一个（或多个）已签名文件，并记入对账库。", en: "Write the period's refund files: one (or more) signed file per bank, recorded in the store.")
    static let refundsBank = Message(zh: "只写这家银行的退费（默认每家银行）", en: "only this bank's refunds (default: every bank's)")
    static let refundsDate = Message(zh: "退费文件的日期（YYYY-MM-DD，默认今天）：银行退款的日子", en: "the refund files' date (YYYY-MM-DD, default today): the day the bank pays them")
    static let refundsOut = Message(zh: "退费文件写入的目录", en: "the folder the refund files are written into")
    static let refundsIngest = Message(zh: "读入银行的退费回盘：验签，逐笔与退费指令核对（序号、账号、金额），整份记账或整份拒收。",
                                       en: "Ingest the bank's refund result files: verified, each line checked against its instruction (sequence, account, amount), posted whole or refused whole.")
    static let refundsIngestBank = Message(zh: "回盘所属银行", en: "the bank whose result files they are")
    static let refundsFiles = Message(zh: "退费回盘文件（签名文件 .sig 放在旁边即可）", en: "the refund result files (their .sig beside them)")
    static let refundsShow = Message(zh: "列出本期每笔退费：待银行处理、已退款或退款失败，及国库是否已确认退库。",
                                     en: "List the period's refunds: pending, paid or failed, and whether the treasury confirmed the 退库.")
    static let statements = Message(zh: "收款账户对账单：读入银行的对账单（camt.053/054 或银行自己的格式），把每笔到账对应到它结清的扣款文件。",
                                    en: "Collection-account statements: read the bank's statement (camt.053/054 or the bank's own) and match each credit to the debit file it settles.")
    static let statementsIngest = Message(zh: "读入对账单并对账：按银行给出的参考号，否则按日期和金额（不唯一时不猜，列为异常）；短款、长款、迟到、无法匹配、冲正各列为异常。",
                                          en: "Ingest statements: match by the bank's reference, else by date and amount (never guessed: ambiguous is an exception); short, over, late, unmatched and reversed credits are exceptions.")
    static let statementsBank = Message(zh: "对账单所属银行（收款账户开在这家银行）", en: "the bank whose statement it is (where the collection account is)")
    static let statementsFormat = Message(zh: "按哪个规格的对账单版式读取（默认该银行自己的；camt.053/054 用 ISO20022）",
                                          en: "the spec whose statement layouts read it (default: the bank's own; ISO20022 for camt.053/054)")
    static let statementFiles = Message(zh: "对账单文件", en: "statement files")
    static let treasury = Message(zh: "国库对账：读入国库（税库银）每日对账文件，逐笔与银行回盘的成功记录核对。",
                                  en: "Treasury reconciliation: read the treasury's daily reconciliation file and check it line by line against the bank's posted successes.")
    static let treasuryIngest = Message(zh: "读入国库对账文件：每行得到一个状态（双方成功金额一致 / 金额不一致 / 我方成功国库无记录 / 国库成功我方无记录 / 双方失败 / 已退库）；国库没有的我方成功列出待复核，绝不自动改动。",
                                        en: "Ingest treasury reconciliations: each line gets one state (same / different amount / ours only / theirs only / both failed / refunded); our successes the treasury lacks are listed for review, never changed.")
    static let treasuryAuthority = Message(zh: "对账文件的规格（Formats/treasury/ 下的代码，如 TIPSX、TIPSF）", en: "the reconciliation's spec (a code under Formats/treasury/, e.g. TIPSX, TIPSF)")
    static let treasuryFiles = Message(zh: "国库对账文件", en: "treasury reconciliation files")
    static let reconcile = Message(zh: "三方对账：应扣清单、银行回盘、账户到账、国库入库四方逐银行核对，并处理其中的异常。",
                                   en: "Three-way reconciliation: listed dues, bank results, account credits and treasury bookings per bank, and their exceptions.")
    static let reconcileShow = Message(zh: "列出某期每家银行的四方金额、各方状态（相符 / 未结清 / 不符 / 无数据）和异常；全部相符时退出码 0，否则 2。",
                                       en: "Show a period's four legs per bank, each leg's state (matched / unsettled / mismatched / no data) and the exceptions; exit status 0 when all match, else 2.")
    static let reconcileReview = Message(zh: "记下对一条异常的复核意见（如 S12 对账单明细、T34 国库对账明细）：复核后不再计为不符。",
                                         en: "Record the review of one exception (S12 a statement entry, T34 a treasury line): reviewed, it no longer counts as a mismatch.")
    static let reconcileID = Message(zh: "异常编号：S 加对账单明细号，或 T 加国库对账明细号", en: "the exception: S and a statement entry's number, or T and a treasury line's")
    static let reconcileNote = Message(zh: "复核意见（写入审计日志）", en: "the review note (journaled)")
    static let bankStatement = Message(zh: "模拟银行写出收款账户对账单（演示和测试用），可加入短款、无法匹配、冲正、迟到。",
                                       en: "Play the bank: write a collection-account statement (demos and tests), with short, unmatched, reversed or late credits on request.")
    static let bankTreasury = Message(zh: "模拟国库写出某银行某日的对账文件（演示和测试用），可加入我方独有、国库独有、金额不一致。",
                                      en: "Play the treasury: write a bank's reconciliation for a day (demos and tests), with ours-only, theirs-only or different lines on request.")
    static let afterBankDate = Message(zh: "对账单或对账文件的日期（YYYY-MM-DD）", en: "the statement's or reconciliation's date (YYYY-MM-DD)")
    static let statementShortBy = Message(zh: "第一笔到账少于应到金额（元）", en: "credit the first file this many yuan short")
    static let statementOverBy = Message(zh: "最后一笔到账多于应到金额（元），下一张对账单冲回多出的部分", en: "credit the last file this many yuan over; the next statement takes the excess back")
    static let statementForeign = Message(zh: "加一笔对不上任何扣款文件的到账（元）", en: "add a credit of this many yuan that no debit file explains")
    static let statementReverse = Message(zh: "最后一笔到账冲正后再入账", en: "reverse the last credit and credit it again")
    static let statementLateDays = Message(zh: "起息日晚于对账单日期的天数", en: "value-date the credits this many days after the statement's date")
    static let treasuryPeriod = Message(zh: "为该期该银行每个扣款日各写一份对账文件（代替 --date）", en: "write one reconciliation per collection day of the bank's files of this period (instead of --date)")
    static let treasuryDateOrPeriod = Message(zh: "请给出 --date 或 --period 之一", en: "give one of --date or --period")
    static let statementPeriod = Message(zh: "为该期该银行每个扣款日的次日各写一张对账单（代替 --date）", en: "write one statement for the day after each collection day of the bank's files of this period (instead of --date)")
    static let certificates = Message(zh: "缴费凭证：为缴费人开具某月或某年的缴费凭证（可打印的网页，带验证码），并核验验证码。",
                                      en: "Payment certificates: a payer's certificate for a month or a year (a printable page with a verification code), and checking a code.")
    static let certificatesIssue = Message(zh: "开具缴费凭证：扣款成功的每一笔（所属期、金额、银行、扣款日期、银行流水号、国库入库凭证号）和验证码，写成可打印的网页。",
                                           en: "Issue a certificate: each succeeded debit (period, amount, bank, day, bank serial, treasury voucher) and the verification code, as a printable page.")
    static let certificatesVerify = Message(zh: "核验缴费凭证的验证码：与对账库当前记录一致时有效（退出码 0），否则无效（退出码 1）。",
                                            en: "Check a certificate's code against the ledger as it is now: valid (exit 0) or not (exit 1).")
    static let certificatePeriod = Message(zh: "凭证所属的月份（YYYY-MM）", en: "the month the certificate covers (YYYY-MM)")
    static let certificateYear = Message(zh: "凭证所属的年度（代替 --period）", en: "the year the certificate covers (instead of --period)")
    static let certificateOut = Message(zh: "写出的网页文件（权限 0600）", en: "the page to write (mode 0600)")
    static let certificatePeriodOrYear = Message(zh: "请给出 --period 或 --year（1900 到 9999）之一", en: "give one of --period or --year (1900 to 9999)")
    static let certificateCode = Message(zh: "凭证上的验证码（大小写、连字符均可）", en: "the code on the certificate (any case, hyphens optional)")
    static let treasuryDrop = Message(zh: "漏列我方成功的笔数", en: "leave out this many of our successes")
    static let treasuryExtra = Message(zh: "加列我方未扣款的入库笔数", en: "add this many bookings of payers we did not debit")
    static let treasuryAmountOff = Message(zh: "入库金额多 1 元的笔数", en: "book this many successes one yuan more")
}
