import Testing

@testable import HTTP2Transport

/// Every split of the input gives the same events (the `ByteToMessageDecoderVerifier` idea).
@Suite("HTTP2Session chunking invariance")
struct HTTP2SessionChunkingTests {
    static let chunkings: [Chunking] = [.whole, .bytewise, .fixed(2), .fixed(9), .fixed(1000)] + (1...6).map { .random(seed: $0) }

    /// A conversation with two streams, a body bigger than one frame, trailers, a reset and a PING,
    /// recorded once; returns the bytes each side sent.
    static func recordConversation() throws -> (clientBytes: [UInt8], serverBytes: [UInt8], replayClient: () throws -> HTTP2Session) {
        let pair = try SessionPair()
        let headers: HTTP2Headers = [
            (":method", "POST"), (":scheme", "http"), (":path", "/a/b"), (":authority", "x"),
            ("grpc-timeout", "1S"), ("x-trace-bin", "AAEC"),
        ]
        let body = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        let a = try pair.client.submitRequest(headers, endStream: false)
        try pair.client.sendData(streamID: a, body, endStream: false)
        try pair.client.submitTrailers(streamID: a, [("x-done", "yes")])
        let b = try pair.client.submitRequest(headers, endStream: false)
        try pair.client.ping(42)
        try pair.pump()
        pair.server.consume(streamID: a, count: body.count)
        try pair.server.submitResponse(streamID: a, [(":status", "200")], endStream: false)
        try pair.server.sendData(streamID: a, body, endStream: false)
        try pair.server.submitTrailers(streamID: a, [("grpc-status", "0"), ("grpc-message", "ok%20then")])
        pair.server.resetStream(streamID: b, errorCode: .refusedStream)
        try pair.pump()
        for case .data(let id, let payload, _) in pair.clientEvents { pair.client.consume(streamID: id, count: payload.count) }
        try pair.pump()
        let replayClient = {
            let client = try HTTP2Session(role: .client)
            let a = try client.submitRequest(headers, endStream: false)
            try client.sendData(streamID: a, body, endStream: false)
            try client.submitTrailers(streamID: a, [("x-done", "yes")])
            _ = try client.submitRequest(headers, endStream: false)
            try client.ping(42)
            _ = try client.drainOutput()
            return client
        }
        return (pair.clientSent, pair.serverSent, replayClient)
    }

    static func events(of session: HTTP2Session, fedWith bytes: [UInt8], _ chunking: Chunking) throws -> [HTTP2Event] {
        var events: [HTTP2Event] = []
        for chunk in chunking.split(bytes) {
            try session.feed(chunk)
            events += session.takeEvents()
            _ = try session.drainOutput()
        }
        return events
    }

    @Test(arguments: chunkings)
    func serverSeesTheSameEvents(_ chunking: Chunking) throws {
        let recorded = try Self.recordConversation()
        let reference = try Self.events(of: HTTP2Session(role: .server), fedWith: recorded.clientBytes, .whole)
        #expect(reference.streamEvents.count >= 4)
        let events = try Self.events(of: HTTP2Session(role: .server), fedWith: recorded.clientBytes, chunking)
        #expect(events == reference)
    }

    @Test(arguments: chunkings)
    func clientSeesTheSameEvents(_ chunking: Chunking) throws {
        let recorded = try Self.recordConversation()
        let reference = try Self.events(of: recorded.replayClient(), fedWith: recorded.serverBytes, .whole)
        #expect(reference.contains { if case .headers(_, _, .trailers, true) = $0 { true } else { false } })
        let events = try Self.events(of: recorded.replayClient(), fedWith: recorded.serverBytes, chunking)
        #expect(events == reference)
    }
}
