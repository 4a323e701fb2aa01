import Benchmark
import Gateway
import HTTP2Transport

/// The offloading stages alone (no sockets): gzip of a 10 KB JSON answer at the default level 6
/// and at level 1, per-message sync-flush compression of a streamed answer, inflating a
/// request body, and the per-request decisions (Accept-Encoding negotiation, a CORS preflight).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3), maxIterations: 100_000)

    // ~10 KB of JSON shaped like a ListBooks answer: repetitive keys, varied values.
    let answer: [UInt8] = {
        var text = "{\"books\":["
        var index = 0
        while text.utf8.count < 10_000 {
            index += 1
            text += "{\"name\":\"shelves/3/books/\(index)\",\"id\":\"\(index)\",\"author\":\"Author number \(index * 7919 % 997)\","
            text += "\"title\":\"The collected works, volume \(index)\",\"genre\":\"GENRE_FICTION\",\"pageCount\":\"\(100 + index * 31 % 900)\"},"
        }
        return Array((text + "{}]}").utf8)
    }()
    let messages: [[UInt8]] = (0..<50).map { Array("{\"name\":\"shelves/1/books/\($0)\",\"title\":\"Streamed book \($0)\"}\n".utf8) }
    let streamedBytes = messages.reduce(0) { $0 + $1.count }
    let compressedAnswer = try! StreamCompressor.compress(answer, format: .gzip)
    print("answer: \(answer.count) B, gzip level 6: \(compressedAnswer.count) B")

    // Throughput (iterations/s) × 10 KB is the compression speed in bytes/s.
    for level in [6, 1] {
        Benchmark("gzip 10 KB JSON answer, level \(level)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try StreamCompressor.compress(answer, format: .gzip, level: level))
            }
        }
    }

    Benchmark("stream: 50 NDJSON messages, sync flush each (\(streamedBytes) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            let compressor = try StreamCompressor(format: .gzip)
            for message in messages { blackHole(try compressor.compress(message)) }
            blackHole(try compressor.finish())
        }
    }

    Benchmark("inflate a gzip 10 KB request body, in 1 KB chunks") { benchmark in
        for _ in benchmark.scaledIterations {
            let inflater = try RequestInflater(contentEncoding: "gzip", limit: 4 << 20)!
            var output: [UInt8] = []
            output.reserveCapacity(answer.count)
            var start = 0
            while start < compressedAnswer.count {
                let end = min(start + 1024, compressedAnswer.count)
                try inflater.feed(Array(compressedAnswer[start..<end]), into: &output)
                start = end
            }
            try inflater.finish()
            blackHole(output)
        }
    }

    Benchmark("Accept-Encoding negotiation (browser header)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AcceptEncoding(header: "gzip, deflate, br, zstd", supported: [.gzip, .deflate]))
        }
    }

    let policy = CORSPolicy(
        allowedOrigins: [OriginPattern("https://app.example.com")!, OriginPattern("https://*.example.com")!],
        allowCredentials: true)
    Benchmark("CORS preflight decision (suffix origin, two headers)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(policy.preflight(origin: "https://shop.example.com", method: "POST", requestHeaders: "content-type, x-trace"))
        }
    }
}
