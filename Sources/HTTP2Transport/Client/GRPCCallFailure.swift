/// A unary call that did not end with OK, with the metadata that came with its status: the
/// response headers (for a Trailers-Only response these hold the status and any custom
/// metadata) and the trailers (gRPC `doc/PROTOCOL-HTTP2.md`, "Responses"). A proxy needs both to
/// pass a failed call's custom trailing metadata on; ``GRPCChannel/unary(path:request:metadata:options:)``
/// throws only the status.
public struct GRPCCallFailure: Error, Sendable, CustomStringConvertible {
    public var status: GRPCStatus
    /// The response header section; empty when none arrived (connection failure, deadline).
    public var headers: HTTP2Headers
    /// The trailer section; empty for Trailers-Only responses and locally made statuses.
    public var trailers: HTTP2Headers

    public init(status: GRPCStatus, headers: HTTP2Headers = [], trailers: HTTP2Headers = []) {
        self.status = status
        self.headers = headers
        self.trailers = trailers
    }

    public var description: String { status.description }
}
