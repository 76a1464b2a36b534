public import BankFormats
public import PikouCore
import Foundation
public import ReconStore
import Yams

/// A Pikou workspace: the folder holding `pikou.yaml`, the store, the outbox, inbox and archive.
///
/// Every command finds it from `--workspace DIR` or the current folder.
public struct Workspace: Sendable {
    /// The workspace folder.
    public let directory: String
    /// The config file.
    public var configPath: String { directory + "/pikou.yaml" }
    public var collector: String
    public var collectorAccount: String
    /// A bank's own collector code and account (`banks.<CODE>.collector`, `collector_account`), where
    /// it gave the bureau another one, of its own width.
    public var bankCollectors: [String: (collector: String?, account: String?)] = [:]
    /// The store: `store:` in pikou.yaml (`sqlite:PATH`, a path, or `postgres://USER@HOST:PORT/DB`).
    public var storeLocation: StoreLocation
    public var outbox: String
    public var inbox: String
    public var archive: String
    public var formatsDirectory: String
    /// Debits are asked for this day of the period's month (or the next banking day).
    public var collectionDay: Int
    public var enabledBanks: [String]
    /// The key and certificate mapping.
    public var signing: SigningConfig
    /// Resubmission rules (`retry:`).
    public var retry: RetryPolicy
    /// XML schema locations (`schemas:`): a name a spec's `schema` starts with → its folder.
    public var schemaLocations: [String: String] = [:]
    /// Each bank's SFTP server, where it has one (`banks.<CODE>.sftp`).
    public var sftp: [String: SFTPConfig] = [:]
    /// `notify.command`: run (without a shell) when a job fails or a verdict changes; nil: none.
    public var notifyCommand: [String]?
    /// `notify.gateway`: the SMS gateway `pikou notify send` posts notices to; nil: none (export only).
    public var smsGateway: SMSGatewayConfig?
    /// `anchor_copies`: files outside the workspace that every anchor of the journal is appended to
    /// as well, and that `check` verifies (``JournalAnchors``).
    public var anchorCopies: [String] = []
    /// Production (the bureau's own keys only) or test (`pikou init --test-keys`).
    public var mode: SigningConfig.Mode { signing.mode }

    static let topKeys: Set<String> = [
        "collector", "collector_account", "store", "outbox", "inbox", "archive", "formats", "collection_day", "enabled_banks", "keys", "banks",
        "retry", "schemas", "mode", "notify", "anchor_copies",
    ]

    /// Whether `text` can be a collector's account: 1 to 32 ASCII digits.
    static func isCollectorAccount(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether `text` can be a collector code: 1 to 32 ASCII letters and digits (it reaches file names).
    public static func isCollectorCode(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
    }

    /// The config at `path` as YAML: the one place pikou.yaml is read (the workspace, and the
    /// commands that need only its keys or its Formats).
    ///
    /// - Throws: ``PikouError`` (`workspace.config`) for a file that is missing, not YAML or not a mapping;
    ///   `missing` says what to do when there is none.
    static func document(at path: String, missing: Message) throws(PikouError) -> (document: Node, root: Node.Mapping) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PikouError("workspace.config", Message(zh: "\(path): 错误：\(missing.zh)", en: "\(path): error: \(missing.en)"))
        }
        let document: Node?
        do { document = try Yams.compose(yaml: text) } catch {
            throw PikouError("workspace.config", Message(zh: "\(path): 错误：不是有效的 YAML：\(error)", en: "\(path): error: not valid YAML: \(error)"))
        }
        guard let document, let root = document.mapping else {
            throw PikouError("workspace.config", Message(zh: "\(path): 错误：配置文件必须是 YAML 键值映射",
                                                         en: "\(path): error: the config must be a YAML mapping"))
        }
        return (document, root)
    }

    /// Loads the workspace in `directory`.
    ///
    /// - Parameters:
    ///   - defaultFormats: The Formats folder to use when the config names none.
    /// - Throws: ``PikouError`` naming the file, line and key.
    public init(directory: String, defaultFormats: String) throws(PikouError) {
        self.directory = directory
        let path = directory + "/pikou.yaml"
        let (document, root) = try Self.document(
            at: path, missing: Message(zh: "这里没有工作区：用 `pikou init \(directory)` 创建一个，或用 --workspace 指定工作区目录",
                                       en: "no workspace here; create one with `pikou init \(directory)` or give --workspace DIR"))
        for key in root.keys where !Self.topKeys.contains(key.string ?? "") {
            let (line, name) = (key.mark?.line ?? 0, key.string ?? "")
            throw PikouError("workspace.config", Message(
                zh: "\(path):\(line): 错误：未知的键 '\(name)'；允许的键：\(Self.topKeys.sorted().joined(separator: "、"))",
                en: "\(path):\(line): error: unknown key '\(name)'; allowed: \(Self.topKeys.sorted().joined(separator: ", "))"))
        }
        func string(_ key: String, default value: String? = nil) throws(PikouError) -> String {
            guard let node = root[key] else {
                if let value { return value }
                throw PikouError("workspace.config", Message(zh: "\(path): 错误：缺少必需的键 '\(key)'",
                                                             en: "\(path): error: required key '\(key)' is missing"))
            }
            guard let text = node.string, !text.isEmpty else {
                let line = node.mark?.line ?? 0
                throw PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：'\(key)' 的值不能为空",
                                                             en: "\(path):\(line): error: '\(key)' must be a non-empty value"))
            }
            return text
        }
        func resolve(_ relative: String) -> String { relative.hasPrefix("/") ? relative : directory + "/" + relative }
        collector = try string("collector")
        collectorAccount = try string("collector_account", default: "")
        // Both reach file names and file contents: letters and digits only (never `/`, `..` or a space).
        guard Self.isCollectorCode(collector) else {
            let line = root["collector"]?.mark?.line ?? 0
            throw PikouError("workspace.config", Message(
                zh: "\(path):\(line): 错误：'collector' 必须是本局的委托单位代码，只能是字母和数字（最多 32 位），不能是 '\(Masking.text(collector))'",
                en: "\(path):\(line): error: collector must be the bureau's collector code, letters and digits only (at most 32), "
                    + "not '\(Masking.text(collector))'"))
        }
        guard collectorAccount.isEmpty || Self.isCollectorAccount(collectorAccount) else {
            let line = root["collector_account"]?.mark?.line ?? 0
            throw PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：'collector_account' 只能是数字（最多 32 位）",
                                                         en: "\(path):\(line): error: collector_account must be digits only (at most 32)"))
        }
        let store = try string("store", default: "pikou.sqlite")
        do { storeLocation = try StoreLocation(store, relativeTo: directory) } catch {
            let line = root["store"]?.mark?.line ?? 0
            throw PikouError("workspace.store", Message(zh: "\(path):\(line): 错误：\(error.message.zh)",
                                                        en: "\(path):\(line): error: \(error.message.en)"))
        }
        outbox = resolve(try string("outbox", default: "outbox"))
        inbox = resolve(try string("inbox", default: "inbox"))
        archive = resolve(try string("archive", default: "archive"))
        formatsDirectory = root["formats"].flatMap(\.string).map(resolve) ?? defaultFormats
        let day = try string("collection_day", default: "15")
        guard let dayNumber = Int(day), (1...28).contains(dayNumber) else {
            throw PikouError("workspace.config", Message(zh: "\(path): 错误：'collection_day' 必须是 1 到 28 之间的某一天，不能是 '\(day)'",
                                                         en: "\(path): error: collection_day must be a day from 1 to 28, not '\(day)'"))
        }
        collectionDay = dayNumber
        enabledBanks = root["enabled_banks"]?.sequence?.compactMap(\.string) ?? []
        if let node = root["schemas"] {
            guard let mapping = node.mapping else {
                let line = node.mark?.line ?? 0
                throw PikouError("workspace.config", Message(
                    zh: "\(path):\(line): 错误：'schemas' 应把位置名对应到文件夹，例如 'iso20022: /srv/xsd/iso20022'",
                    en: "\(path):\(line): error: 'schemas' maps a location name to a folder, e.g. iso20022: /srv/xsd/iso20022"))
            }
            for (key, value) in mapping {
                guard let name = key.string, let folder = value.string, !folder.isEmpty else {
                    let line = key.mark?.line ?? 0
                    throw PikouError("workspace.config", Message(zh: "\(path):\(line): 错误：'schemas' 的每一项都应把名称对应到文件夹",
                                                                 en: "\(path):\(line): error: each 'schemas' entry maps a name to a folder"))
                }
                schemaLocations[name] = resolve(folder)
            }
        }
        for (key, value) in root["banks"]?.mapping ?? [:] {
            guard let code = key.string, let entry = value.mapping else { continue }
            let collector = entry["collector"]?.string, account = entry["collector_account"]?.string
            if let collector, !Self.isCollectorCode(collector) {
                let line = entry["collector"]?.mark?.line ?? 0
                throw PikouError("workspace.config", Message(
                    zh: "\(path):\(line): 错误：'banks.\(code).collector' 必须是 \(code) 分配的委托单位代码，只能是字母和数字（最多 32 位），"
                        + "不能是 '\(Masking.text(collector))'",
                    en: "\(path):\(line): error: banks.\(code).collector must be the collector code at \(code), letters and digits only "
                        + "(at most 32), not '\(Masking.text(collector))'"))
            }
            if let account, !Self.isCollectorAccount(account) {
                let line = entry["collector_account"]?.mark?.line ?? 0
                throw PikouError("workspace.config", Message(
                    zh: "\(path):\(line): 错误：'banks.\(code).collector_account' 只能是数字（最多 32 位）",
                    en: "\(path):\(line): error: banks.\(code).collector_account must be digits only (at most 32)"))
            }
            if collector != nil || account != nil { bankCollectors[code] = (collector, account) }
            if let config = try SFTPConfig.read(entry["sftp"], bank: code, path: path, workspace: directory) { sftp[code] = config }
        }
        signing = try SigningConfig(root: document, path: path)
        if enabledBanks.isEmpty { enabledBanks = signing.banks.keys.sorted() }
        if let node = root["notify"] {
            guard let mapping = node.mapping, mapping.keys.allSatisfy({ ["command", "gateway"].contains($0.string ?? "") }),
                  mapping["command"] != nil || mapping["gateway"] != nil else {
                let line = node.mark?.line ?? 0
                throw PikouError("workspace.config", Message(
                    zh: "\(path):\(line): 错误：'notify' 的键是 'command: [程序, 参数, …]'（任务失败或钱表相符结论变化时运行）和 'gateway: {url, token_file}'（短信网关）",
                    en: "\(path):\(line): error: notify's keys are command: [PROGRAM, ARG, …] (run on a failed job or a changed verdict) and gateway: {url, token_file} (the SMS gateway)"))
            }
            if let gateway = mapping["gateway"] { smsGateway = try SMSGatewayConfig(gateway, path: path, workspace: directory) }
        }
        if let command = root["notify"]?.mapping?["command"] {
            let words = command.sequence?.compactMap(\.string) ?? command.string.map { [$0] } ?? []
            guard let program = words.first, program.hasPrefix("/"), !words.contains(where: { $0.contains("\0") }) else {
                let line = command.mark?.line ?? 0
                throw PikouError("workspace.config", Message(
                    zh: "\(path):\(line): 错误：'notify.command' 必须以程序的绝对路径开头，例如 '[/usr/local/bin/notify-office, --to, ops]'",
                    en: "\(path):\(line): error: notify.command must start with the program's absolute path, "
                        + "e.g. [/usr/local/bin/notify-office, --to, ops]"))
            }
            notifyCommand = words
        }
        retry = try RetryPolicy(section: root["retry"]?.mapping, configPath: path)
        if let node = root["anchor_copies"] {
            let copies = node.sequence?.compactMap(\.string) ?? node.string.map { [$0] } ?? []
            let workspace = (directory as NSString).standardizingPath
            for copy in copies {
                let standard = (copy as NSString).standardizingPath
                guard copy.hasPrefix("/"), !copy.contains(where: { $0 == "\0" || $0 == "\n" || $0 == "\r" }), !copy.hasSuffix("/") else {
                    let line = node.mark?.line ?? 0
                    throw PikouError("workspace.config", Message(
                        zh: "\(path):\(line): 错误：'anchor_copies' 的每一项都必须是文件的绝对路径，例如 /var/lib/pikou-anchors/bureau.log",
                        en: "\(path):\(line): error: each of anchor_copies must be a file's absolute path, e.g. /var/lib/pikou-anchors/bureau.log"))
                }
                guard standard != workspace, !standard.hasPrefix(workspace + "/") else {
                    let line = node.mark?.line ?? 0
                    throw PikouError("workspace.config", Message(
                        zh: "\(path):\(line): 错误：'anchor_copies' 中的 \(copy) 在工作区内，能改写对账库的人也能改写它："
                            + "请指定工作区以外的文件（另一块磁盘、共享目录，或只有本局服务账户可写的文件夹）",
                        en: "\(path):\(line): error: anchor_copies \(copy) is inside the workspace, where whoever can rewrite the store can rewrite "
                            + "it too: name a file elsewhere (another disk, a share, a folder only the bureau's service account can write)"))
                }
                anchorCopies.append(copy)
            }
        }
    }

    /// The collector code and account `bank`'s files carry: its own, else the workspace's.
    public func collector(for bank: String) -> (code: String, account: String) {
        (bankCollectors[bank]?.collector ?? collector, bankCollectors[bank]?.account ?? collectorAccount)
    }

    /// Why `spec`'s debit files cannot carry this workspace's collector code or account as they are
    /// (too wide for the field, or a digit field that would zero-pad it into another code); nil when
    /// they can. Checked before anything is reserved.
    public func collectorProblem(_ spec: BankSpec) -> String? { collectorProblemMessage(spec)?.text }

    /// ``collectorProblem(_:)`` in every language.
    public func collectorProblemMessage(_ spec: BankSpec) -> Message? {
        let (code, account) = collector(for: spec.code)
        let layout = spec.debit
        let records = [layout.header, layout.detail, layout.trailer].compactMap { $0 }
        for field in records.flatMap(\.fields) where field.source == .collector || field.source == .collectorAccount {
            let value = field.source == .collector ? code : account
            let key = field.source == .collector ? "collector" : "collector_account"
            guard layout.kind == .fixed else { continue }
            let (shown, setting) = (Masking.text(value), "banks.\(spec.code).\(key)")
            if value.utf8.count > field.width {
                return Message(
                    zh: "\(spec.code) 的 \(field.name) 字段宽 \(field.width) 字节，'\(key)' 的值 '\(shown)' 有 \(value.utf8.count) 字节："
                        + "在 \(configPath) 中把 '\(setting)' 设为 \(spec.code) 分配给本局的代码",
                    en: "\(spec.code)'s \(field.name) field is \(field.width) bytes; the \(key) '\(shown)' is \(value.utf8.count): "
                        + "set \(setting) in \(configPath) to the code \(spec.code) gave the bureau")
            }
            if field.type == .digits, value.utf8.count < field.width, !value.isEmpty {
                return Message(
                    zh: "\(spec.code) 的 \(field.name) 字段为 \(field.width) 位数字，'\(key)' 的值 '\(shown)' 只有 \(value.utf8.count) 位，"
                        + "补零后会变成另一个代码：在 \(configPath) 中把 '\(setting)' 设为 \(spec.code) 分配给本局的代码",
                    en: "\(spec.code)'s \(field.name) field is \(field.width) digits; the \(key) '\(shown)' has \(value.utf8.count) and would be "
                        + "zero-padded into another code: set \(setting) in \(configPath) to the code \(spec.code) gave the bureau")
            }
        }
        return nil
    }

    /// The bank specs a workspace config names (`formats:` and `schemas:`, relative to its folder),
    /// for commands that read specs without opening the workspace; nil without a config or a
    /// `formats:` key.
    public static func formats(configPath: String) -> FormatRepository? {
        guard let root = try? document(at: configPath, missing: Message(zh: "", en: "")).root, let formats = root["formats"]?.string,
              !formats.isEmpty else { return nil }
        let folder = (configPath as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> String { relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative }
        var schemas: [String: String] = [:]
        for (key, value) in root["schemas"]?.mapping ?? [:] {
            if let name = key.string, let path = value.string { schemas[name] = resolve(path) }
        }
        return FormatRepository(directory: resolve(formats), schemaLocations: schemas)
    }

    /// The paths inside the workspace that Pikou writes to (its outbox, inbox, archive, logs and
    /// keys folders where they lie inside it, the anchors file, the lock) that are symbolic links,
    /// with where each points: a writing command refuses to start while any is. A folder named
    /// elsewhere in pikou.yaml is the bureau's choice and is not looked at.
    public func symbolicLinksWritten() -> [(path: String, target: String)] {
        let paths = [outbox, inbox, archive, directory + "/logs", directory + "/keys", directory + "/journal-anchors.log", directory + "/.pikou.lock"]
        return paths.filter { $0.hasPrefix(directory + "/") }.compactMap { path in FileIO.linkTarget(path).map { (path, $0) } }
    }

    /// The keys' and banks' sections of the config at `configPath` alone, for the commands that sign
    /// or verify a file with no workspace around it (`pikou file sign --config FILE`).
    ///
    /// - Throws: ``PikouError`` (`workspace.config`, `workspace.keys`) naming the file, line and key.
    public static func signing(configPath: String) throws(PikouError) -> SigningConfig {
        let (document, _) = try document(at: configPath, missing: Message(zh: "无法读取工作区配置", en: "cannot read the workspace config"))
        return try SigningConfig(root: document, path: configPath)
    }

    /// The bank specs.
    public var formats: FormatRepository { FormatRepository(directory: formatsDirectory, schemaLocations: schemaLocations) }

    /// Why `text` cannot be a workspace's `store:` (nil: it can).
    public static func storeProblem(_ text: String) -> String? { storeProblemMessage(text)?.text }

    /// ``storeProblem(_:)`` in every language (the Chinese names the store location itself).
    public static func storeProblemMessage(_ text: String) -> Message? {
        if text.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) {
            return Message(zh: "对账库位置 '\(text)' 中不能有引号、反斜杠或换行",
                           en: "'\(text)': a quote, backslash or line break has no place in a store location")
        }
        do {
            _ = try StoreLocation(text, relativeTo: "/")
            return nil
        } catch {
            return error.message
        }
    }

    /// Opens the store.
    public func openStore() async throws -> any ReconStore { try await storeLocation.open() }

    /// Each enabled bank's name as people say it (its spec's `display_name`), by code; a bank whose
    /// spec does not load is named by its code (`pikou doctor` names the problem).
    public func bankNames() -> [String: String] {
        Dictionary(uniqueKeysWithValues: enabledBanks.map { code in (code, (try? formats.spec(code))?.displayName ?? code) })
    }

    /// The specs of the enabled banks and the banking calendars of `years`: what writing a bank's
    /// files needs.
    ///
    /// - Throws: ``PikouError`` (`cycle.refused`) naming a spec that does not load; the calendar's error for a missing year.
    public func banksAndCalendar(years: [Int]) throws -> (specs: [String: BankSpec], calendar: BankCalendar) {
        var specs: [String: BankSpec] = [:]
        for code in enabledBanks {
            do { specs[code] = try formats.spec(code) } catch {
                throw PikouError("cycle.refused", Message(zh: error.diagnostics.map { $0.description(.zh) }.joined(separator: "\n"),
                                                          en: error.diagnostics.map { $0.description(.en) }.joined(separator: "\n")))
            }
        }
        return (specs, try BankCalendar.load(formatsDirectory: formatsDirectory, years: years))
    }

    /// Writes a commented config and creates the folders and the store.
    ///
    /// - Parameters:
    ///   - testKeysFrom: A folder of TEST keys (`Fixtures/keys`) to copy and configure, for demos and tests.
    /// - Returns: what was created.
    public static func create(
        directory: String, formatsDirectory: String, banks: [BankSpec], testKeysFrom: String?, collector: String = "420100000001",
        store: String = "pikou.sqlite"
    ) async throws -> [String] {
        let fileManager = FileManager.default
        let config = directory + "/pikou.yaml"
        guard !fileManager.fileExists(atPath: config) else {
            throw PikouError("workspace.config", Message(zh: "\(config): 错误：这里已有工作区，未作任何改动",
                                                         en: "\(config): error: a workspace already exists here; nothing changed"))
        }
        if let problem = storeProblemMessage(store) { throw PikouError("workspace.config", Message(zh: problem.zh, en: "store: \(problem.en)")) }
        try createFolders(directory, banks: banks, testKeysFrom: testKeysFrom)
        let text = configText(collector: collector, store: store, formatsDirectory: formatsDirectory, banks: banks, test: testKeysFrom != nil)
            + keysText(banks: banks, test: testKeysFrom != nil)
        try FileIO.writeAtomically(Array(text.utf8), to: config)
        var created = [config]
        let workspace = try Workspace(directory: directory, defaultFormats: formatsDirectory)
        if case .sqlite(let path) = workspace.storeLocation { FileIO.createPrivateFile(path) }
        _ = try await workspace.openStore()
        created.append(workspace.storeLocation.description)
        return created
    }

    /// The workspace's folders (personal data throughout: folders 0700, files 0600, whatever the
    /// umask), and the TEST keys copied in when asked.
    private static func createFolders(_ directory: String, banks: [BankSpec], testKeysFrom: String?) throws {
        let fileManager = FileManager.default
        for folder in ["", "/outbox", "/inbox", "/archive", "/keys", "/run", "/logs"] {
            try FileIO.makePrivateDirectory(directory + folder)
        }
        for bank in banks {
            try FileIO.makePrivateDirectory(directory + "/outbox/" + bank.code)
            try FileIO.makePrivateDirectory(directory + "/inbox/" + bank.code)
        }
        if let testKeysFrom {
            for name in try fileManager.contentsOfDirectory(atPath: testKeysFrom) where name.hasPrefix("test-") || name == "passphrase.txt" {
                try? fileManager.removeItem(atPath: directory + "/keys/" + name)
                try fileManager.copyItem(atPath: testKeysFrom + "/" + name, toPath: directory + "/keys/" + name)
                chmod(directory + "/keys/" + name, 0o600)
            }
        }
    }

    /// The commented config up to its keys.
    private static func configText(collector: String, store: String, formatsDirectory: String, banks: [BankSpec], test: Bool) -> String {
        """
            # Pikou workspace configuration. Paths are relative to this file's folder.
            # Every pikou command run in this folder (or given --workspace DIR) uses it.

            # production: the bureau's own keys only (the TEST keys Pikou ships never sign here);
            # test: a rehearsal or demo with those TEST keys (pikou init --test-keys).
            mode: \(test ? "test" : "production")

            # The tax bureau's collector code at the banks (委托单位代码) and its receiving account. A bank
            # that gave the bureau a code of its own (of its own width) gets it in its entry under
            # banks:, e.g.  BOC: {collector: "4201000009", collector_account: "…", signing_key: …}
            collector: "\(collector)"
            collector_account: "4201000000000000001"

            # The reconciliation store: one SQLite file (WAL mode), as sqlite:PATH or a path; several
            # operators at once share a PostgreSQL database: postgres://USER@HOST:PORT/DB.
            store: "\(store)"

            # Debit files are written to outbox/<BANK>/; return files arrive in inbox/<BANK>/;
            # every ingested return file is kept in archive/ under its SM3 digest.
            outbox: outbox
            inbox: inbox
            archive: archive

            # Bank specs (banks/), contribution policy (policy/) and banking calendar (calendar/).
            formats: \(formatsDirectory)

            # XML banks' schemas: <formats>/schemas/<location>/ unless a location is named here. The
            # official ISO 20022 schemas are not ours to ship: `make schemas` fetches them into
            # <formats>/schemas/iso20022/; to use a copy of your own, name its folder:
            # schemas:
            #   iso20022: /srv/xsd/iso20022

            # Ask the banks to debit on this day of the period's month, or the next banking day.
            collection_day: 15

            # The banks taking part this cycle (each needs Formats/banks/<BANK>.yaml and an entry below).
            enabled_banks: [\(banks.map(\.code).joined(separator: ", "))]

            # Resubmission (pikou resubmit): attempts per due (the first included), days between
            # attempts, and the outcomes retried without an operator deciding. Terminal failures are
            # retried only after the agreement is corrected; exceedsLimit and unknown only when an
            # operator names them with --outcome.
            retry:
              max_attempts: 3
              min_days_between: 3
              retry_outcomes: [insufficientFunds, bankSystemError]

            # A failed job (cycle run, send, fetch, returns ingest, resubmit, check, report) or a changed
            # 钱表相符 verdict runs this program, without a shell, with PIKOU_EVENT, PIKOU_COMMAND,
            # PIKOU_EXIT_CODE, PIKOU_WORKSPACE and PIKOU_MESSAGE in its environment (e.g. to mail the office):
            # notify:
            #   command: [/usr/local/bin/notify-office]

            # The journal's anchors are kept in journal-anchors.log here; keep each in files outside the
            # workspace too (another disk, a share the finance office keeps), which `pikou check` verifies:
            # anchor_copies: [/var/lib/pikou-anchors/bureau.log]

            """
    }

    /// The config's keys and banks: the TEST keys' or where the bureau's own go.
    private static func keysText(banks: [BankSpec], test: Bool) -> String {
        var text = """
            # Signing keys: never inline, only paths. A key's passphrase comes from a file readable by
            # its owner alone (passphrase_file, mode 0600: cron), a systemd credential
            # (passphrase_credential: NAME, with LoadCredential=NAME:/etc/pikou/NAME in the unit) or an
            # environment variable (passphrase_env), never from the command line.

            """
        if test {
            text += """
                # TEST KEYS (copied from Pikou's own test keys): for demos, tests and rehearsals only; a
                # production workspace refuses them.
                keys:
                  collector-sm2: {private_key: keys/test-collector-sm2.key.pem, passphrase_file: keys/passphrase.txt, certificate: keys/test-collector-sm2.cert.pem}
                  collector-rsa: {private_key: keys/test-collector-rsa.key.pem, passphrase_file: keys/passphrase.txt, certificate: keys/test-collector-rsa.cert.pem}
                  # The banks' keys, used only by `pikou bank simulate`.
                  bank-sm2: {private_key: keys/test-bank-sm2.key.pem, passphrase_file: keys/passphrase.txt, certificate: keys/test-bank-sm2.cert.pem}
                  bank-rsa: {private_key: keys/test-bank-rsa.key.pem, passphrase_file: keys/passphrase.txt, certificate: keys/test-bank-rsa.cert.pem}

                # Per bank: our key that signs its debit files, the bank's certificate that verifies its
                # return files, and (simulator only) the bank's own key.
                banks:

                """
            for bank in banks {
                let algorithm = bank.signature.scheme == .rsaSHA256 ? "rsa" : "sm2"
                text += "  \(bank.code): {signing_key: collector-\(algorithm), bank_certificate: keys/test-bank-\(algorithm).cert.pem, bank_key: bank-\(algorithm)}\n"
            }
        } else {
            text += """
                # Our keys (docs/operations.md, "Keys and certificates"):
                #   pikou keys generate --algorithm sm2 --out keys --name collector-sm2 --passphrase-file keys/passphrase
                #   pikou keys generate --algorithm rsa --out keys --name collector-rsa --passphrase-file keys/passphrase
                #   pikou keys request --key collector-sm2 --subject "/C=CN/O=…税务局/CN=…"   (a CSR for the bank or a CA)
                # Each bank's certificate, once its fingerprint is confirmed with the bank:
                #   pikou keys import --bank BOC boc.cert.pem          (kept in keys/banks/BOC/)
                keys:
                  collector-sm2: {private_key: keys/collector-sm2.key.pem, passphrase_file: keys/passphrase, certificate: keys/collector-sm2.cert.pem}
                  collector-rsa: {private_key: keys/collector-rsa.key.pem, passphrase_file: keys/passphrase, certificate: keys/collector-rsa.cert.pem}

                banks:

                """
            for bank in banks {
                let algorithm = bank.signature.scheme == .rsaSHA256 ? "rsa" : "sm2"
                text += "  \(bank.code): {signing_key: collector-\(algorithm)}\n"
            }
        }
        return text
    }
}
