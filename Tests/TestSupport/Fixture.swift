public import BankFormats
import Foundation
import PikouCrypto
import PikouCycle

/// Finds the checkout's folders and fixture files from this source file's path.
public enum Fixture {
    /// The package root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/Fixture.swift
        return url.path
    }()

    /// `Formats/`.
    public static var formatsDirectory: String { root + "/Formats" }

    /// The repository of the checkout's bank specs.
    public static var repository: FormatRepository { FormatRepository(directory: formatsDirectory) }

    /// `Fixtures/<relative>`.
    public static func path(_ relative: String) -> String { root + "/Fixtures/" + relative }

    /// The bytes of `Fixtures/<relative>`.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        let path = path(relative)
        guard let data = FileManager.default.contents(atPath: path) else { throw FixtureError.missing(path) }
        return [UInt8](data)
    }

    /// The UTF-8 text of `Fixtures/<relative>`.
    public static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    /// A compiled bank spec of the checkout.
    public static func spec(_ code: String) throws -> BankSpec {
        try repository.spec(code)
    }

    /// The TEST workspace config mapping banks to the TEST keys in `Fixtures/keys/`.
    public static var signingConfigPath: String { path("keys/pikou-test.yaml") }

    /// The signing part of the TEST workspace config.
    public static func signingConfig() throws -> SigningConfig { try Workspace.signing(configPath: signingConfigPath) }

    /// Reads `Fixtures/<relative>` as the bank's spec says: signature verified with the TEST certificate, then parsed.
    public static func readVerified(_ bank: String, _ relative: String, kind: FileKind = .return) throws -> ParsedFile {
        let spec = try spec(bank)
        let certificate = spec.signature.isSigned ? try signingConfig().certificate(bank: bank, kind: kind) : nil
        let detached = FileManager.default.contents(atPath: path(relative) + ".sig").map { [UInt8]($0) }
        return try FileReader(spec: spec, kind: kind).readVerified(try bytes(relative), detached: detached, certificate: certificate,
                                                                  fileName: relative)
    }

    /// The extension of a bank's fixture files: `xml` for XML banks, `txt` for the others.
    public static func fileExtension(_ bank: String) -> String {
        (try? spec(bank))?.debit.xml != nil ? "xml" : "txt"
    }

    /// The bank codes in `Formats/banks/`.
    public static var bankCodes: [String] { repository.bankCodes() }

    /// The built `pikou` binary (built by `make test` before the tests run).
    public static var pikouBinary: String {
        if let explicit = ProcessInfo.processInfo.environment["PIKOU_BIN"] { return explicit }
        return root + "/.build/debug/pikou"
    }
}

/// A fixture that is not where a test expects it.
public enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self {
        case .missing(let path): "fixture \(path) is missing"
        }
    }
}

/// The result of running a command.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `pikou` with `arguments` in `directory`, capturing its output.
/// Runs the built `pikou`. Its output is English here (`PIKOU_LANG=en`) unless `environment` says
/// otherwise: the tests that read Chinese output pass `["PIKOU_LANG": "zh"]`.
public func runPikou(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(Fixture.pikouBinary, arguments, in: directory, environment: ["PIKOU_LANG": "en"].merging(environment) { $1 })
}

/// Runs `executable`, capturing its output; `environment` adds to this process's.
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    var process = Process()
    var out = Pipe(), err = Pipe()
    // A binary just copied (an installed copy) can be briefly "busy": a process another test forks
    // at that moment inherits the copy's open descriptor until it execs. Try again a little later.
    for attempt in 1... {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
            break
        } catch let error as NSError where attempt < 40
            && (error.userInfo[NSUnderlyingErrorKey] as? NSError).map({ $0.domain == NSPOSIXErrorDomain && $0.code == Int(ETXTBSY) }) == true {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
    // Read both pipes before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder.
public func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "pikou-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs a program found on PATH (e.g. `openssl`), capturing its output.
public func shell(_ program: String, _ arguments: [String]) throws -> CommandResult {
    try runProcess("/usr/bin/env", [program] + arguments)
}
