import HTTP2Transport
import ProtoWire
import Transcoder

extension GatewayPipeline {
    /// Turns a request into a backend call without doing any I/O: matches the route (404, 405),
    /// checks the body's size (413) and media type (415), transcodes the body and binds the path
    /// and query (400 naming the JSON path or parameter), maps headers to metadata and works out
    /// the deadline (`grpc-timeout`, else the default; capped by ``GatewayConfiguration``).
    public func prepare(_ request: GatewayRequest, requestID: String) throws(GatewayError) -> PreparedCall {
        let match: RouteMatch
        switch routes.lookup(method: request.method, target: request.target) {
        case .matched(let found): match = found
        case .notFound: throw .noRoute(request.method, Self.pathOnly(request.target))
        case .methodNotAllowed(let allowed):
            throw .methodNotAllowed(request.method, allow: allowed.allowHeader)
        }
        let route = routes.routes[match.routeIndex]
        // A client-streaming body is split, limited and transcoded message by message as it
        // arrives; `message` then holds the path and query fields added to each one.
        let streamsBody = route.streamingKind == .clientStreaming
        if request.body.count > configuration.maximumBodySize && !streamsBody {
            throw .payloadTooLarge(limit: configuration.maximumBodySize)
        }
        var writer = WireWriter(capacity: request.body.count + 64)
        if route.body != .none && !streamsBody {
            if !request.body.isEmpty, let contentType = request.header("content-type"), !Self.isJSON(contentType) {
                throw .unsupportedMediaType(contentType)
            }
            writer.writeRaw(try bodyBytes(of: request.body, route: route))
        }
        do {
            try routes.appendPathAndQueryFields(of: match, target: request.target, into: &writer)
        } catch {
            throw .invalidArgument(error.description)
        }
        var timeout = configuration.defaultTimeout
        if let header = request.header("grpc-timeout") {
            guard let given = GRPCTimeout.parse(header) else {
                throw .invalidArgument("grpc-timeout '\(header)' is not a valid timeout (e.g. 500m, 2S)")
            }
            timeout = given
        }
        timeout = min(timeout, configuration.maximumTimeout)
        let metadata = MetadataMapping.requestMetadata(for: request, requestID: requestID)
        return PreparedCall(
            routeIndex: match.routeIndex, path: route.method.grpcPath, message: writer.bytes, metadata: metadata,
            timeout: timeout, requestID: requestID, isHead: request.method == "HEAD",
            acceptsTrailers: request.acceptsTrailers)
    }

    /// The body's protobuf encoding: the whole request message for `body: "*"`, or the body
    /// field's tag and value. A field body is transcoded by the codec as that one field of the
    /// request type, so it must be exactly one JSON value (truncated or trailing bytes are
    /// malformed JSON at their offset in the body) and type errors name the path from the field
    /// (`book.pageCount: …`) exactly as for the whole message. An empty body sets nothing.
    func bodyBytes(of body: [UInt8], route: Route) throws(GatewayError) -> [UInt8] {
        let input = route.method.inputIndex
        do {
            switch route.body {
            case .none:
                return []
            case .wholeMessage:
                return try codec.protobuf(
                    fromJSON: body.isEmpty ? Array("{}".utf8) : body, messageIndex: input, options: configuration.json)
            case .field(let path):
                if body.isEmpty { return [] }
                return try codec.protobuf(
                    fromJSON: body, fieldNumber: Int(path.leaf.number), messageIndex: input, options: configuration.json)
            }
        } catch {
            throw .invalidArgument(error.description)
        }
    }

    /// `application/json`, or any `+json` type (RFC 6839 §3.1), parameters ignored.
    /// `application/json` or `application/*+json` (RFC 6839 §3.1), parameters after `;` ignored,
    /// spaces and tabs ignored, ASCII case-insensitive (RFC 9110 §8.3.1). Runs on the UTF-8 bytes
    /// as they are: no string is made per request.
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.lazy
            .filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            .map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        if media.elementsEqual("application/json".utf8) { return true }
        guard media.starts(with: "application/".utf8) else { return false }
        let count = media.count
        return count > "application/+json".utf8.count - 1 && media.dropFirst(count - 5).elementsEqual("+json".utf8)
    }

    static func pathOnly(_ target: String) -> String {
        String(target.prefix { $0 != "?" })
    }
}
