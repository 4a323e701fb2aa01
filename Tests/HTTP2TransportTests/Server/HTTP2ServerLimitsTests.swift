import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HTTP2Transport

/// `HTTP2Server` limits: handshake and idle timeouts, the connection cap, and
/// SETTINGS_MAX_CONCURRENT_STREAMS.
@Suite("HTTP2Server limits", .serialized, .timeLimit(.minutes(1)))
struct HTTP2ServerLimitsTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Records whether the peer closed the connection (and when).
    final class CloseWatcher: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = Mutex<[UInt8]>([])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLock { $0 += buffer.readableBytesView }
        }
    }

    /// A raw TCP client that sends `bytes` and then nothing.
    static func rawClient(port: Int, sending bytes: [UInt8]) async throws -> (any Channel, CloseWatcher) {
        let watcher = CloseWatcher()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { $0.pipeline.addHandler(watcher) }
            .connect(host: "127.0.0.1", port: port)
            .get()
        // Under load the server may time out before this write lands; the close is what counts.
        if !bytes.isEmpty { try? await channel.writeAndFlush(ByteBuffer(bytes: bytes)) }
        return (channel, watcher)
    }

    static func start(_ configure: (inout HTTP2Server.Configuration) -> Void) async throws -> HTTP2Server {
        var configuration = HTTP2Server.Configuration()
        configure(&configuration)
        return try await HTTP2Server.start(
            host: "127.0.0.1", port: 0, group: group, configuration: configuration, handler: TestBackend.handler)
    }

    @Test(arguments: [
        ("nothing", [UInt8]()), ("half a preface", Array("PRI * HTTP/2.0\r\n".utf8)),
        ("a preface without SETTINGS", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)),
    ])
    func silentClientsAreClosedAfterTheHandshakeTimeout(_ what: String, _ bytes: [UInt8]) async throws {
        let server = try await Self.start { $0.handshakeTimeout = .milliseconds(200) }
        let clock = ContinuousClock()
        let start = clock.now
        let (channel, _) = try await Self.rawClient(port: server.port, sending: bytes)
        try await withTimeout(10, "server closing a silent connection") { try await channel.closeFuture.get() }
        // The only other timer that closes such a connection is the 300 s idle timeout; the upper
        // bound leaves room for a loaded 2-core machine (it once took over 3 s there).
        #expect(clock.now - start >= .milliseconds(150) && clock.now - start < .seconds(10), "\(what)")
        #expect(server.connectionCount == 0)
        try await server.shutDown()
    }

    @Test func idleConnectionsGetGoAwayThenClose() async throws {
        let server = try await Self.start { $0.idleTimeout = .milliseconds(400) }
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: server.port)
        configuration.idleTimeout = nil
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        // A stream open for longer than the idle timeout keeps the connection: only streamless
        // time counts. (Checked while the stream is open, so a slow machine cannot race it.)
        let call = channel.makeCall(path: "/interop.Test/Bidi")
        var replies = call.responses.makeAsyncIterator()
        try await call.send([1])
        #expect(try await replies.next() == [1])
        try await Task.sleep(for: .milliseconds(1000))
        #expect(server.connectionCount == 1)
        #expect(await channel.connectionCount() == 1)
        try await call.send([2])
        #expect(try await replies.next() == [2])
        try await call.finish()
        #expect(try await replies.next() == nil)
        #expect(await call.result.status.code == .ok)
        try await withTimeout(5, "the idle connection to close") {
            while await channel.connectionCount() > 0 || server.connectionCount > 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // The channel simply reconnects for the next call.
        let again = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [2]) }
        #expect(again.message == [2])
        await channel.close()
        try await server.shutDown()
    }

    @Test func connectionsOverTheCapAreRefused() async throws {
        let server = try await Self.start { $0.maxConnections = 2 }
        let channels = (0..<3).map { _ in
            GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        }
        for channel in channels.prefix(2) {
            let reply = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
            #expect(reply.message == [1])
        }
        #expect(server.connectionCount == 2)
        let refused = await #expect(throws: (any Error).self) {
            _ = try await withTimeout(10) { try await channels[2].unary(path: "/interop.Test/Unary", request: [3]) }
        }
        #expect(refused.map { "\($0)" }?.hasPrefix("UNAVAILABLE") == true, "\(String(describing: refused))")
        #expect(server.connectionCount == 2)
        // A slot frees when a connection ends.
        await channels[0].close()
        try await withTimeout(5) { while server.connectionCount > 1 { try await Task.sleep(for: .milliseconds(10)) } }
        let fresh = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        let reply = try await withTimeout(10) { try await fresh.unary(path: "/interop.Test/Unary", request: [4]) }
        #expect(reply.message == [4])
        for channel in channels + [fresh] { await channel.close() }
        try await server.shutDown()
    }

    /// A client that opens streams before it has seen the server's SETTINGS may exceed
    /// SETTINGS_MAX_CONCURRENT_STREAMS; the extra streams are refused (RFC 9113 §5.1.2), safely
    /// retryable (REFUSED_STREAM), and the connection carries on.
    @Test func streamsPastTheAdvertisedLimitAreRefused() throws {
        var server = HTTP2Session.Configuration()
        server.maxConcurrentStreams = 2
        let pair = try SessionPair(server: server)
        let headers: HTTP2Headers = [(":method", "POST"), (":scheme", "http"), (":path", "/p"), (":authority", "h")]
        let ids = try (0..<5).map { _ in try pair.client.submitRequest(headers, endStream: true) }
        try pair.pump()
        let opened = pair.takeServerEvents().compactMap { event -> Int32? in
            if case .headers(let id, _, .request, _) = event { id } else { nil }
        }
        #expect(opened == Array(ids.prefix(2)))
        let refused = pair.takeClientEvents().compactMap { event -> Int32? in
            if case .streamClosed(let id, .refusedStream) = event { id } else { nil }
        }
        #expect(refused == Array(ids.suffix(3)))
        #expect(pair.client.remoteMaxConcurrentStreams == 2)
    }
}
