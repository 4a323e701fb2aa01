import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HTTP2Transport

/// Backpressure end to end: neither side buffers without bound when the other stops reading.
@Suite("Backpressure", .serialized, .timeLimit(.minutes(1)))
struct GRPCBackpressureTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Counts 100 KB response chunks the server managed to write.
    final class Counter: Sendable {
        let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var current: Int { value.withLock { $0 } }
    }

    @Test func slowReaderStopsTheServer() async throws {
        let written = Counter()
        let chunk = try GRPCMessageFramer().frame([UInt8](repeating: 5, count: 100_000))
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: Self.group) { _, response in
            do {
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
                for _ in 0..<200 {
                    try await response.writeData(chunk)
                    written.increment()
                }
                try await response.writeTrailers(GRPCStatus.ok.trailerFields)
            } catch {}
        }
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        let call = channel.serverStreaming(path: "/any/Stream", request: [])
        _ = try await withTimeout(10) { try await call.headers }
        try await Task.sleep(for: .milliseconds(500))
        // The client's 1 MiB stream window plus the server's 64 KiB send backlog: about 11 chunks.
        let stalled = written.current
        #expect(stalled <= 12, "server wrote \(stalled) chunks to a reader that read nothing")
        // Reading lets everything through.
        let count = try await withTimeout(30) {
            var count = 0
            for try await message in call.responses {
                #expect(message.count == 100_000)
                count += 1
            }
            return count
        }
        #expect(count == 200)
        #expect(written.current == 200)
        await channel.close()
        try await server.shutDown()
    }

    @Test func sendSuspendsWhileTheServerDoesNotRead() async throws {
        let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: Self.group) { request, response in
            // Do not read until released, then drain and answer.
            await withCheckedContinuation { continuation in release.withLock { $0 = continuation } }
            let body = (try? await request.body.collect(upTo: 64 << 20)) ?? []
            try? await response.writeResponse(
                headers: [(":status", "200"), ("content-type", "application/grpc")],
                body: (try? GRPCMessageFramer().frame(Array(String(body.count).utf8))) ?? [],
                trailers: GRPCStatus.ok.trailerFields)
        }
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        let call = channel.makeCall(path: "/any/Upload")
        let sent = Counter()
        let sender = Task {
            for _ in 0..<50 {
                try await call.send([UInt8](repeating: 1, count: 100_000))
                sent.increment()
            }
            try await call.finish()
        }
        try await Task.sleep(for: .milliseconds(500))
        // The server's 64 KiB stream window plus our 64 KiB send limit: the second send must wait.
        #expect(sent.current <= 2, "\(sent.current) sends completed against a server that reads nothing")
        var continuation: CheckedContinuation<Void, Never>?
        while continuation == nil {
            continuation = release.withLock { $0 }
            try await Task.sleep(for: .milliseconds(10))
        }
        continuation?.resume()
        try await withTimeout(30) { try await sender.value }
        #expect(sent.current == 50)
        let replies = try await withTimeout(10) {
            var replies: [[UInt8]] = []
            for try await message in call.responses { replies.append(message) }
            return replies
        }
        #expect(replies == [Array(String(50 * 100_005).utf8)])
        await channel.close()
        try await server.shutDown()
    }

    /// A deadline ends the call locally and resets the stream, which the server sees as its request
    /// body failing (RST_STREAM CANCEL).
    @Test func deadlineResetsTheStreamAtTheServer() async throws {
        let outcome = Mutex<String?>(nil)
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: Self.group) { request, response in
            do {
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
                for try await _ in request.body {}
                outcome.withLock { $0 = "body ended normally" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
        }
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: Self.group)
        let call = channel.makeCall(path: "/any/Hang", options: GRPCCallOptions(timeout: .milliseconds(200)))
        try await call.send([1, 2, 3])
        let result = try await withTimeout(10) { await call.result }
        #expect(result.status.code == .deadlineExceeded)
        try await withTimeout(10) {
            while outcome.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(outcome.withLock { $0 }?.contains("CANCEL") == true)
        await channel.close()
        try await server.shutDown()
    }
}

extension GRPCBackpressureTests {
    /// Calls that fail mid-download (here: a message over the receive limit) leave the connection
    /// usable: DATA that arrives after a call ended is credited back to the connection window,
    /// including the chunks of a frame whose stream our RST_STREAM closed between two reads
    /// (nghttp2 reports those chunks but never the frame). With a 1 MiB connection window, the
    /// leak this guards against stalled the connection within ~60 calls.
    @Test func failedDownloadsLeaveTheConnectionUsable() async throws {
        let chunk = try GRPCMessageFramer().frame([UInt8](repeating: 9, count: 100_000))
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: Self.group) { request, response in
            do {
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
                let chunks = request.path == "/any/Flood" ? 40 : 1
                for _ in 0..<chunks { try await response.writeData(chunk) }
                try await response.writeTrailers(GRPCStatus.ok.trailerFields)
            } catch {}
        }
        var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: server.port)
        configuration.session.connectionWindowSize = 1 << 20
        let channel = GRPCChannel(configuration: configuration, group: Self.group)
        // Each call fails on its first DATA frame (the message is over the receive limit).
        var options = GRPCCallOptions()
        options.maxReceiveMessageSize = 10_000
        for _ in 0..<200 {
            let call = channel.serverStreaming(path: "/any/Flood", request: [], options: options)
            let result = try await withTimeout(10, "call after a leak") { await call.result }
            #expect(result.status.code == .resourceExhausted)
        }
        #expect(await channel.connectionCount() == 1)
        let healthy = channel.serverStreaming(path: "/any/One", request: [])
        let count = try await withTimeout(10) {
            var count = 0
            for try await _ in healthy.responses { count += 1 }
            return count
        }
        #expect(count == 1)
        await channel.close()
        try await server.shutDown()
    }
}
