/// One inbound HTTP request, fully received: what the pipeline needs, independent of the
/// protocol it came over.
public struct GatewayRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The request target: path and query, still percent-encoded.
    public var target: String
    /// Header fields as received; names in any case.
    public var headers: [(name: String, value: String)]
    /// The complete request body (already checked against the size limit by the server).
    public var body: [UInt8]
    /// The client's address (`ip` without port) for `x-forwarded-for`, when known.
    public var remoteAddress: String?
    /// The client takes real trailers (HTTP/2 with `te: trailers`, RFC 9113 §8.2.2): the
    /// backend's trailing metadata then goes in ``GatewayResponse/trailers`` only, not in the
    /// response headers.
    public var acceptsTrailers = false
    /// For a client-streaming route (``GatewayPipeline/streamsRequestBody(method:target:)``): the
    /// body as it arrives, in place of ``body``. The front end reads from the client only as the
    /// pipeline pulls chunks, so a slow backend slows the upload.
    public var bodyStream: AsyncThrowingStream<[UInt8], any Error>?

    /// A request as received.
    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first value of a header, matched case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    /// Every field line named `name` (lowercase) as one list, joined with ", " as RFC 9110 §5.3
    /// allows for list-based fields such as `Accept-Encoding` and `Content-Encoding`; nil when
    /// there is none.
    public func combinedHeader(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
