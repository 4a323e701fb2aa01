import Testing

@testable import HTTP2Transport

@Suite("gRPC message framing")
struct GRPCMessageFramingTests {
    static let messages: [[UInt8]] = [[], [1, 2, 3], Array(repeating: 7, count: 70_000), Array("hello".utf8)]

    @Test(arguments: [nil, CompressionFormat.gzip, .deflate], [Chunking.whole, .bytewise, .fixed(3), .random(seed: 9)])
    func roundTripsUnderAnyChunking(_ compression: CompressionFormat?, _ chunking: Chunking) throws {
        let framer = GRPCMessageFramer(compression: compression)
        var wire: [UInt8] = []
        for message in Self.messages { try framer.frame(message, into: &wire) }
        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20, encoding: compression)
        var decoded: [[UInt8]] = []
        for chunk in chunking.split(wire) {
            deframer.append(chunk)
            while let message = try deframer.next() { decoded.append(message) }
        }
        try deframer.finish()
        #expect(decoded == Self.messages)
    }

    @Test func prefixIsFlagAndBigEndianLength() throws {
        #expect(try GRPCMessageFramer().frame([9, 9]) == [0, 0, 0, 0, 2, 9, 9])
        let compressed = try GRPCMessageFramer(compression: .gzip).frame([9, 9])
        #expect(compressed[0] == 1 && Array(compressed[5...6]) == [0x1F, 0x8B])
        let small = try GRPCMessageFramer(compression: .gzip, minimumCompressedSize: 10).frame([9, 9])
        #expect(small == [0, 0, 0, 0, 2, 9, 9])
    }

    @Test func oversizeIsRejectedFromThePrefixAlone() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 1000, encoding: nil)
        deframer.append([0, 0, 0, 0x03, 0xE9])  // 1001 bytes declared, none sent
        let error = #expect(throws: GRPCStatus.self) { _ = try deframer.next() }
        #expect(error?.code == .resourceExhausted)
    }

    @Test func compressionBombStopsAtTheLimit() throws {
        let framed = try GRPCMessageFramer(compression: .gzip).frame([UInt8](repeating: 0, count: 1 << 20))
        #expect(framed.count < 5000)
        var deframer = GRPCMessageDeframer(maxMessageSize: 64 * 1024, encoding: .gzip)
        deframer.append(framed)
        let error = #expect(throws: GRPCStatus.self) { _ = try deframer.next() }
        #expect(error?.code == .resourceExhausted)
    }

    @Test(arguments: [
        ([UInt8]([2, 0, 0, 0, 0]), "invalid compressed flag"),
        ([1, 0, 0, 0, 1, 0], "no grpc-encoding"),
    ])
    func malformedPrefixes(_ bytes: [UInt8], _ want: String) throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100, encoding: nil)
        deframer.append(bytes)
        let error = #expect(throws: GRPCStatus.self) { _ = try deframer.next() }
        #expect(error?.code == .internal && error?.message.contains(want) == true)
    }

    @Test func truncatedStreamIsAnError() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100, encoding: nil)
        deframer.append([0, 0, 0, 0, 4, 1, 2])
        #expect(try deframer.next() == nil)
        #expect(throws: GRPCStatus.self) { try deframer.finish() }
    }

    @Test func encodingNegotiation() throws {
        #expect(try GRPCEncoding.parse("gzip", code: .internal) == .gzip)
        #expect(try GRPCEncoding.parse("identity", code: .internal) == nil)
        #expect(try GRPCEncoding.parse(nil, code: .internal) == nil)
        let error = #expect(throws: GRPCStatus.self) { _ = try GRPCEncoding.parse("snappy", code: .unimplemented) }
        #expect(error?.code == .unimplemented)
        #expect(GRPCEncoding.negotiate(accepted: "identity, gzip", preferred: .gzip) == .gzip)
        #expect(GRPCEncoding.negotiate(accepted: "identity", preferred: .gzip) == nil)
    }
}
