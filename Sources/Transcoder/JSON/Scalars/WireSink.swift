import ProtoWire

/// Where the scalar writers put protobuf bytes: ProtoWire's ``WireWriter`` (the router builds
/// requests with it) or the JSON decoder's raw ``OutputBuffer``. The writers are generic over it,
/// so each caller gets a specialized copy with no dynamic dispatch.
protocol WireSink {
    associatedtype Mark
    mutating func writeVarint(_ value: UInt64)
    mutating func writeFixed32(_ value: UInt32)
    mutating func writeFixed64(_ value: UInt64)
    mutating func writeTag(fieldNumber: UInt32, wireType: WireType)
    mutating func writeLengthDelimited(_ payload: UnsafeRawBufferPointer)
    mutating func writeRaw(_ raw: UnsafeRawBufferPointer)
    mutating func beginLengthDelimited() -> Mark
    mutating func endLengthDelimited(_ mark: Mark)
}

extension WireSink {
    /// An int32 or enum value: negative values are sign-extended to 64 bits (10 bytes).
    @inline(__always)
    mutating func writeVarint(_ value: Int32) { writeVarint(UInt64(bitPattern: Int64(value))) }
}

extension WireWriter: WireSink {}

extension WireSink {
    /// A length prefix and the bytes of `payload`.
    mutating func writeLengthDelimited(_ payload: [UInt8]) {
        payload.withUnsafeBytes { writeLengthDelimited($0) }
    }
}
