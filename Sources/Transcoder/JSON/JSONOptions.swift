/// Options of the ProtoJSON codec ("ProtoJSON format", protobuf.dev, "JSON Options"). The
/// defaults follow the spec: omit fields at their default, lowerCamelCase names, enum names,
/// reject unknown fields, compact output.
public struct JSONOptions: Sendable, Hashable {
    /// proto → JSON: also print fields without presence that hold their default value, empty
    /// repeated fields as `[]` and empty maps as `{}`.
    public var emitDefaults = false
    /// proto → JSON: use the proto field names instead of the JSON (lowerCamelCase) names.
    public var useProtoNames = false
    /// proto → JSON: print enum values as numbers instead of names.
    public var enumsAsInts = false
    /// JSON → proto: skip unknown keys and unknown enum names instead of failing.
    public var ignoreUnknownFields = false
    /// proto → JSON: indent nested members by this many spaces (0 = compact, one line).
    public var indent = 0
    /// JSON → proto: the largest input accepted, in bytes. Callers that stream should check
    /// this before buffering.
    public var maximumInputSize = 64 << 20
    /// JSON → proto: the longest string value or key accepted, in bytes after unescaping.
    public var maximumStringLength = 16 << 20
    /// Nesting of JSON objects and arrays, and of protobuf messages, is limited to this depth.
    public static let maximumDepth = 100

    public init(
        emitDefaults: Bool = false, useProtoNames: Bool = false, enumsAsInts: Bool = false,
        ignoreUnknownFields: Bool = false, indent: Int = 0
    ) {
        self.emitDefaults = emitDefaults
        self.useProtoNames = useProtoNames
        self.enumsAsInts = enumsAsInts
        self.ignoreUnknownFields = ignoreUnknownFields
        self.indent = indent
    }
}
