import Foundation
import Gateway
import Testing

/// Native gRPC through the gateway: a real Python grpcio client (`Peers/bookstore_client.py`)
/// calls the Python grpcio bookstore through the gateway's HTTP/2 port.
@Suite("Native gRPC passthrough: grpcio client → gateway → grpcio server", .serialized)
struct GRPCPassthroughTests {
    /// Runs one client scenario against `port` and returns its JSON report.
    static func client(_ scenario: String, port: Int) async throws -> [String: Any] {
        let (status, output) = try await offPool {
            try HTTP2Client.run(
                "/usr/bin/env",
                [
                    "python3", GatewayTestSupport.peers + "/bookstore_client.py",
                    GatewayTestSupport.bookstoreDescriptorSet, "127.0.0.1:\(port)", scenario,
                ])
        }
        guard status == 0, let json = parseJSON(output) as? [String: Any] else {
            throw TestFailure("bookstore_client.py \(scenario) exited \(status): \(output)")
        }
        return json
    }

    static func gatewayPort() async throws -> Int { try await HTTP2EndToEndTests.harness.value.server.port }

    @Test func unaryWithBinaryMetadataBothWays() async throws {
        let result = try await Self.client("unary", port: try await Self.gatewayPort())
        #expect(result["code"] as? String == "OK")
        #expect(result["reply"] as? String == #"id: 1 theme: "Fiction""#)
        let initial = try #require(result["initial"] as? [String: String])
        #expect(initial["x-token-bin"] == "000102")  // echoed by the backend: -bin survived both ways
        let keys = Set((initial["x-saw-keys"] ?? "").split(separator: ",").map(String.init))
        #expect(keys.isSuperset(of: ["x-plain", "x-token-bin", "x-forwarded-for"]), "\(keys)")
        #expect(!keys.contains("te") && !keys.contains("connection"))
        #expect((result["trailing"] as? [String: String])?["x-trailer"] == "done")
    }

    @Test func serverStreaming() async throws {
        let result = try await Self.client("stream", port: try await Self.gatewayPort())
        #expect(result["code"] as? String == "OK")
        #expect(result["names"] as? [String] == ["shelves/1/books/1", "shelves/1/books/2"])
    }

    @Test func statusWithDetailsAndTrailingMetadata() async throws {
        let result = try await Self.client("error", port: try await Self.gatewayPort())
        #expect(result["code"] as? String == "NOT_FOUND")
        #expect(result["details"] as? String == "book 404 not found")
        let trailing = try #require(result["trailing"] as? [String: String])
        #expect(trailing["x-trailer"] == "done")
        // google.rpc.Status{code: 5, message: "book 404 not found", details: […]}, byte for byte.
        #expect(trailing["grpc-status-details-bin"]?.hasPrefix("0805121262") == true, "\(trailing)")
    }

    @Test func unknownServiceForwardedToTheDefaultBackend() async throws {
        let result = try await Self.client("unknown", port: try await Self.gatewayPort())
        #expect(result["code"] as? String == "UNIMPLEMENTED")
    }

    @Test func unknownServiceWithoutABackendIsAnsweredByTheGateway() async throws {
        let backendPort = try await HTTP2EndToEndTests.harness.value.backend.port
        let backends = BackendDirectory(
            targets: [.init(selector: "example.bookstore.v1.Bookstore", host: "127.0.0.1", port: backendPort)],
            group: GatewayTestSupport.group)
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayPipeline(routes: GatewayTestSupport.routes, backends: backends),
            group: GatewayTestSupport.group)
        let unknown = try await Self.client("unknown", port: server.port)
        #expect(unknown["code"] as? String == "UNIMPLEMENTED")
        #expect(unknown["details"] as? String == "no backend serves example.nowhere.v1.Nothing")
        let known = try await Self.client("stream", port: server.port)
        #expect(known["code"] as? String == "OK")
        await server.shutDown(drainTimeout: .seconds(1))
        await backends.close()
    }
}
