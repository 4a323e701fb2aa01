/// Exact encoded sizes, so that an encoder can size its buffer once before it writes.
public enum WireSize {
    /// Bytes taken by `value` as a varint (1...10).
    @inlinable
    public static func varint(_ value: UInt64) -> Int {
        // Each byte carries 7 bits; an all-zero value still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Bytes taken by `value` as an int32/enum varint: negative values are sign-extended to 10 bytes.
    @inlinable
    public static func varint(_ value: Int32) -> Int {
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// Bytes taken by a tag for `fieldNumber` (any wire type).
    @inlinable
    public static func tag(fieldNumber: UInt32) -> Int {
        varint(UInt64(fieldNumber) << 3)
    }

    /// Bytes taken by a length-delimited value with a `count`-byte payload, prefix included.
    @inlinable
    public static func lengthDelimited(_ count: Int) -> Int {
        varint(UInt64(count)) + count
    }
}
