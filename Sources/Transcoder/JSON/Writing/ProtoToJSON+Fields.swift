import ProtoWire

extension ProtoToJSON {
    /// Prints the value of `field` from its entries (the key is already written). Returns false
    /// when there is nothing to print (a default value, an empty list, an unknown closed-enum
    /// value), so the caller takes the key back.
    mutating func writeField(_ field: FieldInfo, entries range: Range<Int>) throws(TranscodingError) -> Bool {
        if field.isMap { return try writeMap(field, entries: range) }
        if field.isRepeated { return try writeRepeated(field, entries: range) }
        if range.isEmpty {
            writeDefault(field)
            return true
        }
        switch field.kind {
        case .message, .group:
            try writeMergedMessage(codec.messages[field.typeIndex], entries: range, isGroup: field.kind == .group)
            return true
        default:
            let entry = entries[range.upperBound - 1]
            var reader = reader(entry.start..<entry.end)
            if field.skipsDefault && !options.emitDefaults {
                // A NullValue field without presence prints as null, which reads back as unset
                // whatever number it held; so it is never printed, like its default.
                if field.kind == .nullValue || isDefault(entry, field: field) { return false }
            }
            return try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, from: &reader, base: entry.start)
        }
    }

    /// Whether a singular scalar's value is its type's default (zero bits or empty).
    mutating func isDefault(_ entry: Entry, field: FieldInfo) -> Bool {
        var reader = reader(entry.start..<entry.end)
        switch entry.wireType {
        case .varint:
            guard let value = try? reader.readVarint() else { return false }
            switch field.type {
            // 32-bit types keep the low 32 bits of the varint: 2^63 is an int32 0.
            case .int32, .uint32, .sint32, .enum: return UInt32(truncatingIfNeeded: value) == 0
            default: return value == 0
            }
        case .fixed32: return (try? reader.readFixed32()) == 0
        case .fixed64: return (try? reader.readFixed64()) == 0
        case .lengthDelimited: return (try? reader.readVarint()) == 0
        default: return false
        }
    }

    /// The JSON of a field's default value (for `emitDefaults`).
    mutating func writeDefault(_ field: FieldInfo) {
        if field.isMap {
            JSONOutput.appendASCII("{}", into: &output)
        } else if field.isRepeated {
            JSONOutput.appendASCII("[]", into: &output)
        } else {
            switch field.type {
            case .string, .bytes: JSONOutput.appendASCII("\"\"", into: &output)
            case .bool: JSONOutput.appendASCII("false", into: &output)
            case .int64, .uint64, .sint64, .fixed64, .sfixed64: JSONOutput.appendASCII("\"0\"", into: &output)
            case .enum:
                if field.kind == .nullValue {
                    JSONOutput.appendASCII("null", into: &output)
                } else if !options.enumsAsInts && codec.enums[field.typeIndex].appendQuotedName(0, into: &output) {
                    // The name of value 0.
                } else {
                    output.append(UInt8(ascii: "0"))
                }
            default: output.append(UInt8(ascii: "0"))
            }
        }
    }

    /// Prints a singular message field. Several occurrences on the wire merge (protobuf
    /// encoding guide, "Last One Wins"): their payloads are concatenated and printed as one.
    mutating func writeMergedMessage(_ table: MessageTable, entries range: Range<Int>, isGroup: Bool) throws(TranscodingError) {
        if range.count == 1 {
            try writeMessage(table, range: payloadRange(entries[range.lowerBound], isGroup: isGroup))
            return
        }
        var merged: [UInt8] = []
        for index in range {
            merged.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[payloadRange(entries[index], isGroup: isGroup)]))
        }
        let result: Result<[UInt8], TranscodingError> = merged.withUnsafeBytes { buffer in
            var nested = ProtoToJSON(codec: codec, input: buffer, options: options)
            defer { nested.release() }
            nested.depth = depth
            nested.singlePassDisabled = singlePassDisabled
            do throws(TranscodingError) {
                try nested.writeMessage(table, range: 0..<buffer.count)
                return .success(nested.output.bytes)
            } catch {
                return .failure(error)
            }
        }
        output.append(contentsOf: try result.get())
    }

    /// The bytes of a message value: after the length prefix, or before the end-group tag.
    mutating func payloadRange(_ entry: Entry, isGroup: Bool) -> Range<Int> {
        if isGroup {
            // The end-group tag is the last varint of the range: scan back over its bytes.
            var end = entry.end - 1
            while end > entry.start && input[end - 1] & 0x80 != 0 { end -= 1 }
            return entry.start..<end
        }
        var reader = reader(entry.start..<entry.end)
        let payload = (try? reader.readLengthDelimitedRange()) ?? 0..<0
        return (entry.start + payload.lowerBound)..<(entry.start + payload.upperBound)
    }

    /// Prints a repeated field, packed and unpacked occurrences alike, as one array.
    mutating func writeRepeated(_ field: FieldInfo, entries range: Range<Int>) throws(TranscodingError) -> Bool {
        output.append(UInt8(ascii: "["))
        var count = 0
        for entryIndex in range {
            let entry = entries[entryIndex]
            if field.kind == .message || field.kind == .group {
                if count > 0 { output.append(UInt8(ascii: ",")) }
                do {
                    let payload = payloadRange(entry, isGroup: field.kind == .group)
                    try writeMessage(typeIndex: field.typeIndex, range: payload)
                } catch {
                    throw error.atIndex(count)
                }
                count += 1
                continue
            }
            var reader = reader(entry.start..<entry.end)
            if entry.wireType == .lengthDelimited && field.type.isPackable {
                var packed: WireReader
                do {
                    packed = try reader.enterPacked()
                } catch {
                    throw Self.malformed(error, base: entry.start)
                }
                let packedBase = entry.start
                while !packed.isAtEnd {
                    let rollback = output.count
                    if count > 0 { output.append(UInt8(ascii: ",")) }
                    do {
                        if try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, from: &packed, base: packedBase) {
                            count += 1
                        } else {
                            output.removeLast(output.count - rollback)
                        }
                    } catch {
                        throw error.atIndex(count)
                    }
                }
            } else {
                let rollback = output.count
                if count > 0 { output.append(UInt8(ascii: ",")) }
                do {
                    if try writeScalar(field.type, kind: field.kind, typeIndex: field.typeIndex, from: &reader, base: entry.start) {
                        count += 1
                    } else {
                        output.removeLast(output.count - rollback)
                    }
                } catch {
                    throw error.atIndex(count)
                }
            }
        }
        output.append(UInt8(ascii: "]"))
        return count > 0 || options.emitDefaults
    }

    /// Prints one scalar or enum value read from `reader`. Returns false (printing nothing) for a
    /// value of a closed enum that the enum does not list.
    mutating func writeScalar(
        _ type: FieldDescriptor.FieldType, kind: FieldInfo.Kind, typeIndex: Int, from reader: inout WireReader, base: Int
    ) throws(TranscodingError) -> Bool {
        do {
            switch type {
            case .int32:
                DecimalText.append(Int64(Int32(truncatingIfNeeded: try reader.readVarint())), into: &output)
            case .uint32:
                DecimalText.append(UInt64(UInt32(truncatingIfNeeded: try reader.readVarint())), into: &output)
            case .sint32:
                DecimalText.append(Int64(ZigZag.decode(UInt32(truncatingIfNeeded: try reader.readVarint()))), into: &output)
            case .fixed32:
                DecimalText.append(UInt64(try reader.readFixed32()), into: &output)
            case .sfixed32:
                DecimalText.append(Int64(Int32(bitPattern: try reader.readFixed32())), into: &output)
            case .int64, .sfixed64, .sint64, .uint64, .fixed64:
                let raw = type == .sfixed64 || type == .fixed64 ? try reader.readFixed64() : try reader.readVarint()
                switch type {
                case .int64, .sfixed64: DecimalText.append(Int64(bitPattern: raw), quoted: true, into: &output)
                case .sint64: DecimalText.append(ZigZag.decode(raw), quoted: true, into: &output)
                default: DecimalText.append(raw, quoted: true, into: &output)
                }
            case .bool:
                JSONOutput.appendASCII(try reader.readVarint() != 0 ? "true" : "false", into: &output)
            case .double:
                JSONOutput.appendDouble(Double(bitPattern: try reader.readFixed64()), into: &output)
            case .float:
                JSONOutput.appendFloat(Float(bitPattern: try reader.readFixed32()), into: &output)
            case .string:
                let start = reader.offset
                let bytes = try reader.readBytes()
                // Validated while escaped; the partial text of an invalid string goes with the error.
                guard JSONStringText.append(Self.typed(bytes), count: bytes.count, into: &output) else {
                    throw TranscodingError(.malformedProto, "invalid protobuf: string is not valid UTF-8 at byte \(base + start)")
                }
            case .bytes:
                let bytes = try reader.readBytes()
                Base64.appendQuoted(Self.typed(bytes), count: bytes.count, into: &output)
            case .enum:
                let number = Int32(truncatingIfNeeded: try reader.readVarint())
                return writeEnum(number, kind: kind, enumIndex: typeIndex)
            case .message, .group:
                preconditionFailure("messages are not scalars")
            }
        } catch let error as WireDecodingError {
            throw Self.malformed(error, base: base)
        } catch let error as TranscodingError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        return true
    }

    /// The bytes of a buffer as a typed pointer (any non-null pointer for an empty one).
    @inline(__always)
    static func typed(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        UnsafePointer(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)) ?? UnsafePointer(bitPattern: 1)!
    }

    mutating func writeEnum(_ number: Int32, kind: FieldInfo.Kind, enumIndex: Int) -> Bool {
        if kind == .nullValue {
            JSONOutput.appendASCII("null", into: &output)
            return true
        }
        let asInts = options.enumsAsInts
        return codec.enumRefs[enumIndex].read { table in
            if asInts {
                if table.contains(number) {
                    JSONOutput.appendInteger(Int64(number), into: &output)
                    return true
                }
            } else if table.appendQuotedName(number, into: &output) {
                return true
            }
            if table.isClosed { return false }
            JSONOutput.appendInteger(Int64(number), into: &output)
            return true
        }
    }
}
