import ProtoWire

/// Maps in the single pass: a run of consecutive entries of one map field printed while they are
/// read. Keys are checked as they go by their printed identity (a string key's bytes, the number a
/// numeric key prints), kept on the stack; the first repeated key, an entry with a group in it,
/// or more than 16 entries hand the run to the map printer (`ProtoToJSON+Maps.swift`), whose
/// exact path lets the last of equal keys win.
extension ProtoToJSON {
    /// A map entry's key and value as ``WireCursor/readValue(wireType:)`` reads them.
    struct MapEntryValues {
        var key: (bits: UInt64, start: Int)?
        var value: (bits: UInt64, start: Int)?
    }

    /// Prints the run of entries of map `field` that starts at the cursor (just after the first
    /// entry's tag). Returns nil when the map printer must do it instead; the caller then takes
    /// the output back and moves the cursor back.
    mutating func writeMapInOnePass(_ field: FieldInfo, cursor: inout WireCursor) throws(TranscodingError) -> Bool? {
        // A run longer than the key check holds goes to the map printer before anything is
        // printed: giving up after printing nested values would print them again, and a nested
        // map would do the same at every level.
        var probe = cursor
        var entries = 0
        repeat {
            entries += 1
            guard entries <= KeyIdentities.capacity else { return nil }
            _ = try probe.readLengthDelimited()
        } while probe.consumeTag(number: field.number, accepted: field.acceptedWireTypes) != nil
        let (keyField, valueField) = codec.mapEntryFields(field.typeIndex)
        var seen = KeyIdentities()
        output.append(UInt8(ascii: "{"))
        var printed = 0
        repeat {
            guard let entry = try readMapEntry(try cursor.readLengthDelimited(), key: keyField, value: valueField),
                noEarlierKey(like: entry.key, type: keyField.type, in: &seen)
            else { return nil }
            let rollback = output.count
            if printed > 0 { output.append(UInt8(ascii: ",")) }
            try writeKey(entry.key, field: keyField)
            output.append(UInt8(ascii: ":"))
            if try writeEntryValue(entry.value, field: valueField) {
                printed += 1
            } else {
                output.removeLast(output.count - rollback)
            }
        } while cursor.consumeTag(number: field.number, accepted: field.acceptedWireTypes) != nil
        output.append(UInt8(ascii: "}"))
        return printed > 0 || options.emitDefaults
    }

    /// The last key and value of an entry with the wire types of their fields; nil when the
    /// entry holds a group.
    @inline(__always)
    mutating func readMapEntry(
        _ payload: Range<Int>, key keyField: FieldInfo, value valueField: FieldInfo
    ) throws(TranscodingError) -> MapEntryValues? {
        var cursor = WireCursor(input, range: payload)
        var entry = MapEntryValues()
        // The usual entry, as protoc-family encoders write it: the key, then the value, each with
        // its field's own one-byte tag. Anything after that goes through the loop below, which
        // reads it as it would have from the start (the last value of a field wins). A group
        // (only a hand-made descriptor can declare one here) is the loop's to hand over.
        if !cursor.isAtEnd && UInt32(cursor.base[cursor.position]) == keyField.tag && keyField.tag & 7 != 3 {
            cursor.position += 1
            entry.key = try cursor.readValue(wireType: keyField.tag & 7)
            if !cursor.isAtEnd && UInt32(cursor.base[cursor.position]) == valueField.tag && valueField.tag & 7 != 3 {
                cursor.position += 1
                entry.value = try cursor.readValue(wireType: valueField.tag & 7)
            }
        }
        while !cursor.isAtEnd {
            let tag = try cursor.readTag()
            let wireType = tag & 7
            if wireType == 3 || wireType == 4 { return nil }
            let value = try cursor.readValue(wireType: wireType)
            switch tag >> 3 {
            case 1 where keyField.accepts(wireType: wireType): entry.key = value
            case 2 where valueField.accepts(wireType: wireType): entry.value = value
            default: break
            }
        }
        return entry
    }

    /// The printed identities of the keys of one map run so far, on the stack: a string key's
    /// offset and length in the input, or the number a numeric key prints.
    struct KeyIdentities {
        static let capacity = 16
        private var slots:
            (
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        private(set) var count = 0

        @inline(__always)
        subscript(index: Int) -> (first: UInt64, second: UInt64) {
            mutating get {
                withUnsafeBytes(of: &slots) { slots in
                    (
                        slots.load(fromByteOffset: 16 &* index, as: UInt64.self),
                        slots.load(fromByteOffset: 16 &* index &+ 8, as: UInt64.self)
                    )
                }
            }
        }

        @inline(__always)
        mutating func append(_ first: UInt64, _ second: UInt64) {
            let index = count
            withUnsafeMutableBytes(of: &slots) { slots in
                slots.storeBytes(of: first, toByteOffset: 16 &* index, as: UInt64.self)
                slots.storeBytes(of: second, toByteOffset: 16 &* index &+ 8, as: UInt64.self)
            }
            count &+= 1
        }
    }

    /// Records the key's printed identity; false when an earlier entry of the run has the same
    /// (a missing key prints as its type's default, as does an empty or zero one).
    @inline(__always)
    func noEarlierKey(
        like key: (bits: UInt64, start: Int)?, type: FieldDescriptor.FieldType, in seen: inout KeyIdentities
    ) -> Bool {
        var identity: (first: UInt64, second: UInt64) = (0, 0)
        if let key {
            switch type {
            case .string: identity = (UInt64(key.start), key.bits)
            case .int32, .uint32, .sint32: identity.first = UInt64(UInt32(truncatingIfNeeded: key.bits))
            case .bool: identity.first = key.bits != 0 ? 1 : 0
            default: identity.first = key.bits
            }
        }
        for earlier in 0..<seen.count {
            let other = seen[earlier]
            if type == .string {
                if identity.second == other.second
                    && (identity.second == 0
                        || memcmpEqual(
                            inputBytes + Int(identity.first), inputBytes + Int(other.first), Int(identity.second)))
                {
                    return false
                }
            } else if identity.first == other.first {
                return false
            }
        }
        seen.append(identity.first, identity.second)
        return true
    }

    /// A key as a JSON string, as ``writeMapKey(_:type:)`` prints it; a missing key is its
    /// type's default.
    @inline(__always)
    mutating func writeKey(_ key: (bits: UInt64, start: Int)?, field: FieldInfo) throws(TranscodingError) {
        let bits = key?.bits ?? 0
        switch field.type {
        case .string:
            guard let key else {
                JSONOutput.appendASCII("\"\"", into: &output)
                return
            }
            guard JSONStringText.append(inputBytes + key.start, count: Int(key.bits), into: &output) else {
                throw WireCursor.malformed
            }
        case .int64, .uint64, .sint64, .fixed64, .sfixed64:
            _ = try writeValue(field, bits: bits, start: 0)
        default:
            output.append(UInt8(ascii: "\""))
            _ = try writeValue(field, bits: bits, start: 0)
            output.append(UInt8(ascii: "\""))
        }
    }

    /// A map value; a missing one prints as its type's default. False for a closed enum's
    /// unknown value (the entry is left out).
    @inline(__always)
    mutating func writeEntryValue(_ value: (bits: UInt64, start: Int)?, field: FieldInfo) throws(TranscodingError)
        -> Bool
    {
        if field.kind == .message {
            let payload = value.map { $0.start..<($0.start + Int($0.bits)) } ?? 0..<0
            if field.isValue, try writeValueInOnePass(range: payload) { return true }
            try writeMessage(typeIndex: field.typeIndex, range: payload)
            return true
        }
        guard let value else {
            writeDefault(field)
            return true
        }
        return try writeValue(field, bits: value.bits, start: value.start)
    }
}
