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

    /// Limits of each accepted connection.
    public struct Configuration: Sendable {
        public var session = HTTP2Session.Configuration()
        /// A response write suspends while more than this many bytes of the stream are unsent.
        public var sendBufferLimit = 64 * 1024
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
                    try channel.pipeline.syncOperations.addHandler(channelHandler)
                    registry.add(LoopConfined(connection, on: channel.eventLoop))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .bind(host: host, port: port)
            .get()
        return HTTP2Server(channel: channel, connections: registry)
    }

    /// Stops accepting, sends GOAWAY on every connection, and lets open streams finish.
    public func shutDown() async throws {
        try? await channel.close()
        for connection in connections.all() { connection.execute { $0.shutDown() } }
    }
}
