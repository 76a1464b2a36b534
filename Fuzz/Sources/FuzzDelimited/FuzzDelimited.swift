import BankFormats
import FuzzSupport

/// The delimited reader under CCB's spec (GBK, `|`-separated, a trailer `<SIGN>` line), both kinds:
/// the bytes as they are, the payload with the signature line cut off (`--skip-verify`), and
/// `readVerified` with the TEST bank certificate (locating, decoding and checking the signature).
let spec = FuzzSupport.spec("CCB")
let readers = FileKind.allCases.map { kind in
    (reader: FileReader(spec: spec, kind: kind), certificate: FuzzSupport.certificate("CCB", kind: kind))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    for (reader, certificate) in readers {
        _ = reader.read(bytes, fileName: "fuzz.txt")
        let payload = FileSignature.unverifiedPayload(bytes, spec: spec)
        if payload != bytes { _ = reader.read(payload, fileName: "fuzz.txt") }
        do {
            _ = try reader.readVerified(bytes, detached: nil, certificate: certificate, fileName: "fuzz.txt")
        } catch {
            fatalError("the TEST certificate suits CCB's scheme, yet: \(error)")
        }
    }
    return 0
}
