import Foundation
import Gateway
import Testing

/// The gateway in front of an independent backend (Python grpcio, `Peers/bookstore_server.py`),
/// driven by `curl` over HTTP/1.1: every HttpRule form, query mapping, error statuses with
/// details, gateway-made errors, metadata both ways, deadlines.
@Suite("Gateway end to end: curl → gateway → Python grpcio bookstore", .serialized)
struct BookstoreEndToEndTests {
    /// One bookstore and one gateway for the suite.
    static let harness = Task {
        try await GatewayHarness(backend: offPool { try TestProcess.bookstore() }) { $0.maximumBodySize = 64 << 10 }
    }
    static func base() async throws -> String { try await harness.value.base }
    static func port() async throws -> Int { try await harness.value.server.port }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path: String
        var headers: [String] = []
        var body: String?
        var status = 200
        /// The whole JSON body, compared by meaning; nil to skip.
        var json: String?
        /// Keys that must have these values (for answers carrying generated ids).
        var subset: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "GET with path variables", path: "/v1/shelves/1/books/1",
            json: #"{"name":"shelves/1/books/1","id":"1","author":"Ursula K. Le Guin","title":"The Dispossessed","genre":"GENRE_FICTION","pageCount":"387"}"#),
        Case(name: "additional binding", path: "/v1/books/1", subset: #"{"name":"shelves/1/books/1"}"#),
        Case(name: "second additional binding", path: "/v2/shelves/1/books/2", subset: #"{"author":"Iain M. Banks"}"#),
        Case(
            name: "query parameters: repeated, enum by name, timestamp, JSON names",
            path: "/v1/shelves/1/books?authors=Iain%20M.%20Banks&authors=Nobody&pageSize=3&genre=GENRE_FICTION&published_after=2020-01-01T00:00:00Z",
            subset: #"{"nextPageToken":"shelf: 1 page_size: 3 authors: \"Iain M. Banks\" authors: \"Nobody\" genre: GENRE_FICTION published_after { seconds: 1577836800 }","totalSize":1}"#),
        Case(
            name: "POST with body field", method: "POST", path: "/v1/shelves/2/books",
            headers: ["content-type: application/json"], body: #"{"title":"Odes","author":"Keats","genre":"GENRE_POETRY"}"#,
            subset: #"{"title":"Odes","author":"Keats","genre":"GENRE_POETRY"}"#),
        Case(
            name: "POST body field with charset", method: "POST", path: "/v1/shelves",
            headers: ["content-type: application/json; charset=utf-8"], body: #"{"theme":"Drama"}"#,
            subset: #"{"theme":"Drama"}"#),
        Case(
            name: "POST body * with custom verb", method: "POST", path: "/v1/shelves/77:clear",
            headers: ["content-type: application/json"], body: #"{"force":true}"#, json: "{}"),
        Case(
            name: "PATCH with field mask from the query", method: "PATCH",
            path: "/v1/shelves/1/books/1?updateMask=title", headers: ["content-type: application/json"],
            body: #"{"title":"The Dispossessed: An Ambiguous Utopia","author":"ignored"}"#,
            subset: #"{"title":"The Dispossessed: An Ambiguous Utopia","author":"Ursula K. Le Guin"}"#),
        Case(name: "DELETE answers Empty", method: "DELETE", path: "/v1/shelves/1/books/555", json: "{}"),
        Case(name: "response_body", path: "/v1/shelves/2/theme", json: #""Poetry""#),
        Case(name: "auto-mapped POST /package.Service/Method", method: "POST",
             path: "/example.bookstore.v1.Bookstore/ReindexShelves", headers: ["content-type: application/json"],
             body: #"{"shelves":["1","2","3"]}"#, json: #"{"reindexedCount":3}"#),
        Case(
            name: "error status with details", method: "POST", path: "/v1/shelves/1/books/404:move",
            headers: ["content-type: application/json"], body: #"{"destinationShelf":"2"}"#, status: 404,
            json: #"{"code":5,"message":"book 404 not found","details":[{"@type":"type.googleapis.com/example.bookstore.v1.Shelf","id":"404"},{"@type":"type.googleapis.com/test.Opaque","value":"AQI="}]}"#),
        Case(
            name: "backend FAILED_PRECONDITION", method: "POST", path: "/v1/shelves/1:clear",
            headers: ["content-type: application/json"], body: "{}", status: 400,
            json: #"{"code":9,"message":"shelf 1 is not empty","details":[]}"#),
        Case(name: "no route", path: "/v1/authors", status: 404,
             json: #"{"code":5,"message":"no route for GET /v1/authors","details":[]}"#),
        Case(
            name: "transcoding error names the JSON path", method: "POST", path: "/v1/shelves/1/books",
            headers: ["content-type: application/json"], body: #"{"pageCount":"ten"}"#, status: 400,
            json: #"{"code":3,"message":"book.pageCount: expected int64, got \"ten\"","details":[]}"#),
        Case(
            name: "bad path variable", path: "/v1/shelves/abc/books/1", status: 400,
            subset: #"{"code":3}"#),
        Case(name: "unknown query parameter", path: "/v1/shelves/1/books?colour=red", status: 400, subset: #"{"code":3}"#),
        Case(
            name: "non-JSON body", method: "POST", path: "/v1/shelves", headers: ["content-type: text/plain"],
            body: "theme=x", status: 415, subset: #"{"code":3}"#),
        Case(
            name: "invalid grpc-timeout", path: "/v1/shelves/1", headers: ["grpc-timeout: soon"], status: 400,
            subset: #"{"code":3}"#),
        Case(
            name: "deadline from grpc-timeout", path: "/v1/shelves/1/books/999", headers: ["grpc-timeout: 300m"],
            status: 504, subset: #"{"code":4}"#),
    ]

    @Test(arguments: cases)
    func exchange(_ testCase: Case) async throws {
        let reply = try await Curl.request(
            testCase.method, try await Self.base() + testCase.path, headers: testCase.headers,
            body: testCase.body.map { Array($0.utf8) })
        #expect(reply.status == testCase.status, "\(reply)")
        #expect(reply.header("content-type") == "application/json")
        #expect(reply.header("x-request-id")?.isEmpty == false)
        if let json = testCase.json {
            #expect(jsonEqual(reply.json, parseJSON(json)), "\(reply.text)")
        }
        if let subset = testCase.subset {
            let want = try #require(parseJSON(subset) as? [String: Any])
            let got = try #require(reply.json as? [String: Any], "\(reply.text)")
            for (key, value) in want { #expect(jsonEqual(got[key], value), "\(key) in \(reply.text)") }
        }
    }

    /// Every gRPC code the backend returns maps through the Google table.
    @Test(arguments: [
        (1, 499), (2, 500), (3, 400), (4, 504), (5, 404), (6, 409), (7, 403), (8, 429), (9, 400), (10, 409),
        (11, 400), (12, 501), (13, 500), (14, 503), (15, 500), (16, 401),
    ])
    func backendCodeMapsToHTTPStatus(code: Int, http: Int) async throws {
        let reply = try await Curl.request("GET", try await Self.base() + "/v1/shelves/1/books/1", headers: ["x-fail-code: \(code)"])
        #expect(reply.status == http)
        #expect(jsonEqual(reply.json, parseJSON(#"{"code":\#(code),"message":"forced \#(code)","details":[]}"#)), "\(reply.text)")
    }

    @Test func metadataBothWays() async throws {
        let reply = try await Curl.request(
            "GET", try await Self.base() + "/v1/shelves/1",
            headers: [
                "Authorization: Bearer t0k3n", "X-Request-Id: req-42", "X-Token-Bin: AAEC", "Connection: keep-alive",
                "TE: trailers", "Proxy-Authorization: secret", "X-Forwarded-For: 10.0.0.9", "grpc-custom: no",
            ])
        #expect(reply.status == 200)
        #expect(reply.header("x-request-id") == "req-42")
        #expect(reply.header("x-saw-authorization") == "Bearer t0k3n")
        #expect(reply.header("x-saw-x-request-id") == "req-42")
        #expect(reply.header("x-saw-x-forwarded-for") == "10.0.0.9, 127.0.0.1")
        #expect(reply.header("x-saw-x-forwarded-host") == "127.0.0.1:\(try await Self.port())")
        #expect(reply.header("x-token-bin") == "AAEC")
        #expect(reply.header("x-trailer") == "done")  // a backend trailer
        let keys = Set((reply.header("x-saw-keys") ?? "").split(separator: ",").map(String.init))
        for dropped in ["connection", "te", "proxy-authorization", "host", "grpc-custom", "content-length"] {
            #expect(!keys.contains(dropped), "\(dropped) reached the backend: \(keys)")
        }
        #expect(keys.isSuperset(of: ["authorization", "x-token-bin", "x-request-id", "x-forwarded-for", "x-forwarded-host"]))
    }

    @Test func headOfCustomRouteHasNoBody() async throws {
        let reply = try await Curl.request("HEAD", try await Self.base() + "/v1/shelves/1/books/1")
        #expect(reply.status == 200)
        #expect(reply.body.isEmpty)
    }

    @Test func httpBodyIsSentRaw() async throws {
        let reply = try await Curl.request("GET", try await Self.base() + "/v1/shelves/1/books/1/cover")
        #expect(reply.status == 200)
        #expect(reply.header("content-type") == "image/svg+xml")
        #expect(reply.text == "<svg>shelves/1/books/1</svg>")
    }

    /// Expected bodies are templates: BOOK1, BOOK2 are the books as GET returns them, ERROR the status.
    struct StreamingRow: Sendable {
        var accept: String
        var contentType: String
        var complete: String
        var failing: String
    }

    static let aborted = #"{"code":10,"message":"stream interrupted","details":[]}"#

    /// Each format, whole and with an error after the messages (reported in-band).
    @Test(arguments: [
        StreamingRow(
            accept: "application/x-ndjson", contentType: "application/x-ndjson",
            complete: "BOOK1\nBOOK2\n", failing: "BOOK1\nBOOK2\n{\"error\":ERROR}\n"),
        StreamingRow(
            accept: "text/event-stream", contentType: "text/event-stream",
            complete: "data: BOOK1\n\ndata: BOOK2\n\n",
            failing: "data: BOOK1\n\ndata: BOOK2\n\nevent: error\ndata: ERROR\n\n"),
        StreamingRow(
            accept: "text/html, application/json;q=0.9", contentType: "application/json",
            complete: "[BOOK1,BOOK2]", failing: "[BOOK1,BOOK2,{\"error\":ERROR}]"),
    ])
    func serverStreamingFormats(_ row: StreamingRow) async throws {
        let book1 = try await Curl.request("GET", try await Self.base() + "/v1/shelves/1/books/1").text
        let book2 = try await Curl.request("GET", try await Self.base() + "/v1/shelves/1/books/2").text
        func fill(_ template: String) -> String {
            template.replacingOccurrences(of: "BOOK1", with: book1).replacingOccurrences(of: "BOOK2", with: book2)
                .replacingOccurrences(of: "ERROR", with: Self.aborted)
        }
        let base = try await Self.base() + "/v1/shelves/1/books:stream"
        let whole = try await Curl.request("GET", base, headers: ["Accept: \(row.accept)"])
        #expect(whole.status == 200)
        #expect(whole.header("content-type") == row.contentType)
        #expect(whole.header("transfer-encoding") == "chunked")
        #expect(whole.text == fill(row.complete))
        let failing = try await Curl.request("GET", base + "?genre=GENRE_POETRY", headers: ["Accept: \(row.accept)"])
        #expect(failing.status == 200)
        #expect(failing.text == fill(row.failing))
    }

    @Test func streamFailingBeforeTheFirstMessageGetsAStatus() async throws {
        // Shelf 9 has no books, so the stream fails before its first message.
        let empty = try await Curl.request("GET", try await Self.base() + "/v1/shelves/9/books:stream?genre=GENRE_POETRY")
        #expect(empty.status == 409)
        #expect(jsonEqual(empty.json, parseJSON(Self.aborted)), "\(empty)")
    }

    @Test func methodNotAllowedListsAllow() async throws {
        let reply = try await Curl.request("PUT", try await Self.base() + "/v1/shelves/1/books/1")
        #expect(reply.status == 405)
        #expect(reply.header("allow") == "GET, DELETE, PATCH, HEAD")
        #expect((reply.json as? [String: Any])?["code"] as? Int == 12)
    }

    @Test(arguments: [false, true])
    func bodyOverTheLimitIs413(chunked: Bool) async throws {
        let body = Array(#"{"theme":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 70 << 10) + Array(#""}"#.utf8)
        let reply = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["content-type: application/json"] + (chunked ? ["Transfer-Encoding: chunked"] : []), body: body)
        #expect(reply.status == 413)
        #expect(jsonEqual(reply.json, parseJSON(#"{"code":8,"message":"request body exceeds the limit of 65536 bytes","details":[]}"#)))
    }

    @Test func chunkedBodyWithinTheLimit() async throws {
        let reply = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["content-type: application/json", "Transfer-Encoding: chunked"], body: Array(#"{"theme":"Chunked"}"#.utf8))
        #expect(reply.status == 200)
        #expect((reply.json as? [String: Any])?["theme"] as? String == "Chunked")
    }

    @Test func malformedRequestLineGets400JSONThenClose() async throws {
        let text = try await Curl.raw("NOT AN HTTP REQUEST\r\n\r\n", port: try await Self.port())
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(text)")
        #expect(text.contains("connection: close"))
        #expect(text.contains(#"{"code":3,"message":"malformed HTTP request"#))
        #expect(!text.contains("<timeout>"))
    }

    @Test func oversizedHeaderBlockGets431JSON() async throws {
        let headers = (0..<200).map { "X-H\($0): \(String(repeating: "y", count: 1000))\r\n" }.joined()
        let text = try await Curl.raw("GET /v1/shelves/1 HTTP/1.1\r\nHost: a\r\n\(headers)\r\n", port: try await Self.port())
        #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(text.prefix(200))")
        #expect(text.hasSuffix(#"{"code":8,"message":"the request's header block is too large","details":[]}"#))
    }

    @Test func pipelinedRequestsAnswerInOrder() async throws {
        let requests = [
            "GET /v1/shelves/1/books/999 HTTP/1.1\r\nHost: a\r\ngrpc-timeout: 100m\r\n\r\n",  // slow: deadline
            "GET /v1/shelves/2 HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /nowhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        ]
        let text = try await Curl.raw(requests.joined(), port: try await Self.port())
        let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
        #expect(statuses == ["504", "200", "404"], "\(text)")
        #expect(!text.contains("<timeout>"))
    }
}
