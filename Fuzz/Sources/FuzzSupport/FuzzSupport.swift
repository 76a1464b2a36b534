import BankFormats
import Foundation
import PikouCrypto
import PikouCycle

/// What every fuzz target shares: the checkout's folders, and the specs and certificates it loads
/// once (each `static let` is initialised lazily, on the first input, and kept).
public enum FuzzSupport {
    /// The checkout: `$PIKOU_ROOT`, else the nearest folder above the executable that holds
    /// `Formats/banks` and `Package.swift` (the binary lives in `Fuzz/.build/<triple>/debug/`).
    public static let root: String = {
        if let explicit = ProcessInfo.processInfo.environment["PIKOU_ROOT"], !explicit.isEmpty { return explicit }
        let fileManager = FileManager.default
        let executable = (try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if fileManager.fileExists(atPath: url.appendingPathComponent("Formats/banks").path),
               fileManager.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        fail("cannot find the checkout above \(executable): set PIKOU_ROOT")
    }()

    /// The checkout's bank specs.
    public static var repository: FormatRepository { FormatRepository(directory: root + "/Formats") }

    /// A bank's compiled spec; a spec that does not load stops the run (a set-up error, not a finding).
    public static func spec(_ code: String) -> BankSpec {
        do { return try repository.spec(code) } catch { fail("cannot load the \(code) spec: \(error)") }
    }

    /// The TEST certificate that verifies `code`'s files of `kind` (Fixtures/keys/pikou-test.yaml).
    public static func certificate(_ code: String, kind: FileKind) -> Certificate {
        do {
            return try Workspace.signing(configPath: root + "/Fixtures/keys/pikou-test.yaml").certificate(bank: code, kind: kind)
        } catch {
            fail("cannot load the TEST certificate for \(code): \(error)")
        }
    }

    /// Stops the run over a set-up error with exit status 2 (a finding traps or aborts instead).
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz set-up: \(message)\n".utf8))
        exit(2)
    }

    /// The input as an array (the readers take `[UInt8]`).
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }
}
