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
        #expect(made.stdout.contains("6 banks enabled"), "\(made.stdout)")
        let config = try String(contentsOfFile: elsewhere + "/ws/pikou.yaml", encoding: .utf8)
        #expect(config.contains(prefix + "/share/pikou/Formats") && !config.contains(formats), "records the installed Formats, not the checkout's")
    }
}

