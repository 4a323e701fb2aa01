/// UTF-8 validation for protobuf `string` fields and JSON text.
///
/// The standard library's `String(validating:as:)` is generic and pays a metadata lookup per
/// call, and `String(decoding:as:)` repairs instead of rejecting; this checks the bytes with an
/// eight-bytes-at-a-time ASCII fast path. Well-formed means as the Unicode Standard defines it
/// (table 3-7; RFC 3629 §4): no overlong forms, no surrogates (U+D800...U+DFFF), nothing above
/// U+10FFFF.
public enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isValid(UnsafeRawBufferPointer(bytes))
    }

    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let end = bytes.count
        while index < end {
            while end - index >= 8 && bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
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

    /// The length (2...4) of the well-formed sequence that starts with the non-ASCII byte at
    /// `index` and ends before `end`, or nil. Inlined into scanners that handle ASCII themselves.
    @inlinable @inline(__always)
    public static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> Int? {
        // The allowed range of the second byte depends on the lead byte; later ones are 80...BF.
        let (length, low, high): (Int, UInt8, UInt8)
        switch bytes[index] {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: return nil
        }
        guard end - index >= length, bytes[index + 1] >= low, bytes[index + 1] <= high else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }
}
