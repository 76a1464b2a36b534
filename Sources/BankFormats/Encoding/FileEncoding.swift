#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The character encodings bank files come in.
///
/// GBK and GB18030 go through the C library's iconv; ASCII text, which all of them share, is copied
/// without conversion. Widths are always counted in bytes of the encoding: a Chinese character is two
/// bytes in GBK (two or four in GB18030) and three in UTF-8.
public enum FileEncoding: String, Sendable, Hashable, CaseIterable {
    case gbk
    case gb18030
    case utf8 = "utf-8"
    /// UTF-8 whose file starts with the byte order mark `EF BB BF` (as Excel writes CSV).
    case utf8BOM = "utf-8-bom"

    /// The bytes a file starts with.
    public var byteOrderMark: [UInt8] { self == .utf8BOM ? [0xEF, 0xBB, 0xBF] : [] }

    var iconvName: String {
        switch self {
        case .gbk: "GBK"
        case .gb18030: "GB18030"
        case .utf8, .utf8BOM: "UTF-8"
        }
    }

    var isUTF8: Bool { self == .utf8 || self == .utf8BOM }

    /// Encodes `text`, or returns `nil` if a character has no representation in this encoding.
    ///
    /// One-shot: a loop should keep a ``TextCodec`` instead, which keeps its iconv descriptors open.
    public func encode(_ text: String) -> [UInt8]? { TextCodec(self).encode(text) }

    /// Decodes `bytes`, or returns `nil` if they are not valid in this encoding (one-shot, as ``encode(_:)``).
    public func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 { TextCodec(self).decode(bytes) }

    /// The byte length of the character that starts at `bytes[index]`.
    ///
    /// - Parameters:
    ///   - bytes: Encoded text.
    ///   - index: The start of a character.
    /// - Returns: 1 to 4; never runs past the end of `bytes`.
    public func characterLength(in bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        guard lead >= 0x80 else { return 1 }
        let remaining = bytes.count - index
        let length: Int
        switch self {
        case .gbk:
            length = 2
        case .gb18030:
            // Four-byte sequences have an ASCII digit as their second byte.
            length = remaining >= 2 && (0x30...0x39).contains(bytes[index + 1]) ? 4 : 2
        case .utf8, .utf8BOM:
            length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        }
        return min(length, remaining)
    }

    /// The longest prefix of `bytes` that fits `width` bytes without splitting a character.
    public func prefixLength(of bytes: [UInt8], fitting width: Int) -> Int {
        var index = 0
        while index < bytes.count {
            let next = index + characterLength(in: bytes, at: index)
            if next > width { break }
            index = next
        }
        return index
    }
}

/// A converter that keeps one iconv descriptor open, owned by one reader, writer or call
/// (iconv descriptors are not thread-safe, so each owner has its own).
final class CachedConverter {
    private let descriptor: iconv_t?
    private var output: [UInt8] = []
    let identity: Bool

    init(from source: String, to target: String) {
        identity = source == target
        let opened = identity ? nil : iconv_open(target, source)
        descriptor = opened == iconv_t(bitPattern: -1) ? nil : opened
    }

    deinit { if let descriptor { iconv_close(descriptor) } }

    /// Converts `input`, or returns `nil` on an invalid or unrepresentable sequence.
    func convert<C: Collection>(_ input: C) -> [UInt8]? where C.Element == UInt8 {
        if identity { return Array(input) }
        guard let descriptor else { return nil }
        var source = Array(input)
        if output.count < source.count * 4 + 16 { output = [UInt8](repeating: 0, count: source.count * 4 + 16) }
        iconv(descriptor, nil, nil, nil, nil)  // reset the shift state
        let produced: Int? = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                if inLeft > 0, iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { return nil }
                guard iconv(descriptor, nil, nil, &outPointer, &outLeft) != -1 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        return Array(output[0..<produced])
    }
}

/// A text codec for one file encoding with open descriptors; ``FileEncoding/encode(_:)`` makes one per call,
/// readers and writers keep one for the whole file.
public final class TextCodec {
    public let encoding: FileEncoding
    // Opened on first use: a one-shot codec opens only the direction it needs.
    private lazy var encoder = CachedConverter(from: "UTF-8", to: encoding.iconvName)
    private lazy var decoder = CachedConverter(from: encoding.iconvName, to: "UTF-8")

    public init(_ encoding: FileEncoding) { self.encoding = encoding }

    /// The bytes of `text` in the encoding, or `nil` if a character has no representation.
    public func encode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        if encoding.isUTF8 || !utf8.contains(where: { $0 >= 0x80 }) { return utf8 }
        return encoder.convert(utf8)
    }

    /// The text of `bytes`, or `nil` if they are not valid in the encoding.
    public func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if encoding.isUTF8 { return String(validating: bytes, as: UTF8.self) }
        return decoder.convert(bytes).map { String(decoding: $0, as: UTF8.self) }
    }
}
