import ProtoWire

/// The special JSON forms of the well-known types, printed from their wire fields.
extension ProtoToJSON {
    /// The last occurrence of fields 1 and 2 with the expected wire types (no allocation).
    mutating func lastFields(_ range: Range<Int>, _ first: WireType, _ second: WireType) throws(TranscodingError) -> (Entry?, Entry?) {
        var found: (Entry?, Entry?) = (nil, nil)
        var reader = reader(range)
        do {
            while let tag = try reader.readTag() {
                let start = range.lowerBound + reader.offset
                try Self.skipValue(tag, in: &reader)
                let entry = Entry(rank: 0, wireType: tag.wireType, start: start, end: range.lowerBound + reader.offset)
                if tag.fieldNumber == 1 && tag.wireType == first { found.0 = entry }
                if tag.fieldNumber == 2 && tag.wireType == second { found.1 = entry }
            }
        } catch {
            throw Self.malformed(error, base: range.lowerBound)
        }
        return found
    }

    /// The varint of an entry, or 0 when absent.
    mutating func varint(_ entry: Entry?) throws(TranscodingError) -> UInt64 {
        guard let entry else { return 0 }
        var reader = reader(entry.start..<entry.end)
        do {
            return try reader.readVarint()
        } catch {
            throw Self.malformed(error, base: entry.start)
        }
    }

    mutating func writeWellKnown(_ type: WellKnownType, table: MessageTable, range: Range<Int>) throws(TranscodingError) {
        var gaveUp = false
        if singlePassDisabled == 0 {
            let done: Bool?  // nil: no single pass for this type
            switch type {
            case .timestamp, .duration: done = try writeSecondsNanosInOnePass(type, range: range)
            case .struct: done = try writeStructInOnePass(table, range: range)
            case .value: done = try writeValueInOnePass(range: range)
            case .fieldMask, .listValue, .any, .empty: done = nil
            default: done = try writeWrapperInOnePass(table, range: range)
            }
            if done == true { return }
            gaveUp = done == false
        }
        // A single pass that gave up may have printed nested values already: this value prints
        // again on the indexed path only, so nothing nested is printed more than twice (a
        // retry at every level would cost 2^depth).
        if gaveUp {
            fallbacks += 1
            singlePassDisabled += 1
        }
        defer { if gaveUp { singlePassDisabled -= 1 } }
        switch type {
        case .timestamp, .duration:
            let fields = try lastFields(range, .varint, .varint)
            let seconds = Int64(bitPattern: try varint(fields.0))
            let nanos = Int32(truncatingIfNeeded: try varint(fields.1))
            output.append(UInt8(ascii: "\""))
            let ok =
                type == .timestamp
                ? TimestampText.format(seconds: seconds, nanos: nanos, into: &output)
                : DurationText.format(seconds: seconds, nanos: nanos, into: &output)
            guard ok else {
                throw TranscodingError(
                    .notRepresentable, "\(type.rawValue) with seconds \(seconds) and nanos \(nanos) is out of range")
            }
            output.append(UInt8(ascii: "\""))
        case .fieldMask:
            output.append(UInt8(ascii: "\""))
            var reader = reader(range)
            var first = true
            do {
                while let tag = try reader.readTag() {
                    guard tag.fieldNumber == 1, tag.wireType == .lengthDelimited else {
                        try reader.skipField(tag)
                        continue
                    }
                    let path = try reader.readBytes()
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    guard FieldMaskText.appendCamelCase(path, into: &output) else {
                        throw TranscodingError(
                            .notRepresentable,
                            "FieldMask path \(QuotedValue.shown(path)) has no lowerCamelCase form that converts back")
                    }
                }
            } catch let error as WireDecodingError {
                throw Self.malformed(error, base: range.lowerBound)
            } catch let error as TranscodingError {
                throw error
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
            output.append(UInt8(ascii: "\""))
        case .struct:
            try writeStruct(range: range, table: table)
        case .listValue:
            try writeList(range: range)
        case .value:
            try writeValue(range: range)
        case .any:
            try writeAny(range: range)
        case .empty:
            JSONOutput.appendASCII("{}", into: &output)
        default:
            let wrapped = QuotedValue.wrappedType(type)!
            let fields = try lastFields(range, wrapped.wireType, wrapped.wireType)
            guard let value = fields.0 else {
                writeDefault(table.fields[0])
                return
            }
            var reader = reader(value.start..<value.end)
            _ = try writeScalar(wrapped, kind: .scalar, typeIndex: -1, from: &reader, base: value.start)
        }
    }

    /// `Struct`: its `fields` map as an object.
    mutating func writeStruct(range: Range<Int>, table: MessageTable) throws(TranscodingError) {
        let base = entries.count
        defer { entries.removeLast(entries.count - base) }
        try index(table, range: range, oneofBase: 0)
        _ = try writeMap(table.fields[0], entries: base..<entries.count)
    }

    /// `ListValue`: its `values` as an array.
    mutating func writeList(range: Range<Int>) throws(TranscodingError) {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONOptions.maximumDepth {
            throw TranscodingError(.limitExceeded, "nesting deeper than \(JSONOptions.maximumDepth)")
        }
        let attempted = singlePassDisabled == 0
        if attempted, try writeListInOnePass(range: range) { return }
        // As in writeWellKnown: the elements print again on the indexed path only.
        if attempted {
            fallbacks += 1
            singlePassDisabled += 1
        }
        defer { if attempted { singlePassDisabled -= 1 } }
        let valueIndex = codec.valueMessageIndex!
        output.append(UInt8(ascii: "["))
        var reader = reader(range)
        var count = 0
        do {
            while let tag = try reader.readTag() {
                guard tag.fieldNumber == 1, tag.wireType == .lengthDelimited else {
                    try reader.skipField(tag)
                    continue
                }
                let payload = try reader.readLengthDelimitedRange()
                if count > 0 { output.append(UInt8(ascii: ",")) }
                do {
                    let value = (range.lowerBound + payload.lowerBound)..<(range.lowerBound + payload.upperBound)
                    try writeMessage(typeIndex: valueIndex, range: value)
                } catch {
                    throw error.atIndex(count)
                }
                count += 1
            }
        } catch let error as WireDecodingError {
            throw Self.malformed(error, base: range.lowerBound)
        } catch let error as TranscodingError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        output.append(UInt8(ascii: "]"))
    }

    /// Wire types of `Value.kind`'s members, fields 1...6.
    static let valueWireTypes: [WireType] = [.varint, .fixed64, .lengthDelimited, .varint, .lengthDelimited, .lengthDelimited]

    /// `Value`: the member of `kind` set last; no member prints as `null`.
    mutating func writeValue(range: Range<Int>) throws(TranscodingError) {
        let wireTypes = Self.valueWireTypes
        var reader = reader(range)
        var kind: Entry? = nil
        do {
            while let tag = try reader.readTag() {
                let start = range.lowerBound + reader.offset
                try Self.skipValue(tag, in: &reader)
                let number = Int(tag.fieldNumber)
                guard number >= 1 && number <= 6, wireTypes[number - 1] == tag.wireType else { continue }
                kind = Entry(rank: number, wireType: tag.wireType, start: start, end: range.lowerBound + reader.offset)
            }
        } catch {
            throw Self.malformed(error, base: range.lowerBound)
        }
        guard let kind else {
            JSONOutput.appendASCII("null", into: &output)
            return
        }
        var valueReader = self.reader(kind.start..<kind.end)
        switch kind.rank {
        case 1:
            JSONOutput.appendASCII("null", into: &output)
        case 2:
            let value = Double(bitPattern: (try? valueReader.readFixed64()) ?? 0)
            guard value.isFinite else {
                throw TranscodingError(.notRepresentable, "google.protobuf.Value number \(value) has no JSON form")
            }
            JSONOutput.appendDouble(value, into: &output)
        case 3:
            _ = try writeScalar(.string, kind: .scalar, typeIndex: -1, from: &valueReader, base: kind.start)
        case 4:
            _ = try writeScalar(.bool, kind: .scalar, typeIndex: -1, from: &valueReader, base: kind.start)
        case 5:
            try writeMessage(typeIndex: codec.structMessageIndex!, range: payloadRange(kind, isGroup: false))
        default:
            try writeList(range: payloadRange(kind, isGroup: false))
        }
    }

    /// `Any`: `{"@type": url, ...fields}`, or `{"@type": url, "value": special}` for a
    /// well-known type; an empty `Any` prints as `{}`.
    mutating func writeAny(range: Range<Int>) throws(TranscodingError) {
        let fields = try lastFields(range, .lengthDelimited, .lengthDelimited)
        let urlRange = fields.0.map { payloadRange($0, isGroup: false) } ?? 0..<0
        let valueRange = fields.1.map { payloadRange($0, isGroup: false) } ?? 0..<0
        if urlRange.isEmpty {
            guard valueRange.isEmpty else {
                throw TranscodingError(.notRepresentable, "google.protobuf.Any has a value but no type URL")
            }
            JSONOutput.appendASCII("{}", into: &output)
            return
        }
        let url = UnsafeRawBufferPointer(rebasing: input[urlRange])
        guard UTF8Validation.isValid(url) else {
            throw TranscodingError(.malformedProto, "invalid protobuf: type URL is not valid UTF-8")
        }
        let text = String(decoding: url, as: UTF8.self)
        let name = text.lastIndex(of: "/").map { String(text[text.index(after: $0)...]) } ?? ""
        guard !name.isEmpty, let messageIndex = codec.pool.messageIndex(named: name) else {
            throw TranscodingError(.unresolvableType, "type \"\(text)\" is not in the descriptor pool").inField("@type")
        }
        let inner = codec.messages[messageIndex]
        if let wellKnown = inner.wellKnownType, wellKnown != .empty {
            JSONOutput.appendASCII("{\"@type\":", into: &output)
            JSONOutput.appendString(url, into: &output)
            JSONOutput.appendASCII(",\"value\":", into: &output)
            do {
                try writeMessage(inner, range: valueRange)
            } catch {
                throw error.inField("value")
            }
            output.append(UInt8(ascii: "}"))
        } else {
            try writeMessage(inner, range: valueRange, typeURL: url)
        }
    }
}
