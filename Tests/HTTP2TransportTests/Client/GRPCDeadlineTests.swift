import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// Deadlines cover connecting too (gRPC `doc/PROTOCOL-HTTP2.md`, "Timeout"): a backend that
/// accepts TCP but never completes the HTTP/2 handshake fails calls at their deadline with
/// DEADLINE_EXCEEDED, not after the channel's connect timeout.
@Suite("Deadlines while connecting", .serialized, .timeLimit(.minutes(1)))
struct GRPCDeadlineTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Accepts connections and never says a word (no SETTINGS): a blackholed backend.
    static func silentListener() async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    static func channel(port: Int) -> GRPCChannel {
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: port)
        configuration.connectTimeout = .seconds(10)
        return GRPCChannel(configuration: configuration, group: group)
    }

    @Test(arguments: [Duration.milliseconds(150), .milliseconds(400)])
    func unaryFailsAtItsDeadline(timeout: Duration) async throws {
        let listener = try await Self.silentListener()
        let channel = Self.channel(port: listener.localAddress!.port!)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: (any Error).self) {
            _ = try await withTimeout(9) {
                try await channel.unary(path: "/any/Call", request: [1], options: GRPCCallOptions(timeout: timeout))
            }
        }
        let elapsed = clock.now - start
        #expect(error.map { "\($0)" }?.hasPrefix("DEADLINE_EXCEEDED") == true, "\(String(describing: error))")
        // Before the 10 s connect timeout, which is what would end the call without the deadline
        // (the bound leaves room for a loaded 2-core machine: it once took over 4 s there).
        #expect(elapsed >= timeout && elapsed < .seconds(9), "took \(elapsed)")
        await channel.close()
        try await listener.close()
    }

    @Test func streamingCallFailsAtItsDeadline() async throws {
        let listener = try await Self.silentListener()
        let channel = Self.channel(port: listener.localAddress!.port!)
        let clock = ContinuousClock()
        let start = clock.now
        let call = channel.makeCall(path: "/any/Stream", options: GRPCCallOptions(timeout: .milliseconds(200)))
        let result = try await withTimeout(9) { await call.result }
        #expect(result.status.code == .deadlineExceeded)
        #expect(clock.now - start < .seconds(9))
        let error = await #expect(throws: GRPCStatus.self) {
            try await withTimeout(5) { for try await _ in call.responses {} }
        }
        #expect(error?.code == .deadlineExceeded)
        await #expect(throws: GRPCStatus.self) { try await withTimeout(5) { try await call.send([1]) } }
        await channel.close()
        try await listener.close()
    }

    /// Cancelling a call that still waits for its connection ends it at once.
    @Test func cancellingWhileConnectingEndsTheCall() async throws {
        let listener = try await Self.silentListener()
        let channel = Self.channel(port: listener.localAddress!.port!)
        let call = channel.makeCall(path: "/any/Stream")
        call.cancel()
        let result = try await withTimeout(5) { await call.result }
        #expect(result.status.code == .cancelled)
        let task = Task { try await channel.unary(path: "/any/Call", request: []) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let error = await #expect(throws: (any Error).self) { _ = try await withTimeout(5) { try await task.value } }
        #expect(error.map { "\($0)" }?.hasPrefix("CANCELLED") == true, "\(String(describing: error))")
        await channel.close()
        try await listener.close()
    }
}
