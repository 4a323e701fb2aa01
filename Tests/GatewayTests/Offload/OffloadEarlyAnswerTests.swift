import Foundation
import Gateway
import HTTP2Transport
import Testing

/// The gaps of issue 8 closed through the real front ends with curl: answers the HTTP/1.1 and
/// HTTP/2 front ends give before the pipeline has the request (413 by `Content-Length` or while
/// the body streams in, 415 for an unknown coding) carry the same CORS headers as any other
/// answer, and streamed (client-streaming) bodies are inflated, limited on the inflated size.
@Suite("Offload: CORS on early answers and inflated client streaming (curl)", .serialized)
struct OffloadEarlyAnswerTests {
    /// A second gateway with a smaller streamed-body limit, in front of the Offload suite's backend.
    static let harness = Task {
        try await GatewayHarness(backend: OffloadEndToEndTests.harness.value.backend) { configuration in
            configuration.maximumBodySize = 64 << 10
            configuration.maximumStreamedBodySize = 256 << 10
            configuration.offload.decompressRequests = true
            configuration.offload.cors = CORSPolicy(allowedOrigins: [OriginPattern("http://app.test")!])
        }
    }
    static func base() async throws -> String { try await harness.value.base }

    enum Transport: String, Sendable, CaseIterable {
        case http1, http2
    }

    struct Reply {
        var status: Int
        var header: (String) -> String?
        var json: Any?
        var text: String
    }

    /// One curl exchange; `file` is sent with `--data-binary @file`.
    static func send(
        _ transport: Transport, _ method: String, _ path: String, headers: [String], body: [UInt8]? = nil,
        file: String? = nil
    ) async throws -> Reply {
        let url = try await base() + path
        let extra = file.map { ["--data-binary", "@\($0)"] } ?? []
        switch transport {
        case .http1:
            let reply = try await Curl.request(method, url, headers: headers, body: body, extra: extra)
            return Reply(status: reply.status, header: reply.header, json: reply.json, text: reply.text)
        case .http2:
            let reply = try await HTTP2Client.curl(method, url, headers: headers, body: body, extra: extra)
            return Reply(status: reply.status, header: reply.header, json: reply.json, text: reply.text)
        }
    }

    static func writeTemporary(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offload-\(UUID().uuidString).gz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct EarlyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var headers: [String]
        var bodySize: Int
        var status: Int
        var message: String
        var testDescription: String { name }
    }

    static let earlyCases: [EarlyCase] = [
        EarlyCase(
            name: "413 by Content-Length", headers: ["Content-Type: application/json"], bodySize: 100 << 10,
            status: 413, message: "exceeds the limit of 65536 bytes"),
        EarlyCase(
            name: "413 while the body streams in (chunked)",
            headers: ["Content-Type: application/json", "Transfer-Encoding: chunked"], bodySize: 100 << 10,
            status: 413, message: "exceeds the limit of 65536 bytes"),
        EarlyCase(
            name: "415 for an unknown coding", headers: ["Content-Type: application/json", "Content-Encoding: br"],
            bodySize: 3, status: 415, message: "content-encoding 'br' is not supported"),
    ]

    @Test(arguments: earlyCases, Transport.allCases)
    func earlyAnswersCarryCORSHeaders(_ early: EarlyCase, transport: Transport) async throws {
        let body = [UInt8](repeating: UInt8(ascii: " "), count: early.bodySize)
        let allowed = try await Self.send(
            transport, "POST", "/v1/shelves", headers: early.headers + ["Origin: http://app.test"], body: body)
        #expect(allowed.status == early.status, "\(allowed.text)")
        #expect(allowed.header("access-control-allow-origin") == "http://app.test")
        #expect(allowed.header("access-control-expose-headers")?.contains("x-request-id") == true)
        #expect(allowed.header("vary")?.contains("Origin") == true)
        #expect(allowed.header("x-request-id") != nil)
        #expect(allowed.text.contains(early.message), "\(allowed.text)")
        // A disallowed origin still gets the JSON error, but no CORS headers.
        let refused = try await Self.send(
            transport, "POST", "/v1/shelves", headers: early.headers + ["Origin: http://evil.test"], body: body)
        #expect(refused.status == early.status)
        #expect(refused.header("access-control-allow-origin") == nil)
    }

    static let ndjson = Array(
        """
        {"book":{"title":"Zipped A","author":"Ann"}}
        {"book":{"title":"Zipped B"}}
        {"book":{"title":"Zipped C"}}

        """.utf8)

    @Test(arguments: Transport.allCases, [CompressionFormat.gzip, .deflate])
    func compressedClientStreamingUploadIsInflated(_ transport: Transport, format: CompressionFormat) async throws {
        let file = try Self.writeTemporary(try Deflater.compress(Self.ndjson, format: format))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var headers = ["Content-Type: application/x-ndjson", "Content-Encoding: \(format.rawValue)"]
        if transport == .http1 { headers.append("Transfer-Encoding: chunked") }
        let reply = try await Self.send(transport, "POST", "/v1/shelves/2/books:upload", headers: headers, file: file)
        #expect(reply.status == 200, "\(reply.text)")
        let json = try #require(reply.json as? [String: Any], "\(reply.text)")
        #expect(json["createdCount"] as? Int == 3)
        #expect((json["names"] as? [String])?.allSatisfy { $0.hasPrefix("shelves/2/books/") } == true)
    }

    @Test(arguments: Transport.allCases)
    func compressedClientStreamingRefusals(_ transport: Transport) async throws {
        let path = "/v1/shelves/2/books:upload"
        var chunked = ["Content-Type: application/x-ndjson", "Origin: http://app.test"]
        if transport == .http1 { chunked.append("Transfer-Encoding: chunked") }
        // Unknown coding: 415 JSON with CORS headers.
        let unknown = try await Self.send(
            transport, "POST", path, headers: chunked + ["Content-Encoding: br"], body: Self.ndjson)
        #expect(unknown.status == 415, "\(unknown.text)")
        #expect(unknown.text.contains("content-encoding 'br' is not supported"), "\(unknown.text)")
        #expect(unknown.header("access-control-allow-origin") == "http://app.test")
        // 2 MiB of NDJSON (messages of 32 KiB, under the per-message limit) in a few KiB of
        // gzip: the 256 KiB streamed-body limit applies to the inflated size.
        let line = Array(#"{"book":{"title":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 32 << 10)
            + Array("\"}}\n".utf8)
        let bomb = try Deflater.compress(Array([[UInt8]](repeating: line, count: 64).joined()), format: .gzip)
        #expect(bomb.count < 64 << 10)
        let file = try Self.writeTemporary(bomb)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let refused = try await Self.send(transport, "POST", path, headers: chunked + ["Content-Encoding: gzip"], file: file)
        #expect(refused.status == 413, "\(refused.text)")
        #expect(refused.text.contains("exceeds the limit of 262144 bytes"), "\(refused.text)")
        #expect(refused.header("access-control-allow-origin") == "http://app.test")
        // Truncated gzip: 400.
        let truncated = try await Self.send(
            transport, "POST", path, headers: chunked + ["Content-Encoding: gzip"],
            body: Array(try Deflater.compress(Self.ndjson, format: .gzip).dropLast(12)))
        #expect(truncated.status == 400, "\(truncated.text)")
        #expect(truncated.text.contains("truncated"), "\(truncated.text)")
    }
}
