import Gateway
import HTTP2Transport
import Testing

/// The offloading keys of gateway.yaml: what they set, and errors naming file:line:column and key.
@Suite("gateway.yaml: cors, compression, routes, backend compression")
struct OffloadConfigTests {
    static let backend = "backends: [{endpoint: '127.0.0.1:50051'}]\n"

    @Test func readsEveryKey() throws {
        let yaml = """
            backends:
              - endpoint: 127.0.0.1:50051
                compression: gzip
              - endpoint: 127.0.0.1:50052
                services: [example.bookstore.v1.Bookstore]
                compression: identity
            cors:
              allow_origins: ["https://app.example.com", "https://*.example.com"]
              allow_methods: [get, POST]
              allow_headers: [Content-Type]
              expose_headers: [X-Total-Count]
              allow_credentials: true
              max_age: 2m
            compression:
              formats: [deflate]
              min_size: 0
              content_types: [application/json]
              level: 1
              decompress_requests: false
            routes:
              - match: example.bookstore.v1.Bookstore/StreamBooks
                cors: false
                compression: {min_size: 10}
              - match: example.bookstore
                compression: false
            """
        let file = try GatewayConfigFile(yaml: yaml, file: "g.yaml")
        #expect(file.backends.map(\.compression) == [.gzip, nil])
        let offload = file.configuration.offload
        let cors = try #require(offload.cors)
        #expect(cors.allowedOrigins.map(\.description) == ["https://app.example.com", "https://*.example.com"])
        #expect(cors.allowedMethods == ["GET", "POST"])
        #expect(cors.allowedHeaders == ["content-type"])
        #expect(cors.exposedHeaders == ["x-total-count"])
        #expect(cors.allowCredentials)
        #expect(cors.maxAge == 120)
        let compression = try #require(offload.compression)
        #expect(compression.formats == [.deflate])
        #expect(compression.minimumSize == 0)
        #expect(compression.contentTypes == ["application/json"])
        #expect(compression.level == 1)
        #expect(!offload.decompressRequests)
        #expect(offload.routeOverrides.map(\.selector) == ["example.bookstore.v1.Bookstore/StreamBooks", "example.bookstore"])
        guard case .disabled = offload.routeOverrides[0].cors, case .enabled(let routeCompression) = offload.routeOverrides[0].compression,
            case .disabled = offload.routeOverrides[1].compression, case .inherit = offload.routeOverrides[1].cors
        else {
            Issue.record("overrides: \(offload.routeOverrides)")
            return
        }
        #expect(routeCompression.minimumSize == 10)
    }

    @Test func compressionBlockAloneEnablesDefaults() throws {
        let file = try GatewayConfigFile(yaml: Self.backend + "compression: {}\n", file: "g.yaml")
        #expect(file.configuration.offload.compression == CompressionPolicy())
        #expect(file.configuration.offload.decompressRequests)
        #expect(file.configuration.offload.cors == nil)
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        var yaml: String
        var error: String
        var testDescription: String { error }
    }

    @Test(arguments: [
        Rejection(yaml: "cors: {allow_origins: [\"example.com\"]}\n", error: "g.yaml:2:24: cors.allow_origins[0]: 'example.com' is not an origin pattern"),
        Rejection(yaml: "cors: {allow_credentials: true}\n", error: "g.yaml:2:7: cors.allow_origins: missing"),
        Rejection(yaml: "cors:\n  allow_origin: ['*']\n", error: "g.yaml:3:3: cors.allow_origin: unknown key"),
        Rejection(yaml: "cors: {allow_origins: '*', max_age: forever}\n", error: "g.yaml:2:37: cors.max_age: expected a positive duration"),
        Rejection(yaml: "compression: {level: 11}\n", error: "g.yaml:2:22: compression.level: must be in 1...9"),
        Rejection(yaml: "compression: {formats: [gzip, br]}\n", error: "g.yaml:2:31: compression.formats[1]: 'br' is not a coding"),
        Rejection(yaml: "compression: {formats: []}\n", error: "g.yaml:2:24: compression.formats: name at least one coding"),
        Rejection(yaml: "cors: {allow_origins: '*', max_age: 86401}\n", error: "g.yaml:2:37: cors.max_age: must be in 0...86400"),
        Rejection(yaml: "compression: {min: 1}\n", error: "g.yaml:2:15: compression.min: unknown key"),
        Rejection(yaml: "routes: [{cors: false}]\n", error: "g.yaml:2:10: routes[0].match: missing"),
        Rejection(yaml: "routes: [{match: a.B, compression: {decompress_requests: true}}]\n", error: "g.yaml:2:37: routes[0].compression.decompress_requests: unknown key"),
        Rejection(yaml: "routes: {match: a}\n", error: "g.yaml:2:9: routes: expected a list of route overrides"),
    ])
    func rejects(_ row: Rejection) {
        do {
            _ = try GatewayConfigFile(yaml: Self.backend + row.yaml, file: "g.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(row.error), "\(error)")
        }
    }

    @Test func backendCompressionMustBeKnown() {
        #expect(throws: GatewayConfigFile.ConfigError.self) {
            try GatewayConfigFile(yaml: "backends: [{endpoint: '127.0.0.1:1', compression: zstd}]\n", file: "g.yaml")
        }
    }

    @Test func routeSelectorMustSelectARoute() throws {
        let file = try GatewayConfigFile(
            yaml: Self.backend + "routes:\n  - match: example.nothing.v1.Missing/Get\n    cors: false\n", file: "g.yaml")
        do {
            try file.checkRouteOverrides(routes: GatewayTestSupport.routes, configPath: "g.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "g.yaml:3:12: routes[0].match: 'example.nothing.v1.Missing/Get' selects no route of the schemas")
        }
        let good = try GatewayConfigFile(
            yaml: Self.backend + "routes: [{match: example.bookstore.v1.Bookstore, cors: false}]\n", file: "g.yaml")
        try good.checkRouteOverrides(routes: GatewayTestSupport.routes, configPath: "g.yaml")
    }
}
