extension DynamicMessage {
    /// The exact number of bytes ``encoded()`` produces.
    public var serializedSize: Int {
        var sizes: [Int] = []
        return computeSize(recordingInto: &sizes)
    }

    /// Encodes the message as protobuf C++ does, so that a decoded message re-encodes to the
    /// bytes protoc wrote: fields in number order (extensions among them), packed fields as one
    /// length-delimited run, a group between start- and end-group tags, map entries always with
    /// key and value (zero values filled in), and unknown fields last, verbatim.
    ///
    /// The size of every nested message is computed first, so the output buffer is allocated once
    /// and every length prefix is written before its payload.
    public func encoded() -> [UInt8] {
        // Pre-order sizes of nested messages and packed runs, used in the same order by `write`.
        var sizes: [Int] = []
        let size = computeSize(recordingInto: &sizes)
        var writer = WireWriter(capacity: size)
        write(to: &writer, size: size, sizes: sizes)
        return writer.bytes
    }

    /// Appends the encoding of this message (without a tag or length prefix) to `writer`.
    ///
    /// The writer grows as arrays do; when encoding one message alone, ``encoded()`` allocates
    /// its buffer once at the exact size.
    public func encode(to writer: inout WireWriter) {
        var sizes: [Int] = []
        let size = computeSize(recordingInto: &sizes)
        write(to: &writer, size: size, sizes: sizes)
    }

    private func write(to writer: inout WireWriter, size: Int, sizes: [Int]) {
        let start = writer.count
        var cursor = 0
        write(to: &writer, sizes: sizes, cursor: &cursor)
        precondition(writer.count - start == size && cursor == sizes.count, "encoded size differs from computed size")
    }

    // MARK: Size

    /// The encoded size; appends the size of each nested message and packed run to `sizes` in
    /// the order ``write(to:sizes:cursor:)`` needs them.
    func computeSize(recordingInto sizes: inout [Int]) -> Int {
        if let complete = completedMapEntry() { return complete.computeSize(recordingInto: &sizes) }
        var total = unknownFields.bytes.count
        var start = 0
        while start < entries.count {
            let tagSize = WireSize.tag(fieldNumber: UInt32(entries[start].number))
            if entries[start].isPacked {
                let end = runEnd(from: start)
                var payload = 0
                for index in start..<end { payload += Self.scalarSize(entries[index].value, type: entries[index].type) }
                sizes.append(payload)
                total += tagSize + WireSize.lengthDelimited(payload)
                start = end
                continue
            }
            switch entries[start].value {
            case .message(let message):
                let slot = sizes.count
                sizes.append(0)
                let size = message.computeSize(recordingInto: &sizes)
                sizes[slot] = size
                total += tagSize + WireSize.lengthDelimited(size)
            case .group(let group):
                total += 2 * tagSize + group.computeSize(recordingInto: &sizes)
            case let value:
                total += tagSize + Self.scalarSize(value, type: entries[start].type)
            }
            start += 1
        }
        return total
    }

    /// The encoded size of a scalar, string or bytes value, without its tag.
    static func scalarSize(_ value: DynamicValue, type: FieldDescriptor.FieldType) -> Int {
        switch value {
        case .int32(let value):
            switch type {
            case .sint32: WireSize.varint(UInt64(ZigZag.encode(value)))
            case .sfixed32: 4
            default: WireSize.varint(value)
            }
        case .int64(let value):
            switch type {
            case .sint64: WireSize.varint(ZigZag.encode(value))
            case .sfixed64: 8
            default: WireSize.varint(UInt64(bitPattern: value))
            }
        case .uint32(let value): type == .fixed32 ? 4 : WireSize.varint(UInt64(value))
        case .uint64(let value): type == .fixed64 ? 8 : WireSize.varint(value)
        case .float: 4
        case .double: 8
        case .bool: 1
        case .enum(let value): WireSize.varint(value)
        case .string(let value): WireSize.lengthDelimited(value.utf8.count)
        case .bytes(let value): WireSize.lengthDelimited(value.count)
        case .message, .group: preconditionFailure("a message is not a scalar")
        }
    }

    // MARK: Writing

    /// Writes the fields, reading nested sizes from `sizes` starting at `cursor`.
    func write(to writer: inout WireWriter, sizes: [Int], cursor: inout Int) {
        if let complete = completedMapEntry() {
            complete.write(to: &writer, sizes: sizes, cursor: &cursor)
            return
        }
        var start = 0
        while start < entries.count {
            let number = UInt32(entries[start].number)
            if entries[start].isPacked {
                let end = runEnd(from: start)
                writer.writeTag(fieldNumber: number, wireType: .lengthDelimited)
                writer.writeVarint(UInt64(sizes[cursor]))
                cursor += 1
                for index in start..<end {
                    Self.writeScalar(entries[index].value, type: entries[index].type, to: &writer)
                }
                start = end
                continue
            }
            switch entries[start].value {
            case .message(let message):
                writer.writeTag(fieldNumber: number, wireType: .lengthDelimited)
                writer.writeVarint(UInt64(sizes[cursor]))
                cursor += 1
                message.write(to: &writer, sizes: sizes, cursor: &cursor)
            case .group(let group):
                writer.writeTag(fieldNumber: number, wireType: .startGroup)
                group.write(to: &writer, sizes: sizes, cursor: &cursor)
                writer.writeTag(fieldNumber: number, wireType: .endGroup)
            case let value:
                let type = entries[start].type
                writer.writeTag(fieldNumber: number, wireType: type.wireType)
                Self.writeScalar(value, type: type, to: &writer)
            }
            start += 1
        }
        unknownFields.write(to: &writer)
    }

    /// Writes a scalar, string or bytes value without its tag.
    static func writeScalar(_ value: DynamicValue, type: FieldDescriptor.FieldType, to writer: inout WireWriter) {
        switch value {
        case .int32(let value):
            switch type {
            case .sint32: writer.writeVarint(UInt64(ZigZag.encode(value)))
            case .sfixed32: writer.writeFixed32(UInt32(bitPattern: value))
            default: writer.writeVarint(value)
            }
        case .int64(let value):
            switch type {
            case .sint64: writer.writeVarint(ZigZag.encode(value))
            case .sfixed64: writer.writeFixed64(UInt64(bitPattern: value))
            default: writer.writeVarint(UInt64(bitPattern: value))
            }
        case .uint32(let value):
            if type == .fixed32 { writer.writeFixed32(value) } else { writer.writeVarint(UInt64(value)) }
        case .uint64(let value):
            if type == .fixed64 { writer.writeFixed64(value) } else { writer.writeVarint(value) }
        case .float(let value): writer.writeFixed32(value.bitPattern)
        case .double(let value): writer.writeFixed64(value.bitPattern)
        case .bool(let value): writer.writeVarint(value ? 1 : 0 as UInt64)
        case .enum(let value): writer.writeVarint(value)
        case .string(let value): writer.writeString(value)
        case .bytes(let value): writer.writeLengthDelimited(value)
        case .message, .group: preconditionFailure("a message is not a scalar")
        }
    }

    // MARK: Map entries

    /// For a map entry that lacks its key or value, a copy with the zero value filled in: protoc
    /// always writes both (an absent message value as an empty one). Nil when nothing is missing.
    func completedMapEntry() -> DynamicMessage? {
        if entries.count >= 2 && entries[0].number == 1 && entries[1].number == 2 { return nil }
        guard pool.messages[messageIndex].isMapEntry else { return nil }
        let layout = Layout(pool: pool, messageIndex: messageIndex)
        var complete = self
        var added = false
        for number: Int32 in [1, 2] where !hasField(number) {
            var hint = 0
            guard let traits = layout.traits(of: number, hint: &hint) else { continue }
            let zero: DynamicValue =
                traits.type == .message
                ? .message(DynamicMessage(messageIndex: traits.messageIndex, pool: pool)) : .zero(of: traits.type)
            complete.store(zero, as: traits, layout: layout)
            added = true
        }
        return added ? complete : nil
    }
}
