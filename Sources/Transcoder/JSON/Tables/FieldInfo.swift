import ProtoWire

/// What the codec needs of one field, flattened from ``FieldDescriptor`` into plain values so
/// the hot loops copy no strings and touch no reference counts.
struct FieldInfo: Sendable {
    /// Ways a field's value is written in JSON, beyond its scalar type.
    enum Kind: UInt8, Sendable {
        case scalar
        case enumeration
        /// `google.protobuf.NullValue`, written as `null`.
        case nullValue
        case message
        case group
    }

    let number: UInt32
    let type: FieldDescriptor.FieldType
    let kind: Kind
    let isRepeated: Bool
    let isPacked: Bool
    let isMap: Bool
    /// Written even when it holds its default (oneof members, `optional`, proto2, messages).
    let hasPresence: Bool
    /// The message or enum index in the pool, or -1.
    let typeIndex: Int
    /// Index into the containing message's oneofs (real ones only), or -1.
    let oneofIndex: Int
    /// The tag of one unpacked value, as a varint value.
    let tag: UInt32
    /// Bit `w` is set when a value with wire type `w` belongs to the field: its type's wire
    /// type, and length-delimited too for a packable repeated field (packed or not, protobuf
    /// parsers accept both; encoding guide, "Packed Repeated Fields"). Any other wire type makes
    /// the value an unknown field.
    let acceptedWireTypes: UInt8
    /// A `google.protobuf.Value` field (or map value), which the printer's single pass prints
    /// without going through the general message printer.
    let isValue: Bool

    init(_ field: FieldDescriptor, in message: MessageDescriptor, pool: DescriptorPool) {
        number = UInt32(field.number)
        type = field.type
        isRepeated = field.isRepeated
        isPacked = field.isPacked
        isMap = field.isMap
        hasPresence = field.hasPresence
        switch field.type {
        case .message:
            kind = .message
            typeIndex = field.messageIndex ?? -1
        case .group:
            kind = .group
            typeIndex = field.messageIndex ?? -1
        case .enum:
            typeIndex = field.enumIndex ?? -1
            kind = pool.enums[typeIndex].fullName == "google.protobuf.NullValue" ? .nullValue : .enumeration
        default:
            kind = .scalar
            typeIndex = -1
        }
        if let oneof = field.oneofIndex, !message.oneofs[oneof].isSynthetic {
            oneofIndex = oneof
        } else {
            oneofIndex = -1
        }
        tag = UInt32(field.number) << 3 | UInt32(field.type.wireType.rawValue)
        var accepted: UInt8 = 1 << field.type.wireType.rawValue
        if field.isRepeated && field.type.isPackable { accepted |= 1 << WireType.lengthDelimited.rawValue }
        acceptedWireTypes = accepted
        isValue = field.messageIndex.map { pool.messages[$0].wellKnownType == .value } ?? false
    }

    /// Whether a value with wire type `wireType` (0...7) belongs to this field.
    @inline(__always)
    func accepts(wireType: UInt32) -> Bool { acceptedWireTypes & (1 &<< UInt8(truncatingIfNeeded: wireType & 7)) != 0 }

    /// A proto3 field without presence, whose default value is not written.
    var skipsDefault: Bool { !hasPresence && !isRepeated }
}
