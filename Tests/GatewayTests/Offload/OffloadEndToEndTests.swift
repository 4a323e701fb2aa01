import Foundation
import Gateway
import HTTP2Transport
import Testing

/// Compression both ways through real peers on loopback: `curl --compressed` and Python's
/// `gzip`/`zlib` decode our answers, a gzip-compressing Python grpcio backend
/// (`Peers/offload_server.py`) is transcoded correctly, per-backend `send gzip` reaches it
/// compressed, a streamed answer is decodable message by message before it ends, compressed
/// request bodies are inflated, and unknown codings and over-limit bodies are refused.
@Suite("Offload end to end: curl, Python zlib and grpcio with compression", .serialized)
struct OffloadEndToEndTests {
    static let harness = Task {
        try await GatewayHarness(backend: offPool { try OffloadEndToEndTests.offloadBackend() }) { configuration in
            configuration.maximumBodySize = 64 << 10
            configuration.offload.compression = CompressionPolicy()
            configuration.offload.decompressRequests = true
            configuration.offload.cors = CORSPolicy(allowedOrigins: [OriginPattern("http://app.test")!])
        }
    }
    static func base() async throws -> String { try await harness.value.base }

    /// `Peers/offload_server.py`: grpcio compressing its replies with gzip (or `deflate`).
    static func offloadBackend(_ arguments: [String] = []) throws -> TestProcess {
        try TestProcess(
            "/usr/bin/env",
            ["python3", GatewayTestSupport.peers + "/offload_server.py", GatewayTestSupport.bookstoreDescriptorSet]
                + arguments,
            portLinePrefix: "PORT ")
    }

    static func python(_ arguments: [String], timeout: TimeInterval = 30) async throws -> String {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", GatewayTestSupport.peers + "/compression_client.py"] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let pid = process.processIdentifier
            let timer = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            timer.cancel()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func curlCompressedDecodesAndMatchesTheIdentityAnswer() async throws {
        let url = try await Self.base() + "/v1/shelves/3/books"
        let plain = try await Curl.request("GET", url)
        #expect(plain.status == 200)
        #expect(plain.header("content-encoding") == nil)
        #expect(plain.header("vary") == "Origin, Accept-Encoding")
        let books = (plain.json as? [String: Any])?["books"] as? [Any]
        #expect(books?.count == 80)
        #expect(plain.body.count > 9000, "the fixture is a ~10 KB answer")
        let compressed = try await Curl.request("GET", url, extra: ["--compressed"])
        #expect(compressed.header("content-encoding") == "gzip")
        #expect(jsonEqual(compressed.json, plain.json))
        // What curl received on the wire is the compressed size.
        let wire = try await Curl.request("GET", url, headers: ["Accept-Encoding: gzip"])
        #expect(wire.header("content-length") == String(wire.body.count))
        #expect(wire.body.count * 4 < plain.body.count)
    }

    @Test func pythonGzipAndZlibDecodeOurAnswers() async throws {
        let result = try await Self.python(["decode", try await Self.base() + "/v1/shelves/3/books"])
        #expect(result.hasPrefix("OK "), "\(result)")
    }

    @Test func smallAnswersStayUncompressed() async throws {
        let reply = try await Curl.request("GET", try await Self.base() + "/v1/shelves/1", headers: ["Accept-Encoding: gzip"])
        #expect(reply.status == 200)
        #expect(reply.header("content-encoding") == nil)
        #expect(reply.header("vary") == "Origin, Accept-Encoding")
    }

    @Test func streamedAnswerDeliversTheFirstMessageBeforeTheEnd() async throws {
        // Shelf 5's backend stream waits 1.5 s between its two books.
        let result = try await Self.python(["stream", try await Self.base() + "/v1/shelves/5/books:stream"])
        let parts = result.split(separator: " ")
        try #require(parts.count == 6 && parts[0] == "FIRST", "\(result)")
        let first = try #require(Double(parts[1]))
        let end = try #require(Double(parts[3]))
        #expect(parts[5] == "2")
        #expect(end >= 1.4, "\(result)")
        #expect(first < end - 1.0, "the first message was decodable only at the end: \(result)")
    }

    @Test func gzipRequestBodyIsInflated() async throws {
        let body = try Deflater.compress(Array(#"{"theme":"Compressed poetry"}"#.utf8), format: .gzip)
        let reply = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: gzip"], body: body)
        #expect(reply.status == 200, "\(reply)")
        #expect((reply.json as? [String: Any])?["theme"] as? String == "Compressed poetry")
        let deflated = try Deflater.compress(Array(#"{"theme":"Deflated"}"#.utf8), format: .deflate)
        let second = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: deflate"], body: deflated, extra: ["-H", "Transfer-Encoding: chunked"])
        #expect((second.json as? [String: Any])?["theme"] as? String == "Deflated", "\(second)")
    }

    @Test func unknownCodingIs415AndABombIs413() async throws {
        let unknown = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: br"], body: [1, 2, 3])
        #expect(unknown.status == 415)
        #expect(unknown.header("content-type") == "application/json")
        #expect(unknown.text.contains("content-encoding 'br' is not supported"), "\(unknown)")
        // 1 MiB of zeros in 1 KiB of gzip: over the 64 KiB limit once inflated.
        let bomb = try Deflater.compress([UInt8](repeating: 0, count: 1 << 20), format: .gzip)
        #expect(bomb.count < 64 << 10)
        let refused = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: gzip"], body: bomb)
        #expect(refused.status == 413, "\(refused)")
        #expect(refused.text.contains("exceeds the limit of 65536 bytes"), "\(refused)")
        let corrupt = try await Curl.request(
            "POST", try await Self.base() + "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: gzip"], body: Array("{}".utf8))
        #expect(corrupt.status == 400, "\(corrupt)")
    }

    @Test func compressedBackendRepliesAndPerBackendSendGzip() async throws {
        let backend = try await offPool { try Self.offloadBackend() }
        defer { backend.terminate() }
        func gateway(sending compression: CompressionFormat?) async throws -> GatewayServer {
            var target = BackendDirectory.Target(host: "127.0.0.1", port: backend.port)
            target.compression = compression
            let backends = BackendDirectory(targets: [target], group: GatewayTestSupport.group)
            return try await GatewayServer.start(
                host: "127.0.0.1", port: 0,
                pipeline: GatewayPipeline(routes: GatewayTestSupport.routes, backends: backends),
                group: GatewayTestSupport.group)
        }
        /// The relay's next report about a request message.
        func nextRequestReport() async throws -> String? {
            try await offPool {
                while let line = backend.readLine(startingWith: "", timeout: 10) {
                    if line.hasSuffix("-REQUEST") { return line }
                }
                return nil
            }
        }
        let compressing = try await gateway(sending: .gzip)
        let reply = try await Curl.request(
            "POST", "http://127.0.0.1:\(compressing.port)/v1/shelves", headers: ["Content-Type: application/json"],
            body: Array(#"{"theme":"Sent with gzip"}"#.utf8))
        #expect((reply.json as? [String: Any])?["theme"] as? String == "Sent with gzip", "\(reply)")
        #expect(try await nextRequestReport() == "COMPRESSED-REQUEST")
        // The ~10 KB reply, compressed by grpcio, is transcoded exactly.
        let large = try await Curl.request("GET", "http://127.0.0.1:\(compressing.port)/v1/shelves/3/books")
        #expect(try await nextRequestReport() == "COMPRESSED-REQUEST")
        let books = try #require((large.json as? [String: Any])?["books"] as? [[String: Any]])
        #expect(books.count == 80)
        #expect(books.last?["title"] as? String == "The collected works, volume 80")
        #expect(books.last?["pageCount"] as? String == "180")
        await compressing.shutDown(drainTimeout: .seconds(1))
        let plain = try await gateway(sending: nil)
        let again = try await Curl.request("GET", "http://127.0.0.1:\(plain.port)/v1/shelves/3/books")
        #expect(try await nextRequestReport() == "PLAIN-REQUEST")
        // Printed before that request arrived: grpcio compressed the large reply the first gateway read.
        #expect(backend.lines.contains("COMPRESSED-REPLY"), "\(backend.lines)")
        #expect(jsonEqual(again.json, large.json))
        await plain.shutDown(drainTimeout: .seconds(1))
    }

    /// grpcio compressing with deflate, the gateway sending deflate (`compression: deflate`):
    /// both directions are deflate on the wire, and the reply is transcoded exactly.
    @Test func deflateBothWaysWithAGrpcioBackend() async throws {
        let backend = try await offPool { try Self.offloadBackend(["deflate"]) }
        defer { backend.terminate() }
        var target = BackendDirectory.Target(host: "127.0.0.1", port: backend.port)
        target.compression = .deflate
        let gateway = try await GatewayServer.start(
            host: "127.0.0.1", port: 0,
            pipeline: GatewayPipeline(
                routes: GatewayTestSupport.routes,
                backends: BackendDirectory(targets: [target], group: GatewayTestSupport.group)),
            group: GatewayTestSupport.group)
        let large = try await Curl.request("GET", "http://127.0.0.1:\(gateway.port)/v1/shelves/3/books")
        await gateway.shutDown(drainTimeout: .seconds(1))
        let books = try #require((large.json as? [String: Any])?["books"] as? [[String: Any]], "\(large)")
        #expect(books.count == 80)
        #expect(books.last?["title"] as? String == "The collected works, volume 80")
        // The relay printed what it saw before forwarding it; stop it and read to the end.
        backend.terminate()
        let seen = try await offPool {
            while backend.readLine(startingWith: "\u{0}", timeout: 10) != nil {}
            return backend.lines
        }
        #expect(seen.contains("REQUEST-CODING deflate"), "\(seen)")
        #expect(seen.contains("REPLY-CODING deflate"), "\(seen)")
        #expect(!seen.contains { $0.hasSuffix("-CODING gzip") }, "\(seen)")
    }
}
