import BankFormats
import Foundation
import Testing
import TestSupport

/// The real `pikou` binary: exit statuses, messages and files.
@Suite struct CLITests {
    @Test func formatsCheckPassesForEveryShippedBank() throws {
        let result = try runPikou(["formats", "check", "--formats", Fixture.formatsDirectory])
        #expect(result.status == 0, "\(result.stderr)")
        for bank in Fixture.bankCodes { #expect(result.stdout.contains("\(bank).yaml: OK")) }
    }

    @Test func formatsListShowsEachBank() throws {
        let result = try runPikou(["formats", "list", "--formats", Fixture.formatsDirectory])
        #expect(result.status == 0)
        for bank in Fixture.bankCodes { #expect(result.stdout.contains(bank)) }
    }

    @Test func formatsCheckFailsOnABrokenSpec() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/BAD.yaml"
        let spec = try String(contentsOfFile: Fixture.formatsDirectory + "/banks/CCB.yaml", encoding: .utf8)
            .replacingOccurrences(of: "bank: CCB", with: "bank: BAD")
            .replacingOccurrences(of: "\"51\": insufficientFunds", with: "\"51\": brokeFunds")
            .replacingOccurrences(of: "quoting: none", with: "quoteing: none")
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runPikou(["formats", "check", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("BAD.yaml:"))
        #expect(result.stderr.contains("'brokeFunds', which is not an outcome"))
        #expect(result.stderr.contains("unknown key 'quoteing'"))
        #expect(result.stdout.contains("FAILED"))
    }

    @Test func integratorToolsDescribeDiffAndStartANewSpec() throws {
        let common = ["--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", "BOC"]
        let valid = Fixture.path("banks/BOC/valid/return.txt"), unknown = Fixture.path("banks/BOC/invalid/unknown-code.txt")
        let describe = try runPikou(["file", "describe"] + common + [valid])
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.stdout.contains("420106********4564") && !describe.stdout.contains("420106199801234564"), "masked")
        #expect(describe.stdout.contains("1,240.00") && describe.stdout.contains("11,311.40"), "amounts and the total row")
        let same = try runPikou(["file", "diff"] + common + [valid, valid])
        #expect(same.status == 0 && same.stdout.contains("0 added, 0 removed, 0 changed"))
        // A debit file written again with one amount changed: exit 1, the field named.
        let folder = try temporaryDirectory()
        let csv = try String(contentsOfFile: Fixture.path("banks/BOC/debits.csv"), encoding: .utf8).replacingOccurrences(of: ",71520,", with: ",71521,")
        try csv.write(toFile: folder + "/debits.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        let write = try runPikou(["file", "write"] + common + ["--in", folder + "/debits.csv", "--out", folder + "/out", "--date", "2026-12-01",
                                                              "--collection-date", "2026-12-03"])
        #expect(write.status == 0, "\(write.stderr)")
        let written = try #require(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").first { !$0.hasSuffix(".sig") })
        let different = try runPikou(["file", "diff", "--kind", "debit"] + common + [Fixture.path("banks/BOC/valid/debit.txt"), folder + "/out/" + written])
        #expect(different.status == 1, "\(different.stderr)")
        #expect(different.stdout.contains("~ seq 2") && different.stdout.contains("amount        715.20 → 715.21"))
        let withReview = try runPikou(["file", "diff"] + common + [valid, unknown])
        #expect(withReview.status == 1, "a line for review is a difference, not trouble")
        #expect(withReview.stdout.contains("result_code   0000 → 7777"))
        let broken = try runPikou(["file", "diff"] + common + [valid, Fixture.path("banks/BOC/invalid/wrong-total.txt")])
        #expect(broken.status == 2, "a file ingest would refuse is trouble, as diff(1) says")

        let formats = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixture.formatsDirectory, toPath: formats + "/Formats")
        let created = try runPikou(["formats", "new", "ABC", "--like", "boc", "--formats", formats + "/Formats"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try runPikou(["formats", "check", formats + "/Formats/banks/ABC.yaml"]).status == 0)
        let again = try runPikou(["formats", "new", "ABC", "--like", "BOC", "--formats", formats + "/Formats"])
        #expect(again.status == 1 && again.stderr.contains("already there"), "never overwritten")
        let escape = try runPikou(["formats", "new", "../ABC", "--like", "BOC", "--formats", formats + "/Formats"])
        #expect(escape.status != 0 && !FileManager.default.fileExists(atPath: formats + "/Formats/ABC.yaml"))
        #expect(try runPikou(["formats", "new", "XYZ", "--like", "NOPE", "--formats", formats + "/Formats"]).stderr.contains("no such spec"))
    }

    @Test("write then read round-trips", arguments: Fixture.bankCodes)
    func writeThenRead(_ bank: String) throws {
        let directory = try temporaryDirectory()
        let write = try runPikou([
            "file", "write", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", bank,
            "--in", Fixture.path("banks/\(bank)/debits.csv"), "--out", directory,
            "--date", "2026-12-01", "--collection-date", "2026-12-03",
        ])
        #expect(write.status == 0, "\(write.stderr)")
        let spec = try Fixture.spec(bank)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasSuffix(".sig") }
        #expect(files.count == 1, "\(files)")
        let path = directory + "/" + files[0]
        // The folder output is named by the bank's pattern; the records equal the golden file's.
        let written = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        #expect(FileSignature.unverifiedPayload(written, spec: spec)
            == FileSignature.unverifiedPayload(try Fixture.bytes("banks/\(bank)/valid/debit.\(Fixture.fileExtension(bank))"), spec: spec))
        #expect(FileManager.default.fileExists(atPath: path + ".sig") == (spec.signature.placement == .detached))
        let read = try runPikou(["file", "read", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath,
                                 "--bank", bank, "--kind", "debit", path])
        #expect(read.status == 0, "\(read.stderr)")
        let count = try Fixture.text("banks/\(bank)/debits.csv").split(separator: "\n").count - 1
        #expect(read.stdout.contains("\(count) detail lines, \(count) parsed"))
        #expect(read.stdout.contains("result:   OK"))
        #expect(read.stderr.contains("signature OK"))
    }

    @Test func readReturnAsJSONIsMaskedByDefault() throws {
        let read = try runPikou([
            "file", "read", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", "BOC", "--json",
            Fixture.path("banks/BOC/valid/return.txt"),
        ])
        #expect(read.status == 0)
        let lines = read.stdout.split(separator: "\n")
        #expect(lines.count == 13)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect((first?["payer_id_number"] as? String)?.contains("********") == true)
        #expect((first?["account"] as? String)?.contains("****") == true)
        #expect(first?["outcome"] as? String == "succeeded")
        let summary = try JSONSerialization.jsonObject(with: Data(lines[12].utf8)) as? [String: Any]
        #expect(summary?["total_fen"] as? Int == 1_131_140)
    }

    @Test("every broken fixture fails with its own message", arguments: [
        ("bad-length", "[line.length]"), ("wrong-total", "[file.totalMismatch]"), ("unknown-code", "[return.unmappedResultCode]"),
        ("truncated-last-line", "[line.truncated]"), ("wrong-encoding", "[file.wrongEncoding]"),
    ])
    func brokenFixture(_ name: String, _ code: String) throws {
        let path = Fixture.path("banks/BOC/invalid/\(name).txt")
        let read = try runPikou(["file", "read", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath, "--bank", "BOC", path])
        // As returns ingest decides: a line for review alone (an unknown code) does not refuse the file.
        if name == "unknown-code" {
            #expect(read.status == 0 && read.stdout.contains("1 line for operator review"), "\(read.stdout)")
        } else {
            #expect(read.status == 1)
        }
        #expect(read.stderr.contains(path + ":"))
        #expect(read.stderr.contains(code), "\(read.stderr)")
    }

    @Test func badCSVRowsNameLineAndColumnAndWriteNothing() throws {
        let directory = try temporaryDirectory()
        let csv = directory + "/debits.csv"
        try """
            seq,payer_id_number,payer_name,account,agreement_no,amount_fen,period
            1,34052419800101001X,测试甲,6225768888888888,XY1,100,202612
            2,340524198001010012,测试乙,6225768888888888,XY2,100,202612
            3,34052419800101001X,测试丙,6225768888888889,XY3,12.5,202613

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let out = directory + "/out.txt"
        let result = try runPikou(["file", "write", "--formats", Fixture.formatsDirectory, "--config", Fixture.signingConfigPath,
                                   "--bank", "BOC", "--in", csv, "--out", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("debits.csv:3: error: field 'payer_id_number'"))
        #expect(result.stderr.contains("debits.csv:4: error: field 'account'"))
        #expect(result.stderr.contains("debits.csv:4: error: field 'amount_fen'"))
        #expect(result.stderr.contains("debits.csv:4: error: field 'period'"))
        #expect(!result.stderr.contains("340524198001010012"), "ID numbers must be masked")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unknownBankIsNamed() throws {
        let result = try runPikou(["file", "read", "--formats", Fixture.formatsDirectory, "--bank", "NOPE", "x.txt"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no spec for bank 'NOPE'"))
        #expect(result.stderr.contains("BOC"))
    }

    @Test func helpTeachesTheCSVColumns() throws {
        let result = try runPikou(["file", "write", "--help"])
        #expect(result.status == 0)
        for column in ["seq", "payer_id_number", "payer_name", "account", "agreement_no", "amount_fen", "period"] {
            #expect(result.stdout.contains(column))
        }
    }
}
