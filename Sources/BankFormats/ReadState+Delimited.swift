import PikouCore
import PikouCrypto
import Foundation
import PikouXML

// The delimited family: a line cut at its delimiter, quoted values unquoted.

extension ReadState {
    /// The ranges of a delimited line's values, in `buffer`; or, when the line quotes a value, in the
    /// returned bytes (the values unquoted, one after another).
    ///
    /// `quotes`: whether any field of the record may be quoted (else a quote is a byte of the value);
    /// `quoted` then says, value by value, whether it stood in quotes (filled only when the line has one).
    func split(_ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ delimiting: Delimiting, quotes: Bool,
               into ranges: inout [Range<Int>], quoted: inout [Bool]) -> [UInt8]? {
        let quote = UInt8(ascii: "\"")
        guard quotes, buffer[line].contains(quote) else {
            var start = line.lowerBound
            for index in line where buffer[index] == delimiting.separator {
                ranges.append(start..<index)
                start = index + 1
            }
            ranges.append(start..<line.upperBound)
            return nil
        }
        // RFC 4180 quoting: unquote into fresh bytes.
        var unquoted: [UInt8] = []
        var fieldStart = 0
        var inQuotes = false
        var wasQuoted = false
        var index = line.lowerBound
        while index < line.upperBound {
            let byte = buffer[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < line.upperBound && buffer[index + 1] == quote {
                        unquoted.append(quote); index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    unquoted.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
                wasQuoted = true
            } else if byte == delimiting.separator {
                ranges.append(fieldStart..<unquoted.count)
                quoted.append(wasQuoted)
                wasQuoted = false
                fieldStart = unquoted.count
            } else {
                unquoted.append(byte)
            }
            index += 1
        }
        ranges.append(fieldStart..<unquoted.count)
        quoted.append(wasQuoted)
        return unquoted
    }
}
