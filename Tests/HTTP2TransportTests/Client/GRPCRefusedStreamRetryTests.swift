import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HTTP2Transport

/// Transparent retry of RST_STREAM(REFUSED_STREAM) (RFC 9113 §8.7: "the stream was closed prior
/// to any processing"; gRPC `doc/PROTOCOL-HTTP2.md`): a call is reopened once with its request
/// replayed, and only while the server provably did nothing with it: once response headers
/// arrived, a later REFUSED_STREAM is an ordinary failure. The backend counts arrivals per call.
@Suite("Refused-stream retry", .serialized, .timeLimit(.minutes(1)))
struct GRPCRefusedStreamRetryTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let arrivals = Mutex<[String: Int]>([:])

    /// Routes, by the `x-key` metadata (one key per test):
    /// - `/retry.Test/RefuseOnce`: the first arrival is refused, later ones get the gRPC echo;
    /// - `/retry.Test/RefuseAlways`: every arrival is refused;
    /// - `/retry.Test/RefuseAfterHeaders`: response headers, then REFUSED_STREAM.
    static let handler: HTTP2Server.Handler = { request, response in
        let key = request.headers[first: "x-key"] ?? ""
        let arrival = arrivals.withLock { counts in
            counts[key, default: 0] += 1
            return counts[key]!
        }
        do {
            switch request.path {
            case "/retry.Test/RefuseOnce" where arrival > 1:
                try await TestBackend.grpcEcho(request, response)
            case "/retry.Test/RefuseOnce", "/retry.Test/RefuseAlways":
                response.reset(.refusedStream)
            case "/retry.Test/RefuseAfterHeaders":
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
                response.reset(.refusedStream)
            default:
                try await response.writeHeaders([(":status", "404")], endStream: true)
            }
        } catch {
            response.reset(.internalError)
        }
    }

    static func withBackend(_ body: (GRPCChannel) async throws -> Void) async throws {
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group, handler: handler)
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: group)
        do {
            try await body(channel)
        } catch {
            await channel.close()
            try await server.shutDown()
            throw error
        }
        await channel.close()
        try await server.shutDown()
    }

    static func count(_ key: String) -> Int { arrivals.withLock { $0[key] ?? 0 } }

    @Test func aRefusedUnaryCallIsReplayedOnce() async throws {
        try await Self.withBackend { channel in
            let reply = try await withTimeout(10) {
                try await channel.unary(
                    path: "/retry.Test/RefuseOnce", request: Array("replayed".utf8), metadata: [("x-key", "once")])
            }
            #expect(reply.message == Array("replayed".utf8))
            #expect(Self.count("once") == 2)
        }
    }

    @Test func aStreamingCallIsReplayedWithEverythingItSent() async throws {
        try await Self.withBackend { channel in
            let call = channel.makeCall(path: "/retry.Test/RefuseOnce", metadata: [("x-key", "stream")])
            try await call.send([1, 2])
            try await call.send([3])
            try await call.finish()
            let replies = try await withTimeout(10) {
                var collected: [[UInt8]] = []
                for try await message in call.responses { collected.append(message) }
                return collected
            }
            #expect(replies == [[1, 2], [3]])
            #expect(await call.result.status.code == .ok)
            #expect(Self.count("stream") == 2)
        }
    }

    @Test func aCallIsRetriedOnlyOnce() async throws {
        try await Self.withBackend { channel in
            let error = await #expect(throws: GRPCStatus.self) {
                _ = try await withTimeout(10) {
                    try await channel.unary(path: "/retry.Test/RefuseAlways", request: [1], metadata: [("x-key", "always")])
                }
            }
            #expect(error?.code == .unavailable)
            #expect(Self.count("always") == 2)
        }
    }

    /// Response headers prove the server began processing: no retry, whatever the reset says.
    @Test func aCallWhoseResponseBeganIsNotRetried() async throws {
        try await Self.withBackend { channel in
            let error = await #expect(throws: GRPCStatus.self) {
                _ = try await withTimeout(10) {
                    try await channel.unary(
                        path: "/retry.Test/RefuseAfterHeaders", request: [1], metadata: [("x-key", "headers")])
                }
            }
            #expect(error?.code == .unavailable)
            #expect(Self.count("headers") == 1)
        }
    }
}
