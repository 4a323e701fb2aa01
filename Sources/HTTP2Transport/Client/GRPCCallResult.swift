/// How a call ended: the status and the trailing metadata (empty for a trailers-only response
/// whose fields arrived as headers; those are in `GRPCClientCall.headers`).
public struct GRPCCallResult: Sendable {
    public var status: GRPCStatus
    public var trailers: HTTP2Headers
}

/// The outcome of a successful unary call.
public struct GRPCUnaryResponse: Sendable {
    public var message: [UInt8]
    public var headers: HTTP2Headers
    public var trailers: HTTP2Headers

    /// A reply as a call returns it (also for driving the gateway's answer side without a call).
    public init(message: [UInt8], headers: HTTP2Headers = [], trailers: HTTP2Headers = []) {
        self.message = message
        self.headers = headers
        self.trailers = trailers
    }
}
