import Foundation
import Gateway
import HTTP2Transport
import Testing

/// The offloading through both front ends of one port, HTTP/1.1 and h2c, with curl as the
/// client and the grpcio backend of `Peers/offload_server.py`: compressed request bodies are
/// inflated (a bomb is refused with 413 JSON at the inflated limit), every streaming format is
/// compressed with a flush per message (curl decodes the first message long before the stream
/// ends), an `HttpBody` that is already compressed (by type or by the backend's
/// `content-encoding`) is left alone, and `grpc-status` is exposed to scripts when the answer
/// forwards it.
@Suite("Offload over HTTP/1.1 and h2c: inflation, streamed compression, HttpBody (curl)")
struct OffloadTransportTests {
    typealias Transport = OffloadEarlyAnswerTests.Transport

    static func base() async throws -> String { try await OffloadEndToEndTests.base() }

    typealias Reply = (
        status: Int, header: (String) -> String?, body: [UInt8], trailers: [(name: String, value: String)]
    )

    /// One curl exchange with the suite's gateway.
    static func send(
        _ transport: Transport, _ method: String, _ path: String, headers: [String] = [], body: [UInt8]? = nil
    ) async throws -> Reply {
        try await exchange(transport, method, try await base() + path, headers: headers, body: body)
    }

    /// One curl exchange over either transport.
    static func exchange(
        _ transport: Transport, _ method: String, _ url: String, headers: [String] = [], body: [UInt8]? = nil
    ) async throws -> Reply {
        switch transport {
        case .http1:
            let reply = try await Curl.request(method, url, headers: headers, body: body)
            return (reply.status, reply.header, reply.body, [])
        case .http2:
            let reply = try await HTTP2Client.curl(method, url, headers: headers, body: body)
            return (reply.status, reply.header, reply.body, reply.trailers)
        }
    }

    @Test(arguments: Transport.allCases, [CompressionFormat.gzip, .deflate])
    func compressedUnaryBodyIsInflated(_ transport: Transport, format: CompressionFormat) async throws {
        let theme = "Inflated over \(transport.rawValue) from \(format.rawValue)"
        let body = try Deflater.compress(Array(#"{"theme":"\#(theme)"}"#.utf8), format: format)
        let reply = try await Self.send(
            transport, "POST", "/v1/shelves",
            headers: ["Content-Type: application/json", "Content-Encoding: \(format.rawValue)"], body: body)
        #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        let json = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        #expect(json?["theme"] as? String == theme)
    }

    /// Two `Content-Encoding` lines are one list (RFC 9110 §5.3): `identity` then `gzip` is
    /// gzip; `gzip` twice is a stacked coding the gateway does not undo (415).
    @Test(arguments: Transport.allCases)
    func contentEncodingLinesAreOneList(_ transport: Transport) async throws {
        let body = try Deflater.compress(Array(#"{"theme":"Two lines"}"#.utf8), format: .gzip)
        let json = "Content-Type: application/json"
        let inflated = try await Self.send(
            transport, "POST", "/v1/shelves", headers: [json, "Content-Encoding: identity", "Content-Encoding: gzip"],
            body: body)
        #expect(inflated.status == 200, "\(String(decoding: inflated.body, as: UTF8.self))")
        #expect(String(decoding: inflated.body, as: UTF8.self).contains("Two lines"))
        let stacked = try await Self.send(
            transport, "POST", "/v1/shelves", headers: [json, "Content-Encoding: gzip", "Content-Encoding: gzip"],
            body: body)
        #expect(stacked.status == 415, "\(String(decoding: stacked.body, as: UTF8.self))")
    }

    @Test(arguments: Transport.allCases)
    func unaryBombAndCorruptBodiesAreRefusedInJSON(_ transport: Transport) async throws {
        // 1 MiB of zeros in about 1 KiB of gzip: 413 once 64 KiB are inflated.
        let bomb = try Deflater.compress([UInt8](repeating: 0, count: 1 << 20), format: .gzip)
        let headers = ["Content-Type: application/json", "Content-Encoding: gzip", "Origin: http://app.test"]
        let refused = try await Self.send(transport, "POST", "/v1/shelves", headers: headers, body: bomb)
        let text = String(decoding: refused.body, as: UTF8.self)
        #expect(refused.status == 413, "\(text)")
        #expect(refused.header("content-type") == "application/json")
        #expect(text.contains("exceeds the limit of 65536 bytes"), "\(text)")
        #expect(refused.header("access-control-allow-origin") == "http://app.test")
        let corrupt = try await Self.send(transport, "POST", "/v1/shelves", headers: headers, body: Array("{}".utf8))
        #expect(corrupt.status == 400)
        #expect(String(decoding: corrupt.body, as: UTF8.self).contains("invalid gzip data"))
    }

    @Test(arguments: Transport.allCases)
    func alreadyCompressedHttpBodyIsLeftAlone(_ transport: Transport) async throws {
        let archive = try await Self.send(
            transport, "GET", "/v1/shelves/3/books/1/cover", headers: ["Accept-Encoding: gzip, deflate"])
        #expect(archive.status == 200)
        #expect(archive.header("content-type") == "application/gzip")
        #expect(archive.header("content-encoding") == nil, "never compressed twice")
        #expect(archive.header("vary")?.contains("Accept-Encoding") != true)
        let svg = try Inflater.decompress(archive.body, format: .gzip, outputLimit: 1 << 20)
        #expect(svg.count > 8000 && svg.starts(with: Array("<svg".utf8)))
        // The same SVG as a compressible type is compressed.
        let image = try await Self.send(
            transport, "GET", "/v1/shelves/3/books/2/cover", headers: ["Accept-Encoding: gzip"])
        #expect(image.header("content-type") == "image/svg+xml")
        #expect(image.header("content-encoding") == "gzip")
        #expect(image.header("vary")?.contains("Accept-Encoding") == true)
        #expect(try Inflater.decompress(image.body, format: .gzip, outputLimit: 1 << 20) == svg)
        // Data the backend encoded itself and labelled with `content-encoding` metadata: sent
        // as it is, labelled, and not compressed a second time.
        let encoded = try await Self.send(
            transport, "GET", "/v1/shelves/3/books/3/cover", headers: ["Accept-Encoding: gzip"])
        #expect(encoded.header("content-type") == "text/plain")
        #expect(encoded.header("content-encoding") == "gzip")
        #expect(try Inflater.decompress(encoded.body, format: .gzip, outputLimit: 1 << 20) == svg)
        // The same metadata on a JSON reply would mislabel the gateway's own JSON: dropped.
        let shelf = try await Self.send(transport, "GET", "/v1/shelves/3", headers: ["Accept-Encoding: identity"])
        #expect(shelf.header("content-encoding") == nil)
        let json = try JSONSerialization.jsonObject(with: Data(shelf.body)) as? [String: Any]
        #expect(json?["theme"] as? String == "Large")
    }

    @Test func grpcStatusIsExposedWhenTheAnswerForwardsIt() async throws {
        let origin = "Origin: http://app.test"
        let trailers = try await Self.send(.http2, "GET", "/v1/shelves/1", headers: [origin, "TE: trailers"])
        #expect(trailers.trailers.contains { $0.name == "grpc-status" && $0.value == "0" }, "\(trailers.trailers)")
        #expect(trailers.header("access-control-expose-headers") == "x-request-id, grpc-status, grpc-message")
        let streamed = try await Self.send(
            .http2, "GET", "/v1/shelves/1/books:stream",
            headers: [origin, "TE: trailers", "Accept: application/x-ndjson"])
        #expect(streamed.header("access-control-expose-headers") == "x-request-id, grpc-status, grpc-message")
        // Without trailers the outcome is the HTTP status and the JSON body alone.
        for transport in Transport.allCases {
            let plain = try await Self.send(transport, "GET", "/v1/shelves/1", headers: [origin])
            #expect(plain.header("access-control-expose-headers") == "x-request-id", "\(transport)")
        }
    }

    struct StreamCase: Sendable, CustomTestStringConvertible {
        var transport: Transport
        var accept: String
        var coding: CompressionFormat = .gzip
        var testDescription: String { "\(transport.rawValue) \(accept) \(coding.rawValue)" }
    }

    /// One at a time: the gateway under test runs in this process, and eight slow streams at
    /// once (besides the other suites) can hold back a first message by most of a second.
    @Test(
        .serialized,
        arguments: [
            StreamCase(transport: .http1, accept: "application/x-ndjson"),
            StreamCase(transport: .http1, accept: "text/event-stream"),
            StreamCase(transport: .http1, accept: "application/json"),
            StreamCase(transport: .http1, accept: "application/x-ndjson", coding: .deflate),
            StreamCase(transport: .http2, accept: "application/x-ndjson"),
            StreamCase(transport: .http2, accept: "text/event-stream"),
            StreamCase(transport: .http2, accept: "application/json"),
            StreamCase(transport: .http2, accept: "text/event-stream", coding: .deflate),
        ])
    func streamedAnswerIsFlushedPerMessage(_ row: StreamCase) async throws {
        // Shelf 5's backend stream waits 1.5 s between its two books, "First" and "Second".
        let url = try await Self.base() + "/v1/shelves/5/books:stream"
        let seen = try await TimedStream.fetch(
            url, http2: row.transport == .http2,
            headers: ["Accept: \(row.accept)", "Accept-Encoding: \(row.coding.rawValue)", "Origin: http://app.test"],
            marker: #""title":"First""#)
        #expect(seen.header("content-encoding") == row.coding.rawValue, "\(seen.headers)")
        #expect(seen.header("content-type") == row.accept)
        #expect(seen.header("vary") == "Origin, Accept-Encoding")
        let first = try #require(seen.first, "the first message never arrived: \(seen.text)")
        #expect(seen.end >= 1.4, "\(seen.end)")
        #expect(first < seen.end - 1.0, "the first message was decodable only at the end (\(first) s of \(seen.end) s)")
        #expect(TimedStream.titles(seen.text, accept: row.accept) == ["First", "Second"], "\(seen.text)")
    }
}

/// A streamed answer as `curl --compressed -N` decodes it while it arrives: when the decoded text
/// first held `marker`, when the stream ended, the decoded text and the response headers.
enum TimedStream {
    struct Seen: Sendable {
        var first: Double?
        var end: Double
        var text: String
        var headers: [(name: String, value: String)]
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    static func fetch(_ url: String, http2: Bool, headers: [String], marker: String) async throws -> Seen {
        try await offPool { try fetchBlocking(url, http2: http2, headers: headers, marker: marker) }
    }

    static func fetchBlocking(_ url: String, http2: Bool, headers: [String], marker: String) throws -> Seen {
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dump) }
        var arguments = ["-sS", "-N", "--compressed", "--max-time", "20", "-D", dump]
        arguments.append(http2 ? "--http2-prior-knowledge" : "--http1.1")
        for header in headers { arguments += ["-H", header] }
        arguments.append(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let start = Date()
        try process.run()
        var decoded = Data()
        var first: Double?
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            decoded += data
            if first == nil, String(decoding: decoded, as: UTF8.self).contains(marker) {
                first = Date().timeIntervalSince(start)
            }
        }
        process.waitUntilExit()
        let end = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else {
            throw TestFailure("curl \(arguments) exited \(process.terminationStatus)")
        }
        let head = (try? String(contentsOfFile: dump, encoding: .utf8)) ?? ""
        let fields = head.components(separatedBy: "\r\n").dropFirst().compactMap {
            line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Seen(first: first, end: end, text: String(decoding: decoded, as: UTF8.self), headers: fields)
    }

    /// The book titles of a decoded stream in the format `accept` asked for.
    static func titles(_ text: String, accept: String) -> [String]? {
        let documents: [String]
        switch accept {
        case "application/x-ndjson": documents = text.split(separator: "\n").map(String.init)
        case "text/event-stream":
            documents = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.compactMap {
                $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : nil
            }
        default:
            let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
            return array?.compactMap { $0["title"] as? String }
        }
        return documents.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["title"] as? String
        }
    }
}
