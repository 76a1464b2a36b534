import BankFormats
import FuzzSupport

/// The fixed-width reader under BOC's spec (the one fixed layout in Formats/banks; HKB is
/// delimited), both kinds, on the bytes and on what `--skip-verify` would read of them. BOC signs
/// detached (`<file>.sig`), so the payload is the file as it is unless the input ends in a line that
/// looks like a trailer signature.
let readers = FileKind.allCases.map { FileReader(spec: FuzzSupport.spec("BOC"), kind: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    for reader in readers {
        let parsed = reader.read(bytes, fileName: "fuzz.txt")
        if parsed.diagnostics.isEmpty { _ = parsed.total }
        let payload = FileSignature.unverifiedPayload(bytes, spec: reader.spec)
        if payload != bytes { _ = reader.read(payload, fileName: "fuzz.txt") }
    }
    return 0
}
