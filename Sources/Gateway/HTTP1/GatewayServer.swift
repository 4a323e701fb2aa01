import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP/1.1 listener in front of a ``GatewayPipeline``: keep-alive, chunked bodies and
/// pipelining come from NIO's HTTP/1.1 codec (RFC 9112); ``HTTP1RequestHandler`` does the rest.
///
/// ```swift
/// let server = try await GatewayServer.start(host: "127.0.0.1", port: 8080, pipeline: pipeline, group: group)
/// // … SIGTERM:
/// await server.shutDown(drainTimeout: .seconds(10))
/// ```
public final class GatewayServer: Sendable {
    /// The bound port (useful when started on port 0).
    public let port: Int
    private let listener: any Channel
    private let tracker: ConnectionTracker

    private init(listener: any Channel, tracker: ConnectionTracker) {
        self.listener = listener
        self.tracker = tracker
        self.port = listener.localAddress?.port ?? 0
    }

    /// Binds and starts accepting; with `accessLog`, logs one line per request.
    public static func start(
        host: String, port: Int, pipeline: GatewayPipeline, group: any EventLoopGroup, accessLog: Logger? = nil
    ) async throws -> GatewayServer {
        let accessLog = accessLog.map(AccessLog.init(logger:))
        let timeoutResponse = pipeline.errorResponse(
            .requestTimeout("the request was not received in time"), requestID: nil)
        let tracker = ConnectionTracker()
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                tracker.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        IdleStateHandler(readTimeout: TimeAmount(pipeline.configuration.readTimeout)))
                    // h2c with prior knowledge and HTTP/1.1 share the port (RFC 9113 §3.4).
                    let sniffer = ProtocolSniffer(
                        http1: { channel in
                            let progress = ReadTimeoutHandler.Progress()
                            let gate = HTTP1ReadGate()
                            try channel.pipeline.syncOperations.addHandler(gate, position: .first)
                            try channel.pipeline.syncOperations.addHandler(
                                ReadTimeoutHandler(
                                    progress: progress, timeoutResponse: timeoutResponse, pipeline: pipeline))
                            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                                withPipeliningAssistance: true, withErrorHandling: false)
                            try channel.pipeline.syncOperations.addHandler(
                                HTTP1RequestHandler(
                                    pipeline: pipeline, tracker: tracker, accessLog: accessLog, progress: progress,
                                    gate: gate))
                        },
                        http2: { channel in
                            try HTTP2FrontEnd.configure(
                                channel, pipeline: pipeline, tracker: tracker, accessLog: accessLog)
                        })
                    try channel.pipeline.syncOperations.addHandler(sniffer)
                }
            }
            .bind(host: host, port: port).get()
        return GatewayServer(listener: listener, tracker: tracker)
    }

    /// An access logger writing one line per request to standard output.
    public static func standardOutputAccessLog() -> Logger {
        Logger(label: "grpc-gateway.access") { StreamLogHandler.standardOutput(label: $0) }
    }

    /// Drains: stops accepting, lets requests in flight finish for at most `drainTimeout`, then
    /// closes every connection.
    public func shutDown(drainTimeout: Duration = .seconds(10)) async {
        tracker.startDraining()
        try? await listener.close()
        let clock = ContinuousClock()
        let deadline = clock.now + drainTimeout
        while tracker.inFlight > 0 && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        tracker.closeAll()
    }
}
