/// A resolved field of a message (or an extension), as `FieldDescriptorProto` describes it.
public struct FieldDescriptor: Sendable, Hashable {
    /// `FieldDescriptorProto.Label`.
    public enum Label: Int32, Sendable, Hashable {
        case optional = 1
        case required = 2
        case repeated = 3
    }

    /// `FieldDescriptorProto.Type`; raw values are the descriptor.proto numbers.
    public enum FieldType: Int32, Sendable, Hashable, CaseIterable {
        case double = 1
        case float = 2
        case int64 = 3
        case uint64 = 4
        case int32 = 5
        case fixed64 = 6
        case fixed32 = 7
        case bool = 8
        case string = 9
        case group = 10
        case message = 11
        case bytes = 12
        case uint32 = 13
        case `enum` = 14
        case sfixed32 = 15
        case sfixed64 = 16
        case sint32 = 17
        case sint64 = 18

        /// The wire type a single value of this type uses.
        public var wireType: WireType {
            switch self {
            case .double, .fixed64, .sfixed64: .fixed64
            case .float, .fixed32, .sfixed32: .fixed32
            case .int64, .uint64, .int32, .bool, .uint32, .enum, .sint32, .sint64: .varint
            case .string, .bytes, .message: .lengthDelimited
            case .group: .startGroup
            }
        }

        /// Whether a repeated field of this type may use the packed encoding (numeric scalars and enums).
        public var isPackable: Bool {
            switch self {
            case .string, .bytes, .message, .group: false
            default: true
            }
        }
    }

    public let name: String
    /// `package.Message.field`, or for an extension its own scope and name.
    public let fullName: String
    public let number: Int32
    public let label: Label
    public let type: FieldType
    /// The resolved full name (no leading dot) of the message or enum type, or nil for scalars.
    public let typeName: String?
    /// Index into ``DescriptorPool/messages`` for message and group fields.
    public let messageIndex: Int?
    /// Index into ``DescriptorPool/enums`` for enum fields.
    public let enumIndex: Int?
    /// The JSON name: the declared `json_name`, or the lowerCamel name protoc derives.
    public let jsonName: String
    /// Whether `json_name` was set explicitly in the schema.
    public let hasExplicitJSONName: Bool
    /// Index into the containing message's ``MessageDescriptor/oneofs``, synthetic oneofs included.
    public let oneofIndex: Int?
    /// A proto3 `optional` field (which lives in a synthetic oneof).
    public let isProto3Optional: Bool
    /// The proto2 `default` as written in the descriptor (text form), if any.
    public let defaultValue: String?
    /// The `packed` option when set explicitly.
    public let packedOption: Bool?
    /// Whether a writer packs this field: repeated, packable, and packed explicitly or by proto3 default.
    public let isPacked: Bool
    /// A `map<K, V>` field: repeated, of a synthesized map-entry message.
    public let isMap: Bool
    /// Whether the field tracks presence: singular message fields, oneof members, proto3
    /// `optional`, and every singular proto2 field.
    public let hasPresence: Bool
    /// Whether a string value must be valid UTF-8: proto3, and editions unless
    /// `features.utf8_validation = NONE`. proto2 strings are not checked.
    public let validatesUTF8: Bool
    /// For extensions: the extended message's full name and index.
    public let extendee: String?
    public let extendeeIndex: Int?
    public let options: RawOptions

    /// Repeated, map fields included.
    public var isRepeated: Bool { label == .repeated }

    /// The wire type a single value of this field uses (ignoring packing).
    public var wireType: WireType { type.wireType }

    init(
        name: String, fullName: String, number: Int32, label: Label, type: FieldType, typeName: String?,
        messageIndex: Int?, enumIndex: Int?, jsonName: String, hasExplicitJSONName: Bool, oneofIndex: Int?,
        isProto3Optional: Bool, defaultValue: String?, packedOption: Bool?, isPacked: Bool, isMap: Bool,
        hasPresence: Bool, validatesUTF8: Bool, extendee: String?, extendeeIndex: Int?, options: RawOptions
    ) {
        self.name = name
        self.fullName = fullName
        self.number = number
        self.label = label
        self.type = type
        self.typeName = typeName
        self.messageIndex = messageIndex
        self.enumIndex = enumIndex
        self.jsonName = jsonName
        self.hasExplicitJSONName = hasExplicitJSONName
        self.oneofIndex = oneofIndex
        self.isProto3Optional = isProto3Optional
        self.defaultValue = defaultValue
        self.packedOption = packedOption
        self.isPacked = isPacked
        self.isMap = isMap
        self.hasPresence = hasPresence
        self.validatesUTF8 = validatesUTF8
        self.extendee = extendee
        self.extendeeIndex = extendeeIndex
        self.options = options
    }
}

/// A `oneof` of a message. Proto3 `optional` fields each get a synthetic one.
public struct OneofDescriptor: Sendable, Hashable {
    public let name: String
    /// Indices into the containing message's ``MessageDescriptor/fields``.
    public let fieldIndices: [Int]
    /// True for the oneof protoc synthesizes around a proto3 `optional` field.
    public let isSynthetic: Bool
    public let options: RawOptions
}

/// Derives a field's JSON name the way protoc does when `json_name` is not set: drop each
/// underscore and upper-case the letter after it (`descriptor.cc`, `ToJsonName`).
public func protocJSONName(_ name: String) -> String {
    var result = ""
    result.reserveCapacity(name.utf8.count)
    var capitalizeNext = false
    for scalar in name.unicodeScalars {
        if scalar == "_" {
            capitalizeNext = true
        } else if capitalizeNext {
            // ASCII only, as protoc's ToUpper: identifiers are ASCII.
            result.unicodeScalars.append(scalar >= "a" && scalar <= "z" ? Unicode.Scalar(scalar.value - 32)! : scalar)
            capitalizeNext = false
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
