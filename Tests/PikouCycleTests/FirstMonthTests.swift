import BankFormats
import Foundation
import PikouCore
import PikouCrypto
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Issue 30: what a bureau's first month from an installed copy needs — a dry run that changes
/// nothing, a doctor whose red lines each say the fix, keys and certificates handled as an office does.
@Suite struct FirstMonthTests {
    /// Every row of every table and view — as SQLite's `.dump` prints it, or on PostgreSQL each
    /// relation of the workspace's schema as its rows' text in order — and the outbox's files.
    static func fingerprint(_ ws: TestWorkspace) throws -> String {
        let dump: String
        switch ws.workspace.storeLocation {
        case .sqlite(let path):
            dump = try shell("sqlite3", [path, ".dump"]).stdout
        case .postgres(let url):
            // The schema travels in the URL's query (`?schema=w_…`); psql wants the URL without it.
            guard let components = URLComponents(string: url),
                  let schema = components.queryItems?.first(where: { $0.name == "schema" })?.value else {
                Issue.record("no schema in \(url)")
                return ""
            }
            var server = components
            server.queryItems = components.queryItems?.filter { $0.name != "schema" }
            if server.queryItems?.isEmpty == true { server.queryItems = nil }
            let psql = { (sql: String) throws -> String in
                let run = try shell("psql", [server.string!, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
                if run.status != 0 { Issue.record("psql: \(run.stderr)") }
                return run.stdout
            }
            let relations = try psql("SELECT table_name FROM information_schema.tables WHERE table_schema = '\(schema)' ORDER BY 1")
                .split(separator: "\n").map(String.init)
            #expect(relations.count > 10, "the store's tables and views are found")
            dump = try relations.map { name in
                let rows = try psql("SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM \"\(schema)\".\"\(name)\" r")
                return name + "\n" + rows
            }.joined(separator: "\n")
        }
        let outbox = try FileManager.default.subpathsOfDirectory(atPath: ws.workspace.outbox).sorted()
        let files = try FileManager.default.contentsOfDirectory(atPath: ws.directory).sorted()
        return dump + outbox.joined(separator: "\n") + files.filter { !$0.hasPrefix("pikou.sqlite") }.joined(separator: "\n")
    }

    /// What a dry run could leave behind on any backend: the journal's head, dues, files.
    static func ledger(_ ws: TestWorkspace) async throws -> String {
        let head = try await ws.store.journalHead()
        let candidates = try await ws.candidates(from: try Period("202601"), through: try Period("202712"))
        let residents = try await ws.store.residentEnrollments(year: 2027).count
        return "\(head.map { "\($0.entryID) \($0.hash)" } ?? "-") \(candidates.count) \(residents) \(try await ws.store.reservedFileIDs(bank: nil, fileIDs: nil))"
    }

    @Test(arguments: TestBackend.all) func aDryRunChangesNothingInEitherScheme(_ backend: TestBackend) async throws {
        let ws = try await TestWorkspace(backend: backend)
        _ = try await ws.store.importRoster(SyntheticRoster.make(SyntheticRoster.Options(payers: 40), seed: 5, banks: Array(ws.specs.keys)), actor: "t", source: "r.csv")
        _ = try await ws.store.importRoster(SyntheticResidents.roster(count: 20), actor: "t", source: "residents.csv")
        let before = try Self.fingerprint(ws), ledgerBefore = try await Self.ledger(ws)

        let monthly = try await ws.cycle.run(period: TestWorkspace.december, bank: nil, dryRun: true, fileDate: TestWorkspace.fileDate, actor: "t")
        #expect(monthly.duesPlanned > 0 && monthly.banks.values.reduce(0) { $0 + $1.lines } > 0, "the dry run plans and composes as the real one")
        let policy = try ws.useCases.residentsPolicy(year: 2027)
        let round = try await ws.cycle.runRound(policy: policy, round: nil, bank: nil, dryRun: true, fileDate: CivilDate(year: 2026, month: 10, day: 15)!, actor: "t")
        #expect(round.planning.inserted > 0 && round.cycle.banks.values.reduce(0) { $0 + $1.lines } > 0)

        #expect(try Self.fingerprint(ws) == before, "every table and the outbox byte for byte as before")
        #expect(try await Self.ledger(ws) == ledgerBefore)
        // The real run then plans what the dry run showed.
        let real = try await ws.cycle.run(period: TestWorkspace.december, bank: nil, dryRun: false, fileDate: TestWorkspace.fileDate, actor: "t")
        #expect(real.duesPlanned == monthly.duesPlanned)
        #expect(real.banks.mapValues(\.lines) == monthly.banks.mapValues(\.lines))
        #expect(try Self.fingerprint(ws) != before, "the fingerprint sees what a real run writes")
        // On PostgreSQL the rolled-back rehearsal still advanced the identity sequences: the ledger holds nonetheless.
        let violations = try await ws.useCases.check(specs: ws.specs, anchors: []).filter { !$0.isPendingWork }
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func doctorPassesATestWorkspaceAndNamesTheFixOfEachRedLine() async throws {
        let ws = try await TestWorkspace()
        let clean = await Doctor(workspace: ws.workspace).run(period: TestWorkspace.december, offline: true)
        #expect(!Doctor.failed(clean), "\(clean.filter { $0.status == .failure }.map(\.detail.en))")
        #expect(clean.contains { $0.item == .notices && $0.status == .ok }, "the notice templates are checked")
        // A workspace's own notices.yaml that does not read, and a gateway whose token others can read: red, each with its fix.
        try "signature: 示范\nkinds:\n  debit_failed: {enabled: true, text: \"{证件号}\"}\n".write(toFile: ws.workspace.directory + "/notices.yaml", atomically: true, encoding: .utf8)
        let original = try String(contentsOfFile: ws.workspace.directory + "/pikou.yaml", encoding: .utf8)
        try (original + "\nnotify:\n  gateway: {url: \"https://sms.example.cn/send\", token_file: sms-token}\n").write(toFile: ws.workspace.directory + "/pikou.yaml", atomically: true, encoding: .utf8)
        try "t\n".write(toFile: ws.workspace.directory + "/sms-token", atomically: true, encoding: .utf8)
        _ = chmod(ws.workspace.directory + "/sms-token", 0o644)
        let red = await Doctor(workspace: try Workspace(directory: ws.workspace.directory, defaultFormats: Fixture.formatsDirectory)).run(period: TestWorkspace.december, offline: true)
            .filter { $0.item == .notices && $0.status == .failure }
        #expect(red.count == 2 && red.allSatisfy { $0.fix != nil }, "\(red.map(\.detail.zh))")
        #expect(red.first?.detail.zh.contains("{证件号}") == true && red.last?.fix?.zh.contains("chmod 600") == true)
        try original.write(toFile: ws.workspace.directory + "/pikou.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: ws.workspace.directory + "/notices.yaml")

        // Break one thing at a time; each red line says what to do.
        let config = ws.workspace.configPath
        let text = try String(contentsOfFile: config, encoding: .utf8)
        func doctor(_ edit: (String) -> String, period: Period = TestWorkspace.december) async throws -> [Doctor.Finding] {
            try edit(text).write(toFile: config, atomically: true, encoding: .utf8)
            defer { try? text.write(toFile: config, atomically: true, encoding: .utf8) }
            let workspace = try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
            return await Doctor(workspace: workspace).run(period: period, offline: true).filter { $0.status == .failure }
        }
        let noKey = try await doctor { $0.replacingOccurrences(of: "keys/test-collector-sm2.key.pem", with: "keys/missing.key.pem") }
        #expect(noKey.contains { $0.item == .signingKey && $0.bank == "BOC" && $0.fix?.zh.contains("pikou keys generate --algorithm sm2") == true })
        let noBankCert = try await doctor { $0.replacingOccurrences(of: "bank_certificate: keys/test-bank-rsa.cert.pem, ", with: "") }
        #expect(noBankCert.contains { $0.item == .bankCertificate && $0.bank == "CCB" && $0.fix?.zh.contains("pikou keys import --bank CCB") == true })
        let production = try await doctor { $0.replacingOccurrences(of: "mode: test", with: "mode: production") }
        #expect(production.contains { $0.item == .signingKey && $0.detail.en.contains("TEST keys") }, "a TEST key never signs for production")
        #expect(production.contains { $0.item == .bankCertificate && $0.fix != nil })
        let noPolicy = try await doctor({ $0 }, period: try Period("203001"))
        #expect(noPolicy.contains { $0.item == .policy && $0.fix?.zh.contains("policy/2030.yaml") == true })
        #expect(noPolicy.contains { $0.item == .calendar && $0.fix?.zh.contains("calendar/2030.yaml") == true })
        let env = try await doctor { $0.replacingOccurrences(of: "passphrase_file: keys/passphrase.txt", with: "passphrase_env: PIKOU_NOT_SET_ANYWHERE") }
        #expect(env.contains { $0.item == .signingKey && $0.detail.en.contains("PIKOU_NOT_SET_ANYWHERE") })
        // The table prints the fixes under it.
        #expect(Doctor.Finding.lines(noKey).contains { $0.contains("pikou keys generate") })
    }

    @Test func aPassphraseFileOthersCanReadIsRefusedInProduction() throws {
        let folder = try temporaryDirectory()
        let key = try PrivateKey.generate(.sm2)
        try Data(try key.encryptedPEM(passphrase: "correct horse 1")).write(to: URL(fileURLWithPath: folder + "/k.pem"))
        try Data("correct horse 1\n".utf8).write(to: URL(fileURLWithPath: folder + "/pass"))
        chmod(folder + "/pass", 0o644)
        let yaml = "keys:\n  k: {private_key: k.pem, passphrase_file: pass}\nbanks:\n  BOC: {signing_key: k}\n"
        try yaml.write(toFile: folder + "/pikou.yaml", atomically: true, encoding: .utf8)
        let config = try Workspace.signing(configPath: folder + "/pikou.yaml")
        #expect { try config.signingKey(bank: "BOC", kind: .debit) } throws: { ($0 as? PikouError)?.code == "workspace.keys" }
        do { _ = try config.signingKey(bank: "BOC", kind: .debit) } catch { #expect("\(error)".contains("chmod 600")) }
        chmod(folder + "/pass", 0o600)
        _ = try config.signingKey(bank: "BOC", kind: .debit)
        // A systemd credential: read from $CREDENTIALS_DIRECTORY/NAME.
        try (yaml.replacingOccurrences(of: "passphrase_file: pass", with: "passphrase_credential: key-passphrase"))
            .write(toFile: folder + "/pikou.yaml", atomically: true, encoding: .utf8)
        var credential = try Workspace.signing(configPath: folder + "/pikou.yaml")
        credential.environment = [:]
        do { _ = try credential.signingKey(bank: "BOC", kind: .debit); Issue.record("no CREDENTIALS_DIRECTORY") } catch {
            #expect("\(error)".contains("LoadCredential=key-passphrase"))
        }
        try FileManager.default.createDirectory(atPath: folder + "/creds", withIntermediateDirectories: true)
        try Data("correct horse 1".utf8).write(to: URL(fileURLWithPath: folder + "/creds/key-passphrase"))
        credential.environment = ["CREDENTIALS_DIRECTORY": folder + "/creds"]
        _ = try credential.signingKey(bank: "BOC", kind: .debit)
    }

    @Test func theShippedTestKeysAreTheOnesListed() throws {
        for name in ["test-bank-rsa", "test-bank-sm2", "test-collector-rsa", "test-collector-sm2"] {
            let certificate = try Certificate(path: Fixture.path("keys/\(name).cert.pem"))
            #expect(TestKeys.isTestKey(certificate.publicKey), "\(name)")
        }
        #expect(!TestKeys.isTestKey(try PrivateKey.generate(.sm2).publicKey))
    }

    @Test func aRequestCarriesAChineseSubjectAndABankCertificateIsImportedWithItsFingerprint() async throws {
        let ws = try await TestWorkspace()
        let key = try ws.workspace.signing.privateKey(named: "collector-sm2")
        let request = try CertificateRequest(key: key, subject: "/C=CN/O=国家税务总局示例市税务局/CN=社保费批扣")
        #expect(request.subjectText.contains("O=国家税务总局示例市税务局"))
        let folder = try temporaryDirectory()
        try Data(request.pem).write(to: URL(fileURLWithPath: folder + "/r.csr"))
        let parsed = try shell("openssl", ["req", "-in", folder + "/r.csr", "-noout", "-subject", "-nameopt", "utf8,sep_comma_plus"])
        #expect(parsed.stdout.contains("国家税务总局示例市税务局"), "\(parsed.stdout)")
        let asn1 = try shell("openssl", ["asn1parse", "-in", folder + "/r.csr"])
        #expect(asn1.stdout.contains("UTF8STRING"))

        // A bank's new certificate: shown, fingerprinted, kept from its day, journaled.
        let bankKey = try PrivateKey.generate(.sm2)
        let certificate = try Certificate.selfSigned(key: bankKey, subject: "/CN=示例银行批扣/O=示例银行", days: 20)
        #expect(certificate.subjectText == "CN=示例银行批扣, O=示例银行")
        let details = CertificateDetails.lines(certificate)
        #expect(details.contains { $0.value == (try? certificate.fingerprint(.sha256)) })
        let imported = try await ws.useCases.importBankCertificate(certificate, bank: "BOC", spec: ws.specs["BOC"]!, from: CivilDate(year: 2026, month: 1, day: 1)!, actor: "t")
        #expect(!imported.alreadyTrusted && imported.path.contains("keys/banks/BOC/2026-01-01-"))
        let again = try await ws.useCases.importBankCertificate(certificate, bank: "BOC", spec: ws.specs["BOC"]!, from: CivilDate(year: 2026, month: 1, day: 1)!, actor: "t")
        #expect(again.alreadyTrusted)
        let workspace = try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
        let trusted = try workspace.signing.returnCertificates(bank: "BOC", today: CivilDate(year: 2026, month: 12, day: 6)!)
        #expect(trusted.count == 2 && trusted[0].publicKey.matches(bankKey.publicKey), "the new one first, the earlier one still tried")
        // Expiring within 30 days: the doctor warns.
        let findings = await Doctor(workspace: workspace).run(period: TestWorkspace.december, bank: "BOC", offline: true)
        #expect(findings.contains { $0.item == .bankCertificate && $0.status == .warning })

        // Refused: another algorithm, expired, not yet valid.
        let rsa = try Certificate.selfSigned(key: try PrivateKey.generate(.rsa), subject: "/CN=wrong")
        await #expect {
            try await ws.useCases.importBankCertificate(rsa, bank: "BOC", spec: ws.specs["BOC"]!, from: CivilDate(year: 2026, month: 1, day: 1)!, actor: "t")
        } throws: { ($0 as? PikouError)?.code == "keys.certificate" }
        let expired = try Certificate.selfSigned(key: bankKey, subject: "/CN=old", validFrom: -86_400 * 10, days: 5)
        await #expect {
            try await ws.useCases.importBankCertificate(expired, bank: "BOC", spec: ws.specs["BOC"]!, from: CivilDate(year: 2026, month: 1, day: 1)!, actor: "t")
        } throws: { ($0 as? PikouError)?.code == "keys.certificate" }
        let later = try Certificate.selfSigned(key: bankKey, subject: "/CN=later", validFrom: 86_400 * 40, days: 400)
        await #expect {
            try await ws.useCases.importBankCertificate(later, bank: "BOC", spec: ws.specs["BOC"]!, from: CivilDate(year: 2026, month: 1, day: 1)!, actor: "t")
        } throws: { ($0 as? PikouError)?.code == "keys.certificate" }
    }

    @Test func theDiskNeededFollowsTheLastMonthsFiles() async throws {
        let ws = try await TestWorkspace()
        let doctor = Doctor(workspace: ws.workspace)
        let before = doctor.recentOutboxBytes()
        let folder = ws.workspace.outbox + "/BOC"
        try FileIO.makePrivateDirectory(folder)
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: folder + "/recent.txt"))
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: folder + "/old.txt"))
        let old = Date().addingTimeInterval(-40 * 86_400)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/old.txt")
        #expect(doctor.recentOutboxBytes() == before + (1 << 20), "this month's file counts, one of 40 days ago does not")
    }

    @Test func aFailedJobAndAChangedVerdictRunTheNotifyCommand() async throws {
        let ws = try await TestWorkspace()
        let log = ws.directory + "/notified"
        let script = ws.directory + "/notify.sh"
        try "#!/bin/sh\necho \"$PIKOU_EVENT $PIKOU_COMMAND $PIKOU_EXIT_CODE $PIKOU_PREVIOUS_VERDICT $PIKOU_VERDICT\" >> \(log)\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o700)
        let text = try String(contentsOfFile: ws.workspace.configPath, encoding: .utf8)
        try (text + "\nnotify:\n  command: [\(script)]\n").write(toFile: ws.workspace.configPath, atomically: true, encoding: .utf8)
        let workspace = try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
        let notifier = Notifier(workspace: workspace)
        #expect(notifier.jobFailed(command: "cycle run", exitCode: 1, message: "x") == nil)
        #expect(notifier.verdict("pending", key: "flexible-monthly-2026-12", command: "report", exitCode: 3) == nil)  // the first: recorded
        #expect(notifier.verdict("pending", key: "flexible-monthly-2026-12", command: "report", exitCode: 3) == nil)  // unchanged
        #expect(notifier.verdict("match", key: "flexible-monthly-2026-12", command: "report", exitCode: 0) == nil)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["job-failed cycle run 1  ", "verdict-changed report 0 pending match"])
    }

    /// Staff alerts: a return file posted or refused, a certificate near its end (once a day), each
    /// one line in Chinese with the command to look closer — kept for the console's 总览 (newest
    /// first, IDs masked) and handed to notify.command (PIKOU_ALERT, PIKOU_LOOK).
    @Test func staffAlertsAreKeptForTheOverviewAndToldOnce() async throws {
        let ws = try await TestWorkspace()
        let log = ws.directory + "/told"
        let script = ws.directory + "/notify.sh"
        try "#!/bin/sh\necho \"$PIKOU_EVENT|$PIKOU_ALERT|$PIKOU_LOOK\" >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o700)
        let text = try String(contentsOfFile: ws.workspace.configPath, encoding: .utf8)
        try (text + "\nnotify:\n  command: [\(script)]\n").write(toFile: ws.workspace.configPath, atomically: true, encoding: .utf8)
        let workspace = try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
        let notifier = Notifier(workspace: workspace)
        #expect(notifier.returnPosted(bank: "BOC", debitFile: "DK20261220.txt", succeeded: 95, failed: 5, command: "returns ingest") == nil)
        let refusal = Diagnostic(.error, .invalidAmount, file: "R.txt", line: 7, field: "amount", "'12a' is not an amount for 110101199003071234")
        #expect(notifier.returnRefused(path: ws.directory + "/inbox/BOC/R.txt", diagnostic: refusal, command: "returns ingest") == nil)
        #expect(notifier.verdict("pending", key: "residents-annual-2027", command: "report", exitCode: 3) == nil)
        #expect(notifier.verdict("match", key: "residents-annual-2027", command: "report", exitCode: 0) == nil)
        let finding = Doctor.Finding(item: .bankCertificate, bank: "BOC", status: .warning, detail: Message(zh: "中国银行证书将于 2027-01-01 到期（还有 25 天）", en: "expires"), fix: nil)
        let today = try #require(CivilDate(year: 2026, month: 12, day: 7))
        #expect(notifier.certificatesExpiring([finding], command: "check", today: today).isEmpty)
        #expect(notifier.certificatesExpiring([finding], command: "check", today: today).isEmpty)  // told already today
        #expect(notifier.certificatesExpiring([finding], command: "check", today: today.adding(days: 1)).isEmpty)  // and again tomorrow
        let told = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(told.count == 5, "\(told)")
        #expect(told[0] == "return-posted|中国银行的回盘文件已入账（批扣文件 DK20261220.txt）：成功 95 笔，失败 5 笔|pikou failures --bank BOC --workspace \(ws.directory)")
        #expect(told[1].hasPrefix("return-refused|回盘文件 R.txt 被拒收，未入账：第 7 行 amount：") && !told[1].contains("110101199003071234"), "\(told[1])")
        #expect(told[2] == "verdict-changed|2027 年度城乡居民 的钱表相符由「未结清」变为「相符」|pikou report --scheme residents-annual --year 2027 --workspace \(ws.directory)")
        #expect(told[3].hasPrefix("certificate-expiring|证书即将到期：中国银行证书") && told[3].hasSuffix("|pikou doctor --workspace \(ws.directory)"))
        // Kept for 总览: newest first, the file the owner's only.
        let kept = StaffAlert.recent(workspace: workspace)
        #expect(kept.map(\.event) == [.certificateExpiring, .certificateExpiring, .verdictChanged, .returnRefused, .returnPosted])
        var info = stat()
        #expect(stat(ws.directory + "/run/alerts.jsonl", &info) == 0 && info.st_mode & 0o077 == 0)
        // The file is cut back once it grows past its size, keeping the latest.
        for n in 0..<1_500 { _ = StaffAlert.append(StaffAlert(at: FileIO.chinaTimestamp(), event: .jobFailed, zh: "任务 \(n) 失败" + String(repeating: "。", count: 100), en: "x", look: "y"), workspace: workspace) }
        let all = StaffAlert.read(workspace: workspace)
        var size = stat()
        #expect(stat(ws.directory + "/run/alerts.jsonl", &size) == 0 && Int(size.st_size) <= StaffAlert.cutAt)
        #expect(all.count > 100 && all.last?.zh.hasPrefix("任务 1499 失败") == true, "\(all.count)")
        let numbers = all.compactMap { Int($0.zh.dropFirst(3).prefix { $0.isNumber }) }
        #expect(numbers == Array(numbers.sorted()) && Set(numbers).count == numbers.count, "the latest, in order, none lost or doubled")
    }
}
