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

    public init(timeout: Duration? = nil, compression: CompressionFormat? = nil) {
        self.timeout = timeout
        self.compression = compression
    }
}
