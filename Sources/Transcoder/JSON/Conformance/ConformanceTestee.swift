import ProtoWire

/// The testee side of the protobuf conformance suite, without I/O: one `ConformanceRequest` in,
/// one `ConformanceResponse` out (field numbers from protobuf's `conformance/conformance.proto`;
/// our copy is `Tests/TranscoderTests/Golden/conformance/conformance.proto`).
///
/// It serves the binary and JSON categories for every message type in the pool and answers
/// `skipped` for the rest (JSPB, text format, unknown types). The driving loop reads a 4-byte
/// little-endian length and that many bytes, calls ``respond(to:)``, and writes the answer the
/// same way:
///
/// ```swift
/// while let request = readFrame() { writeFrame(testee.respond(to: request)) }
/// ```
public struct ConformanceTestee: Sendable {
    let codec: ProtoJSONCodec

    public init(codec: ProtoJSONCodec) {
        self.codec = codec
    }

    /// `ConformanceRequest`: the fields the testee reads.
    struct Request {
        var protobufPayload: [UInt8]?
        var jsonPayload: [UInt8]?
        var otherPayload = false
        var outputFormat: UInt64 = 0
        var messageType = ""
        var category: UInt64 = 0
    }

    /// `ConformanceResponse.result` members.
    enum Result {
        case parseError(String)  // 1
        case runtimeError(String)  // 2
        case protobuf([UInt8])  // 3
        case json([UInt8])  // 4
        case skipped(String)  // 5
        case serializeError(String)  // 6
    }

    /// Answers one encoded `ConformanceRequest` with an encoded `ConformanceResponse`.
    public func respond(to request: [UInt8]) -> [UInt8] {
        encode(result(for: request))
    }

    func result(for bytes: [UInt8]) -> Result {
        guard let request = try? decode(bytes) else { return .runtimeError("cannot decode ConformanceRequest") }
        guard let index = codec.pool.messageIndex(named: request.messageType) else {
            return .skipped("message type \(request.messageType) is not in the descriptor set")
        }
        guard !request.otherPayload, request.outputFormat == 1 || request.outputFormat == 2 else {
            return .skipped("only the binary and JSON formats are served")
        }
        var options = JSONOptions()
        options.ignoreUnknownFields = request.category == 3
        // Parse into protobuf bytes.
        let wire: [UInt8]
        if let json = request.jsonPayload {
            do {
                wire = try codec.protobuf(fromJSON: json, messageIndex: index, options: options)
            } catch {
                return .parseError(error.description)
            }
        } else {
            let payload = request.protobufPayload ?? []
            if request.outputFormat == 1 {
                // Binary to binary: decode against the pool (wire format, proto3 UTF-8, nesting)
                // and encode again. Unknown fields pass through verbatim; no JSON is involved.
                do {
                    let message = try DynamicMessage(decoding: payload, messageIndex: index, pool: codec.pool)
                    return .protobuf(message.encoded())
                } catch {
                    return .parseError("invalid protobuf: \(error.code) at byte \(error.offset)")
                }
            }
            // Validate binary input by printing it as JSON.
            do {
                return .json(try codec.json(fromProtobuf: payload, messageIndex: index))
            } catch {
                return error.code == .notRepresentable ? .serializeError(error.description) : .parseError(error.description)
            }
        }
        if request.outputFormat == 1 { return .protobuf(wire) }
        do {
            return .json(try codec.json(fromProtobuf: wire, messageIndex: index))
        } catch {
            return .serializeError(error.description)
        }
    }

    func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> Request {
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) -> Request in
            var request = Request()
            while let tag = try reader.readTag() {
                switch (tag.fieldNumber, tag.wireType) {
                case (1, .lengthDelimited): request.protobufPayload = try reader.readByteArray()
                case (2, .lengthDelimited): request.jsonPayload = try reader.readByteArray()
                case (7, .lengthDelimited), (8, .lengthDelimited):
                    request.otherPayload = true
                    try reader.skipField(tag)
                case (3, .varint): request.outputFormat = try reader.readVarint()
                case (4, .lengthDelimited): request.messageType = try reader.readString()
                case (5, .varint): request.category = try reader.readVarint()
                default: try reader.skipField(tag)
                }
            }
            return request
        }
    }

    func encode(_ result: Result) -> [UInt8] {
        var writer = WireWriter()
        let (number, payload): (UInt32, [UInt8])
        switch result {
        case .parseError(let text): (number, payload) = (1, Array(text.utf8))
        case .runtimeError(let text): (number, payload) = (2, Array(text.utf8))
        case .protobuf(let bytes): (number, payload) = (3, bytes)
        case .json(let bytes): (number, payload) = (4, bytes)
        case .skipped(let text): (number, payload) = (5, Array(text.utf8))
        case .serializeError(let text): (number, payload) = (6, Array(text.utf8))
        }
        writer.writeTag(fieldNumber: number, wireType: .lengthDelimited)
        writer.writeLengthDelimited(payload)
        return writer.bytes
    }
}
