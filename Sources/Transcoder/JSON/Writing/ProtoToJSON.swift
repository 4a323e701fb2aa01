import ProtoWire

/// The protobuf → JSON direction.
///
/// ProtoJSON prints fields in field-number order. Encoders of the protoc family write them in
/// that order, each repeated field's values together, so a message is first printed in one pass
/// while it is read (`ProtoToJSON+SinglePass.swift`). When the wire says otherwise — a field
/// number going backwards, a singular field repeated (last one wins), a second member of a
/// oneof — the output is taken back to the message's `{` and the message is printed by the
/// indexed path: one pass records where each known field's values are (rank, wire type, byte
/// range) in one reusable arena, sorts that small index only if needed, then prints field by
/// field, reading values straight from the input. Nested messages push their index on the same
/// arena and pop it when done: no tree, no per-message allocation.
///
/// Any error in a single pass prints the whole input again on the indexed path alone, so errors
/// (their text, their byte offsets, which of two comes first) are always the indexed path's.
///
/// Helpers that only read are `mutating` too: a non-mutating method called from a mutating one
/// gets a copy of the whole struct, retaining every arena for the call.
struct ProtoToJSON {
    struct Entry {
        var rank: Int
        var wireType: WireType
        /// The value's bytes after the tag (for length-delimited values, the length prefix too;
        /// for groups, up to and including the end-group tag).
        var start: Int
        var end: Int
    }

    let codec: ProtoJSONCodec
    let options: JSONOptions
    let input: UnsafeRawBufferPointer
    var output: OutputBuffer
    var entries: [Entry] = []
    var oneofLast: [Int] = []
    /// Arenas for map printing: entries, and their printed keys back to back with end offsets.
    var mapParts: [MapEntryParts] = []
    var mapKeyBytes: [UInt8] = []
    var mapKeyEnds: [Int] = []
    /// The printed identities of the keys of the maps being checked (`keysAreDistinct`).
    var mapKeyIdentities: [KeyIdentity] = []
    var depth = 0
    /// Above 0, messages go straight to the indexed path: after an error (the whole input is
    /// printed again that way), or inside a message being printed again after its single pass
    /// gave up — so that no message is printed more than twice per enclosing fallback.
    var singlePassDisabled = 0
    /// How many times a single pass gave up (a message, a map run, or the whole input after an
    /// error) — for tests that check the fast path is taken.
    var fallbacks = 0

    /// A printer of `input` into `output` (by default a buffer of its own); `singlePass: false`
    /// uses only the indexed path (tests compare the two).
    init(
        codec: ProtoJSONCodec, input: UnsafeRawBufferPointer, options: JSONOptions, singlePass: Bool = true,
        output: OutputBuffer? = nil
    ) {
        self.codec = codec
        self.options = options
        self.input = input
        self.output = output ?? OutputBuffer(capacity: Self.outputEstimate(input))
        singlePassDisabled = singlePass ? 0 : 1
    }

    /// Room for the JSON text of `input` in the common case: a varint's byte becomes a digit or
    /// two, a tag becomes a key.
    static func outputEstimate(_ input: UnsafeRawBufferPointer) -> Int { input.count * 3 + 64 }

    /// Frees the output buffer; call once when done.
    mutating func release() { output.release() }

    /// Prints message `messageIndex` and returns a copy of the text.
    mutating func run(messageIndex: Int) throws(TranscodingError) -> [UInt8] {
        try print(messageIndex: messageIndex)
        return output.bytes
    }

    /// Prints message `messageIndex` into the output.
    mutating func print(messageIndex: Int) throws(TranscodingError) {
        let table = codec.messages[messageIndex]
        do {
            try writeMessage(table, range: 0..<input.count)
        } catch {
            guard singlePassDisabled == 0 else { throw error }
            // The indexed path alone decides which error to report, and how.
            output.removeLast(output.count)
            singlePassDisabled += 1
            fallbacks += 1
            try writeMessage(table, range: 0..<input.count)
        }
    }

    /// A reader over `range` of the input; its offsets are relative to `range.lowerBound`.
    mutating func reader(_ range: Range<Int>) -> WireReader {
        WireReader(UnsafeRawBufferPointer(rebasing: input[range]))
    }

    static func malformed(_ error: WireDecodingError, base: Int) -> TranscodingError {
        TranscodingError(.malformedProto, "invalid protobuf: \(error.code) at byte \(error.offset + base)")
    }

    // MARK: Messages

    /// Prints message type `typeIndex` from the bytes in `range`, its table borrowed.
    @inline(__always)
    mutating func writeMessage(
        typeIndex: Int, range: Range<Int>, typeURL: UnsafeRawBufferPointer? = nil
    ) throws(TranscodingError) {
        try codec.messageRefs[typeIndex].borrow { table throws(TranscodingError) in
            try writeMessage(table, range: range, typeURL: typeURL)
        }
    }

    /// Prints the message whose fields are the bytes in `range`. In an `Any`, `typeURL` is
    /// printed first as `"@type"`.
    mutating func writeMessage(
        _ table: MessageTable, range: Range<Int>, typeURL: UnsafeRawBufferPointer? = nil
    ) throws(TranscodingError) {
        // The limit counts JSON objects and arrays, as the parser does: a Value or ListValue
        // message is not one level by itself (the list counts in writeList, a struct here).
        let counts = table.countsAsLevel
        if counts {
            depth += 1
            if depth > JSONOptions.maximumDepth {
                depth -= 1
                throw TranscodingError(.limitExceeded, "nesting deeper than \(JSONOptions.maximumDepth)")
            }
        }
        defer { if counts { depth -= 1 } }
        if typeURL == nil && table.hasSpecialForm, let wellKnown = table.wellKnownType {
            try writeWellKnown(wellKnown, table: table, range: range)
            return
        }
        if singlePassDisabled == 0 && table.realOneofCount <= 64 {
            let start = output.count
            if try writeInOnePass(table, range: range, typeURL: typeURL) { return }
            output.removeLast(output.count - start)
            fallbacks += 1
            singlePassDisabled += 1
            defer { singlePassDisabled -= 1 }
            try writeIndexed(table, range: range, typeURL: typeURL)
            return
        }
        try writeIndexed(table, range: range, typeURL: typeURL)
    }

    /// The entry arena's first allocation: one entry per few input bytes (a value takes at least
    /// two), so that it rarely grows.
    var entryArenaCapacity: Int { min(max(64, input.count / 4), 4096) }

    /// Prints a message from an index of its fields (see the type's documentation).
    mutating func writeIndexed(
        _ table: MessageTable, range: Range<Int>, typeURL: UnsafeRawBufferPointer?
    ) throws(TranscodingError) {
        if entries.capacity == 0 { entries.reserveCapacity(entryArenaCapacity) }
        if oneofLast.capacity == 0 { oneofLast.reserveCapacity(16) }
        let base = entries.count
        let oneofBase = oneofLast.count
        oneofLast.append(contentsOf: repeatElement(-1, count: table.realOneofCount))
        defer {
            entries.removeLast(entries.count - base)
            oneofLast.removeLast(table.realOneofCount)
        }
        try index(table, range: range, oneofBase: oneofBase)
        let top = entries.count

        var first = openObject(typeURL: typeURL)
        var cursor = base
        let fieldCount = table.fields.count
        var rank = -1
        while true {
            // Without emitDefaults only fields on the wire print: go straight to the next one.
            if options.emitDefaults {
                rank += 1
                guard rank < fieldCount else { break }
            } else {
                guard cursor < top else { break }
                rank = entries[cursor].rank
            }
            let field = table.fields[rank]
            var next = cursor
            while next < top && entries[next].rank == rank { next += 1 }
            if next == cursor && !(options.emitDefaults && !field.hasPresence) { continue }
            if next > cursor && field.oneofIndex >= 0 && oneofLast[oneofBase + field.oneofIndex] != rank {
                cursor = next
                continue
            }
            let rollback = output.count
            if !first { output.append(UInt8(ascii: ",")) }
            table.appendKey(rank: rank, protoName: options.useProtoNames, into: &output)
            let wrote: Bool
            do {
                wrote = try writeField(field, entries: cursor..<next)
            } catch {
                throw error.inField(options.useProtoNames ? table.protoNames[rank] : table.jsonNames[rank])
            }
            if wrote {
                first = false
            } else {
                output.removeLast(output.count - rollback)
            }
            cursor = next
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Writes a message's `{`, and its `"@type"` first when it is an `Any`'s; returns whether
    /// no member was written yet.
    @inline(__always)
    mutating func openObject(typeURL: UnsafeRawBufferPointer?) -> Bool {
        output.append(UInt8(ascii: "{"))
        guard let typeURL else { return true }
        JSONOutput.appendASCII("\"@type\":", into: &output)
        JSONOutput.appendString(typeURL, into: &output)
        return false
    }

    /// Records the known fields of the message in `range` on the entry arena, in field order.
    mutating func index(_ table: MessageTable, range: Range<Int>, oneofBase: Int) throws(TranscodingError) {
        var reader = reader(range)
        let base = range.lowerBound
        let first = entries.count
        var sorted = true
        var lastRank = -1
        do {
            while let tag = try reader.readTag() {
                let start = base + reader.offset
                try Self.skipValue(tag, in: &reader)
                guard let rank = table.rank(ofNumber: tag.fieldNumber) else { continue }
                let field = table.fields[rank]
                guard Self.wireTypeMatches(field, tag.wireType) else { continue }
                entries.append(Entry(rank: rank, wireType: tag.wireType, start: start, end: base + reader.offset))
                if rank < lastRank { sorted = false }
                lastRank = rank
                if field.oneofIndex >= 0 { oneofLast[oneofBase + field.oneofIndex] = rank }
            }
        } catch {
            throw Self.malformed(error, base: base)
        }
        if !sorted { Self.sortEntries(&entries, from: first) }
    }

    /// Orders the entries from `first` on by rank, then by position (no two are equal). A
    /// message's few dozen are sorted by insertion; longer indexes by the library's sort on the
    /// buffer itself (sorting an array slice copies it first).
    static func sortEntries(_ entries: inout [Entry], from first: Int) {
        entries.withUnsafeMutableBufferPointer { buffer in
            guard buffer.count - first <= 32 else {
                var tail = UnsafeMutableBufferPointer(rebasing: buffer[first...])
                tail.sort { ($0.rank, $0.start) < ($1.rank, $1.start) }
                return
            }
            var index = first + 1
            while index < buffer.count {
                let moving = buffer[index]
                var hole = index
                while hole > first && (buffer[hole - 1].rank, buffer[hole - 1].start) > (moving.rank, moving.start) {
                    buffer[hole] = buffer[hole - 1]
                    hole -= 1
                }
                buffer[hole] = moving
                index += 1
            }
        }
    }

    /// Skips the value after `tag` as `WireReader.skipField` does (same checks, same errors),
    /// with the four plain wire types inline; groups go to `skipField`.
    @inline(__always)
    static func skipValue(_ tag: FieldTag, in reader: inout WireReader) throws(WireDecodingError) {
        switch tag.wireType {
        case .varint: _ = try reader.readVarint()
        case .fixed64: _ = try reader.readFixed64()
        case .fixed32: _ = try reader.readFixed32()
        case .lengthDelimited: _ = try reader.readLengthDelimitedRange()
        case .startGroup, .endGroup: try reader.skipField(tag)
        }
    }

    /// Whether a value with `wireType` belongs to `field` (else protobuf keeps it as unknown).
    static func wireTypeMatches(_ field: FieldInfo, _ wireType: WireType) -> Bool {
        if field.type.wireType == wireType { return true }
        return field.isRepeated && field.type.isPackable && wireType == .lengthDelimited
    }
}
