import Foundation
import Testing
import TestSupport

/// Issue 15, item 13: an installed pikou (PREFIX/bin/pikou, PREFIX/share/pikou/Formats, the layout of
/// `make install`) finds its banks from anywhere; a binary with no Formats in reach refuses to make
/// an empty workspace; a year without a calendar says what to do.
@Suite struct InstallCLITests {
    @Test func anInstalledBinaryFindsItsFormatsAndALoneOneRefuses() throws {
        let prefix = try temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/pikou", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Fixture.pikouBinary, toPath: prefix + "/bin/pikou")
        let formats = URL(fileURLWithPath: Fixture.formatsDirectory).standardizedFileURL.path
        let elsewhere = try temporaryDirectory()  // no Formats here or above
        let unset = ["PIKOU_FORMATS": "", "PIKOU_LANG": "en"]

        // Without share/pikou/Formats: an error naming the fix, exit 1, no workspace.
        let lone = try runProcess(prefix + "/bin/pikou", ["init", elsewhere + "/ws"], in: elsewhere, environment: unset)
        #expect(lone.status == 1 && lone.stderr.contains("no bank specs") && lone.stderr.contains("--formats"), "\(lone.stderr)")
        #expect(!fm.fileExists(atPath: elsewhere + "/ws/pikou.yaml"))

        try fm.copyItem(atPath: formats, toPath: prefix + "/share/pikou/Formats")
        let made = try runProcess(prefix + "/bin/pikou", ["init", elsewhere + "/ws"], in: elsewhere, environment: unset)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\(Fixture.bankCodes.count) banks enabled"), "\(made.stdout)")
        let config = try String(contentsOfFile: elsewhere + "/ws/pikou.yaml", encoding: .utf8)
        #expect(config.contains(prefix + "/share/pikou/Formats") && !config.contains(formats), "records the installed Formats, not the checkout's")
    }

    /// Issue 30: a bare `pikou` found on PATH, run from `/` (as cron does), finds PREFIX/share/pikou
    /// through its real path, and `init --test-keys` works from the install (mode: test).
    @Test func aBarePikouOnPathFindsItsShareAndRehearsesWithTestKeys() throws {
        let prefix = try temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/pikou/test-keys", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Fixture.pikouBinary, toPath: prefix + "/bin/pikou")
        try fm.copyItem(atPath: URL(fileURLWithPath: Fixture.formatsDirectory).standardizedFileURL.path, toPath: prefix + "/share/pikou/Formats")
        for name in try fm.contentsOfDirectory(atPath: Fixture.path("keys")) where name.hasPrefix("test-") || name == "passphrase.txt" {
            try fm.copyItem(atPath: Fixture.path("keys/" + name), toPath: prefix + "/share/pikou/test-keys/" + name)
        }
        let workspace = try temporaryDirectory() + "/ws"
        let made = try runProcess("/bin/sh", ["-c", "exec pikou init --test-keys " + workspace], in: "/",
                                  environment: ["PATH": prefix + "/bin:/usr/bin:/bin", "PIKOU_FORMATS": "", "PIKOU_LANG": "en"])
        #expect(made.status == 0, "\(made.stderr)")
        let config = try String(contentsOfFile: workspace + "/pikou.yaml", encoding: .utf8)
        #expect(config.contains("mode: test") && config.contains(prefix + "/share/pikou/Formats"))
        for folder in ["run", "logs", "keys"] { #expect(fm.fileExists(atPath: workspace + "/" + folder)) }
        // `file` commands read the workspace's own formats: too, from anywhere.
        let listed = try runProcess("/bin/sh", ["-c", "exec pikou formats list"], in: "/",
                                    environment: ["PATH": prefix + "/bin:/usr/bin:/bin", "PIKOU_FORMATS": "", "PIKOU_WORKSPACE": workspace, "PIKOU_LANG": "en"])
        #expect(listed.status == 0 && listed.stdout.contains("BOC"), "\(listed.stderr)")
    }
}
