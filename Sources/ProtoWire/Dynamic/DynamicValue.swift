/// One value of a ``DynamicMessage`` field: a scalar, an enum number, or a nested message.
///
/// Cases follow the in-memory kinds of the protobuf language guide ("Scalar Value Types"), not
/// the wire encodings: `sint32` and `sfixed32` values are both ``int32(_:)``, `fixed64` values are
/// ``uint64(_:)``, and so on. The owning field's descriptor says how a value goes on the wire.
///
/// Equality compares floating-point values by bit pattern, so that a message equals itself when
/// it holds a NaN, and `-0.0` differs from `0.0` (they encode differently); strings compare by
/// their UTF-8 bytes rather than by Unicode canonical equivalence.
public enum DynamicValue: Sendable {
    /// `int32`, `sint32`, `sfixed32`.
    case int32(Int32)
    /// `int64`, `sint64`, `sfixed64`.
    case int64(Int64)
    /// `uint32`, `fixed32`.
    case uint32(UInt32)
    /// `uint64`, `fixed64`.
    case uint64(UInt64)
    /// `float`.
    case float(Float)
    /// `double`.
    case double(Double)
    /// `bool`.
    case bool(Bool)
    /// A `string` field holding valid UTF-8.
    case string(String)
    /// A `bytes` field, or a proto2 `string` field whose payload is not valid UTF-8 (protobuf does
    /// not check proto2 strings, and keeping the raw bytes lets them re-encode unchanged).
    case bytes([UInt8])
    /// An enum field's number; open enums keep numbers their descriptor does not list.
    case `enum`(Int32)
    /// A message field, including each entry of a `map<K, V>` field (a map-entry message with
    /// key field 1 and value field 2).
    indirect case message(DynamicMessage)
    /// A proto2 group, delimited on the wire by start- and end-group tags.
    indirect case group(DynamicMessage)
}

extension DynamicValue {
    /// The nested message of a ``message(_:)`` or ``group(_:)`` value.
    public var messageValue: DynamicMessage? {
        switch self {
        case .message(let message), .group(let message): message
        default: nil
        }
    }

    /// Whether this is the value an implicit-presence (proto3 singular) field is omitted for:
    /// zero, `false`, empty, or positive zero (`-0.0` is written, as protobuf C++ does).
    var isImplicitDefault: Bool {
        switch self {
        case .int32(let value): value == 0
        case .int64(let value): value == 0
        case .uint32(let value): value == 0
        case .uint64(let value): value == 0
        case .float(let value): value.bitPattern == 0
        case .double(let value): value.bitPattern == 0
        case .bool(let value): !value
        case .string(let value): value.isEmpty
        case .bytes(let value): value.isEmpty
        case .enum(let value): value == 0
        case .message, .group: false
        }
    }

    /// Whether this value's case can be stored in a field of `type`.
    func fits(_ type: FieldDescriptor.FieldType) -> Bool {
        switch (self, type) {
        case (.int32, .int32), (.int32, .sint32), (.int32, .sfixed32): true
        case (.int64, .int64), (.int64, .sint64), (.int64, .sfixed64): true
        case (.uint32, .uint32), (.uint32, .fixed32): true
        case (.uint64, .uint64), (.uint64, .fixed64): true
        case (.float, .float), (.double, .double), (.bool, .bool), (.enum, .enum): true
        case (.string, .string), (.bytes, .bytes), (.bytes, .string): true
        case (.message, .message), (.group, .group): true
        default: false
        }
    }

    /// The zero value of a scalar `type`, as a map entry writes for a missing key or value.
    static func zero(of type: FieldDescriptor.FieldType) -> DynamicValue {
        switch type {
        case .int32, .sint32, .sfixed32: .int32(0)
        case .int64, .sint64, .sfixed64: .int64(0)
        case .uint32, .fixed32: .uint32(0)
        case .uint64, .fixed64: .uint64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .bool: .bool(false)
        case .string: .string("")
        case .bytes: .bytes([])
        case .enum: .enum(0)
        case .message, .group: preconditionFailure("message fields have no scalar zero")
        }
    }
}

extension DynamicValue: Hashable {
    public static func == (lhs: DynamicValue, rhs: DynamicValue) -> Bool {
        switch (lhs, rhs) {
        case (.int32(let a), .int32(let b)): a == b
        case (.int64(let a), .int64(let b)): a == b
        case (.uint32(let a), .uint32(let b)): a == b
        case (.uint64(let a), .uint64(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.bytes(let a), .bytes(let b)): a == b
        case (.enum(let a), .enum(let b)): a == b
        case (.message(let a), .message(let b)), (.group(let a), .group(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .int32(let value):
            hasher.combine(0 as UInt8)
            hasher.combine(value)
        case .int64(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .uint32(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value)
        case .uint64(let value):
            hasher.combine(3 as UInt8)
            hasher.combine(value)
        case .float(let value):
            hasher.combine(4 as UInt8)
            hasher.combine(value.bitPattern)
        case .double(let value):
            hasher.combine(5 as UInt8)
            hasher.combine(value.bitPattern)
        case .bool(let value):
            hasher.combine(6 as UInt8)
            hasher.combine(value)
        case .string(let value):
            hasher.combine(7 as UInt8)
            hasher.combine(value)
        case .bytes(let value):
            hasher.combine(8 as UInt8)
            hasher.combine(value)
        case .enum(let value):
            hasher.combine(9 as UInt8)
            hasher.combine(value)
        case .message(let value):
            hasher.combine(10 as UInt8)
            hasher.combine(value)
        case .group(let value):
            hasher.combine(11 as UInt8)
            hasher.combine(value)
        }
    }
}
