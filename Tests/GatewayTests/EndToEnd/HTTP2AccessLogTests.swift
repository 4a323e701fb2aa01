import Gateway
import Logging
import Synchronization
import Testing

/// The access log on HTTP/2: one line per stream, for REST calls and proxied gRPC calls alike.
@Suite("Access log over h2c")
struct HTTP2AccessLogTests {
    final class Capture: LogHandler, @unchecked Sendable {
        let lines = Mutex<[Logger.Metadata]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.withLock { $0.append(event.metadata ?? [:]) }
        }
    }

    @Test func restAndPassthroughStreamsAreLogged() async throws {
        let backendPort = try await HTTP2EndToEndTests.harness.value.backend.port
        let capture = Capture()
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0, pipeline: GatewayTestSupport.pipeline(backendPort: backendPort),
            group: GatewayTestSupport.group, accessLog: Logger(label: "access") { _ in capture })
        let reply = try await HTTP2Client.curl("GET", "http://127.0.0.1:\(server.port)/v1/shelves/1/books/404")
        #expect(reply.status == 404)
        _ = try await GRPCPassthroughTests.client("unary", port: server.port)
        await server.shutDown(drainTimeout: .seconds(2))
        let lines = capture.lines.withLock { $0 }.map { line in line.mapValues { "\($0)" } }
        let rest = try #require(lines.first { $0["path"] == "/v1/shelves/1/books/404" }, "\(lines)")
        #expect(rest["method"] == "GET")
        #expect(rest["status"] == "404")
        #expect(rest["grpc_code"] == "5")
        #expect(rest["route"] == "example.bookstore.v1.Bookstore/GetBook")
        #expect(rest["request_id"] == reply.header("x-request-id"))
        let grpc = try #require(lines.first { $0["path"] == "/example.bookstore.v1.Bookstore/GetShelf" }, "\(lines)")
        #expect(grpc["method"] == "POST")
        #expect(grpc["grpc_code"] == "0")
        #expect(grpc["route"] == "example.bookstore.v1.Bookstore/GetShelf")
    }
}
