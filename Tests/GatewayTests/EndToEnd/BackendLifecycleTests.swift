import Foundation
import Gateway
import Testing

/// The backend goes away and comes back; the gateway binary starts, serves and drains.
@Suite("Gateway backend lifecycle and the serve command", .serialized)
struct BackendLifecycleTests {
    /// A free loopback port: bound, read and released by a short Python script.
    static func freePort() async throws -> Int {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c",
                "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw TestFailure("no free port: \(text)")
            }
            return port
        }
    }

    @Test func backendDownIs503ThenRecovers() async throws {
        let port = try await Self.freePort()
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0, pipeline: GatewayTestSupport.pipeline(backendPort: port),
            group: GatewayTestSupport.group)
        let url = "http://127.0.0.1:\(server.port)/v1/shelves/1"
        let down = try await Curl.request("GET", url)
        #expect(down.status == 503)
        #expect(down.header("content-type") == "application/json")
        #expect((down.json as? [String: Any])?["code"] as? Int == 14, "\(down)")

        let backend = try await offPool { try TestProcess.bookstore(port: port) }
        var recovered: HTTPReply?
        for _ in 0..<50 {  // reconnect backoff is capped at 0.5 s
            let reply = try await Curl.request("GET", url)
            if reply.status == 200 {
                recovered = reply
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(recovered.map { jsonEqual($0.json, parseJSON(#"{"id":"1","theme":"Fiction"}"#)) } == true)
        backend.terminate()
        _ = try await offPool { backend.waitForExit() }
        await server.shutDown(drainTimeout: .seconds(1))
    }

    @Test func slowClientsGet408AndIdleConnectionsClose() async throws {
        let server = try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayTestSupport.pipeline(backendPort: 1) { $0.readTimeout = .milliseconds(300) },
            group: GatewayTestSupport.group)
        let stalled = try await Curl.raw("GET /v1/shelves/1 HTTP/1.1\r\nHost: a\r\n", port: server.port, timeout: 5)
        #expect(stalled.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(stalled)")
        #expect(stalled.hasSuffix(#"{"code":4,"message":"the request was not received in time","details":[]}"#))
        let idle = try await Curl.raw("", port: server.port, timeout: 5)
        #expect(idle == "", "an idle connection is closed without a response: \(idle)")
        await server.shutDown(drainTimeout: .seconds(1))
    }

    @Test func serveCommandLogsServesAndDrainsOnSIGTERM() async throws {
        let binary = try #require(GatewayTestSupport.binary, "swift build --build-tests builds grpc-gateway")
        let backend = try await offPool { try TestProcess.bookstore() }
        let gateway = try await offPool {
            try TestProcess(
            binary,
            [
                "serve", "--descriptor-set", GatewayTestSupport.bookstoreDescriptorSet,
                "--backend", "127.0.0.1:1", "--backend", "example.bookstore=127.0.0.1:\(backend.port)",
                "--listen", "127.0.0.1:0",
            ],
            portLinePrefix: "grpc-gateway listening on http://127.0.0.1:")
        }
        #expect(try await offPool { gateway.readLine(startingWith: "routes: ") } == "routes: 37")
        _ = try await offPool { gateway.readLine(startingWith: "backend: example.bookstore=") }
        let reply = try await Curl.request("GET", "http://127.0.0.1:\(gateway.port)/v1/shelves/2")
        #expect(reply.status == 200)
        #expect(jsonEqual(reply.json, parseJSON(#"{"id":"2","theme":"Poetry"}"#)), "\(reply)")
        #expect(gateway.lines.contains("backend: example.bookstore=127.0.0.1:\(backend.port)"))
        let log = try #require(try await offPool { gateway.readLine(startingWith: "") }, "no access log line")
        for field in [
            "method=GET", "path=/v1/shelves/2", "route=example.bookstore.v1.Bookstore/GetShelf", "status=200",
            "grpc_code=0", "bytes=27", "duration_ms=", "request_id=\(reply.header("x-request-id") ?? "?")",
        ] {
            #expect(log.contains(field), "\(field) missing in \(log)")
        }
        gateway.terminate()
        #expect(try await offPool { gateway.waitForExit() } == 0)
        #expect(gateway.process.terminationReason == .exit)
        backend.terminate()
        _ = try await offPool { backend.waitForExit() }
    }

    @Test func serveRejectsABadBackend() async throws {
        let binary = try #require(GatewayTestSupport.binary)
        let (status, text) = try await offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--descriptor-set", GatewayTestSupport.bookstoreDescriptorSet, "--backend", "nohost"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(status != 0)
        #expect(text.contains("backend 'nohost': expected [SERVICE=]HOST:PORT"), "\(text)")
    }
}
