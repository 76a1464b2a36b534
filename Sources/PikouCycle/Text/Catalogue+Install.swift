public import PikouCore
import Foundation

/// The catalogue's entries for installing and running Pikou: `doctor`, keys and certificates, the
/// pre-flight, notices of failed jobs.
extension Catalogue {
    public static let noTestKeys = Message(
        zh: "找不到测试密钥：源码目录的 Fixtures/keys 或安装目录的 share/pikou/test-keys（用 make install 安装）",
        en: "no TEST keys there: a checkout's Fixtures/keys or an install's share/pikou/test-keys (make install puts them there)")

    /// `pikou doctor` and the pre-flight.
    public enum Doctor {
        public static let columnItem = Message(zh: "检查项", en: "check")
        public static let columnBank = Message(zh: "银行", en: "bank")
        public static let columnStatus = Message(zh: "结果", en: "result")
        public static let columnDetail = Message(zh: "说明", en: "detail")
        public static let fixesHeading = Message(zh: "处理方法：", en: "How to fix:")

        public static func item(_ item: PikouCycle.Doctor.Item) -> Message {
            switch item {
            case .spec: Message(zh: "格式定义", en: "spec")
            case .schemas: Message(zh: "XML 模式", en: "schemas")
            case .collector: Message(zh: "委托单位代码", en: "collector code")
            case .signingKey: Message(zh: "我方签名密钥", en: "our signing key")
            case .ourCertificate: Message(zh: "我方证书", en: "our certificate")
            case .bankCertificate: Message(zh: "银行证书", en: "bank certificate")
            case .sftp: Message(zh: "SFTP 连接", en: "SFTP")
            case .calendar: Message(zh: "银行日历", en: "banking calendar")
            case .policy: Message(zh: "缴费政策", en: "contribution policy")
            case .notices: Message(zh: "短信通知", en: "notices")
            case .store: Message(zh: "对账库", en: "store")
            case .disk: Message(zh: "磁盘空间", en: "disk space")
            }
        }

        public static func status(_ status: PikouCycle.Doctor.Status) -> Message {
            switch status {
            case .ok: Message(zh: "正常", en: "ok")
            case .warning: Message(zh: "注意", en: "warning")
            case .failure: Message(zh: "不通过", en: "FAILED")
            }
        }

        /// Text that comes from elsewhere (a spec's diagnostics, OpenSSL, the store) as it is.
        public static func plain(_ text: String) -> Message { Message(zh: text, en: text) }

        public static func specOK(_ path: String) -> Message { Message(zh: "\(path) 可用", en: "\(path) compiles") }
        public static let schemasOK = Message(zh: "模式文件齐全", en: "schema files present")
        public static func schemasMissing(_ paths: [String]) -> Message {
            Message(zh: "缺少模式文件：\(paths.joined(separator: "、"))", en: "schema files missing: \(paths.joined(separator: ", "))")
        }
        public static func keyOK(_ name: String, algorithm: String) -> Message {
            Message(zh: "'keys.\(name)'（\(algorithm)）可用口令打开", en: "keys.\(name) (\(algorithm)) opens with its configured passphrase")
        }
        public static func wrongAlgorithm(found: String, expected: String) -> Message {
            Message(zh: "算法为 \(found)，该行要求 \(expected)", en: "the algorithm is \(found); this bank needs \(expected)")
        }
        public static let certificateNotOfKey = Message(zh: "证书不是该签名密钥的证书", en: "the certificate does not certify the signing key")
        public static let testCertificate = Message(zh: "这是 Pikou 自带的测试证书，生产工作区不能信任它", en: "this is one of Pikou's TEST certificates; a production workspace cannot trust it")
        public static func certificateOK(_ subject: String, until: String) -> Message {
            Message(zh: "\(subject)，有效期至 \(until)", en: "\(subject), valid until \(until)")
        }
        /// A line in one sentence — status, bank, item, detail and the fix: `check`'s warning, the console's banner.
        /// A line's status, bank and item: `注意 BOC 银行证书`.
        public static func head(_ finding: PikouCycle.Doctor.Finding, _ language: Language = .current) -> String {
            "\(status(finding.status).text(language)) \(finding.bank.map { $0 + " " } ?? "")\(item(finding.item).text(language))"
        }
        public static func sentence(_ finding: PikouCycle.Doctor.Finding) -> Message {
            func text(_ language: Language) -> String {
                let head = head(finding, language)
                let fix = finding.fix.map { (language == .zh ? "；" : "; ") + $0.text(language) } ?? ""
                return head + (language == .zh ? "：" : ": ") + finding.detail.text(language) + fix
            }
            return Message(zh: text(.zh), en: text(.en))
        }
        public static func expiresSoon(_ subject: String, until: String, days: Int) -> Message {
            Message(zh: "\(subject) 将于 \(until) 到期（还有 \(days) 天）", en: "\(subject) expires on \(until) (in \(days) days)")
        }
        public static func missingFile(_ path: String) -> Message { Message(zh: "\(path) 不存在", en: "\(path) does not exist") }
        public static func hostNotPinned(_ host: String, _ knownHosts: String) -> Message {
            Message(zh: "\(knownHosts) 中没有 \(host) 的主机密钥", en: "\(knownHosts) pins no host key for \(host)")
        }
        public static func sftpConfigured(_ host: String) -> Message {
            Message(zh: "\(host) 已配置，主机密钥已固定（未连接：--offline）", en: "\(host) configured, host key pinned (not connected: --offline)")
        }
        public static func sftpReached(_ host: String, _ folder: String) -> Message {
            Message(zh: "已连接 \(host)，可读取 \(folder)", en: "reached \(host), \(folder) listed")
        }
        public static func calendarOK(_ year: Int) -> Message { Message(zh: "\(year) 年日历可用", en: "the \(year) calendar is in place") }
        public static let noNoticeTemplates = Message(zh: "没有通知模板（notices.yaml）：生成短信通知时才需要", en: "no notice templates (notices.yaml): needed only to plan notices")
        public static let noticesOK = Message(zh: "通知模板可用", en: "the notice templates read")
        public static func noTemplateCodes(_ kinds: String) -> Message {
            Message(zh: "短信网关是阿里云短信，以下通知没有平台的模板代码（template_code），发不出去：\(kinds)",
                    en: "the SMS gateway is 阿里云短信 and these kinds have no template_code, so none can go: \(kinds)")
        }
        public static let fixTemplateCodes = Message(
            zh: "在工作目录的 notices.yaml 中为每种通知写上平台审核通过的 template_code 和 params（写法见该文件开头的说明），不发的种类写 enabled: false",
            en: "give each kind its approved template_code and params in the workspace's notices.yaml (see the file's opening comments), or enabled: false for a kind not sent")
        public static func gatewayOK(_ host: String) -> Message {
            Message(zh: "短信网关 \(host)，令牌文件仅本人可读", en: "SMS gateway \(host), its token file the owner's only")
        }
        public static func noGatewayToken(_ path: String) -> Message {
            Message(zh: "短信网关的令牌文件 \(path) 不存在", en: "the SMS gateway's token file \(path) does not exist")
        }
        public static func gatewayTokenReadable(_ path: String) -> Message {
            Message(zh: "短信网关的令牌文件 \(path) 他人可读", en: "the SMS gateway's token file \(path) is readable by others")
        }
        public static func fixNotices(_ formats: String) -> Message {
            Message(zh: "按报错的行改正工作目录的 notices.yaml（可参照 \(formats)/notices.yaml）",
                    en: "correct the workspace's notices.yaml at the line named (\(formats)/notices.yaml shows the shape)")
        }
        public static func fixGatewayToken(_ path: String) -> Message {
            Message(zh: "把短信平台给的令牌写入 \(path)，并 chmod 600 \(path)", en: "put the SMS platform's token in \(path) and chmod 600 it")
        }
        public static func policyOK(_ year: Int) -> Message { Message(zh: "\(year) 年缴费政策可用", en: "the \(year) policy is in place") }
        public static func residentsPolicyOK(_ year: Int) -> Message {
            Message(zh: "\(year) 年城乡居民政策可用", en: "the residents' \(year) policy is in place")
        }
        public static func notWritable(_ path: String) -> Message { Message(zh: "\(path) 不可写", en: "\(path) is not writable") }
        public static func storeOK(_ location: String) -> Message { Message(zh: "\(location) 可打开", en: "\(location) opens") }
        public static func diskOK(mib: Int64) -> Message { Message(zh: "发件箱所在磁盘剩余 \(mib) MiB", en: "\(mib) MiB free for the outbox") }
        public static func diskLow(mib: Int64, needed: Int64) -> Message {
            Message(zh: "发件箱所在磁盘只剩 \(mib) MiB，至少需要 \(needed) MiB（近 31 天文件的三倍，最少 256 MiB）",
                    en: "only \(mib) MiB free for the outbox; at least \(needed) MiB needed (three times the last 31 days' files, 256 MiB at least)")
        }

        // Fixes.
        public static func fixSpec(_ bank: String) -> Message {
            Message(zh: "运行 pikou formats check 查看 \(bank) 格式定义的错误并改正", en: "run pikou formats check to see what is wrong in \(bank)'s spec, and correct it")
        }
        public static func fixSchemas(_ config: String) -> Message {
            Message(zh: "在源码目录运行 make schemas 后重新安装，或在 \(config) 的 schemas: 中指定模式文件目录",
                    en: "run make schemas in the checkout and install again, or name the schemas' folder under schemas: in \(config)")
        }
        public static func fixCollector(_ bank: String, _ config: String) -> Message {
            Message(zh: "在 \(config) 的 banks.\(bank) 下填写该行分配的 collector 代码", en: "set banks.\(bank).collector in \(config) to the code \(bank) gave the bureau")
        }
        public static func fixKey(_ bank: String, algorithm: String) -> Message {
            Message(zh: "生成我方密钥：pikou keys generate --algorithm \(algorithm) --out keys --name collector-\(algorithm) --passphrase-file keys/passphrase，并在 pikou.yaml 中为 \(bank) 配置 signing_key 与口令（passphrase_file 权限须为 0600，或 passphrase_credential）",
                    en: "make our key: pikou keys generate --algorithm \(algorithm) --out keys --name collector-\(algorithm) --passphrase-file keys/passphrase, and give \(bank) its signing_key and passphrase in pikou.yaml (passphrase_file mode 0600, or passphrase_credential)")
        }
        public static let fixOurCertificate = Message(
            zh: "向银行或 CA 申请证书：pikou keys request --key 密钥名，将签发的证书放在 keys: 中该密钥的 certificate 路径",
            en: "ask the bank or a CA for a certificate: pikou keys request --key NAME, and put the issued certificate at the key's certificate path under keys:")
        public static func fixBankCertificate(_ bank: String) -> Message {
            Message(zh: "向 \(bank) 索取其证书，核对指纹后导入：pikou keys import --bank \(bank) 证书.pem",
                    en: "get \(bank)'s certificate, confirm its fingerprint with \(bank), and import it: pikou keys import --bank \(bank) CERT.pem")
        }
        public static func fixSFTPKey(_ key: String) -> Message {
            Message(zh: "生成 SFTP 密钥：ssh-keygen -t ed25519 -f \(key)，并把 \(key).pub 交给银行", en: "make the SFTP key: ssh-keygen -t ed25519 -f \(key), and give the bank \(key).pub")
        }
        public static func fixPin(_ host: String, port: Int, knownHosts: String) -> Message {
            Message(zh: "与银行核对指纹后固定主机密钥：ssh-keyscan -p \(port) \(host) >> \(knownHosts)",
                    en: "pin the host key once its fingerprint is confirmed with the bank: ssh-keyscan -p \(port) \(host) >> \(knownHosts)")
        }
        public static func fixEnvironment(_ variable: String) -> Message {
            Message(zh: "在运行环境中设置 \(variable)（定时任务见 docs/operations.md）", en: "set \(variable) in the job's environment (docs/operations.md for the schedulers)")
        }
        public static func fixSFTP(_ bank: String) -> Message {
            Message(zh: "检查 pikou.yaml 中 banks.\(bank).sftp 的主机、端口、用户和目录，并与银行确认账户", en: "check banks.\(bank).sftp (host, port, user, folders) in pikou.yaml and the account with the bank")
        }
        public static func fixCalendar(_ formats: String, _ year: Int) -> Message {
            Message(zh: "按国务院当年节假日安排编写 \(formats)/calendar/\(year).yaml（去掉 provisional 行）", en: "write \(formats)/calendar/\(year).yaml from the State Council's holiday notice (and drop the provisional line)")
        }
        public static func fixPolicy(_ formats: String, _ year: Int) -> Message {
            Message(zh: "按当年缴费基数通知编写 \(formats)/policy/\(year).yaml", en: "write \(formats)/policy/\(year).yaml from the year's contribution notice")
        }
        public static func fixResidentsPolicy(_ formats: String, _ year: Int) -> Message {
            Message(zh: "按县里的征缴通知编写 \(formats)/policy/residents-\(year).yaml", en: "write \(formats)/policy/residents-\(year).yaml from the county's notice")
        }
        public static func fixWritable(_ path: String) -> Message {
            Message(zh: "以运行任务的用户身份使 \(path) 可写（chown 给该用户，权限 0700/0600）", en: "make \(path) writable by the user the jobs run as (chown to that user, modes 0700/0600)")
        }
        public static let fixStore = Message(zh: "检查 pikou.yaml 的 store: 与数据库服务", en: "check store: in pikou.yaml and the database server")
        public static func fixDisk(_ directory: String) -> Message {
            Message(zh: "清理 \(directory) 所在磁盘（旧日志、备份）", en: "free space on the disk of \(directory) (old logs, backups)")
        }

        /// The pre-flight's refusal.
        public static func preflightFailed(_ command: String) -> Message {
            Message(zh: "\(command) 未运行：以下检查未通过（运行 pikou doctor 查看全部），未预留、未写入任何文件",
                    en: "\(command) did not run: these checks failed (pikou doctor shows them all); nothing was reserved or written")
        }
        public static func dryRunWouldStop(_ command: String) -> Message {
            Message(zh: "试运行：实际运行 \(command) 会因以下检查未通过而停止", en: "dry run: the real \(command) would stop on these checks")
        }
        public static let allGood = Message(zh: "全部检查通过", en: "every check passed")
        public static func someFailed(_ count: Int) -> Message { Message(zh: "\(count) 项未通过", en: "\(count) checks failed") }
    }
}
