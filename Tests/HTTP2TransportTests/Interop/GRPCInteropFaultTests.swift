import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// The backend going away: with grace (GOAWAY), killed mid-stream, and coming back.
@Suite("Interop faults with Python grpcio", .serialized, .timeLimit(.minutes(1)))
struct GRPCInteropFaultTests {
    static func channel(port: Int) -> GRPCChannel {
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: port)
        configuration.backoff.initial = .milliseconds(50)
        configuration.backoff.maximum = .milliseconds(200)
        return GRPCChannel(configuration: configuration, group: GRPCInteropTests.group)
    }

    @Test func gracefulStopLetsTheInFlightCallFinish() async throws {
        let server = try PeerProcess.grpcServer()
        let channel = Self.channel(port: server.port)
        defer { Task { await channel.close() } }
        // 10 messages, 100 ms apart: still running when the server is told to stop.
        let call = channel.serverStreaming(path: "/interop.Test/ServerStream", request: Array("10,16,100".utf8))
        let count = try await withTimeout(20) {
            var iterator = call.responses.makeAsyncIterator()
            _ = try await iterator.next()
            server.terminate()
            var count = 1
            while try await iterator.next() != nil { count += 1 }
            return count
        }
        #expect(count == 10)
        #expect(await call.result.status.isOK)
        await server.waitForExit()
        // New calls cannot reach the stopped server: UNAVAILABLE, not a hang.
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
        }
        #expect(error?.code == .unavailable)
    }

    @Test func killedMidStreamIsUnavailable() async throws {
        let server = try PeerProcess.grpcServer()
        let channel = Self.channel(port: server.port)
        defer { Task { await channel.close() } }
        let call = channel.serverStreaming(path: "/interop.Test/Endless", request: [])
        let error = await #expect(throws: GRPCStatus.self) {
            try await withTimeout(10) {
                var iterator = call.responses.makeAsyncIterator()
                for _ in 0..<3 { _ = try await iterator.next() }
                server.kill()
                while try await iterator.next() != nil {}
            }
        }
        #expect(error?.code == .unavailable)
        #expect(await call.result.status.code == .unavailable)
        await server.waitForExit()
    }

    @Test func channelRecoversWhenTheServerRestarts() async throws {
        let first = try PeerProcess.grpcServer()
        let port = first.port
        let channel = Self.channel(port: port)
        defer { Task { await channel.close() } }
        let before = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
        #expect(before.message == [1])
        first.kill()
        await first.waitForExit()
        let down = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [2]) }
        }
        #expect(down?.code == .unavailable)
        let second = try PeerProcess.grpcServer(port: port)
        defer { second.kill() }
        // Retry until the backoff lets a reconnect through; bounded by the timeout.
        let after = try await withTimeout(10) {
            while true {
                do {
                    return try await channel.unary(path: "/interop.Test/Unary", request: [3])
                } catch let status as GRPCStatus where status.code == .unavailable {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        #expect(after.message == [3])
    }
}
