import ProtoWire

/// The special JSON forms of the well-known types ("ProtoJSON format", the table of
/// `google.protobuf.*` types), written as the fields of their messages.
extension JSONToProto {
    mutating func writeWellKnownBody(_ type: WellKnownType, table: MessageTable) throws(TranscodingError) {
        switch type {
        case .timestamp, .duration, .fieldMask:
            let next = try scanner.peek()
            guard next == UInt8(ascii: "\"") else {
                throw TranscodingError(.invalidValue, "expected string for \(type.rawValue), got \(Self.tokenName(next))")
            }
            try QuotedValue.writeWellKnownBody(try scanner.readString(), type: type, into: &writer)
        case .struct:
            try writeStructBody()
        case .value:
            try writeValueBody()
        case .listValue:
            try writeListBody()
        case .any:
            try writeAnyBody()
        case .empty:
            try writeObject(table, isAny: false)
        default:
            let wrapped = QuotedValue.wrappedType(type)!
            try writeScalar(wrapped, kind: .scalar, typeIndex: -1, number: 1, skipDefault: true)
        }
    }

    /// `google.protobuf.Struct`: an object; each member is a `fields` map entry (field 1) of
    /// key (1) and `Value` (2).
    mutating func writeStructBody() throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "{") else {
            throw TranscodingError(.invalidValue, "expected object for google.protobuf.Struct, got \(Self.tokenName(next))")
        }
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "}")) {
            scanner.depth -= 1
            return
        }
        var keys = memberKeys.open()
        defer { memberKeys.close(keys) }
        repeat {
            _ = try scanner.peek()
            let keyStart = scanner.position
            let keyText = try scanner.readString()
            guard memberKeys.insert(keyText, in: &keys) else {
                throw TranscodingError(.duplicateField, "key appears more than once").inField(memberName(at: keyStart))
            }
            writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
            let entry = writer.beginLengthDelimited()
            QuotedValue.writeString(keyText, fieldNumber: 1, skipDefault: false, into: &writer)
            try scanner.expect(UInt8(ascii: ":"))
            writer.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
            let value = writer.beginLengthDelimited()
            do {
                try writeValueBody()
            } catch {
                throw error.inField(memberName(at: keyStart))
            }
            writer.endLengthDelimited(value)
            writer.endLengthDelimited(entry)
        } while try scanner.nextMember(close: UInt8(ascii: "}"))
    }

    /// `google.protobuf.ListValue`: an array; each element is a `Value` in `values` (field 1).
    mutating func writeListBody() throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "[") else {
            throw TranscodingError(.invalidValue, "expected array for google.protobuf.ListValue, got \(Self.tokenName(next))")
        }
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "]")) {
            scanner.depth -= 1
            return
        }
        var index = 0
        repeat {
            writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            do {
                try writeValueBody()
            } catch {
                throw error.atIndex(index)
            }
            writer.endLengthDelimited(mark)
            index += 1
        } while try scanner.nextMember(close: UInt8(ascii: "]"))
    }

    /// `google.protobuf.Value`: any JSON value, as the member of its `kind` oneof: null_value (1),
    /// number_value (2), string_value (3), bool_value (4), struct_value (5), list_value (6).
    mutating func writeValueBody() throws(TranscodingError) {
        switch try scanner.peek() {
        case UInt8(ascii: "n"):
            guard scanner.consumeLiteral("null") else { throw scanner.error("unexpected token") }
            writer.writeVarint(UInt64(0x08))  // null_value (1), NULL_VALUE
            writer.writeVarint(UInt64(0))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if scanner.consumeLiteral("true") {
                writer.writeVarint(UInt64(0x20))  // bool_value (4)
                writer.writeVarint(UInt64(1))
            } else if scanner.consumeLiteral("false") {
                writer.writeVarint(UInt64(0x20))
                writer.writeVarint(UInt64(0))
            } else {
                throw scanner.error("unexpected token")
            }
        case UInt8(ascii: "\""):
            QuotedValue.writeString(try scanner.readString(), fieldNumber: 3, skipDefault: false, into: &writer)
        case UInt8(ascii: "{"):
            writer.writeTag(fieldNumber: 5, wireType: .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            try writeStructBody()
            writer.endLengthDelimited(mark)
        case UInt8(ascii: "["):
            writer.writeTag(fieldNumber: 6, wireType: .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            try writeListBody()
            writer.endLengthDelimited(mark)
        default:
            let (text, shape) = try scanner.readNumberWithShape()
            let value: Double
            do {
                value = try NumberText.floating(text, shape: shape)
            } catch {
                throw TranscodingError(.invalidValue, ScalarPayload.message(error, type: .double, text: text, quoted: false))
            }
            writer.writeTag(fieldNumber: 2, wireType: .fixed64)
            writer.writeFixed64(value.bitPattern)
        }
    }

    /// `google.protobuf.Any`: an object with `@type` (anywhere among its members) naming a
    /// message of the pool by its type URL; the other members are that message's fields, or a
    /// single `value` member when it is a well-known type with a special form. Written as
    /// `type_url` (1) and the embedded message's bytes (2).
    mutating func writeAnyBody() throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "{") else {
            throw TranscodingError(.invalidValue, "expected object for google.protobuf.Any, got \(Self.tokenName(next))")
        }
        let objectStart = scanner.position
        let objectDepth = scanner.depth
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "}")) {
            scanner.depth -= 1
            return
        }
        // First pass: find @type.
        var typeURL: [UInt8]? = nil
        repeat {
            let key = try scanner.readString()
            try scanner.expect(UInt8(ascii: ":"))
            if NumberText.equals(key, "@type") {
                guard typeURL == nil else {
                    throw TranscodingError(.duplicateField, "field appears more than once").inField("@type")
                }
                guard try scanner.peek() == UInt8(ascii: "\"") else {
                    throw TranscodingError(.invalidValue, "expected a type URL string").inField("@type")
                }
                typeURL = Array(try scanner.readString())
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember(close: UInt8(ascii: "}"))
        let objectEnd = scanner.position
        guard let typeURL else {
            throw TranscodingError(.invalidValue, "google.protobuf.Any needs \"@type\"")
        }
        let messageIndex = try resolveTypeURL(typeURL)
        writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
        writer.writeLengthDelimited(typeURL)
        writer.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
        let mark = writer.beginLengthDelimited()
        // Second pass: the members again, now as fields of the resolved type.
        scanner.position = objectStart
        scanner.depth = objectDepth
        let inner = codec.messages[messageIndex]
        if let wellKnown = inner.wellKnownType, wellKnown != .empty {
            scanner.position += 1
            try scanner.enterContainer()
            var sawValue = false
            repeat {
                let key = try scanner.readString()
                try scanner.expect(UInt8(ascii: ":"))
                if NumberText.equals(key, "@type") {
                    try scanner.skipValue()
                } else if NumberText.equals(key, "value") {
                    guard !sawValue else {
                        throw TranscodingError(.duplicateField, "field appears more than once").inField("value")
                    }
                    sawValue = true
                    do {
                        try writeWellKnownBody(wellKnown, table: inner)
                    } catch {
                        throw error.inField("value")
                    }
                } else {
                    throw TranscodingError(
                        .unknownField,
                        "unknown field \(QuotedValue.shown(key)) in google.protobuf.Any holding \(inner.fullName)")
                }
            } while try scanner.nextMember(close: UInt8(ascii: "}"))
        } else {
            try writeObject(inner, isAny: true)
        }
        precondition(scanner.position == objectEnd, "second pass over Any ended elsewhere")
        writer.endLengthDelimited(mark)
    }

    /// The pool's message for a type URL `prefix/full.Name`.
    func resolveTypeURL(_ url: [UInt8]) throws(TranscodingError) -> Int {
        let text = String(decoding: url, as: UTF8.self)
        guard let slash = text.lastIndex(of: "/") else {
            throw TranscodingError(.unresolvableType, "type URL \"\(text)\" has no \"/\"").inField("@type")
        }
        let name = String(text[text.index(after: slash)...])
        guard !name.isEmpty, let index = codec.pool.messageIndex(named: name) else {
            throw TranscodingError(.unresolvableType, "type \"\(name)\" is not in the descriptor pool").inField("@type")
        }
        return index
    }
}
