import ProtoWire

extension ProtoJSONCodec {
    /// Translates JSON text that is the value of one field of message `messageIndex` to that
    /// field's protobuf encoding (its tag and value), as for a `google.api.http` rule with
    /// `body: "field"` (`google/api/http.proto`: "the request body is mapped to the field").
    ///
    /// The text must be exactly one JSON value: an empty, truncated or trailing-garbage body is
    /// `malformedJSON` with its byte offset in the body itself, and a type error names the path
    /// from the field (`shelf.theme: …`), exactly as if the field had been a member of a
    /// whole-message body. `null` leaves the field unset (ProtoJSON mapping).
    ///
    /// - Precondition: `fieldNumber` is a field of message `messageIndex` (a route table built
    ///   from the same pool guarantees it).
    public func protobuf(
        fromJSON json: UnsafeRawBufferPointer, fieldNumber: Int, messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        try withEncoder(json, options: options) { encoder throws(TranscodingError) in
            try encoder.run(fieldNumber: fieldNumber, messageIndex: messageIndex)
        }
    }

    /// ``protobuf(fromJSON:fieldNumber:messageIndex:options:)-(UnsafeRawBufferPointer,_,_,_)``
    /// for an array of bytes.
    public func protobuf(
        fromJSON json: [UInt8], fieldNumber: Int, messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        try Self.withBytes(json) { buffer throws(TranscodingError) in
            try protobuf(fromJSON: buffer, fieldNumber: fieldNumber, messageIndex: messageIndex, options: options)
        }
    }
}

extension JSONToProto {
    /// The whole input as the value of field `fieldNumber` of message `messageIndex`.
    mutating func run(fieldNumber: Int, messageIndex: Int) throws(TranscodingError) {
        let table = codec.messages[messageIndex]
        guard let rank = table.rank(ofNumber: UInt32(fieldNumber)) else {
            preconditionFailure("field \(fieldNumber) is not a field of \(table.fullName)")
        }
        let oneofWords = (table.realOneofCount + 63) >> 6
        _ = seen.push(oneofWords)
        do {
            try writeField(table.fields[rank], table: table, oneofBase: 0)
        } catch {
            throw error.inField(table.jsonNames[rank])
        }
        try scanner.expectEnd()
    }
}
