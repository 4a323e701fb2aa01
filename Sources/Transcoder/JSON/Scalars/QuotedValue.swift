import ProtoWire

/// Writes values given as text, the way a ProtoJSON string spells them: the shared rules of the
/// JSON codec's quoted forms and of URL path and query values (``TextValueEncoder``).
///
/// Each writer emits the complete field, tag included, and skips a default value when
/// `skipDefault` (a proto3 field without presence), as protobuf serializers do.
enum QuotedValue {
    /// A number of any numeric `type` (quoted rules: float names allowed).
    static func writeNumber<W: WireSink>(
        _ text: UnsafeRawBufferPointer, type: FieldDescriptor.FieldType, fieldNumber: UInt32, skipDefault: Bool,
        quoted: Bool = true, into writer: inout W
    ) throws(TranscodingError) {
        let payload: UInt64
        do {
            payload = try ScalarPayload.number(text, type: type, quoted: quoted)
        } catch {
            throw TranscodingError(.invalidValue, ScalarPayload.message(error, type: type, text: text, quoted: quoted))
        }
        if skipDefault && payload == 0 { return }
        writer.writeTag(fieldNumber: fieldNumber, wireType: type.wireType)
        ScalarPayload.write(payload, type: type, into: &writer)
    }

    /// A `bytes` value in standard or URL-safe base64, padding optional.
    static func writeBytes<W: WireSink>(
        _ text: UnsafeRawBufferPointer, fieldNumber: UInt32, skipDefault: Bool, into writer: inout W
    ) throws(TranscodingError) {
        if skipDefault && text.isEmpty { return }
        guard Base64Text.decodedLength(text) != nil else {
            throw TranscodingError(.invalidValue, "expected base64 bytes, got \(shown(text))")
        }
        writer.writeTag(fieldNumber: fieldNumber, wireType: .lengthDelimited)
        _ = Base64.writeDecoded(text, into: &writer)
    }

    /// A `string` value (already valid UTF-8).
    static func writeString<W: WireSink>(
        _ text: UnsafeRawBufferPointer, fieldNumber: UInt32, skipDefault: Bool, into writer: inout W
    ) {
        if skipDefault && text.isEmpty { return }
        writer.writeTag(fieldNumber: fieldNumber, wireType: .lengthDelimited)
        writer.writeLengthDelimited(text)
    }

    /// The body of a Timestamp, Duration or FieldMask from its string form.
    static func writeWellKnownBody<W: WireSink>(
        _ text: UnsafeRawBufferPointer, type: WellKnownType, into writer: inout W
    ) throws(TranscodingError) {
        switch type {
        case .timestamp:
            guard let (seconds, nanos) = TimestampText.parse(text) else {
                throw TranscodingError(.invalidValue, "expected RFC 3339 timestamp, got \(shown(text))")
            }
            writeSecondsNanos(seconds, nanos, into: &writer)
        case .duration:
            guard let (seconds, nanos) = DurationText.parse(text) else {
                throw TranscodingError(.invalidValue, "expected duration such as \"1.5s\", got \(shown(text))")
            }
            writeSecondsNanos(seconds, nanos, into: &writer)
        case .fieldMask:
            guard let paths = FieldMaskText.paths(fromJSON: text) else {
                throw TranscodingError(.invalidValue, "expected comma-separated lowerCamelCase paths, got \(shown(text))")
            }
            for path in paths {
                writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
                writer.writeLengthDelimited(path)
            }
        default:
            preconditionFailure("\(type) has no string form")
        }
    }

    static func writeSecondsNanos<W: WireSink>(_ seconds: Int64, _ nanos: Int32, into writer: inout W) {
        if seconds != 0 {
            writer.writeTag(fieldNumber: 1, wireType: .varint)
            writer.writeVarint(UInt64(bitPattern: seconds))
        }
        if nanos != 0 {
            writer.writeTag(fieldNumber: 2, wireType: .varint)
            writer.writeVarint(nanos)
        }
    }

    /// The scalar type of a wrapper's `value` field (`google/protobuf/wrappers.proto`).
    static func wrappedType(_ type: WellKnownType) -> FieldDescriptor.FieldType? {
        switch type {
        case .doubleValue: .double
        case .floatValue: .float
        case .int64Value: .int64
        case .uint64Value: .uint64
        case .int32Value: .int32
        case .uint32Value: .uint32
        case .boolValue: .bool
        case .stringValue: .string
        case .bytesValue: .bytes
        default: nil
        }
    }

    /// Text for an error message: quoted, cut at 64 bytes.
    static func shown(_ text: UnsafeRawBufferPointer) -> String {
        let cut = text.count > 64 ? UnsafeRawBufferPointer(rebasing: text[0..<64]) : text
        var result = "\"" + String(decoding: cut, as: UTF8.self)
        if text.count > 64 { result += "…" }
        return result + "\""
    }
}
