import Foundation
import Gateway
import HTTP2Transport
import Testing

/// `serve --config gateway.yaml` with nothing else: the file names the schemas (relative to
/// itself), listeners, backends, limits and timeouts; flags override it; `check` finds routed
/// services without a backend. Through the loader and through the CLI binary.
@Suite("serve --config")
struct ServeConfigTests {
    /// A scratch directory holding a copy of the bookstore descriptor set and the protos.
    final class Folder: @unchecked Sendable {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-config-\(getpid())-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent("schemas"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: GatewayTestSupport.bookstoreDescriptorSet, toPath: url.appendingPathComponent("schemas/bookstore.pb").path)
            try FileManager.default.copyItem(
                atPath: GatewayTestSupport.root.appendingPathComponent("protos/descriptors/routing.pb").path,
                toPath: url.appendingPathComponent("schemas/routing.pb").path)
        }
        func write(_ name: String, _ text: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test func schemaPathsAreRelativeToTheFile() throws {
        let folder = try Folder()
        let path = try folder.write(
            "gateway.yaml",
            """
            descriptor_sets: [schemas/bookstore.pb]
            backends: [{endpoint: "127.0.0.1:50051"}]
            timeouts: {read: 5s}
            """)
        let file = try GatewayConfigFile(contentsOf: path)
        #expect(file.configuration.readTimeout == .seconds(5))
        #expect(try file.loadRoutes(relativeTo: path).routes.count == 37)
    }

    @Test func limitsAndTimeouts() throws {
        let file = try GatewayConfigFile(
            yaml: """
                backends: [{endpoint: "127.0.0.1:50051"}]
                limits: {max_body_bytes: 1000, max_streamed_body_bytes: 5000, max_concurrent_streams: 7, max_header_bytes: 2048}
                timeouts: {read: 250ms}
                """, file: "g.yaml")
        #expect(file.configuration.maximumBodySize == 1000)
        #expect(file.configuration.maximumStreamedBodySize == 5000)
        #expect(file.configuration.maximumConcurrentStreams == 7)
        #expect(file.configuration.maximumHeaderListSize == 2048)
        #expect(file.configuration.readTimeout == .milliseconds(250))
        #expect(throws: GatewayConfigFile.ConfigError.self) {
            try GatewayConfigFile(yaml: "backends: [{endpoint: 'h:1'}]\nlimits: {max_header_bytes: 10}\n", file: "g.yaml")
        }
    }

    @Test func protoFilesCompileFromTheFilesProtoPaths() throws {
        let folder = try Folder()
        let protos = GatewayTestSupport.root.appendingPathComponent("protos").path
        let path = try folder.write(
            "gateway.yaml",
            """
            proto_paths: [\(protos)]
            protos: [examples/bookstore/v1/bookstore.proto]
            backends: [{endpoint: "127.0.0.1:50051", packages: [example.bookstore]}]
            """)
        let routes = try GatewayConfigFile(contentsOf: path).loadRoutes(relativeTo: path)
        #expect(routes.routes.count == 37)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var yaml: String
        var error: String
        var testDescription: String { error }
    }

    @Test(arguments: [
        Row(
            yaml: "descriptor_sets:\n  - schemas/bookstore.pb\n  - schemas/missing.pb\nbackends: [{endpoint: 'h:1'}]\n",
            error: "3:5: descriptor_sets[1]: cannot read '"),
        Row(
            yaml: "proto_paths: [nowhere]\nprotos: [a.proto]\nbackends: [{endpoint: 'h:1'}]\n",
            error: "1:15: proto_paths[0]: '"),
        Row(
            yaml: "descriptor_sets: [schemas/bookstore.pb]\nbackends:\n  - endpoint: h:1\n    services: [example.bookstore.v1.Other]\n",
            error: "3:5: backends[0]: 'example.bookstore.v1.Other' names no service or package of the schemas"),
        Row(
            yaml: "descriptor_sets: [schemas/bookstore.pb, schemas/routing.pb]\n\nbackends:\n  - endpoint: h:1\n    packages: [example.routing]\n",
            error: "3:1: backends: no backend serves example.bookstore.v1.Bookstore; add its service or package"),
        Row(yaml: "backends: [{endpoint: 'h:1'}]\n", error: "1:1: descriptor_sets: give descriptor_sets or protos"),
    ])
    func loadingErrorsNameTheEntry(_ row: Row) throws {
        let folder = try Folder()
        let path = try folder.write("g.yaml", row.yaml)
        do {
            _ = try GatewayConfigFile(contentsOf: path).loadRoutes(relativeTo: path)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".hasPrefix("\(path):\(row.error)"), "\(error)")
        }
    }

    @Test func checkNamesAServiceWithoutBackend() async throws {
        let folder = try Folder()
        let path = try folder.write(
            "gateway.yaml",
            "descriptor_sets: [schemas/bookstore.pb, schemas/routing.pb]\nbackends:\n  - endpoint: 127.0.0.1:1\n    packages: [example.routing]\n")
        let (status, _, errors) = try await GatewayTestSupport.run(["check", "--config", path])
        #expect(status == 1)
        #expect(errors.hasPrefix("error: \(path):2:1: backends: no backend serves example.bookstore.v1.Bookstore"), "\(errors)")
    }

    @Test func serveRejectsABadFileWithItsLocation() async throws {
        let folder = try Folder()
        let path = try folder.write("gateway.yaml", "descriptor_sets: [schemas/bookstore.pb]\nbackends: [{endpoint: 'h:1'}]\nlimits: {max_body_bytes: -1}\n")
        let (status, _, errors) = try await GatewayTestSupport.run(["serve", "--config", path])
        #expect(status != 0)
        #expect(errors.contains("\(path):3:26: limits.max_body_bytes: must be in 1...1073741824"), "\(errors)")
        let (missing, _, usage) = try await GatewayTestSupport.run(["serve", "--backend", "127.0.0.1:1"])
        #expect(missing != 0)
        #expect(usage.contains("--descriptor-set FILE or --proto FILE, or --config FILE"), "\(usage)")
    }

    /// The whole product from one file: a bookstore backend in this process, `serve --config`
    /// alone in another; flags then override the file's listener and body limit.
    @Test func serveRunsFromTheFileAlone() async throws {
        let binary = try #require(GatewayTestSupport.binary)
        let bookstore = try DemoBookstore(pool: GatewayTestSupport.pool)
        let backend = try await HTTP2Server.start(
            host: "127.0.0.1", port: 0, group: GatewayTestSupport.group, handler: bookstore.handler)
        let folder = try Folder()
        let path = try folder.write(
            "gateway.yaml",
            """
            listen: 127.0.0.1:0
            descriptor_sets: [schemas/bookstore.pb]
            backends:
              - endpoint: 127.0.0.1:\(backend.port)
                packages: [example.bookstore]
            limits: {max_body_bytes: 100000}
            timeouts: {default: 5s, drain: 1s}
            """)
        for (arguments, bigBodyStatus) in [([String](), 200), (["--max-body-bytes", "64"], 413)] {
            let gateway = try await onOwnThread {
                try TestProcess(binary, ["serve", "--config", path, "--no-access-log"] + arguments, portLinePrefix: "grpc-gateway listening on")
            }
            let base = "http://127.0.0.1:\(gateway.port)"
            let book = try await onOwnThread {
                try Curl.requestBlocking("GET", base + "/v1/shelves/1/books/2", headers: [], body: nil, extra: [])
            }
            #expect(book.status == 200, "\(book)")
            #expect((book.json as? [String: Any])?["title"] as? String == "Excession")
            let big = try await onOwnThread {
                try Curl.requestBlocking(
                    "POST", base + "/v1/shelves", headers: ["content-type: application/json"],
                    body: Array(#"{"theme":"\#(String(repeating: "x", count: 200))"}"#.utf8), extra: [])
            }
            #expect(big.status == bigBodyStatus, "\(arguments): \(big)")
            #expect(gateway.lines.contains("routes: 37") || gateway.readLine(startingWith: "routes:") == "routes: 37")
            gateway.terminate()
            #expect(try await onOwnThread { gateway.waitForExit() } == 0)
        }
        try await backend.shutDown()
    }
}
