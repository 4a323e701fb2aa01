import HTTP2Transport
import Transcoder

/// A request turned into a backend call, before any I/O: which RPC, the request message's wire
/// bytes, the metadata and the deadline. Produced by ``GatewayPipeline/prepare(_:requestID:)``.
public struct PreparedCall: Sendable {
    /// Index into the pipeline's ``RouteTable/routes``.
    public let routeIndex: Int
    /// The gRPC path, `/package.Service/Method`.
    public let path: String
    /// The request message: the body's encoding followed by the path and query fields.
    public let message: [UInt8]
    /// The gRPC metadata: forwarded headers plus `x-forwarded-*` and `x-request-id`.
    public let metadata: HTTP2Headers
    /// How long the backend has: the client's `grpc-timeout` or the default, capped by config.
    public let timeout: Duration
    /// Returned as `x-request-id` and sent to the backend.
    public let requestID: String
    /// A `HEAD` request gets headers only.
    public let isHead: Bool
    /// Backend trailing metadata goes to real trailers instead of response headers.
    public var acceptsTrailers = false
}
