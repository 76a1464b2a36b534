import BankFormats
public import PikouCore
import Foundation
import PikouCrypto
import ReconStore

/// `pikou doctor` and the pre-flight of `cycle run`, `resubmit` and `send`: is everything a run
/// needs in place — per bank the spec, its schemas, the collector code, our key opened with its
/// configured secret, our certificate and the bank's (present, valid, not about to expire), the SFTP
/// server with its pinned host key — and, for the workspace, the calendar and policy of the period,
/// a writable store and room on disk. Each red line comes with its fix. Reads only: nothing is
/// written, reserved or journaled.
public struct Doctor {
    /// How a line stands.
    public enum Status: Int, Sendable, Comparable {
        case ok, warning, failure
        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What a line checks.
    public enum Item: String, Sendable, CaseIterable {
        case spec, schemas, collector, signingKey, ourCertificate, bankCertificate, sftp
        case calendar, policy, notices, store, disk
    }

    /// One line of the table.
    public struct Finding: Sendable {
        public var item: Item
        /// The bank, or nil for the workspace.
        public var bank: String?
        public var status: Status
        public var detail: Message
        /// What to do, for a warning or a failure.
        public var fix: Message?
    }

    /// Which checks a caller needs.
    public enum Scope: Sendable {
        /// Everything (`pikou doctor`).
        case all
        /// What writing and signing a bank's files needs (`cycle run`, `resubmit`).
        case writing
        /// What sending needs (`send`): the SFTP configuration, offline.
        case sending
    }

    public let workspace: Workspace
    /// The days before an expiry from which a certificate is warned about.
    public static let expiryWarningDays = 30
    /// Free space the outbox needs at least (a month's files for a large city are tens of MB); more
    /// when the last month's files were larger (three times their size).
    public static let minimumFreeBytes: Int64 = 256 << 20

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Runs the checks.
    ///
    /// - Parameters:
    ///   - period: The month whose calendar and policy must exist (the monthly scheme).
    ///   - residentsYear: The cover year whose residents' policy must exist (the residents' scheme).
    ///   - bank: Only this bank (default: every enabled bank).
    ///   - offline: Skip connecting to the SFTP servers.
    ///   - now: Seconds since 1970 (certificate validity).
    public func run(scope: Scope = .all, period: Period?, residentsYear: Int? = nil, bank: String? = nil, offline: Bool = false,
                    now: Int64? = nil) async -> [Finding] {
        let now = now ?? Int64(Date().timeIntervalSince1970)
        var findings: [Finding] = []
        let banks = workspace.enabledBanks.filter { bank == nil || $0 == bank }
        for code in banks {
            if scope == .sending {
                findings += sftp(code, offline: true)
                continue
            }
            guard let spec = self.spec(code, into: &findings) else { continue }
            if let problem = workspace.collectorProblem(spec) {
                findings.append(Finding(item: .collector, bank: code, status: .failure, detail: Message(zh: problem, en: problem),
                                        fix: Catalogue.Doctor.fixCollector(code, workspace.configPath)))
            }
            if spec.signature.isSigned {
                findings += keys(spec, now: now, includeBank: scope == .all)
            }
            if scope == .all { findings += sftp(code, offline: offline) }
        }
        if scope == .sending { return findings }
        if let period {
            findings += yearFiles(period.year)
            do {
                _ = try Policy.load(formatsDirectory: workspace.formatsDirectory, year: period.year)
                findings.append(Finding(item: .policy, bank: nil, status: .ok, detail: Catalogue.Doctor.policyOK(period.year), fix: nil))
            } catch {
                findings.append(Finding(item: .policy, bank: nil, status: .failure, detail: PikouError(error).message,
                                        fix: Catalogue.Doctor.fixPolicy(workspace.formatsDirectory, period.year)))
            }
        }
        if let residentsYear {
            findings += yearFiles(residentsYear)
            do {
                _ = try ResidentsPolicy.load(formatsDirectory: workspace.formatsDirectory, year: residentsYear)
                findings.append(Finding(item: .policy, bank: nil, status: .ok, detail: Catalogue.Doctor.residentsPolicyOK(residentsYear), fix: nil))
            } catch {
                findings.append(Finding(item: .policy, bank: nil, status: .failure, detail: PikouError(error).message,
                                        fix: Catalogue.Doctor.fixResidentsPolicy(workspace.formatsDirectory, residentsYear)))
            }
        }
        if scope == .all { findings += notices() }
        findings += await store()
        findings.append(disk())
        return findings
    }

    /// The notice templates read, and the SMS gateway's token file is there and the owner's only.
    private func notices() -> [Finding] {
        var findings: [Finding] = []
        // A workspace whose formats folder predates notices has no templates: only notices need them.
        let own = workspace.directory + "/notices.yaml", shipped = workspace.formatsDirectory + "/notices.yaml"
        if !FileManager.default.fileExists(atPath: own) && !FileManager.default.fileExists(atPath: shipped) {
            findings.append(Finding(item: .notices, bank: nil, status: .warning, detail: Catalogue.Doctor.noNoticeTemplates,
                                    fix: Catalogue.Doctor.fixNotices(workspace.formatsDirectory)))
            return findings
        }
        do {
            let templates = try NoticeTemplates.load(workspace: workspace)
            findings.append(Finding(item: .notices, bank: nil, status: .ok, detail: Catalogue.Doctor.noticesOK, fix: nil))
            // 阿里云短信 sends approved templates only: each kind turned on needs its code.
            if workspace.smsGateway?.kind == .aliyun {
                let missing = NoticeKind.allCases.filter { templates.templates[$0]?.enabled == true && templates.templates[$0]?.templateCode == nil }
                if !missing.isEmpty {
                    findings.append(Finding(item: .notices, bank: nil, status: .failure,
                                            detail: Catalogue.Doctor.noTemplateCodes(missing.map { "\($0.rawValue)（\(Catalogue.noticeKind($0).zh)）" }.joined(separator: "、")),
                                            fix: Catalogue.Doctor.fixTemplateCodes))
                }
            }
        } catch {
            findings.append(Finding(item: .notices, bank: nil, status: .failure, detail: PikouError(error).message,
                                    fix: Catalogue.Doctor.fixNotices(workspace.formatsDirectory)))
        }
        guard let gateway = workspace.smsGateway else { return findings }
        if let (problem, fix) = gateway.tokenProblem() {
            findings.append(Finding(item: .notices, bank: nil, status: .failure, detail: problem, fix: fix))
        } else {
            findings.append(Finding(item: .notices, bank: nil, status: .ok, detail: Catalogue.Doctor.gatewayOK(URLComponents(string: gateway.url)?.host ?? "?"), fix: nil))
        }
        return findings
    }

    /// The certificates, ours and the banks', of the enabled banks that expire within
    /// ``expiryWarningDays``: what `check` and the console's 总览 warn of. Reads certificates only
    /// (no key is opened, no secret needed); a missing or unreadable one is the doctor's business.
    public func expiringCertificates(now: Int64? = nil) -> [Finding] {
        let now = now ?? Int64(Date().timeIntervalSince1970)
        var findings: [Finding] = []
        for code in workspace.enabledBanks {
            guard let spec = try? workspace.formats.spec(code), spec.signature.isSigned else { continue }
            let expected = spec.signature.scheme.keyAlgorithm
            let sides: [(Item, FileKind, Message)] = [(.ourCertificate, .debit, Catalogue.Doctor.fixOurCertificate),
                                                      (.bankCertificate, .return, Catalogue.Doctor.fixBankCertificate(code))]
            for (item, kind, fix) in sides {
                guard let certificate = try? workspace.signing.certificate(bank: code, kind: kind) else { continue }
                let finding = validity(item, code, certificate, now: now, expected: expected, fix: fix)
                if finding.status == .warning { findings.append(finding) }
            }
        }
        return findings
    }

    /// Whether any line is red.
    public static func failed(_ findings: [Finding]) -> Bool { findings.contains { $0.status == .failure } }

    // MARK: - Banks

    private func spec(_ code: String, into findings: inout [Finding]) -> BankSpec? {
        do {
            let spec = try workspace.formats.spec(code)
            var missing: [String] = []
            for kind in FileKind.allCases {
                guard kind != .cancel || spec.cancel != nil, let shape = spec.layout(kind).xml, let path = shape.schemaPath else { continue }
                if !FileManager.default.fileExists(atPath: path) { missing.append(path) }
            }
            if let envelope = spec.signature.envelope?.schemaPath, !FileManager.default.fileExists(atPath: envelope) { missing.append(envelope) }
            findings.append(Finding(item: .spec, bank: code, status: .ok, detail: Catalogue.Doctor.specOK(workspace.formats.banksDirectory + "/" + code + ".yaml"), fix: nil))
            if !missing.isEmpty {
                findings.append(Finding(item: .schemas, bank: code, status: .failure, detail: Catalogue.Doctor.schemasMissing(missing),
                                        fix: Catalogue.Doctor.fixSchemas(workspace.configPath)))
            } else if spec.debit.xml != nil || spec.returns.xml != nil {
                findings.append(Finding(item: .schemas, bank: code, status: .ok, detail: Catalogue.Doctor.schemasOK, fix: nil))
            }
            return spec
        } catch {
            let text = Message(zh: error.diagnostics.map { $0.description(.zh) }.joined(separator: "；"),
                               en: error.diagnostics.map { $0.description(.en) }.joined(separator: "; "))
            findings.append(Finding(item: .spec, bank: code, status: .failure, detail: text,
                                    fix: Catalogue.Doctor.fixSpec(code)))
            return nil
        }
    }

    private func keys(_ spec: BankSpec, now: Int64, includeBank: Bool) -> [Finding] {
        let code = spec.code
        let signing = workspace.signing
        var findings: [Finding] = []
        let expected = spec.signature.scheme.keyAlgorithm
        var key: PrivateKey?
        do {
            let loaded = try signing.signingKey(bank: code, kind: .debit)
            key = loaded
            if loaded.algorithmName != expected {
                findings.append(Finding(item: .signingKey, bank: code, status: .failure, detail: Catalogue.Doctor.wrongAlgorithm(found: loaded.algorithmName, expected: expected),
                                        fix: Catalogue.Doctor.fixKey(code, algorithm: expected.lowercased())))
            } else {
                findings.append(Finding(item: .signingKey, bank: code, status: .ok,
                                        detail: Catalogue.Doctor.keyOK((try? signing.keyName(bank: code, kind: .debit)) ?? "?", algorithm: loaded.algorithmName), fix: nil))
            }
        } catch {
            findings.append(Finding(item: .signingKey, bank: code, status: .failure, detail: PikouError(error).message,
                                    fix: Catalogue.Doctor.fixKey(code, algorithm: expected.lowercased())))
        }
        do {
            let certificate = try signing.certificate(bank: code, kind: .debit)
            findings.append(validity(.ourCertificate, code, certificate, now: now, expected: expected,
                                     fix: Catalogue.Doctor.fixOurCertificate))
            if let key, !certificate.publicKey.matches(key.publicKey) {
                findings.append(Finding(item: .ourCertificate, bank: code, status: .failure, detail: Catalogue.Doctor.certificateNotOfKey,
                                        fix: Catalogue.Doctor.fixOurCertificate))
            }
        } catch {
            findings.append(Finding(item: .ourCertificate, bank: code, status: .failure, detail: PikouError(error).message,
                                    fix: Catalogue.Doctor.fixOurCertificate))
        }
        guard includeBank else { return findings }
        do {
            let certificate = try signing.certificate(bank: code, kind: .return)
            findings.append(validity(.bankCertificate, code, certificate, now: now, expected: expected, fix: Catalogue.Doctor.fixBankCertificate(code)))
            if workspace.mode == .production, TestKeys.isTestKey(certificate.publicKey) {
                findings.append(Finding(item: .bankCertificate, bank: code, status: .failure, detail: Catalogue.Doctor.testCertificate,
                                        fix: Catalogue.Doctor.fixBankCertificate(code)))
            }
        } catch {
            findings.append(Finding(item: .bankCertificate, bank: code, status: .failure, detail: PikouError(error).message,
                                    fix: Catalogue.Doctor.fixBankCertificate(code)))
        }
        return findings
    }

    private func validity(_ item: Item, _ code: String, _ certificate: Certificate, now: Int64, expected: String, fix: Message) -> Finding {
        let until = Certificate.format(epoch: certificate.notAfter)
        if certificate.publicKey.algorithmName != expected {
            return Finding(item: item, bank: code, status: .failure, detail: Catalogue.Doctor.wrongAlgorithm(found: certificate.publicKey.algorithmName, expected: expected), fix: fix)
        }
        do { try certificate.checkValidity(now: now) } catch {
            return Finding(item: item, bank: code, status: .failure, detail: PikouError(error).message, fix: fix)
        }
        if certificate.expiresWithin(days: Self.expiryWarningDays, now: now) {
            return Finding(item: item, bank: code, status: .warning,
                           detail: Catalogue.Doctor.expiresSoon(certificate.subjectText, until: until, days: certificate.daysLeft(now: now)), fix: fix)
        }
        return Finding(item: item, bank: code, status: .ok, detail: Catalogue.Doctor.certificateOK(certificate.subjectText, until: until), fix: nil)
    }

    private func sftp(_ code: String, offline: Bool) -> [Finding] {
        guard let config = workspace.sftp[code] else { return [] }
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: config.key) {
            return [Finding(item: .sftp, bank: code, status: .failure, detail: Catalogue.Doctor.missingFile(config.key), fix: Catalogue.Doctor.fixSFTPKey(config.key))]
        }
        let pinned = (try? String(contentsOfFile: config.knownHosts, encoding: .utf8)) ?? ""
        let hostTag = config.port == 22 ? config.host : "[\(config.host)]:\(config.port)"
        if !pinned.split(separator: "\n").contains(where: { $0.split(separator: " ").first?.split(separator: ",").contains(where: { $0 == hostTag || $0 == config.host }) == true }) {
            return [Finding(item: .sftp, bank: code, status: .failure, detail: Catalogue.Doctor.hostNotPinned(hostTag, config.knownHosts),
                            fix: Catalogue.Doctor.fixPin(config.host, port: config.port, knownHosts: config.knownHosts))]
        }
        if let variable = config.passphraseEnv, (ProcessInfo.processInfo.environment[variable] ?? "").isEmpty {
            return [Finding(item: .sftp, bank: code, status: .failure, detail: Catalogue.Doctor.plain("banks.\(code).sftp.passphrase_env: \(variable)"),
                            fix: Catalogue.Doctor.fixEnvironment(variable))]
        }
        guard !offline else {
            return [Finding(item: .sftp, bank: code, status: .ok, detail: Catalogue.Doctor.sftpConfigured(hostTag), fix: nil)]
        }
        do {
            let scratch = workspace.directory + "/run/.doctor-sftp"
            try FileIO.makePrivateDirectory(scratch)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let client = try SFTPClient(config: config, scratch: scratch)
            _ = try client.list(config.inbox)
            return [Finding(item: .sftp, bank: code, status: .ok, detail: Catalogue.Doctor.sftpReached(hostTag, config.inbox), fix: nil)]
        } catch {
            return [Finding(item: .sftp, bank: code, status: .failure, detail: PikouError(error).message, fix: Catalogue.Doctor.fixSFTP(code))]
        }
    }

    // MARK: - Workspace

    private func yearFiles(_ year: Int) -> [Finding] {
        do {
            let calendar = try BankCalendar.load(formatsDirectory: workspace.formatsDirectory, years: [year])
            if calendar.provisionalYears.contains(year) {
                return [Finding(item: .calendar, bank: nil, status: .warning, detail: Catalogue.provisionalCalendar(year),
                                fix: Catalogue.Doctor.fixCalendar(workspace.formatsDirectory, year))]
            }
            return [Finding(item: .calendar, bank: nil, status: .ok, detail: Catalogue.Doctor.calendarOK(year), fix: nil)]
        } catch {
            return [Finding(item: .calendar, bank: nil, status: .failure, detail: PikouError(error).message,
                            fix: Catalogue.Doctor.fixCalendar(workspace.formatsDirectory, year))]
        }
    }

    private func store() async -> [Finding] {
        if case .sqlite(let path) = workspace.storeLocation {
            let folder = (path as NSString).deletingLastPathComponent
            for target in [path, folder.isEmpty ? "." : folder] where access(target, W_OK) != 0 {
                return [Finding(item: .store, bank: nil, status: .failure, detail: Catalogue.Doctor.notWritable(target), fix: Catalogue.Doctor.fixWritable(target))]
            }
        }
        do {
            _ = try await workspace.openStore()
            return [Finding(item: .store, bank: nil, status: .ok, detail: Catalogue.Doctor.storeOK(workspace.storeLocation.description), fix: nil)]
        } catch {
            return [Finding(item: .store, bank: nil, status: .failure, detail: PikouError(error).message, fix: Catalogue.Doctor.fixStore)]
        }
    }

    /// The bytes of the files the outbox received in the last 31 days: about a month's debit files.
    /// A month needs room for as much again, its returns and their archived copies: three times that.
    func recentOutboxBytes(now: Date = Date()) -> Int64 {
        let since = now.addingTimeInterval(-31 * 86_400)
        var total: Int64 = 0
        let banks = (try? FileManager.default.contentsOfDirectory(atPath: workspace.outbox)) ?? []
        for bank in banks {
            let folder = workspace.outbox + "/" + bank
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var status = stat()
                guard stat(folder + "/" + name, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                      Double(status.st_mtim.tv_sec) >= since.timeIntervalSince1970 else { continue }
                total += Int64(status.st_size)
            }
        }
        return total
    }

    private func disk() -> Finding {
        var stats = statvfs()
        guard statvfs(workspace.outbox, &stats) == 0 else {
            return Finding(item: .disk, bank: nil, status: .failure, detail: Catalogue.Doctor.missingFile(workspace.outbox), fix: Catalogue.Doctor.fixWritable(workspace.outbox))
        }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        let mib = free >> 20
        let needed = max(Self.minimumFreeBytes, 3 * recentOutboxBytes())
        if free < needed {
            return Finding(item: .disk, bank: nil, status: .failure, detail: Catalogue.Doctor.diskLow(mib: mib, needed: needed >> 20),
                           fix: Catalogue.Doctor.fixDisk(workspace.directory))
        }
        return Finding(item: .disk, bank: nil, status: .ok, detail: Catalogue.Doctor.diskOK(mib: mib), fix: nil)
    }
}

extension Doctor.Finding {
    /// The table of findings, red lines first within each bank, and the fixes below it.
    public static func lines(_ findings: [Doctor.Finding]) -> [String] {
        var table = TextTable([.init(Catalogue.Doctor.columnItem.text), .init(Catalogue.Doctor.columnBank.text),
                               .init(Catalogue.Doctor.columnStatus.text), .init(Catalogue.Doctor.columnDetail.text)])
        var fixes: [String] = []
        for finding in findings {
            table.add([Catalogue.Doctor.item(finding.item).text, finding.bank ?? "—", Catalogue.Doctor.status(finding.status).text, finding.detail.text])
            if finding.status != .ok, let fix = finding.fix {
                let line = "\(Catalogue.Doctor.head(finding))：\(fix.text)"
                if !fixes.contains(line) { fixes.append(line) }
            }
        }
        var lines = table.lines()
        if !fixes.isEmpty { lines.append(""); lines.append(Catalogue.Doctor.fixesHeading.text); lines += fixes.map { "  " + $0 } }
        return lines
    }
}
