import BankFormats
import FuzzSupport

/// The bank spec loader: any bytes as a spec's YAML. No input may trap or hang; a spec that
/// compiles then reads the same bytes as a file of each kind (fixed and delimited layouts only: an
/// XML layout would load a schema named by the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    let yaml = String(decoding: bytes, as: UTF8.self)
    // The file's base name must equal the bank code, so name the file after the `bank:` line (the
    // seeds' own), letting the fuzzer past that check into the layouts.
    let code = yaml.split(whereSeparator: \.isNewline).lazy
        .first { $0.hasPrefix("bank:") }
        .map { $0.dropFirst(5).trimmingPrefix(" ").prefix { !$0.isWhitespace && $0 != "#" } }
        .map(String.init) ?? "FUZZ"
    let loader = SpecLoader(yaml: yaml, file: "Formats/banks/\(code).yaml")
    if loader.spec == nil && !loader.diagnostics.contains(where: { $0.severity == .error }) {
        fatalError("no spec and no error to say why")
    }
    if let spec = loader.spec {
        for kind in FileKind.allCases where spec.layout(kind).xml == nil {
            _ = FileReader(spec: spec, kind: kind).read(bytes, fileName: "\(code).txt")
        }
    }
    return 0
}
