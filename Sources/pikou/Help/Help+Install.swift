import PikouCore
import PikouCycle

extension Catalogue.Help {
    static let doctor = Message(
        zh: "运行前体检：每家银行的格式、密钥、证书、SFTP，本期日历与政策、对账库和磁盘，每个不通过项附处理方法。",
        en: "Check that a month can run: each bank's spec, keys, certificates and SFTP; the period's calendar and policy, the store and the disk; a fix for each red line.")
    static let keysRequest = Message(
        zh: "为我方密钥生成证书请求（CSR），交银行或 CA 签发。",
        en: "Make a certificate request (CSR) for one of our keys, for the bank or a CA to sign.")
    static let keysImport = Message(
        zh: "导入并信任银行的证书：显示主体、签发者、有效期和指纹，供与银行核对。",
        en: "Import and trust a bank's certificate: shows subject, issuer, validity and fingerprints to read back to the bank.")
}

extension Catalogue.Help.Option {
    static let doctorPeriod = Message(zh: "检查该期（YYYY-MM）的日历与政策（默认：本月）。", en: "The month (YYYY-MM) whose calendar and policy must be in place (default: this month).")
    static let doctorYear = Message(zh: "同时检查该年度城乡居民政策。", en: "Also check the residents' policy of this cover year.")
    static let offline = Message(zh: "不连接银行的 SFTP 服务器。", en: "Do not connect to the banks' SFTP servers.")
    static let requestKey = Message(zh: "pikou.yaml 中 keys: 下的密钥名，如 collector-sm2。", en: "The key's name under keys: in pikou.yaml, e.g. collector-sm2.")
    static let requestSubject = Message(
        zh: "证书主体，如 /C=CN/O=国家税务总局某市税务局/CN=社保费批扣（中文按 UTF8String 写入）。",
        en: "The subject, e.g. /C=CN/O=…/CN=… (Chinese is written as UTF8String).")
    static let requestOut = Message(zh: "CSR 写到此文件（默认：keys/密钥名.csr.pem）。", en: "Write the CSR here (default: keys/NAME.csr.pem).")
    static let importBank = Message(zh: "该证书所属的银行代码。", en: "The bank whose certificate it is.")
    static let importFrom = Message(
        zh: "自该日起用新证书验签（默认：今天）；此前发出的文件的回盘仍可用旧证书验签。",
        en: "The day the certificate takes over (default: today); returns for files sent before still verify with the one before.")
    static let importFile = Message(zh: "银行提供的 PEM 证书文件。", en: "The bank's certificate, PEM.")
}

extension Catalogue.Help.Discussion {
    static let doctor = Message(
        zh: """
            每行一项检查：正常、注意（如证书 30 天内到期、临时日历）或不通过；不通过的项在表后给出处理方法。
            cycle run、resubmit 和 send 运行前会先做其中相关的检查（不连接 SFTP），有不通过项时不预留、不写入、不发送任何文件；
            cycle run --dry-run 会列出实际运行会因之停止的项并以状态 1 退出。

            退出状态：0 全部通过（可有“注意”），1 有不通过项。

            示例：
              pikou doctor                       本月，连接各行 SFTP
              pikou doctor --period 2027-01 --offline
              pikou doctor --year 2027           同时检查城乡居民 2027 年政策
            """,
        en: """
            One line per check: ok, warning (a certificate expiring within 30 days, a provisional calendar)
            or FAILED, with the fix for each line that is not ok below the table. cycle run, resubmit and
            send run the checks they need first (without connecting): a red line stops them before
            anything is reserved, written or sent; cycle run --dry-run lists what the real run would stop
            on and exits 1.

            Exit status: 0 every check passed (warnings allowed), 1 some check failed.

            Examples:
              pikou doctor                       this month, connecting to each bank's SFTP server
              pikou doctor --period 2027-01 --offline
              pikou doctor --year 2027           also the residents' 2027 policy
            """)
}
