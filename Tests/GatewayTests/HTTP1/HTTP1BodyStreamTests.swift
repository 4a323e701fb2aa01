@testable import Gateway
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// HTTP/1.1 client-streaming backpressure: a body the pipeline does not pull stops socket reads
/// (the read gate holds `read()`), and pulling resumes them.
@Suite("HTTP1BodyStream")
struct HTTP1BodyStreamTests {
    /// Counts the `read()` calls that get past the gate (it sits between the gate and the socket).
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func unpulledBodyStopsReadsAndPullingResumesThem() async throws {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let gate = HTTP1ReadGate()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(gate)
        let body = HTTP1BodyStream(gate: gate, eventLoop: channel.eventLoop)

        channel.read()
        #expect(counter.reads == 1)  // nothing buffered: reads flow
        for index in 0..<6 { body.yield([UInt8(index)]) }  // past the high watermark of 4
        channel.read()
        channel.read()
        #expect(counter.reads == 1, "reads must be held while the consumer is behind")

        let pulled = Mutex<[[UInt8]]>([])
        let stream = body.stream
        let consumer = Task {
            for try await chunk in stream { pulled.withLock { $0.append(chunk) } }
        }
        // Let the consumer drain below the low watermark; its demand comes back via the loop.
        for _ in 0..<500 where counter.reads == 1 {
            try await Task.sleep(for: .milliseconds(5))
            channel.embeddedEventLoop.run()
        }
        #expect(counter.reads == 2, "one held read is released once the consumer pulls")
        body.finish()
        try await consumer.value
        #expect(pulled.withLock { $0 } == (0..<6).map { [UInt8($0)] })
        _ = try channel.finish()
    }
}
