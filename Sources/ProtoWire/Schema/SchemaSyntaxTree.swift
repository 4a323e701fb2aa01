/// The parsed form of one `.proto` file, before any name is resolved: what the parser builds and
/// the linker turns into ``DescriptorProto`` values. Every node keeps the location of its name
/// (and of its type and number where it has them), so the linker can point at the fault.
///
/// Synthesized parts that protoc's parser creates (map entry messages, group messages, the
/// synthetic oneofs of proto3 `optional`) are already in place here, in protoc's order.
enum SchemaSyntaxTree {
    struct File {
        var name: String
        var syntax = "proto2"
        /// Whether a `syntax` statement was present (protoc writes `syntax` only for proto3).
        var hasSyntaxStatement = false
        var package = ""
        var packageLocation: SchemaLocation?
        var imports: [Import] = []
        var options: [Option] = []
        var messages: [Message] = []
        var enums: [Enum] = []
        var services: [Service] = []
        var extensions: [Field] = []
    }

    struct Import {
        enum Kind { case normal, `public`, weak }
        var path: String
        var kind: Kind
        var location: SchemaLocation
    }

    /// `option (a.b).c = value;` or `[ (a.b).c = value ]`.
    struct Option {
        var name: [NamePart]
        var value: Value
        var location: SchemaLocation
        var valueLocation: SchemaLocation
    }

    struct NamePart {
        var name: String
        var isExtension: Bool
        var location: SchemaLocation
    }

    /// A constant (option value or default), kept as written until the field type is known.
    enum Value: Hashable {
        case identifier(String)
        case integer(negative: Bool, magnitude: UInt64)
        case float(Double)
        case string([UInt8])
        case aggregate([AggregateField])
    }

    /// One `name: value` of a text-format aggregate value.
    struct AggregateField: Hashable {
        /// A plain field name, or the contents of `[...]` (an extension name or a type URL).
        var name: String
        var isExtension: Bool
        var values: [AggregateValue]
        var location: SchemaLocation
    }

    indirect enum AggregateValue: Hashable {
        case scalar(Value, SchemaLocation)
        case message([AggregateField], SchemaLocation)
    }

    struct Message {
        var name: String
        var location: SchemaLocation
        var fields: [Field] = []
        var oneofs: [Oneof] = []
        var nested: [Message] = []
        var enums: [Enum] = []
        var extensions: [Field] = []
        var extensionRanges: [Range] = []
        var reservedRanges: [Range] = []
        var reservedNames: [(String, SchemaLocation)] = []
        var options: [Option] = []
        var isMapEntry = false
    }

    struct Range {
        var start: Int32
        var end: Int32  // inclusive
        var location: SchemaLocation
        var options: [Option] = []
    }

    struct Field {
        enum Label: Int32 { case optional = 1, required = 2, repeated = 3 }
        var name: String
        var location: SchemaLocation
        /// nil when no label was written (proto3 singular, oneof members, map fields).
        var label: Label?
        /// The scalar type's number, or nil for a named type still to resolve.
        var scalarType: Int32?
        var typeName: String
        var typeLocation: SchemaLocation
        var number: Int32
        var numberLocation: SchemaLocation
        var options: [Option] = []
        var defaultValue: Value?
        var defaultLocation: SchemaLocation?
        var jsonName: String?
        var oneofIndex: Int32?
        var proto3Optional = false
        var isGroup = false
        var isMap = false
        /// For extensions: the extendee as written.
        var extendee: String?
        var extendeeLocation: SchemaLocation?
    }

    struct Oneof {
        var name: String
        var location: SchemaLocation
        var options: [Option] = []
        var isSynthetic = false
    }

    struct Enum {
        var name: String
        var location: SchemaLocation
        var values: [EnumValue] = []
        var options: [Option] = []
        var reservedRanges: [Range] = []
        var reservedNames: [(String, SchemaLocation)] = []
    }

    struct EnumValue {
        var name: String
        var location: SchemaLocation
        var number: Int32
        var options: [Option] = []
    }

    struct Service {
        var name: String
        var location: SchemaLocation
        var methods: [Method] = []
        var options: [Option] = []
    }

    struct Method {
        var name: String
        var location: SchemaLocation
        var inputType: String
        var inputLocation: SchemaLocation
        var outputType: String
        var outputLocation: SchemaLocation
        var clientStreaming = false
        var serverStreaming = false
        var options: [Option] = []
    }
}
