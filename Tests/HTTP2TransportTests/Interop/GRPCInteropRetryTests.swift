import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// Calls the server refused without processing them are retried once on a new connection (gRPC
/// `doc/PROTOCOL-HTTP2.md`; RFC 9113 §8.7): here, calls queued behind the peer's
/// SETTINGS_MAX_CONCURRENT_STREAMS = 1 when the Python server stops with grace (GOAWAY).
@Suite("Interop retry with Python grpcio", .serialized, .timeLimit(.minutes(1)))
struct GRPCInteropRetryTests {
    @Test func callsQueuedAtAGracefulStopGoToANewConnection() async throws {
        let server = try PeerProcess.grpcServer(options: ["--max-streams=1", "--handover"])
        let channel = GRPCInteropFaultTests.channel(port: server.port)
        defer { Task { await channel.close() } }
        let warm = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [0]) }
        #expect(warm.message == [0])
        // One call holds the only stream slot; four more wait in the session's queue.
        let slow = Task { try await channel.unary(path: "/interop.Test/Sleep", request: Array("700".utf8)) }
        try await Task.sleep(for: .milliseconds(100))
        let queued = (1...4).map { index in
            Task { try await channel.unary(path: "/interop.Test/Unary", request: [UInt8(index)]) }
        }
        try await Task.sleep(for: .milliseconds(100))
        server.handOver()
        let slowReply = try await withTimeout(10, "the in-flight call") { try await slow.value }
        #expect(slowReply.message == Array("700".utf8))  // in flight at the GOAWAY: finished with grace
        for (index, call) in queued.enumerated() {
            let reply = try await withTimeout(10, "queued call \(index + 1)") { try await call.value }
            #expect(reply.message == [UInt8(index + 1)])
        }
        let after = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [9]) }
        #expect(after.message == [9])
        server.kill()
        await server.waitForExit()
    }
}
