extension DynamicMessage {
    /// Decodes `bytes` as a message of type `messageIndex` of `pool`.
    ///
    /// Follows protobuf's parse rules ("Encoding" guide, "Last One Wins" and "Packed Repeated
    /// Fields"; `wire_format.cc`):
    /// - a singular scalar seen twice keeps the last value; a singular message or group seen twice
    ///   is merged; setting a oneof member clears the others;
    /// - a packable repeated field accepts both the packed and the unpacked form;
    /// - a field whose wire type does not match its declared type is kept as an unknown field,
    ///   as is a number of a closed (proto2) enum that the enum does not list;
    /// - proto3 strings must be valid UTF-8 (``WireDecodingError/Code/invalidUTF8``, at the
    ///   payload's first byte); proto2 strings are not checked.
    public init(decoding bytes: [UInt8], messageIndex: Int, pool: DescriptorPool) throws(WireDecodingError) {
        var message = DynamicMessage(messageIndex: messageIndex, pool: pool)
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            try message.merge(from: &reader)
        }
        self = message
    }

    /// Decodes the bytes in `buffer` as a message of type `messageIndex` of `pool`.
    public init(decoding buffer: UnsafeRawBufferPointer, messageIndex: Int, pool: DescriptorPool)
        throws(WireDecodingError)
    {
        var message = DynamicMessage(messageIndex: messageIndex, pool: pool)
        var reader = WireReader(buffer)
        try message.merge(from: &reader)
        self = message
    }

    /// Decodes the rest of `reader`'s range into this message, with protobuf's merge semantics
    /// (the rules listed at `init(decoding:messageIndex:pool:)`). On error the message holds the
    /// fields decoded before the failure.
    ///
    /// Values are appended in arrival order, which for protoc's output is field-number order with
    /// no repeats of singular fields. Anything else (a field out of order, a singular field seen
    /// again, a second oneof member) is settled by one sort at the end, so hostile orderings cost
    /// O(n log n) rather than an insertion each.
    public mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        var context = MergeContext(layout: Layout(pool: pool, messageIndex: messageIndex))
        if entries.isEmpty {
            // A guess that saves most regrowth without reserving much for large strings.
            entries.reserveCapacity(min(reader.remainingCount / 8 + 1, 64))
        }
        do {
            while let tag = try reader.readTag() {
                let number = Int32(truncatingIfNeeded: tag.fieldNumber)
                guard let traits = context.layout.traits(of: number, hint: &context.hint) else {
                    try keepUnknown(tag, from: &reader)
                    continue
                }
                if tag.wireType == traits.type.wireType {
                    try decodeValue(tag, as: traits, from: &reader, &context)
                } else if tag.wireType == .lengthDelimited && traits.isRepeated && traits.type.isPackable {
                    try decodePacked(as: traits, from: &reader, &context)
                } else {
                    try keepUnknown(tag, from: &reader)
                }
            }
        } catch {
            if context.needsNormalizing { normalize(context.layout) }
            throw error
        }
        if context.needsNormalizing { normalize(context.layout) }
    }

    /// Per-call state of ``merge(from:)``.
    struct MergeContext {
        let layout: Layout
        /// Where in the layout's number order the last field was found.
        var hint = 0
        /// Set once the appended entries break the sorted, one-value-per-singular-field order.
        var needsNormalizing = false
    }

    // MARK: Fields

    private mutating func keepUnknown(_ tag: FieldTag, from reader: inout WireReader) throws(WireDecodingError) {
        let range = try reader.skipField(tag)
        unknownFields.append(reader.bytes(in: range))
    }

    /// Decodes one value whose wire type matches its field's.
    private mutating func decodeValue(
        _ tag: FieldTag, as traits: FieldTraits, from reader: inout WireReader, _ context: inout MergeContext
    ) throws(WireDecodingError) {
        switch traits.type {
        case .message, .group:
            var nestedReader = traits.type == .group ? try reader.enterGroup(tag) : try reader.enterMessage()
            var nested = DynamicMessage(messageIndex: traits.messageIndex, pool: pool)
            try nested.merge(from: &nestedReader)
            append(traits.type == .group ? .group(nested) : .message(nested), as: traits, &context)
        case .string:
            let range = try reader.readLengthDelimitedRange()
            let payload = reader.bytes(in: range)
            if let string = Self.validatedString(payload) {
                append(.string(string), as: traits, &context)
            } else if traits.checksUTF8 {
                throw WireDecodingError(.invalidUTF8, at: range.lowerBound)
            } else {
                append(.bytes(Array(payload)), as: traits, &context)
            }
        case .bytes:
            append(.bytes(Array(try reader.readBytes())), as: traits, &context)
        case .enum where traits.closedEnumIndex >= 0:
            appendClosedEnum(Int32(truncatingIfNeeded: try reader.readVarint()), as: traits, &context)
        default:
            append(try Self.readScalar(traits.type, from: &reader), as: traits, &context)
        }
    }

    /// Decodes the packed form of a repeated scalar field: one length-delimited run of values.
    private mutating func decodePacked(
        as traits: FieldTraits, from reader: inout WireReader, _ context: inout MergeContext
    ) throws(WireDecodingError) {
        let start = reader.offset
        var packed = try reader.enterPacked()
        let width: Int =
            switch traits.type.wireType {
            case .fixed32: 4
            case .fixed64: 8
            default: 1
            }
        guard packed.remainingCount % width == 0 else { throw WireDecodingError(.invalidPackedLength, at: start) }
        while !packed.isAtEnd {
            if traits.closedEnumIndex >= 0 {
                appendClosedEnum(Int32(truncatingIfNeeded: try packed.readVarint()), as: traits, &context)
            } else {
                append(try Self.readScalar(traits.type, from: &packed), as: traits, &context)
            }
        }
    }

    /// Appends a closed enum's number if the enum lists it; otherwise keeps it as an unknown
    /// varint field, as protobuf C++ does (`WriteVarint` into the unknown-field set).
    private mutating func appendClosedEnum(_ number: Int32, as traits: FieldTraits, _ context: inout MergeContext) {
        if pool.enums[traits.closedEnumIndex].firstValueIndexByNumber[number] != nil {
            append(.enum(number), as: traits, &context)
            return
        }
        var writer = WireWriter(capacity: 15)
        writer.writeTag(fieldNumber: UInt32(traits.number), wireType: .varint)
        writer.writeVarint(number)
        writer.bytes.withUnsafeBytes { unknownFields.append($0) }
    }

    /// Appends a decoded value in arrival order, noting when the entries stop being in normal
    /// form (see ``normalize(_:)``).
    @inline(__always)
    private mutating func append(_ value: DynamicValue, as traits: FieldTraits, _ context: inout MergeContext) {
        if !context.needsNormalizing {
            if let last = entries.last,
                last.number > traits.number || (last.number == traits.number && !traits.isRepeated)
            {
                context.needsNormalizing = true
            } else if !traits.isRepeated {
                // A new singular field, above every field so far.
                if traits.omitsZero && value.isImplicitDefault { return }
                if traits.oneofIndex >= 0 && hasOtherOneofMember(traits, context.layout) {
                    context.needsNormalizing = true
                }
            }
        }
        entries.append(Entry(number: traits.number, type: traits.type, isPacked: traits.isPacked, value: value))
    }

    /// Whether a member of `traits`' oneof other than itself is set.
    private func hasOtherOneofMember(_ traits: FieldTraits, _ layout: Layout) -> Bool {
        layout.oneofMembers(traits.oneofIndex).contains { fieldIndex in
            let number = layout.fields[fieldIndex].number
            return number != traits.number && !entryRange(of: number).isEmpty
        }
    }

    /// The payload as a string, or nil if it is not valid UTF-8.
    ///
    /// The generic `String(validating:as:)` costs a run-time metadata lookup per call, and
    /// `String(decoding:as:)` repairs rather than rejects; so the bytes are checked here, with an
    /// eight-bytes-at-a-time ASCII fast path, and then copied.
    @inline(__always)
    static func validatedString(_ payload: UnsafeRawBufferPointer) -> String? {
        let bytes = payload.assumingMemoryBound(to: UInt8.self)
        return UTF8Validation.isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Reads one scalar of `type` (not a string, bytes, message or group) in its own wire type.
    @inline(__always)
    static func readScalar(
        _ type: FieldDescriptor.FieldType, from reader: inout WireReader
    ) throws(WireDecodingError) -> DynamicValue {
        switch type {
        case .int32: .int32(Int32(truncatingIfNeeded: try reader.readVarint()))
        case .int64: .int64(Int64(bitPattern: try reader.readVarint()))
        case .uint32: .uint32(UInt32(truncatingIfNeeded: try reader.readVarint()))
        case .uint64: .uint64(try reader.readVarint())
        case .sint32: .int32(ZigZag.decode(UInt32(truncatingIfNeeded: try reader.readVarint())))
        case .sint64: .int64(ZigZag.decode(try reader.readVarint()))
        case .bool: .bool(try reader.readVarint() != 0)
        case .enum: .enum(Int32(truncatingIfNeeded: try reader.readVarint()))
        case .fixed32: .uint32(try reader.readFixed32())
        case .sfixed32: .int32(Int32(bitPattern: try reader.readFixed32()))
        case .float: .float(Float(bitPattern: try reader.readFixed32()))
        case .fixed64: .uint64(try reader.readFixed64())
        case .sfixed64: .int64(Int64(bitPattern: try reader.readFixed64()))
        case .double: .double(Double(bitPattern: try reader.readFixed64()))
        case .string, .bytes, .message, .group: preconditionFailure("\(type) is not a scalar")
        }
    }
}
