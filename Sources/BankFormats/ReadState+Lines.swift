import PikouCore
import PikouCrypto
import Foundation
import PikouXML

// The text families (fixed-width and delimited): the encoding checked, the file cut into lines,
// each line's fields found (by byte offsets, or by the delimiter) and decoded.

extension ReadState {
    mutating func run(_ bytes: [UInt8]) {
        var start = 0
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let hasBOM = bytes.count >= 3 && Array(bytes[0..<3]) == bom
        if spec.encoding == .utf8BOM {
            if hasBOM { start = 3 } else { report(.warning, .missingBOM, line: 1, "file does not start with the UTF-8 byte order mark the spec expects") }
        } else if hasBOM {
            if spec.encoding == .utf8 {
                start = 3
            } else {
                report(.wrongEncoding, line: 1, "file starts with a UTF-8 byte order mark, but \(spec.code) files are \(spec.encoding.rawValue)")
                return
            }
        }
        guard checkEncoding(bytes, from: start) else { return }
        let rawLines = splitLines(bytes, from: start)
        let headerCount = layout.header == nil ? 0 : 1
        let trailerCount = layout.trailer == nil ? 0 : 1
        if rawLines.count < headerCount + trailerCount {
            report(.missingRecord, line: rawLines.count + 1, "file has \(rawLines.count) line(s); the \(kind.rawValue) layout needs a header and a trailer")
            return
        }
        lines.reserveCapacity(rawLines.count)
        bytes.withUnsafeBufferPointer { buffer in
            for (index, raw) in rawLines.enumerated() {
                let isLast = index == rawLines.count - 1
                if index == 0, let header = layout.header {
                    parse(buffer, raw, record: header, plans: headerPlans, isDetail: false, isLast: isLast)
                } else if isLast, let trailer = layout.trailer {
                    parse(buffer, raw, record: trailer, plans: trailerPlans, isDetail: false, isLast: isLast)
                } else {
                    detailLineCount += 1
                    parse(buffer, raw, record: layout.detail, plans: detailPlans, isDetail: true, isLast: isLast)
                }
            }
        }
        checkTotals()
    }

    /// Refuses a file that is plainly in another encoding than the spec's.
    mutating func checkEncoding(_ bytes: [UInt8], from start: Int) -> Bool {
        let body = bytes[start...]
        guard let firstHigh = body.firstIndex(where: { $0 >= 0x80 }) else { return true }
        let lineOfFirstHigh = 1 + body[start..<firstHigh].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
        switch spec.encoding {
        case .utf8, .utf8BOM:
            if String(validating: body, as: UTF8.self) == nil {
                let badLine = firstInvalidUTF8Line(body, start: start)
                report(.wrongEncoding, line: badLine, "file is not valid UTF-8 (is it GBK?); \(spec.code) files are \(spec.encoding.rawValue)")
                return false
            }
        case .gbk, .gb18030:
            // GBK text practically never forms valid UTF-8 that also holds a three-byte CJK character
            // (a few GBK pairs alone do form two-byte UTF-8 sequences, so those prove nothing).
            if String(validating: body, as: UTF8.self) != nil, containsUTF8CJK(body) {
                report(.wrongEncoding, line: lineOfFirstHigh, "file is UTF-8, but \(spec.code) files are \(spec.encoding.rawValue): convert it or fix the sender")
                return false
            }
        }
        return true
    }

    /// Whether valid UTF-8 `bytes` hold a CJK unified ideograph or CJK punctuation (U+3000–U+9FFF, U+FF00–U+FFEF).
    func containsUTF8CJK(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead >= 0xE3 && lead <= 0xE9 || lead == 0xEF && index + 1 < bytes.endIndex && bytes[index + 1] >= 0xBC {
                return true
            }
            index += 1
        }
        return false
    }

    func firstInvalidUTF8Line(_ body: ArraySlice<UInt8>, start: Int) -> Int {
        var lineStart = start
        var number = 1
        for index in body.indices where body[index] == 10 {
            if String(validating: body[lineStart..<index], as: UTF8.self) == nil { return number }
            lineStart = index + 1
            number += 1
        }
        return number
    }

    mutating func splitLines(_ bytes: [UInt8], from start: Int) -> [RawLine] {
        var result: [RawLine] = []
        var lineStart = start
        var number = 1
        var index = start
        var wrongEndings = 0, firstWrong = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                var end = index
                let hasCR = end > lineStart && bytes[end - 1] == 13
                if hasCR { end -= 1 }
                if (spec.lineEnding == .crlf && !hasCR) || (spec.lineEnding == .lf && hasCR) {
                    if wrongEndings == 0 { firstWrong = number }
                    wrongEndings += 1
                }
                result.append(RawLine(number: number, range: lineStart..<end, terminated: true))
                number += 1
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count {
            var end = bytes.count
            if bytes[end - 1] == 13 { end -= 1 }
            result.append(RawLine(number: number, range: lineStart..<end, terminated: false))
        }
        if wrongEndings > 0 {
            // One finding for the file, not one per line: it is one choice the sender made.
            let theirs = spec.lineEnding == .crlf ? "LF alone" : "CR LF", ours = spec.lineEnding == .crlf ? "CR LF" : "LF alone"
            let terminated = result.filter(\.terminated).count
            report(.lineEnding, line: firstWrong, wrongEndings == terminated
                ? "every line ends with \(theirs); \(spec.code)'s lines end with \(ours)"
                : "\(wrongEndings) of \(terminated) lines end with \(theirs), the first this one; \(spec.code)'s lines end with \(ours)")
        }
        // Blank lines after the last record: named, then left out of the records.
        var blank = 0
        while let last = result.last, last.range.isEmpty, result.count > 1 {
            result.removeLast()
            blank += 1
        }
        if blank > 0, let last = result.last {
            report(.warning, .blankLine, line: last.number + 1,
                   blank == 1 ? "a blank line after the last record; \(spec.code) files end with their \(layout.trailer == nil ? "last record" : "trailer") (it is left out)"
                              : "\(blank) blank lines after the last record; \(spec.code) files end with their \(layout.trailer == nil ? "last record" : "trailer") (they are left out)")
        }
        return result
    }

    mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, _ raw: RawLine, record: RecordSpec, plans: [FieldPlan], isDetail: Bool, isLast: Bool) {
        let line = raw.range
        let cutShort = isLast && !raw.terminated
        var ranges = self.ranges
        self.ranges = []  // held by one owner while this line is read, so reusing it copies nothing
        defer { self.ranges = ranges }
        ranges.removeAll(keepingCapacity: true)
        var unquoted: [UInt8]?
        switch layout.kind {
        case .fixed:
            let expected = plans.last.map { $0.offset + $0.width } ?? 0
            guard line.count == expected else {
                if cutShort && line.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(line.count) of \(expected) bytes and no line ending; the file looks truncated")
                } else {
                    report(.lineLength, line: raw.number, "\(record.role) line is \(line.count) bytes; the \(spec.code) \(record.role) record is \(expected) bytes")
                }
                if isDetail { allAmountsParsed = false }
                return
            }
            for plan in plans { ranges.append(line.lowerBound + plan.offset ..< line.lowerBound + plan.offset + plan.width) }
        case .delimited(let delimiting):
            let quotes = plans.contains { $0.quoting != .none }
            var quoted = self.quoted
            self.quoted = []
            defer { self.quoted = quoted }
            quoted.removeAll(keepingCapacity: true)
            unquoted = split(buffer, line, delimiting, quotes: quotes, into: &ranges, quoted: &quoted)
            var expected = plans.count
            if delimiting.trailingSeparator {
                expected += 1
                if ranges.count == expected, ranges.last?.isEmpty == true { ranges.removeLast(); expected -= 1 }
            }
            guard ranges.count == expected else {
                if cutShort && ranges.count < expected {
                    report(.truncatedLine, line: raw.number, "the last line is cut short: \(ranges.count) of \(expected) fields and no line ending; the file looks truncated")
                } else {
                    report(.fieldCount, line: raw.number, fieldCountMessage(record, found: ranges.count, expected: expected,
                                                                           extra: ranges.count > expected ? ranges[expected] : nil, buffer: unquoted, line: buffer))
                }
                if isDetail { allAmountsParsed = false }
                return
            }
            if quotes, !checkQuoting(record, plans: plans, quoted: quoted, lineNumber: raw.number) {
                if isDetail { allAmountsParsed = false }
                return
            }
        case .xml:
            preconditionFailure("XML files are read by runXML")
        }
        if !raw.terminated && spec.finalLineEndingRequired {
            report(.warning, .lineEnding, line: raw.number, "the last line has no line ending")
        }
        if let unquoted {
            unquoted.withUnsafeBufferPointer { decode(record, plans: plans, isDetail: isDetail, buffer: $0, ranges: ranges, lineNumber: raw.number) }
        } else {
            decode(record, plans: plans, isDetail: isDetail, buffer: buffer, ranges: ranges, lineNumber: raw.number)
        }
    }
}

extension ReadState {
    /// What a line with the wrong number of fields lacks or has too many of, by name: the field it
    /// ends after and the ones missing, or the first value beyond the last field.
    func fieldCountMessage(_ record: RecordSpec, found: Int, expected: Int, extra: Range<Int>?, buffer unquoted: [UInt8]?,
                           line buffer: UnsafeBufferPointer<UInt8>) -> String {
        let fields = record.fields
        let head = "\(record.role) line has \(found) fields; the \(spec.code) \(record.role) record has \(expected)"
        if found < expected, found <= fields.count {
            let missing = fields[found...].prefix(3).map { "'\($0.name)'" }.joined(separator: ", ") + (fields.count - found > 3 ? ", …" : "")
            let after = found > 0 ? "the line ends after field \(found) '\(fields[found - 1].name)'" : "the line is empty"
            return "\(head): \(after), so \(missing) \(expected - found == 1 ? "is" : "are") missing (or a field before it was left out)"
        }
        if found > expected, let extra, let last = fields.last {
            let bytes = unquoted.map { Array($0[extra]) } ?? Array(buffer[extra])
            // Masked whole unless plainly a code or number: on a shifted line it may be a name.
            let text = codec.decode(bytes[...]).map { $0.unicodeScalars.allSatisfy(\.isASCII) ? Masking.numbers(in: $0) : Masking.text($0) } ?? "\(bytes.count) bytes"
            return "\(head): \(found - expected) more than the last field '\(last.name)', the first extra value '\(text)' (or a value holds the separator unquoted)"
        }
        return head
    }

    /// Whether each value of a line is quoted as its field declares (`quoting: always` in quotes,
    /// `never` bare); each mismatch is reported.
    mutating func checkQuoting(_ record: RecordSpec, plans: [FieldPlan], quoted: [Bool], lineNumber: Int) -> Bool {
        var ok = true
        for plan in plans {
            let isQuoted = plan.index < quoted.count ? quoted[plan.index] : false
            let field = record.fields[plan.index]
            if plan.quoting == .always && !isQuoted {
                report(.quoting, line: lineNumber, field: field.name, "is not in double quotes; the spec quotes this field always (quoting: always)")
                ok = false
            } else if plan.quoting == .none && isQuoted {
                report(.quoting, line: lineNumber, field: field.name, "is in double quotes; the spec writes this field bare (quoting: never)")
                ok = false
            }
        }
        return ok
    }
}
