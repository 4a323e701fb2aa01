/// The HTTP answer the pipeline produces: status, headers (lower-case names) and a complete body.
public struct GatewayResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response header fields, lower-case names, in order.
    public var headers: [(name: String, value: String)]
    /// The complete body (unused when ``chunks`` is set).
    public var body: [UInt8]
    /// A streamed body (server streaming): sent as it is produced, `body` is then unused. Each
    /// element is pulled only after the previous one was written, so a slow client slows the
    /// backend.
    public var chunks: AsyncStream<[UInt8]>?
    /// The gRPC outcome as trailer fields (`grpc-status`, `grpc-message`,
    /// `grpc-status-details-bin`, then the backend's trailing metadata), sent as real trailers by
    /// a front end whose client asked for them (HTTP/2 `te: trailers`); others ignore them.
    public var trailers: [(name: String, value: String)] = []
    /// For a streamed body: the trailers, known only once ``chunks`` has ended (the call's final
    /// status); replaces ``trailers`` then.
    public var streamedTrailers: (@Sendable () -> [(name: String, value: String)])?
    /// For the access log: the RPC called (`package.Service/Method`), when a route matched.
    public var rpc: String?
    /// The matched route (index into ``RouteTable/routes``), whose offload policies apply.
    public var routeIndex: Int?
    /// For the access log: the gRPC code of the outcome (gateway-made or the backend's).
    public var grpcCode: Int = 0

    /// A complete response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header (names are stored lower-case).
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}
