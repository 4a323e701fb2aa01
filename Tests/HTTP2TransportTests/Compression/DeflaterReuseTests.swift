import Testing

@testable import HTTP2Transport

/// `Deflater.reset()` (zlib's `deflateReset`) and the per-thread reuse behind the one-shot
/// `Deflater.compress`: a reused stream must produce byte for byte what a fresh one does, for
/// every format and level, in any order of calls.
@Suite("zlib deflater reuse")
struct DeflaterReuseTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var format: CompressionFormat
        var level: Int32
        var testDescription: String { "\(format.rawValue) level \(level)" }
    }

    static let rows = CompressionFormat.allCases.flatMap { format in [1, 6, 9, -1].map { Row(format: format, level: $0) } }

    /// Inputs of different sizes and content, so a stale window or state would show.
    static let inputs: [[UInt8]] = [
        [],
        Array("{}".utf8),
        Array(String(repeating: #"{"name":"shelves/1/books/7","title":"A title"},"#, count: 200).utf8),
        (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
    ]

    /// What a fresh stream produces (no reuse involved).
    static func fresh(_ input: [UInt8], _ row: Row) throws -> [UInt8] {
        let deflater = try Deflater(format: row.format, level: row.level)
        var output: [UInt8] = []
        try input.withUnsafeBytes { try deflater.compress($0, flush: .finish, into: &output) }
        return output
    }

    @Test(arguments: rows)
    func oneShotCompressionMatchesAFreshStreamAcrossReuse(_ row: Row) throws {
        // Twice round, interleaved with another format and level, so every call after the first
        // runs on a reset deflater from this thread's cache.
        for _ in 0..<2 {
            for input in Self.inputs {
                let other = Row(format: row.format == .gzip ? .deflate : .gzip, level: 1)
                #expect(try Deflater.compress(input, format: other.format, level: other.level) == Self.fresh(input, other))
                let compressed = try Deflater.compress(input, format: row.format, level: row.level)
                #expect(compressed == (try Self.fresh(input, row)))
                #expect(try Inflater.decompress(compressed, format: row.format, outputLimit: 1 << 20) == input)
            }
        }
    }

    @Test(arguments: CompressionFormat.allCases)
    func resetMidStreamStartsOver(_ format: CompressionFormat) throws {
        let deflater = try Deflater(format: format)
        var abandoned: [UInt8] = []
        try Self.inputs[2].withUnsafeBytes { try deflater.compress($0, flush: .sync, into: &abandoned) }
        try deflater.reset()
        var output: [UInt8] = []
        try Self.inputs[3].withUnsafeBytes { try deflater.compress($0, flush: .finish, into: &output) }
        #expect(output == (try Self.fresh(Self.inputs[3], Row(format: format, level: -1))))
    }

    @Test func cacheIsBoundedPerThread() throws {
        // More distinct (format, level) pairs than the cache keeps: still correct, and the
        // cache of this thread never holds more than its capacity (the oldest goes).
        for level in Int32(1)...9 {
            for format in CompressionFormat.allCases {
                let row = Row(format: format, level: level)
                #expect(try Deflater.compress(Self.inputs[2], format: format, level: level) == Self.fresh(Self.inputs[2], row))
                #expect(DeflaterCache.idleCount >= 1 && DeflaterCache.idleCount <= DeflaterCache.capacity)
            }
        }
    }
}
