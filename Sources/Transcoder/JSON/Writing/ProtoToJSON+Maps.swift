import ProtoWire

extension ProtoToJSON {
    /// One map entry's key and value, located inside its entry message.
    struct MapEntryParts {
        var key: Entry?
        var value: Entry?
    }

    /// Finds the last occurrence of fields 1 and 2 in a map entry's payload.
    func mapEntryParts(_ payload: Range<Int>, entry table: MessageTable) throws(TranscodingError) -> MapEntryParts {
        var parts = MapEntryParts()
        var reader = reader(payload)
        do {
            while let tag = try reader.readTag() {
                let start = payload.lowerBound + reader.offset
                let skipped = try reader.skipField(tag)
                guard tag.fieldNumber == 1 || tag.fieldNumber == 2 else { continue }
                let rank = Int(tag.fieldNumber) - 1
                guard Self.wireTypeMatches(table.fields[rank], tag.wireType) else { continue }
                let entry = Entry(rank: rank, wireType: tag.wireType, start: start, end: payload.lowerBound + skipped.upperBound)
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
    /// The entries and their printed keys live on arenas reused across maps (nested maps stack
    /// on top), so a map costs no allocation unless it has more than 16 entries to de-duplicate.
    mutating func writeMap(_ field: FieldInfo, entries range: Range<Int>) throws(TranscodingError) -> Bool {
        let table = codec.messages[field.typeIndex]
        let keyField = table.fields[0]
        let valueField = table.fields[1]
        let partBase = mapParts.count
        let keyBase = mapKeyEnds.count
        let byteBase = mapKeyBytes.count
        defer {
            mapParts.removeLast(mapParts.count - partBase)
            mapKeyEnds.removeLast(mapKeyEnds.count - keyBase)
            mapKeyBytes.removeLast(mapKeyBytes.count - byteBase)
        }
        for entryIndex in range {
            mapParts.append(try mapEntryParts(payloadRange(entries[entryIndex], isGroup: false), entry: table))
        }
        // Print every key first: entries whose printed keys are equal (also "" from a missing
        // key and an empty one, or 1 from an overlong varint) collapse to the last one.
        for index in partBase..<mapParts.count {
            let start = output.count
            try writeMapKey(mapParts[index].key, type: keyField.type)
            mapKeyBytes.append(contentsOf: output[start...])
            output.removeLast(output.count - start)
            mapKeyEnds.append(mapKeyBytes.count)
        }
        let count = mapParts.count - partBase
        func keyRange(_ offset: Int) -> Range<Int> {
            (offset == 0 ? byteBase : mapKeyEnds[keyBase + offset - 1])..<mapKeyEnds[keyBase + offset]
        }
        var lastByKey: [ArraySlice<UInt8>: Int] = [:]
        if count > 16 {
            for offset in 0..<count { lastByKey[mapKeyBytes[keyRange(offset)]] = offset }
        }
        func isReplaced(_ offset: Int) -> Bool {
            if count > 16 { return lastByKey[mapKeyBytes[keyRange(offset)]] != offset }
            let key = mapKeyBytes[keyRange(offset)]
            for later in (offset + 1)..<max(count, offset + 1) where mapKeyBytes[keyRange(later)] == key { return true }
            return false
        }
        output.append(UInt8(ascii: "{"))
        var printed = 0
        for offset in 0..<count where !isReplaced(offset) {
            let rollback = output.count
            if printed > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: mapKeyBytes[keyRange(offset)])
            output.append(UInt8(ascii: ":"))
            do {
                if try writeMapValue(mapParts[partBase + offset].value, field: valueField) {
                    printed += 1
                } else {
                    output.removeLast(output.count - rollback)
                }
            } catch {
                let key = mapKeyBytes[keyRange(offset)]
                throw error.atKey(String(decoding: key.dropFirst().dropLast(), as: UTF8.self))
            }
        }
        output.append(UInt8(ascii: "}"))
        return printed > 0 || options.emitDefaults
    }

    /// A map key as a JSON string.
    mutating func writeMapKey(_ key: Entry?, type: FieldDescriptor.FieldType) throws(TranscodingError) {
        guard let key else {
            JSONOutput.appendASCII(type == .bool ? "\"false\"" : (type == .string ? "\"\"" : "\"0\""), into: &output)
            return
        }
        var reader = reader(key.start..<key.end)
        if type == .string {
            _ = try writeScalar(.string, kind: .scalar, typeIndex: -1, from: &reader, base: key.start)
            return
        }
        output.append(UInt8(ascii: "\""))
        if type == .int64 || type == .uint64 || type == .sint64 || type == .fixed64 || type == .sfixed64 {
            // These print quoted already; print the digits only.
            let mark = output.count
            _ = try writeScalar(type, kind: .scalar, typeIndex: -1, from: &reader, base: key.start)
            output.remove(at: mark)
            output.removeLast()
        } else {
            _ = try writeScalar(type, kind: .scalar, typeIndex: -1, from: &reader, base: key.start)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A map value; a missing value prints as its type's default.
    mutating func writeMapValue(_ value: Entry?, field: FieldInfo) throws(TranscodingError) -> Bool {
        guard let value else {
            if field.kind == .message {
                try writeMessage(codec.messages[field.typeIndex], range: 0..<0)
            } else {
                writeDefault(field)
            }
            return true
        }
        if field.kind == .message {
            try writeMessage(codec.messages[field.typeIndex], range: payloadRange(value, isGroup: false))
            return true
        }
        var reader = reader(value.start..<value.end)
        return try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, from: &reader, base: value.start)
    }
}
