/// Per-call settings.
public struct GRPCCallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout` and enforced locally: when it passes, the
    /// call ends with `DEADLINE_EXCEEDED` and its stream is reset (gRPC `doc/PROTOCOL-HTTP2.md`).
    public var timeout: Duration?
    /// Compresses request messages (`grpc-encoding`); responses may come back in any format we
    /// advertise in `grpc-accept-encoding`.
    public var compression: CompressionFormat?
    /// The largest response message accepted, checked before buffering (default 4 MiB, gRPC's).
    public var maxReceiveMessageSize: Int = 4 << 20
    /// The `:authority` to send; the channel's default when nil.
    public var authority: String?
    /// For proxies: the call carries another client's gRPC stream untouched. The request header
    /// section is the pseudo-headers, `te: trailers`, `grpc-timeout` (from `timeout`) and the
    /// metadata exactly as given (its `content-type`, `grpc-encoding`, … included); `send` takes
    /// raw DATA bytes (length-prefixed messages, possibly compressed), and `responses` yields
    /// the response's DATA payloads as they arrive, with no deframing, decompression or size
    /// check. Flow control still credits only what the reader takes.
    public var passthrough = false

    public init(timeout: Duration? = nil, compression: CompressionFormat? = nil) {
        self.timeout = timeout
        self.compression = compression
    }
}
