import ProtoWire

/// A protobuf `string` as a quoted JSON string, validated as UTF-8 (RFC 3629 §4) and escaped
/// (RFC 8259 §7: `"`, `\` and the control characters) in one pass over the bytes.
///
/// Eight bytes are tested at a time for anything that is not plain ASCII to copy as is: a byte
/// of 0x80 or more, below 0x20, `"` or `\`. Words without one are stored whole (the last few
/// bytes too, padded to a word); the rest go byte by byte. Output room is reserved once per
/// block of 256 input bytes (each byte becomes at most six), not per byte. The escapes are the
/// ones ``JSONOutput/appendString(_:into:)`` writes, so both give the same text.
enum JSONStringText {
    private static let blockSize = 256

    /// Appends `"…"` for the `count` bytes at `source`. Returns false when they are not valid
    /// UTF-8; the output then holds a partial string the caller must take back or discard.
    @inline(__always)
    static func append(_ source: UnsafePointer<UInt8>, count: Int, into output: inout OutputBuffer) -> Bool {
        if count <= blockSize {
            let destination = output.reserveTail(count * 6 + 2 + 8)
            destination[0] = UInt8(ascii: "\"")
            var index = 0
            guard let written = writeBlock(source, from: &index, count: count, end: count, to: destination + 1)
            else { return false }
            destination[written + 1] = UInt8(ascii: "\"")
            output.commit(written + 2)
            return true
        }
        return appendLong(source, count: count, into: &output)
    }

    @inline(never)
    private static func appendLong(_ source: UnsafePointer<UInt8>, count: Int, into output: inout OutputBuffer) -> Bool
    {
        output.append(UInt8(ascii: "\""))
        var index = 0
        while index < count {
            // A block may end inside a multi-byte character: its last character then reads up
            // to three bytes past the block (all inside the string), and the next block starts
            // after them.
            let blockEnd = min(index + blockSize, count)
            let destination = output.reserveTail((blockEnd - index + 3) * 6 + 8)
            guard let written = writeBlock(source, from: &index, count: count, end: blockEnd, to: destination)
            else { return false }
            output.commit(written)
        }
        output.append(UInt8(ascii: "\""))
        return true
    }

    /// Escapes the characters from `index` that start before `end` (of the `count` bytes at
    /// `source`) into `destination`, advancing `index`; returns the bytes written, nil for
    /// invalid UTF-8.
    @inline(__always)
    private static func writeBlock(
        _ source: UnsafePointer<UInt8>, from index: inout Int, count: Int, end: Int,
        to destination: UnsafeMutablePointer<UInt8>
    ) -> Int? {
        var written = 0
        while index < end {
            let rest = end - index
            if rest >= 8 {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                if !needsAttention(word) {
                    UnsafeMutableRawPointer(destination + written).storeBytes(of: word, as: UInt64.self)
                    index += 8
                    written += 8
                    continue
                }
            } else {
                // The last few bytes, gathered into a word padded with "a"s: stored whole when
                // plain (the padding lands in reserved room past the end and is not counted).
                var word: UInt64 = 0x6161_6161_6161_6161 &<< UInt64(8 &* rest)
                for offset in 0..<rest { word |= UInt64(source[index &+ offset]) &<< UInt64(8 &* offset) }
                if !needsAttention(word) {
                    UnsafeMutableRawPointer(destination + written).storeBytes(of: word, as: UInt64.self)
                    index += rest
                    written += rest
                    continue
                }
            }
            let byte = source[index]
            if byte >= 0x80 {
                let buffer = UnsafeRawBufferPointer(start: source, count: count)
                guard let length = UTF8Validation.sequenceLength(buffer, at: index, end: count) else { return nil }
                for offset in 0..<length { destination[written + offset] = source[index + offset] }
                index += length
                written += length
            } else if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                written += writeEscape(byte, to: destination + written)
                index += 1
            } else {
                destination[written] = byte
                index += 1
                written += 1
            }
        }
        return written
    }

    /// Whether any byte of `word` is 0x80 or more, below 0x20, `"` or `\` (exact for "none").
    @inline(__always)
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = word &- ones &* 0x20
        let quote = (word ^ (ones &* 0x22)) &- ones
        let backslash = (word ^ (ones &* 0x5C)) &- ones
        let quoteMask = ~(word ^ (ones &* 0x22))
        let backslashMask = ~(word ^ (ones &* 0x5C))
        return (word | (control & ~word) | (quote & quoteMask) | (backslash & backslashMask)) & highs != 0
    }

    /// Writes the escape of a byte that needs one; returns its length (2 or 6).
    @inline(__always)
    private static func writeEscape(_ byte: UInt8, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        destination[0] = UInt8(ascii: "\\")
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        default:
            let hex: StaticString = "0123456789abcdef"
            destination[1] = UInt8(ascii: "u")
            destination[2] = UInt8(ascii: "0")
            destination[3] = UInt8(ascii: "0")
            destination[4] = hex.utf8Start[Int(byte >> 4)]
            destination[5] = hex.utf8Start[Int(byte & 15)]
            return 6
        }
        destination[1] = short
        return 2
    }
}
