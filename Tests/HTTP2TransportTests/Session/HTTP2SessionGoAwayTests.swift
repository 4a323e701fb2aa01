import Testing

@testable import HTTP2Transport

private let requestHeaders: HTTP2Headers = [
    (":method", "POST"), (":scheme", "http"), (":path", "/s/m"), (":authority", "localhost"),
]

/// GOAWAY: streams the server processed finish; later ones are refused and safe to retry
/// (RFC 9113 §6.8).
@Suite("HTTP2Session GOAWAY")
struct HTTP2SessionGoAwayTests {
    @Test func gracefulShutdownLetsInFlightStreamsFinish() throws {
        let pair = try SessionPair()
        let id = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.announceShutdown()
        try pair.pump()
        try pair.server.goAway(errorCode: .noError)
        try pair.pump()
        let goAways = pair.takeClientEvents().compactMap { event -> Int32? in
            if case .goAway(let last, .noError, _) = event { last } else { nil }
        }
        #expect(goAways == [Int32.max, id])
        // No new streams on this connection.
        let error = #expect(throws: HTTP2Error.self) { _ = try pair.client.submitRequest(requestHeaders, endStream: true) }
        #expect(error?.code == .streamIDsExhausted)
        // The in-flight stream still completes.
        try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: true)
        try pair.pump()
        #expect(pair.takeClientEvents().streamEvents.contains(.streamClosed(streamID: id, .noError)))
        #expect(pair.client.isFinished)
        #expect(pair.server.isFinished)
    }

    @Test func streamsAboveTheLastStreamIDAreRefused() throws {
        let pair = try SessionPair()
        let first = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.clientToServer()
        // The server says goodbye, naming stream 1, while stream 3 is already on its way.
        try pair.server.goAway(errorCode: .noError)
        let goAway = try pair.server.drainOutput()
        let second = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.clientToServer()
        try pair.client.feed(goAway)
        let events = pair.client.takeEvents().streamEvents
        #expect(events.contains(.goAway(lastStreamID: first, .noError, debugData: [])))
        #expect(events.contains(.streamClosed(streamID: second, .refusedStream)))
        #expect(!pair.takeServerEvents().contains { if case .headers(second, _, _, _) = $0 { true } else { false } })
    }

    @Test func terminateCarriesTheErrorCodeAndDebugData() throws {
        let pair = try SessionPair()
        _ = try pair.client.submitRequest(requestHeaders, endStream: true)
        try pair.pump()
        try pair.server.goAway(errorCode: .enhanceYourCalm, debugData: Array("slow down".utf8))
        try pair.pump()
        #expect(
            pair.takeClientEvents().contains(
                .goAway(lastStreamID: 1, .enhanceYourCalm, debugData: Array("slow down".utf8))))
    }
}
