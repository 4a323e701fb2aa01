import ProtoWire

/// A byte-level reader of JSON text (RFC 8259) for the JSON → protobuf direction.
///
/// It is not a tree builder: the encoder pulls one token at a time (`peek`, `readString`,
/// `readNumber`, `consume`) and decides from the schema what each value means. Strings without
/// escapes come back as views of the input; strings with escapes are decoded into one scratch
/// buffer that is reused, so a returned view is valid until the next `readString`.
///
/// The whole body is in memory (the caller buffers it, bounded by
/// ``JSONOptions/maximumInputSize``), so there is no incremental state to split across chunks.
struct JSONScanner {
    let input: UnsafeRawBufferPointer
    var position = 0
    /// Open objects and arrays.
    var depth = 0
    let maximumStringLength: Int
    private var scratch: UnsafeMutableRawBufferPointer

    init(input: UnsafeRawBufferPointer, maximumStringLength: Int) {
        self.input = input
        self.maximumStringLength = maximumStringLength
        scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    /// Frees the scratch buffer; call once when done.
    mutating func release() {
        scratch.deallocate()
        scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    func error(_ message: String) -> TranscodingError {
        TranscodingError(.malformedJSON, "invalid JSON at byte \(position): \(message)")
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed.
    @inline(__always)
    mutating func peek() throws(TranscodingError) -> UInt8 {
        skipWhitespace()
        guard position < input.count else { throw error("unexpected end of input") }
        return input[position]
    }

    /// Consumes `byte` if it is next (after whitespace).
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < input.count && input[position] == byte {
            position += 1
            return true
        }
        return false
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(TranscodingError) {
        // Compact JSON has the byte right here; otherwise skip whitespace first.
        if position < input.count && input[position] == byte {
            position += 1
            return
        }
        guard consume(byte) else { throw expectationError(byte) }
    }

    private func expectationError(_ byte: UInt8) -> TranscodingError {
        if position >= input.count { return error("unexpected end of input, expected '\(Character(Unicode.Scalar(byte)))'") }
        return error("expected '\(Character(Unicode.Scalar(byte)))'")
    }

    /// Enters an object or array, enforcing the nesting limit.
    mutating func enterContainer() throws(TranscodingError) {
        depth += 1
        if depth > JSONOptions.maximumDepth {
            throw TranscodingError(.limitExceeded, "nesting deeper than \(JSONOptions.maximumDepth)")
        }
    }

    /// After an object member or array element: true when another follows (a comma was
    /// consumed), false at the closing `close` byte (consumed).
    @inline(__always)
    mutating func nextMember(close: UInt8) throws(TranscodingError) -> Bool {
        if position < input.count && input[position] == UInt8(ascii: ",") {
            position += 1
            return true
        }
        if consume(UInt8(ascii: ",")) { return true }
        if consume(close) {
            depth -= 1
            return false
        }
        throw error(position >= input.count ? "unexpected end of input" : "expected ',' or '\(Character(Unicode.Scalar(close)))'")
    }

    /// Checks that only whitespace is left.
    mutating func expectEnd() throws(TranscodingError) {
        skipWhitespace()
        guard position == input.count else { throw error("unexpected data after the value") }
    }

    // MARK: Literals

    /// Consumes `literal` (`true`, `false`, `null`) if it is next.
    mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard input.count - position >= count else { return false }
        let bytes = literal.utf8Start
        for offset in 0..<count where input[position + offset] != bytes[offset] { return false }
        // The literal must not run into an identifier character.
        let after = position + count
        if after < input.count, Self.isIdentifierByte(input[after]) { return false }
        position = after
        return true
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || NumberText.isDigit(byte)
    }

    // MARK: Strings

    /// Reads a string (the next token must be `"`) and returns its unescaped UTF-8 bytes.
    mutating func readString() throws(TranscodingError) -> UnsafeRawBufferPointer {
        if !(position < input.count && input[position] == UInt8(ascii: "\"")) {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        }
        position += 1
        let start = position
        let end = input.count
        while position < end {
            // Eight plain bytes at a time: printable ASCII other than `"` and `\`.
            while end - position >= 8 {
                let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let special = Self.specialBytes(word)
                if special != 0 {
                    // The lowest flagged byte is exact: go straight to it.
                    position += special.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < end else { break }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(rebasing: input[start..<position])
                position += 1
                try checkLength(text.count)
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(start: start) }
            if byte < 0x20 { throw error("control character in string") }
            if byte < 0x80 {
                position += 1
            } else {
                guard let length = UTF8Validation.sequenceLength(input, at: position, end: end) else {
                    throw error("invalid UTF-8 in string")
                }
                position += length
            }
        }
        throw error("unterminated string")
    }

    /// Flags (in bit 7 of each byte) the bytes of `word` that end the plain run of a string:
    /// `"`, `\\`, a control character (below 0x20) or a non-ASCII byte; zero when there are none.
    /// Bit tricks for "a byte is zero" and "a byte is below n" (S. E. Anderson, "Bit Twiddling
    /// Hacks"): whether any byte is flagged is exact, and so is the lowest flagged byte (a borrow
    /// can only flag bytes above a true one).
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & highs
    }

    @inline(__always)
    private func checkLength(_ count: Int) throws(TranscodingError) {
        if count > maximumStringLength { throw lengthError(count) }
    }

    private func lengthError(_ count: Int) -> TranscodingError {
        TranscodingError(.limitExceeded, "string of \(count) bytes exceeds the limit of \(maximumStringLength)")
    }

    /// The slow path: copies the plain prefix to scratch, then decodes escapes as they come.
    private mutating func readEscapedString(start: Int) throws(TranscodingError) -> UnsafeRawBufferPointer {
        let needed = input.count - start
        if scratch.count < needed {
            scratch.deallocate()
            scratch = .allocate(byteCount: max(needed, 256), alignment: 1)
        }
        var length = position - start
        if length > 0 { scratch.baseAddress!.copyMemory(from: input.baseAddress! + start, byteCount: length) }
        let end = input.count
        while position < end {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                try checkLength(length)
                return UnsafeRawBufferPointer(rebasing: scratch[0..<length])
            case UInt8(ascii: "\\"):
                position += 1
                guard position < end else { throw error("unterminated string") }
                let escape = input[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch[length] = escape
                case UInt8(ascii: "b"): scratch[length] = 0x08
                case UInt8(ascii: "f"): scratch[length] = 0x0C
                case UInt8(ascii: "n"): scratch[length] = 0x0A
                case UInt8(ascii: "r"): scratch[length] = 0x0D
                case UInt8(ascii: "t"): scratch[length] = 0x09
                case UInt8(ascii: "u"):
                    length += try readUnicodeEscape(into: length)
                    continue
                default:
                    position -= 2
                    throw error("invalid escape in string")
                }
                length += 1
            default:
                if byte < 0x20 { throw error("control character in string") }
                if byte < 0x80 {
                    scratch[length] = byte
                    length += 1
                    position += 1
                } else {
                    guard let count = UTF8Validation.sequenceLength(input, at: position, end: end) else {
                        throw error("invalid UTF-8 in string")
                    }
                    for offset in 0..<count { scratch[length + offset] = input[position + offset] }
                    length += count
                    position += count
                }
            }
        }
        throw error("unterminated string")
    }

    /// Decodes the four hex digits after `\u` (and a following `\u` low surrogate) into scratch as UTF-8;
    /// returns the bytes written. Lone surrogates are rejected.
    private mutating func readUnicodeEscape(into offset: Int) throws(TranscodingError) -> Int {
        // Errors point at the backslash of the escape.
        let escapeStart = position - 2
        var scalar = try readHex4(escapeStart: escapeStart)
        if scalar >= 0xD800 && scalar <= 0xDBFF {
            guard input.count - position >= 6, input[position] == UInt8(ascii: "\\"),
                input[position + 1] == UInt8(ascii: "u")
            else {
                position = escapeStart
                throw error("unpaired surrogate in \\u escape")
            }
            position += 2
            let low = try readHex4(escapeStart: escapeStart)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                position = escapeStart
                throw error("unpaired surrogate in \\u escape")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
            position = escapeStart
            throw error("unpaired surrogate in \\u escape")
        }
        // The escape text is at least as long as its UTF-8, so scratch has room.
        switch scalar {
        case 0..<0x80:
            scratch[offset] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            scratch[offset] = UInt8(0xC0 | scalar >> 6)
            scratch[offset + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            scratch[offset] = UInt8(0xE0 | scalar >> 12)
            scratch[offset + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            scratch[offset + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            scratch[offset] = UInt8(0xF0 | scalar >> 18)
            scratch[offset + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            scratch[offset + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            scratch[offset + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(TranscodingError) -> UInt32 {
        guard input.count - position >= 4 else {
            position = escapeStart
            throw error("truncated \\u escape")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                position = escapeStart
                throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    // MARK: Skipping

    /// Skips one complete value, checking its syntax.
    mutating func skipValue() throws(TranscodingError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            position += 1
            try enterContainer()
            if consume(UInt8(ascii: "}")) {
                depth -= 1
                return
            }
            repeat {
                _ = try readString()
                try expect(UInt8(ascii: ":"))
                try skipValue()
            } while try nextMember(close: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            try enterContainer()
            if consume(UInt8(ascii: "]")) {
                depth -= 1
                return
            }
            repeat {
                try skipValue()
            } while try nextMember(close: UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard consumeLiteral("true") || consumeLiteral("false") || consumeLiteral("null") else {
                throw error("unexpected token")
            }
        default:
            _ = try readNumber()
        }
    }
}
