/// The encoded bytes of a descriptor's `options` message (`MethodOptions`, `FieldOptions`, …).
///
/// The pool keeps options raw, so that extensions it does not know, such as `google.api.http`
/// (field 72295728 of `MethodOptions`), can be read by the layer that knows them.
public struct RawOptions: Hashable, Sendable {
    /// The encoded options message; empty when the descriptor has no options.
    public private(set) var bytes: [UInt8]

    public init(_ bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    /// Merges another occurrence of the options field: for messages, protobuf defines a repeated
    /// occurrence as a merge, which concatenating the encodings achieves.
    public mutating func merge(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// The payloads of every length-delimited occurrence of `fieldNumber`, in wire order.
    ///
    /// For a singular message-typed extension, protobuf merges the occurrences; callers merge by
    /// decoding them in order.
    public func lengthDelimitedValues(fieldNumber: UInt32) throws(WireDecodingError) -> [[UInt8]] {
        var values: [[UInt8]] = []
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            while let tag = try reader.readTag() {
                if tag.fieldNumber == fieldNumber && tag.wireType == .lengthDelimited {
                    values.append(try reader.readByteArray())
                } else {
                    try reader.skipField(tag)
                }
            }
        }
        return values
    }

    /// The last varint value of `fieldNumber` (last one wins, as for any singular scalar), or nil.
    public func varintValue(fieldNumber: UInt32) throws(WireDecodingError) -> UInt64? {
        var value: UInt64?
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            while let tag = try reader.readTag() {
                if tag.fieldNumber == fieldNumber && tag.wireType == .varint {
                    value = try reader.readVarint()
                } else {
                    try reader.skipField(tag)
                }
            }
        }
        return value
    }

    /// The last value of a boolean option, or nil when it is not set.
    public func boolValue(fieldNumber: UInt32) throws(WireDecodingError) -> Bool? {
        try varintValue(fieldNumber: fieldNumber).map { $0 != 0 }
    }
}
