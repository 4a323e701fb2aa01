import ProtoWire

/// The JSON → protobuf direction: one pass over the JSON bytes, writing wire bytes as values
/// arrive, with length prefixes back-patched by ``WireWriter``.
///
/// Per-request state is this struct: the scanner, the writer, and one reusable bit arena that
/// holds, per open object, which fields and oneofs have been seen (for duplicate-key and oneof
/// checks) — no allocation per field or per message.
struct JSONToProto {
    let codec: ProtoJSONCodec
    let options: JSONOptions
    var scanner: JSONScanner
    var writer: OutputBuffer
    /// Seen-field and seen-oneof bits of every open object, innermost last.
    var seen = SeenBits()
    /// Keys of every open map and Struct, for duplicate detection.
    var memberKeys = MemberKeySet()

    /// An encoder of `input` writing into `writer`, which stays its owner's to free.
    init(codec: ProtoJSONCodec, input: UnsafeRawBufferPointer, options: JSONOptions, writer: OutputBuffer) {
        self.codec = codec
        self.options = options
        scanner = JSONScanner(input: input, maximumStringLength: options.maximumStringLength)
        self.writer = writer
    }

    /// Frees the encoder's own buffers (not the writer's).
    mutating func release() {
        scanner.release()
        seen.release()
    }

    mutating func run(messageIndex: Int) throws(TranscodingError) {
        try writeMessageBody(messageIndex)
        try scanner.expectEnd()
    }

    // MARK: Messages

    /// Writes the fields of message `index` from the next JSON value (an object, or the special
    /// form of a well-known type), without a tag or length.
    mutating func writeMessageBody(_ index: Int) throws(TranscodingError) {
        try codec.messageRefs[index].borrow { table throws(TranscodingError) in
            guard let wellKnown = table.wellKnownType else {
                try writeObject(table, isAny: false)
                return
            }
            try writeWellKnownBody(wellKnown, table: table)
        }
    }

    /// Writes the members of a JSON object as the fields of `table`. In an `Any`, the `@type`
    /// key is skipped.
    mutating func writeObject(_ table: MessageTable, isAny: Bool) throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "{") else {
            throw TranscodingError(.invalidValue, "expected object for \(table.fullName), got \(Self.tokenName(next))")
        }
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "}")) {
            scanner.depth -= 1
            return
        }
        let fieldWords = (table.fields.count + 63) >> 6
        let oneofWords = (table.realOneofCount + 63) >> 6
        let base = seen.push(fieldWords + oneofWords)
        defer { seen.pop(fieldWords + oneofWords) }
        // The rank the next key most likely names: one of the few after the previous key's.
        var expectedRank = 0
        repeat {
            let key = try scanner.readString()
            try scanner.expect(UInt8(ascii: ":"))
            guard let rank = table.predictedRank(of: key, from: expectedRank) ?? table.names.lookup(key) else {
                if isAny && NumberText.equals(key, "@type") {
                    try scanner.skipValue()
                    continue
                }
                if options.ignoreUnknownFields {
                    try scanner.skipValue()
                    continue
                }
                throw TranscodingError(
                    .unknownField, "unknown field \(QuotedValue.shown(key)) in \(table.fullName)")
            }
            expectedRank = rank + 1
            guard seen.insert(word: base + rank >> 6, bit: rank & 63) else {
                throw TranscodingError(.duplicateField, "field appears more than once").inField(table.jsonNames[rank])
            }
            do {
                try writeField(table.fields[rank], table: table, oneofBase: base + fieldWords)
            } catch {
                throw error.inField(table.jsonNames[rank])
            }
        } while try scanner.nextMember(close: UInt8(ascii: "}"))
    }

    /// Writes one member's value as field `field`.
    mutating func writeField(_ field: FieldInfo, table: MessageTable, oneofBase: Int) throws(TranscodingError) {
        if try scanner.peek() == UInt8(ascii: "n") && scanner.consumeLiteral("null") {
            // null leaves a field unset, except where null is itself the value.
            guard !field.isRepeated else { return }
            if field.kind == .nullValue {
                try markOneof(field, table: table, oneofBase: oneofBase)
                if field.hasPresence {
                    writer.writeVarint(UInt64(field.tag))
                    writer.writeVarint(UInt64(0))
                }
            } else if field.kind == .message && field.isValue {
                try markOneof(field, table: table, oneofBase: oneofBase)
                writer.writeVarint(UInt64(field.tag))
                writer.writeVarint(UInt64(2))  // a Value of 2 bytes: null_value (1), NULL_VALUE
                writer.writeVarint(UInt64(0x08))
                writer.writeVarint(UInt64(0))
            }
            return
        }
        try markOneof(field, table: table, oneofBase: oneofBase)
        if field.isMap {
            try writeMap(field)
        } else if field.isRepeated {
            try writeRepeated(field)
        } else {
            try writeSingular(field, skipDefault: field.skipsDefault)
        }
    }

    mutating func markOneof(_ field: FieldInfo, table: MessageTable, oneofBase: Int) throws(TranscodingError) {
        guard field.oneofIndex >= 0 else { return }
        guard seen.insert(word: oneofBase + field.oneofIndex >> 6, bit: field.oneofIndex & 63) else {
            throw TranscodingError(
                .oneofConflict, "another member of oneof \"\(table.oneofNames[field.oneofIndex])\" is already set")
        }
    }

    /// Writes a singular value (or a map value / repeated element) with its tag.
    mutating func writeSingular(_ field: FieldInfo, skipDefault: Bool) throws(TranscodingError) {
        switch field.kind {
        case .message:
            writer.writeVarint(UInt64(field.tag))
            let mark = writer.beginLengthDelimited()
            try writeMessageBody(field.typeIndex)
            writer.endLengthDelimited(mark)
        case .group:
            writer.writeTag(fieldNumber: field.number, wireType: .startGroup)
            try codec.messageRefs[field.typeIndex].borrow { table throws(TranscodingError) in
                try writeObject(table, isAny: false)
            }
            writer.writeTag(fieldNumber: field.number, wireType: .endGroup)
        case .scalar, .enumeration, .nullValue:
            try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, number: field.number,
                skipDefault: skipDefault)
        }
    }

    /// Writes a scalar or enum value with its tag.
    mutating func writeScalar(
        _ type: FieldDescriptor.FieldType, kind: FieldInfo.Kind, typeIndex: Int, number: UInt32, skipDefault: Bool
    ) throws(TranscodingError) {
        switch type {
        case .string:
            let next = try scanner.peek()
            guard next == UInt8(ascii: "\"") else {
                throw TranscodingError(.invalidValue, "expected string, got \(Self.tokenName(next))")
            }
            QuotedValue.writeString(try scanner.readString(), fieldNumber: number, skipDefault: skipDefault, into: &writer)
        case .bytes:
            let next = try scanner.peek()
            guard next == UInt8(ascii: "\"") else {
                throw TranscodingError(.invalidValue, "expected base64 bytes, got \(Self.tokenName(next))")
            }
            try QuotedValue.writeBytes(try scanner.readString(), fieldNumber: number, skipDefault: skipDefault, into: &writer)
        default:
            guard let payload = try readNumericPayload(type, kind: kind, typeIndex: typeIndex) else { return }
            if skipDefault && payload == 0 { return }
            writer.writeTag(fieldNumber: number, wireType: type.wireType)
            ScalarPayload.write(payload, type: type, into: &writer)
        }
    }

    /// Reads a numeric, bool or enum value as its wire payload; nil for an unknown enum value
    /// that is ignored.
    mutating func readNumericPayload(
        _ type: FieldDescriptor.FieldType, kind: FieldInfo.Kind, typeIndex: Int
    ) throws(TranscodingError) -> UInt64? {
        let next = try scanner.peek()
        switch next {
        case UInt8(ascii: "\""):
            let text = try scanner.readString()
            if type == .enum { return try enumPayload(name: text, enumIndex: typeIndex) }
            if type == .bool {
                throw TranscodingError(.invalidValue, "expected bool (true or false), got \(QuotedValue.shown(text))")
            }
            do {
                return try ScalarPayload.number(text, type: type, quoted: true)
            } catch {
                throw TranscodingError(.invalidValue, ScalarPayload.message(error, type: type, text: text, quoted: true))
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if type == .bool {
                if scanner.consumeLiteral("true") { return 1 }
                if scanner.consumeLiteral("false") { return 0 }
            }
            throw mismatch(type, next)
        case UInt8(ascii: "n") where kind == .nullValue && scanner.consumeLiteral("null"):
            return 0
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "n"):
            throw mismatch(type, next)
        default:
            let payload: UInt64
            let start = scanner.position
            if type != .double && type != .float && type != .bool, let (negative, magnitude) = scanner.readPlainInteger() {
                do {
                    payload = try ScalarPayload.integerPayload(negative: negative, magnitude: magnitude, type: type)
                } catch {
                    let text = UnsafeRawBufferPointer(rebasing: scanner.input[start..<scanner.position])
                    throw TranscodingError(.invalidValue, ScalarPayload.message(error, type: type, text: text, quoted: false))
                }
            } else {
                let (text, shape) = try scanner.readNumberWithShape()
                if type == .bool { throw mismatch(type, next) }
                do {
                    payload = try ScalarPayload.number(text, shape: shape, type: type)
                } catch {
                    throw TranscodingError(.invalidValue, ScalarPayload.message(error, type: type, text: text, quoted: false))
                }
            }
            if type == .enum {
                let number = Int32(truncatingIfNeeded: payload)
                if codec.enumRefs[typeIndex].read({ $0.isClosed && !$0.contains(number) }) {
                    if options.ignoreUnknownFields { return nil }
                    throw TranscodingError(
                        .invalidValue, "\(number) is not a value of closed enum \(codec.enums[typeIndex].fullName)")
                }
            }
            return payload
        }
    }

    mutating func enumPayload(name: UnsafeRawBufferPointer, enumIndex: Int) throws(TranscodingError) -> UInt64? {
        if let number = codec.enumRefs[enumIndex].read({ $0.names.lookup(name) }) {
            return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: number)))
        }
        if options.ignoreUnknownFields { return nil }
        let enumName = codec.enums[enumIndex].fullName
        throw TranscodingError(.invalidValue, "expected a value of enum \(enumName), got \(QuotedValue.shown(name))")
    }

    func mismatch(_ type: FieldDescriptor.FieldType, _ token: UInt8) -> TranscodingError {
        TranscodingError(.invalidValue, "expected \(ScalarPayload.typeName(type)), got \(Self.tokenName(token))")
    }

    /// What a token starting with `byte` is, for messages.
    static func tokenName(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): "object"
        case UInt8(ascii: "["): "array"
        case UInt8(ascii: "\""): "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "bool"
        case UInt8(ascii: "n"): "null"
        default: "number"
        }
    }
}
