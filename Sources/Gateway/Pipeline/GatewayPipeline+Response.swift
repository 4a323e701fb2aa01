import HTTP2Transport
import ProtoWire
import Transcoder

extension GatewayPipeline {
    /// 200 `application/json` with the reply translated: the whole response message, or the
    /// `response_body` field (`google/api/http.proto`); a `google.api.HttpBody` reply is sent
    /// raw with its own content type. Backend headers and trailers become response headers.
    public func successResponse(for call: PreparedCall, reply: GRPCUnaryResponse) -> GatewayResponse {
        let route = routes.routes[call.routeIndex]
        var headers: [(name: String, value: String)] = [("content-type", "application/json")]
        let body: [UInt8]
        do {
            if let path = route.responseBody {
                body = try responseField(path, outputIndex: route.method.outputIndex, of: reply.message)
            } else if route.method.outputIndex == httpBodyIndex {
                let (contentType, data) = try Self.decodeHttpBody(reply.message)
                headers[0].value = contentType.isEmpty ? "application/octet-stream" : contentType
                body = data
                // The data as the backend encoded it: its coding stays, and is never applied twice.
                if let coding = reply.headers[first: "content-encoding"],
                    MetadataMapping.isValidMetadata(name: "content-encoding", value: coding)
                {
                    headers.append(("content-encoding", coding))
                }
            } else {
                body = try codec.json(
                    fromProtobuf: reply.message, messageIndex: route.method.outputIndex, options: configuration.json)
            }
        } catch {
            return errorResponse(
                status: GRPCStatus(.internal, "cannot translate the backend's reply: \(error)"),
                requestID: call.requestID)
        }
        headers.append(("x-request-id", call.requestID))
        MetadataMapping.responseHeaders(reply.headers, into: &headers)
        if !call.acceptsTrailers { MetadataMapping.responseHeaders(reply.trailers, into: &headers) }
        var response = GatewayResponse(status: 200, headers: headers, body: call.isHead ? [] : body)
        response.trailers = MetadataMapping.trailers(status: .ok, backendTrailers: reply.trailers)
        return response
    }

    /// A failed backend call with the metadata that came with its status: the response headers
    /// (a Trailers-Only answer's custom metadata) and the trailing metadata become response
    /// headers, or, when the client takes them, the trailing metadata goes to real trailers.
    public func errorResponse(_ failure: GRPCCallFailure, for call: PreparedCall) -> GatewayResponse {
        var response = errorResponse(status: failure.status, requestID: call.requestID)
        MetadataMapping.responseHeaders(failure.headers, into: &response.headers)
        if !call.acceptsTrailers { MetadataMapping.responseHeaders(failure.trailers, into: &response.headers) }
        response.trailers = MetadataMapping.trailers(status: failure.status, backendTrailers: failure.trailers)
        return response
    }

    /// A backend's non-OK status as `google.rpc.Status` JSON, with the mapped HTTP status.
    public func errorResponse(status: GRPCStatus, requestID: String) -> GatewayResponse {
        var response = GatewayResponse(
            status: status.code.httpResponseStatus,
            headers: [("content-type", "application/json"), ("x-request-id", requestID)],
            body: StatusJSON.render(code: status.code, message: status.message, details: status.details, codec: codec))
        response.grpcCode = status.code.rawValue
        response.trailers = MetadataMapping.trailers(status: status, backendTrailers: [])
        return response
    }

    /// A gateway-made error as `google.rpc.Status` JSON.
    public func errorResponse(_ error: GatewayError, requestID: String?) -> GatewayResponse {
        var headers: [(name: String, value: String)] = [("content-type", "application/json")]
        if let requestID { headers.append(("x-request-id", requestID)) }
        for (name, value) in error.headers { headers.append((name, value)) }
        var response = GatewayResponse(
            status: error.httpStatus, headers: headers,
            body: StatusJSON.render(code: error.code, message: error.message, details: nil, codec: nil))
        response.grpcCode = error.code.rawValue
        response.trailers = MetadataMapping.trailers(status: GRPCStatus(error.code, error.message), backendTrailers: [])
        return response
    }

    /// The JSON of the `response_body` field: the field's occurrences are cut out of the reply
    /// (nested messages followed and merged), printed as a one-field message, and the value is
    /// taken from that. An absent field prints its default (`""`, `0`, `false`, `[]`, `{}`).
    func responseField(_ path: FieldPath, outputIndex: Int, of message: [UInt8]) throws -> [UInt8] {
        var current = message
        var container = outputIndex
        for field in path.fields.dropLast() {
            current = try Self.concatenatedPayloads(try Self.occurrences(of: field.number, in: current))
            container = field.messageIndex ?? container
        }
        let leaf = path.leaf
        current = try Self.occurrences(of: leaf.number, in: current)
        if let leafMessage = leaf.messageIndex, !leaf.isRepeated, !leaf.isMap {
            return try codec.json(
                fromProtobuf: try Self.concatenatedPayloads(current), messageIndex: leafMessage,
                options: configuration.json)
        }
        var options = configuration.json
        options.indent = 0
        let json = try codec.json(fromProtobuf: current, messageIndex: container, options: options)
        // `{"name":VALUE}` → VALUE; `{}` when the field is absent.
        guard let colon = json.firstIndex(of: UInt8(ascii: ":")), json.last == UInt8(ascii: "}") else {
            return Self.defaultJSON(for: leaf)
        }
        return Array(json[(colon + 1)..<(json.count - 1)])
    }

    static func defaultJSON(for field: FieldDescriptor) -> [UInt8] {
        if field.isMap { return Array("{}".utf8) }
        if field.isRepeated { return Array("[]".utf8) }
        switch field.type {
        case .string, .bytes: return Array(#""""#.utf8)
        case .bool: return Array("false".utf8)
        case .int64, .uint64, .sint64, .fixed64, .sfixed64: return Array(#""0""#.utf8)
        case .message, .group: return Array("{}".utf8)
        default: return Array("0".utf8)
        }
    }

    /// Every occurrence (tag and value) of field `number` at the top level of `message`.
    static func occurrences(of number: Int32, in message: [UInt8]) throws(WireDecodingError) -> [UInt8] {
        try WireReader.withReader(over: message) { (reader: inout WireReader) throws(WireDecodingError) in
            var out: [UInt8] = []
            while true {
                let start = reader.offset
                guard let tag = try reader.readTag() else { break }
                _ = try reader.skipField(tag)
                if tag.fieldNumber == UInt32(number) {
                    out += message[start..<reader.offset]
                }
            }
            return out
        }
    }

    /// The payloads of length-delimited fields, concatenated (which merges messages).
    static func concatenatedPayloads(_ fields: [UInt8]) throws(WireDecodingError) -> [UInt8] {
        try WireReader.withReader(over: fields) { (reader: inout WireReader) throws(WireDecodingError) in
            var out: [UInt8] = []
            while let tag = try reader.readTag() {
                if tag.wireType == .lengthDelimited { out += try reader.readByteArray() } else { _ = try reader.skipField(tag) }
            }
            return out
        }
    }

    /// `google.api.HttpBody`: content_type = 1, data = 2 (`google/api/httpbody.proto`).
    static func decodeHttpBody(_ message: [UInt8]) throws(WireDecodingError) -> (String, [UInt8]) {
        try WireReader.withReader(over: message) { (reader: inout WireReader) throws(WireDecodingError) in
            var contentType = ""
            var data: [UInt8] = []
            while let tag = try reader.readTag() {
                switch (tag.fieldNumber, tag.wireType) {
                case (1, .lengthDelimited): contentType = try reader.readString()
                case (2, .lengthDelimited): data = try reader.readByteArray()
                default: _ = try reader.skipField(tag)
                }
            }
            return (contentType, data)
        }
    }
}
