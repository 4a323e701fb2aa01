import ProtoWire

/// The printer's single pass: a message is printed while it is read, when its fields arrive in
/// field-number order with each repeated field's values together — what protoc-family encoders
/// write (protobuf encoding guide, "Field Order": serializers write known fields in field-number
/// order). Consecutive values of one repeated field, packed or not, print as one array; a run of
/// map entries goes to the map printer.
///
/// The pass gives up (returns false) at the first thing only the indexed path prints right:
///
/// - a known field whose number is not above the previous known field's: fields out of order,
///   a repeated field split across the message, a singular field repeated (the last one wins);
/// - a second member of a oneof (the last one set wins);
/// - a group, known or not.
///
/// The caller then takes the output back to the message's `{` and prints it indexed. Unknown
/// fields and values of a known field with the wrong wire type are skipped, as the indexed
/// path skips them. With `emitDefaults`, the fields that were not on the wire print their
/// defaults between the ones that were, as the ranks go by.
extension ProtoToJSON {
    mutating func writeInOnePass(
        _ table: MessageTable, range: Range<Int>, typeURL: UnsafeRawBufferPointer?
    ) throws(TranscodingError) -> Bool {
        var first = openObject(typeURL: typeURL)
        var cursor = WireCursor(input, range: range)
        let emitDefaults = options.emitDefaults
        var lastRank = -1
        var oneofsSeen: UInt64 = 0
        while !cursor.isAtEnd {
            let tag = try cursor.readTag()
            let wireType = tag & 7
            if wireType == 3 || wireType == 4 { return false }
            guard let rank = table.rank(ofNumber: tag >> 3), table.fields[rank].accepts(wireType: wireType) else {
                try cursor.skipValue(wireType: wireType)
                continue
            }
            guard rank > lastRank else { return false }
            let field = table.fields[rank]
            if field.oneofIndex >= 0 {
                let bit: UInt64 = 1 &<< UInt64(field.oneofIndex)
                if oneofsSeen & bit != 0 { return false }
                oneofsSeen |= bit
            }
            if emitDefaults { writeDefaults(table, ranks: (lastRank + 1)..<rank, first: &first) }
            lastRank = rank
            let rollback = output.count
            if field.isRepeated {
                appendKey(table, rank: rank, first: first)
                let printed: Bool
                if field.isMap {
                    let valueStart = output.count
                    let runStart = cursor.position
                    if let done = try writeMapInOnePass(field, cursor: &cursor) {
                        printed = done
                    } else {
                        output.removeLast(output.count - valueStart)
                        cursor.position = runStart
                        fallbacks += 1
                        // The run's values print once more, on the indexed path only: a value
                        // nested in them must not try (and give up) again at every level.
                        singlePassDisabled += 1
                        defer { singlePassDisabled -= 1 }
                        printed = try writeMapRun(field, cursor: &cursor)
                    }
                } else {
                    printed = try writeRepeatedRun(field, wireType: wireType, cursor: &cursor)
                }
                if printed {
                    first = false
                } else {
                    output.removeLast(output.count - rollback)
                }
                continue
            }
            if field.kind == .message {
                let payload = try cursor.readLengthDelimited()
                appendKey(table, rank: rank, first: first)
                try writeMessage(typeIndex: field.typeIndex, range: payload)
                first = false
                continue
            }
            let value = try cursor.readValue(wireType: wireType)
            // A proto3 field without presence at its default is not printed; nor is a NullValue
            // field without presence, which reads back as unset whatever number it held.
            if field.skipsDefault && !emitDefaults
                && (field.kind == .nullValue || Self.isDefault(value.bits, field: field, wireType: wireType))
            {
                continue
            }
            appendKey(table, rank: rank, first: first)
            if try writeValue(field, bits: value.bits, start: value.start) {
                first = false
            } else {
                output.removeLast(output.count - rollback)
            }
        }
        if emitDefaults { writeDefaults(table, ranks: (lastRank + 1)..<table.fields.count, first: &first) }
        output.append(UInt8(ascii: "}"))
        return true
    }

    /// `,` unless first, then the field's pre-rendered `"name":`.
    @inline(__always)
    mutating func appendKey(_ table: MessageTable, rank: Int, first: Bool) {
        table.appendKey(rank: rank, protoName: options.useProtoNames, comma: !first, into: &output)
    }

    /// Whether a singular scalar's wire value is its type's default: 32-bit types keep the low
    /// 32 bits of their varint (2^63 is an int32 0); a length-delimited value is empty.
    @inline(__always)
    static func isDefault(_ bits: UInt64, field: FieldInfo, wireType: UInt32) -> Bool {
        if wireType == 0 {
            switch field.type {
            case .int32, .uint32, .sint32, .enum: return UInt32(truncatingIfNeeded: bits) == 0
            default: return bits == 0
            }
        }
        return bits == 0
    }

    /// With `emitDefaults`: the defaults of the fields at `ranks` that have no presence.
    mutating func writeDefaults(_ table: MessageTable, ranks: Range<Int>, first: inout Bool) {
        for rank in ranks where !table.fields[rank].hasPresence {
            appendKey(table, rank: rank, first: first)
            writeDefault(table.fields[rank])
            first = false
        }
    }

    /// Prints the values of a repeated field from the cursor on, packed and unpacked alike, up
    /// to the first tag that is not this field's, as one array.
    mutating func writeRepeatedRun(
        _ field: FieldInfo, wireType: UInt32, cursor: inout WireCursor
    ) throws(TranscodingError) -> Bool {
        output.append(UInt8(ascii: "["))
        var count = 0
        var wireType = wireType
        let elementWireType = UInt32(field.type.wireType.rawValue)
        while true {
            if field.kind == .message {
                let payload = try cursor.readLengthDelimited()
                if count > 0 { output.append(UInt8(ascii: ",")) }
                try writeMessage(typeIndex: field.typeIndex, range: payload)
                count += 1
            } else if wireType == 2 && elementWireType != 2 {
                var packed = WireCursor(input, range: try cursor.readLengthDelimited())
                while !packed.isAtEnd {
                    let value = try packed.readValue(wireType: elementWireType)
                    try writeElement(field, bits: value.bits, start: value.start, count: &count)
                }
            } else {
                let value = try cursor.readValue(wireType: wireType)
                try writeElement(field, bits: value.bits, start: value.start, count: &count)
            }
            guard let next = cursor.consumeTag(number: field.number, accepted: field.acceptedWireTypes) else { break }
            wireType = next
        }
        output.append(UInt8(ascii: "]"))
        return count > 0 || options.emitDefaults
    }

    /// One scalar element of an array; a closed enum's unknown value prints nothing.
    @inline(__always)
    mutating func writeElement(_ field: FieldInfo, bits: UInt64, start: Int, count: inout Int) throws(TranscodingError)
    {
        let rollback = output.count
        if count > 0 { output.append(UInt8(ascii: ",")) }
        if try writeValue(field, bits: bits, start: start) {
            count += 1
        } else {
            output.removeLast(output.count - rollback)
        }
    }

    /// Collects a run of consecutive entries of a map field on the entry arena and prints them
    /// with the map printer.
    mutating func writeMapRun(_ field: FieldInfo, cursor: inout WireCursor) throws(TranscodingError) -> Bool {
        if entries.capacity == 0 { entries.reserveCapacity(entryArenaCapacity) }
        let base = entries.count
        defer { entries.removeLast(entries.count - base) }
        repeat {
            let start = cursor.position
            _ = try cursor.readLengthDelimited()
            entries.append(Entry(rank: 0, wireType: .lengthDelimited, start: start, end: cursor.position))
        } while cursor.consumeTag(number: field.number, accepted: field.acceptedWireTypes) != nil
        return try writeMap(field, entries: base..<entries.count)
    }

    /// Prints one scalar or enum value from its wire bits (for a string or bytes value, its
    /// length, with its payload at `start`). Returns false, printing nothing, for a closed
    /// enum's unknown value.
    @inline(__always)
    mutating func writeValue(_ field: FieldInfo, bits: UInt64, start: Int) throws(TranscodingError) -> Bool {
        switch field.type {
        case .int32: DecimalText.append(Int64(Int32(truncatingIfNeeded: bits)), into: &output)
        case .uint32, .fixed32: DecimalText.append(UInt64(UInt32(truncatingIfNeeded: bits)), into: &output)
        case .sint32: DecimalText.append(Int64(ZigZag.decode(UInt32(truncatingIfNeeded: bits))), into: &output)
        case .sfixed32: DecimalText.append(Int64(Int32(truncatingIfNeeded: bits)), into: &output)
        case .int64, .sfixed64: DecimalText.append(Int64(bitPattern: bits), quoted: true, into: &output)
        case .sint64: DecimalText.append(ZigZag.decode(bits), quoted: true, into: &output)
        case .uint64, .fixed64: DecimalText.append(bits, quoted: true, into: &output)
        case .bool: JSONOutput.appendASCII(bits != 0 ? "true" : "false", into: &output)
        case .double: JSONOutput.appendDouble(Double(bitPattern: bits), into: &output)
        case .float: JSONOutput.appendFloat(Float(bitPattern: UInt32(truncatingIfNeeded: bits)), into: &output)
        case .string:
            guard JSONStringText.append(inputBytes + start, count: Int(bits), into: &output) else {
                throw WireCursor.malformed
            }
        case .bytes: Base64.appendQuoted(inputBytes + start, count: Int(bits), into: &output)
        case .enum: return writeEnum(Int32(truncatingIfNeeded: bits), kind: field.kind, enumIndex: field.typeIndex)
        case .message, .group: preconditionFailure("messages are not scalars")
        }
        return true
    }

    /// The input as typed bytes (only read where a value lies inside it, so never for empty input).
    @inline(__always)
    var inputBytes: UnsafePointer<UInt8> {
        UnsafePointer(input.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
    }
}
