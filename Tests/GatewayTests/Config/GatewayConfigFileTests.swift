import Foundation
import Gateway
import Testing

@Suite("gateway.yaml")
struct GatewayConfigFileTests {
    static let valid = """
        listeners: ["127.0.0.1:0", "[::1]:8081"]
        descriptor_sets: [bookstore.pb]
        backends:
          - name: books
            endpoint: 127.0.0.1:50051
            services: [example.bookstore.v1.Bookstore]
          - endpoint: "[::1]:50052"
        json: {emit_defaults: true, use_proto_names: true, enums_as_ints: false, ignore_unknown_fields: true}
        limits: {max_body_bytes: 1024}
        timeouts: {default: 500ms, max: 2m, drain: 3s}
        """

    @Test func readsEveryKey() throws {
        let file = try GatewayConfigFile(yaml: Self.valid, file: "gateway.yaml")
        #expect(file.listeners.map { "\($0.host):\($0.port)" } == ["127.0.0.1:0", "::1:8081"])
        #expect(file.descriptorSets == ["bookstore.pb"])
        #expect(file.backends.map(\.description) == ["example.bookstore.v1.Bookstore=127.0.0.1:50051", "::1:50052"])
        #expect(file.configuration.json.emitDefaults && file.configuration.json.useProtoNames)
        #expect(!file.configuration.json.enumsAsInts && file.configuration.json.ignoreUnknownFields)
        #expect(file.configuration.maximumBodySize == 1024)
        #expect(file.configuration.defaultTimeout == .milliseconds(500))
        #expect(file.configuration.maximumTimeout == .seconds(120))
        #expect(file.drainTimeout == .seconds(3))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var yaml: String
        var error: String
        var testDescription: String { error }
    }

    @Test(arguments: [
        Row(yaml: "backends: [{endpoint: 'h:1'}]\nlimts: {}\n", error: "g.yaml:2:1: limts: unknown key; expected listen, listeners, descriptor_sets, proto_paths, protos, backends, json, limits or timeouts"),
        Row(yaml: "backends: [{endpoint: 'h:1'}]\nlimits:\n  max_body_bytes: lots\n", error: "g.yaml:3:19: limits.max_body_bytes: expected an integer"),
        Row(yaml: "backends: [{endpoint: 'h:1'}]\nlimits:\n  max_body_bytes: 0\n", error: "g.yaml:3:19: limits.max_body_bytes: must be in 1...1073741824"),
        Row(yaml: "backends:\n  - endpoint: nohost\n", error: "g.yaml:2:15: backends[0].endpoint: expected HOST:PORT; got 'nohost'"),
        Row(yaml: "backends:\n  - services: [a.B]\n", error: "g.yaml:2:5: backends[0].endpoint: missing"),
        Row(yaml: "backends:\n  - endpoint: h:1\n    weight: 3\n", error: "g.yaml:3:5: backends[0].weight: unknown key; expected name, endpoint, services or packages"),
        Row(yaml: "backends: [{endpoint: 'h:1'}]\ntimeouts: {default: soon}\n", error: "g.yaml:2:21: timeouts.default: expected a positive duration such as 500ms, 30s, 2m or 1h; got 'soon'"),
        Row(yaml: "backends: [{endpoint: 'h:1'}]\njson: {emit_defaults: maybe}\n", error: "g.yaml:2:23: json.emit_defaults: expected true or false"),
        Row(yaml: "listen: 127.0.0.1:8080\n", error: "g.yaml:1:1: backends: at least one backend is required"),
        Row(yaml: "backends: [\n", error: "g.yaml:2:1: "),
        Row(yaml: "- a\n- b\n", error: "g.yaml:1:1: expected a mapping"),
    ])
    func rejects(_ row: Row) {
        do {
            _ = try GatewayConfigFile(yaml: row.yaml, file: "g.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(row.error), "\(error)")
        }
    }

    @Test func checkCommandValidatesAFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-check-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yaml")
        try """
            descriptor_sets: [\(GatewayTestSupport.bookstoreDescriptorSet)]
            backends: [{endpoint: "127.0.0.1:50051", packages: [example.bookstore]}]
            """.write(to: good, atomically: true, encoding: .utf8)
        let bad = directory.appendingPathComponent("bad.yaml")
        try """
            descriptor_sets: [\(GatewayTestSupport.bookstoreDescriptorSet)]
            backends:
              - endpoint: "127.0.0.1:50051"
                services: [example.nothing.Here]
            """.write(to: bad, atomically: true, encoding: .utf8)
        let (okStatus, okOut, _) = try await GatewayTestSupport.run(["check", "--config", good.path])
        #expect(okStatus == 0)
        #expect(okOut.contains("ok — 37 routes, 1 backend entries, listening on 127.0.0.1:8080"), "\(okOut)")
        let (badStatus, _, badErr) = try await GatewayTestSupport.run(["check", "--config", bad.path])
        #expect(badStatus == 1)
        #expect(badErr == "error: \(bad.path):3:5: backends[0]: 'example.nothing.Here' names no service or package of the schemas\n")
    }
}
