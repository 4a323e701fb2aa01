import NIOCore
import NIOEmbedded
import Testing

@testable import HTTP2Transport

/// Calls opened in one event-loop tick leave in batched writes: the rest at the end of the
/// tick, and a write as soon as `streamsPerWrite` calls are waiting, so the server can start on
/// the first calls of a large burst while the client still encodes the others.
@Suite("GRPCClientConnection writes")
struct GRPCClientConnectionWriteTests {
    @Test(arguments: [1, 31, 32, 33, 100])
    func callsOpenedInOneTickLeaveInBatches(calls: Int) throws {
        let session = try HTTP2Session(role: .client)
        let handler = HTTP2ChannelHandler(session: session)
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let connection = GRPCClientConnection(
            channel: channel, handler: handler, configuration: .init(host: "127.0.0.1", port: 1))
        _ = try HTTP2ChannelHandlerTests.outboundWrites(channel)  // preface and SETTINGS
        for index in 0..<calls {
            let stream = GRPCClientStream(
                connection: connection, options: GRPCCallOptions(), messages: nil, headersPromise: nil,
                resultPromise: nil)
            stream.start(path: "/write.Test/Call", metadata: [])
            stream.send([UInt8(truncatingIfNeeded: index)], endStream: true, promise: nil)
        }
        let duringTick = try HTTP2ChannelHandlerTests.outboundWrites(channel)
        channel.embeddedEventLoop.run()  // the end of the tick
        let afterTick = try HTTP2ChannelHandlerTests.outboundWrites(channel)

        let batch = GRPCClientConnection.streamsPerWrite
        #expect(duringTick.count == calls / batch)
        #expect(afterTick.count == (calls % batch == 0 ? 0 : 1))
        // Each write carries whole calls (HEADERS and their DATA), in order, `batch` at most.
        var next: UInt32 = 1
        for write in duringTick + afterTick {
            let frames = frameHeaders(Array(write.readableBytesView))
            let headers = frames.filter { $0.type == 1 }.map(\.stream)
            let data = frames.filter { $0.type == 0 }.map(\.stream)
            #expect(headers.count <= batch)
            #expect(headers == Array(stride(from: next, to: next + 2 * UInt32(headers.count), by: 2)))
            #expect(data == headers)
            next += 2 * UInt32(headers.count)
        }
        #expect(next == 1 + 2 * UInt32(calls))
        _ = try? channel.finish()
    }
}
