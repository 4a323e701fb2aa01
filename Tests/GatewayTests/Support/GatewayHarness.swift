import Gateway

/// One gateway on an ephemeral loopback port in front of one backend process, shared by a
/// suite (`static let harness = Task { try await GatewayHarness(...) }`); the backend exits when
/// the test process ends.
final class GatewayHarness: Sendable {
    let backend: TestProcess
    let server: GatewayServer

    init(backend: TestProcess, configure: (inout GatewayConfiguration) -> Void) async throws {
        self.backend = backend
        server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayTestSupport.pipeline(backendPort: backend.port, configure: configure),
            group: GatewayTestSupport.group)
    }

    var base: String { "http://127.0.0.1:\(server.port)" }
}
