import Gateway
import HTTP2Transport
import Testing

/// The sans-I/O compression stages: the request inflater must give the same result however its
/// input is split (one byte at a time, all at once, random splits), and the response
/// compressor's flushed chunks must each be decodable on their own.
@Suite("Offload: request inflater and stream compressor")
struct StreamingCodecTests {
    static let body: [UInt8] = {
        var text = "{\"books\":["
        for index in 0..<300 { text += "{\"id\":\"\(index)\",\"title\":\"Book \(index * 7919 % 1000)\"}," }
        return Array((text + "{}]}").utf8)
    }()

    /// Splits `bytes` at the given cut points and feeds each piece.
    static func inflate(_ bytes: [UInt8], coding: String, limit: Int, cuts: [Int]) throws -> [UInt8] {
        let inflater = try #require(try RequestInflater(contentEncoding: coding, limit: limit))
        var output: [UInt8] = []
        var start = 0
        for cut in cuts.sorted() + [bytes.count] where cut >= start {
            try inflater.feed(Array(bytes[start..<cut]), into: &output)
            start = cut
        }
        try inflater.finish()
        return output
    }

    static func partitions(of count: Int) -> [(String, [Int])] {
        var generator = SystemRandomNumberGenerator()
        var random: [(String, [Int])] = []
        for round in 0..<20 {
            random.append(("random \(round)", (0..<Int.random(in: 1...12, using: &generator)).map { _ in Int.random(in: 0...count, using: &generator) }))
        }
        return [("all at once", []), ("byte by byte", Array(0..<count))] + random
    }

    @Test(arguments: CompressionFormat.allCases)
    func inflaterIsChunkingInvariant(_ format: CompressionFormat) throws {
        let compressed = try Deflater.compress(Self.body, format: format)
        for (name, cuts) in Self.partitions(of: compressed.count) {
            #expect(try Self.inflate(compressed, coding: format.rawValue, limit: 1 << 20, cuts: cuts) == Self.body, "\(name)")
        }
    }

    @Test func inflaterLimitIsChunkingInvariant() throws {
        let compressed = try Deflater.compress(Self.body, format: .gzip)
        for (name, cuts) in Self.partitions(of: compressed.count) {
            #expect(throws: GatewayError.payloadTooLarge(limit: 1000), "\(name)") {
                try Self.inflate(compressed, coding: "gzip", limit: 1000, cuts: cuts)
            }
        }
    }

    /// A zlib stream of `count` empty stored blocks (RFC 1951 §3.2.4) and an empty final block:
    /// compressed bytes that inflate to nothing.
    static func emptyBlocks(_ count: Int) -> [UInt8] {
        [0x78, 0x01] + Array([[UInt8]](repeating: [0x00, 0x00, 0x00, 0xFF, 0xFF], count: count).joined())
            + [0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
    }

    @Test func compressedSizeIsLimitedToo() throws {
        #expect(try Self.inflate(Self.emptyBlocks(10), coding: "deflate", limit: 1000, cuts: []) == [])
        for (name, cuts) in Self.partitions(of: 1510) {
            #expect(throws: GatewayError.payloadTooLarge(limit: 1000), "\(name)") {
                try Self.inflate(Self.emptyBlocks(300), coding: "deflate", limit: 1000, cuts: cuts)
            }
        }
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var coding: String
        var body: [UInt8]
        var status: Int
        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection(name: "unknown coding", coding: "br", body: [1, 2, 3], status: 415),
        Rejection(name: "stacked codings", coding: "gzip, deflate", body: [1], status: 415),
        Rejection(name: "not gzip", coding: "gzip", body: Array("{\"a\":1}".utf8), status: 400),
        Rejection(
            name: "truncated", coding: "gzip", body: Array(try! Deflater.compress(body, format: .gzip).dropLast(9)),
            status: 400),
        Rejection(
            name: "bytes after the end", coding: "deflate", body: try! Deflater.compress(body, format: .deflate) + [0],
            status: 400),
    ]

    @Test(arguments: rejections)
    func inflaterRejects(_ row: Rejection) {
        do {
            _ = try Self.inflate(row.body, coding: row.coding, limit: 1 << 20, cuts: [])
            Issue.record("accepted")
        } catch let error as GatewayError {
            #expect(error.httpStatus == row.status, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: ["identity", " identity ", "identity, identity"])
    func identityNeedsNoInflater(_ coding: String) throws {
        #expect(try RequestInflater(contentEncoding: coding, limit: 10) == nil)
    }

    @Test(arguments: CompressionFormat.allCases)
    func compressorFlushesEveryChunk(_ format: CompressionFormat) throws {
        let compressor = try StreamCompressor(format: format)
        let messages = (0..<5).map { Array("{\"message\":\($0)}\n".utf8) }
        var stream: [UInt8] = []
        var seen: [UInt8] = []
        for message in messages {
            stream += try compressor.compress(message)
            seen += message
            // What was sent so far decodes to every message so far, without the end of the stream.
            let inflater = try Inflater(format: format, outputLimit: 1 << 20)
            var partial: [UInt8] = []
            try stream.withUnsafeBytes { try inflater.decompress($0, into: &partial) }
            #expect(partial == seen)
            #expect(!inflater.isFinished)
        }
        stream += try compressor.finish()
        #expect(try Inflater.decompress(stream, format: format, outputLimit: 1 << 20) == seen)
    }
}
