import Testing

@testable import HTTP2Transport

private let requestHeaders: HTTP2Headers = [
    (":method", "POST"), (":scheme", "http"), (":path", "/big"), (":authority", "localhost"),
]

/// Flow control is credited only as the consumer reads (RFC 9113 §5.2, §6.9).
@Suite("HTTP2Session flow control")
struct HTTP2SessionFlowControlTests {
    static let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test func unreadDataStopsThePeerAndReadingResumesIt() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
        try pair.server.sendData(streamID: id, Self.body, endStream: true)
        try pair.pump()
        // The client has read nothing, so exactly one initial stream window arrived.
        var received = pair.takeClientEvents().body(of: id)
        #expect(received.count == 65_535)
        #expect(pair.server.bufferedBytes(streamID: id) == Self.body.count - 65_535)
        #expect(pair.server.sendWindow(streamID: id) == 0)
        // Pumping again without reading moves nothing.
        try pair.pump()
        #expect(pair.takeClientEvents().body(of: id).isEmpty)

        // Reading in 10,000-byte bites lets the rest through, never more than a window ahead.
        var consumed = 0
        var rounds = 0
        while received.count < Self.body.count {
            let bite = min(10_000, received.count - consumed)
            pair.client.consume(streamID: id, count: bite)
            consumed += bite
            try pair.pump()
            received += pair.takeClientEvents().body(of: id)
            #expect(received.count - consumed <= 65_535)
            rounds += 1
            try #require(rounds < 100)
        }
        #expect(received == Self.body)
    }

    @Test func connectionWindowLimitsAllStreamsTogether() throws {
        var client = HTTP2Session.Configuration()
        client.connectionWindowSize = 100_000
        client.initialStreamWindowSize = 80_000
        let pair = try SessionPair(client: client)
        let a = try pair.client.submitRequest(requestHeaders, endStream: true)
        let b = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        for id in [a, b] {
            try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
            try pair.server.sendData(streamID: id, Self.body, endStream: true)
        }
        try pair.pump()
        let events = pair.takeClientEvents()
        let total = events.body(of: a).count + events.body(of: b).count
        #expect(total == 100_000)
        #expect(events.body(of: a).count <= 80_000 && events.body(of: b).count <= 80_000)
    }

    @Test func uploadWaitsForServerToRead() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        try pair.client.sendData(streamID: id, Self.body, endStream: true)
        try pair.pump()
        var received = pair.takeServerEvents().body(of: id)
        #expect(received.count == 65_535)
        pair.server.consume(streamID: id, count: received.count)
        var rounds = 0
        while received.count < Self.body.count {
            try pair.pump()
            let more = pair.takeServerEvents().body(of: id)
            pair.server.consume(streamID: id, count: more.count)
            received += more
            rounds += 1
            try #require(rounds < 100)
        }
        #expect(received == Self.body)
        #expect(pair.client.bufferedBytes(streamID: id) == 0)
    }
}
