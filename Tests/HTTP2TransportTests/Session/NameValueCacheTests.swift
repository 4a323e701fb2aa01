import Testing

@testable import HTTP2Transport

/// Request header lists submitted repeatedly are converted for nghttp2 once; what the peer
/// receives never depends on the cache.
@Suite("NameValueCache")
struct NameValueCacheTests {
    static func request(_ path: String) -> HTTP2Headers {
        [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "backend:50051"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        ]
    }

    /// Submits `headers` and returns the header block the server received.
    static func exchange(_ pair: SessionPair, _ headers: HTTP2Headers) throws -> HTTP2Headers? {
        _ = try pair.client.submitRequest(headers, endStream: true)
        try pair.clientToServer()
        for case .headers(_, let received, .request, _) in pair.takeServerEvents() { return received }
        return nil
    }

    @Test func aSharedListIsConvertedOnceAndArrivesIntactEveryTime() throws {
        let pair = try SessionPair()
        try pair.pump()
        let shared = Self.request("/pkg.Service/Method")
        for round in 0..<5 {
            #expect(try Self.exchange(pair, shared) == shared, "round \(round)")
            #expect(pair.client.nameValueCache.count == (round == 0 ? 0 : 1))
        }
        // A copy changed after the list was cached has storage of its own: its fields go out.
        var changed = shared
        changed.add(name: "x-trace", value: "abc")
        #expect(try Self.exchange(pair, changed) == changed)
        #expect(try Self.exchange(pair, shared) == shared)
    }

    /// Lists built per call (fresh storage every time) are never kept.
    @Test func perCallListsAreNotKept() throws {
        let pair = try SessionPair()
        try pair.pump()
        for index in 0..<20 {
            let headers = Self.request("/pkg.Service/Method\(index)")
            #expect(try Self.exchange(pair, headers) == headers)
        }
        #expect(pair.client.nameValueCache.count == 0)
    }

    /// Many shared lists: at most `capacity` are kept, and evicted ones still go out right.
    @Test func theCacheIsBounded() throws {
        var configuration = HTTP2Session.Configuration()
        configuration.maxConcurrentStreams = 1000
        let pair = try SessionPair(server: configuration)
        try pair.pump()
        let lists = (0..<(NameValueCache.capacity * 2)).map { Self.request("/pkg.Service/M\($0)") }
        for _ in 0..<3 {
            for list in lists {
                #expect(try Self.exchange(pair, list) == list)
                #expect(try Self.exchange(pair, list) == list)
            }
        }
        #expect(pair.client.nameValueCache.count == NameValueCache.capacity)
    }

    /// Received header blocks are shared only when byte-equal: strings that Swift calls equal
    /// (canonical equivalence) but that differ in bytes are different blocks.
    @Test(arguments: [
        (a: "application/grpc", b: "application/grpc", same: true),
        (a: "", b: "", same: true),
        (a: "caf\u{E9}", b: "cafe\u{301}", same: false),
        (a: "grpc-status", b: "grpc-statuS", same: false),
        (a: "a", b: "ab", same: false),
    ])
    func headerBytesCompareExactly(a: String, b: String, same: Bool) {
        #expect(HTTP2Session.sameBytes(a, b) == same)
    }
}
