import Testing

/// Request header limits answer alike on both protocols: a header section over
/// `maximumHeaderListSize` (16 KiB in this suite) gets 431 with `google.rpc.Status` JSON (RFC
/// 6585 §5). On h2c that needs the session to accept more than the limit (RFC 9113 §6.5.2); a
/// POST's body is then read and dropped, so curl sees the answer rather than a reset.
extension HTTP2EndToEndTests {
    struct HeaderCase: Sendable, CustomTestStringConvertible {
        var name: String
        var http2 = true
        var method = "GET"
        var path = "/v1/shelves/1"
        var headerBytes: Int
        var body: String?
        var status: Int
        var testDescription: String { name }
    }

    static let headerCases: [HeaderCase] = [
        HeaderCase(name: "h2c GET under the limit reaches the backend", headerBytes: 4_000, status: 200),
        HeaderCase(name: "h2c GET over the limit", headerBytes: 20_000, status: 431),
        HeaderCase(
            name: "h2c POST with a body, over the limit", method: "POST", path: "/v1/shelves", headerBytes: 20_000,
            body: #"{"theme":"Poetry"}"#, status: 431),
        HeaderCase(name: "HTTP/1.1 GET under the limit", http2: false, headerBytes: 4_000, status: 200),
        HeaderCase(name: "HTTP/1.1 GET over the limit", http2: false, headerBytes: 20_000, status: 431),
    ]

    @Test(arguments: headerCases)
    func headerSectionLimit(_ testCase: HeaderCase) async throws {
        let url = try await Self.base() + testCase.path
        let headers =
            ["x-padding: " + String(repeating: "a", count: testCase.headerBytes)]
            + (testCase.body == nil ? [] : ["content-type: application/json"])
        let body = testCase.body.map { Array($0.utf8) }
        let (status, contentType, json): (Int, String?, Any?)
        if testCase.http2 {
            let reply = try await HTTP2Client.curl(testCase.method, url, headers: headers, body: body)
            (status, contentType, json) = (reply.status, reply.header("content-type"), reply.json)
        } else {
            let reply = try await Curl.request(testCase.method, url, headers: headers, body: body)
            (status, contentType, json) = (reply.status, reply.header("content-type"), reply.json)
        }
        #expect(status == testCase.status)
        #expect(contentType == "application/json")
        if testCase.status == 431 {
            #expect(jsonEqual(
                json, parseJSON(#"{"code":8,"message":"the request's header block is too large","details":[]}"#)))
        }
    }

    /// A native gRPC call over the limit gets the gRPC form of the refusal: trailers-only
    /// RESOURCE_EXHAUSTED (the session admits up to twice the limit for REST's 431 JSON).
    @Test func grpcPassthroughOverTheHeaderLimitIsResourceExhausted() async throws {
        let url = try await Self.base() + "/example.bookstore.v1.Bookstore/GetShelf"
        let reply = try await HTTP2Client.curl(
            "POST", url,
            headers: ["content-type: application/grpc", "te: trailers", "x-padding: " + String(repeating: "a", count: 20_000)],
            body: [0, 0, 0, 0, 2, 0x08, 0x01])
        #expect(reply.status == 200)
        #expect(reply.header("grpc-status") == "8", "\(reply.headers)")
        #expect(reply.header("grpc-message") == "the request's header block is too large")
    }
}
