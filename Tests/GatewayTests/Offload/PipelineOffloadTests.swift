import Gateway
import HTTP2Transport
import Logging
import Synchronization
import Testing
import Transcoder

/// The pipeline's offloading without sockets: preflights answered before routing (on routed and
/// unrouted paths), CORS headers on answers, compression decisions, request inflation, and the
/// per-route overrides. No backend is called (the backend port is closed).
@Suite("Offload in the pipeline: preflight, CORS headers, compression")
struct PipelineOffloadTests {
    /// Captures log lines, to check that refusals are logged.
    final class LogCapture: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let text = "\(event.level) \(event.message) \(event.metadata ?? [:])"
            lines.withLock { $0.append(text) }
        }
    }

    static func pipeline(
        _ capture: LogCapture? = nil, configure: (inout OffloadConfiguration) -> Void = { _ in }
    ) -> GatewayPipeline {
        GatewayTestSupport.pipeline(backendPort: 9) { configuration in
            configuration.offload.cors = CORSPolicy(
                allowedOrigins: [OriginPattern("http://app.test")!, OriginPattern("https://*.example.com")!],
                allowCredentials: true)
            configuration.offload.compression = CompressionPolicy(minimumSize: 100)
            configuration.offload.decompressRequests = true
            if let capture { configuration.offload.logger = Logger(label: "test") { _ in capture } }
            configure(&configuration.offload)
        }
    }

    static func preflight(_ path: String, method: String, origin: String = "http://app.test", headers: String? = nil)
        -> GatewayRequest
    {
        var fields = [("Origin", origin), ("Access-Control-Request-Method", method)]
        if let headers { fields.append(("Access-Control-Request-Headers", headers)) }
        return GatewayRequest(method: "OPTIONS", target: path, headers: fields)
    }

    struct PreflightCase: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var method: String
        var origin = "http://app.test"
        var status: Int
        var testDescription: String { name }
    }

    @Test(arguments: [
        PreflightCase(name: "routed path and method", path: "/v1/shelves", method: "POST", status: 204),
        PreflightCase(name: "routed path with a query", path: "/v1/shelves/1/books?pageSize=2", method: "GET", status: 204),
        PreflightCase(name: "suffix origin", path: "/v1/shelves/1", method: "DELETE", origin: "https://a.example.com", status: 204),
        PreflightCase(name: "unknown path", path: "/v1/nothing/here", method: "GET", status: 404),
        PreflightCase(name: "method without a route at the path", path: "/v1/shelves", method: "PATCH", status: 403),
        PreflightCase(name: "disallowed origin", path: "/v1/shelves", method: "POST", origin: "http://evil.test", status: 403),
    ])
    func preflights(_ row: PreflightCase) async {
        let capture = LogCapture()
        let pipeline = Self.pipeline(capture)
        let response = await pipeline.handle(Self.preflight(row.path, method: row.method, origin: row.origin, headers: "content-type"))
        #expect(response.status == row.status)
        #expect(response.header("vary")?.contains("Origin") == true)
        if row.status == 204 {
            #expect(response.header("access-control-allow-origin") == row.origin)
            #expect(response.header("access-control-allow-credentials") == "true")
            #expect(response.header("access-control-allow-methods") == row.method)
            #expect(response.header("access-control-allow-headers") == "content-type")
            #expect(response.body.isEmpty)
        } else {
            #expect(!response.headers.contains { $0.name.hasPrefix("access-control-") })
            #expect(response.header("content-type") == "application/json")
            #expect(String(decoding: response.body, as: UTF8.self).contains("\"code\""))
            #expect(capture.lines.withLock { $0.contains { $0.contains("preflight refused") && $0.contains(row.origin) } })
        }
    }

    /// A concrete path a route's template matches: variables and `*` as `7`, `**` as `a/b`.
    static func examplePath(_ template: PathTemplate) -> String {
        let segments = template.segments.map { segment -> String in
            switch segment {
            case .literal(let text): text
            case .wildcard: "7"
            case .multiWildcard: "a/b"
            }
        }
        return "/" + segments.joined(separator: "/") + (template.verb.map { ":" + $0 } ?? "")
    }

    /// Every route of the bookstore (annotated and default `POST /pkg.Service/Method` ones):
    /// its preflight is answered for its own method, and refused for a method routed nowhere.
    @Test func everyRoutedPathAnswersItsPreflight() async {
        let pipeline = Self.pipeline()
        #expect(pipeline.routes.routes.count > 30)
        for route in pipeline.routes.routes {
            let path = Self.examplePath(route.template)
            let allowed = await pipeline.handle(Self.preflight(path, method: route.httpMethod, headers: "content-type"))
            #expect(allowed.status == 204, "\(route.httpMethod) \(path)")
            #expect(allowed.header("access-control-allow-methods") == route.httpMethod, "\(path)")
            #expect(allowed.rpc == route.rpcName, "\(route.httpMethod) \(path)")
            let refused = await pipeline.handle(Self.preflight(path, method: "PURGE"))
            #expect(refused.status == 403, "PURGE \(path)")
            #expect(refused.header("access-control-allow-origin") == nil)
        }
    }

    /// Long origins are cut by bytes: 8,000 combining marks make one character of 16 KB.
    @Test(arguments: [String(repeating: "a", count: 20_000), "a" + String(repeating: "\u{301}", count: 8_000)])
    func aLongRefusedOriginIsLoggedShortened(host: String) async {
        let capture = LogCapture()
        let pipeline = Self.pipeline(capture)
        let origin = "http://" + host + ".test"
        #expect(await pipeline.handle(Self.preflight("/v1/shelves", method: "POST", origin: origin)).status == 403)
        _ = await pipeline.handle(GatewayRequest(method: "GET", target: "/v1/nothing", headers: [("origin", origin)]))
        let lines = capture.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.utf8.count < 1000 && $0.contains("http://") }, "\(lines.map(\.utf8.count))")
    }

    @Test func withoutCORSAPreflightIsRoutedLikeAnyOptions() async {
        let pipeline = Self.pipeline { $0.cors = nil }
        let response = await pipeline.handle(Self.preflight("/v1/shelves", method: "POST"))
        #expect(response.status == 405)
        #expect(response.header("access-control-allow-origin") == nil)
    }

    @Test func routeOverrideDisablesCORS() async {
        let pipeline = Self.pipeline {
            $0.routeOverrides = [.init(selector: "example.bookstore.v1.Bookstore/CreateShelf", cors: .disabled)]
        }
        #expect(await pipeline.handle(Self.preflight("/v1/shelves", method: "POST")).status == 403)
        #expect(await pipeline.handle(Self.preflight("/v1/shelves", method: "GET")).status == 204)
    }

    @Test func routeOverrideReplacesThePolicy() async {
        let pipeline = Self.pipeline {
            $0.routeOverrides = [
                .init(selector: "example.bookstore", cors: .enabled(CORSPolicy(allowedOrigins: [OriginPattern("*")!])))
            ]
        }
        let response = await pipeline.handle(Self.preflight("/v1/shelves", method: "POST", origin: "http://x.test"))
        #expect(response.status == 204)
        #expect(response.header("access-control-allow-origin") == "*")
        #expect(response.header("access-control-allow-credentials") == nil)
    }

    @Test func overridesResolvePerFeatureMostSpecificFirst() async {
        let pipeline = Self.pipeline {
            $0.routeOverrides = [
                .init(selector: "example.bookstore.v1.Bookstore/CreateShelf", compression: .disabled),
                .init(selector: "example.bookstore", cors: .enabled(CORSPolicy(allowedOrigins: [OriginPattern("*")!]))),
                .init(selector: "example.bookstore.v1.Bookstore", cors: .disabled),
                .init(selector: "example.bookstore.v1.Bookstore/GetShelf", cors: .inherit),
            ]
        }
        // CreateShelf: its own override sets only compression; CORS comes from the service's (off).
        #expect(await pipeline.handle(Self.preflight("/v1/shelves", method: "POST")).status == 403)
        // GetShelf: `.inherit` defers to the service too.
        #expect(await pipeline.handle(Self.preflight("/v1/shelves/1", method: "GET")).status == 403)
        let route = pipeline.routes.routes.firstIndex { $0.rpcName.hasSuffix("/CreateShelf") }
        var response = GatewayResponse(status: 200, headers: [("content-type", "application/json")], body: Array(repeating: 0x20, count: 4000))
        response.routeIndex = route
        let request = GatewayRequest(method: "POST", target: "/v1/shelves", headers: [("accept-encoding", "gzip")])
        #expect(pipeline.offloadResponse(response, for: request).header("content-encoding") == nil)
        response.routeIndex = pipeline.routes.routes.firstIndex { $0.rpcName.hasSuffix("/ListShelves") }
        #expect(pipeline.offloadResponse(response, for: request).header("content-encoding") == "gzip")
    }

    @Test func errorAnswersCarryCORSHeadersForAllowedOriginsOnly() async {
        let capture = LogCapture()
        let pipeline = Self.pipeline(capture)
        let allowed = await pipeline.handle(
            GatewayRequest(method: "GET", target: "/v1/nothing", headers: [("origin", "http://app.test")]))
        #expect(allowed.status == 404)
        #expect(allowed.header("access-control-allow-origin") == "http://app.test")
        #expect(allowed.header("access-control-expose-headers") == "x-request-id")
        #expect(allowed.header("vary") == "Origin, Accept-Encoding")
        let refused = await pipeline.handle(
            GatewayRequest(method: "GET", target: "/v1/nothing", headers: [("origin", "http://evil.test")]))
        #expect(!refused.headers.contains { $0.name.hasPrefix("access-control-") })
        #expect(refused.header("vary") == "Origin, Accept-Encoding")
        #expect(capture.lines.withLock { $0.contains { $0.contains("request refused") && $0.contains("evil.test") } })
    }

    struct CompressionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var acceptEncoding: String?
        var contentType = "application/json"
        var size = 500
        var existingEncoding: String? = nil
        var coding: String?
        var vary = true
        var testDescription: String { name }
    }

    @Test(arguments: [
        CompressionCase(name: "gzip accepted", acceptEncoding: "gzip, deflate", coding: "gzip"),
        CompressionCase(name: "deflate preferred", acceptEncoding: "gzip;q=0.5, deflate", coding: "deflate"),
        CompressionCase(name: "no Accept-Encoding", acceptEncoding: nil, coding: nil),
        CompressionCase(name: "below the minimum size", acceptEncoding: "gzip", size: 99, coding: nil),
        CompressionCase(name: "below the minimum but identity refused", acceptEncoding: "gzip, identity;q=0", size: 99, coding: "gzip"),
        CompressionCase(name: "JSON with charset", acceptEncoding: "gzip", contentType: "application/json; charset=utf-8", coding: "gzip"),
        CompressionCase(name: "+json type", acceptEncoding: "gzip", contentType: "application/problem+json", coding: "gzip"),
        CompressionCase(name: "text type", acceptEncoding: "gzip", contentType: "text/plain", coding: "gzip"),
        CompressionCase(name: "type not in the list", acceptEncoding: "gzip", contentType: "application/octet-stream", coding: nil, vary: false),
        CompressionCase(name: "already compressed type", acceptEncoding: "gzip", contentType: "application/gzip", coding: nil, vary: false),
        CompressionCase(name: "image", acceptEncoding: "gzip", contentType: "image/png", coding: nil, vary: false),
        CompressionCase(name: "existing Content-Encoding is never compressed twice", acceptEncoding: "gzip", existingEncoding: "br", coding: "br", vary: false),
    ])
    func compressionDecisions(_ row: CompressionCase) throws {
        let pipeline = Self.pipeline()
        var headers: [(name: String, value: String)] = [("content-type", row.contentType)]
        if let existing = row.existingEncoding { headers.append(("content-encoding", existing)) }
        let body = Array(String(repeating: "{\"title\":\"Excession\"}", count: 40).utf8.prefix(row.size))
        var request = GatewayRequest(method: "GET", target: "/v1/shelves")
        if let accept = row.acceptEncoding { request.headers.append(("Accept-Encoding", accept)) }
        let response = pipeline.offloadResponse(GatewayResponse(status: 200, headers: headers, body: body), for: request)
        #expect(response.header("content-encoding") == row.coding)
        #expect(response.header("vary")?.contains("Accept-Encoding") ?? false == row.vary)
        if let coding = row.coding, row.existingEncoding == nil, let format = CompressionFormat(rawValue: coding) {
            #expect(try Inflater.decompress(response.body, format: format, outputLimit: 1 << 20) == body)
        } else {
            #expect(response.body == body)
        }
    }

    @Test func routeOverrideDisablesCompression() async {
        let pipeline = Self.pipeline {
            $0.routeOverrides = [.init(selector: "example.bookstore.v1.Bookstore", compression: .disabled)]
        }
        var request = GatewayRequest(method: "GET", target: "/v1/shelves", headers: [("accept-encoding", "gzip")])
        var response = GatewayResponse(
            status: 200, headers: [("content-type", "application/json")], body: Array(repeating: 0x20, count: 4000))
        response.routeIndex = pipeline.routes.routes.firstIndex { $0.rpcName.hasSuffix("/ListShelves") }
        #expect(pipeline.offloadResponse(response, for: request).header("content-encoding") == nil)
        request.headers = [("accept-encoding", "gzip")]
        response.routeIndex = nil  // before routing: the listener's policy
        #expect(pipeline.offloadResponse(response, for: request).header("content-encoding") == "gzip")
    }

    @Test func streamedBodiesAreCompressedPerChunk() async throws {
        let pipeline = Self.pipeline()
        let messages = (0..<4).map { Array("{\"n\":\($0)}\n".utf8) }
        var response = GatewayResponse(status: 200, headers: [("content-type", "application/x-ndjson")])
        response.chunks = AsyncStream { continuation in
            for message in messages { continuation.yield(message) }
            continuation.finish()
        }
        let request = GatewayRequest(method: "GET", target: "/x", headers: [("accept-encoding", "deflate")])
        let compressed = pipeline.offloadResponse(response, for: request)
        #expect(compressed.header("content-encoding") == "deflate")
        var stream: [UInt8] = []
        var pieces = 0
        for await chunk in compressed.chunks! {
            stream += chunk
            pieces += 1
        }
        #expect(pieces == messages.count + 1)  // one per message, then the trailer
        #expect(try Inflater.decompress(stream, format: .deflate, outputLimit: 1 << 20) == Array(messages.joined()))
    }

    @Test func inflatesACompleteEncodedBody() async throws {
        let json = Array(#"{"theme":"Drama"}"#.utf8)
        var request = GatewayRequest(
            method: "POST", target: "/v1/shelves",
            headers: [("content-type", "application/json"), ("content-encoding", "gzip")],
            body: try Deflater.compress(json, format: .gzip))
        let call = try await Self.prepareInflated(Self.pipeline(), &request)
        #expect(request.body == json)
        #expect(request.header("content-encoding") == nil)
        #expect(!call.message.isEmpty)
        let refused = await Self.pipeline { $0.decompressRequests = false }.handle(request.withEncoding("gzip"))
        #expect(refused.status == 415)
        let unknown = await Self.pipeline().handle(request.withEncoding("br"))
        #expect(unknown.status == 415)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("content-encoding 'br' is not supported"))
    }

    static func prepareInflated(_ pipeline: GatewayPipeline, _ request: inout GatewayRequest) async throws -> PreparedCall {
        guard let inflater = try pipeline.requestInflater(contentEncoding: request.header("content-encoding") ?? "") else {
            throw TestFailure("no inflater")
        }
        var body: [UInt8] = []
        try inflater.feed(request.body, into: &body)
        try inflater.finish()
        request.body = body
        request.headers.removeAll { $0.name == "content-encoding" }
        return try pipeline.prepare(request, requestID: "t")
    }
}

extension GatewayRequest {
    func withEncoding(_ coding: String) -> GatewayRequest {
        var copy = self
        copy.headers.removeAll { $0.name == "content-encoding" }
        copy.headers.append(("content-encoding", coding))
        return copy
    }
}
