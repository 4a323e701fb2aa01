import ProtoWire

/// Turns the text of a numeric or bool value into the bits protobuf puts on the wire, following
/// the ProtoJSON rules for each scalar type ("ProtoJSON format", protobuf.dev):
/// - 32-bit integers take a number or a string; integral exponent forms are accepted, fractions
///   and out-of-range values are not;
/// - 64-bit integers likewise, exactly (never through a double);
/// - float and double take a number, or in a string also `NaN`, `Infinity`, `-Infinity`; finite
///   values beyond the type's range are rejected.
///
/// The payload is what the wire holds: the varint (int32 sign-extended to 64 bits, sint
/// zigzagged), or the fixed32 / fixed64 bit pattern. A payload of zero is the field's default.
enum ScalarPayload {
    /// Parses number `text` as a value of `type`. `quoted` says the text came from a JSON string
    /// (or a URL), where float names are allowed.
    static func number(
        _ text: UnsafeRawBufferPointer, type: FieldDescriptor.FieldType, quoted: Bool
    ) throws(NumberText.Failure) -> UInt64 {
        if quoted && (type == .double || type == .float) {
            let double = try NumberText.floating(text, allowNames: true)
            return try floatingPayload(double, type: type)
        }
        guard let shape = NumberText.shape(text) else { throw .notANumber }
        return try number(text, shape: shape, type: type)
    }

    /// ``number(_:type:quoted:)`` for number text (not a float name) whose shape is known.
    @inline(__always)
    static func number(
        _ text: UnsafeRawBufferPointer, shape: NumberText.Shape, type: FieldDescriptor.FieldType
    ) throws(NumberText.Failure) -> UInt64 {
        switch type {
        case .double, .float:
            return try floatingPayload(try NumberText.floating(text, shape: shape), type: type)
        case .bool, .string, .bytes, .message, .group:
            throw .notANumber
        default:
            let (negative, magnitude) = try NumberText.integral(text, shape: shape)
            return try integerPayload(negative: negative, magnitude: magnitude, type: type)
        }
    }

    /// The payload of an integer or enum field holding the integer with `negative` sign and
    /// `magnitude`; throws `.outOfRange` when the type cannot hold it.
    @inline(__always)
    static func integerPayload(
        negative: Bool, magnitude: UInt64, type: FieldDescriptor.FieldType
    ) throws(NumberText.Failure) -> UInt64 {
        switch type {
        case .int32, .sint32, .sfixed32, .enum:
            let limit: UInt64 = negative ? 1 << 31 : (1 << 31) - 1
            guard magnitude <= limit else { throw .outOfRange }
            let value = negative ? Int32(truncatingIfNeeded: 0 &- Int64(magnitude)) : Int32(magnitude)
            switch type {
            case .sint32: return UInt64(ZigZag.encode(value))
            case .sfixed32: return UInt64(UInt32(bitPattern: value))
            default: return UInt64(bitPattern: Int64(value))
            }
        case .int64, .sint64, .sfixed64:
            let limit: UInt64 = negative ? 1 << 63 : (1 << 63) - 1
            guard magnitude <= limit else { throw .outOfRange }
            let value = negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
            return type == .sint64 ? ZigZag.encode(value) : UInt64(bitPattern: value)
        case .uint32, .fixed32:
            guard !negative || magnitude == 0 else { throw .outOfRange }
            guard magnitude <= UInt64(UInt32.max) else { throw .outOfRange }
            return magnitude
        case .uint64, .fixed64:
            guard !negative || magnitude == 0 else { throw .outOfRange }
            return magnitude
        default:
            throw .notANumber
        }
    }

    /// The bits of a double or float field; a finite double beyond float's range is rejected.
    @inline(__always)
    static func floatingPayload(_ double: Double, type: FieldDescriptor.FieldType) throws(NumberText.Failure) -> UInt64 {
        guard type == .float else { return double.bitPattern }
        let float = Float(double)
        if double.isFinite && !float.isFinite { throw .outOfRange }
        return UInt64(float.bitPattern)
    }

    /// Writes `payload` as a value of `type` (no tag).
    @inline(__always)
    static func write<W: WireSink>(_ payload: UInt64, type: FieldDescriptor.FieldType, into writer: inout W) {
        switch type.wireType {
        case .fixed32: writer.writeFixed32(UInt32(truncatingIfNeeded: payload))
        case .fixed64: writer.writeFixed64(payload)
        default: writer.writeVarint(payload)
        }
    }

    /// The ProtoJSON name of a scalar type, for error messages.
    static func typeName(_ type: FieldDescriptor.FieldType) -> String {
        switch type {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .group: "group"
        case .message: "message"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .enum: "enum"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        }
    }

    /// `expected int32, got "ten"` and its variants for a failed parse.
    static func message(
        _ failure: NumberText.Failure, type: FieldDescriptor.FieldType, text: UnsafeRawBufferPointer, quoted: Bool
    ) -> String {
        let shown = quoted ? "\"\(String(decoding: text, as: UTF8.self))\"" : String(decoding: text, as: UTF8.self)
        let name = typeName(type)
        switch failure {
        case .notANumber: return "expected \(name), got \(shown)"
        case .fractional: return "expected \(name), got \(shown) (not an integer)"
        case .outOfRange: return "expected \(name), got \(shown) (out of range)"
        }
    }
}
