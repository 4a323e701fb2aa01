import Foundation
import Gateway
import Testing

/// The gateway's HTTP/2 front end (h2c with prior knowledge on the HTTP/1.1 port) in front of
/// the Python grpcio bookstore, driven by `curl --http2-prior-knowledge`, `nghttp` and `h2load`.
@Suite("Gateway over h2c: curl/nghttp/h2load → gateway → Python grpcio bookstore", .serialized)
struct HTTP2EndToEndTests {
    static let harness = Task {
        try await GatewayHarness(backend: offPool { try TestProcess.bookstore() }) {
            $0.maximumBodySize = 64 << 10
            $0.maximumConcurrentStreams = 16
            $0.maximumHeaderListSize = 16 << 10  // under what nghttp2 clients can send (64 KB)
        }
    }
    static func base() async throws -> String { try await harness.value.base }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path: String
        var headers: [String] = []
        var body: String?
        var status = 200
        var json: String
        /// Compare only `code` (the message depends on which side's deadline fires first).
        var codeOnly = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "GET with path variables", path: "/v1/shelves/1/books/1",
            json: #"{"name":"shelves/1/books/1","id":"1","author":"Ursula K. Le Guin","title":"The Dispossessed","genre":"GENRE_FICTION","pageCount":"387"}"#),
        Case(
            name: "POST body * with custom verb", method: "POST", path: "/v1/shelves/77:clear",
            headers: ["content-type: application/json"], body: #"{"force":true}"#, json: "{}"),
        Case(
            name: "backend error with details", method: "POST", path: "/v1/shelves/1/books/404:move",
            headers: ["content-type: application/json"], body: #"{"destinationShelf":"2"}"#, status: 404,
            json: #"{"code":5,"message":"book 404 not found","details":[{"@type":"type.googleapis.com/example.bookstore.v1.Shelf","id":"404"},{"@type":"type.googleapis.com/test.Opaque","value":"AQI="}]}"#),
        Case(name: "no route", path: "/v1/authors", status: 404,
             json: #"{"code":5,"message":"no route for GET /v1/authors","details":[]}"#),
        Case(
            name: "transcoding error names the JSON path", method: "POST", path: "/v1/shelves/1/books",
            headers: ["content-type: application/json"], body: #"{"pageCount":"ten"}"#, status: 400,
            json: #"{"code":3,"message":"book.pageCount: expected int64, got \"ten\"","details":[]}"#),
        Case(
            name: "deadline from grpc-timeout", path: "/v1/shelves/1/books/999", headers: ["grpc-timeout: 300m"],
            status: 504, json: #"{"code":4}"#, codeOnly: true),
    ]

    @Test(arguments: cases)
    func exchange(_ testCase: Case) async throws {
        let reply = try await HTTP2Client.curl(
            testCase.method, try await Self.base() + testCase.path, headers: testCase.headers,
            body: testCase.body.map { Array($0.utf8) })
        #expect(reply.status == testCase.status, "\(reply)")
        #expect(reply.header("content-type") == "application/json")
        #expect(reply.header("x-request-id")?.isEmpty == false)
        #expect(reply.header("content-length") == String(reply.body.count))
        if testCase.codeOnly {
            #expect((reply.json as? [String: Any])?["code"] as? Int == (parseJSON(testCase.json) as? [String: Any])?["code"] as? Int)
        } else {
            #expect(jsonEqual(reply.json, parseJSON(testCase.json)), "\(reply.text)")
        }
        #expect(reply.trailers.isEmpty, "no te: trailers, so no trailer section: \(reply)")
    }

    /// With `content-length` the limit applies before reading; without, while reading.
    @Test(arguments: [true, false])
    func bodyOverTheLimitIs413(declaresLength: Bool) async throws {
        let body = Array(#"{"theme":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 70 << 10) + Array(#""}"#.utf8)
        // On HTTP/2 curl turns `Transfer-Encoding: chunked` into a body without content-length.
        let reply = try await HTTP2Client.curl(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["content-type: application/json"] + (declaresLength ? [] : ["Transfer-Encoding: chunked"]),
            body: body)
        #expect(reply.status == 413)
        #expect(jsonEqual(reply.json, parseJSON(#"{"code":8,"message":"request body exceeds the limit of 65536 bytes","details":[]}"#)))
    }

    @Test func headHasNoBody() async throws {
        let reply = try await HTTP2Client.curl("HEAD", try await Self.base() + "/v1/shelves/1/books/1")
        #expect(reply.status == 200)
        #expect(reply.body.isEmpty)
    }

    @Test func serverStreamingAsNDJSON() async throws {
        let base = try await Self.base()
        let book1 = try await HTTP2Client.curl("GET", base + "/v1/shelves/1/books/1").text
        let book2 = try await HTTP2Client.curl("GET", base + "/v1/shelves/1/books/2").text
        let reply = try await HTTP2Client.curl(
            "GET", base + "/v1/shelves/1/books:stream", headers: ["accept: application/x-ndjson"])
        #expect(reply.status == 200)
        #expect(reply.header("content-type") == "application/x-ndjson")
        #expect(reply.header("content-length") == nil)
        #expect(reply.text == book1 + "\n" + book2 + "\n")
    }

    // MARK: Trailers

    @Test func unaryTrailersAreRealTrailersWithTE() async throws {
        let reply = try await HTTP2Client.curl(
            "GET", try await Self.base() + "/v1/shelves/1", headers: ["te: trailers", "x-token-bin: AAEC"])
        #expect(reply.status == 200)
        #expect(reply.header("x-token-bin") == "AAEC")  // initial metadata stays a header
        #expect(reply.header("x-trailer") == nil)
        #expect(reply.trailer("grpc-status") == "0")
        #expect(reply.trailer("x-trailer") == "done")
    }

    @Test func unaryTrailersStayHeadersWithoutTE() async throws {
        let reply = try await HTTP2Client.curl("GET", try await Self.base() + "/v1/shelves/1")
        #expect(reply.header("x-trailer") == "done")
        #expect(reply.trailers.isEmpty)
    }

    @Test func failedCallCarriesItsTrailingMetadata() async throws {
        let base = try await Self.base()
        let path = "/v1/shelves/1/books/404:move"
        let body = Array(#"{"destinationShelf":"2"}"#.utf8)
        let withTE = try await HTTP2Client.curl(
            "POST", base + path, headers: ["content-type: application/json", "te: trailers"], body: body)
        #expect(withTE.status == 404)
        #expect(withTE.trailer("grpc-status") == "5")
        #expect(withTE.trailer("grpc-message") == "book 404 not found")
        #expect(withTE.trailer("grpc-status-details-bin")?.isEmpty == false)
        #expect(withTE.trailer("x-trailer") == "done")
        // Without trailers the backend's trailing metadata is a header, as on HTTP/1.1.
        let plain = try await HTTP2Client.curl("POST", base + path, headers: ["content-type: application/json"], body: body)
        #expect(plain.header("x-trailer") == "done")
        let http1 = try await Curl.request("POST", base + path, headers: ["content-type: application/json"], body: body)
        #expect(http1.status == 404)
        #expect(http1.header("x-trailer") == "done")
    }

    @Test func midStreamErrorIsInBandAndInTrailers() async throws {
        let base = try await Self.base()
        let reply = try await HTTP2Client.curl(
            "GET", base + "/v1/shelves/1/books:stream?genre=GENRE_POETRY",
            headers: ["accept: application/x-ndjson", "te: trailers"])
        #expect(reply.status == 200)
        let lines = reply.text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last == #"{"error":{"code":10,"message":"stream interrupted","details":[]}}"#)
        #expect(reply.trailer("grpc-status") == "10")
        #expect(reply.trailer("grpc-message") == "stream interrupted")
        #expect(reply.trailer("x-trailer") == "done")
        let ok = try await HTTP2Client.curl(
            "GET", base + "/v1/shelves/1/books:stream", headers: ["accept: application/x-ndjson", "te: trailers"])
        #expect(ok.trailer("grpc-status") == "0")
        #expect(ok.trailer("x-trailer") == "done")
    }

    // MARK: Connection-level behaviour, seen by nghttp and h2load

    @Test func settingsAdvertiseTheStreamLimit() async throws {
        let url = try await Self.base() + "/v1/shelves/1"
        let (status, output) = try await offPool { try HTTP2Client.run("/usr/bin/nghttp", ["-nv", "-t", "10", url]) }
        #expect(status == 0)
        #expect(output.contains("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):16]"), "\(output)")
        #expect(output.contains(":status: 200"))
    }

    /// SIGTERM's drain on HTTP/2: GOAWAY goes out at once, the stream in flight still gets its
    /// answer, and the listener takes no new connection.
    @Test func drainSendsGoAwayAndFinishesTheStreamInFlight() async throws {
        let backendPort = try await Self.harness.value.backend.port
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0, pipeline: GatewayTestSupport.pipeline(backendPort: backendPort),
            group: GatewayTestSupport.group)
        let url = "http://127.0.0.1:\(server.port)/v1/shelves/1/books/999"  // answers after about 3 s
        let slow = Task { try await offPool { try HTTP2Client.run("/usr/bin/nghttp", ["-v", "-t", "15", url]) } }
        try await Task.sleep(for: .milliseconds(700))
        let drained = Task { await server.shutDown(drainTimeout: .seconds(10)) }
        let (status, output) = try await slow.value
        await drained.value
        #expect(status == 0)
        #expect(output.contains("recv GOAWAY frame"), "\(output)")
        // Book 999 is looked for for about 3 s, then not found: the answer comes after GOAWAY.
        #expect(output.contains(":status: 404"), "\(output)")
        let goAway = try #require(output.range(of: "recv GOAWAY frame"))
        let answer = try #require(output.range(of: ":status: 404"))
        #expect(goAway.lowerBound < answer.lowerBound, "GOAWAY came before the answer, while draining")
        let refused = try await offPool { try HTTP2Client.run("/usr/bin/curl", ["-sS", "--http2-prior-knowledge", url]) }
        #expect(refused.0 != 0)
    }

    /// A connection with no stream open for the read timeout gets GOAWAY and is closed.
    @Test func idleConnectionGoesAway() async throws {
        let backendPort = try await Self.harness.value.backend.port
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayTestSupport.pipeline(backendPort: backendPort) { $0.readTimeout = .milliseconds(300) },
            group: GatewayTestSupport.group)
        let script = """
            import socket, struct, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(5)
            s.sendall(b"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0]))
            start, data = time.time(), b""
            try:
                while True:
                    d = s.recv(4096)
                    if not d: break
                    data += d
            except socket.timeout:
                print("TIMEOUT")
            types, i = [], 0
            while i + 9 <= len(data):
                length = int.from_bytes(data[i:i + 3], "big")
                types.append(data[i + 3])
                i += 9 + length
            print("FRAMES", types, "CLOSED AFTER", round(time.time() - start, 1))
            """
        let (status, output) = try await offPool {
            try HTTP2Client.run("/usr/bin/env", ["python3", "-c", script, String(server.port)])
        }
        #expect(status == 0)
        #expect(!output.contains("TIMEOUT"), "\(output)")
        #expect(output.contains("FRAMES [4, 8, 4, 7]"), "SETTINGS, WINDOW_UPDATE, SETTINGS ack, GOAWAY: \(output)")
        await server.shutDown(drainTimeout: .seconds(1))
    }

    @Test func h2loadAllSucceed() async throws {
        let url = try await Self.base() + "/v1/shelves/1/books/2"
        let (status, output) = try await offPool {
            try HTTP2Client.run("/usr/bin/h2load", ["-n", "2000", "-c", "4", "-m", "10", "-T", "30", url])
        }
        #expect(status == 0)
        #expect(output.contains("2000 succeeded, 0 failed, 0 errored"), "\(output)")
        #expect(output.contains("status codes: 2000 2xx"), "\(output)")
    }
}
