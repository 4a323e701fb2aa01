import ProtoWire

extension JSONToProto {
    /// A JSON array as a repeated field: packed into one length-delimited value when the field
    /// is packed, else one tagged value per element. `null` elements are rejected, except as
    /// `google.protobuf.Value`s.
    mutating func writeRepeated(_ field: FieldInfo) throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "[") else {
            throw TranscodingError(.invalidValue, "expected array, got \(Self.tokenName(next))")
        }
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "]")) {
            scanner.depth -= 1
            return
        }
        var index = 0
        if field.isPacked {
            writer.writeTag(fieldNumber: field.number, wireType: .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            repeat {
                do {
                    if field.kind != .nullValue { try rejectNullElement() }
                    if let payload = try readNumericPayload(field.type, kind: field.kind, typeIndex: field.typeIndex) {
                        ScalarPayload.write(payload, type: field.type, into: &writer)
                    }
                } catch {
                    throw error.atIndex(index)
                }
                index += 1
            } while try scanner.nextMember(close: UInt8(ascii: "]"))
            writer.endLengthDelimited(mark)
            return
        }
        let elementIsValue = field.kind == .message && field.isValue
        repeat {
            do {
                if !elementIsValue { try rejectNullElement() }
                try writeSingular(field, skipDefault: false)
            } catch {
                throw error.atIndex(index)
            }
            index += 1
        } while try scanner.nextMember(close: UInt8(ascii: "]"))
    }

    mutating func rejectNullElement() throws(TranscodingError) {
        if try scanner.peek() == UInt8(ascii: "n") && scanner.consumeLiteral("null") {
            throw TranscodingError(.nullNotAllowed, "null is not allowed in a repeated field")
        }
    }

    /// A JSON object as a map field: one entry message per member, key (field 1) from the member
    /// name for every key type, value (field 2). Duplicate keys are rejected.
    mutating func writeMap(_ field: FieldInfo) throws(TranscodingError) {
        let next = try scanner.peek()
        guard next == UInt8(ascii: "{") else {
            throw TranscodingError(.invalidValue, "expected object for a map, got \(Self.tokenName(next))")
        }
        scanner.position += 1
        try scanner.enterContainer()
        if scanner.consume(UInt8(ascii: "}")) {
            scanner.depth -= 1
            return
        }
        let (keyField, valueField) = codec.mapEntryFields(field.typeIndex)
        // null is a value of google.protobuf.Value and NullValue, so those maps accept it.
        let valueIsValue =
            valueField.kind == .nullValue
            || valueField.kind == .message && valueField.isValue
        var keys = memberKeys.open()
        defer { memberKeys.close(keys) }
        repeat {
            _ = try scanner.peek()
            let keyStart = scanner.position
            let keyText = try scanner.readString()
            guard memberKeys.insert(keyText, in: &keys) else {
                throw TranscodingError(.duplicateField, "map key appears more than once").atKey(memberName(at: keyStart))
            }
            writer.writeTag(fieldNumber: field.number, wireType: .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            do throws(TranscodingError) {
                try writeMapKey(keyText, type: keyField.type)
                try scanner.expect(UInt8(ascii: ":"))
                let next = try scanner.peek()
                if !valueIsValue && next == UInt8(ascii: "n") && scanner.consumeLiteral("null") {
                    throw TranscodingError(.nullNotAllowed, "null is not allowed as a map value")
                }
                try writeSingular(valueField, skipDefault: false)
            } catch {
                throw error.atKey(memberName(at: keyStart))
            }
            writer.endLengthDelimited(mark)
        } while try scanner.nextMember(close: UInt8(ascii: "}"))
    }

    /// The member name whose string starts at `position`, read again for an error message (the
    /// view returned the first time may be gone). Leaves the scanner there: the caller throws.
    mutating func memberName(at position: Int) -> String {
        scanner.position = position
        guard let text = try? scanner.readString() else { return "" }
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes a map key (field 1) from its JSON member name.
    mutating func writeMapKey(_ text: UnsafeRawBufferPointer, type: FieldDescriptor.FieldType) throws(TranscodingError) {
        switch type {
        case .string:
            QuotedValue.writeString(text, fieldNumber: 1, skipDefault: false, into: &writer)
        case .bool:
            try TextValueEncoder.writeBool(text, fieldNumber: 1, skipDefault: false, into: &writer)
        default:
            try QuotedValue.writeNumber(text, type: type, fieldNumber: 1, skipDefault: false, into: &writer)
        }
    }
}
