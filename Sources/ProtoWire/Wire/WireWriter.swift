/// Appends protobuf wire encoding to one growing buffer.
///
/// Callers that know the size up front pass it as `capacity` (see ``WireSize``), so the buffer is
/// allocated once. Callers that stream, such as the JSON transcoder, open a nested message with
/// ``beginLengthDelimited()`` and close it with ``endLengthDelimited(_:)``: one byte is reserved
/// for the length and back-patched, and only a payload of 128 bytes or more moves, by the few
/// bytes its longer prefix needs.
public struct WireWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// The bytes written so far.
    @inlinable
    public var bytes: [UInt8] { storage }

    /// Marks an open length-delimited value. Close it with ``WireWriter/endLengthDelimited(_:)``.
    public struct LengthMark: Sendable {
        @usableFromInline let prefixOffset: Int
        @usableFromInline init(prefixOffset: Int) { self.prefixOffset = prefixOffset }
    }

    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    @inlinable
    public var count: Int { storage.count }

    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    // MARK: Scalars

    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            storage.append(UInt8(truncatingIfNeeded: value))
        } else {
            writeMultiByteVarint(value)
        }
    }

    /// Encodes into a stack scratch buffer first, so the array is grown and checked once.
    @usableFromInline
    mutating func writeMultiByteVarint(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { scratch in
            var value = value
            var index = 0
            while value >= 0x80 {
                scratch[index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                index += 1
            }
            scratch[index] = UInt8(truncatingIfNeeded: value)
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0...index]))
        }
    }

    /// Writes an int32 or enum value: negative values are sign-extended to 64 bits (10 bytes).
    @inlinable
    public mutating func writeVarint(_ value: Int32) {
        writeVarint(UInt64(bitPattern: Int64(value)))
    }

    @inlinable
    public mutating func writeFixed32(_ value: UInt32) {
        appendLittleEndian(value)
    }

    @inlinable
    public mutating func writeFixed64(_ value: UInt64) {
        appendLittleEndian(value)
    }

    /// Appends the bytes of `value` through a typed scratch buffer: `Array.append(contentsOf:)`
    /// copies a typed buffer with one `memcpy` but a raw one byte by byte.
    @inlinable
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MemoryLayout<T>.size) { scratch in
            UnsafeMutableRawBufferPointer(scratch).storeBytes(of: value.littleEndian, as: T.self)
            storage.append(contentsOf: scratch)
        }
    }

    @inlinable
    public mutating func writeTag(_ tag: FieldTag) {
        writeVarint(UInt64(tag.rawValue))
    }

    @inlinable
    public mutating func writeTag(fieldNumber: UInt32, wireType: WireType) {
        writeTag(FieldTag(fieldNumber: fieldNumber, wireType: wireType))
    }

    // MARK: Length-delimited values

    /// Writes a length prefix and the payload.
    @inlinable
    public mutating func writeLengthDelimited(_ payload: UnsafeRawBufferPointer) {
        writeVarint(UInt64(payload.count))
        // A typed buffer is appended with one memcpy; a raw one element by element.
        storage.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
    }

    @inlinable
    public mutating func writeLengthDelimited(_ payload: [UInt8]) {
        payload.withUnsafeBytes { writeLengthDelimited($0) }
    }

    @inlinable
    public mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeLengthDelimited(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes verbatim, e.g. preserved unknown fields.
    @inlinable
    public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        storage.append(contentsOf: raw.assumingMemoryBound(to: UInt8.self))
    }

    @inlinable
    public mutating func writeRaw(_ raw: [UInt8]) {
        storage.append(contentsOf: raw)
    }

    /// Reserves one byte for a length prefix; write the payload, then call ``endLengthDelimited(_:)``.
    @inlinable
    public mutating func beginLengthDelimited() -> LengthMark {
        let mark = LengthMark(prefixOffset: storage.count)
        storage.append(0)
        return mark
    }

    /// Back-patches the length prefix reserved by `mark`, moving the payload only when its length
    /// needs more than one byte.
    @inlinable
    public mutating func endLengthDelimited(_ mark: LengthMark) {
        let payloadStart = mark.prefixOffset + 1
        let length = storage.count - payloadStart
        if length < 0x80 {
            storage[mark.prefixOffset] = UInt8(truncatingIfNeeded: length)
            return
        }
        let prefixSize = WireSize.varint(UInt64(length))
        let shift = prefixSize - 1
        storage.append(contentsOf: repeatElement(0, count: shift))
        storage.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            (base + payloadStart + shift).copyMemory(from: base + payloadStart, byteCount: length)
            var value = UInt64(length)
            var index = mark.prefixOffset
            while value >= 0x80 {
                buffer[index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                index += 1
            }
            buffer[index] = UInt8(truncatingIfNeeded: value)
        }
    }

    /// Writes a start-group tag, the body, and the matching end-group tag.
    @inlinable
    public mutating func writeGroup(fieldNumber: UInt32, _ body: (inout WireWriter) -> Void) {
        writeTag(fieldNumber: fieldNumber, wireType: .startGroup)
        body(&self)
        writeTag(fieldNumber: fieldNumber, wireType: .endGroup)
    }
}
