import NIOCore
import NIOEmbedded
import Testing

@testable import HTTP2Transport

/// A server-side owner that answers every request at once, inside the read cycle.
final class AnsweringOwner: HTTP2SessionOwner {
    let session: HTTP2Session
    var endedWith: [String] = []
    var requests = 0
    init(session: HTTP2Session) { self.session = session }

    func sessionEvent(_ event: HTTP2Event) {
        if case .headers(let id, _, .request, _) = event {
            requests += 1
            try? session.submitResponse(streamID: id, [(":status", "204")], endStream: true)
        }
    }
    func sessionOutputWritten() {}
    func sessionEnded(_ error: (any Error)?) { endedWith.append(error.map { "\($0)" } ?? "clean") }
}

@Suite("HTTP2ChannelHandler")
struct HTTP2ChannelHandlerTests {
    static func makeServer() throws -> (EmbeddedChannel, AnsweringOwner) {
        let session = try HTTP2Session(role: .server)
        let handler = HTTP2ChannelHandler(session: session)
        let owner = AnsweringOwner(session: session)
        handler.owner = owner
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, owner)
    }

    static func requestBytes(count: Int) throws -> [[UInt8]] {
        let client = try HTTP2Session(role: .client)
        var chunks = [try client.drainOutput()]
        for _ in 0..<count {
            _ = try client.submitRequest([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "x")], endStream: true)
            chunks.append(try client.drainOutput())
        }
        return chunks
    }

    static func outboundWrites(_ channel: EmbeddedChannel) throws -> [ByteBuffer] {
        var writes: [ByteBuffer] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { writes.append(buffer) }
        return writes
    }

    @Test func outputIsWrittenOncePerReadCycle() throws {
        let (channel, owner) = try Self.makeServer()
        _ = try Self.outboundWrites(channel)  // our SETTINGS, written on activation
        for chunk in try Self.requestBytes(count: 3) {
            channel.pipeline.fireChannelRead(ByteBuffer(bytes: chunk))
        }
        #expect(owner.requests == 3)
        #expect(try Self.outboundWrites(channel).isEmpty, "nothing may be written before the read cycle ends")
        channel.pipeline.fireChannelReadComplete()
        let writes = try Self.outboundWrites(channel)
        #expect(writes.count == 1)
        let frames = frameHeaders(Array(writes[0].readableBytesView))
        #expect(frames.filter { $0.type == 1 }.map(\.stream) == [1, 3, 5])  // three HEADERS in one write
        _ = try? channel.finish()
    }

    @Test func halfCloseEndsTheOwnerOnceAndCloses() throws {
        let (channel, owner) = try Self.makeServer()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        #expect(owner.endedWith.count == 1)
        #expect(!channel.isActive)
    }

    @Test func inactiveEndsTheOwnerOnce() throws {
        let (channel, owner) = try Self.makeServer()
        try channel.close().wait()
        channel.embeddedEventLoop.run()
        #expect(owner.endedWith.count == 1)
    }

    @Test func garbageEndsTheOwnerWithTheProtocolError() throws {
        let (channel, owner) = try Self.makeServer()
        channel.pipeline.fireChannelRead(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        channel.embeddedEventLoop.run()
        #expect(owner.endedWith.count == 1)
        #expect(owner.endedWith.first?.contains("protocol error") == true)
        #expect(!channel.isActive)
    }
}
