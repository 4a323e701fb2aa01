/// UTF-8 validation per RFC 3629 §4: no overlong forms, no surrogates (U+D800...U+DFFF), nothing
/// above U+10FFFF. Protobuf `string` fields and JSON text must both be valid UTF-8.
enum UTF8Check {
    /// The length of the valid sequence starting with the non-ASCII byte at `index`, or nil.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> Int? {
        let first = bytes[index]
        func continuation(_ offset: Int) -> UInt8? {
            guard index + offset < end else { return nil }
            let byte = bytes[index + offset]
            return byte & 0xC0 == 0x80 ? byte : nil
        }
        switch first {
        case 0xC2...0xDF:
            return continuation(1) != nil ? 2 : nil
        case 0xE0...0xEF:
            guard let second = continuation(1), continuation(2) != nil else { return nil }
            if first == 0xE0 && second < 0xA0 { return nil }  // overlong
            if first == 0xED && second >= 0xA0 { return nil }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard let second = continuation(1), continuation(2) != nil, continuation(3) != nil else { return nil }
            if first == 0xF0 && second < 0x90 { return nil }  // overlong
            if first == 0xF4 && second >= 0x90 { return nil }  // above U+10FFFF
            return 4
        default:
            return nil
        }
    }

    /// Whether all of `bytes` is valid UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let end = bytes.count
        while index < end {
            // Eight ASCII bytes at a time.
            while index + 8 <= end
                && bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < end else { break }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index, end: end) else { return false }
            index += length
        }
        return true
    }
}
