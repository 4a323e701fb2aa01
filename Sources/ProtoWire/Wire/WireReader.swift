/// A cursor over protobuf wire bytes that validates as it reads.
///
/// The reader borrows its buffer: create it inside `withUnsafeBytes` (or with
/// ``withReader(over:_:)``) and do not let it escape. Every `read*` method advances past what it
/// read and throws ``WireDecodingError`` on malformed input; none of them traps or reads past the
/// end. Offsets in errors count from the start of the outermost buffer, also inside nested
/// messages, so an error points at the exact byte.
///
/// A typical decode loop:
/// ```swift
/// while let tag = try reader.readTag() {
///     switch tag.fieldNumber {
///     case 1: name = try reader.readString()
///     case 2: var child = try reader.enterMessage(); try decodeChild(&child)
///     default: try reader.skipField(tag)
///     }
/// }
/// ```
public struct WireReader {
    /// The deepest nesting of messages and groups the reader accepts.
    public static let maximumDepth = 100

    @usableFromInline let base: UnsafeRawBufferPointer
    @usableFromInline var position: Int
    @usableFromInline let end: Int
    /// How many messages or groups enclose this reader's bytes (0 at the top level).
    public let depth: Int
    /// Where the most recent tag returned by ``readTag()`` started.
    @usableFromInline var lastTagStart: Int

    /// Creates a top-level reader over `buffer`.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.init(base: buffer, range: 0..<buffer.count, depth: 0)
    }

    @inlinable
    init(base: UnsafeRawBufferPointer, range: Range<Int>, depth: Int) {
        self.base = base
        self.position = range.lowerBound
        self.end = range.upperBound
        self.depth = depth
        self.lastTagStart = range.lowerBound
    }

    /// Runs `body` with a top-level reader over `bytes`.
    @inlinable
    public static func withReader<R, E: Error>(
        over bytes: [UInt8], _ body: (inout WireReader) throws(E) -> R
    ) throws(E) -> R {
        let result: Result<R, E> = bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            do throws(E) {
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// True when every byte of this reader's range has been consumed.
    @inlinable
    public var isAtEnd: Bool { position >= end }

    /// The current offset from the start of the outermost buffer.
    @inlinable
    public var offset: Int { position }

    /// The number of bytes left in this reader's range.
    @inlinable
    public var remainingCount: Int { end - position }

    /// The bytes at `range` (offsets as reported by this reader). The result borrows the buffer.
    @inlinable
    public func bytes(in range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "range outside the buffer")
        return UnsafeRawBufferPointer(rebasing: base[range])
    }

    // MARK: Scalars

    /// Reads a base-128 varint. The one-byte case is the fast path.
    @inlinable
    public mutating func readVarint() throws(WireDecodingError) -> UInt64 {
        guard position < end else { throw WireDecodingError(.truncatedVarint, at: position) }
        let first = base[position]
        if first < 0x80 {
            position += 1
            return UInt64(first)
        }
        return try readVarintSlowPath()
    }

    @usableFromInline
    mutating func readVarintSlowPath() throws(WireDecodingError) -> UInt64 {
        let start = position
        // With ten bytes in range, no byte needs its own bounds check.
        if end - start >= 10, let pointer = base.baseAddress {
            let bytes = (pointer + start).assumingMemoryBound(to: UInt8.self)
            var result: UInt64 = 0
            for index in 0..<10 {
                let byte = bytes[index]
                result |= UInt64(byte & 0x7F) &<< UInt64(7 * index)
                if byte < 0x80 {
                    position = start + index + 1
                    return result
                }
            }
            throw WireDecodingError(.varintTooLong, at: start)
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = start
        while true {
            guard index < end else { throw WireDecodingError(.truncatedVarint, at: start) }
            guard index - start < 10 else { throw WireDecodingError(.varintTooLong, at: start) }
            let byte = base[index]
            index += 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { break }
            shift += 7
        }
        position = index
        return result
    }

    /// Reads a little-endian 32-bit value (fixed32, sfixed32, float).
    @inlinable
    public mutating func readFixed32() throws(WireDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw WireDecodingError(.truncatedFixed, at: position) }
        let value = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// Reads a little-endian 64-bit value (fixed64, sfixed64, double).
    @inlinable
    public mutating func readFixed64() throws(WireDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw WireDecodingError(.truncatedFixed, at: position) }
        let value = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    // MARK: Tags

    /// Reads the next tag, or returns nil at the end of this reader's range.
    ///
    /// Rejects wire types 6 and 7 and field numbers outside `1...2^29-1`.
    @inlinable
    public mutating func readTag() throws(WireDecodingError) -> FieldTag? {
        guard position < end else { return nil }
        let start = position
        let raw = try readVarint()
        guard raw <= UInt64(UInt32.max) else { throw WireDecodingError(.invalidFieldNumber, at: start) }
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) else {
            throw WireDecodingError(.invalidWireType, at: start)
        }
        let fieldNumber = UInt32(truncatingIfNeeded: raw >> 3)
        guard fieldNumber != 0 else { throw WireDecodingError(.invalidFieldNumber, at: start) }
        lastTagStart = start
        return FieldTag(uncheckedFieldNumber: fieldNumber, wireType: wireType)
    }

    // MARK: Length-delimited values

    /// Reads a length prefix and returns the offsets of the payload, advancing past it.
    @inlinable
    public mutating func readLengthDelimitedRange() throws(WireDecodingError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw WireDecodingError(.lengthOutOfBounds, at: start) }
        let payloadStart = position
        position += Int(length)
        return payloadStart..<position
    }

    /// Reads a length-delimited payload as raw bytes, borrowed from the buffer.
    @inlinable
    public mutating func readBytes() throws(WireDecodingError) -> UnsafeRawBufferPointer {
        bytes(in: try readLengthDelimitedRange())
    }

    /// Reads a length-delimited payload as a `[UInt8]` copy.
    @inlinable
    public mutating func readByteArray() throws(WireDecodingError) -> [UInt8] {
        Array(try readBytes())
    }

    /// Reads a length-delimited payload as a string, rejecting invalid UTF-8.
    @inlinable
    public mutating func readString() throws(WireDecodingError) -> String {
        let range = try readLengthDelimitedRange()
        let payload = bytes(in: range)
        guard UTF8Validation.isValid(payload) else { throw WireDecodingError(.invalidUTF8, at: range.lowerBound) }
        return String(decoding: payload, as: UTF8.self)
    }

    /// Returns a reader over the next length-delimited payload as a nested message, one level
    /// deeper, and advances past it. Throws ``WireDecodingError/Code/nestingTooDeep`` past
    /// ``maximumDepth``.
    @inlinable
    public mutating func enterMessage() throws(WireDecodingError) -> WireReader {
        let start = position
        guard depth < WireReader.maximumDepth else { throw WireDecodingError(.nestingTooDeep, at: start) }
        let range = try readLengthDelimitedRange()
        return WireReader(base: base, range: range, depth: depth + 1)
    }

    /// Returns a reader over the next length-delimited payload at the same depth (for packed
    /// repeated fields), and advances past it.
    @inlinable
    public mutating func enterPacked() throws(WireDecodingError) -> WireReader {
        let range = try readLengthDelimitedRange()
        return WireReader(base: base, range: range, depth: depth)
    }
}
