import ProtoWire

extension ProtoToJSON {
    /// What a map key prints as: a string key's bytes in the input, or a numeric key's value.
    struct KeyIdentity {
        var start: Int
        var count: Int
        var value: UInt64
    }

    /// One map entry's key and value, located inside its entry message.
    struct MapEntryParts {
        var key: Entry?
        var value: Entry?
    }

    /// Finds the last occurrence of fields 1 and 2 in a map entry's payload.
    mutating func mapEntryParts(
        _ payload: Range<Int>, key keyField: FieldInfo, value valueField: FieldInfo
    ) throws(TranscodingError) -> MapEntryParts {
        var parts = MapEntryParts()
        var reader = reader(payload)
        do {
            while let tag = try reader.readTag() {
                let start = payload.lowerBound + reader.offset
                try Self.skipValue(tag, in: &reader)
                guard tag.fieldNumber == 1 || tag.fieldNumber == 2 else { continue }
                let rank = Int(tag.fieldNumber) - 1
                guard Self.wireTypeMatches(rank == 0 ? keyField : valueField, tag.wireType) else { continue }
                let entry = Entry(rank: rank, wireType: tag.wireType, start: start, end: payload.lowerBound + reader.offset)
                if rank == 0 { parts.key = entry } else { parts.value = entry }
            }
        } catch {
            throw Self.malformed(error, base: payload.lowerBound)
        }
        return parts
    }

    /// Prints a map field as an object. Keys are strings whatever the key type; when a key
    /// repeats on the wire, the last entry wins (protobuf encoding guide, "Maps").
    ///
    /// The common case — up to ``MemberKeySet/linearLimit`` entries with distinct, valid keys —
    /// is checked on the wire values of the keys (no printing), then printed in one pass.
    /// Anything else takes the exact path, which prints every key first, so that a replaced
    /// entry's value is never looked at. Either way each value is printed once.
    mutating func writeMap(_ field: FieldInfo, entries range: Range<Int>) throws(TranscodingError) -> Bool {
        let (keyField, valueField) = codec.mapEntryFields(field.typeIndex)
        // One allocation each for the arenas, not one per doubling.
        if mapParts.capacity == 0 { mapParts.reserveCapacity(64) }
        if mapKeyIdentities.capacity == 0 { mapKeyIdentities.reserveCapacity(64) }
        let partBase = mapParts.count
        defer { mapParts.removeLast(mapParts.count - partBase) }
        for entryIndex in range {
            let payload = payloadRange(entries[entryIndex], isGroup: false)
            mapParts.append(try mapEntryParts(payload, key: keyField, value: valueField))
        }
        let keyType = keyField.type
        guard range.count <= MemberKeySet.linearLimit, keysAreDistinct(from: partBase, type: keyType) else {
            return try writeMapExactly(field, partBase: partBase)
        }
        output.append(UInt8(ascii: "{"))
        var printed = 0
        for index in partBase..<mapParts.count {
            let rollback = output.count
            if printed > 0 { output.append(UInt8(ascii: ",")) }
            let keyStart = output.count
            try writeMapKey(mapParts[index].key, type: keyType)
            let keyEnd = output.count
            output.append(UInt8(ascii: ":"))
            do {
                if try writeMapValue(mapParts[index].value, field: valueField) {
                    printed += 1
                } else {
                    output.removeLast(output.count - rollback)
                }
            } catch {
                throw error.atKey(String(decoding: output[(keyStart + 1)..<(keyEnd - 1)], as: UTF8.self))
            }
        }
        output.append(UInt8(ascii: "}"))
        return printed > 0 || options.emitDefaults
    }

    /// Whether the keys of the entries from `partBase` on are valid and print differently,
    /// judged from their wire values: what prints is the string's bytes, or the number the
    /// key type keeps (int32 keeps the low 32 bits of its varint); a missing key is the default.
    private mutating func keysAreDistinct(from partBase: Int, type: FieldDescriptor.FieldType) -> Bool {
        let base = mapKeyIdentities.count
        defer { mapKeyIdentities.removeLast(mapKeyIdentities.count - base) }
        for index in partBase..<mapParts.count {
            guard let identity = keyIdentity(mapParts[index].key, type: type) else { return false }
            for earlier in base..<mapKeyIdentities.count {
                let other = mapKeyIdentities[earlier]
                if type == .string {
                    if identity.count == other.count
                        && (identity.count == 0
                            || memcmpEqual(input.baseAddress! + identity.start, input.baseAddress! + other.start, identity.count))
                    {
                        return false
                    }
                } else if identity.value == other.value {
                    return false
                }
            }
            mapKeyIdentities.append(identity)
        }
        return true
    }

    /// A key's printed identity: a string key's UTF-8 bytes in the input, or the value a
    /// numeric key prints; nil for a key that does not decode (the exact path reports it).
    private mutating func keyIdentity(_ key: Entry?, type: FieldDescriptor.FieldType) -> KeyIdentity? {
        guard let key else { return KeyIdentity(start: 0, count: 0, value: 0) }
        var reader = reader(key.start..<key.end)
        switch type {
        case .string:
            guard let range = try? reader.readLengthDelimitedRange() else { return nil }
            let start = key.start + range.lowerBound
            let count = range.count
            guard UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: input[start..<(start + count)])) else { return nil }
            return KeyIdentity(start: start, count: count, value: 0)
        case .fixed32, .sfixed32:
            guard let value = try? reader.readFixed32() else { return nil }
            return KeyIdentity(start: 0, count: 0, value: UInt64(value))
        case .fixed64, .sfixed64:
            guard let value = try? reader.readFixed64() else { return nil }
            return KeyIdentity(start: 0, count: 0, value: value)
        case .int32, .uint32, .sint32:
            guard let value = try? reader.readVarint() else { return nil }
            return KeyIdentity(start: 0, count: 0, value: UInt64(UInt32(truncatingIfNeeded: value)))
        case .bool:
            guard let value = try? reader.readVarint() else { return nil }
            return KeyIdentity(start: 0, count: 0, value: value != 0 ? 1 : 0)
        default:
            guard let value = try? reader.readVarint() else { return nil }
            return KeyIdentity(start: 0, count: 0, value: value)
        }
    }

    /// The exact map printer: every key printed first onto an arena, entries whose printed keys
    /// are equal (also "" from a missing key and an empty one, or 1 from an overlong varint)
    /// collapse to the last one, then the survivors print in wire order.
    private mutating func writeMapExactly(_ field: FieldInfo, partBase: Int) throws(TranscodingError) -> Bool {
        let (keyField, valueField) = codec.mapEntryFields(field.typeIndex)
        let keyBase = mapKeyEnds.count
        let byteBase = mapKeyBytes.count
        defer {
            mapKeyEnds.removeLast(mapKeyEnds.count - keyBase)
            mapKeyBytes.removeLast(mapKeyBytes.count - byteBase)
        }
        for index in partBase..<mapParts.count {
            let start = output.count
            try writeMapKey(mapParts[index].key, type: keyField.type)
            mapKeyBytes.append(contentsOf: output[start..<output.count])
            output.removeLast(output.count - start)
            mapKeyEnds.append(mapKeyBytes.count)
        }
        let count = mapParts.count - partBase
        var lastByKey: [ArraySlice<UInt8>: Int] = [:]
        if count > 16 {
            for offset in 0..<count { lastByKey[mapKeyBytes[keyRange(offset, keyBase: keyBase, byteBase: byteBase)]] = offset }
        }
        output.append(UInt8(ascii: "{"))
        var printed = 0
        for offset in 0..<count {
            let key = mapKeyBytes[keyRange(offset, keyBase: keyBase, byteBase: byteBase)]
            if count > 16 {
                if lastByKey[key] != offset { continue }
            } else if (offset + 1..<count).contains(where: {
                mapKeyBytes[keyRange($0, keyBase: keyBase, byteBase: byteBase)] == key
            }) {
                continue
            }
            let rollback = output.count
            if printed > 0 { output.append(UInt8(ascii: ",")) }
            key.withUnsafeBytes { output.appendBytes($0) }
            output.append(UInt8(ascii: ":"))
            do {
                if try writeMapValue(mapParts[partBase + offset].value, field: valueField) {
                    printed += 1
                } else {
                    output.removeLast(output.count - rollback)
                }
            } catch {
                throw error.atKey(String(decoding: key.dropFirst().dropLast(), as: UTF8.self))
            }
        }
        output.append(UInt8(ascii: "}"))
        return printed > 0 || options.emitDefaults
    }

    /// Where the printed key of entry `offset` is on the key arena.
    private mutating func keyRange(_ offset: Int, keyBase: Int, byteBase: Int) -> Range<Int> {
        (offset == 0 ? byteBase : mapKeyEnds[keyBase + offset - 1])..<mapKeyEnds[keyBase + offset]
    }

    /// A map key as a JSON string.
    mutating func writeMapKey(_ key: Entry?, type: FieldDescriptor.FieldType) throws(TranscodingError) {
        guard let key else {
            JSONOutput.appendASCII(type == .bool ? "\"false\"" : (type == .string ? "\"\"" : "\"0\""), into: &output)
            return
        }
        var reader = reader(key.start..<key.end)
        switch type {
        case .string:
            _ = try writeScalar(.string, kind: .scalar, typeIndex: -1, from: &reader, base: key.start)
        case .int64, .uint64, .sint64, .fixed64, .sfixed64:
            // These print quoted already as values; as keys, the same digits.
            let raw: UInt64
            do {
                raw = type == .sfixed64 || type == .fixed64 ? try reader.readFixed64() : try reader.readVarint()
            } catch {
                throw Self.malformed(error, base: key.start)
            }
            output.append(UInt8(ascii: "\""))
            switch type {
            case .int64, .sfixed64: JSONOutput.appendInteger(Int64(bitPattern: raw), into: &output)
            case .sint64: JSONOutput.appendInteger(ZigZag.decode(raw), into: &output)
            default: JSONOutput.appendInteger(raw, into: &output)
            }
            output.append(UInt8(ascii: "\""))
        default:
            output.append(UInt8(ascii: "\""))
            _ = try writeScalar(type, kind: .scalar, typeIndex: -1, from: &reader, base: key.start)
            output.append(UInt8(ascii: "\""))
        }
    }

    /// A map value; a missing value prints as its type's default.
    mutating func writeMapValue(_ value: Entry?, field: FieldInfo) throws(TranscodingError) -> Bool {
        guard let value else {
            if field.kind == .message {
                try writeMessage(typeIndex: field.typeIndex, range: 0..<0)
            } else {
                writeDefault(field)
            }
            return true
        }
        if field.kind == .message {
            try writeMessage(typeIndex: field.typeIndex, range: payloadRange(value, isGroup: false))
            return true
        }
        var reader = reader(value.start..<value.end)
        return try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, from: &reader, base: value.start)
    }
}
