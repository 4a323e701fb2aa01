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
    }

    /// A proto3 field without presence, whose default value is not written.
    var skipsDefault: Bool { !hasPresence && !isRepeated }
}
