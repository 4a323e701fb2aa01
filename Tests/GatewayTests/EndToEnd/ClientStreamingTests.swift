import Foundation
import Gateway
import Testing

/// Client streaming through the gateway (`UploadBooks`): an NDJSON or JSON-array body is split
/// into messages as it arrives and streamed to the Python grpcio bookstore, over HTTP/1.1
/// (chunked) and HTTP/2, with curl; and natively with a grpcio client.
@Suite("Client streaming: curl → gateway → Python grpcio bookstore", .serialized)
struct ClientStreamingTests {
    static func base() async throws -> String { try await HTTP2EndToEndTests.base() }

    enum Transport: String, Sendable, CaseIterable {
        case http1Chunked, http2
    }

    static func upload(
        _ body: String, contentType: String, over transport: Transport, shelf: Int = 2, headers: [String] = []
    ) async throws -> (status: Int, json: Any?, text: String) {
        let url = try await base() + "/v1/shelves/\(shelf)/books:upload"
        let allHeaders = ["content-type: \(contentType)"] + headers
        switch transport {
        case .http1Chunked:
            let reply = try await Curl.request(
                "POST", url, headers: allHeaders + ["Transfer-Encoding: chunked"], body: Array(body.utf8))
            return (reply.status, reply.json, reply.text)
        case .http2:
            let reply = try await HTTP2Client.curl("POST", url, headers: allHeaders, body: Array(body.utf8))
            return (reply.status, reply.json, reply.text)
        }
    }

    static let ndjson = """
        {"book":{"title":"Upload A","author":"Ann"}}
        {"book":{"title":"Upload B"}}

        {"book":{"title":"Upload C","genre":"GENRE_POETRY"},"shelf":"999"}

        """

    @Test(arguments: Transport.allCases)
    func ndjsonBody(_ transport: Transport) async throws {
        let reply = try await Self.upload(Self.ndjson, contentType: "application/x-ndjson", over: transport)
        #expect(reply.status == 200, "\(reply.text)")
        let json = try #require(reply.json as? [String: Any], "\(reply.text)")
        #expect(json["createdCount"] as? Int == 3)
        // The {shelf} path variable applies to every message, overriding the body's.
        let names = try #require(json["names"] as? [String])
        #expect(names.count == 3 && names.allSatisfy { $0.hasPrefix("shelves/2/books/") }, "\(names)")
    }

    @Test(arguments: Transport.allCases)
    func jsonArrayBody(_ transport: Transport) async throws {
        let body = #"[{"book":{"title":"One"}}, {"book":{"title":"Two"}}]"#
        let reply = try await Self.upload(body, contentType: "application/json", over: transport)
        #expect(reply.status == 200, "\(reply.text)")
        let json = try #require(reply.json as? [String: Any])
        #expect(json["createdCount"] as? Int == 2)
        #expect((json["names"] as? [String])?.allSatisfy { $0.hasPrefix("shelves/2/books/") } == true)
    }

    @Test(arguments: Transport.allCases)
    func emptyArrayIsZeroMessages(_ transport: Transport) async throws {
        let reply = try await Self.upload("[]", contentType: "application/json", over: transport)
        #expect(reply.status == 200)
        #expect(jsonEqual(reply.json, parseJSON("{}")), "\(reply.text)")  // all defaults, so no members
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var contentType = "application/x-ndjson"
        var shelf = 2
        var status: Int
        var json: String
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(
            name: "bad JSON in message 1 names [1].field",
            body: "{\"book\":{\"title\":\"ok\"}}\n{\"book\":{\"pageCount\":\"ten\"}}\n", status: 400,
            json: #"{"code":3,"message":"[1].book.pageCount: expected int64, got \"ten\"","details":[]}"#),
        Failure(
            name: "array syntax error names the message", body: #"[{"book":{}} {"book":{}}]"#,
            contentType: "application/json", status: 400,
            json: #"{"code":3,"message":"[1]: expected ',' or ']' after a message, got '{'","details":[]}"#),
        Failure(
            name: "message over the per-message limit",
            body: "{}\n{\"book\":{\"title\":\"" + String(repeating: "x", count: 70 << 10) + "\"}}\n", status: 413,
            json: #"{"code":8,"message":"[1]: message exceeds the limit of 65536 bytes","details":[]}"#),
        Failure(
            name: "backend error (no such shelf)", body: "{\"book\":{}}\n", shelf: 404, status: 404,
            json: #"{"code":5,"message":"shelf 404 not found","details":[{"@type":"type.googleapis.com/example.bookstore.v1.Shelf","id":"404"},{"@type":"type.googleapis.com/test.Opaque","value":"AQI="}]}"#),
        Failure(
            name: "non-JSON media type", body: "a=b", contentType: "text/plain", status: 415,
            json: #"{"code":3,"message":"content-type 'text/plain' is not supported; send application/json","details":[]}"#),
    ]

    @Test(arguments: failures, Transport.allCases)
    func rejected(_ failure: Failure, transport: Transport) async throws {
        let reply = try await Self.upload(
            failure.body, contentType: failure.contentType, over: transport, shelf: failure.shelf)
        #expect(reply.status == failure.status, "\(reply.text)")
        #expect(jsonEqual(reply.json, parseJSON(failure.json)), "\(reply.text)")
    }

    @Test func nativeGRPCClientStreamingThroughThePassthrough() async throws {
        let result = try await GRPCPassthroughTests.client("upload", port: try await HTTP2EndToEndTests.harness.value.server.port)
        let reply = try #require(result["reply"] as? String)
        #expect(reply.hasPrefix("created_count: 3 names: \"shelves/2/books/"), "\(reply)")
    }
}
