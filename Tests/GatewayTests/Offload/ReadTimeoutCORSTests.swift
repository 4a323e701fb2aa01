import Gateway
import Testing

/// A 408 for a request whose body stalls is an answer a browser reads like any other: it
/// carries the route's CORS headers for an allowed origin (and none for another). A request
/// whose head never completed has no origin to answer, so its 408 has no CORS headers.
@Suite("Offload: CORS on 408 for a stalled body")
struct ReadTimeoutCORSTests {
    static func start() async throws -> GatewayServer {
        try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayTestSupport.pipeline(backendPort: 1) { configuration in
                configuration.readTimeout = .milliseconds(300)
                configuration.offload.cors = CORSPolicy(allowedOrigins: [OriginPattern("http://app.test")!])
            },
            group: GatewayTestSupport.group)
    }

    static func stalledBody(origin: String) -> String {
        "POST /v1/shelves HTTP/1.1\r\nHost: a\r\nOrigin: \(origin)\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"theme\":"
    }

    @Test(arguments: [("http://app.test", true), ("http://evil.test", false)])
    func stalledBodyGets408WithCORSHeaders(origin: String, allowed: Bool) async throws {
        let server = try await Self.start()
        let reply = try await Curl.raw(Self.stalledBody(origin: origin), port: server.port, timeout: 5)
        let lines = reply.lowercased().split(separator: "\r\n").map(String.init)
        #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(reply)")
        #expect(reply.hasSuffix(#"{"code":4,"message":"the request was not received in time","details":[]}"#))
        #expect(lines.contains("access-control-allow-origin: \(origin)") == allowed, "\(reply)")
        #expect(lines.contains { $0.hasPrefix("vary:") && $0.contains("origin") }, "\(reply)")
        #expect(lines.contains { $0.hasPrefix("x-request-id: ") }, "\(reply)")
        await server.shutDown(drainTimeout: .seconds(1))
    }

    @Test func stalledHeadGets408WithoutCORSHeaders() async throws {
        let server = try await Self.start()
        let reply = try await Curl.raw(
            "POST /v1/shelves HTTP/1.1\r\nHost: a\r\nOrigin: http://app.test\r\n", port: server.port, timeout: 5)
        #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(reply)")
        #expect(!reply.lowercased().contains("access-control-"), "\(reply)")
        await server.shutDown(drainTimeout: .seconds(1))
    }
}
