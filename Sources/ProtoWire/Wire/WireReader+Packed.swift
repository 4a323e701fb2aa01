extension WireReader {
    /// Calls `body` with each varint of a packed repeated field.
    @inlinable
    public mutating func readPackedVarints(_ body: (UInt64) throws(WireDecodingError) -> Void) throws(WireDecodingError) {
        var packed = try enterPacked()
        while !packed.isAtEnd {
            try body(try packed.readVarint())
        }
    }

    /// Calls `body` with each element of a packed repeated fixed32 field.
    @inlinable
    public mutating func readPackedFixed32(_ body: (UInt32) throws(WireDecodingError) -> Void) throws(WireDecodingError) {
        let start = position
        var packed = try enterPacked()
        guard packed.remainingCount % 4 == 0 else { throw WireDecodingError(.invalidPackedLength, at: start) }
        while !packed.isAtEnd {
            try body(try packed.readFixed32())
        }
    }

    /// Calls `body` with each element of a packed repeated fixed64 field.
    @inlinable
    public mutating func readPackedFixed64(_ body: (UInt64) throws(WireDecodingError) -> Void) throws(WireDecodingError) {
        let start = position
        var packed = try enterPacked()
        guard packed.remainingCount % 8 == 0 else { throw WireDecodingError(.invalidPackedLength, at: start) }
        while !packed.isAtEnd {
            try body(try packed.readFixed64())
        }
    }
}
