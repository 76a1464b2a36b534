import BankFormats
import Foundation
import PikouCore
import PikouCrypto
import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Sending and fetching through a real OpenSSH sshd on 127.0.0.1 (``SSHServer``): files go once,
/// by temporary name and rename; a changed host key is refused; a connection cut mid-upload leaves
/// no file under its real name, and the next send completes it.
@Suite(.serialized) struct SFTPExchangeTests {
    /// A workspace with one BOC debit file of `payers` lines written, and a server.
    func setUp(payers: Int = 4, passphrase: String = "") async throws -> (TestWorkspace, SSHServer, String)? {
        guard let server = try SSHServer.start(clientKeyPassphrase: passphrase) else { return nil }
        let (ws, debit) = try await TestWorkspace.withBOCFile(payers: payers)
        try server.knownHostsLine.write(toFile: ws.directory + "/known_hosts", atomically: true, encoding: .utf8)
        return (ws, server, debit)
    }

    func exchange(_ ws: TestWorkspace, _ config: SFTPConfig) -> BankExchange {
        var workspace = ws.workspace
        workspace.sftp[config.bank] = config
        return BankExchange(workspace: workspace, store: ws.store)
    }

    @Test func sendsOnceAndFetchesByDigestWithAnEncryptedKey() async throws {
        guard let (ws, server, debit) = try await setUp(passphrase: "测试口令 sftp") else { return }
        defer { server.stop() }
        setenv("PIKOU_TEST_SFTP_PASSPHRASE", "测试口令 sftp", 1)
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts", passphraseEnv: "PIKOU_TEST_SFTP_PASSPHRASE")
        let name = (debit as NSString).lastPathComponent
        let sent = try await exchange(ws, config).send(config, actor: "张经办")
        #expect(sent.moved == [debit] && sent.failed.isEmpty)
        #expect(FileManager.default.contents(atPath: server.outbox + "/" + name) == FileManager.default.contents(atPath: debit))
        #expect(FileManager.default.contents(atPath: server.outbox + "/" + name + ".sig") == FileManager.default.contents(atPath: debit + ".sig"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.outbox).allSatisfy { !$0.hasPrefix(".") })
        // Sent once: the second run sends nothing.
        let again = try await exchange(ws, config).send(config, actor: "张经办")
        #expect(again.moved.isEmpty && again.already == 1)
        // The bank answers into its inbox folder; fetch brings the file and its signature, once.
        let result = try BankSimulator(spec: ws.specs["BOC"]!, signing: ws.workspace.signing)
            .simulate(debitFile: debit, outputDirectory: server.inbox, seed: 1, failRate: 0.5)
        for path in [result.path, result.path + ".sig"] { chmod(path, 0o644) }
        let fetched = try await exchange(ws, config).fetch(config, actor: "张经办")
        #expect(fetched.moved.count == 2 && fetched.failed.isEmpty)
        let local = ws.workspace.inbox + "/BOC/" + (result.path as NSString).lastPathComponent
        #expect(FileManager.default.contents(atPath: local) == FileManager.default.contents(atPath: result.path))
        guard case .posted = try await ws.ingest.ingest(path: local, bank: nil, debitFileName: nil, actor: "t") else {
            Issue.record("the fetched return must ingest")
            return
        }
        let twice = try await exchange(ws, config).fetch(config, actor: "张经办")
        #expect(twice.moved.isEmpty && twice.already == 2)
        let transfers = try await ws.store.transfers(bank: "BOC")
        #expect(transfers.map(\.direction) == [.sent, .fetched, .fetched])
        #expect(transfers.first?.remote == "sftp://\(SSHServer.user)@127.0.0.1:\(server.port)/outbox/\(name)")
        #expect(try await ws.check.violations() == [])
    }

    @Test func aChangedHostKeyIsRefusedAndNothingIsSent() async throws {
        guard let (ws, server, _) = try await setUp() else { return }
        defer { server.stop() }
        // Another server's key pinned for this address.
        guard let other = try SSHServer.start() else { return }
        let pinned = "[127.0.0.1]:\(server.port) \(other.hostPublicKey)\n"
        other.stop()
        try pinned.write(toFile: ws.directory + "/known_hosts", atomically: true, encoding: .utf8)
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts")
        do {
            _ = try await exchange(ws, config).send(config, actor: "t")
            Issue.record("a changed host key must be refused")
        } catch let error as ExchangeError {
            #expect(error.kind == .hostKeyChanged)
            #expect(error.description.contains("fingerprint"))
        }
        // No key pinned at all: refused too, saying how to pin one.
        try "".write(toFile: ws.directory + "/known_hosts", atomically: true, encoding: .utf8)
        do {
            _ = try await exchange(ws, config).fetch(config, actor: "t")
            Issue.record("an unpinned server must be refused")
        } catch let error as ExchangeError {
            #expect(error.kind == .hostKeyUnknown)
            #expect(error.description.contains("ssh-keyscan"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.outbox).isEmpty)
        #expect(try await ws.store.transfers(bank: nil).isEmpty)
    }

    @Test func aConnectionCutMidUploadLeavesNoFileAndTheNextSendCompletesIt() async throws {
        guard let (ws, server, _) = try await setUp(payers: 5000) else { return }
        defer { server.stop() }
        let files = ws.outboxFiles("BOC").filter { $0.contains("_DK_") }
        #expect(files.count > 1)
        // 1 Mbit/s: each file takes about two seconds to upload.
        let slow = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts", limitKbit: 1024)
        let slowExchange = exchange(ws, slow)
        let sending = Task { try await slowExchange.send(slow, actor: "t") }
        // Cut once an upload is under way: a `.part` at the bank (whatever the machine's load).
        for _ in 0..<400 {
            let partial = (try? FileManager.default.contentsOfDirectory(atPath: server.outbox))?.contains { $0.hasSuffix(".txt.part") } ?? false
            if partial { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let dropped = server.dropConnections()
        let cut = try await sending.value
        #expect(dropped > 0, "no connection was open to cut")
        #expect(!cut.failed.isEmpty, "the cut must have hit an upload")
        #expect(cut.failed.allSatisfy { $0.why.en.contains("cut off") || $0.why.en.contains("closed") }, "\(cut.failed)")
        // Whatever is under its own name at the bank is whole and recorded; the rest is not there.
        let recorded = Set(try await ws.store.transfers(bank: "BOC").map(\.name))
        for file in files {
            let name = (file as NSString).lastPathComponent
            let there = FileManager.default.contents(atPath: server.outbox + "/" + name)
            #expect(there == nil || there == FileManager.default.contents(atPath: file), "\(name) is at the bank cut short")
            #expect((there != nil) == recorded.contains(name))
        }
        // The next send completes it: every file whole under its name, each recorded once.
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts")
        let next = try await exchange(ws, config).send(config, actor: "t")
        #expect(next.failed.isEmpty && next.moved.count + cut.moved.count == files.count)
        for file in files {
            let name = (file as NSString).lastPathComponent
            #expect(FileManager.default.contents(atPath: server.outbox + "/" + name) == FileManager.default.contents(atPath: file))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.outbox).filter { $0.hasPrefix(".") }.count <= 1)
        #expect(try await ws.store.transfers(bank: "BOC").count == files.count)
    }

    @Test func aKeyThatDoesNotOpenStopsTheBankAtOnce() async throws {
        guard let (ws, server, _) = try await setUp(passphrase: "正确的口令") else { return }
        defer { server.stop() }
        setenv("PIKOU_TEST_SFTP_WRONG", "错误的口令", 1)
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts", passphraseEnv: "PIKOU_TEST_SFTP_WRONG")
        do {
            _ = try await exchange(ws, config).send(config, actor: "t")
            Issue.record("a key that does not open must stop the send")
        } catch let error as ExchangeError {
            #expect(error.kind == .authentication && error.description.contains("does not open"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.outbox).isEmpty)
    }

    @Test func aFileAlreadyThereUnderItsNameIsNeverOverwritten() async throws {
        guard let (ws, server, debit) = try await setUp() else { return }
        defer { server.stop() }
        let name = (debit as NSString).lastPathComponent
        try Data("something else\n".utf8).write(to: URL(fileURLWithPath: server.outbox + "/" + name))
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts")
        let report = try await exchange(ws, config).send(config, actor: "t")
        #expect(report.moved.isEmpty)
        #expect(report.failed.first?.why.en.contains("not overwritten") == true)
        #expect(try String(contentsOfFile: server.outbox + "/" + name, encoding: .utf8) == "something else\n")
        #expect(try await ws.store.transfers(bank: nil).isEmpty)
    }

    @Test func aFileCancelledBeforeItWasSentIsNeverSent() async throws {
        guard let (ws, server, debit) = try await setUp() else { return }
        defer { server.stop() }
        let name = (debit as NSString).lastPathComponent
        _ = try await ws.useCases.cancelFile(bank: "BOC", name: name, reason: "x", specs: ws.specs, actor: "t")
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts")
        let report = try await exchange(ws, config).send(config, actor: "t")
        #expect(report.moved.isEmpty && report.skipped.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.outbox).isEmpty)
    }

    /// One name at the bank that a fetch cannot take — a newline in it, one too long for a local
    /// file — is skipped and reported; the bank's other files are fetched as ever.
    @Test func aNameFetchCannotTakeIsSkippedAndTheRestFetched() async throws {
        guard let (ws, server, debit) = try await setUp() else { return }
        defer { server.stop() }
        let config = server.config(bank: "BOC", knownHosts: ws.directory + "/known_hosts", passphraseEnv: nil)
        let result = try BankSimulator(spec: ws.specs["BOC"]!, signing: ws.workspace.signing)
            .simulate(debitFile: debit, outputDirectory: server.inbox, seed: 1, failRate: 0.5)
        // A line break in a name, a name too long for a local file, and a Chinese name (sftp's listing
        // prints its bytes as \ooo escapes).
        let broken = "line\nbreak.txt", long = String(repeating: "长", count: 83) + ".txt", chinese = "中行回盘说明.txt"  // long: 253 bytes
        for name in [broken, long, chinese] { try Data("x".utf8).write(to: URL(fileURLWithPath: server.inbox + "/" + name)) }
        for path in [result.path, result.path + ".sig"] + [broken, long, chinese].map({ server.inbox + "/" + $0 }) { chmod(path, 0o644) }
        let fetched = try await exchange(ws, config).fetch(config, actor: "t")
        #expect(fetched.failed.isEmpty, "nothing fails: \(fetched.failed)")
        #expect(Set(fetched.moved.map { ($0 as NSString).lastPathComponent }) == [(result.path as NSString).lastPathComponent,
                                                                                 (result.path as NSString).lastPathComponent + ".sig", chinese],
                "the return file, its signature and the Chinese name: \(fetched.moved)")
        #expect(fetched.skipped.contains { $0.name == "line" && $0.why.en.contains("line break") }, "\(fetched.skipped)")
        #expect(fetched.skipped.contains { $0.name == long && $0.why.en.contains("253 bytes") }, "\(fetched.skipped)")
        #expect(FileManager.default.contents(atPath: ws.workspace.inbox + "/BOC/" + chinese) == Data("x".utf8))
    }

    @Test func theConfigIsCheckedBeforeAnythingRuns() async throws {
        let ws = try await TestWorkspace()
        let config = try String(contentsOfFile: ws.workspace.configPath, encoding: .utf8)
        func load(_ sftp: String) throws -> Workspace {
            // ICBC's entry, one flow mapping on its line, gets an sftp: key.
            let lines = config.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("  ICBC: {"), line.hasSuffix("}") else { return String(line) }
                return line.dropLast() + ", sftp: " + sftp.trimmingCharacters(in: .whitespaces) + "}"
            }
            let text = lines.joined(separator: "\n")
            #expect(text != config, "the test config has ICBC's entry on one line")
            try text.write(toFile: ws.workspace.configPath, atomically: true, encoding: .utf8)
            return try Workspace(directory: ws.directory, defaultFormats: Fixture.formatsDirectory)
        }
        let good = try load("      {host: sftp.icbc.example, user: whtax01, key: keys/sftp, outbox: /upload, inbox: /download}")
        let sftp = try #require(good.sftp["ICBC"])
        #expect(sftp.port == 22 && sftp.knownHosts == ws.directory + "/known_hosts" && sftp.key == ws.directory + "/keys/sftp")
        #expect(sftp.location("/upload", "a.txt") == "sftp://whtax01@sftp.icbc.example:22/upload/a.txt")
        for (bad, says) in [("      {host: \"a b\", user: u, key: k, outbox: o, inbox: i}", "host"),
                            ("      {host: h, user: \"-oProxyCommand=x\", key: k, outbox: o, inbox: i}", "user"),
                            ("      {host: h, user: u, key: k, outbox: \"up\\\"load\", inbox: i}", "outbox"),
                            ("      {host: h, user: u, key: k, outbox: o}", "inbox"),
                            // sftp would read these as options (a .part left at the bank after the upload).
                            ("      {host: h, user: u, key: k, outbox: -upload, inbox: i}", "'outbox' may not start with '-'"),
                            ("      {host: h, user: u, key: k, outbox: o, inbox: -download}", "'inbox' may not start with '-'"),
                            ("      {host: h, port: 70000, user: u, key: k, outbox: o, inbox: i}", "port"),
                            ("      {host: h, user: u, key: k, outbox: o, inbox: i, password: x}", "password")] {
            do {
                _ = try load(bad)
                Issue.record("\(bad) must be refused")
            } catch let error as PikouError {
                #expect(error.message.en.contains("banks.ICBC.sftp") && error.message.en.contains(says), "\(error)")
            }
        }
    }

    @Test func listingsAreReadByColumns() {
        let listing = """
            -rw-r--r--    ? 999      995       1234567 Dec  1 03:16 file with spaces.txt
            drwxr-xr-x    ? 999      995          4096 Dec  1 03:16 subdir
            -rw-r--r--    ? 999      995             3 Dec  1 03:16 .hidden.part
            -rw-r--r--    ? 0        0              12 Jun 30  2025 BOC_HP_1.txt
            """
        #expect(BankExchange.listing(listing) == [["file with spaces.txt", "1234567"], ["BOC_HP_1.txt", "12"]])
        // Bytes outside printable ASCII come as \ooo, a backslash as \\; a line break splits a name over two lines.
        let escaped = """
            -rw-r--r--    ? 999      995            10 Dec  1 03:16 \\344\\270\\255\\350\\241\\214.txt
            -rw-r--r--    ? 999      995            10 Dec  1 03:16 a\\\\b.txt
            -rw-r--r--    ? 999      995            10 Dec  1 03:16 line
            break.txt
            -rw-r--r--    ? 999      995            10 Dec  1 03:16 after.txt
            """
        #expect(BankExchange.listing(escaped) == [["中行.txt", "10"], ["a\\b.txt", "10"], ["line", "10"], ["after.txt", "10"]])
    }
}
