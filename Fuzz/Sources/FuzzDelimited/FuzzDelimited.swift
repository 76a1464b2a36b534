import BankFormats
import FuzzSupport

/// The delimited reader under CCB's spec (GBK, `|`-separated, a trailer `<SIGN>` line) and HUBB's
/// (GBK CSV, quoting per field, grouped amounts "1,234.56", zero-padded numbers, a result-code
/// pattern, a detached signature), both kinds: the bytes as they are, the payload with the signature
/// line cut off (`--skip-verify`), and `readVerified` with the TEST bank certificate (locating,
/// decoding and checking the signature; for HUBB the input's first 344 bytes as the `.sig`).
let readers = ["CCB", "HUBB"].flatMap { code in
    FileKind.allCases.map { kind in
        (reader: FileReader(spec: FuzzSupport.spec(code), kind: kind), certificate: FuzzSupport.certificate(code, kind: kind))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    for (reader, certificate) in readers {
        _ = reader.read(bytes, fileName: "fuzz.txt")
        let payload = FileSignature.unverifiedPayload(bytes, spec: reader.spec)
        if payload != bytes { _ = reader.read(payload, fileName: "fuzz.txt") }
        let detached = reader.spec.signature.placement == .detached ? Array(bytes.prefix(344)) : nil
        do {
            _ = try reader.readVerified(bytes, detached: detached, certificate: certificate, fileName: "fuzz.txt")
        } catch {
            fatalError("the TEST certificate suits \(reader.spec.code)'s scheme, yet: \(error)")
        }
    }
    return 0
}
