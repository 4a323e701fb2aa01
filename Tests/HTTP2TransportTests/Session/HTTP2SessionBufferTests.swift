import Testing

@testable import HTTP2Transport

/// The session's buffer reuse must never be visible: frame buffers reused from one read to the
/// next leave payloads a consumer kept untouched, and body arrays queued without a copy are sent
/// exactly as given, in order with bytes queued by pointer.
@Suite("HTTP2Session buffers")
struct HTTP2SessionBufferTests {
    static let request: HTTP2Headers = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "x")]

    /// `streams` requests, answered with one DATA frame each (`seed` makes every payload distinct),
    /// delivered to the client in a single read. Returns the client's DATA payloads by stream.
    static func answerInOneRead(_ pair: SessionPair, streams: Int, seed: UInt8) throws -> [Int32: [UInt8]] {
        var ids: [Int32] = []
        for _ in 0..<streams {
            ids.append(
                try pair.client.submitRequest(
                    [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "x")], endStream: true))
        }
        try pair.clientToServer()
        _ = pair.takeServerEvents()
        for (index, id) in ids.enumerated() {
            let payload = (0..<(20 + index % 50)).map { UInt8(truncatingIfNeeded: $0 &+ index &* 31 &+ Int(seed)) }
            try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
            try pair.server.sendData(streamID: id, payload, endStream: true)
        }
        let bytes = try pair.server.drainOutput()
        try pair.client.feed(bytes)  // one read holding every frame
        var payloads: [Int32: [UInt8]] = [:]
        for case .data(let id, let payload, _) in pair.client.takeEvents() {
            payloads[id, default: []] += payload
            pair.client.consume(streamID: id, count: payload.count)
        }
        try pair.clientToServer()
        #expect(payloads.count == streams)
        for (index, id) in ids.enumerated() {
            let want = (0..<(20 + index % 50)).map { UInt8(truncatingIfNeeded: $0 &+ index &* 31 &+ Int(seed)) }
            #expect(payloads[id] == want, "stream \(id)")
        }
        return payloads
    }

    // More frames in one read than the session keeps buffers for (16 of any size, 256 small),
    // twice: the second read reuses the first one's buffers while the test still holds them.
    @Test(arguments: [10, 300])
    func payloadsKeptFromAnEarlierReadStayIntact(streams: Int) throws {
        var configuration = HTTP2Session.Configuration()
        configuration.maxConcurrentStreams = 1000
        let pair = try SessionPair(server: configuration)
        try pair.pump()
        let first = try Self.answerInOneRead(pair, streams: streams, seed: 1)
        let copy = first.mapValues { Array($0) }
        _ = try Self.answerInOneRead(pair, streams: streams, seed: 2)
        _ = try Self.answerInOneRead(pair, streams: streams, seed: 3)
        #expect(first == copy)
        #expect(pair.client.unconsumedDataBytes == 0)
    }

    /// A large frame's buffer is kept for the next read, and given back by `trimSpareBuffers`
    /// (as a server connection does when its last stream closes).
    @Test func trimmingGivesBackLargeFrameBuffers() throws {
        let pair = try SessionPair()
        try pair.pump()
        let id = try pair.client.submitRequest(Self.request, endStream: false)
        try pair.client.sendData(streamID: id, [UInt8](repeating: 7, count: 40_000), endStream: false)
        try pair.client.sendData(streamID: id, [1, 2, 3], endStream: true)
        try pair.server.feed(try pair.client.drainOutput())
        var received = 0
        for case .data(let id, let payload, _) in pair.server.takeEvents() {
            received += payload.count
            pair.server.consume(streamID: id, count: payload.count)
        }
        #expect(received == 40_003)
        #expect(pair.server.state.pointee.inboundBuffers.contains { $0.capacity >= 16_384 })
        pair.server.trimSpareBuffers()
        #expect(pair.server.state.pointee.inboundBuffers.allSatisfy { $0.capacity <= HTTP2Session.idleInboundBuffer })
        // The next request's frames take fresh buffers.
        let next = try pair.client.submitRequest(Self.request, endStream: false)
        try pair.client.sendData(streamID: next, [4, 5, 6], endStream: true)
        try pair.server.feed(try pair.client.drainOutput())
        var payloads: [[UInt8]] = []
        for case .data(_, let payload, _) in pair.server.takeEvents() { payloads.append(payload) }
        #expect(payloads == [[4, 5, 6]])
    }

    /// Shared header blocks are shared only when byte-identical: a value in NFD after the same
    /// value in NFC (equal as Swift strings) arrives as its own bytes.
    @Test func sharedHeaderBlocksMatchByBytes() throws {
        let pair = try SessionPair()
        try pair.pump()
        var received: [[UInt8]] = []
        for value in ["Zo\u{00EB}", "Zoe\u{0308}"] {
            _ = try pair.client.submitRequest(Self.request + [("x-user", value)], endStream: true)
            try pair.server.feed(try pair.client.drainOutput())
            for case .headers(_, let headers, _, _) in pair.server.takeEvents() {
                received.append(Array((headers[first: "x-user"] ?? "").utf8))
            }
        }
        #expect(received == [Array("Zo\u{00EB}".utf8), Array("Zoe\u{0308}".utf8)])
    }

    @Test func bodyArraysAndRawBytesLeaveInOrder() throws {
        let pair = try SessionPair()
        try pair.pump()
        let id = try pair.client.submitRequest(
            [(":method", "POST"), (":scheme", "http"), (":path", "/"), (":authority", "x")], endStream: false)
        var first = [UInt8](repeating: 1, count: 100)
        let second: [UInt8] = [2, 2, 2]
        try pair.client.sendData(streamID: id, first, endStream: false)  // taken without a copy
        first[0] = 9  // the caller's later change must not reach the wire
        try second.withUnsafeBytes { try pair.client.sendData(streamID: id, $0, endStream: false) }
        try pair.client.sendData(streamID: id, [3, 3], endStream: false)
        try pair.clientToServer()
        try pair.client.sendData(streamID: id, [4], endStream: false)  // into an emptied buffer
        try pair.client.sendData(streamID: id, [5], endStream: true)
        try pair.pump()
        let want = [UInt8](repeating: 1, count: 100) + [2, 2, 2, 3, 3, 4, 5]
        #expect(pair.takeServerEvents().body(of: id) == want)
        #expect(pair.client.bufferedBytes(streamID: id) == 0)
    }

    // Repeated blocks are handed out as shared lists: each consumer still sees its own value,
    // and variants, one-offs and blocks too large to keep never leak into one another.
    @Test func repeatedHeaderBlocksArriveAsSent() throws {
        var configuration = HTTP2Session.Configuration()
        configuration.maxConcurrentStreams = 1000
        let pair = try SessionPair(server: configuration)
        try pair.pump()
        let variants: [HTTP2Headers] = [
            [(":status", "200"), ("content-type", "application/grpc")],
            [(":status", "200"), ("content-type", "application/grpc+proto")],
            [(":status", "200"), ("content-type", "application/grpc"), ("x-big", String(repeating: "b", count: 600))],
            [(":status", "404")],
        ]
        var want: [Int32: (HTTP2Headers, HTTP2Headers)] = [:]
        for round in 0..<3 {
            var ids: [Int32] = []
            for _ in 0..<40 {
                ids.append(try pair.client.submitRequest(Self.request, endStream: true))
            }
            try pair.pump()
            _ = pair.takeServerEvents()
            for (index, id) in ids.enumerated() {
                var headers = variants[(index + round) % variants.count]
                if index % 7 == 0 { headers.add(name: "x-once", value: "\(round)-\(index)") }
                let trailers: HTTP2Headers = [("grpc-status", index % 5 == 0 ? "5" : "0")]
                try pair.server.submitResponse(streamID: id, headers, endStream: false)
                try pair.server.submitTrailers(streamID: id, trailers)
                want[id] = (headers, trailers)
            }
            try pair.pump()
            var got: [Int32: [HTTP2Headers]] = [:]
            for case .headers(let id, var headers, _, _) in pair.takeClientEvents() {
                got[id, default: []].append(headers)
                headers.add(name: "x-local", value: "changed")  // a consumer's change stays its own
            }
            for id in ids {
                #expect(got[id] == [want[id]!.0, want[id]!.1], "stream \(id)")
            }
        }
    }

    /// Blocks are matched against recent ones field by field as they arrive: one that stops
    /// short of a recent block, extends it, or leaves it for another recent block with the same
    /// first fields arrives as sent, and an identical block is handed out as the recent list itself.
    @Test func blocksMatchedFieldByFieldArriveAsSent() throws {
        let pair = try SessionPair()
        try pair.pump()
        let grpc: HTTP2Headers = [(":status", "200"), ("content-type", "application/grpc"), ("x-a", "1")]
        let sequence: [HTTP2Headers] = [
            grpc,
            [(":status", "200"), ("content-type", "application/grpc"), ("x-a", "2")],
            [(":status", "200"), ("content-type", "application/grpc")],  // a prefix of both
            grpc + [("x-b", "3")],  // longer than a recent block
            [(":status", "200"), ("content-type", "application/grpc"), ("x-a", "2")],  // the second candidate
            grpc,
            [(":status", "204")],
        ]
        var received: [HTTP2Headers] = []
        for headers in sequence {
            let id = try pair.client.submitRequest(Self.request, endStream: true)
            try pair.pump()
            _ = pair.takeServerEvents()
            try pair.server.submitResponse(streamID: id, headers, endStream: true)
            try pair.pump()
            for case .headers(_, let headers, _, _) in pair.takeClientEvents() { received.append(headers) }
        }
        #expect(received == sequence)
        func storage(_ headers: HTTP2Headers) -> UnsafeRawPointer? {
            headers.fields.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(storage(received[5]) == storage(received[0]))
        #expect(storage(received[4]) == storage(received[1]))
        #expect(storage(received[2]) != storage(received[0]))
    }

    @Test func headerBlocksOfManyStreamsInOneReadStayApart() throws {
        var configuration = HTTP2Session.Configuration()
        configuration.maxHeaderListSize = 400
        let pair = try SessionPair(server: configuration)
        try pair.pump()
        let big = String(repeating: "v", count: 500)  // over the server's limit: only its stream is reset
        var ids: [Int32] = []
        for index in 0..<5 {
            let extra = index == 2 ? big : "n\(index)"
            var headers = Self.request
            headers.replaceOrAdd(name: ":path", value: "/\(index)")
            headers.add(name: "x-v", value: extra)
            ids.append(try pair.client.submitRequest(headers, endStream: true))
        }
        try pair.clientToServer()
        var paths: [Int32: String] = [:]
        var rejected: [Int32] = []
        for event in pair.takeServerEvents() {
            switch event {
            case .headers(let id, let headers, .request, _): paths[id] = headers[first: ":path"]
            case .streamError(let id, _): rejected.append(id)
            default: break
            }
        }
        #expect(rejected == [ids[2]])
        #expect(paths == [ids[0]: "/0", ids[1]: "/1", ids[3]: "/3", ids[4]: "/4"])
    }
}
