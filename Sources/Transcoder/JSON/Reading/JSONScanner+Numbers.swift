/// Number tokens (RFC 8259 §6): the general reader, which checks the grammar once and returns
/// the token's shape, and the fused fast path for plain integers.
extension JSONScanner {
    /// Reads a number token and returns its text, validated against the JSON number grammar.
    mutating func readNumber() throws(TranscodingError) -> UnsafeRawBufferPointer {
        try readNumberWithShape().text
    }

    /// The fast path for the most common number: `-?(0|[1-9][0-9]*)` with at most 18 digits and
    /// nothing after it that could continue a number. Returns its sign and magnitude, or nil
    /// with nothing consumed, and ``readNumberWithShape()`` decides.
    @inline(__always)
    mutating func readPlainInteger() -> (negative: Bool, magnitude: UInt64)? {
        let end = input.count
        var index = position
        let negative = index < end && input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var magnitude: UInt64 = 0
        while index < end {
            let digit = input[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            magnitude = magnitude &* 10 &+ UInt64(digit)
            index += 1
        }
        let count = index - digitsStart
        guard count > 0 && count <= 18 else { return nil }
        if count > 1 && input[digitsStart] == UInt8(ascii: "0") { return nil }
        if index < end {
            let next = input[index]
            if next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") || next == UInt8(ascii: "+")
                || next == UInt8(ascii: "-")
            {
                return nil
            }
        }
        position = index
        return (negative, magnitude)
    }

    /// Reads a number token: its text and the positions of its parts, validated once.
    @inline(__always)
    mutating func readNumberWithShape() throws(TranscodingError) -> (text: UnsafeRawBufferPointer, shape: NumberText.Shape) {
        skipWhitespace()
        let start = position
        while position < input.count {
            let byte = input[position]
            guard NumberText.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e")
            else { break }
            position += 1
        }
        let text = UnsafeRawBufferPointer(rebasing: input[start..<position])
        guard let shape = NumberText.shape(text) else {
            position = start
            throw error("invalid number")
        }
        return (text, shape)
    }
}
