import Testing

@testable import HTTP2Transport

/// A stream's outbound buffer with an inline prefix (a gRPC message prefix ahead of its message):
/// the bytes read out are the same however the reads are sized and however the queue was built.
@Suite("OutboundStream")
struct OutboundStreamTests {
    static func prefix(_ bytes: [UInt8]) -> OutboundStream.Prefix {
        bytes.withUnsafeBytes { OutboundStream.Prefix($0) }
    }

    /// Reads everything `count` bytes at a time.
    static func readAll(_ stream: inout OutboundStream, count: Int) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: count)
        while stream.bufferedBytes > 0 {
            let n = chunk.withUnsafeMutableBufferPointer { stream.read(into: $0.baseAddress!, count: count) }
            #expect(n > 0 && n <= count)
            output += chunk[0..<n]
        }
        return output
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 104, 105, 1000])
    func aPrefixedMessageReadsTheSameInAnyChunkSize(count: Int) {
        let message = (0..<100).map { UInt8($0) }
        var stream = OutboundStream()
        stream.append(message, after: Self.prefix([0, 0, 0, 0, 100]))
        #expect(stream.bufferedBytes == 105)
        #expect(Self.readAll(&stream, count: count) == [0, 0, 0, 0, 100] + message)
        #expect(stream.bufferedBytes == 0)
    }

    /// Queued behind bytes still waiting (and behind a partly read prefix), a prefixed message
    /// is copied in order.
    @Test(arguments: [0, 3, 5, 50])
    func messagesQueuedBehindOthersKeepTheirOrder(readFirst: Int) {
        var stream = OutboundStream()
        stream.append([1, 2, 3, 4, 5] + [UInt8](repeating: 9, count: 60), after: Self.prefix([7, 7]))
        var head = [UInt8](repeating: 0, count: max(readFirst, 1))
        let n = head.withUnsafeMutableBufferPointer { stream.read(into: $0.baseAddress!, count: readFirst) }
        #expect(n == readFirst)
        stream.append([10, 11], after: Self.prefix([0, 0, 0, 0, 2]))
        [UInt8]([20, 21]).withUnsafeBytes { stream.append($0) }
        stream.append([30])
        let want: [UInt8] =
            [7, 7, 1, 2, 3, 4, 5] + [UInt8](repeating: 9, count: 60) + [0, 0, 0, 0, 2, 10, 11, 20, 21, 30]
        #expect(Array(head[0..<n]) + Self.readAll(&stream, count: 4) == want)
    }

    @Test func anEmptyPrefixAddsNothing() {
        var stream = OutboundStream()
        stream.append([1, 2, 3], after: OutboundStream.Prefix())
        #expect(Self.readAll(&stream, count: 2) == [1, 2, 3])
    }

    /// The framer's two ways of producing a message give the same bytes, compressed or not.
    @Test(arguments: [nil, CompressionFormat.gzip, .deflate])
    func prefixAndPayloadMatchTheFramedMessage(compression: CompressionFormat?) throws {
        let framer = GRPCMessageFramer(compression: compression)
        let message = [UInt8](repeating: 0x41, count: 300)
        let (payload, compressed) = try framer.payload(of: message)
        #expect(compressed == (compression != nil))
        var stream = OutboundStream()
        stream.append(
            payload,
            after: GRPCMessageFramer.withPrefix(compressed: compressed, length: payload.count) {
                OutboundStream.Prefix($0)
            })
        #expect(Self.readAll(&stream, count: 7) == (try framer.frame(message)))
    }
}
