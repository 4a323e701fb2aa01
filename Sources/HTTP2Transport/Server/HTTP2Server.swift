import NIOCore
import NIOPosix

/// An HTTP/2 server over cleartext TCP with prior knowledge (h2c, RFC 9113 §3.3): the inbound
/// side of the gateway, native gRPC passthrough, and the embedded demo backend.
///
/// Each stream becomes a call of `handler` with its request (headers, streaming body, trailers)
/// and a writer for the response.
///
/// ```swift
/// let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group) { request, response in
///     let body = try? await request.body.collect(upTo: 1 << 20)
///     try? await response.writeHeaders([(":status", "200")])
///     try? await response.writeData(body ?? [], endStream: true)
/// }
/// print(server.port)
/// try await server.shutDown()
/// ```
public final class HTTP2Server: Sendable {
    public typealias Handler = @Sendable (HTTP2ServerRequest, HTTP2ResponseWriter) async -> Void

    /// Limits of the server and of each accepted connection. Every one bounds something a peer
    /// controls; nil disables a timeout.
    public struct Configuration: Sendable {
        /// What each connection's session advertises and enforces, SETTINGS_MAX_CONCURRENT_STREAMS
        /// (default 100) included: streams past it are refused (RFC 9113 §5.1.2).
        public var session = HTTP2Session.Configuration()
        /// A response write suspends while more than this many bytes of the stream are unsent.
        public var sendBufferLimit = 64 * 1024
        /// A connection whose client has not sent its preface and SETTINGS (RFC 9113 §3.4) by then
        /// is closed.
        public var handshakeTimeout: Duration? = .seconds(10)
        /// A connection with no open stream for this long gets GOAWAY and is closed.
        public var idleTimeout: Duration? = .seconds(300)
        /// Connections open at once; more are closed as soon as they are accepted.
        public var maxConnections = 10_000
        /// Whether each stream's handler task prefers the connection's event loop
        /// (`EventLoopTaskExecutor`): its nonisolated async code then runs on the loop's thread,
        /// with no hop to Swift's cooperative pool and back per request, and it keeps running when
        /// that pool is busy or blocked. Turn it off for handlers that do long synchronous work,
        /// which would otherwise stall the connections sharing the loop.
        public var runsHandlersOnEventLoop = true
        public init() {}
    }

    let channel: any Channel
    let connections: ConnectionRegistry
    /// The port bound (useful with port 0).
    public let port: Int

    init(channel: any Channel, connections: ConnectionRegistry) {
        self.channel = channel
        self.connections = connections
        port = channel.localAddress?.port ?? 0
    }

    public static func start(
        host: String, port: Int, group: any EventLoopGroup, configuration: Configuration = Configuration(),
        handler: @escaping Handler
    ) async throws -> HTTP2Server {
        let registry = ConnectionRegistry()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                do {
                    let session = try HTTP2Session(role: .server, configuration: configuration.session)
                    let channelHandler = HTTP2ChannelHandler(session: session)
                    let connection = HTTP2ServerConnection(
                        eventLoop: channel.eventLoop, handler: channelHandler, configuration: configuration,
                        requestHandler: handler)
                    let confined = LoopConfined(connection, on: channel.eventLoop)
                    guard registry.add(confined, limit: configuration.maxConnections) else {
                        connection.stopTimers()
                        return channel.close()  // over the cap: refused before any HTTP/2 work
                    }
                    try channel.pipeline.syncOperations.addHandler(channelHandler)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .bind(host: host, port: port)
            .get()
        return HTTP2Server(channel: channel, connections: registry)
    }

    /// Connections open now.
    public var connectionCount: Int { connections.count }

    /// Stops accepting, sends GOAWAY on every connection, and lets open streams finish.
    public func shutDown() async throws {
        try? await channel.close()
        for connection in connections.all() { connection.execute { $0.shutDown() } }
    }
}
