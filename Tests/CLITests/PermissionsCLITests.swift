import Foundation
import Testing
import TestSupport

/// Issue 15, item 12: a workspace holds personal data: folders 0700 and files 0600 whatever the
/// umask, and `check` warns about anything wider.
@Suite struct PermissionsCLITests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func theWorkspaceIsTheOwnersAndCheckWarnsOtherwise() throws {
        let dir = try CycleCLITests().workspace(payers: 5)
        #expect(try runPikou(["cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", dir]).status == 0)
        for folder in ["", "/outbox", "/outbox/BOC", "/inbox", "/inbox/BOC", "/archive", "/keys"] {
            #expect(try mode(dir + folder) == 0o700, "\(folder)")
        }
        var files = ["/pikou.yaml", "/pikou.sqlite"]
        files += try FileManager.default.contentsOfDirectory(atPath: dir + "/outbox/BOC").map { "/outbox/BOC/" + $0 }
        files += try FileManager.default.contentsOfDirectory(atPath: dir + "/keys").map { "/keys/" + $0 }
        for file in files { #expect(try mode(dir + file) == 0o600, "\(file)") }
        let report = dir + "/report.xlsx"
        #expect(try runPikou(["report", "--period", "2026-12", "--format", "xlsx", "--out", report, "--workspace", dir]).status != 64)
        #expect(try mode(report) == 0o600, "an XLSX report is personal data too")

        // The roster this test wrote into the workspace is the operator's file, made with the umask: check says so.
        let roster = try runPikou(["check", "--workspace", dir])
        if try mode(dir + "/roster.csv") & 0o077 != 0 { #expect(roster.stderr.contains("/roster.csv has mode"), "\(roster.stderr)") }
        chmod(dir + "/roster.csv", 0o600)
        let quiet = try runPikou(["check", "--workspace", dir])
        #expect(quiet.status == 0 && !quiet.stderr.contains("warning"), "\(quiet.stderr)")
        chmod(dir + "/outbox", 0o755)
        chmod(dir + "/pikou.yaml", 0o644)
        let loud = try runPikou(["check", "--workspace", dir])
        #expect(loud.status == 0, "a warning, not a violation")
        #expect(loud.stderr.contains("/outbox has mode 755") && loud.stderr.contains("/pikou.yaml has mode 644"), "\(loud.stderr)")
        #expect(loud.stderr.contains("chmod -R go-rwx"))
    }
}
