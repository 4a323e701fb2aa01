extension GRPCChannel {
    /// Settings of a channel to one backend.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// `:authority` for calls; `host:port` when nil.
        public var authority: String?
        /// Connections each event loop may open to the backend. Calls go to the least loaded one
        /// below the peer's SETTINGS_MAX_CONCURRENT_STREAMS; past that, nghttp2 queues them.
        public var maxConnectionsPerEventLoop = 1
        public var connectTimeout: Duration = .seconds(5)
        /// Reconnect backoff (gRPC `doc/connection-backoff.md`): the first retry waits `initial`,
        /// each next one `multiplier` times longer up to `maximum`, each randomised by ±`jitter`.
        public var backoff = Backoff()
        /// A PING is sent this often; a connection whose ack does not come in `keepaliveTimeout`
        /// is closed and its calls fail with UNAVAILABLE. Nil disables keepalive. The default is
        /// 5 minutes: gRPC servers (grpc-core, grpc-go, grpc-java) answer more frequent PINGs
        /// with GOAWAY `ENHANCE_YOUR_CALM` "too_many_pings" unless told otherwise.
        public var keepaliveInterval: Duration? = .seconds(300)
        public var keepaliveTimeout: Duration = .seconds(10)
        /// A connection with no calls for this long is closed with GOAWAY. Nil keeps it forever.
        public var idleTimeout: Duration? = .seconds(300)
        /// The HTTP/2 windows and limits each connection advertises.
        public var session = HTTP2Session.Configuration()
        /// `send` suspends while more than this many bytes of a call wait for flow control.
        public var sendBufferLimit = 64 * 1024

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
            session.initialStreamWindowSize = 1 << 20
            session.connectionWindowSize = 16 << 20
        }
    }

    public struct Backoff: Sendable {
        public var initial: Duration = .milliseconds(100)
        public var multiplier = 1.6
        public var jitter = 0.2
        public var maximum: Duration = .seconds(5)
        public init() {}

        /// The wait before retry number `attempt` (1-based), jittered with `random` in 0..<1.
        public func delay(attempt: Int, random: Double) -> Duration {
            var seconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
            let cap = Double(maximum.components.seconds) + Double(maximum.components.attoseconds) / 1e18
            for _ in 1..<max(attempt, 1) { seconds = min(seconds * multiplier, cap) }
            seconds *= 1 + jitter * (2 * random - 1)
            return .nanoseconds(Int64(seconds * 1e9))
        }
    }
}
