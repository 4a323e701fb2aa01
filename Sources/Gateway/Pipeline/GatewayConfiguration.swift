import Transcoder

/// Runtime settings of the request pipeline, fixed when the gateway starts.
public struct GatewayConfiguration: Sendable {
    /// The largest request body accepted (413 beyond). 4 MiB, gRPC's default message size.
    public var maximumBodySize = 4 << 20
    /// The deadline of a call whose request gives no `grpc-timeout`.
    public var defaultTimeout: Duration = .seconds(30)
    /// The longest deadline a client may ask for; longer `grpc-timeout`s are cut to it.
    public var maximumTimeout: Duration = .seconds(300)
    /// How long a connection may go without sending a byte: an idle keep-alive connection is
    /// closed, a request stalled mid-way (slow headers or body) gets 408.
    public var readTimeout: Duration = .seconds(30)
    /// Client streaming: the largest streamed request body in total; each of its messages is
    /// limited by ``maximumBodySize``.
    public var maximumStreamedBodySize = 64 << 20
    /// HTTP/2 inbound: streams a client may have open at once per connection
    /// (SETTINGS_MAX_CONCURRENT_STREAMS, RFC 9113 §6.5.2); more are refused.
    public var maximumConcurrentStreams: UInt32 = 100
    /// HTTP/2 inbound: the largest request header section (SETTINGS_MAX_HEADER_LIST_SIZE).
    public var maximumHeaderListSize = 64 << 10
    /// How JSON is read and written.
    public var json = JSONOptions()
    /// CORS, response compression and request decompression (`Offload/`); all off by default.
    public var offload = OffloadConfiguration()

    /// The defaults: 4 MiB bodies, 30 s deadlines capped at 300 s, 30 s read timeout.
    public init() {}
}
