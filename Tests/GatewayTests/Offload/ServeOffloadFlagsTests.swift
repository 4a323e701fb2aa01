import Foundation
import HTTP2Transport
import Testing

/// `grpc-gateway serve --compress --cors-allow-origin A --cors-allow-origin B` in front of the
/// grpcio backend of `Peers/offload_server.py`, over HTTP/1.1 and h2c: both origins are allowed
/// (the flag repeats), the defaults are those the issue names (methods of the route, requested
/// headers, no credentials, max-age 600; gzip/deflate from 1 KiB for JSON and text types;
/// request bodies inflated), and refused origins are logged on the process's standard output.
@Suite("serve --compress and repeated --cors-allow-origin (the process, HTTP/1.1 and h2c)", .serialized)
struct ServeOffloadFlagsTests {
    typealias Transport = OffloadEarlyAnswerTests.Transport
    static let origins = ["http://app.test", "https://shop.example.com"]

    static func startGateway(backendPort: Int) throws -> TestProcess {
        guard let binary = GatewayTestSupport.binary else {
            throw TestFailure("swift build --build-tests builds grpc-gateway")
        }
        // Through `sh -c 'exec … 2>&1'` (same PID), so the log on standard error is read too.
        return try TestProcess(
            "/bin/sh",
            [
                "-c", #"exec "$0" "$@" 2>&1"#, binary, "serve", "--descriptor-set",
                GatewayTestSupport.bookstoreDescriptorSet, "--backend",
                "127.0.0.1:\(backendPort)", "--listen", "127.0.0.1:0", "--compress", "--cors-allow-origin", origins[0],
                "--cors-allow-origin", "https://*.example.com", "--no-access-log",
            ], portLinePrefix: "grpc-gateway listening on")
    }

    @Test func quickFlagsDefaultsOverBothTransports() async throws {
        let backend = try await offPool { try OffloadEndToEndTests.offloadBackend() }
        defer { backend.terminate() }
        let gateway = try await offPool { try Self.startGateway(backendPort: backend.port) }
        var running = true
        defer { if running { gateway.terminate() } }
        let base = "http://127.0.0.1:\(gateway.port)"
        for transport in Transport.allCases {
            for origin in Self.origins {
                let preflight = try await OffloadTransportTests.exchange(
                    transport, "OPTIONS", base + "/v1/shelves",
                    headers: [
                        "Origin: \(origin)", "Access-Control-Request-Method: POST",
                        "Access-Control-Request-Headers: content-type",
                    ])
                #expect(preflight.status == 204, "\(transport) \(origin)")
                #expect(preflight.header("access-control-allow-origin") == origin)
                #expect(preflight.header("access-control-allow-methods") == "POST")
                #expect(preflight.header("access-control-allow-headers") == "content-type")
                #expect(preflight.header("access-control-max-age") == "600")
                #expect(preflight.header("access-control-allow-credentials") == nil)
                #expect(preflight.header("vary")?.contains("Origin") == true)
            }
            // Client- and server-streaming routes are answered by the same front-end path.
            for (method, path) in [("POST", "/v1/shelves/2/books:upload"), ("GET", "/v1/shelves/5/books:stream")] {
                let preflight = try await OffloadTransportTests.exchange(
                    transport, "OPTIONS", base + path,
                    headers: ["Origin: \(Self.origins[1])", "Access-Control-Request-Method: \(method)"])
                #expect(preflight.status == 204, "\(transport) \(path)")
                #expect(preflight.header("access-control-allow-methods") == method)
            }
            // The suffix pattern does not cover the apex domain.
            let refused = try await OffloadTransportTests.exchange(
                transport, "OPTIONS", base + "/v1/shelves",
                headers: ["Origin: https://example.com", "Access-Control-Request-Method: POST"])
            #expect(refused.status == 403)
            #expect(refused.header("access-control-allow-origin") == nil)
            #expect(refused.header("vary")?.contains("Origin") == true)

            // ~10 KB of JSON is compressed (gzip preferred on a tie); under 1 KiB is not, but still varies.
            let large = try await OffloadTransportTests.exchange(
                transport, "GET", base + "/v1/shelves/3/books", headers: ["Accept-Encoding: deflate, gzip"])
            #expect(large.header("content-encoding") == "gzip", "\(transport)")
            let json = try Inflater.decompress(large.body, format: .gzip, outputLimit: 1 << 20)
            let books = (try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])?["books"] as? [Any]
            #expect(books?.count == 80)
            let small = try await OffloadTransportTests.exchange(
                transport, "GET", base + "/v1/shelves/1", headers: ["Accept-Encoding: gzip"])
            #expect(small.status == 200)
            #expect(small.body.count < 1024)
            #expect(small.header("content-encoding") == nil)
            #expect(small.header("vary") == "Origin, Accept-Encoding")
            // A text type among the defaults (SVG), as deflate when asked.
            let svg = try await OffloadTransportTests.exchange(
                transport, "GET", base + "/v1/shelves/3/books/2/cover", headers: ["Accept-Encoding: deflate"])
            #expect(svg.header("content-encoding") == "deflate")
            #expect(try Inflater.decompress(svg.body, format: .deflate, outputLimit: 1 << 20).count > 8000)

            // Request bodies are inflated.
            let created = try await OffloadTransportTests.exchange(
                transport, "POST", base + "/v1/shelves",
                headers: ["Content-Type: application/json", "Content-Encoding: gzip"],
                body: try Deflater.compress(Array(#"{"theme":"Flags"}"#.utf8), format: .gzip))
            #expect(created.status == 200, "\(String(decoding: created.body, as: UTF8.self))")

            // A disallowed origin's actual request is answered without CORS headers (and logged).
            let stranger = try await OffloadTransportTests.exchange(
                transport, "GET", base + "/v1/shelves/1", headers: ["Origin: http://evil.test"])
            #expect(stranger.status == 200)
            #expect(stranger.header("access-control-allow-origin") == nil)
            #expect(stranger.header("vary")?.contains("Origin") == true)
        }
        // Stop the process, then read everything it logged (bounded: the pipe ends at exit).
        gateway.terminate()
        running = false
        #expect(gateway.waitForExit(timeout: 10) == 0)
        let log = try await offPool {
            while gateway.readLine(startingWith: "\u{0}", timeout: 5) != nil {}
            return gateway.lines
        }
        let preflights = log.filter {
            $0.contains("CORS preflight refused") && $0.contains("origin=https://example.com")
        }
        let requests = log.filter {
            $0.contains("CORS request refused") && $0.contains("origin=http://evil.test")
                && $0.contains("path=/v1/shelves/1")
        }
        #expect(preflights.count == 2, "\(log)")
        #expect(requests.count == 2, "\(log)")
    }

    /// `gateway.yaml` with a listener policy and per-route overrides, through the process: a
    /// method's override switches CORS off (its preflight is refused), a service's replaces the
    /// policy (credentials, its own max-age), and compression is off for one method.
    @Test func routeOverridesFromTheConfigFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-routes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml").path
        try """
        listen: 127.0.0.1:0
        descriptor_sets: [\(GatewayTestSupport.bookstoreDescriptorSet)]
        backends: [{endpoint: 127.0.0.1:9}]
        cors: {allow_origins: ["http://app.test"], max_age: 60}
        compression: {min_size: 0}
        routes:
          - match: example.bookstore.v1.Bookstore/DeleteShelf
            cors: false
          - match: example.bookstore.v1.Bookstore
            cors: {allow_origins: ["http://app.test"], allow_credentials: true, max_age: 5}
          - match: example.bookstore.v1.Bookstore/GetShelf
            compression: false
        """.write(toFile: config, atomically: true, encoding: .utf8)
        guard let binary = GatewayTestSupport.binary else { throw TestFailure("swift build --build-tests builds grpc-gateway") }
        let gateway = try await offPool {
            try TestProcess(binary, ["serve", "--config", config, "--no-access-log"], portLinePrefix: "grpc-gateway listening on")
        }
        defer { gateway.terminate() }
        let base = "http://127.0.0.1:\(gateway.port)"
        func preflight(_ method: String, _ path: String) async throws -> OffloadTransportTests.Reply {
            try await OffloadTransportTests.exchange(
                .http1, "OPTIONS", base + path, headers: ["Origin: http://app.test", "Access-Control-Request-Method: \(method)"])
        }
        let deleted = try await preflight("DELETE", "/v1/shelves/1")
        #expect(deleted.status == 403)
        #expect(deleted.header("access-control-allow-origin") == nil)
        let replaced = try await preflight("GET", "/v1/shelves/1")
        #expect(replaced.status == 204)
        #expect(replaced.header("access-control-allow-credentials") == "true")
        #expect(replaced.header("access-control-max-age") == "5")
        // A route of no override keeps the listener's policy (503: the backend port is closed).
        let error = try await OffloadTransportTests.exchange(
            .http1, "GET", base + "/v1/shelves/1", headers: ["Origin: http://app.test", "Accept-Encoding: gzip"])
        #expect(error.status == 503)
        #expect(error.header("access-control-allow-credentials") == "true")
        #expect(error.header("content-encoding") == nil, "GetShelf: compression: false")
        let listed = try await OffloadTransportTests.exchange(
            .http1, "GET", base + "/v1/shelves", headers: ["Accept-Encoding: gzip"])
        #expect(listed.status == 503)
        #expect(listed.header("content-encoding") == "gzip", "min_size 0 for the other routes")
    }

    @Test(arguments: ["example.com", "https://app.example.com/", "https://*"])
    func malformedOriginFlagIsRejected(_ origin: String) async throws {
        let (status, _, errors) = try await GatewayTestSupport.run([
            "serve", "--descriptor-set", GatewayTestSupport.bookstoreDescriptorSet, "--backend", "127.0.0.1:9",
            "--listen", "127.0.0.1:0", "--cors-allow-origin", origin,
        ])
        #expect(status != 0)
        #expect(errors.contains("--cors-allow-origin '\(origin)': expected"), "\(errors)")
    }
}
