import Gateway
import Testing

@Suite("CORS: origin patterns and decisions")
struct CORSPolicyTests {
    struct PatternCase: Sendable, CustomTestStringConvertible {
        var pattern: String
        var origin: String
        var matches: Bool
        var testDescription: String { "\(pattern) vs \(origin)" }
    }

    @Test(arguments: [
        PatternCase(pattern: "*", origin: "https://anything.test", matches: true),
        PatternCase(pattern: "https://app.example.com", origin: "https://app.example.com", matches: true),
        PatternCase(pattern: "https://app.example.com", origin: "HTTPS://APP.EXAMPLE.COM", matches: true),
        PatternCase(pattern: "https://app.example.com", origin: "http://app.example.com", matches: false),
        PatternCase(pattern: "https://app.example.com", origin: "https://app.example.com:8443", matches: false),
        PatternCase(pattern: "https://app.example.com", origin: "https://app.example.com.evil.test", matches: false),
        PatternCase(pattern: "http://127.0.0.1:8000", origin: "http://127.0.0.1:8000", matches: true),
        PatternCase(pattern: "http://127.0.0.1:8000", origin: "http://127.0.0.1:8001", matches: false),
        PatternCase(pattern: "*.example.com", origin: "https://app.example.com", matches: true),
        PatternCase(pattern: "*.example.com", origin: "http://a.b.example.com", matches: true),
        PatternCase(pattern: "*.example.com", origin: "https://example.com", matches: false),
        PatternCase(pattern: "*.example.com", origin: "https://evilexample.com", matches: false),
        PatternCase(pattern: "*.example.com", origin: "https://app.example.com:8443", matches: false),
        PatternCase(pattern: "*.example.com", origin: "ftp://app.example.com", matches: false),
        PatternCase(pattern: "https://*.example.com", origin: "http://app.example.com", matches: false),
        PatternCase(pattern: "https://*.example.com:8443", origin: "https://app.example.com:8443", matches: true),
        PatternCase(pattern: "*.example.com", origin: "null", matches: false),
    ])
    func originPatterns(_ row: PatternCase) throws {
        let pattern = try #require(OriginPattern(row.pattern))
        #expect(pattern.matches(row.origin) == row.matches)
    }

    @Test(arguments: ["", "example.com", "https://a.com/path", "https://*", "*.", "https://a.*.com", "https://a.com:port", "1ttp://a.com"])
    func rejectedPatterns(_ text: String) {
        #expect(OriginPattern(text) == nil)
    }

    struct DecisionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var origins: [String]
        var credentials = false
        var methods: [String]? = nil
        var headers: [String]? = nil
        var origin = "https://app.example.com"
        var method = "POST"
        var requestHeaders: String? = "Content-Type, X-Trace"
        /// nil: refused.
        var want: [String: String]?
        var testDescription: String { name }
    }

    static let decisions: [DecisionCase] = [
        DecisionCase(
            name: "exact origin, reflected headers, route's method", origins: ["https://app.example.com"],
            want: [
                "access-control-allow-origin": "https://app.example.com", "access-control-allow-methods": "POST",
                "access-control-allow-headers": "content-type, x-trace", "access-control-max-age": "600",
            ]),
        DecisionCase(
            name: "wildcard without credentials answers *", origins: ["*"],
            want: [
                "access-control-allow-origin": "*", "access-control-allow-methods": "POST",
                "access-control-allow-headers": "content-type, x-trace", "access-control-max-age": "600",
            ]),
        DecisionCase(
            name: "wildcard with credentials echoes the origin, never *", origins: ["*"], credentials: true,
            want: [
                "access-control-allow-origin": "https://app.example.com", "access-control-allow-credentials": "true",
                "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type, x-trace",
                "access-control-max-age": "600",
            ]),
        DecisionCase(
            name: "suffix pattern", origins: ["https://*.example.com"], requestHeaders: nil,
            want: [
                "access-control-allow-origin": "https://app.example.com", "access-control-allow-methods": "POST",
                "access-control-max-age": "600",
            ]),
        // Fuzz/corpus/offload/regression-cors-star-origin-with-credentials: `Origin: *` was echoed.
        DecisionCase(name: "with credentials a literal * origin is refused", origins: ["*"], credentials: true, origin: "*", want: nil),
        DecisionCase(name: "with credentials the null origin is refused", origins: ["*"], credentials: true, origin: "null", want: nil),
        DecisionCase(
            name: "without credentials the null origin gets *", origins: ["*"], origin: "null", requestHeaders: nil,
            want: ["access-control-allow-origin": "*", "access-control-allow-methods": "POST", "access-control-max-age": "600"]),
        DecisionCase(name: "disallowed origin", origins: ["https://other.example.com"], want: nil),
        DecisionCase(name: "no origins configured", origins: [], want: nil),
        DecisionCase(name: "method outside allow_methods", origins: ["*"], methods: ["GET"], want: nil),
        DecisionCase(
            name: "configured methods and headers are listed", origins: ["*"], methods: ["GET", "POST"],
            headers: ["content-type", "x-trace", "authorization"],
            want: [
                "access-control-allow-origin": "*", "access-control-allow-methods": "GET, POST",
                "access-control-allow-headers": "content-type, x-trace, authorization", "access-control-max-age": "600",
            ]),
        DecisionCase(name: "header outside allow_headers", origins: ["*"], headers: ["content-type"], want: nil),
    ]

    @Test(arguments: decisions)
    func preflightDecisions(_ row: DecisionCase) {
        let policy = CORSPolicy(
            allowedOrigins: row.origins.compactMap(OriginPattern.init), allowedMethods: row.methods,
            allowedHeaders: row.headers, allowCredentials: row.credentials)
        switch policy.preflight(origin: row.origin, method: row.method, requestHeaders: row.requestHeaders) {
        case .allowed(let headers):
            #expect(Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) }) == row.want)
        case .refused(let reason):
            #expect(row.want == nil, "refused: \(reason)")
        }
    }

    @Test func actualResponseExposesGatewayHeaders() {
        let policy = CORSPolicy(
            allowedOrigins: [OriginPattern("*")!], exposedHeaders: ["X-Total-Count"], allowCredentials: true)
        guard
            case .allowed(let headers) = policy.responseHeaders(
                origin: "http://a.test", responseHeaders: [("content-type", "application/json"), ("grpc-status", "0")])
        else {
            Issue.record("refused")
            return
        }
        let map = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(map["access-control-allow-origin"] == "http://a.test")
        #expect(map["access-control-allow-credentials"] == "true")
        #expect(map["access-control-expose-headers"] == "x-request-id, grpc-status, x-total-count")
        guard case .refused = CORSPolicy(allowedOrigins: [OriginPattern("https://b.test")!])
            .responseHeaders(origin: "http://a.test", responseHeaders: [])
        else {
            Issue.record("a disallowed origin was allowed")
            return
        }
    }
}
