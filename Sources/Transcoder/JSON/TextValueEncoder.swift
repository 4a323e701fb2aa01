import ProtoWire

/// Encodes single values taken from a URL — a path segment bound by a `google.api.http`
/// template variable, or a query parameter — as protobuf fields.
///
/// `google/api/http.proto` maps such values to fields of the request message; they are written
/// the way ProtoJSON writes the value inside a JSON string, so `?start_time=2024-01-01T00:00:00Z`
/// and `{"startTime": "2024-01-01T00:00:00Z"}` mean the same.
///
/// ```swift
/// var writer = WireWriter()
/// try TextValueEncoder.encode("42", as: shelfField, pool: pool, into: &writer)
/// ```
public enum TextValueEncoder {
    /// Encodes `text` — one value as it appears in a URL path segment or query parameter, already
    /// percent-decoded — as the value of `field`, appending the complete field (tag included) to `writer`.
    /// Scalars, enums (name or number), bytes (standard or URL-safe base64, padding optional), and
    /// the well-known types with a string/scalar JSON form (Timestamp, Duration, FieldMask, all wrappers)
    /// are accepted, with the same rules as the JSON codec's quoted-string forms. Repeated fields get one
    /// element per call. Message fields other than those well-known types are rejected.
    ///
    /// Bools are `true` or `false`. A default value of a proto3 field without presence (`0`, `""`)
    /// writes nothing, as a protobuf serializer would; repeated elements and fields with presence
    /// are always written. Errors carry the field's JSON name as their path; after an error the
    /// writer may hold part of the field and should be discarded with the request.
    public static func encode(
        _ text: Substring, as field: FieldDescriptor, pool: DescriptorPool, into writer: inout WireWriter
    ) throws(TranscodingError) {
        var text = text
        let result: Result<Void, TranscodingError> = text.withUTF8 { utf8 in
            do throws(TranscodingError) {
                try encode(UnsafeRawBufferPointer(utf8), as: field, pool: pool, into: &writer)
                return .success(())
            } catch {
                return .failure(error.inField(field.jsonName))
            }
        }
        try result.get()
    }

    static func encode<W: WireSink>(
        _ text: UnsafeRawBufferPointer, as field: FieldDescriptor, pool: DescriptorPool, into writer: inout W
    ) throws(TranscodingError) {
        if field.isMap {
            throw TranscodingError(.unsupportedType, "map fields cannot be set from a URL value")
        }
        let number = UInt32(field.number)
        let skipDefault = !field.isRepeated && !field.hasPresence
        switch field.type {
        case .string:
            QuotedValue.writeString(text, fieldNumber: number, skipDefault: skipDefault, into: &writer)
        case .bytes:
            try QuotedValue.writeBytes(text, fieldNumber: number, skipDefault: skipDefault, into: &writer)
        case .bool:
            try writeBool(text, fieldNumber: number, skipDefault: skipDefault, into: &writer)
        case .enum:
            try writeEnum(text, field: field, pool: pool, skipDefault: skipDefault, into: &writer)
        case .message:
            try writeWellKnown(text, field: field, pool: pool, into: &writer)
        case .group:
            throw TranscodingError(.unsupportedType, "group fields cannot be set from a URL value")
        default:
            try QuotedValue.writeNumber(text, type: field.type, fieldNumber: number, skipDefault: skipDefault, into: &writer)
        }
    }

    static func writeBool<W: WireSink>(
        _ text: UnsafeRawBufferPointer, fieldNumber: UInt32, skipDefault: Bool, into writer: inout W
    ) throws(TranscodingError) {
        let value: Bool
        if NumberText.equals(text, "true") {
            value = true
        } else if NumberText.equals(text, "false") {
            value = false
        } else {
            throw TranscodingError(.invalidValue, "expected bool (true or false), got \(QuotedValue.shown(text))")
        }
        if skipDefault && !value { return }
        writer.writeTag(fieldNumber: fieldNumber, wireType: .varint)
        writer.writeVarint(UInt64(value ? 1 : 0))
    }

    static func writeEnum<W: WireSink>(
        _ text: UnsafeRawBufferPointer, field: FieldDescriptor, pool: DescriptorPool, skipDefault: Bool,
        into writer: inout W
    ) throws(TranscodingError) {
        let enumType = pool.enums[field.enumIndex!]
        let number: Int32
        if let value = enumType.value(named: String(decoding: text, as: UTF8.self)) {
            number = value.number
        } else if let payload = try? ScalarPayload.number(text, type: .enum, quoted: true) {
            number = Int32(truncatingIfNeeded: payload)
            if enumType.isClosed && enumType.value(number: number) == nil {
                throw TranscodingError(.invalidValue, "\(number) is not a value of closed enum \(enumType.fullName)")
            }
        } else {
            throw TranscodingError(
                .invalidValue, "expected a value of enum \(enumType.fullName), got \(QuotedValue.shown(text))")
        }
        if skipDefault && number == 0 { return }
        writer.writeTag(fieldNumber: UInt32(field.number), wireType: .varint)
        writer.writeVarint(number)
    }

    static func writeWellKnown<W: WireSink>(
        _ text: UnsafeRawBufferPointer, field: FieldDescriptor, pool: DescriptorPool, into writer: inout W
    ) throws(TranscodingError) {
        let message = pool.messages[field.messageIndex!]
        guard let wellKnown = message.wellKnownType else {
            throw TranscodingError(.unsupportedType, "message \(message.fullName) cannot be set from a URL value")
        }
        writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
        let mark = writer.beginLengthDelimited()
        switch wellKnown {
        case .timestamp, .duration, .fieldMask:
            try QuotedValue.writeWellKnownBody(text, type: wellKnown, into: &writer)
        case .boolValue:
            try writeBool(text, fieldNumber: 1, skipDefault: true, into: &writer)
        case .stringValue:
            QuotedValue.writeString(text, fieldNumber: 1, skipDefault: true, into: &writer)
        case .bytesValue:
            try QuotedValue.writeBytes(text, fieldNumber: 1, skipDefault: true, into: &writer)
        default:
            guard let type = QuotedValue.wrappedType(wellKnown) else {
                throw TranscodingError(.unsupportedType, "message \(message.fullName) cannot be set from a URL value")
            }
            try QuotedValue.writeNumber(text, type: type, fieldNumber: 1, skipDefault: true, into: &writer)
        }
        writer.endLengthDelimited(mark)
    }
}
