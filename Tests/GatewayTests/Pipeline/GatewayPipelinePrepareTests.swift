import Gateway
import HTTP2Transport
import Testing

/// ``GatewayPipeline/prepare(_:requestID:)`` without sockets: routing, limits, media types,
/// transcoding errors, deadlines and metadata.
@Suite("GatewayPipeline.prepare")
struct GatewayPipelinePrepareTests {
    static let pipeline = GatewayTestSupport.pipeline(backendPort: 1) {
        $0.maximumBodySize = 32
        $0.defaultTimeout = .seconds(7)
        $0.maximumTimeout = .seconds(60)
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var request: GatewayRequest
        var status: Int
        var code: GRPCStatus.Code
        var message: String
        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection(
            name: "no route", request: GatewayRequest(method: "GET", target: "/v9/x?y=1"), status: 404, code: .notFound,
            message: "no route for GET /v9/x"),
        Rejection(
            name: "wrong method", request: GatewayRequest(method: "POST", target: "/v1/shelves/1"), status: 405,
            code: .unimplemented, message: "method POST not allowed; allowed: GET, PUT, DELETE"),
        Rejection(
            name: "body over the limit",
            request: GatewayRequest(method: "POST", target: "/v1/shelves", body: Array(repeating: 0x20, count: 33)),
            status: 413, code: .resourceExhausted, message: "request body exceeds the limit of 32 bytes"),
        Rejection(
            name: "form body",
            request: GatewayRequest(
                method: "POST", target: "/v1/shelves", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("theme=x".utf8)),
            status: 415, code: .invalidArgument,
            message: "content-type 'application/x-www-form-urlencoded' is not supported; send application/json"),
        Rejection(
            name: "body field of the wrong type",
            request: GatewayRequest(method: "POST", target: "/v1/shelves", body: Array(#"{"id":true}"#.utf8)),
            status: 400, code: .invalidArgument, message: "shelf.id: expected int64, got bool"),
        Rejection(
            name: "path variable not a number",
            request: GatewayRequest(method: "GET", target: "/v1/shelves/x"), status: 400, code: .invalidArgument,
            message: "path variable 'shelf': "),
        Rejection(
            name: "bad grpc-timeout",
            request: GatewayRequest(method: "GET", target: "/v1/shelves/1", headers: [("grpc-timeout", "1x")]),
            status: 400, code: .invalidArgument, message: "grpc-timeout '1x' is not a valid timeout (e.g. 500m, 2S)"),
    ]

    @Test(arguments: rejections)
    func rejects(_ row: Rejection) {
        do {
            _ = try Self.pipeline.prepare(row.request, requestID: "r")
            Issue.record("accepted \(row.request.target)")
        } catch {
            #expect(error.httpStatus == row.status)
            #expect(error.code == row.code)
            #expect(error.message.hasPrefix(row.message), "\(error.message)")
            let response = Self.pipeline.errorResponse(error, requestID: "r")
            #expect(response.status == row.status)
            #expect(response.header("content-type") == "application/json")
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.hasPrefix(#"{"code":\#(row.code.rawValue),"message":"#), "\(body)")
        }
    }

    @Test func methodNotAllowedCarriesAllow() throws {
        let error = #expect(throws: GatewayError.self) {
            _ = try Self.pipeline.prepare(GatewayRequest(method: "PATCH", target: "/v1/shelves"), requestID: "r")
        }
        let response = Self.pipeline.errorResponse(try #require(error), requestID: "r")
        #expect(response.header("allow") == "GET, POST")
    }

    struct Deadline: Sendable {
        var header: String?
        var want: Duration
    }

    @Test(arguments: [
        Deadline(header: nil, want: .seconds(7)), Deadline(header: "250m", want: .milliseconds(250)),
        Deadline(header: "2M", want: .seconds(60)), Deadline(header: "1H", want: .seconds(60)),
    ])
    func deadline(_ row: Deadline) throws {
        let headers = row.header.map { [("Grpc-Timeout", $0)] } ?? []
        let call = try Self.pipeline.prepare(
            GatewayRequest(method: "GET", target: "/v1/shelves/1", headers: headers), requestID: "r")
        #expect(call.timeout == row.want)
    }

    @Test func bodyAndPathMakeOneMessage() throws {
        // PUT /v1/shelves/{shelf.id} body "shelf": the path's id comes after the body and wins.
        let call = try Self.pipeline.prepare(
            GatewayRequest(
                method: "PUT", target: "/v1/shelves/5", headers: [("content-type", "application/json")],
                body: Array(#"{"id":"9","theme":"t"}"#.utf8)),
            requestID: "r")
        #expect(call.path == "/example.bookstore.v1.Bookstore/ReplaceShelf")
        // shelf {id: 9, theme: "t"} then shelf {id: 5}: field 1 length-delimited twice.
        #expect(call.message == [0x0A, 0x05, 0x08, 0x09, 0x12, 0x01, 0x74, 0x0A, 0x02, 0x08, 0x05])
    }

    @Test func metadataDropsHopByHopAndReservedKeepsAuthorization() throws {
        let call = try Self.pipeline.prepare(
            GatewayRequest(
                method: "GET", target: "/v1/shelves/1",
                headers: [
                    ("Host", "api.example"), ("Authorization", "Bearer x"), ("Connection", "keep-alive"),
                    ("Keep-Alive", "timeout=5"), ("TE", "trailers"), ("Transfer-Encoding", "chunked"),
                    ("Upgrade", "h2c"), ("Content-Type", "application/json"), ("grpc-timeout", "1S"),
                    ("X-Custom", "v"), ("x-data-bin", "AAEC"), ("x-bad-bin", "%%%"), ("x-bad", "caf\u{e9}"),
                ],
                remoteAddress: "192.0.2.1"),
            requestID: "req-1")
        let names = call.metadata.map(\.name)
        #expect(
            names == ["authorization", "x-custom", "x-data-bin", "x-forwarded-for", "x-forwarded-host", "x-request-id"])
        #expect(call.metadata[first: "x-forwarded-for"] == "192.0.2.1")
        #expect(call.metadata[first: "x-forwarded-host"] == "api.example")
        #expect(call.metadata[first: "x-request-id"] == "req-1")
    }
}
