public import PikouCore
import Foundation

/// The bank specs of one `Formats` folder (`Formats/banks/<CODE>.yaml`).
public struct FormatRepository: Sendable {
    /// The `Formats` folder.
    public let directory: String

    /// A spec that could not be loaded.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public let diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Schema locations named in the workspace config (`schemas:` in pikou.yaml): name → folder.
    public var schemaLocations: [String: String]

    public init(directory: String, schemaLocations: [String: String] = [:]) {
        self.directory = directory
        self.schemaLocations = schemaLocations
    }

    /// The folder holding our own XML schemas, and by default the others' too (`<location>/<file>.xsd`).
    public var schemasDirectory: String { directory + "/schemas" }

    /// The folder holding the bank specs.
    public var banksDirectory: String { directory + "/banks" }

    /// The paths of every `*.yaml` file in `banks/`, sorted.
    public func specPaths() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: banksDirectory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { banksDirectory + "/" + $0 }
    }

    /// The bank codes found, sorted.
    public func bankCodes() -> [String] {
        specPaths().map { path in
            let name = String(path.split(separator: "/").last ?? "")
            return String(name.split(separator: ".").first ?? "")
        }
    }

    /// Compiles the spec at `path`, returning it with its diagnostics (the spec is `nil` on errors).
    public static func check(path: String, schemaLocations: [String: String] = [:]) -> (spec: BankSpec?, diagnostics: [Diagnostic]) {
        var (spec, diagnostics) = compile(path: path)
        // Formats/banks/X.yaml → Formats/schemas
        let formats = path.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
        let schemas = (formats.isEmpty ? "." : formats) + "/schemas"
        if var resolved = spec {
            func resolve(_ layout: inout Layout, section: String) {
                guard var shape = layout.xml else { return }
                shape.schemaPath = XMLSchemas.resolve(shape.schema, schemasDirectory: schemas, locations: schemaLocations)
                if !FileManager.default.fileExists(atPath: shape.schemaPath!) {
                    diagnostics.append(Diagnostic(.warning, .schemaMissing, file: path, field: "\(section).schema",
                        "schema \(shape.schema) is not at \(shape.schemaPath!): XML files cannot be written or read until it is (make schemas, or schemas: in pikou.yaml)"))
                }
                layout.kind = .xml(shape)
            }
            if resolved.reconciliation != nil {
                resolve(&resolved.reconciliation!, section: "reconciliation")
                resolved.debit = resolved.reconciliation!
                resolved.returns = resolved.reconciliation!
            } else {
                resolve(&resolved.debit, section: "debit")
                resolve(&resolved.returns, section: "return")
                if resolved.cancel != nil { resolve(&resolved.cancel!, section: "cancel") }
                if resolved.refund != nil { resolve(&resolved.refund!, section: "refund") }
                if resolved.refundReturn != nil { resolve(&resolved.refundReturn!, section: "refund_return") }
                for index in resolved.statements.indices {
                    resolve(&resolved.statements[index], section: index == 0 && resolved.statements.count > 1 ? "statement" : "notification")
                }
            }
            if var envelope = resolved.signature.envelope, let schema = envelope.schema {
                envelope.schemaPath = XMLSchemas.resolve(schema, schemasDirectory: schemas, locations: schemaLocations)
                resolved.signature.envelope = envelope
            }
            spec = resolved
        }
        return (spec, diagnostics)
    }

    private static func compile(path: String) -> (spec: BankSpec?, diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [Diagnostic(.error, .specSyntax, file: path, "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(.error, .specSyntax, file: path, "a spec must be UTF-8 text")])
        }
        let loader = SpecLoader(yaml: text, file: path)
        return (loader.spec, loader.diagnostics)
    }

    /// The treasury authorities' specs (`treasury/<CODE>.yaml`): their codes, sorted.
    public func authorityCodes() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/treasury")) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads the treasury authority `code`'s spec (`treasury/<CODE>.yaml`).
    ///
    /// - Throws: ``LoadError`` if there is none or it has errors.
    public func authority(_ code: String) throws(LoadError) -> BankSpec {
        let path = directory + "/treasury/" + code + ".yaml"
        guard code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              FileManager.default.fileExists(atPath: path) else {
            let known = authorityCodes().joined(separator: ", ")
            throw LoadError(diagnostics: [Diagnostic(.error, .unknownBank, file: path,
                "no treasury spec '\(code)' in \(directory)/treasury; known: \(known.isEmpty ? "none" : known)")])
        }
        let (spec, diagnostics) = Self.check(path: path, schemaLocations: schemaLocations)
        guard let spec, spec.isAuthority else { throw LoadError(diagnostics: diagnostics) }
        return spec
    }

    /// Loads bank `code`'s spec.
    ///
    /// - Throws: ``LoadError`` if the bank has no spec or the spec has errors.
    public func spec(_ code: String) throws(LoadError) -> BankSpec {
        let path = banksDirectory + "/" + code + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = bankCodes().joined(separator: ", ")
            throw LoadError(diagnostics: [Diagnostic(.error, .unknownBank, file: path,
                "no spec for bank '\(code)' in \(banksDirectory); known banks: \(known.isEmpty ? "none" : known)")])
        }
        let (spec, diagnostics) = Self.check(path: path, schemaLocations: schemaLocations)
        guard let spec else { throw LoadError(diagnostics: diagnostics) }
        return spec
    }

    /// Finds the `Formats` folder: `explicit` if given, else `$PIKOU_FORMATS`, else `./Formats`, else the
    /// nearest `Formats` (a checkout) or `share/pikou/Formats` (an install: `PREFIX/bin/pikou` beside
    /// `PREFIX/share/pikou`) above the running executable's real path — `/proc/self/exe`, so a bare
    /// `pikou` found on PATH, a symlink to it or a cron job in `/` finds the same folder. A
    /// workspace's own `formats:` wins over all but `explicit` (``Workspace``).
    public static func locate(explicit: String?, environment: [String: String]? = nil, executablePath: String? = nil) -> String {
        if let explicit { return explicit }
        if let env = (environment ?? ProcessInfo.processInfo.environment)["PIKOU_FORMATS"], !env.isEmpty { return env }
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: "Formats/banks") { return "Formats" }
        return installed(executablePath: executablePath) ?? "Formats"
    }

    /// The Formats folder of the running executable's checkout or install, if it has one.
    public static func installed(executablePath: String? = nil) -> String? {
        let fileManager = FileManager.default
        var url = URL(fileURLWithPath: executablePath ?? runningExecutable()).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            for candidate in [url.appendingPathComponent("Formats"), url.appendingPathComponent("share/pikou/Formats")]
            where fileManager.fileExists(atPath: candidate.appendingPathComponent("banks").path) {
                return candidate.standardizedFileURL.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// The running executable's real path: `/proc/self/exe` (argv[0] is only what the shell was
    /// given, `pikou` for a program found on PATH), else argv[0] made absolute.
    public static func runningExecutable() -> String {
        if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), real.hasPrefix("/") { return real }
        let argv0 = CommandLine.arguments.first ?? ""
        return argv0.hasPrefix("/") ? argv0 : FileManager.default.currentDirectoryPath + "/" + argv0
    }
}

extension Diagnostic.Code {
    public static let unknownBank = Self(rawValue: "spec.unknownBank")
}
