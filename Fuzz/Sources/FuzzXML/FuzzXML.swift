import BankFormats
import FuzzSupport

/// The XML reader and the enveloped-signature path under WHRCB's (BEPS-style, SM2) and ISO20022's
/// (pain.008/pain.002, RSA) specs, and HBNX's namespaced XML (prefixed elements and attributes,
/// results in attributes, a detached raw SM2 signature: the input's first 88 bytes as the `.sig`),
/// both kinds: `read` on the bytes, on the payload `unverifiedPayload` cuts out (`--skip-verify`),
/// and `readVerified` with the TEST bank certificate.
let readers = ["WHRCB", "ISO20022", "HBNX"].flatMap { code in
    let spec = FuzzSupport.spec(code)
    return FileKind.allCases.map { kind in
        (reader: FileReader(spec: spec, kind: kind), certificate: FuzzSupport.certificate(code, kind: kind))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    for (reader, certificate) in readers {
        _ = reader.read(bytes, fileName: "fuzz.xml")
        let payload = FileSignature.unverifiedPayload(bytes, spec: reader.spec)
        if payload != bytes { _ = reader.read(payload, fileName: "fuzz.xml") }
        let detached = reader.spec.signature.placement == .detached ? Array(bytes.prefix(88)) : nil
        do {
            _ = try reader.readVerified(bytes, detached: detached, certificate: certificate, fileName: "fuzz.xml")
        } catch {
            fatalError("the TEST certificate suits \(reader.spec.code)'s scheme, yet: \(error)")
        }
    }
    return 0
}
