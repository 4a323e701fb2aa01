import Foundation
import Testing

/// CORS as a real browser enforces it: headless Chromium loads `Peers/browser/cors.html` from a
/// static server (one loopback origin) and the page calls `grpc-gateway serve --config` (another
/// port, so another origin) with `fetch()` and `EventSource`: a JSON POST that needs a
/// preflight, a credentialed GET of a gzip-compressed answer, exposed and unexposed headers,
/// NDJSON streaming, SSE, an error answer and a preflight for an unrouted path. The page writes
/// what the browser let it see into the DOM and posts it to its own origin's `/report`. From an origin the
/// gateway does not allow (`localhost` instead of `127.0.0.1`), the browser blocks every call.
@Suite("Browser CORS: headless Chromium against the gateway", .serialized)
struct BrowserCORSTests {
    static let chromium = "/usr/bin/chromium"

    final class Peers: Sendable {
        let backend: TestProcess
        let site: TestProcess
        let gateway: TestProcess
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-browser-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            backend = try TestProcess(
                "/usr/bin/env",
                ["python3", GatewayTestSupport.peers + "/offload_server.py", GatewayTestSupport.bookstoreDescriptorSet],
                portLinePrefix: "PORT ")
            site = try TestProcess(
                "/usr/bin/env",
                ["python3", GatewayTestSupport.peers + "/browser/static_server.py", GatewayTestSupport.peers + "/browser"],
                portLinePrefix: "PORT ")
            let config = """
                listen: 127.0.0.1:0
                descriptor_sets: [\(GatewayTestSupport.bookstoreDescriptorSet)]
                backends:
                  - endpoint: 127.0.0.1:\(backend.port)
                cors:
                  allow_origins: ["http://127.0.0.1:\(site.port)"]
                  allow_credentials: true
                  expose_headers: [content-encoding]
                  max_age: 0
                compression:
                  min_size: 1024
                """
            let configPath = directory.appendingPathComponent("gateway.yaml").path
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            guard let binary = GatewayTestSupport.binary else { throw TestFailure("swift build --build-tests builds grpc-gateway") }
            gateway = try TestProcess(
                binary, ["serve", "--config", configPath, "--no-access-log"], portLinePrefix: "grpc-gateway listening on")
        }

        func stop() {
            for process in [gateway, site, backend] { process.terminate() }
            _ = gateway.waitForExit(timeout: 5)
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Loads the page in a fresh headless Chromium (own profile, no sandbox as root) and waits
    /// (at most 45 s) for the page to report its results to the static server; the browser is
    /// then stopped by PID (SIGTERM, SIGKILL after 5 s).
    static func visit(_ url: String, site: TestProcess, profile: URL) async throws -> [String: Any] {
        let text = try await offPool { try visitBlocking(url, site: site, profile: profile) }
        guard let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestFailure("not JSON: \(text)")
        }
        return json
    }

    static func visitBlocking(_ url: String, site: TestProcess, profile: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--user-data-dir=\(profile.path)", url,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        defer {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        // The site prints a TICK every second, so a report that never comes ends at the timeout.
        guard let line = site.readLine(startingWith: "REPORT ", timeout: 45) else {
            throw TestFailure("the page did not report within 45 s")
        }
        return String(line.dropFirst("REPORT ".count))
    }

    @Test func browserAcceptsAllowedOriginAndBlocksOthers() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "scripts/bootstrap.sh installs chromium")
        let peers = try await offPool { try Peers() }
        defer { peers.stop() }
        let gateway = "http://127.0.0.1:\(peers.gateway.port)"
        let allowed = try await Self.visit(
                "http://127.0.0.1:\(peers.site.port)/cors.html?gateway=\(gateway)", site: peers.site,
                profile: peers.directory.appendingPathComponent("profile-allowed"))
        let post = allowed["post"] as? [String: Any]
        #expect(post?["status"] as? Int == 200, "\(allowed)")
        #expect(post?["theme"] as? String == "From the browser")
        #expect((post?["requestId"] as? String)?.count == 32, "x-request-id is exposed")
        #expect(post?["hiddenHeader"] is NSNull, "a header that is not exposed stays hidden")
        let credentials = allowed["credentials"] as? [String: Any]
        #expect(credentials?["status"] as? Int == 200, "\(allowed)")
        #expect(credentials?["books"] as? Int == 80)
        #expect(credentials?["encoding"] as? String == "gzip", "the browser received and decoded gzip")
        let stream = allowed["stream"] as? [String: Any]
        #expect(stream?["lines"] as? [String] == ["The Dispossessed", "Excession"], "\(allowed)")
        let events = allowed["eventSource"] as? [String: Any]
        #expect(events?["titles"] as? [String] == ["The Dispossessed", "Excession"], "\(allowed)")
        let error = allowed["error"] as? [String: Any]
        #expect(error?["status"] as? Int == 404)
        #expect(error?["code"] as? Int == 5, "an error body is readable cross-origin")
        #expect((allowed["unroutedPreflight"] as? [String: Any])?["blocked"] as? String == "TypeError")

        let refused = try await Self.visit(
                "http://localhost:\(peers.site.port)/cors.html?gateway=\(gateway)", site: peers.site,
                profile: peers.directory.appendingPathComponent("profile-refused"))
        #expect(refused["origin"] as? String == "http://localhost:\(peers.site.port)")
        for name in ["post", "credentials", "stream", "error"] {
            #expect((refused[name] as? [String: Any])?["blocked"] as? String == "TypeError", "\(name): \(refused)")
        }
        let refusedEvents = refused["eventSource"] as? [String: Any]
        #expect(refusedEvents?["titles"] as? [String] == [], "\(refused)")
        #expect(refusedEvents?["error"] as? Bool == true)
    }
}
