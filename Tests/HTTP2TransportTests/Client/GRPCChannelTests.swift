import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// Channel behaviour against our own server role and scripted fake backends.
@Suite("GRPCChannel", .serialized, .timeLimit(.minutes(1)))
struct GRPCChannelTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    @Test(arguments: [
        (1, 0.5, Duration.milliseconds(100)), (2, 0.5, .milliseconds(160)), (3, 0.5, .milliseconds(256)),
        (1, 0.0, .milliseconds(80)), (1, 1.0, .milliseconds(120)), (30, 0.5, .seconds(5)),
    ])
    func backoffGrowsWithJitterUpToTheCap(_ attempt: Int, _ random: Double, _ want: Duration) {
        let delay = GRPCChannel.Backoff().delay(attempt: attempt, random: random)
        #expect(abs((delay - want) / .microseconds(1)) < 2, "got \(delay)")
    }

    @Test func fullConnectionsOpenMoreUpToTheLimitThenQueue() async throws {
        var serverConfiguration = HTTP2Server.Configuration()
        serverConfiguration.session.maxConcurrentStreams = 2
        let server = try await HTTP2Server.start(
            host: "127.0.0.1", port: 0, group: Self.group, configuration: serverConfiguration, handler: TestBackend.handler)
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: server.port)
        configuration.maxConnectionsPerEventLoop = 3
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        let warm = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [0]) }
        #expect(warm.message == [0])
        let ok = try await withTimeout(20) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await channel.unary(path: "/interop.Test/Slow", request: [UInt8(index)]).message == [UInt8(index)]
                    }
                }
                var ok = 0
                for try await matched in group where matched { ok += 1 }
                return ok
            }
        }
        #expect(ok == 8)
        let connections = await channel.connectionCount()
        #expect(connections == 3)
        await channel.close()
        try await server.shutDown()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: Self.group, handler: TestBackend.handler)
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: server.port)
        configuration.idleTimeout = .seconds(1)
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        let started = ContinuousClock.now
        _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
        if ContinuousClock.now - started < .milliseconds(800) {  // (skip when the machine stalled past the timeout)
            #expect(await channel.connectionCount() == 1)
        }
        try await withTimeout(10) {
            while await channel.connectionCount() > 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ContinuousClock.now - started >= .seconds(1))
        // The next call simply connects again.
        let again = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [2]) }
        #expect(again.message == [2])
        await channel.close()
        try await server.shutDown()
    }

    @Test func unansweredKeepalivePingFailsCallsAsUnavailable() async throws {
        let silent = try await SilentHTTP2Server.start(group: Self.group)
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: silent.port)
        configuration.keepaliveInterval = .milliseconds(100)
        configuration.keepaliveTimeout = .milliseconds(200)
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
        }
        #expect(error?.code == .unavailable)
        // Failed by the keepalive (its message), well before the 10 s bound: not hung. The time
        // itself is not checked; a loaded machine has taken 6 s for these 300 ms.
        #expect(error?.message.contains("keepalive") == true)
        await channel.close()
        try await silent.channel.close()
    }

    @Test func refusedConnectionFailsFastThenBacksOff() async throws {
        // Bind and close a listener to get a port nobody listens on.
        let probe = try await ServerBootstrap(group: Self.group).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close()
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: port)
        configuration.backoff.initial = .seconds(30)
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        let first = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/x/y", request: []) }
        }
        #expect(first?.code == .unavailable)
        let second = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/x/y", request: []) }
        }
        #expect(second?.code == .unavailable)
        #expect(second?.message.contains("retrying after backoff") == true)
        await channel.close()
    }
}

/// A scripted fault backend: sends its SETTINGS, then reads and ignores everything (no PING acks,
/// no responses).
enum SilentHTTP2Server {
    static func start(group: any EventLoopGroup) async throws -> (channel: any Channel, port: Int) {
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                // An empty SETTINGS frame (RFC 9113 §6.5), then silence.
                channel.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 4, 0, 0, 0, 0, 0]), promise: nil)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, channel.localAddress!.port!)
    }
}
