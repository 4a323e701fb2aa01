/// A raw-pointer reader of protobuf wire bytes for the printer's single pass
/// (`ProtoToJSON+SinglePass.swift`): varints, tags, fixed values and length prefixes decoded
/// inline, with no `WireReader` copy per field.
///
/// It applies `WireReader`'s checks (protobuf encoding guide, "Base 128 Varints" and "Message
/// Structure"): a varint has at most ten bytes, a tag fits in 32 bits with a wire type of 0...5
/// and a field number above 0, a fixed value or payload lies inside the range. It reports a
/// failure with a placeholder error only: the printer then prints the whole message again on the
/// indexed path, which reads with `WireReader` and throws the exact error with its byte offset.
struct WireCursor {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    /// The placeholder for any malformed input (see the type's documentation).
    static var malformed: TranscodingError { TranscodingError(.malformedProto, "invalid protobuf") }

    /// A cursor over `range` of `buffer`; offsets stay those of `buffer`.
    @inline(__always)
    init(_ buffer: UnsafeRawBufferPointer, range: Range<Int>) {
        // An empty input has no base address; any non-null pointer serves for an empty range.
        base =
            UnsafePointer(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self))
            ?? UnsafePointer(bitPattern: 1)!
        position = range.lowerBound
        end = range.upperBound
    }

    @inline(__always)
    var isAtEnd: Bool { position >= end }

    /// Reads a varint; one- and two-byte values inline.
    @inline(__always)
    mutating func readVarint() throws(TranscodingError) -> UInt64 {
        if position < end {
            let first = base[position]
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
            if end - position >= 2 {
                let second = base[position + 1]
                if second < 0x80 {
                    position += 2
                    return UInt64(first & 0x7F) | UInt64(second) << 7
                }
            }
        }
        return try readVarintSlowPath()
    }

    /// Varints of three or more bytes, and any varint near the end: eight bytes are looked at
    /// as one word (gathered byte by byte when fewer are left), the first byte without its
    /// continuation bit ends the varint, and its 7-bit groups are packed in three steps; a
    /// ninth and tenth byte are added one by one.
    @inline(never)
    mutating func readVarintSlowPath() throws(TranscodingError) -> UInt64 {
        let available = end - position
        guard available > 0 else { throw Self.malformed }
        var word: UInt64 = 0
        var stops: UInt64
        if available >= 8 {
            word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            stops = ~word & 0x8080_8080_8080_8080
        } else {
            for offset in 0..<available { word |= UInt64(base[position &+ offset]) &<< UInt64(8 &* offset) }
            stops = ~word & 0x8080_8080_8080_8080 & ((1 &<< UInt64(8 &* available)) &- 1)
        }
        if stops != 0 {
            let bits = stops.trailingZeroBitCount &+ 1
            position += bits / 8
            return Self.packGroups(bits == 64 ? word : word & ((1 &<< UInt64(bits)) &- 1))
        }
        guard available >= 9 else { throw Self.malformed }
        let low = Self.packGroups(word)
        let ninth = base[position + 8]
        if ninth < 0x80 {
            position += 9
            return low | UInt64(ninth) &<< 56
        }
        // The tenth byte holds bit 63 only; a varint longer than ten bytes is malformed.
        guard available >= 10, base[position + 9] < 0x80 else { throw Self.malformed }
        let tenth = base[position + 9]
        position += 10
        return low | UInt64(ninth & 0x7F) &<< 56 | UInt64(tenth) &<< 63
    }

    /// The 7-bit groups of up to eight varint bytes (continuation bits included) packed
    /// together: pairs, then quads, then the whole word.
    @inline(__always)
    static func packGroups(_ word: UInt64) -> UInt64 {
        var value = (word & 0x7F00_7F00_7F00_7F00) >> 1 | (word & 0x007F_007F_007F_007F)
        value = (value & 0x3FFF_0000_3FFF_0000) >> 2 | (value & 0x0000_3FFF_0000_3FFF)
        return (value & 0x0FFF_FFFF_0000_0000) >> 4 | (value & 0x0000_0000_0FFF_FFFF)
    }

    /// Reads a tag as `fieldNumber << 3 | wireType`, checked as `WireReader.readTag` checks it.
    @inline(__always)
    mutating func readTag() throws(TranscodingError) -> UInt32 {
        let raw = try readVarint()
        guard raw <= UInt64(UInt32.max), raw & 7 <= 5, raw >> 3 != 0 else { throw Self.malformed }
        return UInt32(truncatingIfNeeded: raw)
    }

    /// Whether the next tag is field `number`'s with a wire type `accepted` has a bit for; if
    /// so, moves past it and returns its wire type. Anything else (another field, the end, a
    /// malformed tag) leaves the cursor where it was, for the caller's loop to read.
    @inline(__always)
    mutating func consumeTag(number: UInt32, accepted: UInt8) -> UInt32? {
        guard position < end else { return nil }
        var raw = UInt64(base[position])
        var length = 1
        if raw >= 0x80 {
            raw &= 0x7F
            var shift: UInt64 = 7
            while true {
                guard position + length < end, length < 10 else { return nil }
                let byte = base[position + length]
                length += 1
                raw |= UInt64(byte & 0x7F) &<< shift
                if byte < 0x80 { break }
                shift += 7
            }
        }
        let wireType = UInt32(truncatingIfNeeded: raw & 7)
        guard raw >> 3 == UInt64(number), accepted & (1 &<< UInt8(wireType)) != 0 else { return nil }
        position += length
        return wireType
    }

    /// Reads a value of a wire type other than a group's: its bits (a varint, or a fixed value
    /// zero-extended), or for a length-delimited value its length and where its payload starts.
    @inline(__always)
    mutating func readValue(wireType: UInt32) throws(TranscodingError) -> (bits: UInt64, start: Int) {
        switch wireType {
        case 0: return (try readVarint(), 0)
        case 1: return (try readFixed64(), 0)
        case 5: return (UInt64(try readFixed32()), 0)
        case 2:
            let payload = try readLengthDelimited()
            return (UInt64(payload.count), payload.lowerBound)
        default: throw Self.malformed
        }
    }

    @inline(__always)
    mutating func readFixed32() throws(TranscodingError) -> UInt32 {
        guard end - position >= 4 else { throw Self.malformed }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    @inline(__always)
    mutating func readFixed64() throws(TranscodingError) -> UInt64 {
        guard end - position >= 8 else { throw Self.malformed }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and skips the payload; returns the payload's offsets.
    @inline(__always)
    mutating func readLengthDelimited() throws(TranscodingError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw Self.malformed }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Skips a varint, fixed or length-delimited value (wire types 0, 1, 2, 5).
    @inline(__always)
    mutating func skipValue(wireType: UInt32) throws(TranscodingError) {
        switch wireType {
        case 0: _ = try readVarint()
        case 1: _ = try readFixed64()
        case 2: _ = try readLengthDelimited()
        case 5: _ = try readFixed32()
        default: throw Self.malformed
        }
    }
}
