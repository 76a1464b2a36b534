/// Bounds every XML input is held to before libxml2 builds anything from it.
///
/// A bank file is a flat list of records a few elements deep, with a handful of attributes per
/// element and no document type. libxml2 costs quadratic time in the attributes of one element and
/// memory without bound in nested entities, so ``check(_:url:)`` scans the bytes once, in linear
/// time and constant space, and refuses what no bank file carries: a document type or entity
/// declaration (the door to entity expansion and unsigned content), an element with too many
/// attributes, nesting too deep, or more bytes than the bank's files may have.
public struct XMLLimits: Sendable, Hashable {
    /// The most bytes a document may have.
    public var maxBytes: Int
    /// The deepest an element may nest (the document element is depth 1).
    public var maxDepth: Int
    /// The most attributes (namespace declarations included) one element may carry.
    public var maxAttributes: Int

    public init(maxBytes: Int = XMLLimits.standard.maxBytes, maxDepth: Int = XMLLimits.standard.maxDepth,
                maxAttributes: Int = XMLLimits.standard.maxAttributes) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
    }

    /// Far above any bank file (an ISO 20022 pain.002 nests about 10 deep with 4 attributes at most),
    /// far below what slows libxml2 down. A bank spec narrows `maxBytes` for its own files.
    public static let standard = XMLLimits(unchecked: 1 << 30, maxDepth: 64, maxAttributes: 64)

    private init(unchecked maxBytes: Int, maxDepth: Int, maxAttributes: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
    }

    /// Refuses `bytes` when they break a bound, naming the line.
    ///
    /// - Throws: ``XMLError`` of kind ``XMLIssue/Kind/refused``. Bytes that pass may still be
    ///   ill-formed: this is a bound, libxml2 still judges the rest.
    public func check(_ bytes: [UInt8], url: String) throws(XMLError) {
        guard bytes.count <= maxBytes else {
            throw XMLError(.refused, "\(url): \(bytes.count) bytes, more than the \(maxBytes) this file may have")
        }
        var scanner = Scanner(bytes: bytes, limits: self)
        if let (line, message) = bytes.withUnsafeBufferPointer({ scanner.scan($0) }) {
            throw XMLError(.refused, message, line: line)
        }
    }

    /// One pass over the bytes: markup is skipped by its closing delimiter, tags are counted.
    private struct Scanner {
        let bytes: [UInt8]
        let limits: XMLLimits
        var line = 1
        var depth = 0

        init(bytes: [UInt8], limits: XMLLimits) {
            self.bytes = bytes
            self.limits = limits
        }

        private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), lf = UInt8(ascii: "\n")
        private static let slash = UInt8(ascii: "/"), bang = UInt8(ascii: "!"), question = UInt8(ascii: "?")
        private static let equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")

        /// The first bound broken, as (line, message); `nil` when none is.
        mutating func scan(_ b: UnsafeBufferPointer<UInt8>) -> (Int, String)? {
            var i = 0
            let n = b.count
            while i < n {
                let byte = b[i]
                if byte == Self.lf { line += 1; i += 1; continue }
                guard byte == Self.lt else { i += 1; continue }
                guard i + 1 < n else { return nil }
                let next = b[i + 1]
                if next == Self.question {
                    i = skip(b, from: i + 2, past: Array("?>".utf8))
                } else if next == Self.bang {
                    if starts(b, at: i, with: Array("<!--".utf8)) {
                        i = skip(b, from: i + 4, past: Array("-->".utf8))
                    } else if starts(b, at: i, with: Array("<![CDATA[".utf8)) {
                        i = skip(b, from: i + 9, past: Array("]]>".utf8))
                    } else {
                        let word = String(decoding: b[(i + 2)..<min(n, i + 9)].prefix { $0 >= 0x41 && $0 <= 0x5A }, as: UTF8.self)
                        return (line, "a <!\(word.isEmpty ? "…" : word)> declaration: bank files carry no document type or entity declarations, so none is read")
                    }
                } else if next == Self.slash {
                    depth -= 1
                    i = skip(b, from: i + 2, past: [Self.gt])
                } else {
                    // A start tag: count attributes by their `=` outside quoted values.
                    let startLine = line
                    var attributes = 0
                    var quoteByte: UInt8 = 0
                    var j = i + 1
                    var closed = false
                    while j < n {
                        let c = b[j]
                        if c == Self.lf { line += 1 }
                        if quoteByte != 0 {
                            if c == quoteByte { quoteByte = 0 }
                        } else if c == Self.quote || c == Self.apostrophe {
                            quoteByte = c
                        } else if c == Self.equals {
                            attributes += 1
                            if attributes > limits.maxAttributes {
                                return (startLine, "an element with more than \(limits.maxAttributes) attributes: no bank file needs so many, and reading them would cost minutes")
                            }
                        } else if c == Self.gt {
                            closed = true
                            break
                        }
                        j += 1
                    }
                    guard closed else { return nil }
                    if b[j - 1] != Self.slash {
                        depth += 1
                        if depth > limits.maxDepth {
                            return (startLine, "elements nested more than \(limits.maxDepth) deep: no bank file nests so deep")
                        }
                    }
                    i = j + 1
                }
            }
            return nil
        }

        private func starts(_ b: UnsafeBufferPointer<UInt8>, at i: Int, with prefix: [UInt8]) -> Bool {
            guard i + prefix.count <= b.count else { return false }
            for k in prefix.indices where b[i + k] != prefix[k] { return false }
            return true
        }

        /// The index after the first `terminator` at or after `start` (the end when there is none),
        /// counting the lines it passes.
        private mutating func skip(_ b: UnsafeBufferPointer<UInt8>, from start: Int, past terminator: [UInt8]) -> Int {
            var i = start
            while i < b.count {
                if b[i] == Self.lf { line += 1 }
                if b[i] == terminator[0], starts(b, at: i, with: terminator) {
                    // A terminator never holds a line feed, so no line is counted twice.
                    return i + terminator.count
                }
                i += 1
            }
            return b.count
        }
    }
}
