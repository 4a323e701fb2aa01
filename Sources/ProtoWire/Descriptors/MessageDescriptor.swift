/// A resolved message type.
public struct MessageDescriptor: Sendable, Hashable {
    public let name: String
    public let fullName: String
    /// This message's index in ``DescriptorPool/messages``.
    public let index: Int
    /// Index into ``DescriptorPool/files`` of the defining file.
    public let fileIndex: Int
    /// The enclosing message for nested types.
    public let containingMessageIndex: Int?
    /// Fields in declaration order.
    public let fields: [FieldDescriptor]
    /// Indices into ``fields`` in ascending field-number order (the order ProtoJSON and the wire
    /// encoding use).
    public let fieldIndicesByNumber: [Int]
    public let oneofs: [OneofDescriptor]
    public let nestedMessageIndices: [Int]
    public let nestedEnumIndices: [Int]
    public let extensionRanges: [ClosedRange<Int32>]
    public let reservedRanges: [ClosedRange<Int32>]
    public let reservedNames: [String]
    /// A synthesized `map<K, V>` entry (`MessageOptions.map_entry`, field 7).
    public let isMapEntry: Bool
    public let syntax: Syntax
    /// The well-known type this message is, if any; ProtoJSON gives these special forms.
    public let wellKnownType: WellKnownType?
    public let options: RawOptions
    let fieldIndexByNumber: [Int32: Int]
    let fieldIndexByName: [String: Int]

    /// The field with `number`, or nil.
    public func field(number: Int32) -> FieldDescriptor? {
        fieldIndexByNumber[number].map { fields[$0] }
    }

    /// The field with proto name `name`, or nil.
    public func field(named name: String) -> FieldDescriptor? {
        fieldIndexByName[name].map { fields[$0] }
    }

    /// Index into ``fields`` of the field with `number`.
    public func fieldIndex(number: Int32) -> Int? {
        fieldIndexByNumber[number]
    }

    /// For a map entry: the key (field 1) and value (field 2) fields.
    public var mapKeyField: FieldDescriptor? { isMapEntry ? field(number: 1) : nil }
    public var mapValueField: FieldDescriptor? { isMapEntry ? field(number: 2) : nil }
}

/// The protobuf language level of a file (`FileDescriptorProto.syntax`, `edition`).
public enum Syntax: Sendable, Hashable, CustomStringConvertible {
    case proto2
    case proto3
    /// An editions file, with its `Edition` number.
    case editions(Int32)

    public var description: String {
        switch self {
        case .proto2: "proto2"
        case .proto3: "proto3"
        case .editions(let edition): "editions(\(edition))"
        }
    }
}

/// Messages in `google/protobuf/*.proto` that ProtoJSON maps to special forms.
public enum WellKnownType: String, Sendable, Hashable, CaseIterable {
    case any = "google.protobuf.Any"
    case timestamp = "google.protobuf.Timestamp"
    case duration = "google.protobuf.Duration"
    case fieldMask = "google.protobuf.FieldMask"
    case `struct` = "google.protobuf.Struct"
    case value = "google.protobuf.Value"
    case listValue = "google.protobuf.ListValue"
    case empty = "google.protobuf.Empty"
    case doubleValue = "google.protobuf.DoubleValue"
    case floatValue = "google.protobuf.FloatValue"
    case int64Value = "google.protobuf.Int64Value"
    case uint64Value = "google.protobuf.UInt64Value"
    case int32Value = "google.protobuf.Int32Value"
    case uint32Value = "google.protobuf.UInt32Value"
    case boolValue = "google.protobuf.BoolValue"
    case stringValue = "google.protobuf.StringValue"
    case bytesValue = "google.protobuf.BytesValue"

    /// True for the nine wrapper types, whose JSON form is their `value` field's.
    public var isWrapper: Bool {
        switch self {
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
            .stringValue, .bytesValue:
            true
        default: false
        }
    }
}
