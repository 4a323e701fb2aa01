/// The six wire types of the protobuf binary encoding.
///
/// See "Message Structure" in the protobuf encoding guide: the low three bits of every tag carry
/// the wire type; values 6 and 7 are not assigned and are rejected by the reader.
public enum WireType: UInt8, Sendable, Hashable, CaseIterable {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    case varint = 0
    /// fixed64, sfixed64, double.
    case fixed64 = 1
    /// string, bytes, embedded messages, packed repeated fields.
    case lengthDelimited = 2
    /// proto2 group start (deprecated by protobuf, still on the wire in old schemas).
    case startGroup = 3
    /// proto2 group end.
    case endGroup = 4
    /// fixed32, sfixed32, float.
    case fixed32 = 5
}

/// A decoded field tag: a field number and the wire type of the value that follows.
public struct FieldTag: Sendable, Hashable, CustomStringConvertible {
    /// The largest field number protobuf allows, 2^29 - 1.
    public static let maximumFieldNumber: UInt32 = (1 << 29) - 1

    public let fieldNumber: UInt32
    public let wireType: WireType

    /// Creates a tag. The field number must be in `1...maximumFieldNumber`; a number outside is a
    /// programmer error here, since values read off the wire are validated by ``WireReader``.
    @inlinable
    public init(fieldNumber: UInt32, wireType: WireType) {
        precondition(fieldNumber >= 1 && fieldNumber <= FieldTag.maximumFieldNumber, "field number out of range")
        self.fieldNumber = fieldNumber
        self.wireType = wireType
    }

    @inlinable
    init(uncheckedFieldNumber: UInt32, wireType: WireType) {
        self.fieldNumber = uncheckedFieldNumber
        self.wireType = wireType
    }

    /// The tag as it is encoded on the wire, before varint encoding.
    @inlinable
    public var rawValue: UInt32 { fieldNumber << 3 | UInt32(wireType.rawValue) }

    public var description: String { "\(fieldNumber):\(wireType)" }
}
