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

    /// A stream our RST_STREAM closes between two reads of one DATA frame: nghttp2 reports the
    /// frame's chunks (before and after the close) but never the frame. The session credits
    /// those bytes back itself, so the connection window does not shrink for good.
    @Test(arguments: [1, 100, 9_000])
    func dataOfAFrameCutByOurResetIsCreditedBack(bytesBeforeReset: Int) throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
        try pair.server.sendData(streamID: id, Self.body, endStream: true)
        let output = try pair.server.drainOutput()
        let cut = try #require(Self.firstDataPayloadOffset(in: output)) + bytesBeforeReset
        try pair.client.feed(Array(output[..<cut]))
        #expect(pair.client.takeEvents().body(of: id).isEmpty)  // the frame is not complete yet
        #expect(pair.client.unconsumedDataBytes == bytesBeforeReset)
        pair.client.resetStream(streamID: id, errorCode: .cancel)
        _ = try pair.client.drainOutput()  // the RST leaves: the stream closes mid-frame
        try pair.client.feed(Array(output[cut...]))
        #expect(pair.client.takeEvents().body(of: id).isEmpty)
        #expect(pair.client.unconsumedDataBytes == 0)
    }

    /// Where the payload of the first DATA frame starts in `bytes` (a run of whole frames).
    static func firstDataPayloadOffset(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index + 9 <= bytes.count {
            let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            if bytes[index + 3] == 0x0 { return index + 9 }
            index += 9 + length
        }
        return nil
    }
}

/// The connection window as the sender sees it: every DATA byte is credited back exactly once,
/// so a whole window sent on a stream our RST_STREAM cut mid-frame comes back in full (not less:
/// a leak; the WINDOW_UPDATE only leaves once at least half the window is owed).
@Suite("HTTP2Session connection window after a cut frame")
struct HTTP2SessionCutFrameWindowTests {
    static let window = 65_535

    @Test(arguments: [1, 100, 16_383, 40_000])
    func aWholeWindowCutByOurResetComesBackToTheSender(bytesBeforeReset: Int) throws {
        var configuration = HTTP2Session.Configuration()
        configuration.connectionWindowSize = UInt32(Self.window)
        let pair = try SessionPair(client: configuration)
        let id = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
        try pair.server.sendData(streamID: id, [UInt8](repeating: 5, count: Self.window), endStream: false)
        let output = try pair.server.drainOutput()
        #expect(pair.server.connectionSendWindow == 0)
        let cut = try #require(HTTP2SessionFlowControlTests.firstDataPayloadOffset(in: output)) + bytesBeforeReset
        try pair.client.feed(Array(output[..<cut]))
        let before = pair.client.takeEvents().body(of: id)
        pair.client.consume(streamID: id, count: before.count)  // what the consumer saw, it reads
        pair.client.resetStream(streamID: id, errorCode: .cancel)
        try pair.server.feed(pair.client.drainOutput())  // the RST leaves: the stream closes mid-frame
        try pair.client.feed(Array(output[cut...]))
        #expect(pair.client.takeEvents().body(of: id).isEmpty)
        try pair.pump()
        #expect(pair.server.connectionSendWindow == Self.window)
        #expect(pair.client.unconsumedDataBytes == 0)
    }
}

/// DATA that was in flight when the server's RST_STREAM(NO_ERROR) ended an unread upload
/// (RFC 9113 §8.1) arrives for a closed stream: nobody reads it, and its connection credit must
/// still come back to the client, or every such upload shrinks the connection window for good.
@Suite("HTTP2Session window after an upload is stopped")
struct HTTP2SessionStoppedUploadWindowTests {
    /// A whole connection window in flight, so that the WINDOW_UPDATEs (sent once half the
    /// window is owed) must give back every byte.
    @Test func dataInFlightAfterTheResetIsCreditedBack() throws {
        let inFlight = 65_535
        var configuration = HTTP2Session.Configuration()
        configuration.connectionWindowSize = 65_535
        let pair = try SessionPair(server: configuration)
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        try pair.pump()
        #expect(pair.takeServerEvents().contains { if case .headers = $0 { true } else { false } })
        try pair.client.sendData(streamID: id, [UInt8](repeating: 3, count: inFlight), endStream: false)
        let upload = try pair.client.drainOutput()  // on the wire, not yet read by the server
        #expect(pair.client.connectionSendWindow == 65_535 - inFlight)
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: true)
        try pair.client.feed(pair.server.drainOutput())  // the response, then RST_STREAM(NO_ERROR)
        #expect(pair.server.openStreamCount == 0)
        try pair.server.feed(upload)
        #expect(pair.server.takeEvents().body(of: id).isEmpty)
        try pair.pump()
        #expect(pair.client.connectionSendWindow == 65_535)
        #expect(pair.server.unconsumedDataBytes == 0)
    }
}
