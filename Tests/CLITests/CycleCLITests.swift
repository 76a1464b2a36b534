import BankFormats
import Foundation
import PikouCore
import ReconStore
import Testing
import TestSupport

/// The monthly cycle through the real binary, including crashes at chosen points (PIKOU_CRASH_AT).
@Suite struct CycleCLITests {
    /// A workspace with a roster of `payers` imported, returned with the folder.
    public init() {}

    func workspace(payers: Int = 30, store: String = "pikou.sqlite") throws -> String {
        let dir = try temporaryDirectory() + "/ws"
        let initialised = try runPikou(["init", dir, "--test-keys", "--formats", Fixture.formatsDirectory, "--store", store])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        var options = SyntheticRoster.Options(payers: payers)
        options.suspendedRate = 0.1
        options.revokedRate = 0.1
        let records = SyntheticRoster.make(options, seed: 42, banks: Fixture.bankCodes)
        var csv = "id_number,name,phone,district,street,community,insurance,tier,start_period,end_period,status,bank,account,account_name,agreement_no,agreement_status\n"
        for r in records {
            csv += [r.idNumber.value, r.name, r.phone, r.district, r.street, r.community, r.insurance.rawValue, r.tier, r.startPeriod.compact, "",
                    r.suspended ? "suspended" : "active", r.bank, r.account.number, r.accountName, r.agreementNo, r.agreementActive ? "active" : "revoked"]
                .joined(separator: ",") + "\n"
        }
        // Two bad rows: a wrong ID checksum and an unknown bank.
        csv += "340524198001010012,坏甲,13800000000,武昌区,中华路街,社区1,pension,60,202601,,active,BOC,6225768888888888,坏甲,X1,active\n"
        csv += "11010519491231002X,坏乙,13800000000,武昌区,中华路街,社区1,pension,60,202601,,active,NOPE,6225768888888888,坏乙,X2,active\n"
        try csv.write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["roster", "import", dir + "/roster.csv", "--workspace", dir])
        #expect(imported.status == 2, "good rows imported, some rejected: \(imported.stderr)")
        #expect(imported.stdout.contains("2 rejected"))
        #expect(imported.stderr.contains("roster.csv:\(records.count + 2): error: field 'id_number'"))
        #expect(imported.stderr.contains("roster.csv:\(records.count + 3): error: field 'bank': unknown bank 'NOPE'"))
        let rejects = try String(contentsOfFile: dir + "/roster.csv.rejects.csv", encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 3)
        // Excel keeps the ID and the account as text (a leading tab), and the file is the owner's only.
        #expect(rejects.contains(",\t340524198001010012,") && rejects.contains(",\t6225768888888888,"), "\(rejects)")
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/roster.csv.rejects.csv")[.posixPermissions] as? Int == 0o600)
        return dir
    }

    func cycle(_ dir: String, crashAt: String? = nil) throws -> CommandResult {
        try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir],
                     environment: crashAt.map { ["PIKOU_CRASH_AT": $0] } ?? [:])
    }

    func outboxFiles(_ dir: String) throws -> [String] {
        try Fixture.bankCodes.flatMap { bank in
            try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/" + bank).filter { !$0.hasSuffix(".sig") }.map { dir + "/outbox/" + bank + "/" + $0 }
        }
    }

    /// Every line in the outbox, as (bank, ID) pairs: a duplicate would show twice.
    func outboxLines(_ dir: String) throws -> [String] {
        try outboxFiles(dir).flatMap { path -> [String] in
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let spec = try Fixture.spec(bank)
            let bytes = FileSignature.unverifiedPayload([UInt8](FileManager.default.contents(atPath: path) ?? Data()), spec: spec)
            return FileReader(spec: spec, kind: .debit).read(bytes, fileName: path).lines.map { bank + ":" + $0.line.payerIDNumber }
        }
    }

    @Test func fullCycleThroughTheCLI() throws {
        let dir = try workspace()
        let run = try cycle(dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("TOTAL"))
        #expect(run.stdout.contains("suspended"))
        // Again: nothing new.
        let again = try cycle(dir)
        #expect(again.stdout.contains("no new file"))
        for path in try outboxFiles(dir) {
            let bank = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let simulated = try runPikou(["bank", "simulate", "--bank", bank, path, "--out", dir + "/inbox/" + bank, "--seed", "3", "--fail-rate", "0.3", "--workspace", dir])
            #expect(simulated.status == 0, "\(simulated.stderr)")
        }
        let returns = try Fixture.bankCodes.flatMap { bank in
            try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/" + bank).filter { !$0.hasSuffix(".sig") }.map { dir + "/inbox/" + bank + "/" + $0 }
        }
        let ingested = try runPikou(["returns", "ingest", "--workspace", dir] + returns)
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(ingested.stdout.contains("posted to"))
        let twice = try runPikou(["returns", "ingest", "--workspace", dir] + returns)
        #expect(twice.stdout.contains("already ingested"))
        let status = try runPikou(["status", "--period", "2026-12", "--workspace", dir])
        #expect(status.status == 0)
        #expect(status.stdout.contains("success rate"))
        let check = try runPikou(["check", "--workspace", dir])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("check: OK"))
    }

    @Test("a crash at any point, then a re-run: no duplicate line, no lost due", arguments: ["after-reserve", "after-rename"])
    func crashDuringCycle(_ point: String) throws {
        let dir = try workspace()
        let crashed = try cycle(dir, crashAt: point)
        #expect(crashed.status == 86, "the hook must kill the process: \(crashed.stderr)")
        // Pending work, not a violation (issue 17 item 6): exit 3, with the commands that finish it.
        let pending = try runPikou(["check", "--workspace", dir])
        #expect(pending.status == 3, "\(pending.stdout)")
        #expect(pending.stdout.contains("PENDING: file ") && pending.stdout.contains("reserved but never written"), "\(pending.stdout)")
        #expect(pending.stdout.contains("`pikou cycle run` or `pikou resubmit` writes it") && pending.stdout.contains("nothing broken"))
        #expect(!pending.stdout.contains("VIOLATION"))
        let rerun = try cycle(dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let check = try runPikou(["check", "--workspace", dir])
        #expect(check.status == 0, "\(check.stdout)")
        // Compare with a run that never crashed.
        let clean = try workspace()
        #expect(try cycle(clean).status == 0)
        let lines = try outboxLines(dir)
        #expect(Set(lines).count == lines.count, "no line twice")
        #expect(Set(lines) == Set(try outboxLines(clean)), "no due lost")
    }

    /// Issue 17, item 2: a reserved file that cannot be written can be given up; its dues come back.
    @Test func aReservedFileCanBeReleasedAndItsDuesArePlannedAgain() throws {
        let dir = try workspace()
        #expect(try cycle(dir, crashAt: "after-reserve").status == 86)
        let pending = try runPikou(["check", "--workspace", dir])
        let reserved = pending.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("PENDING: file ") else { return nil }
            return line.dropFirst("PENDING: file ".count).split(separator: " ").first.map(String.init)
        }
        let boc = try #require(reserved.first { $0.hasPrefix("BOC/") }, "\(pending.stdout)")
        // A reason is required; the name must be one that waits.
        #expect(try runPikou(["files", "release", boc, "--reason", " ", "--workspace", dir]).status == 64)
        let unknown = try runPikou(["files", "release", "BOC/nope.txt", "--reason", "x", "--workspace", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("waiting to be written: ") && unknown.stderr.contains(boc), "\(unknown.stderr)")
        let released = try runPikou(["files", "release", boc, "--reason", "姓名须先在花名册中更正", "--workspace", dir, "--actor", "wang"])
        #expect(released.status == 0, "\(released.stderr)")
        #expect(released.stdout.contains("released \(boc): ") && released.stdout.contains("planned again"), "\(released.stdout)")
        let after = try runPikou(["check", "--workspace", dir])
        #expect(after.status == (reserved.count > 1 ? 3 : 0) && !after.stdout.contains(boc), "\(after.stdout)")
        // The next run writes what stays reserved and plans the released dues again: nothing lost, nothing twice.
        #expect(try cycle(dir).status == 0)
        #expect(try runPikou(["check", "--workspace", dir]).status == 0)
        let clean = try workspace()
        #expect(try cycle(clean).status == 0)
        let lines = try outboxLines(dir)
        #expect(Set(lines).count == lines.count, "no line twice")
        #expect(Set(lines) == Set(try outboxLines(clean)), "no due lost")
        // Written files cannot be released.
        let written = try #require(try outboxFiles(dir).first { $0.contains("/BOC/") })
        let refused = try runPikou(["files", "release", "BOC/" + (written as NSString).lastPathComponent, "--reason", "x", "--workspace", dir])
        #expect(refused.status == 1 && refused.stderr.contains("was written"), "\(refused.stderr)")
        // The log keeps who gave the file up, and why.
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir + "/logs").map { try String(contentsOfFile: dir + "/logs/" + $0, encoding: .utf8) }.joined()
        #expect(logs.contains("released \(boc)") && logs.contains("姓名须先在花名册中更正"), "\(logs)")
    }

    @Test func crashMidIngestPostsNothingThenTheRerunPostsAll() throws {
        let dir = try workspace()
        #expect(try cycle(dir).status == 0)
        let debit = try #require(try outboxFiles(dir).first { $0.contains("/BOC/") })
        #expect(try runPikou(["bank", "simulate", "--bank", "BOC", debit, "--out", dir + "/inbox/BOC", "--workspace", dir]).status == 0)
        let returned = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/BOC").first { !$0.hasSuffix(".sig") })
        let path = dir + "/inbox/BOC/" + returned
        let crashed = try runPikou(["returns", "ingest", path, "--workspace", dir], environment: ["PIKOU_CRASH_AT": "mid-ingest"])
        #expect(crashed.status == 86)
        let status = try runPikou(["status", "--wide", "--workspace", dir])
        let boc = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("BOC") })
        let cells = boc.split(separator: " ")
        #expect(cells.count == 11 && cells[4] == "0" && cells[5] == "0.00" && cells[6] == "0" && cells[7] == "0.00",
                "nothing of the crashed ingest is posted: \(boc)")
        let rerun = try runPikou(["returns", "ingest", path, "--workspace", dir])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("posted to BOC"))
        #expect(try runPikou(["check", "--workspace", dir]).status == 0)
    }

    /// Payments elsewhere checked as the roster is (issue 37): an absurd amount, a reference too
    /// long or holding a NUL, a payer the roster lacks — set aside with line and field, exit 2.
    @Test func paymentsWithAnAbsurdAmountOrReferenceAreSetAsideAndExit2() throws {
        let dir = try workspace(payers: 4)
        let roster = try String(contentsOfFile: dir + "/roster.csv", encoding: .utf8).split(separator: "\n")
        let id = String(roster[1].split(separator: ",")[0])
        var csv = "id_number,insurance,period,amount_fen,channel,reference\n"
        csv += "\(id),pension,2026-12,51000,app,R-ok\n"
        csv += "\(id),pension,2026-11,9223372036854775807,app,R-huge\n"
        csv += "\(id),medical,2026-12,20000,app,\(String(repeating: "R", count: 65))\n"
        csv += "\(id),medical,2026-11,20000,app,R\u{0}NUL\n"
        csv += "11010519491231002X,pension,2026-12,51000,app,R-nobody\n"
        try csv.write(toFile: dir + "/paid.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["payments", "import", dir + "/paid.csv", "--workspace", dir])
        #expect(imported.status == 2, "\(imported.stdout) \(imported.stderr)")
        #expect(imported.stderr.contains("paid.csv:3: error: field 'amount_fen'"), "\(imported.stderr)")
        #expect(imported.stderr.contains("paid.csv:4: error: field 'reference'") && imported.stderr.contains("paid.csv:5: error: field 'reference'"))
        #expect(imported.stderr.contains("paid.csv:6: warning: no such payer"), "\(imported.stderr)")
        let rejects = try String(contentsOfFile: dir + "/paid.csv.rejects.csv", encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 4, "a header and the three rows: \(rejects)")
    }

    /// A payment above the month's due (a yuan amount typed into amount_fen ×100, a row slipped) is
    /// set aside with its line and the due, and the import exits 2 (issue 37).
    @Test func aPaymentAboveTheDueIsSetAsideAndExits2() throws {
        let dir = try workspace(payers: 6)
        let run = try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir])
        #expect([0, 2].contains(run.status), "\(run.stderr)")
        let ids = try String(contentsOfFile: dir + "/roster.csv", encoding: .utf8).split(separator: "\n").dropFirst().prefix(6)
            .map { String($0.split(separator: ",")[0]) }
        var csv = "id_number,insurance,period,amount_fen,channel,reference\n"
        for (index, id) in Set(ids).sorted().enumerated() { csv += "\(id),pension,2026-12,5000000,app,R-\(index)\n" }
        try csv.write(toFile: dir + "/paid.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["payments", "import", dir + "/paid.csv", "--workspace", dir])
        #expect(imported.status == 2, "\(imported.stdout) \(imported.stderr)")
        #expect(imported.stderr.contains("error: the payment is more than the month's due of"), "\(imported.stderr)")
        #expect(try runPikou(["check", "--workspace", dir]).status != 1, "nothing above a due was recorded")
    }

    /// A roster saved with CR alone at each line's end (old Mac line ends) is an error naming the
    /// line and the fix, never "0 rows imported" and exit 0 (issue 37).
    @Test func aRosterWithCarriageReturnsAloneIsAnErrorNotZeroRows() throws {
        let dir = try workspace(payers: 4)
        let lf = try String(contentsOfFile: dir + "/roster.csv", encoding: .utf8)
        try lf.replacingOccurrences(of: "\n", with: "\r").write(toFile: dir + "/mac.csv", atomically: true, encoding: .utf8)
        let imported = try runPikou(["roster", "import", dir + "/mac.csv", "--workspace", dir])
        #expect(imported.status == 1, "\(imported.stdout) \(imported.stderr)")
        #expect(imported.stderr.contains("mac.csv:1: error") && imported.stderr.contains("CR alone"), "\(imported.stderr)")
        try lf.replacingOccurrences(of: "\n", with: "\r").write(toFile: dir + "/paid.csv", atomically: true, encoding: .utf8)
        let payments = try runPikou(["payments", "import", dir + "/paid.csv", "--workspace", dir])
        #expect(payments.status == 1 && payments.stderr.contains("CR alone"), "\(payments.stderr)")
        // CRLF, as Excel on Windows saves it, is read as ever.
        try lf.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: dir + "/windows.csv", atomically: true, encoding: .utf8)
        #expect(try runPikou(["roster", "import", dir + "/windows.csv", "--workspace", dir]).status == 2, "the same two bad rows, no more")
    }

    /// A symbolic link inside the workspace is warned of by check, and the journal's anchors are
    /// never appended through one (issue 37).
    @Test func symbolicLinksInTheWorkspaceAreWarnedOfAndAnchorsNotWrittenThroughOne() throws {
        let dir = try workspace(payers: 4)
        let elsewhere = try temporaryDirectory()
        try FileManager.default.removeItem(atPath: dir + "/logs")
        try FileManager.default.createSymbolicLink(atPath: dir + "/logs", withDestinationPath: elsewhere)
        let anchors = dir + "/journal-anchors.log"
        try? FileManager.default.removeItem(atPath: anchors)
        try FileManager.default.createSymbolicLink(atPath: anchors, withDestinationPath: elsewhere + "/anchors.log")
        let checked = try runPikou(["check", "--workspace", dir])
        #expect(checked.stderr.contains("\(dir)/logs") && checked.stderr.contains("symbolic link"), "\(checked.stderr)")
        #expect(checked.stderr.contains("journal-anchors.log"), "\(checked.stderr)")
        // A command that writes to the journal anchors it: refused through the link, and said.
        let roster = try String(contentsOfFile: dir + "/roster.csv", encoding: .utf8).split(separator: "\n")
        let id = String(roster[1].split(separator: ",")[0])
        try "id_number,insurance,period,amount_fen,channel,reference\n\(id),pension,2026-12,51000,app,R-1\n".write(toFile: dir + "/paid.csv", atomically: true, encoding: .utf8)
        let paid = try runPikou(["payments", "import", dir + "/paid.csv", "--workspace", dir])
        #expect(paid.stderr.contains("journal-anchors.log") && paid.stderr.contains("symbolic link"), "\(paid.status) \(paid.stderr)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/anchors.log"), "no anchor written through the link")
        // Nothing is written through a linked folder either: the writing command refuses to start,
        // naming each link and the fix, and no log lands where the link points.
        #expect(paid.status == 1 && paid.stderr.contains("\(dir)/logs → \(elsewhere)") && paid.stderr.contains("[workspace.symlink]"), "\(paid.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "nothing written through the link")
        try FileManager.default.removeItem(atPath: dir + "/logs")
        try FileManager.default.removeItem(atPath: anchors)
        #expect(try runPikou(["payments", "import", dir + "/paid.csv", "--workspace", dir]).status == 0, "real folders again: it runs")
    }

    @Test func aBankPlayedWithItsOwnKeyIsTrustedOnlyOnceItsCertificateIsImported() throws {
        let dir = try workspace(payers: 8)
        #expect(try cycle(dir).status == 0)
        let debit = try #require(try outboxFiles(dir).first { $0.contains("/BOC/") })
        // The bank's own key, outside the workspace, as a bank holds it.
        let bank = try temporaryDirectory()
        #expect(try runPikou(["keys", "generate", "--algorithm", "sm2", "--out", bank, "--name", "BOC", "--subject", "/CN=BOC 回盘",
                              "--passphrase-file", bank + "/passphrase"]).status == 0)
        let lone = try runPikou(["bank", "simulate", "--bank", "BOC", debit, "--out", dir + "/inbox/BOC", "--bank-passphrase-file", bank + "/passphrase", "--workspace", dir])
        #expect(lone.status == 64 && lone.stderr.contains("--bank-key"), "\(lone.stderr)")
        #expect(try runPikou(["bank", "simulate", "--bank", "BOC", debit, "--out", dir + "/inbox/BOC", "--bank-key", bank + "/BOC.key.pem",
                              "--bank-passphrase-file", bank + "/passphrase", "--workspace", dir]).status == 0)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/BOC").first { !$0.hasSuffix(".sig") })
        let path = dir + "/inbox/BOC/" + name
        let untrusted = try runPikou(["returns", "ingest", path, "--workspace", dir])
        #expect(untrusted.status == 1, "signed by a key whose certificate the workspace does not trust: \(untrusted.stdout)")
        #expect(try runPikou(["keys", "import", "--bank", "BOC", bank + "/BOC.cert.pem", "--workspace", dir]).status == 0)
        let trusted = try runPikou(["returns", "ingest", path, "--workspace", dir])
        #expect(trusted.status == 0, "\(trusted.stderr)")
    }

    @Test func tamperedReturnIsRejectedByTheCLI() throws {
        let dir = try workspace(payers: 8)
        #expect(try cycle(dir).status == 0)
        let debit = try #require(try outboxFiles(dir).first { $0.contains("/CCB/") })
        #expect(try runPikou(["bank", "simulate", "--bank", "CCB", debit, "--out", dir + "/inbox/CCB", "--workspace", dir]).status == 0)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/inbox/CCB").first)
        let path = dir + "/inbox/CCB/" + name
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[bytes.count / 3] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try runPikou(["returns", "ingest", path, "--workspace", dir])
        #expect(result.status == 1)
        #expect(result.stderr.contains("[signature.invalid]"))
        #expect(result.stderr.contains("nothing posted") || result.stderr.contains("signature"))
    }
}
