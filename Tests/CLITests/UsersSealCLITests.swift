import Foundation
import Testing
import TestSupport

/// Issue 37, item 1: the console's users are sealed where `pikou users` changes them, so a role raised
/// by editing console/users.json (someone with the workspace making themselves admin) is found by
/// `check`; `pikou users seal` accepts the file as it stands, and a user no entry sealed is warned about.
@Suite struct UsersSealCLITests {
    @Test func aRoleRaisedInTheUsersFileIsFound() throws {
        let root = try temporaryDirectory()
        let ws = root + "/ws"
        #expect(try runPikou(["init", ws, "--test-keys", "--formats", Fixture.formatsDirectory]).status == 0)
        try "a-long-password-1\n".write(toFile: root + "/password", atomically: true, encoding: .utf8)
        for (name, role) in [("audit.wang", "auditor"), ("op.li", "operator")] {
            let added = try runPikou(["users", "add", name, "--role", role, "--password-file", root + "/password", "--workspace", ws])
            #expect(added.status == 0, "\(added.stderr)")
        }
        let clean = try runPikou(["check", "--workspace", ws])
        #expect(clean.status == 0 && !clean.stderr.contains("console user"), "\(clean.stdout)\n\(clean.stderr)")
        let disabled = try runPikou(["users", "disable", "op.li", "--workspace", ws])
        #expect(disabled.status == 0, "\(disabled.stderr)")
        #expect(try runPikou(["check", "--workspace", ws]).status == 0, "a change through pikou users is sealed by its entry")

        let file = ws + "/console/users.json"
        let raised = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "\"auditor\"", with: "\"admin\"")
        try raised.write(toFile: file, atomically: true, encoding: .utf8)
        let found = try runPikou(["check", "--workspace", ws])
        #expect(found.status == 1 && found.stdout.contains("console user audit.wang is not as journal entry"), "\(found.stdout)\n\(found.stderr)")
        #expect(!found.stdout.contains("console user op.li"), "only the user edited")

        let sealed = try runPikou(["users", "seal", "--workspace", ws])
        #expect(sealed.status == 0 && sealed.stdout.contains("sealed user audit.wang"), "\(sealed.stdout)\n\(sealed.stderr)")
        #expect(try runPikou(["check", "--workspace", ws]).status == 0, "accepted by users seal")

        // A user written into the file by hand has no seal: a warning naming them and the fix.
        let forged = try String(contentsOfFile: file, encoding: .utf8)
        let copy = forged.replacingOccurrences(of: "\"audit.wang\"", with: "\"zz.forged\"")
        let users = try JSONSerialization.jsonObject(with: Data(forged.utf8)) as! [Any] + (try JSONSerialization.jsonObject(with: Data(copy.utf8)) as! [Any]).prefix(1)
        try JSONSerialization.data(withJSONObject: users).write(to: URL(fileURLWithPath: file))
        let warned = try runPikou(["check", "--workspace", ws])
        #expect(warned.stderr.contains("console user zz.forged has no seal") && warned.stderr.contains("pikou users seal"), "\(warned.stderr)")
    }
}
