public import PikouCore

/// A payment certificate as a printable page (HTML, no script, nothing loaded from outside): the
/// payer's name, the ID masked, each debit with its bank, day and the treasury's booking number, the
/// total, and the verification code. The CLI writes it to a file; the console serves it.
public enum CertificatePrint {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The page, in Chinese (a certificate is handed to a payer), with `bankName` for each bank code.
    public static func html(_ certificate: PaymentCertificate, bankName: (String) -> String, issued: CivilDate) -> String {
        let rows = certificate.entries.map { entry in
            "<tr><td>\(entry.period)</td><td class=\"n\">\(entry.amount.groupedYuanText)</td><td>\(escape(bankName(entry.bank)))</td>"
                + "<td>\(entry.collectionDate)</td><td>\(escape(entry.bankSerial))</td><td>\(escape(entry.voucher ?? AfterBankCatalogue.awaitingTreasury.zh))</td></tr>"
        }.joined(separator: "\n")
        let total = certificate.total.map(\.groupedYuanText) ?? "—"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>社会保险费缴费凭证</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:.3em .5em}
            .n{text-align:right}.code{font-family:monospace;font-size:1.3em;letter-spacing:.1em}@media print{a{display:none}}</style></head>
            <body><h1>社会保险费缴费凭证</h1>
            <p>缴费人：\(escape(certificate.payer.name))　证件号码：\(certificate.payer.idNumber.masked)　所属期：\(certificate.scope)</p>
            <table><thead><tr><th>所属期</th><th>金额（元）</th><th>扣款银行</th><th>扣款日期</th><th>银行流水号</th><th>国库入库凭证号</th></tr></thead>
            <tbody>
            \(rows)
            </tbody><tfoot><tr><th>合计</th><th class="n">\(total)</th><th colspan="4"></th></tr></tfoot></table>
            <p>验证码：<span class="code">\(certificate.code)</span></p>
            <p>核验：在税务机关的批扣工作台“缴费凭证核验”输入验证码，或运行 pikou certificates verify 验证码。验证码由对账库中的扣款记录计算，记录更正后原验证码失效。</p>
            <p>开具日期：\(issued)</p>
            </body></html>

            """
    }
}
