import Testing

@testable import HTTP2Transport

/// nghttp2 and zlib are linked for real, not just declared.
@Suite("System libraries")
struct SystemLibraryTests {
    @Test func nghttp2ReportsItsVersion() {
        let version = NGHTTP2Library.version
        #expect(version.split(separator: ".").count == 3, "got \(version)")
        // Debian 12 ships 1.52; the transport targets the pre-1.60 API, so any 1.x from 1.52 works.
        #expect(NGHTTP2Library.versionNumber >= 0x01_34_00)
    }

    @Test func zlibReportsItsVersion() {
        #expect(ZlibLibrary.version.hasPrefix("1."))
    }
}

@Suite("zlib compression")
struct CompressionTests {
    static let sample: [UInt8] = Array(
        String(repeating: "{\"title\":\"The Left Hand of Darkness\",\"pages\":304}\n", count: 200).utf8)

    @Test(arguments: CompressionFormat.allCases)
    func roundTrips(_ format: CompressionFormat) throws {
        let compressed = try Deflater.compress(Self.sample, format: format)
        #expect(compressed.count < Self.sample.count / 10)
        switch format {
        case .gzip: #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])  // RFC 1952 magic
        case .deflate: #expect(compressed[0] & 0x0F == 8)  // RFC 1950 CM = 8 (deflate)
        }
        let restored = try Inflater.decompress(compressed, format: format, outputLimit: 1 << 20)
        #expect(restored == Self.sample)
    }

    @Test(arguments: CompressionFormat.allCases)
    func syncFlushedChunksDecodeIncrementally(_ format: CompressionFormat) throws {
        let deflater = try Deflater(format: format)
        let inflater = try Inflater(format: format, outputLimit: 1 << 20)
        var restored: [UInt8] = []
        for message in ["first message", "second message", "third"] {
            var chunk: [UInt8] = []
            try Array(message.utf8).withUnsafeBytes { try deflater.compress($0, flush: .sync, into: &chunk) }
            let before = restored.count
            try chunk.withUnsafeBytes { try inflater.decompress($0, into: &restored) }
            // A sync flush makes each message fully decodable on arrival.
            #expect(String(decoding: restored[before...], as: UTF8.self) == message)
        }
        var tail: [UInt8] = []
        try [UInt8]().withUnsafeBytes { try deflater.compress($0, flush: .finish, into: &tail) }
        try tail.withUnsafeBytes { try inflater.decompress($0, into: &restored) }
        #expect(inflater.isFinished)
    }

    @Test func bombStopsAtTheLimit() throws {
        let bomb = try Deflater.compress([UInt8](repeating: 0, count: 10 << 20), format: .gzip, level: 9)
        #expect(bomb.count < 20_000)
        let error = #expect(throws: CompressionError.self) {
            _ = try Inflater.decompress(bomb, format: .gzip, outputLimit: 64 * 1024)
        }
        #expect(error?.code == .outputLimitExceeded)
    }

    @Test func corruptAndTruncatedInputAreErrors() throws {
        let good = try Deflater.compress(Self.sample, format: .gzip)
        var corrupt = good
        corrupt[12] ^= 0xFF
        corrupt[13] ^= 0xFF
        #expect(throws: CompressionError.self) {
            _ = try Inflater.decompress(corrupt, format: .gzip, outputLimit: 1 << 20)
        }
        let truncated = #expect(throws: CompressionError.self) {
            _ = try Inflater.decompress(Array(good.prefix(good.count / 2)), format: .gzip, outputLimit: 1 << 20)
        }
        #expect(truncated?.code == .truncatedInput)
        let wrongFormat = #expect(throws: CompressionError.self) {
            _ = try Inflater.decompress(good, format: .deflate, outputLimit: 1 << 20)
        }
        #expect(wrongFormat?.code == .corruptInput)
    }
}
