import ProtoWire

/// Translates between ProtoJSON and protobuf binary for every message of a ``DescriptorPool``,
/// following the canonical proto3 JSON mapping ("ProtoJSON format", protobuf.dev).
///
/// Build it once per pool; it is immutable and shared by every request. Both directions stream
/// from bytes to bytes in one pass, with no intermediate message tree:
///
/// ```swift
/// let codec = ProtoJSONCodec(pool: pool)
/// let type = pool.messageIndex(named: "example.bookstore.v1.Book")!
/// let wire = try codec.protobuf(fromJSON: body, messageIndex: type)
/// let json = try codec.json(fromProtobuf: wire, messageIndex: type, options: JSONOptions(indent: 2))
/// ```
public final class ProtoJSONCodec: Sendable {
    public let pool: DescriptorPool
    let messages: [MessageTable]
    let enums: [EnumTable]
    /// The same tables, for borrowing without reference counting (`Tables/TableAccess.swift`).
    let messageRefs: [Unmanaged<MessageTable>]
    let enumRefs: [Unmanaged<EnumTable>]
    /// `google.protobuf.Value` and `Struct`, which print each other (present together or not at all).
    let valueMessageIndex: Int?
    let structMessageIndex: Int?

    public init(pool: DescriptorPool) {
        self.pool = pool
        messages = pool.messages.map { MessageTable($0, pool: pool) }
        enums = pool.enums.map { EnumTable($0) }
        messageRefs = messages.map { Unmanaged.passUnretained($0) }
        enumRefs = enums.map { Unmanaged.passUnretained($0) }
        valueMessageIndex = pool.messageIndex(named: "google.protobuf.Value")
        structMessageIndex = pool.messageIndex(named: "google.protobuf.Struct")
    }

    /// Translates JSON text to the protobuf encoding of message `messageIndex`.
    ///
    /// Throws a ``TranscodingError`` naming the JSON path for anything that is not valid
    /// ProtoJSON for the type, and ``TranscodingError/Code/limitExceeded`` when the input is
    /// larger than `options.maximumInputSize` or nests deeper than 100.
    public func protobuf(
        fromJSON json: UnsafeRawBufferPointer, messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        try withEncoder(json, options: options) { encoder throws(TranscodingError) in try encoder.run(messageIndex: messageIndex) }
    }

    public func protobuf(
        fromJSON json: [UInt8], messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        try Self.withBytes(json) { buffer throws(TranscodingError) in
            try protobuf(fromJSON: buffer, messageIndex: messageIndex, options: options)
        }
    }

    /// Runs `body` with an encoder over `json` after the input-size check, writing into the
    /// array it returns, and frees the encoder's buffers afterwards; every JSON → protobuf entry
    /// point goes through here.
    func withEncoder(
        _ json: UnsafeRawBufferPointer, options: JSONOptions,
        _ body: (inout JSONToProto) throws(TranscodingError) -> Void
    ) throws(TranscodingError) -> [UInt8] {
        guard json.count <= options.maximumInputSize else {
            throw TranscodingError(
                .limitExceeded, "input of \(json.count) bytes exceeds the limit of \(options.maximumInputSize)")
        }
        // Protobuf is rarely longer than its JSON text.
        return try OutputBuffer.array(capacity: json.count + 16) { output throws(TranscodingError) in
            var encoder = JSONToProto(codec: self, input: json, options: options, writer: output)
            defer {
                output = encoder.writer
                encoder.release()
            }
            try body(&encoder)
        }
    }

    /// Calls a raw-buffer entry point with the bytes of an array, keeping the typed error.
    static func withBytes(
        _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(TranscodingError) -> [UInt8]
    ) throws(TranscodingError) -> [UInt8] {
        let result: Result<[UInt8], TranscodingError> = bytes.withUnsafeBytes { buffer in
            do throws(TranscodingError) {
                return .success(try body(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Translates the protobuf encoding of message `messageIndex` to JSON text.
    ///
    /// Throws ``TranscodingError/Code/malformedProto`` for an invalid encoding and
    /// ``TranscodingError/Code/notRepresentable`` for values that have no ProtoJSON form.
    public func json(
        fromProtobuf wire: UnsafeRawBufferPointer, messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        let compact = try OutputBuffer.array(capacity: ProtoToJSON.outputEstimate(wire)) {
            output throws(TranscodingError) in
            var printer = ProtoToJSON(codec: self, input: wire, options: options, output: output)
            // The printer hands the buffer back, moved or not; its owner frees it.
            defer { output = printer.output }
            try printer.print(messageIndex: messageIndex)
        }
        return options.indent > 0 ? JSONIndenter.indent(compact, by: options.indent) : compact
    }

    public func json(
        fromProtobuf wire: [UInt8], messageIndex: Int, options: JSONOptions = JSONOptions()
    ) throws(TranscodingError) -> [UInt8] {
        try Self.withBytes(wire) { buffer throws(TranscodingError) in
            try json(fromProtobuf: buffer, messageIndex: messageIndex, options: options)
        }
    }
}
