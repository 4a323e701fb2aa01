import Foundation
import Gateway
import HTTP2Transport
import Synchronization
import Testing

/// Backpressure through the gateway, against scripted in-process backends that count what they
/// managed to send or receive: a client that does not read holds back a server stream, and a
/// backend that reads slowly holds back a client-streaming upload.
@Suite("Gateway backpressure", .serialized)
struct HTTP2BackpressureTests {
    /// `example.bookstore.v1.Book{title: <size bytes>}`.
    static func book(titleSize: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x22]
        var length = titleSize
        while length >= 0x80 {
            bytes.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        return bytes + [UInt8](repeating: UInt8(ascii: "t"), count: titleSize)
    }

    /// A raw h2c client that opens one stream with a 1 KiB window, then reads nothing for
    /// `seconds` (hand-encoded frames, RFC 9113 §4.1 and §6; HPACK literals, RFC 7541 §6.2.2).
    static let stalledClient = """
        import socket, struct, sys, time
        def frame(kind, flags, stream, payload):
            return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload
        def literal(name, value):
            return b"\\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        block = (literal(b":method", b"GET") + literal(b":scheme", b"http") + literal(b":authority", b"gw")
                 + literal(b":path", sys.argv[2].encode()) + literal(b"accept", b"application/x-ndjson"))
        s.sendall(b"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" + frame(4, 0, 0, struct.pack(">HI", 4, 1024))
                  + frame(1, 5, 1, block))
        print("SENT 1", flush=True)
        time.sleep(float(sys.argv[3]))
        """

    /// Polls `condition` (bounded: 15 s) so that a loaded machine's slow start is not a failure.
    static func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func clientThatDoesNotReadHoldsBackTheServerStream() async throws {
        let written = Atomic<Int>(0)
        let message = try GRPCMessageFramer().frame(Self.book(titleSize: 100_000))
        let backend = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: GatewayTestSupport.group) {
            request, response in
            _ = try? await request.body.collect(upTo: 1 << 20)
            do {
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
                for _ in 0..<100 {
                    try await response.writeData(message)
                    written.add(1, ordering: .relaxed)
                }
                try await response.writeTrailers([("grpc-status", "0")])
            } catch {}
        }
        let gateway = try await GatewayServer.start(
            host: "127.0.0.1", port: 0, pipeline: GatewayTestSupport.pipeline(backendPort: backend.port),
            group: GatewayTestSupport.group)
        let client = try await offPool {
            try TestProcess(
                "/usr/bin/env",
                ["python3", "-c", Self.stalledClient, String(gateway.port), "/v1/shelves/1/books:stream", "4"],
                portLinePrefix: "SENT")
        }
        try await Self.waitUntil { written.load(ordering: .relaxed) >= 1 }
        try await Task.sleep(for: .seconds(1))  // ample time to send all 100 if nothing held them back
        let sent = written.load(ordering: .relaxed)
        // The backend's 1 MiB stream window to the gateway plus its 64 KiB send buffer hold about
        // 11 messages of 100 KB; the client took 1 KiB. Without backpressure all 100 go at once.
        #expect(sent >= 1 && sent <= 20, "backend wrote \(sent) of 100 messages to a client that reads nothing")
        _ = try await offPool { client.waitForExit() }
        await gateway.shutDown(drainTimeout: .seconds(1))
        try await backend.shutDown()
    }

    @Test func slowBackendHoldsBackTheUpload() async throws {
        let received = Atomic<Int>(0)
        let slow = Atomic<Bool>(true)
        let backend = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: GatewayTestSupport.group) {
            request, response in
            do {
                for try await chunk in request.body {
                    received.add(chunk.count, ordering: .relaxed)
                    if slow.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(100)) }
                }
                // UploadBooksResponse{created_count: 1}
                try await response.writeResponse(
                    headers: [(":status", "200"), ("content-type", "application/grpc")],
                    body: try GRPCMessageFramer().frame([0x08, 0x01]), trailers: [("grpc-status", "0")])
            } catch {}
        }
        let pipeline = GatewayTestSupport.pipeline(backendPort: backend.port)
        let pulled = Atomic<Int>(0)
        let line = Array(#"{"book":{"title":""#.utf8) + [UInt8](repeating: UInt8(ascii: "u"), count: 16_000)
            + Array("\"}}\n".utf8)
        var request = GatewayRequest(
            method: "POST", target: "/v1/shelves/2/books:upload", headers: [("content-type", "application/x-ndjson")])
        request.bodyStream = AsyncThrowingStream(unfolding: {
            guard pulled.add(1, ordering: .relaxed).newValue <= 400 else { return nil }
            return line
        })
        let answer = Task { await pipeline.handle(request) }
        try await Self.waitUntil { received.load(ordering: .relaxed) > 0 }
        try await Task.sleep(for: .seconds(1))
        let taken = pulled.load(ordering: .relaxed)
        let arrived = received.load(ordering: .relaxed)
        // The backend credits 64 KiB windows as it reads (~16 KB per 100 ms), the gateway buffers
        // 64 KiB more: about a dozen lines are out. Without backpressure all 400 (6.4 MB) are.
        #expect(taken >= 2 && taken <= 60, "the gateway pulled \(taken) of 400 lines; the backend read \(arrived) bytes")
        slow.store(false, ordering: .relaxed)
        let response = await answer.value
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(received.load(ordering: .relaxed) > 400 * 16_000)
        try await backend.shutDown()
    }
}
