import ProtoWire

/// The well-known types' special forms (`ProtoToJSON+WellKnown.swift`) in the single pass: their
/// few fields are read with a ``WireCursor`` instead of being indexed first. Each returns false,
/// having printed nothing, when the message holds a group; the `WireReader` versions then print
/// it (they also serve the indexed path, which must report errors exactly).
extension ProtoToJSON {
    /// The last value of field 1 and of field 2 with the wire types given (raw values).
    @inline(__always)
    mutating func lastTwoFields(
        _ range: Range<Int>, _ first: UInt32, _ second: UInt32
    ) throws(TranscodingError) -> (found: Bool, first: (bits: UInt64, start: Int)?, second: (bits: UInt64, start: Int)?)
    {
        var cursor = WireCursor(input, range: range)
        var one: (bits: UInt64, start: Int)? = nil
        var two: (bits: UInt64, start: Int)? = nil
        while !cursor.isAtEnd {
            let tag = try cursor.readTag()
            let wireType = tag & 7
            if wireType == 3 || wireType == 4 { return (false, nil, nil) }
            let value = try cursor.readValue(wireType: wireType)
            if tag == 1 << 3 | first { one = value }
            if tag == 2 << 3 | second { two = value }
        }
        return (true, one, two)
    }

    /// Timestamp or Duration as their RFC 3339 / `"1.5s"` strings.
    mutating func writeSecondsNanosInOnePass(_ type: WellKnownType, range: Range<Int>) throws(TranscodingError) -> Bool
    {
        let fields = try lastTwoFields(range, 0, 0)
        guard fields.found else { return false }
        let seconds = Int64(bitPattern: fields.first?.bits ?? 0)
        let nanos = Int32(truncatingIfNeeded: fields.second?.bits ?? 0)
        output.append(UInt8(ascii: "\""))
        let ok =
            type == .timestamp
            ? TimestampText.format(seconds: seconds, nanos: nanos, into: &output)
            : DurationText.format(seconds: seconds, nanos: nanos, into: &output)
        guard ok else { throw WireCursor.malformed }
        output.append(UInt8(ascii: "\""))
        return true
    }

    /// A wrapper (`google/protobuf/wrappers.proto`) as its bare value.
    mutating func writeWrapperInOnePass(_ table: MessageTable, range: Range<Int>) throws(TranscodingError) -> Bool {
        let field = table.fields[0]
        let wireType = UInt32(field.type.wireType.rawValue)
        let fields = try lastTwoFields(range, wireType, wireType)
        guard fields.found else { return false }
        guard let value = fields.first else {
            writeDefault(field)
            return true
        }
        _ = try writeValue(field, bits: value.bits, start: value.start)
        return true
    }

    /// `Struct`: one run of `fields` entries and nothing else goes through the single-pass map
    /// printer.
    mutating func writeStructInOnePass(_ table: MessageTable, range: Range<Int>) throws(TranscodingError) -> Bool {
        var cursor = WireCursor(input, range: range)
        guard !cursor.isAtEnd else {
            JSONOutput.appendASCII("{}", into: &output)
            return true
        }
        let field = table.fields[0]
        guard try cursor.readTag() == field.tag else { return false }
        let start = output.count
        if try writeMapInOnePass(field, cursor: &cursor) != nil && cursor.isAtEnd { return true }
        output.removeLast(output.count - start)
        return false
    }

    /// `Value`: the member of `kind` set last (fields 1...6); none prints as `null`.
    mutating func writeValueInOnePass(range: Range<Int>) throws(TranscodingError) -> Bool {
        var cursor = WireCursor(input, range: range)
        var kind: UInt32 = 0
        var value: (bits: UInt64, start: Int) = (0, 0)
        while !cursor.isAtEnd {
            let tag = try cursor.readTag()
            let wireType = tag & 7
            if wireType == 3 || wireType == 4 { return false }
            let read = try cursor.readValue(wireType: wireType)
            switch tag {
            // null_value, number_value, string_value, bool_value, struct_value, list_value.
            case 1 << 3 | 0, 2 << 3 | 1, 3 << 3 | 2, 4 << 3 | 0, 5 << 3 | 2, 6 << 3 | 2:
                kind = tag >> 3
                value = read
            default: break
            }
        }
        switch kind {
        case 0, 1: JSONOutput.appendASCII("null", into: &output)
        case 2:
            let number = Double(bitPattern: value.bits)
            guard number.isFinite else { throw WireCursor.malformed }
            JSONOutput.appendDouble(number, into: &output)
        case 3:
            guard JSONStringText.append(inputBytes + value.start, count: Int(value.bits), into: &output) else {
                throw WireCursor.malformed
            }
        case 4: JSONOutput.appendASCII(value.bits != 0 ? "true" : "false", into: &output)
        case 5:
            let payload = value.start..<(value.start + Int(value.bits))
            try writeMessage(typeIndex: codec.structMessageIndex!, range: payload)
        default:
            try writeList(range: value.start..<(value.start + Int(value.bits)))
        }
        return true
    }

    /// `ListValue`: its `values` as an array (the caller counts the nesting level).
    mutating func writeListInOnePass(range: Range<Int>) throws(TranscodingError) -> Bool {
        let start = output.count
        let valueIndex = codec.valueMessageIndex!
        var cursor = WireCursor(input, range: range)
        output.append(UInt8(ascii: "["))
        var count = 0
        while !cursor.isAtEnd {
            let tag = try cursor.readTag()
            let wireType = tag & 7
            if wireType == 3 || wireType == 4 {
                output.removeLast(output.count - start)
                return false
            }
            guard tag == 1 << 3 | 2 else {
                try cursor.skipValue(wireType: wireType)
                continue
            }
            let payload = try cursor.readLengthDelimited()
            if count > 0 { output.append(UInt8(ascii: ",")) }
            // A Value is not a nesting level by itself: the general printer would only get here.
            if try !writeValueInOnePass(range: payload) { try writeMessage(typeIndex: valueIndex, range: payload) }
            count += 1
        }
        output.append(UInt8(ascii: "]"))
        return true
    }
}
