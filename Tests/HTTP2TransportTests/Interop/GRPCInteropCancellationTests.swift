import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// Abandoned calls are cancelled on the wire: the Python grpcio server must see its call's
/// context go inactive (RST_STREAM CANCEL arrived), and the client must hold no stream after.
@Suite("Interop cancellation with Python grpcio", .serialized, .timeLimit(.minutes(1)))
struct GRPCInteropCancellationTests {
    /// What the server recorded for the call with `key` (`Peers/grpc_test_server.py`, `Outcome`).
    static func outcome(_ channel: GRPCChannel, _ key: String) async throws -> String {
        let reply = try await withTimeout(10) {
            try await channel.unary(path: "/interop.Test/Outcome", request: Array(key.utf8))
        }
        return String(decoding: reply.message, as: UTF8.self)
    }

    /// Polls (bounded) until the server reports `want` for `key`.
    static func waitForOutcome(_ channel: GRPCChannel, _ key: String, _ want: String) async throws {
        let start = ContinuousClock.now
        var last = ""
        while ContinuousClock.now - start < .seconds(10) {
            last = try await outcome(channel, key)
            if last == want { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("server outcome for \(key) is \(last), expected \(want)")
    }

    /// Polls (bounded) until the channel holds no open stream.
    static func waitForNoStreams(_ channel: GRPCChannel) async throws {
        let start = ContinuousClock.now
        while await channel.openStreamCount() > 0 && ContinuousClock.now - start < .seconds(5) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await channel.openStreamCount() == 0)
    }

    static func withPeer(_ body: (GRPCChannel) async throws -> Void) async throws {
        let server = try PeerProcess.grpcServer()
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: GRPCInteropTests.group)
        do {
            try await body(channel)
        } catch {
            await channel.close()
            server.kill()
            throw error
        }
        await channel.close()
        server.kill()
        await server.waitForExit()
    }

    @Test func cancellingTheUnaryTaskResetsTheStream() async throws {
        try await Self.withPeer { channel in
            let key = "unary-\(UUID())"
            let task = Task { try await channel.unary(path: "/interop.Test/Hold", request: Array(key.utf8)) }
            try await Self.waitForOutcome(channel, key, "waiting")
            task.cancel()
            let error = await #expect(throws: (any Error).self) { _ = try await withTimeout(5) { try await task.value } }
            #expect(error.map { "\($0)" }?.hasPrefix("CANCELLED") == true, "\(String(describing: error))")
            try await Self.waitForOutcome(channel, key, "cancelled")
            try await Self.waitForNoStreams(channel)
        }
    }

    @Test func cancellingTheTaskReadingResponsesResetsTheStream() async throws {
        try await Self.withPeer { channel in
            let key = "stream-\(UUID())"
            let task = Task {
                let call = channel.serverStreaming(path: "/interop.Test/Watch", request: Array(key.utf8))
                var count = 0
                // Depending on whether the cancellation reaches the iterator before or after the
                // stream ends, the loop finishes or throws the call's CANCELLED status.
                var thrown: String?
                do {
                    for try await _ in call.responses { count += 1 }
                } catch {
                    thrown = "\(error)"
                }
                #expect(thrown == nil || thrown?.hasPrefix("CANCELLED") == true, "\(thrown ?? "")")
                return (count, await call.result.status.code)
            }
            try await Self.waitForOutcome(channel, key, "waiting")
            task.cancel()
            let (count, code) = try await withTimeout(5) { await task.value }
            #expect(count <= 1)
            #expect(code == .cancelled)
            try await Self.waitForOutcome(channel, key, "cancelled")
            try await Self.waitForNoStreams(channel)
        }
    }

    @Test func droppingTheResponsesCancelsTheCall() async throws {
        try await Self.withPeer { channel in
            let key = "dropped-\(UUID())"
            try await withTimeout(10) {
                let call = channel.serverStreaming(path: "/interop.Test/Watch", request: Array(key.utf8))
                var iterator = call.responses.makeAsyncIterator()
                let first = try await iterator.next()
                #expect(first == Array("started".utf8))
            }  // the call and its responses go out of scope here
            try await Self.waitForOutcome(channel, key, "cancelled")
            try await Self.waitForNoStreams(channel)
        }
    }

    @Test func cancelSendsResetForAStreamingCall() async throws {
        try await Self.withPeer { channel in
            let key = "explicit-\(UUID())"
            let call = channel.serverStreaming(path: "/interop.Test/Watch", request: Array(key.utf8))
            try await Self.waitForOutcome(channel, key, "waiting")
            call.cancel()
            #expect(await call.result.status.code == .cancelled)
            try await Self.waitForOutcome(channel, key, "cancelled")
            try await Self.waitForNoStreams(channel)
        }
    }
}
