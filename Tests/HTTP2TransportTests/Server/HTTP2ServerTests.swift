import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import HTTP2Transport

/// The server role answering real clients: curl, h2load, Python grpcio, and our own channel.
@Suite("HTTP2Server", .serialized, .timeLimit(.minutes(1)))
struct HTTP2ServerTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func withServer(_ body: @Sendable (HTTP2Server) async throws -> Void) async throws {
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group, handler: TestBackend.handler)
        do {
            try await body(server)
        } catch {
            try? await server.shutDown()
            throw error
        }
        try? await server.shutDown()
    }

    /// Runs a command line tool (bounded by `timeout` seconds), returning stdout; stderr passes through.
    ///
    /// The wait happens on a thread of its own: blocking a Swift concurrency thread here would
    /// starve the server's handlers of the cooperative pool (two threads on a 2-core machine).
    static func run(_ arguments: [String], timeout: Double = 30) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments, timeout: timeout) }) }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], timeout: Double) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var output = Data()
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            output += chunk
            if Date() > deadline { break }
        }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func curlWithPriorKnowledgeGetsTheEchoAndTrailers() async throws {
        try await Self.withServer { server in
            let result = try await Self.run([
                "curl", "-sS", "--http2-prior-knowledge", "--max-time", "10", "-D", "-", "--data-binary", "hello over h2c",
                "-H", "content-type: text/plain", "http://127.0.0.1:\(server.port)/echo",
            ])
            #expect(result.status == 0)
            #expect(result.output.hasPrefix("HTTP/2 200"))
            #expect(result.output.contains("content-type: application/octet-stream"))
            #expect(result.output.contains("hello over h2c"))
            #expect(result.output.contains("x-body-bytes: 14"))
        }
    }

    @Test func curlUnknownPathIs404() async throws {
        try await Self.withServer { server in
            let result = try await Self.run([
                "curl", "-sS", "--http2-prior-knowledge", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                "http://127.0.0.1:\(server.port)/nope",
            ])
            #expect(result.output == "404 2")
        }
    }

    @Test func h2loadRequestsAllSucceed() async throws {
        try await Self.withServer { server in
            let body = FileManager.default.temporaryDirectory.appendingPathComponent("h2load-body-\(getpid())")
            try Data(repeating: 0x61, count: 1000).write(to: body)
            defer { try? FileManager.default.removeItem(at: body) }
            let result = try await Self.run([
                "h2load", "-n", "2000", "-c", "4", "-m", "32", "-d", body.path, "http://127.0.0.1:\(server.port)/echo",
            ])
            #expect(result.status == 0)
            #expect(result.output.contains("requests: 2000 total, 2000 started, 2000 done, 2000 succeeded"), "\(result.output)")
            #expect(result.output.contains("status codes: 2000 2xx"))
        }
    }

    @Test func ourChannelAgainstOurServer() async throws {
        try await Self.withServer { server in
            let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
            defer { Task { await channel.close() } }
            let reply = try await withTimeout(10) {
                try await channel.unary(path: "/interop.Test/Unary", request: Array("ping".utf8))
            }
            #expect(reply.message == Array("ping".utf8))
            let error = await #expect(throws: GRPCStatus.self) {
                _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Fail", request: []) }
            }
            #expect(error == GRPCStatus(.notFound, "no such thing ✓"))
            let call = channel.makeCall(path: "/interop.Test/Bidi", options: GRPCCallOptions(compression: .gzip))
            try await withTimeout(10) {
                var iterator = call.responses.makeAsyncIterator()
                for round in 0..<10 {
                    let message = [UInt8](repeating: UInt8(round), count: 100_000)
                    try await call.send(message)
                    #expect(try await iterator.next() == message)
                }
                try await call.finish()
                #expect(try await iterator.next() == nil)
            }
            #expect(await call.result.status.isOK)
        }
    }

    /// A handler that answers without reading the body must not leak connection window: 20 × 200 KB
    /// unread uploads are 4 MB, four times the server's 1 MiB connection window.
    @Test func unreadBodiesGiveTheirWindowBack() async throws {
        try await Self.withServer { server in
            let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
            defer { Task { await channel.close() } }
            let upload = [UInt8](repeating: 1, count: 200_000)
            for _ in 0..<20 {
                let error = await #expect(throws: GRPCStatus.self) {
                    _ = try await withTimeout(10) { try await channel.unary(path: "/not/here", request: upload) }
                }
                #expect(error?.code == .unimplemented)  // HTTP 404 → UNIMPLEMENTED
            }
            #expect(await channel.connectionCount() == 1)
        }
    }

    /// A handler that answers in full without reading an upload: the client gets the whole
    /// response, and RST_STREAM(NO_ERROR) (RFC 9113 §8.1) stops the upload and frees the stream.
    /// With only 4 streams allowed, 12 such calls in a row pass only if each stream is freed.
    @Test func completeResponseStopsAnUnreadUpload() async throws {
        var configuration = HTTP2Server.Configuration()
        configuration.session.maxConcurrentStreams = 4
        let server = try await HTTP2Server.start(
            host: "127.0.0.1", port: 0, group: Self.group, configuration: configuration, handler: TestBackend.handler)
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        let upload = [UInt8](repeating: 3, count: 1 << 20)
        for _ in 0..<12 {
            let call = channel.makeCall(path: "/interop.Test/Early")
            let sender = Task { try? await call.send(upload) }
            let messages = try await withTimeout(10, "early response") {
                var messages: [[UInt8]] = []
                for try await message in call.responses { messages.append(message) }
                return messages
            }
            #expect(messages == [TestBackend.earlyReply])
            #expect(await call.result.status.isOK)
            _ = await sender.value
        }
        let reply = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [1, 2]) }
        #expect(reply.message == [1, 2])
        #expect(await channel.connectionCount() == 1)
        await channel.close()
        try await server.shutDown()
    }

    @Test func pythonGRPCClientAgainstOurServer() async throws {
        try await Self.withServer { server in
            let result = try await Self.run(["python3", PeerProcess.peersDirectory + "/grpc_test_client.py", String(server.port)])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("unary ok"))
            #expect(result.output.contains("bidi ok 50"))
            #expect(result.output.contains("fail NOT_FOUND no such thing ✓"))
        }
    }
}
