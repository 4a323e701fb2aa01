import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// Our client against a real gRPC server nobody here wrote: Python grpcio on loopback.
@Suite("Interop with Python grpcio", .serialized, .timeLimit(.minutes(1)))
struct GRPCInteropTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let server = Result { try PeerProcess.grpcServer() }

    static func channel(port: Int? = nil, _ configure: (inout GRPCChannel.Configuration) -> Void = { _ in }) throws -> GRPCChannel {
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: try port ?? server.get().port)
        configuration.connectTimeout = .seconds(5)
        configure(&configuration)
        return GRPCChannel(configuration: configuration, group: group)
    }

    @Test func unaryEchoesWithMetadataIncludingBinary() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let response = try await withTimeout(10) {
            try await channel.unary(
                path: "/interop.Test/Unary", request: Array("hello".utf8),
                metadata: [("x-echo-text", "plain value"), ("x-echo-blob-bin", Base64.encode([0, 1, 2, 0xFF]))])
        }
        #expect(response.message == Array("hello".utf8))
        #expect(response.headers[first: "x-echo-text"] == "plain value")
        #expect(response.headers[first: "x-echo-blob-bin"].flatMap(Base64.decode) == [0, 1, 2, 0xFF])
        #expect(response.trailers[first: "x-echo-text-trailer"] == "plain value")
        #expect(response.trailers[first: "x-echo-blob-trailer-bin"].flatMap(Base64.decode) == [0, 1, 2, 0xFF])
        #expect(response.trailers[first: "grpc-status"] == "0")
    }

    /// Connection-specific and reserved fields a proxy may hand over are dropped, so grpcio (which
    /// rejects a request carrying them as malformed) serves the call; invalid metadata fails the
    /// call locally with INTERNAL naming the field, and nothing reaches the server.
    @Test func reservedMetadataIsDroppedAndInvalidMetadataRejected() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let response = try await withTimeout(10) {
            try await channel.unary(
                path: "/interop.Test/Unary", request: Array("hi".utf8),
                metadata: [
                    (":path", "/interop.Test/Fail"), ("connection", "close"), ("te", "gzip"), ("host", "evil"),
                    ("transfer-encoding", "chunked"), ("keep-alive", "1"), ("upgrade", "h2c"), ("content-length", "1"),
                    ("grpc-timeout", "1n"), ("grpc-status", "13"), ("x-echo-kept", "yes"),
                ])
        }
        #expect(response.message == Array("hi".utf8))
        #expect(response.headers[first: "x-echo-kept"] == "yes")
        #expect(response.trailers[first: "grpc-status"] == "0")
        for bad in [("X-Echo-Upper", "v"), ("x-echo-text", "two\r\nlines"), ("x-echo-blob-bin", "not base64!")] {
            let error = await #expect(throws: (any Error).self) {
                _ = try await withTimeout(10) {
                    try await channel.unary(path: "/interop.Test/Unary", request: [1], metadata: [bad])
                }
            }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.hasPrefix("INTERNAL: metadata \"\(bad.0)\""), "\(text)")
        }
        #expect(await channel.openStreamCount() == 0)
    }

    @Test(arguments: [
        (GRPCStatus.Code.notFound, "shelf 7 is gone ✓ 100%"), (.invalidArgument, "bad\nnews"), (.unavailable, ""),
        (.internal, "x"),
    ])
    func errorStatusRoundTrips(_ code: GRPCStatus.Code, _ message: String) async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) {
                try await channel.unary(path: "/interop.Test/Unary", request: Array("status:\(code.rawValue):\(message)".utf8))
            }
        }
        #expect(error?.code == code)
        #expect(error?.message == message)
        #expect(error?.details == Array("details:\(message)".utf8))
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Nope", request: []) }
        }
        #expect(error?.code == .unimplemented)
    }

    @Test(arguments: [0, 64 * 1024, 8 << 20])
    func messageSizesPastEveryWindow(_ size: Int) async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let options = { var o = GRPCCallOptions(); o.maxReceiveMessageSize = 16 << 20; return o }()
        let request = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let response = try await withTimeout(30) {
            try await channel.unary(path: "/interop.Test/Unary", request: request, options: options)
        }
        #expect(response.message == request)
        let sized = try await withTimeout(30) {
            try await channel.unary(path: "/interop.Test/Size", request: Array(String(size).utf8), options: options)
        }
        #expect(sized.message.count == size)
    }

    @Test func oversizeResponseIsResourceExhausted() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let options = { var o = GRPCCallOptions(); o.maxReceiveMessageSize = 1000; return o }()
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) {
                try await channel.unary(path: "/interop.Test/Size", request: Array("1001".utf8), options: options)
            }
        }
        #expect(error?.code == .resourceExhausted)
    }

    @Test func serverStreamingDeliversEveryMessageInOrder() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let call = channel.serverStreaming(path: "/interop.Test/ServerStream", request: Array("200,3000".utf8))
        let indices = try await withTimeout(20) {
            var indices: [UInt32] = []
            for try await message in call.responses {
                #expect(message.count == 3000)
                indices.append(UInt32(message[0]) << 24 | UInt32(message[1]) << 16 | UInt32(message[2]) << 8 | UInt32(message[3]))
            }
            return indices
        }
        #expect(indices == Array(0..<200))
        #expect(await call.result.status.isOK)
    }

    @Test func clientStreamingCountsWhatWasSent() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let call = channel.makeCall(path: "/interop.Test/ClientStream")
        let reply = try await withTimeout(20) {
            for index in 0..<50 { try await call.send([UInt8](repeating: UInt8(index), count: 10_000)) }
            try await call.finish()
            var replies: [[UInt8]] = []
            for try await message in call.responses { replies.append(message) }
            return replies
        }
        #expect(reply == [Array("50,500000".utf8)])
        #expect(await call.result.status.isOK)
    }

    @Test func bidiPingPong() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let call = channel.makeCall(path: "/interop.Test/Bidi")
        try await withTimeout(20) {
            var iterator = call.responses.makeAsyncIterator()
            for round in 0..<20 {
                let message = Array("round \(round)".utf8)
                try await call.send(message)
                #expect(try await iterator.next() == message)
            }
            try await call.finish()
            #expect(try await iterator.next() == nil)
        }
        #expect(await call.result.status.isOK)
    }

    @Test func gzipBothWays() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let request = Array(String(repeating: "compressible ", count: 5000).utf8)
        let call = channel.makeCall(
            path: "/interop.Test/Unary", metadata: [("x-compress-response", "gzip")],
            options: GRPCCallOptions(compression: .gzip))
        let messages = try await withTimeout(10) {
            try await call.send(request)
            try await call.finish()
            var messages: [[UInt8]] = []
            for try await message in call.responses { messages.append(message) }
            return messages
        }
        #expect(messages == [request])
        #expect(try await call.headers[first: "grpc-encoding"] == "gzip")
    }

    @Test func deadlineExceededEndsTheCallAndResetsTheStream() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let started = ContinuousClock.now
        let error = await #expect(throws: GRPCStatus.self) {
            _ = try await withTimeout(10) {
                try await channel.unary(
                    path: "/interop.Test/Sleep", request: Array("3000".utf8), options: GRPCCallOptions(timeout: .milliseconds(200)))
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - started < .milliseconds(2800))  // well before the server's 3 s
        // The connection is still good for the next call.
        let ok = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1]) }
        #expect(ok.message == [1])
    }

    @Test func cancelEndsTheCallAsCancelled() async throws {
        let channel = try Self.channel()
        defer { Task { await channel.close() } }
        let call = channel.serverStreaming(path: "/interop.Test/Endless", request: [])
        try await withTimeout(10) {
            var iterator = call.responses.makeAsyncIterator()
            _ = try await iterator.next()
            call.cancel()
            await #expect(throws: GRPCStatus.self) { while try await iterator.next() != nil {} }
        }
        #expect(await call.result.status.code == .cancelled)
    }

    @Test func thousandConcurrentCallsShareOneConnection() async throws {
        let channel = try Self.channel { $0.maxConnectionsPerEventLoop = 1 }
        defer { Task { await channel.close() } }
        let results = try await withTimeout(50) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let request = Array("call \(index)".utf8)
                        return try await channel.unary(path: "/interop.Test/Unary", request: request).message == request
                    }
                }
                var ok = 0
                for try await matched in group where matched { ok += 1 }
                return ok
            }
        }
        #expect(results == 1000)
        #expect(await channel.connectionCount() == 1)
    }
}
