import Testing

@testable import HTTP2Transport

private let requestHeaders: HTTP2Headers = [
    (":method", "POST"), (":scheme", "http"), (":path", "/pkg.Service/Method"), (":authority", "localhost"),
    ("content-type", "application/grpc"), ("te", "trailers"),
]

/// Client and server sessions back to back: the exchange RFC 9113 §8.1 describes.
@Suite("HTTP2Session")
struct HTTP2SessionTests {
    @Test func requestAndResponseWithTrailers() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        #expect(id == 1)
        try pair.client.sendData(streamID: id, Array("hello".utf8), endStream: true)
        try pair.pump()
        #expect(
            pair.takeServerEvents().streamEvents == [
                .headers(streamID: 1, requestHeaders, kind: .request, endStream: false),
                .data(streamID: 1, Array("hello".utf8), endStream: true),
            ])
        try pair.server.submitResponse(streamID: 1, [(":status", "200"), ("content-type", "application/grpc")], endStream: false)
        try pair.server.sendData(streamID: 1, Array("world".utf8), endStream: false)
        try pair.server.submitTrailers(streamID: 1, [("grpc-status", "0")])
        try pair.pump()
        #expect(
            pair.takeClientEvents().streamEvents == [
                .headers(streamID: 1, [(":status", "200"), ("content-type", "application/grpc")], kind: .response, endStream: false),
                .data(streamID: 1, Array("world".utf8), endStream: false),
                .headers(streamID: 1, [("grpc-status", "0")], kind: .trailers, endStream: true),
                .streamClosed(streamID: 1, .noError),
            ])
        #expect(pair.takeServerEvents().streamEvents == [.streamClosed(streamID: 1, .noError)])
        #expect(pair.client.openStreamCount == 0 && pair.server.openStreamCount == 0)
    }

    @Test func headerOnlyResponseEndsTheStream() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.submitResponse(streamID: id, [(":status", "200"), ("grpc-status", "12")], endStream: true)
        try pair.pump()
        #expect(
            pair.takeClientEvents().streamEvents == [
                .headers(streamID: 1, [(":status", "200"), ("grpc-status", "12")], kind: .response, endStream: true),
                .streamClosed(streamID: 1, .noError),
            ])
    }

    @Test func settingsArePublishedAndApplied() throws {
        var server = HTTP2Session.Configuration()
        server.maxConcurrentStreams = 7
        let pair = try SessionPair(server: server)
        try pair.pump()
        #expect(pair.client.remoteMaxConcurrentStreams == 7)
        let settings = pair.takeClientEvents().compactMap { event -> [HTTP2Setting]? in
            if case .settings(let list) = event { list } else { nil }
        }
        #expect(settings.first?.contains(HTTP2Setting(HTTP2Setting.maxConcurrentStreams, 7)) == true)
    }

    @Test func pingIsAcknowledged() throws {
        let pair = try SessionPair()
        try pair.client.ping(0x0102_0304_0506_0708)
        try pair.pump()
        #expect(pair.takeClientEvents().streamEvents == [.pingAck(0x0102_0304_0506_0708)])
    }

    @Test func resetMidStreamReachesThePeer() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        try pair.client.sendData(streamID: id, [1, 2, 3], endStream: false)
        try pair.pump()
        _ = pair.takeServerEvents()
        pair.client.resetStream(streamID: id, errorCode: .cancel)
        try pair.pump()
        #expect(pair.takeServerEvents().streamEvents == [.streamReset(streamID: 1, .cancel), .streamClosed(streamID: 1, .cancel)])
        #expect(pair.takeClientEvents().streamEvents == [.streamClosed(streamID: 1, .cancel)])
        // Sending on the reset stream is an error, not a trap.
        #expect(throws: HTTP2Error.self) { try pair.client.sendData(streamID: id, [4], endStream: true) }
    }

    @Test func oversizedHeaderListResetsOnlyThatStream() throws {
        var server = HTTP2Session.Configuration()
        server.maxHeaderListSize = 1024
        let pair = try SessionPair(server: server)
        var big = requestHeaders
        big.add(name: "x-big", value: String(repeating: "a", count: 2000))
        let first = try pair.client.submitRequest(big, endStream: true)
        try pair.pump()
        let serverEvents = pair.takeServerEvents().streamEvents
        guard case .streamError(let id, let error) = serverEvents.first else {
            Issue.record("expected a stream error, got \(serverEvents)")
            return
        }
        #expect(id == first && error.code == .headerListTooLarge)
        #expect(pair.takeClientEvents().streamEvents.contains(.streamReset(streamID: first, .internalError)))
        // The connection survives: the next stream works.
        let second = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        #expect(
            pair.takeServerEvents().streamEvents == [.headers(streamID: second, requestHeaders, kind: .request, endStream: true)])
    }

    @Test func badPrefaceIsAProtocolError() throws {
        let server = try HTTP2Session(role: .server)
        let error = #expect(throws: HTTP2Error.self) { try server.feed(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) }
        #expect(error?.code == .protocolError)
    }

    @Test func connectionErrorSendsGoAwayAndEndsTheSession() throws {
        let pair = try SessionPair()
        try pair.pump()
        // A DATA frame on stream 0 is a connection error of type PROTOCOL_ERROR (RFC 9113 §6.1).
        try pair.server.feed([0, 0, 1, 0, 0, 0, 0, 0, 0, 0xAA])
        #expect(pair.server.connectionError == nil)
        let frames = frameHeaders(try pair.server.drainOutput())
        #expect(frames.contains { $0.type == 7 }, "GOAWAY expected in \(frames)")
        #expect(pair.server.isFinished)
        #expect(pair.server.connectionError?.code == .protocolError)
    }

    /// RFC 9113 §8.1: a server that completed its response while the request body is still
    /// coming sends RST_STREAM(NO_ERROR) after the END_STREAM, so the client stops uploading
    /// and the stream is freed on both sides.
    @Test(arguments: [false, true])
    func completeResponseStopsAnUnreadUpload(withTrailers: Bool) throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        try pair.client.sendData(streamID: id, [UInt8](repeating: 7, count: 300_000), endStream: false)
        try pair.pump()
        _ = pair.takeServerEvents()  // the server reads none of it
        #expect(pair.client.bufferedBytes(streamID: id) > 0)
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
        if withTrailers {
            try pair.server.sendData(streamID: id, [1, 2, 3], endStream: false)
            try pair.server.submitTrailers(streamID: id, [("grpc-status", "0")])
        } else {
            try pair.server.sendData(streamID: id, [1, 2, 3], endStream: true)
        }
        try pair.pump()
        let events = pair.takeClientEvents().streamEvents
        #expect(events.body(of: id) == [1, 2, 3])
        #expect(events.suffix(2) == [.streamReset(streamID: id, .noError), .streamClosed(streamID: id, .noError)])
        #expect(pair.client.openStreamCount == 0 && pair.server.openStreamCount == 0)
        #expect(pair.client.bufferedBytes(streamID: id) == 0)
    }

    /// A request that ended before the response gets no RST_STREAM: the stream closes cleanly.
    @Test func completeRequestAndResponseCloseWithoutReset() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: false)
        try pair.client.sendData(streamID: id, [9], endStream: true)
        try pair.pump()
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: true)
        try pair.pump()
        let frames = frameHeaders(pair.serverSent)
        #expect(!frames.contains { $0.type == 3 }, "no RST_STREAM expected in \(frames)")
        #expect(pair.server.openStreamCount == 0)
    }

    @Test func wrongRoleSubmissionsAreRejected() throws {
        let pair = try SessionPair()
        #expect(throws: HTTP2Error.self) { _ = try pair.server.submitRequest(requestHeaders, endStream: true) }
        #expect(throws: HTTP2Error.self) { try pair.client.submitResponse(streamID: 1, [(":status", "200")], endStream: true) }
        #expect(throws: HTTP2Error.self) { try pair.client.sendData(streamID: 99, [1], endStream: true) }
    }
}

/// (type, flags, stream) of each frame in `bytes`, which must start on a frame boundary.
func frameHeaders(_ bytes: [UInt8]) -> [(type: UInt8, flags: UInt8, stream: UInt32)] {
    var frames: [(type: UInt8, flags: UInt8, stream: UInt32)] = []
    var index = 0
    while index + 9 <= bytes.count {
        let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
        let stream = UInt32(bytes[index + 5] & 0x7F) << 24 | UInt32(bytes[index + 6]) << 16 | UInt32(bytes[index + 7]) << 8 | UInt32(bytes[index + 8])
        frames.append((bytes[index + 3], bytes[index + 4], stream))
        index += 9 + length
    }
    return frames
}
